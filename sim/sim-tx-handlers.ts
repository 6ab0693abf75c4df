/**
 * Answers to the CSMS-initiated transaction calls: 1.6 RemoteStartTransaction (§5.11),
 * RemoteStopTransaction (§5.12), UnlockConnector (§5.18); 2.0.1 RequestStartTransaction (F01/F02),
 * RequestStopTransaction (F03), UnlockConnector (F05), GetTransactionStatus (E14).
 * The answer is written first; the session work follows in afterReply, as a station would do it.
 */
import type { SimStationControl } from './sim-control.ts';
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimSessions } from './sim-sessions.ts';
import { authorizeRemoteStart } from './sim-tx-policy.ts';
import { SimError, type SimPayload, type SimStopReason } from './sim-types.ts';

function later(ctl: SimStationControl, what: string, job: () => Promise<unknown>): () => void {
  return () => {
    job().catch((err: unknown) => ctl.log(`${what} failed: ${(err as Error).message}`));
  };
}

function need<T>(ok: boolean, value: unknown, field: string, code: string): T {
  if (!ok) throw new SimError(code, `${field} is missing or malformed`);
  return value as T;
}

/** Remote starts of one station: which EVSE to use, and the start itself (1.6 §5.11, 2.0.1 F01/F02). */
class RemoteStarter {
  private readonly pending = new Set<number>();

  constructor(private readonly sessions: SimSessions, private readonly ctl: SimStationControl) {}

  /** The requested EVSE if free, else (none requested) the first free one; undefined when none fits. */
  target(evseId?: number): number | undefined {
    const free = (n: number): boolean => !this.pending.has(n) && this.sessions.get(n)?.idToken === undefined;
    if (evseId !== undefined) return Number.isInteger(evseId) && evseId >= 1 && evseId <= this.ctl.evses && free(evseId) ? evseId : undefined;
    for (let n = 1; n <= this.ctl.evses; n++) if (free(n)) return n;
    return undefined;
  }

  /** Authorize first only when configured to (AuthorizeRemoteTxRequests / AuthorizeRemoteStart), then start. */
  async start(evseId: number, idToken: string, o: { type?: string; remoteStartId?: number } = {}): Promise<void> {
    this.pending.add(evseId);
    try {
      if (authorizeRemoteStart(this.ctl.version, this.ctl.settings)) {
        const { status } = await this.sessions.authorize(idToken, o.type);
        if (status !== 'Accepted') {
          this.ctl.log(`remote start on evse ${evseId}: token ${idToken} ${status}, not starting`);
          return;
        }
      }
      await this.sessions.startCharging(evseId, idToken, { ...o, triggerReason: 'RemoteStart' });
    } finally {
      this.pending.delete(evseId);
    }
  }
}

/** Stop whatever runs on the EVSE (reason), then release the cable (Available). */
async function unlock(sessions: SimSessions, evseId: number, reason: SimStopReason): Promise<void> {
  if (sessions.get(evseId)) await sessions.stopCharging(evseId, { reason });
  if (sessions.isPluggedIn(evseId)) await sessions.unplug(evseId);
}

export function sessionHandlers16(sessions: SimSessions, ctl: SimStationControl): Record<string, SimCallHandler> {
  const bad = 'FormationViolation';
  const remote = new RemoteStarter(sessions, ctl);
  return {
    /** §5.11: Accepted when a connector is free; Authorize first only if AuthorizeRemoteTxRequests is true. */
    RemoteStartTransaction: (p: SimPayload, ctx) => {
      const idTag = need<string>(typeof p.idTag === 'string', p.idTag, 'idTag', bad);
      const requested = p.connectorId === undefined ? undefined : need<number>(typeof p.connectorId === 'number', p.connectorId, 'connectorId', bad);
      const target = requested === 0 ? undefined : remote.target(requested);
      if (target === undefined) return { status: 'Rejected' };
      ctx.afterReply(later(ctl, 'remote start', () => remote.start(target, idTag)));
      return { status: 'Accepted' };
    },

    /** §5.12: Accepted only for a transaction that is running here. */
    RemoteStopTransaction: (p: SimPayload, ctx) => {
      const id = need<number>(typeof p.transactionId === 'number', p.transactionId, 'transactionId', bad);
      const s = sessions.find(String(id));
      if (!s || sessions.faults.rejectStop) return { status: 'Rejected' };
      ctx.afterReply(later(ctl, 'remote stop', () => sessions.stopCharging(s.evseId, { reason: 'Remote' })));
      return { status: 'Accepted' };
    },

    /** §5.18: a running transaction is stopped first (reason UnlockCommand); unknown connectors are NotSupported. */
    UnlockConnector: (p: SimPayload, ctx) => {
      const n = need<number>(typeof p.connectorId === 'number', p.connectorId, 'connectorId', bad);
      if (!Number.isInteger(n) || n < 1 || n > ctl.evses) return { status: 'NotSupported' };
      if (sessions.faults.unlockFails) return { status: 'UnlockFailed' };
      ctx.afterReply(later(ctl, 'unlock', () => unlock(sessions, n, 'UnlockCommand')));
      return { status: 'Unlocked' };
    },
  };
}

export function sessionHandlers2x(sessions: SimSessions, ctl: SimStationControl): Record<string, SimCallHandler> {
  const bad = 'FormatViolation';
  const remote = new RemoteStarter(sessions, ctl);
  return {
    /**
     * F01/F02: Accepted when an EVSE is free. When the transaction already started at plug-in, its id
     * is returned (F02) and the token is added with an Updated event (triggerReason RemoteStart).
     */
    RequestStartTransaction: (p: SimPayload, ctx) => {
      const token = need<{ idToken: string; type: string }>(
        typeof p.idToken === 'object' && p.idToken !== null, p.idToken, 'idToken', bad);
      const remoteStartId = need<number>(typeof p.remoteStartId === 'number', p.remoteStartId, 'remoteStartId', bad);
      const target = remote.target(typeof p.evseId === 'number' ? p.evseId : undefined);
      if (target === undefined) return { status: 'Rejected' };
      const running = sessions.get(target)?.transactionId;
      ctx.afterReply(later(ctl, 'remote start', () =>
        remote.start(target, String(token.idToken), { type: String(token.type), remoteStartId })));
      return running === undefined ? { status: 'Accepted' } : { status: 'Accepted', transactionId: running };
    },

    /** F03: Accepted for a transaction that is running here, else Rejected. */
    RequestStopTransaction: (p: SimPayload, ctx) => {
      const id = need<string>(typeof p.transactionId === 'string', p.transactionId, 'transactionId', bad);
      const s = sessions.find(id);
      if (!s || sessions.faults.rejectStop) return { status: 'Rejected' };
      ctx.afterReply(later(ctl, 'remote stop', () => sessions.stopCharging(s.evseId, { reason: 'Remote' })));
      return { status: 'Accepted' };
    },

    /** F05: refused while an authorized transaction runs (OngoingAuthorizedTransaction); an unauthorized one is ended. */
    UnlockConnector: (p: SimPayload, ctx) => {
      const evseId = need<number>(typeof p.evseId === 'number', p.evseId, 'evseId', bad);
      const connectorId = need<number>(typeof p.connectorId === 'number', p.connectorId, 'connectorId', bad);
      try {
        ctl.ref(evseId, connectorId);
      } catch {
        return { status: 'UnknownConnector' };
      }
      if (sessions.faults.unlockFails) return { status: 'UnlockFailed' };
      if (sessions.get(evseId)?.idToken !== undefined) return { status: 'OngoingAuthorizedTransaction' };
      ctx.afterReply(later(ctl, 'unlock', () => unlock(sessions, evseId, 'UnlockCommand')));
      return { status: 'Unlocked' };
    },

    /** E14: is the transaction still running, and are messages of it (or any, without id) still queued? */
    GetTransactionStatus: (p: SimPayload) =>
      sessions.transactionStatus(typeof p.transactionId === 'string' ? p.transactionId : undefined),
  };
}
