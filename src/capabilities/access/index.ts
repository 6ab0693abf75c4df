/** The access capability (users, roles, sessions, API keys), as other capabilities and the composition root see it. */
export { accessModule, type AccessModule } from './access-module.ts';
export { AccessService } from './access-service.ts';
export { ROLE_PERMISSIONS, type User, type ApiKey } from './access.ts';
