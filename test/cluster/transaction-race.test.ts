/**
 * Guarded transaction writes across nodes (issue 12): node A (holding the stuck-sweep lease)
 * force-closes a session while the station, connected to node B, sends its real stop. Each
 * race is made to happen by holding one node between its read and its write. Whichever node
 * writes second re-reads and decides again, so the station's stop survives both orders.
 * Two Chargebridge instances in this process on one PostgreSQL database and one NATS.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { postgresUrl, throwAwayDatabase } from '../support/storage-targets.ts';
import { natsUrl } from '../support/cluster-targets.ts';

const skip = !postgresUrl ? 'set CHARGEBRIDGE_TEST_DATABASE_URL to run the transaction race tests (PostgreSQL)' : !natsUrl ? 'set CHARGEBRIDGE_TEST_NATS_URL to run the transaction race tests (NATS)' : false;
const run = Date.now().toString(36);

/** Holds calls of `method` on `target` until released; `reached` resolves when the first one arrives. */
function holdMethod(target: Record<string, any>, method: string) {
  const original = target[method].bind(target);
  let release!: () => void;
  let arrived!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  target[method] = async (...args: unknown[]) => {
    target[method] = original;
    arrived();
    await gate;
    return original(...args);
  };
  return { reached, release };
}

describe('a force close and a real stop racing on two nodes', { skip }, () => {
  let database: { url: string; drop(): Promise<void> };
  let a: TestServer;
  let b: TestServer;
  const clients: RPCClient[] = [];

  before(async () => {
    database = await throwAwayDatabase(postgresUrl as string);
    const node = (name: string) => startTestServer({ cluster: { natsUrl, nodeId: `race-${name}-${run}`, heartbeatSec: 0.25, nodeTtlSec: 1.5 }, stuck: { enabled: false } }, { postgresUrl: database.url });
    a = await node('a');
    b = await node('b');
    await a.api('POST', '/api/v1/tokens', { idToken: 'RACE-TAG' });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  /** A 1.6 session on node B: started at 1000 Wh, one sample at 1500 Wh. Returns the client, the OCPP id and our id. */
  async function sessionOnB(name: string) {
    const client = await strictRpcClient(b.ocppUrl, `RACE-${name}-${run}`, 'ocpp1.6');
    clients.push(client);
    const now = () => new Date().toISOString();
    const start: any = await client.call('StartTransaction', { connectorId: 1, idTag: 'RACE-TAG', meterStart: 1000, timestamp: now() });
    await client.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: now(), sampledValue: [{ value: '1500' }] }] });
    const [tx] = (await b.api('GET', `/api/v1/transactions?stationId=RACE-${name}-${run}`)).body.items;
    const stop = () => client.call('StopTransaction', { transactionId: start.transactionId, meterStop: 2000, timestamp: now(), reason: 'Local' });
    return { id: tx.id as string, stop };
  }

  const stored = async (id: string) => (await a.api('GET', `/api/v1/transactions/${id}`)).body;

  test('the stop lands between the close\'s read and write: the close is decided again and does nothing', async () => {
    const session = await sessionOnB('CLOSE-LOSES');
    const held = holdMethod((a.app.transactions as any).repo, 'closeEvidence');
    const closing = a.app.transactions.forceClose(session.id, { reason: 'stuck', endedAt: null, key: `race-close:${run}` });
    await held.reached;
    await session.stop();
    held.release();
    assert.equal(await closing, null, 'nothing closed: the station closed it');
    const tx = await stored(session.id);
    assert.deepEqual([tx.state, tx.stopReason, tx.meterStopWh, tx.energyWh, tx.flags], ['completed', 'Local', 2000, 1000, []]);
    assert.ok(!tx.timeline.some((e: any) => e.kind === 'force-closed'), 'no force-closed entry');
  });

  test('the close lands between the stop\'s read and write: the stop is merged again over the close and corrects it', async () => {
    const session = await sessionOnB('STOP-LOSES');
    const held = holdMethod((b.app.transactions as any).repo, 'recordEvent');
    const stopping = session.stop();
    await held.reached;
    const closed = await a.app.transactions.forceClose(session.id, { reason: 'stuck', endedAt: null, key: `race-close-2:${run}` });
    assert.equal(closed?.transaction.meterStopWh, 1500, 'the close was written from the last sample');
    held.release();
    await stopping;
    const tx = await stored(session.id);
    assert.deepEqual([tx.state, tx.stopReason, tx.meterStopWh, tx.energyWh], ['completed', 'Local', 2000, 1000]);
    assert.deepEqual(tx.flags, ['stuck'], 'the real stop replaced the estimate; stuck stays as history');
    assert.deepEqual(tx.timeline.map((e: any) => e.kind).filter((k: string) => k !== 'updated').sort(), ['ended', 'force-closed', 'started'], 'both are on the timeline');
  });
});
