/** The authorization capability, as other capabilities and the composition root see it. */
export { AuthorizationService } from './authorization-service.ts';
export { SqlAutochargeRepository, SqlLocalListRepository, SqlOfflineSettingsRepository, SqlTokenRepository } from './authorization-repository-sql.ts';
export { LocalListService } from './authorization-local-list-service.ts';
export { syncAuthorizationAcrossNodes } from './authorization-sync-service.ts';
export { localListRoutes } from './authorization-local-list-http.ts';
export { authorizationStatus16, localListTranslator16, offlineSettingKeys16 } from './authorization-ocpp16.ts';
export { localListTranslator2x, offlineSettingKeys2x } from './authorization-ocpp201.ts';
export { OfflineSettingsService } from './authorization-offline-service.ts';
export { offlineSettingsRoutes } from './authorization-offline-http.ts';
export { AutochargeGuard } from './authorization-autocharge-service.ts';
export { authorizationHandlers16 } from './authorization-ocpp16.ts';
export { authorizationHandlers201 } from './authorization-ocpp201.ts';
export { authorizationHandlers21 } from './authorization-ocpp21.ts';
export { authorizationRoutes } from './authorization-http.ts';
export type { AuthorizationDecision, Decision } from './authorization.ts';
export { authorizationModule, type AuthorizationModule } from './authorization-module.ts';
export { offlineSettingsModule, type OfflineSettingsModule } from './authorization-offline-module.ts';
