/**
 * Default answers to CSMS-initiated CALLs for an OCPP 2.0.1 / 2.1 station.
 * Each response is valid against the official 2.0.1 and 2.1 JSON schemas.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimConnectorRef, SimStationControl } from './sim-control.ts';
import { hasComponent, variableKey, type SimSetting, type SimSettingStore } from './sim-settings.ts';
import type { SimPayload } from './sim-types.ts';

interface ComponentRef { name: string; instance?: string; evse?: unknown }
interface VariableRef { name: string; instance?: string }

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function readRefs(item: Record<string, unknown>): { component: ComponentRef; variable: VariableRef } {
  const c = asObject(item.component);
  const v = asObject(item.variable);
  return {
    component: c as unknown as ComponentRef,
    variable: v as unknown as VariableRef,
  };
}

type Lookup =
  | { found: true; key: string; setting: SimSetting }
  | { found: false; status: 'UnknownComponent' | 'UnknownVariable' };

/** Resolve one component/variable pair to a stored setting or to the 2.0.1 "unknown" status. */
function lookup(store: SimSettingStore, component: ComponentRef, variable: VariableRef): Lookup {
  const key = variableKey(String(component.name), String(variable.name), component.instance, variable.instance);
  const setting = store.get(key);
  if (setting) return { found: true, key, setting };
  const known = hasComponent(store, String(component.name), component.instance);
  return { found: false, status: known ? 'UnknownVariable' : 'UnknownComponent' };
}

type Resolved =
  | { answer: Record<string, unknown> }
  | { answer?: undefined; key: string; setting: SimSetting; base: Record<string, unknown> };

/**
 * The common first half of B05/B06 for one item: only the Actual attribute
 * exists here, and unknown components/variables are answered as such.
 */
function resolveItem(store: SimSettingStore, item: Record<string, unknown>): Resolved {
  const { component, variable } = readRefs(item);
  const attributeType = typeof item.attributeType === 'string' ? item.attributeType : undefined;
  const base = { component, variable, ...(attributeType ? { attributeType } : {}) };
  if (attributeType && attributeType !== 'Actual') return { answer: { attributeStatus: 'NotSupportedAttributeType', ...base } };
  const found = lookup(store, component, variable);
  if (!found.found) return { answer: { attributeStatus: found.status, ...base } };
  return { key: found.key, setting: found.setting, base };
}

function later(ctl: SimStationControl, what: string, job: () => Promise<unknown>): () => void {
  return () => {
    job().catch((err: unknown) => ctl.log(`${what} failed: ${(err as Error).message}`));
  };
}

export function defaultHandlers2x(ctl: SimStationControl): Record<string, SimCallHandler> {
  const knownEvse = (id: unknown): id is number =>
    typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= ctl.evses;
  const knownConnector = (id: unknown): id is number =>
    typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= ctl.connectorsPerEvse;

  /** Connectors addressed by an optional EVSEType {id, connectorId?}; undefined when it names none of ours. */
  const targetsOf = (evse: unknown): SimConnectorRef[] | undefined => {
    if (evse === undefined) return ctl.connectors();
    const e = asObject(evse);
    if (e.id === 0 && e.connectorId === undefined) return ctl.connectors(); // evse 0 = whole station
    if (!knownEvse(e.id)) return undefined;
    if (e.connectorId === undefined) return ctl.connectors().filter((r) => r.evseId === e.id);
    if (!knownConnector(e.connectorId)) return undefined;
    return [{ evseId: e.id, connectorId: e.connectorId }];
  };

  return {
    /** B06 Get Variables: only the Actual attribute exists in this device model. */
    GetVariables: (p: SimPayload) => {
      const items = Array.isArray(p.getVariableData) ? p.getVariableData.map(asObject) : [];
      const getVariableResult = items.map((item) => {
        const resolved = resolveItem(ctl.settings, item);
        if (resolved.answer) return resolved.answer;
        return { attributeStatus: 'Accepted', attributeValue: resolved.setting.value.slice(0, 2500), ...resolved.base };
      });
      return { getVariableResult };
    },

    /** B05 Set Variables: read-only or badly formatted values are Rejected. */
    SetVariables: (p: SimPayload) => {
      const items = Array.isArray(p.setVariableData) ? p.setVariableData.map(asObject) : [];
      const setVariableResult = items.map((item) => {
        const resolved = resolveItem(ctl.settings, item);
        if (resolved.answer) return resolved.answer;
        const outcome = ctl.settings.set(resolved.key, String(item.attributeValue ?? ''));
        return { attributeStatus: outcome === 'Accepted' ? 'Accepted' : 'Rejected', ...resolved.base };
      });
      return { setVariableResult };
    },

    /**
     * B11/B12 Reset: without transactions OnIdle and Immediate are the same. Resetting a single EVSE is
     * optional in 2.0.1 and not simulated (Rejected).
     */
    Reset: (p: SimPayload, ctx) => {
      if (p.evseId !== undefined) return { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest' } };
      // B11.FR.05/06: running transactions end (stoppedReason ImmediateReset) before the reboot.
      ctx.afterReply(() => void ctl.endSessions('ImmediateReset').finally(() => ctl.reboot('RemoteReset')));
      return { status: 'Accepted' };
    },

    /** G03/G04 Change Availability; the new state is reported with StatusNotification afterwards. */
    ChangeAvailability: (p: SimPayload, ctx) => {
      const targets = targetsOf(p.evse);
      if (!targets) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } };
      const status = p.operationalStatus === 'Inoperative' ? 'Unavailable' : 'Available';
      for (const ref of targets) ctl.setStoredStatus(ref, status);
      ctx.afterReply(later(ctl, 'availability StatusNotification', () =>
        Promise.all(targets.map((ref) => ctl.reportStatus(ref, false)))));
      return { status: 'Accepted' };
    },

    /** F06 Trigger Message: respond first, then send the message (F06.FR.04). */
    TriggerMessage: (p: SimPayload, ctx) => {
      const targets = targetsOf(p.evse);
      if (!targets) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } };
      let job: (() => Promise<unknown>) | undefined;
      switch (p.requestedMessage) {
        case 'BootNotification':
          // F06.FR.17: refuse when the last BootNotificationResponse was already Accepted.
          if (ctl.registration() === 'Accepted') return { status: 'Rejected' };
          job = () => ctl.sendBoot('Triggered');
          break;
        case 'Heartbeat':
          job = () => ctl.sendHeartbeat(true);
          break;
        case 'StatusNotification':
          job = () => Promise.all(targets.map((ref) => ctl.reportStatus(ref, true)));
          break;
        case 'FirmwareStatusNotification':
          job = () => ctl.send('FirmwareStatusNotification', { status: 'Idle' }, true);
          break;
        case 'LogStatusNotification':
          job = () => ctl.send('LogStatusNotification', { status: 'Idle' }, true);
          break;
        default:
          return { status: 'NotImplemented' };
      }
      ctx.afterReply(later(ctl, `triggered ${String(p.requestedMessage)}`, job));
      return { status: 'Accepted' };
    },

    /** C11 Clear Authorization Data in Authorization Cache: there is no cache, so it is trivially cleared. */
    ClearCache: () => ({ status: 'Accepted' }),

    /** P01 Data Transfer: no vendor extensions are known. */
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
  };
}
