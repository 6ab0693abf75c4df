/**
 * The key command scenario with ocpp-rpc in strict mode as the station: an
 * independent OCPP-J implementation that validates every CALL we send against
 * the official schemas (it answers an invalid one with a CALLERROR, which
 * would fail the command). 1.6 and 2.0.1 only: ocpp-rpc 2.2 cannot judge 2.1
 * (ADR 0003).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RPCClient } from 'ocpp-rpc';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { finalCommand, submit } from './command-support.ts';

const SUBPROTOCOL: Partial<Record<OcppVersion, string>> = { '1.6': 'ocpp1.6', '2.0.1': 'ocpp2.0.1' };

describe('commands with ocpp-rpc (strict) as the station', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any);
  });
  after(() => server.stop());

  for (const version of ['1.6', '2.0.1'] as const) {
    test(`OCPP ${version}: getConfiguration queued while offline, then reset, both answered`, async () => {
      const id = `RPC-CMD-${version.replace(/\./g, '')}`;
      assert.equal((await server.api('POST', '/api/v1/stations', { id })).status, 201);
      const keys = version === '1.6' ? ['HeartbeatInterval'] : ['OCPPCommCtrlr/HeartbeatInterval'];
      const queued = await submit(server, id, { type: 'getConfiguration', keys });
      assert.equal(queued.body.state, 'queued');

      const client = new RPCClient({
        endpoint: server.ocppUrl,
        identity: id,
        protocols: [SUBPROTOCOL[version] as string],
        strictMode: true,
        reconnect: false,
        callTimeoutMs: 5000,
      } as any);
      const received: Array<{ method: string; params: any }> = [];
      client.handle('GetConfiguration', async ({ params }: any) => {
        received.push({ method: 'GetConfiguration', params });
        return { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] };
      });
      client.handle('GetVariables', async ({ params }: any) => {
        received.push({ method: 'GetVariables', params });
        return {
          getVariableResult: params.getVariableData.map((item: any) => ({ attributeStatus: 'Accepted', attributeValue: '300', component: item.component, variable: item.variable })),
        };
      });
      client.handle('Reset', async ({ params }: any) => {
        received.push({ method: 'Reset', params });
        return { status: 'Accepted' };
      });
      try {
        await client.connect();
        const boot =
          version === '1.6'
            ? await client.call('BootNotification', { chargePointVendor: 'RpcVendor', chargePointModel: 'RpcModel' })
            : await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'RpcVendor', model: 'RpcModel' } });
        assert.equal((boot as any).status, 'Accepted');

        const delivered = await finalCommand(server, queued.body.id);
        assert.equal(delivered.state, 'accepted', JSON.stringify(delivered));
        assert.deepEqual(delivered.response.configuration.map((k: any) => [k.key, k.value]), [[keys[0], '300']]);

        const reset = await submit(server, id, { type: 'reset', mode: 'hard' }, 5);
        assert.deepEqual([reset.status, reset.body.state, reset.body.response], [200, 'accepted', { status: 'Accepted' }]);

        await eventually(() => received.length >= 2, 'both calls received');
        const expected =
          version === '1.6'
            ? [
                { method: 'GetConfiguration', params: { key: ['HeartbeatInterval'] } },
                { method: 'Reset', params: { type: 'Hard' } },
              ]
            : [
                { method: 'GetVariables', params: { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] } },
                { method: 'Reset', params: { type: 'Immediate' } },
              ];
        assert.deepEqual(received, expected);
      } finally {
        await client.close({ code: 1000 });
      }
    });
  }
});
