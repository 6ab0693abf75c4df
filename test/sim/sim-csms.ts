/**
 * A strict, independent CSMS for the session tests: ocpp-rpc's RPCServer in strict mode validates every
 * frame the simulator sends and every answer it gives against the official OCPP JSON schemas, and answers
 * the transaction messages the way a CSMS would (1.6 numbers transactions; tokens in `invalidTokens` are refused).
 */
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import { ocpp21Validator } from '../support/ocpp21-validator.ts';
import { SimStation, type SimStationOptions } from '../../sim/index.ts';

export interface Seen { identity: string; method: string; params: any }

export interface Csms {
  url: string;
  seen: Seen[];
  /** Schema violations reported by ocpp-rpc strict mode: must stay empty. */
  violations: unknown[];
  clients: Map<string, any>;
  /** Next transactionId a 1.6 StartTransaction gets. */
  nextTxId: number;
  invalidTokens: Set<string>;
  of(identity: string, method?: string): Seen[];
  /** Messages of one station after the n-th BootNotification (1-based), boot excluded. */
  afterBoot(identity: string, n: number): Seen[];
  close(): Promise<void>;
}

export async function startCsms(): Promise<Csms> {
  const server = new RPCServer({
    protocols: ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'],
    strictMode: true,
    strictModeValidators: [ocpp21Validator()],
  } as any);
  const csms: Csms = {
    url: '',
    seen: [],
    violations: [],
    clients: new Map(),
    nextTxId: 100,
    invalidTokens: new Set(),
    of: (identity, method) => csms.seen.filter((s) => s.identity === identity && (!method || s.method === method)),
    afterBoot: (identity, n) => {
      const all = csms.of(identity);
      const boots = all.flatMap((m, i) => (m.method === 'BootNotification' ? [i] : []));
      return all.slice((boots[n - 1] ?? all.length) + 1, boots[n] ?? all.length);
    },
    close: () => server.close({ force: true }),
  };
  const status = (token: unknown): string => (csms.invalidTokens.has(String(token)) ? 'Invalid' : 'Accepted');
  server.on('client', (client: any) => {
    csms.clients.set(client.identity, client);
    client.on('strictValidationFailure', (e: unknown) => csms.violations.push(e));
    client.handle(({ method, params }: { method: string; params: any }) => {
      csms.seen.push({ identity: client.identity, method, params });
      const now = new Date().toISOString();
      switch (method) {
        case 'BootNotification': return { status: 'Accepted', interval: 300, currentTime: now };
        case 'Heartbeat': return { currentTime: now };
        case 'Authorize':
          return client.protocol === 'ocpp1.6'
            ? { idTagInfo: { status: status(params.idTag) } }
            : { idTokenInfo: { status: status(params.idToken.idToken) } };
        case 'StartTransaction': return { transactionId: csms.nextTxId++, idTagInfo: { status: status(params.idTag) } };
        case 'StopTransaction': return params.idTag ? { idTagInfo: { status: status(params.idTag) } } : {};
        case 'TransactionEvent': return params.idToken ? { idTokenInfo: { status: status(params.idToken.idToken) } } : {};
        default: return {};
      }
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  csms.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  return csms;
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function station(csms: Csms, options: Partial<SimStationOptions> & Pick<SimStationOptions, 'id' | 'version'>): SimStation {
  return new SimStation({ url: csms.url, reconnect: { minMs: 20, maxMs: 100 }, callTimeoutMs: 3000, resetDelayMs: 20, ...options });
}

/** [method, short description] of each message, for readable sequence assertions. */
export function trace(messages: Seen[]): string[] {
  return messages.map((m) => {
    const p = m.params;
    switch (m.method) {
      case 'StatusNotification':
        return p.status ? `Status ${p.connectorId} ${p.status}` : `Status ${p.evseId}/${p.connectorId} ${p.connectorStatus}`;
      case 'TransactionEvent': return `TE ${p.eventType} ${p.seqNo} ${p.triggerReason}${p.offline ? ' offline' : ''}`;
      case 'StartTransaction': return `Start ${p.connectorId}`;
      case 'MeterValues': return `MeterValues ${p.transactionId}`;
      case 'StopTransaction': return `Stop ${p.transactionId} ${p.reason}`;
      default: return m.method;
    }
  });
}
