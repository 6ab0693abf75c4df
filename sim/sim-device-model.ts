/**
 * Device-model behaviour of a simulated OCPP 2.0.1 / 2.1 station: GetBaseReport and GetReport
 * are answered Accepted and followed by NotifyReport parts built from the station's settings
 * store; the monitoring messages (SetVariableMonitoring, ClearVariableMonitoring,
 * SetMonitoringBase, SetMonitoringLevel, GetMonitoringReport + NotifyMonitoringReport) work on
 * a small in-memory set of monitors. Every payload is valid against the 2.0.1 and 2.1 schemas.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimStationControl } from './sim-control.ts';
import type { SimSetting, SimSettingStore } from './sim-settings.ts';
import type { SimPayload } from './sim-types.ts';

/** What these handlers need of a station (a SimStationControl has it; a test can build it from a SimStation). */
export type SimDeviceModelControl = Pick<SimStationControl, 'version' | 'settings' | 'send' | 'log'>;

export interface SimDeviceModelOptions {
  /** Variables (or monitors) per NotifyReport (NotifyMonitoringReport) part; default 20. */
  partSize?: number;
  /** Part order, e.g. reversed to exercise out-of-order assembly; default in order. */
  order?: (parts: SimPayload[]) => SimPayload[];
}

export interface SimMonitor {
  id: number;
  component: { name: string; instance?: string };
  variable: { name: string; instance?: string };
  type: string;
  value: number;
  severity: number;
  transaction: boolean;
}

/** The monitors of each station's settings store (they live as long as the station's configuration). */
const monitorsOf = new WeakMap<SimSettingStore, Map<number, SimMonitor>>();
const monitorStore = (store: SimSettingStore) => monitorsOf.get(store) ?? monitorsOf.set(store, new Map()).get(store)!;

const SETTING = /^([^/[\]]+)(?:\[([^\]]+)\])?\/([^/[\]]+)(?:\[([^\]]+)\])?$/;

/** One setting as a 2.x ReportDataType. */
export function reportDataOf(setting: SimSetting): SimPayload | null {
  const m = SETTING.exec(setting.name);
  if (!m) return null;
  const [, component, componentInstance, variable, variableInstance] = m;
  return {
    component: { name: component, ...(componentInstance ? { instance: componentInstance } : {}) },
    variable: { name: variable, ...(variableInstance ? { instance: variableInstance } : {}) },
    variableAttribute: [{ type: 'Actual', value: setting.value.slice(0, 2500), mutability: setting.readonly ? 'ReadOnly' : 'ReadWrite', persistent: true, constant: setting.readonly }],
    variableCharacteristics: { dataType: setting.kind, supportsMonitoring: setting.kind === 'integer' },
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const same = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();

/** Whether a ReportDataType matches one of GetReport's componentVariable filters (none: everything). */
function matches(data: SimPayload, filters: unknown): boolean {
  if (!Array.isArray(filters) || filters.length === 0) return true;
  const c = asObject(data.component);
  const v = asObject(data.variable);
  return filters.some((f) => {
    const fc = asObject(asObject(f).component);
    const fv = asObject(f).variable === undefined ? null : asObject(asObject(f).variable);
    if (!same(fc.name, c.name) || (fc.instance !== undefined && !same(fc.instance, c.instance))) return false;
    return fv === null || (same(fv.name, v.name) && (fv.instance === undefined || same(fv.instance, v.instance)));
  });
}

function split<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** The parts of one multi-part report: seqNo from 0, tbc on every part but the last. */
function parts(requestId: number, listName: string, items: SimPayload[], size: number): SimPayload[] {
  const chunks = split(items, Math.max(1, size));
  const generatedAt = new Date().toISOString();
  return chunks.map((chunk, seqNo) => ({ requestId, generatedAt, seqNo, tbc: seqNo < chunks.length - 1, [listName]: chunk }));
}

export function deviceModelHandlers(ctl: SimDeviceModelControl, options: SimDeviceModelOptions = {}): Record<string, SimCallHandler> {
  const size = options.partSize ?? 20;
  const order = options.order ?? ((p: SimPayload[]) => p);
  const monitors = monitorStore(ctl.settings);
  let nextMonitorId = 1;
  const sendAll = (action: string, payloads: SimPayload[]) => async () => {
    for (const payload of order(payloads)) await ctl.send(action, payload, true);
  };
  const later = (what: string, job: () => Promise<unknown>) => () => void job().catch((err: unknown) => ctl.log(`${what} failed: ${(err as Error).message}`));

  const report = (p: SimPayload, filters: unknown, ctx: Parameters<SimCallHandler>[1]) => {
    const data = ctl.settings.list().map(reportDataOf).filter((d): d is SimPayload => d !== null && matches(d, filters));
    if (data.length === 0) return { status: 'EmptyResultSet' };
    ctx.afterReply(later('NotifyReport', sendAll('NotifyReport', parts(Number(p.requestId), 'reportData', data, size))));
    return { status: 'Accepted' };
  };

  const monitorData = (m: SimMonitor): SimPayload => ({
    component: m.component,
    variable: m.variable,
    variableMonitoring: [
      { id: m.id, transaction: m.transaction, value: m.value, type: m.type, severity: m.severity, ...(ctl.version === '2.1' ? { eventNotificationType: 'CustomMonitor' } : {}) },
    ],
  });

  return {
    /** B07: every report base lists the whole (small) device model. */
    GetBaseReport: (p, ctx) => report(p, undefined, ctx),
    /** B08: componentVariable filters apply; componentCriteria are not simulated (every component qualifies). */
    GetReport: (p, ctx) => report(p, p.componentVariable, ctx),
    /** N04: a monitor on a known variable is accepted and gets an id. */
    SetVariableMonitoring: (p) => {
      const items = Array.isArray(p.setMonitoringData) ? p.setMonitoringData.map(asObject) : [];
      return {
        setMonitoringResult: items.map((item) => {
          const component = asObject(item.component) as SimMonitor['component'];
          const variable = asObject(item.variable) as SimMonitor['variable'];
          const base = { type: item.type, severity: item.severity, component, variable };
          const known = ctl.settings.list().some((s) => same(s.name, `${component.name}/${variable.name}`));
          if (!known) return { status: 'UnknownVariable', ...base };
          const id = typeof item.id === 'number' ? item.id : nextMonitorId++;
          monitors.set(id, { id, component, variable, type: String(item.type), value: Number(item.value), severity: Number(item.severity), transaction: item.transaction === true });
          return { id, status: 'Accepted', ...base };
        }),
      };
    },
    /** N06 */
    ClearVariableMonitoring: (p) => ({
      clearMonitoringResult: (Array.isArray(p.id) ? p.id : []).map((id: number) => ({ id, status: monitors.delete(id) ? 'Accepted' : 'NotFound' })),
    }),
    /** N03: every base starts from no custom monitors here. */
    SetMonitoringBase: () => {
      monitors.clear();
      return { status: 'Accepted' };
    },
    /** N05 */
    SetMonitoringLevel: (p) => ({ status: typeof p.severity === 'number' && p.severity >= 0 && p.severity <= 9 ? 'Accepted' : 'Rejected' }),
    /** N02: the monitors, in parts. */
    GetMonitoringReport: (p, ctx) => {
      const data = [...monitors.values()].map(monitorData).filter((d) => matches(d, p.componentVariable));
      if (data.length === 0) return { status: 'EmptyResultSet' };
      ctx.afterReply(later('NotifyMonitoringReport', sendAll('NotifyMonitoringReport', parts(Number(p.requestId), 'monitor', data, size))));
      return { status: 'Accepted' };
    },
  };
}
