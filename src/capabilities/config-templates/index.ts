/** The config-templates capability, as other capabilities and the composition root see it. */
export { configTemplatesModule, type ConfigTemplatesModule } from './config-template-module.ts';
export { ConfigTemplateService } from './config-template-service.ts';
export { ConfigReconcileService } from './config-template-reconcile-service.ts';
