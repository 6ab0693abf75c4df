/** The audit trail, as the composition root sees it. */
export { auditModule, type AuditModule } from './audit-module.ts';
export { AuditService, type RecordedCall } from './audit-service.ts';
export { auditCsv, actionOf, type AuditEntry } from './audit.ts';
