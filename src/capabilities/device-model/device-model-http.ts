/**
 * REST: a station's configuration (one view for every version), its report requests and its
 * monitors. GET /stations/{id}/configuration, /reports, /monitors.
 */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { actualValue, CONFIGURATION_SOURCES, type ConfigurationEntry } from './device-model.ts';
import type { Monitor } from './device-model-monitor.ts';
import { REPORT_KINDS, REPORT_STATES, type ReportKind, type ReportRequest } from './device-model-report.ts';
import type { DeviceModelConfigurationService } from './device-model-configuration-service.ts';
import type { DeviceModelMonitorService } from './device-model-monitor-service.ts';
import type { DeviceModelReportService } from './device-model-report-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const access = { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } as const;
const StationParams = Type.Object({ id: Type.String({ pattern: stationIdPattern }) });
const Paging = { limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) };

const Component = Type.Object({ name: Type.String(), instance: Nullable(Type.String()), evseId: Nullable(Type.Integer()), connectorId: Nullable(Type.Integer()) });
const Variable = Type.Object({ name: Type.String(), instance: Nullable(Type.String()) });

const Entry = Type.Object({
  key: Type.String({ description: '1.6 key, or "Component[instance]/Variable[instance]" (the form getConfiguration/setConfiguration take)' }),
  dialect: Type.Union([Type.Literal('1.6'), Type.Literal('2.x')]),
  component: Nullable(Component),
  variable: Nullable(Variable),
  value: Nullable(Type.String({ description: 'The Actual value (1.6: the value)' })),
  readonly: Nullable(Type.Boolean({ description: '1.6 only; 2.x says it in each attribute\'s mutability' })),
  attributes: Type.Array(
    Type.Object({ type: Type.String(), value: Nullable(Type.String()), mutability: Nullable(Type.String()), persistent: Nullable(Type.Boolean()), constant: Nullable(Type.Boolean()) }),
  ),
  characteristics: Nullable(
    Type.Object({
      unit: Nullable(Type.String()),
      dataType: Type.String(),
      minLimit: Nullable(Type.Number()),
      maxLimit: Nullable(Type.Number()),
      maxElements: Nullable(Type.Number()),
      valuesList: Nullable(Type.String()),
      supportsMonitoring: Type.Boolean(),
    }),
  ),
  source: Type.Union(CONFIGURATION_SOURCES.map((s) => Type.Literal(s)), { description: 'Where the value was last learnt' }),
  reportedAt: Type.String({ format: 'date-time', description: 'When it was last learnt' }),
  lastSet: Nullable(Type.Object({ value: Type.String(), status: Type.String({ description: 'The station\'s answer: Accepted, Rejected, RebootRequired, NotSupported, ...' }), at: Type.String({ format: 'date-time' }) })),
});

const Report = Type.Object({
  id: Type.String(),
  kind: Type.Union(REPORT_KINDS.map((k) => Type.Literal(k))),
  requestId: Type.Integer(),
  commandId: Nullable(Type.String({ description: 'The command that asked for it; null: the station reported unasked' })),
  commandType: Nullable(Type.String()),
  criteria: Type.Record(Type.String(), Type.Unknown()),
  replaces: Type.Boolean({ description: 'A complete answer replaces what is stored (full inventory, unfiltered monitoring report)' }),
  state: Type.Union(REPORT_STATES.map((s) => Type.Literal(s)), {
    description: 'requested, accepted/rejected/failed (the answer), receiving (parts arriving), complete, incomplete (parts stopped coming or a newer request; what arrived is kept)',
  }),
  stationStatus: Nullable(Type.String()),
  requestedAt: Type.String({ format: 'date-time' }),
  firstPartAt: Nullable(Type.String({ format: 'date-time' })),
  lastPartAt: Nullable(Type.String({ format: 'date-time' })),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  generatedAt: Nullable(Type.String({ format: 'date-time' })),
  partsReceived: Type.Integer(),
  lastSeqNo: Nullable(Type.Integer()),
  itemsReceived: Type.Integer(),
  duplicateParts: Type.Integer(),
  problems: Type.Array(Type.String()),
});

const MonitorBody = Type.Object({
  id: Type.Integer(),
  component: Component,
  variable: Variable,
  type: Type.String(),
  value: Type.Number(),
  severity: Type.Integer(),
  transaction: Type.Boolean(),
  origin: Nullable(Type.String({ description: '2.1: HardWiredMonitor, PreconfiguredMonitor, CustomMonitor, ...' })),
  source: Type.String({ description: 'report or setVariableMonitoring' }),
  reportedAt: Type.String({ format: 'date-time' }),
});

function entryBody(e: ConfigurationEntry) {
  return {
    key: e.key,
    dialect: e.dialect,
    component: e.component,
    variable: e.variable,
    value: actualValue(e.attributes),
    readonly: e.readonly,
    attributes: e.attributes,
    characteristics: e.characteristics,
    source: e.source,
    reportedAt: e.reportedAt.toISOString(),
    lastSet: e.lastSet ? { ...e.lastSet, at: e.lastSet.at.toISOString() } : null,
  };
}

function reportBody(r: ReportRequest) {
  const { stationId: _s, tenantId: _t, updatedAt: _u, ...rest } = r;
  return {
    ...rest,
    requestedAt: r.requestedAt.toISOString(),
    firstPartAt: iso(r.firstPartAt),
    lastPartAt: iso(r.lastPartAt),
    completedAt: iso(r.completedAt),
    generatedAt: iso(r.generatedAt),
  };
}

const monitorBody = (m: Monitor) => ({
  id: m.monitorId,
  component: m.component,
  variable: m.variable,
  type: m.type,
  value: m.value,
  severity: m.severity,
  transaction: m.transaction,
  origin: m.origin,
  source: m.source,
  reportedAt: m.reportedAt.toISOString(),
});

export function deviceModelRoutes(services: { configuration: DeviceModelConfigurationService; reports: DeviceModelReportService; monitors: DeviceModelMonitorService }) {
  return (app: HttpApp): void => {
    const tags = ['device model'];
    app.get(
      '/stations/:id/configuration',
      {
        config: { access },
        schema: {
          tags,
          summary: 'A station\'s configuration as last learnt (1.6 keys; 2.x components and variables), with where and when each value came from',
          params: StationParams,
          querystring: Type.Object({
            component: Type.Optional(Type.String({ maxLength: 50, description: 'Component name (case-insensitive)' })),
            variable: Type.Optional(Type.String({ maxLength: 50, description: 'Variable name, or the 1.6 key (case-insensitive)' })),
            q: Type.Optional(Type.String({ maxLength: 100, description: 'Text searched in keys and values' })),
            ...Paging,
          }),
          response: {
            200: Type.Object({ stationId: Type.String(), ocppVersion: Nullable(Type.String()), items: Type.Array(Entry), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => {
        const { limit, offset, component, variable, q } = request.query;
        const page = await services.configuration.list(request.params.id, { limit, offset, component, variable, q });
        return { stationId: request.params.id, ocppVersion: page.ocppVersion, items: page.items.map(entryBody), total: page.total, limit, offset };
      },
    );
    app.get(
      '/stations/:id/reports',
      {
        config: { access },
        schema: {
          tags,
          summary: 'A station\'s report requests (base, filtered and monitoring reports), newest first, with the parts received',
          params: StationParams,
          querystring: Type.Object({ kind: Type.Optional(Type.Union(REPORT_KINDS.map((k) => Type.Literal(k)))), ...Paging }),
          response: { 200: Type.Object({ items: Type.Array(Report), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { limit, offset, kind } = request.query;
        const page = await services.reports.listReports(request.params.id, { kind: kind as ReportKind | undefined, limit, offset });
        return { items: page.items.map(reportBody), total: page.total, limit, offset };
      },
    );
    app.get(
      '/stations/:id/monitors',
      {
        config: { access },
        schema: {
          tags,
          summary: 'A station\'s monitors as last reported or set',
          params: StationParams,
          querystring: Type.Object(Paging),
          response: { 200: Type.Object({ items: Type.Array(MonitorBody), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const page = await services.monitors.list(request.params.id, { limit, offset });
        return { items: page.items.map(monitorBody), total: page.total, limit, offset };
      },
    );
  };
}
