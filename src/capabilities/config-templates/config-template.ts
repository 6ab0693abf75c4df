/**
 * Configuration templates core: the settings an operator wants on a set of stations
 * (per tenant, per site, per vendor and model), which template wins for a station, how
 * a station's reported values compare with them, and the state of one reconciliation.
 *
 * Keys are the command API's: an OCPP 1.6 key ("HeartbeatInterval") applies to 1.6
 * stations, a 2.x "Component/Variable" ("OCPPCommCtrlr/HeartbeatInterval") to 2.0.1 and
 * 2.1 stations; one template may hold both for a mixed fleet. Pure: no I/O, no clock.
 */

export interface TemplateSetting {
  key: string;
  value: string;
}

/** Which stations a template applies to: every criterion given must match; none given is the whole tenant. */
export interface TemplateMatch {
  siteId?: string;
  vendor?: string;
  model?: string;
}

export interface ConfigTemplate {
  id: string;
  tenantId: string;
  name: string;
  match: TemplateMatch;
  settings: TemplateSetting[];
  createdAt: Date;
  updatedAt: Date;
}

/** What the CSMS knows of a station when it reconciles it. */
export interface StationFacts {
  stationId: string;
  tenantId: string;
  siteId: string | null;
  vendor: string | null;
  model: string | null;
  /** '1.6' or a 2.x version: which key family applies. */
  ocppVersion: string;
}

/** The settings that apply to one station, each with the template that won it. */
export interface DesiredSetting extends TemplateSetting {
  templateId: string;
}

/** A 2.x device-model key names a component and a variable; a 1.6 key does not. */
export const isDeviceModelKey = (key: string): boolean => key.includes('/');

export function keyAppliesTo(key: string, ocppVersion: string): boolean {
  return ocppVersion === '1.6' ? !isDeviceModelKey(key) : isDeviceModelKey(key);
}

export function matches(template: ConfigTemplate, station: StationFacts): boolean {
  if (template.tenantId !== station.tenantId) return false;
  const { siteId, vendor, model } = template.match;
  if (siteId !== undefined && siteId !== station.siteId) return false;
  if (vendor !== undefined && vendor !== station.vendor) return false;
  if (model !== undefined && model !== station.model) return false;
  return true;
}

/** How specific a template is: a site outranks a vendor or model, both outrank the whole tenant. */
export function specificity(match: TemplateMatch): number {
  return (match.siteId !== undefined ? 4 : 0) + (match.model !== undefined ? 2 : 0) + (match.vendor !== undefined ? 1 : 0);
}

/**
 * Per key, the value of the most specific matching template; between equally specific ones the
 * most recently changed wins (then the smaller id, so the answer never depends on load order).
 */
export function desiredSettings(templates: readonly ConfigTemplate[], station: StationFacts): DesiredSetting[] {
  const ranked = templates
    .filter((t) => matches(t, station))
    .sort((a, b) => specificity(b.match) - specificity(a.match) || b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? -1 : 1));
  const chosen = new Map<string, DesiredSetting>();
  for (const template of ranked) {
    for (const setting of template.settings) {
      if (!keyAppliesTo(setting.key, station.ocppVersion) || chosen.has(setting.key)) continue;
      chosen.set(setting.key, { ...setting, templateId: template.id });
    }
  }
  return [...chosen.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/**
 * Whether a reported value already is the desired one. Stations differ in spelling:
 * booleans in any case, numbers with or without a fraction ("60" and "60.0"), spaces around
 * comma-separated lists; anything else compares exactly.
 */
export function sameValue(desired: string, actual: string): boolean {
  const a = desired.trim();
  const b = actual.trim();
  if (a === b) return true;
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  if ((lowerA === 'true' || lowerA === 'false') && lowerA === lowerB) return true;
  if (a !== '' && b !== '' && Number.isFinite(Number(a)) && Number(a) === Number(b)) return true;
  if (a.includes(',') || b.includes(',')) {
    const list = (s: string) => s.split(',').map((p) => p.trim()).join(',');
    return list(a) === list(b);
  }
  return false;
}

/**
 * One key's state in a reconciliation:
 * reading -> in-sync | applying -> applied | applied-reboot-required | rejected | failed;
 * reading -> unknown-key (the station has no such setting) | read-only (differs, cannot be changed) | unreadable.
 */
export type DriftState = 'reading' | 'in-sync' | 'applying' | 'applied' | 'applied-reboot-required' | 'rejected' | 'failed' | 'unknown-key' | 'read-only' | 'unreadable';

export const FINAL_DRIFT_STATES: readonly DriftState[] = ['in-sync', 'applied', 'applied-reboot-required', 'rejected', 'failed', 'unknown-key', 'read-only', 'unreadable'];

export interface DriftItem {
  key: string;
  desired: string;
  /** What the station reported before reconciling; null when it did not report it. */
  actual: string | null;
  templateId: string;
  state: DriftState;
  /** The station's answer or the failure, for the states that have one. */
  detail?: string;
  /** The command reading or applying it. */
  commandId?: string;
}

/** What the station answered to reading the keys. */
export interface ReadResult {
  values: ReadonlyMap<string, { value: string | null; readonly: boolean | null }>;
  unknownKeys: ReadonlySet<string>;
}

/** After reading: each item in sync, to apply, or not appliable (unknown, read-only, unreadable). */
export function compare(items: readonly DriftItem[], read: ReadResult): DriftItem[] {
  return items.map((item) => {
    const reported = read.values.get(item.key);
    if (!reported) {
      return read.unknownKeys.has(item.key) ? { ...item, state: 'unknown-key', actual: null } : { ...item, state: 'unreadable', actual: null, detail: 'the station did not report this key' };
    }
    const actual = reported.value;
    if (actual !== null && sameValue(item.desired, actual)) return { ...item, actual, state: 'in-sync' };
    if (reported.readonly === true) return { ...item, actual, state: 'read-only' };
    return { ...item, actual, state: 'applying' };
  });
}

/** A reconciliation is done when every key reached a final state. */
export function isSettled(items: readonly DriftItem[]): boolean {
  return items.every((item) => FINAL_DRIFT_STATES.includes(item.state));
}

/** The counts an operator reads first. `drifted` keys differed from the template when read. */
export function summariseDrift(items: readonly DriftItem[]): { total: number; inSync: number; drifted: number; fixed: number; notFixed: number } {
  const count = (...states: DriftState[]) => items.filter((i) => states.includes(i.state)).length;
  const fixed = count('applied', 'applied-reboot-required');
  const notFixed = count('rejected', 'failed', 'read-only', 'unknown-key', 'unreadable');
  return { total: items.length, inSync: count('in-sync'), drifted: items.length - count('in-sync', 'reading'), fixed, notFixed };
}

/** Keys read per command: a 2.x GetVariables is bounded by the station's ItemsPerMessage; 50 is below every limit seen. */
export const KEYS_PER_READ = 50;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
