/**
 * Display messages with ocpp-rpc in strict mode as a 2.0.1 station: an independent OCPP-J
 * implementation that checks every CALL we send (and every answer it gets) against the official
 * schemas. 2.0.1 only: ocpp-rpc cannot judge 2.1 (ADR 0003).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { submit } from '../commands/command-support.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any);
});
after(() => server.stop());

test('set, get (report in two parts, the station\'s own words kept), clear: every CALL passes the schemas', async () => {
  const id = 'DM-RPC-201';
  const client = await strictRpcClient(server.ocppUrl, id, 'ocpp2.0.1');
  const received: Array<{ method: string; params: any }> = [];
  const shown = new Map<number, any>();
  client.handle('SetDisplayMessage', async ({ params }: any) => {
    received.push({ method: 'SetDisplayMessage', params });
    shown.set(params.message.id, params.message);
    return { status: 'Accepted' };
  });
  client.handle('GetDisplayMessages', async ({ params }: any) => {
    received.push({ method: 'GetDisplayMessages', params });
    setImmediate(async () => {
      const all = [...shown.values()];
      await client.call('NotifyDisplayMessages', { requestId: params.requestId, tbc: true, messageInfo: all.slice(0, 1) });
      await client.call('NotifyDisplayMessages', { requestId: params.requestId, messageInfo: all.slice(1) });
    });
    return { status: 'Accepted' };
  });
  client.handle('ClearDisplayMessage', async ({ params }: any) => {
    received.push({ method: 'ClearDisplayMessage', params });
    return shown.delete(params.id) ? { status: 'Accepted' } : { status: 'Unknown', statusInfo: { reasonCode: 'NoSuchId' } };
  });
  try {
    const boot = await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'RpcVendor', model: 'RpcModel' } });
    assert.equal((boot as any).status, 'Accepted');

    const full = {
      type: 'setDisplayMessage',
      priority: 'alwaysFront',
      state: 'idle',
      startDateTime: '2026-03-01T08:00:00.000Z',
      endDateTime: '2026-03-01T20:00:00.000Z',
      message: { format: 'html', language: 'nl-BE', content: '<b>Welkom</b>' },
      display: { name: 'Display', instance: 'front', evseId: 1, connectorId: 1 },
    };
    const set = await submit(server, id, full, 5);
    assert.equal(set.body.state, 'accepted', JSON.stringify(set.body));
    const other = await submit(server, id, { type: 'setDisplayMessage', id: 40, priority: 'normalCycle', transactionId: 'tx-1', message: { format: 'uri', content: 'https://example.com' } }, 5);
    assert.equal(other.body.state, 'accepted');

    const get = await submit(server, id, { type: 'getDisplayMessages', priority: 'alwaysFront', state: 'idle', ids: [1, 40] }, 5);
    assert.equal(get.body.state, 'accepted', JSON.stringify(get.body));
    const requestId = get.body.params.requestId;
    const report = await eventually(async () => {
      const view = (await server.api('GET', `/api/v1/stations/${id}/display-messages`)).body;
      return view.reports.find((r: any) => r.requestId === requestId && r.state === 'complete');
    }, 'report complete');
    assert.deepEqual([report.parts, report.messages, report.filters], [2, 2, { ids: [1, 40], priority: 'alwaysFront', state: 'idle' }]);

    const clear = await submit(server, id, { type: 'clearDisplayMessage', id: 40 }, 5);
    assert.equal(clear.body.state, 'accepted');
    const again = await submit(server, id, { type: 'clearDisplayMessage', id: 40 }, 5);
    assert.deepEqual([again.body.state, again.body.response], ['rejected', { status: 'Unknown', known: false, reason: { code: 'NoSuchId' } }]);

    assert.deepEqual(received, [
      {
        method: 'SetDisplayMessage',
        params: {
          message: {
            id: 1,
            priority: 'AlwaysFront',
            state: 'Idle',
            startDateTime: '2026-03-01T08:00:00.000Z',
            endDateTime: '2026-03-01T20:00:00.000Z',
            message: { format: 'HTML', language: 'nl-BE', content: '<b>Welkom</b>' },
            display: { name: 'Display', instance: 'front', evse: { id: 1, connectorId: 1 } },
          },
        },
      },
      { method: 'SetDisplayMessage', params: { message: { id: 40, priority: 'NormalCycle', transactionId: 'tx-1', message: { format: 'URI', content: 'https://example.com' } } } },
      { method: 'GetDisplayMessages', params: { requestId, id: [1, 40], priority: 'AlwaysFront', state: 'Idle' } },
      { method: 'ClearDisplayMessage', params: { id: 40 } },
      { method: 'ClearDisplayMessage', params: { id: 40 } },
    ]);

    // What the station reported reads back in the API's words, as it was set.
    const { messages } = (await server.api('GET', `/api/v1/stations/${id}/display-messages`)).body;
    const first = messages.find((m: any) => m.id === 1);
    const { type: _type, ...spec } = full;
    assert.deepEqual(first.reported.spec, { id: 1, ...spec });
    assert.deepEqual(first.set.spec, first.reported.spec);
    assert.deepEqual(messages.map((m: any) => [m.id, m.onStation]), [[1, true], [40, false]]);
  } finally {
    await client.close({ code: 1000 });
  }
});
