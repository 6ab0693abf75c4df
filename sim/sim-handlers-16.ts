/**
 * Default answers to Central-System-initiated CALLs for an OCPP 1.6 station (1.6 chapter 5).
 * Each response is valid against the official 1.6 JSON schemas.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimConnectorRef, SimStationControl } from './sim-control.ts';
import { SimError, type SimPayload } from './sim-types.ts';

function str(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new SimError('FormationViolation', `${field} must be a string`);
  return value;
}

/** Fire-and-forget a follow-up message; failures only go to the log. */
function later(ctl: SimStationControl, what: string, job: () => Promise<unknown>): () => void {
  return () => {
    job().catch((err: unknown) => ctl.log(`${what} failed: ${(err as Error).message}`));
  };
}

export function defaultHandlers16(ctl: SimStationControl): Record<string, SimCallHandler> {
  const connectorRef = (n: number): SimConnectorRef => ({ evseId: n, connectorId: n });
  const validConnector = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= ctl.evses;

  return {
    /** 1.6 §5.8: no key -> all keys; requested but unknown keys go to unknownKey. */
    GetConfiguration: (p: SimPayload) => {
      const requested = Array.isArray(p.key) ? p.key.filter((k): k is string => typeof k === 'string') : [];
      const entries = requested.length === 0
        ? ctl.settings.list()
        : requested.flatMap((k) => ctl.settings.get(k) ?? []);
      const unknownKey = requested.filter((k) => !ctl.settings.get(k));
      const configurationKey = entries.map((e) => ({ key: e.name, readonly: e.readonly, value: e.value.slice(0, 500) }));
      return unknownKey.length > 0 ? { configurationKey, unknownKey } : { configurationKey };
    },

    /** 1.6 §5.3: unknown key -> NotSupported; read-only or badly formatted value -> Rejected. */
    ChangeConfiguration: (p: SimPayload) => {
      const outcome = ctl.settings.set(str(p.key, 'key'), str(p.value, 'value'));
      return { status: outcome === 'Unknown' ? 'NotSupported' : outcome };
    },

    /** 1.6 §5.14: Accepted, then stop running transactions (reason SoftReset / HardReset), reboot and boot again. */
    Reset: (p: SimPayload, ctx) => {
      const reason = p.type === 'Hard' ? 'HardReset' : 'SoftReset';
      ctx.afterReply(() => void ctl.endSessions(reason).finally(() => ctl.reboot('RemoteReset')));
      return { status: 'Accepted' };
    },

    /**
     * 1.6 §5.2: connectorId 0 addresses the whole Charge Point. After answering, the new
     * availability is reported with StatusNotification.
     */
    ChangeAvailability: (p: SimPayload, ctx) => {
      if (!validConnector(p.connectorId)) return { status: 'Rejected' };
      const status = p.type === 'Inoperative' ? 'Unavailable' : 'Available';
      const targets = p.connectorId === 0 ? ctl.connectors() : [connectorRef(p.connectorId)];
      for (const ref of targets) ctl.setStoredStatus(ref, status);
      ctx.afterReply(later(ctl, 'availability StatusNotification', () =>
        Promise.all(targets.map((ref) => ctl.reportStatus(ref, false)))));
      return { status: 'Accepted' };
    },

    /**
     * 1.6 §5.17: answer first, then send the requested message. The triggered message is allowed
     * even while Pending (§4.2).
     */
    TriggerMessage: (p: SimPayload, ctx) => {
      const connectorId = p.connectorId;
      if (connectorId !== undefined && !validConnector(connectorId)) return { status: 'Rejected' };
      let job: (() => Promise<unknown>) | undefined;
      switch (p.requestedMessage) {
        case 'BootNotification':
          job = () => ctl.sendBoot('Triggered');
          break;
        case 'Heartbeat':
          job = () => ctl.sendHeartbeat(true);
          break;
        case 'StatusNotification': {
          const refs = connectorId === undefined ? ctl.connectors() : [connectorRef(connectorId)];
          job = () => Promise.all(refs.map((ref) => ctl.reportStatus(ref, true)));
          break;
        }
        case 'DiagnosticsStatusNotification':
          job = () => ctl.send('DiagnosticsStatusNotification', { status: 'Idle' }, true);
          break;
        case 'FirmwareStatusNotification':
          job = () => ctl.send('FirmwareStatusNotification', { status: 'Idle' }, true);
          break;
        default:
          return { status: 'NotImplemented' };
      }
      ctx.afterReply(later(ctl, `triggered ${String(p.requestedMessage)}`, job));
      return { status: 'Accepted' };
    },

    /** 1.6 §5.4: the simulator keeps no authorization cache, so clearing always succeeds. */
    ClearCache: () => ({ status: 'Accepted' }),

    /** 1.6 §5.6: no vendor extensions are known. */
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
  };
}
