/** The device-model capability, as other capabilities and the composition root see it. */
export { deviceModelModule, type DeviceModelModule, type DeviceModelDeps } from './device-model-module.ts';
export { DeviceModelReportService } from './device-model-report-service.ts';
export { DeviceModelConfigurationService } from './device-model-configuration-service.ts';
export { SqlDeviceModelRepository } from './device-model-repository-sql.ts';
export type { ConfigurationEntry, ComponentRef, VariableRef, VariableAttribute, VariableCharacteristics } from './device-model.ts';
export type { ReportRequest, ReportKind, ReportState } from './device-model-report.ts';
export type { Monitor } from './device-model-monitor.ts';
export { DeviceModelMigrationService, type MigrationPlan } from './device-model-migration-service.ts';
