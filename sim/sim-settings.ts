/**
 * In-memory configuration of a simulated station: OCPP 1.6 configuration keys (1.6 §9) and a tiny
 * OCPP 2.x device model (component/variable pairs, 2.0.1 Part 1 "Device model", Part 2 B05-B07).
 * Names are matched case-insensitively (2.0.1 ComponentType/VariableType names are case-insensitive).
 */

export type SimSettingKind = 'integer' | 'boolean' | 'string';

export interface SimSetting {
  /** Display name: the 1.6 key, or "Component/Variable" for 2.x. */
  name: string;
  value: string;
  readonly: boolean;
  kind: SimSettingKind;
}

export type SimSetOutcome = 'Accepted' | 'Rejected' | 'Unknown';

export class SimSettingStore {
  private readonly entries = new Map<string, SimSetting>();
  private readonly listeners: Array<(name: string, value: string) => void> = [];

  define(name: string, value: string, options: { readonly?: boolean; kind?: SimSettingKind } = {}): this {
    this.entries.set(name.toLowerCase(), {
      name, value, readonly: options.readonly ?? false, kind: options.kind ?? 'string',
    });
    return this;
  }

  get(name: string): SimSetting | undefined {
    return this.entries.get(name.toLowerCase());
  }

  list(): SimSetting[] {
    return [...this.entries.values()];
  }

  /** Called after a successful write (by the CSMS or by the station itself) with the display name. */
  onChange(listener: (name: string, value: string) => void): void {
    this.listeners.push(listener);
  }

  /** Write as the CSMS would: read-only entries and values of the wrong kind are Rejected. */
  set(name: string, value: string): SimSetOutcome {
    const entry = this.get(name);
    if (!entry) return 'Unknown';
    if (entry.readonly || !valid(entry.kind, value)) return 'Rejected';
    this.write(entry, value);
    return 'Accepted';
  }

  /** Write from inside the station (e.g. the heartbeat interval from BootNotification), ignoring readonly. */
  setInternal(name: string, value: string): void {
    const entry = this.get(name);
    if (entry && entry.value !== value) this.write(entry, value);
  }

  private write(entry: SimSetting, value: string): void {
    entry.value = value;
    for (const listener of this.listeners) listener(entry.name, value);
  }
}

function valid(kind: SimSettingKind, value: string): boolean {
  if (kind === 'integer') return /^\d{1,9}$/.test(value.trim());
  if (kind === 'boolean') return value === 'true' || value === 'false';
  return true;
}

/** Key of a 2.x variable: component and variable names with their optional instances. */
export function variableKey(component: string, variable: string, componentInstance?: string, variableInstance?: string): string {
  const c = componentInstance ? `${component}[${componentInstance}]` : component;
  const v = variableInstance ? `${variable}[${variableInstance}]` : variable;
  return `${c}/${v}`;
}

/** True when a boolean setting exists and reads 'true' (case-insensitive). */
export function settingOn(store: SimSettingStore, name: string): boolean {
  return store.get(name)?.value.trim().toLowerCase() === 'true';
}

/** Name of the heartbeat interval setting in each dialect. */
export const HEARTBEAT_KEY_16 = 'HeartbeatInterval';
export const HEARTBEAT_KEY_2X = variableKey('OCPPCommCtrlr', 'HeartbeatInterval');

/** A handful of 1.6 Core-profile keys (1.6 §9.1) so GetConfiguration has something real to return. */
export function createConfiguration16(connectors: number, heartbeatSec: number): SimSettingStore {
  return new SimSettingStore()
    .define(HEARTBEAT_KEY_16, String(heartbeatSec), { kind: 'integer' })
    .define('ConnectionTimeOut', '60', { kind: 'integer' })
    .define('MeterValueSampleInterval', '60', { kind: 'integer' })
    .define('AuthorizeRemoteTxRequests', 'false', { kind: 'boolean' })
    .define('LocalPreAuthorize', 'false', { kind: 'boolean' })
    // Offline authorization (1.6 §3.4 / §9.1): the simulator has no local list or cache, so every token
    // is unknown while offline and may start only when both keys are true (default, so tests can start offline).
    .define('LocalAuthorizeOffline', 'true', { kind: 'boolean' })
    .define('AllowOfflineTxForUnknownId', 'true', { kind: 'boolean' })
    .define('StopTransactionOnInvalidId', 'true', { kind: 'boolean' })
    .define('NumberOfConnectors', String(connectors), { readonly: true, kind: 'integer' })
    .define('SupportedFeatureProfiles', 'Core,RemoteTrigger', { readonly: true });
}

/** A handful of 2.x device-model variables (2.0.1 Part 2 appendix "Controller components"). */
export function createDeviceModel2x(identity: string, securityProfile: number, heartbeatSec: number): SimSettingStore {
  return new SimSettingStore()
    .define(HEARTBEAT_KEY_2X, String(heartbeatSec), { kind: 'integer' })
    .define(variableKey('OCPPCommCtrlr', 'OfflineThreshold'), '60', { kind: 'integer' })
    .define(variableKey('TxCtrlr', 'EVConnectionTimeOut'), '60', { kind: 'integer' })
    .define(variableKey('SampledDataCtrlr', 'TxUpdatedInterval'), '60', { kind: 'integer' })
    .define(variableKey('AlignedDataCtrlr', 'Interval'), '0', { kind: 'integer' })
    .define(variableKey('AuthCtrlr', 'AuthorizeRemoteStart'), 'true', { kind: 'boolean' })
    // C15 Offline authorization of unknown ids; default true so tests can start sessions offline.
    .define(variableKey('AuthCtrlr', 'OfflineTxForUnknownIdEnabled'), 'true', { kind: 'boolean' })
    // E01 / E06: the transaction starts at plug-in (EVConnected) or at authorization, whichever comes first.
    .define(variableKey('TxCtrlr', 'TxStartPoint'), 'EVConnected,Authorized')
    .define(variableKey('TxCtrlr', 'TxStopPoint'), 'EVConnected,Authorized')
    .define(variableKey('TxCtrlr', 'StopTxOnInvalidId'), 'true', { kind: 'boolean' })
    .define(variableKey('SecurityCtrlr', 'Identity'), identity.slice(0, 48), { readonly: true })
    .define(variableKey('SecurityCtrlr', 'SecurityProfile'), String(securityProfile), { readonly: true, kind: 'integer' });
}

/** True when some stored 2.x variable belongs to this component (to tell UnknownComponent from UnknownVariable). */
export function hasComponent(store: SimSettingStore, component: string, instance?: string): boolean {
  const prefix = `${instance ? `${component}[${instance}]` : component}/`.toLowerCase();
  return store.list().some((s) => s.name.toLowerCase().startsWith(prefix));
}
