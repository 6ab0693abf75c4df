/** Rows of the device-model tables <-> the core's values (no query here). */
import type { Insertable, Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { DeviceModelMonitorsTable, DeviceModelReportsTable, DeviceModelVariablesTable } from '../../storage/tables/device-model-tables.ts';
import type { ConfigurationDialect, ConfigurationEntry, ConfigurationSource, VariableAttribute, VariableCharacteristics } from './device-model.ts';
import type { Monitor } from './device-model-monitor.ts';
import type { ReportKind, ReportRequest, ReportState } from './device-model-report.ts';

export function entryRow(e: ConfigurationEntry): Insertable<DeviceModelVariablesTable> {
  return {
    station_id: e.stationId,
    tenant_id: e.tenantId,
    identity: e.identity,
    key: e.key,
    dialect: e.dialect,
    component_name: e.component?.name ?? null,
    component_instance: e.component?.instance ?? null,
    evse_id: e.component?.evseId ?? null,
    connector_id: e.component?.connectorId ?? null,
    variable_name: e.variable?.name ?? null,
    variable_instance: e.variable?.instance ?? null,
    attributes: JSON.stringify(e.attributes),
    characteristics: JSON.stringify(e.characteristics),
    readonly: e.readonly,
    source: e.source,
    reported_at: e.reportedAt,
    report_id: e.reportId,
    set_value: e.lastSet?.value ?? null,
    set_status: e.lastSet?.status ?? null,
    set_at: e.lastSet?.at ?? null,
  };
}

export function entryOf(r: Selectable<DeviceModelVariablesTable>): ConfigurationEntry {
  return {
    stationId: r.station_id,
    tenantId: r.tenant_id,
    identity: r.identity,
    key: r.key,
    dialect: r.dialect as ConfigurationDialect,
    component: r.component_name === null ? null : { name: r.component_name, instance: r.component_instance, evseId: r.evse_id, connectorId: r.connector_id },
    variable: r.variable_name === null ? null : { name: r.variable_name, instance: r.variable_instance },
    attributes: r.attributes as unknown as VariableAttribute[],
    characteristics: r.characteristics as unknown as VariableCharacteristics | null,
    readonly: r.readonly,
    source: r.source as ConfigurationSource,
    reportedAt: asDate(r.reported_at) as Date,
    reportId: r.report_id,
    lastSet: r.set_value === null || r.set_status === null || r.set_at === null ? null : { value: r.set_value, status: r.set_status, at: asDate(r.set_at) as Date },
  };
}

export function reportRow(r: ReportRequest): Insertable<DeviceModelReportsTable> {
  return {
    id: r.id,
    station_id: r.stationId,
    tenant_id: r.tenantId,
    kind: r.kind,
    request_id: r.requestId,
    command_id: r.commandId,
    command_type: r.commandType,
    criteria: JSON.stringify(r.criteria),
    replaces: r.replaces,
    state: r.state,
    station_status: r.stationStatus,
    requested_at: r.requestedAt,
    first_part_at: r.firstPartAt,
    last_part_at: r.lastPartAt,
    completed_at: r.completedAt,
    generated_at: r.generatedAt,
    parts_received: r.partsReceived,
    last_seq_no: r.lastSeqNo,
    items_received: r.itemsReceived,
    duplicate_parts: r.duplicateParts,
    problems: JSON.stringify(r.problems),
    updated_at: r.updatedAt,
  };
}

export function reportOf(r: Selectable<DeviceModelReportsTable>): ReportRequest {
  return {
    id: r.id,
    stationId: r.station_id,
    tenantId: r.tenant_id,
    kind: r.kind as ReportKind,
    requestId: r.request_id,
    commandId: r.command_id,
    commandType: r.command_type,
    criteria: r.criteria as unknown as Record<string, unknown>,
    replaces: r.replaces,
    state: r.state as ReportState,
    stationStatus: r.station_status,
    requestedAt: asDate(r.requested_at) as Date,
    firstPartAt: asDate(r.first_part_at),
    lastPartAt: asDate(r.last_part_at),
    completedAt: asDate(r.completed_at),
    generatedAt: asDate(r.generated_at),
    partsReceived: r.parts_received,
    lastSeqNo: r.last_seq_no,
    itemsReceived: r.items_received,
    duplicateParts: r.duplicate_parts,
    problems: r.problems as unknown as string[],
    updatedAt: asDate(r.updated_at) as Date,
  };
}

export function monitorRow(m: Monitor): Insertable<DeviceModelMonitorsTable> {
  return {
    station_id: m.stationId,
    tenant_id: m.tenantId,
    monitor_id: m.monitorId,
    component_name: m.component.name,
    component_instance: m.component.instance,
    evse_id: m.component.evseId,
    connector_id: m.component.connectorId,
    variable_name: m.variable.name,
    variable_instance: m.variable.instance,
    type: m.type,
    value: m.value,
    severity: m.severity,
    transaction: m.transaction,
    origin: m.origin,
    source: m.source,
    reported_at: m.reportedAt,
    report_id: m.reportId,
  };
}

export function monitorOf(r: Selectable<DeviceModelMonitorsTable>): Monitor {
  return {
    stationId: r.station_id,
    tenantId: r.tenant_id,
    monitorId: r.monitor_id,
    component: { name: r.component_name, instance: r.component_instance, evseId: r.evse_id, connectorId: r.connector_id },
    variable: { name: r.variable_name, instance: r.variable_instance },
    type: r.type,
    value: Number(r.value),
    severity: r.severity,
    transaction: r.transaction,
    origin: r.origin,
    source: r.source as Monitor['source'],
    reportedAt: asDate(r.reported_at) as Date,
    reportId: r.report_id,
  };
}
