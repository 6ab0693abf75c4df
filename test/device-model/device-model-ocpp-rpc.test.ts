/**
 * The device-model messages with ocpp-rpc in strict mode as the 2.0.1 station: every CALL the
 * CSMS sends (GetBaseReport, SetVariableMonitoring, ...) and every answer it gives (NotifyReport,
 * NotifyMonitoringReport) is checked against the official schemas by an independent
 * implementation. 2.0.1 only: ocpp-rpc cannot judge 2.1 (ADR 0003).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { command, configuration, monitors, registerStation, reportIn } from './device-model-support.ts';

describe('device model with ocpp-rpc (strict) as the station', () => {
  let server: TestServer;
  let client: RPCClient;
  const id = 'DM-RPC-201';
  const received: Array<{ method: string; params: any }> = [];
  before(async () => {
    server = await startTestServer();
    await registerStation(server, id);
    client = await strictRpcClient(server.ocppUrl, id, 'ocpp2.0.1');
    const report = (requestId: number) => async () => {
      const answers = [];
      for (const [seqNo, names] of [['Alpha', 'Beta'], ['Gamma']].entries()) {
        answers.push(
          await client.call('NotifyReport', {
            requestId,
            seqNo,
            tbc: seqNo === 0,
            generatedAt: new Date().toISOString(),
            reportData: names.map((name) => ({
              component: { name: 'RpcCtrlr', evse: { id: 1 } },
              variable: { name },
              variableAttribute: [{ type: 'Actual', value: name.toLowerCase(), mutability: 'ReadWrite' }, { type: 'MaxSet', value: '9' }],
              variableCharacteristics: { dataType: 'string', supportsMonitoring: false, unit: 'u' },
            })),
          }),
        );
      }
      received.push({ method: 'NotifyReport answers', params: answers });
    };
    client.handle('GetBaseReport', async ({ params }: any) => {
      received.push({ method: 'GetBaseReport', params });
      setTimeout(() => void report(params.requestId)(), 10);
      return { status: 'Accepted' };
    });
    client.handle('SetVariableMonitoring', async ({ params }: any) => {
      received.push({ method: 'SetVariableMonitoring', params });
      return { setMonitoringResult: params.setMonitoringData.map((d: any, i: number) => ({ id: 40 + i, status: 'Accepted', type: d.type, severity: d.severity, component: d.component, variable: d.variable })) };
    });
    client.handle('GetMonitoringReport', async ({ params }: any) => {
      received.push({ method: 'GetMonitoringReport', params });
      setTimeout(() => {
        void client
          .call('NotifyMonitoringReport', {
            requestId: params.requestId,
            seqNo: 0,
            generatedAt: new Date().toISOString(),
            monitor: [{ component: { name: 'RpcCtrlr', evse: { id: 1 } }, variable: { name: 'Alpha' }, variableMonitoring: [{ id: 40, transaction: false, value: 3, type: 'Delta', severity: 2 }] }],
          })
          .then((answer) => received.push({ method: 'NotifyMonitoringReport answer', params: answer }));
      }, 10);
      return { status: 'Accepted' };
    });
    client.handle('ClearVariableMonitoring', async ({ params }: any) => {
      received.push({ method: 'ClearVariableMonitoring', params });
      return { clearMonitoringResult: params.id.map((i: number) => ({ id: i, status: 'Accepted' })) };
    });
    client.handle('SetMonitoringLevel', async ({ params }: any) => {
      received.push({ method: 'SetMonitoringLevel', params });
      return { status: 'Rejected', statusInfo: { reasonCode: 'NoWay' } };
    });
    const boot = await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'RpcVendor', model: 'RpcModel' } });
    assert.equal((boot as any).status, 'Accepted');
  });
  after(async () => {
    await client?.close({ code: 1000 });
    await server.stop();
  });

  test('getBaseReport: the CALL passes the schema, both parts are answered {}, the device model is stored', async () => {
    const done = await command(server, id, { type: 'getBaseReport', reportBase: 'ConfigurationInventory' });
    assert.equal(done.state, 'accepted');
    const report = await reportIn(server, id, 'complete');
    assert.deepEqual([report.partsReceived, report.itemsReceived, report.replaces], [2, 3, false]);
    const ask = received.find((r) => r.method === 'GetBaseReport');
    assert.deepEqual(ask?.params, { requestId: report.requestId, reportBase: 'ConfigurationInventory' });
    assert.deepEqual(received.find((r) => r.method === 'NotifyReport answers')?.params, [{}, {}]);
    const view = await configuration(server, id);
    assert.deepEqual(
      view.items.map((e: any) => [e.key, e.component.evseId, e.value, e.attributes.map((a: any) => a.type).join(), e.characteristics.unit]),
      [
        ['RpcCtrlr/Alpha', 1, 'alpha', 'Actual,MaxSet', 'u'],
        ['RpcCtrlr/Beta', 1, 'beta', 'Actual,MaxSet', 'u'],
        ['RpcCtrlr/Gamma', 1, 'gamma', 'Actual,MaxSet', 'u'],
      ],
    );
  });

  test('monitoring: set, report, clear and level pass the schemas', async () => {
    const set = await command(server, id, {
      type: 'setVariableMonitoring',
      monitors: [{ component: 'RpcCtrlr', evseId: 1, variable: 'Alpha', type: 'Delta', value: 3, severity: 2 }],
    });
    assert.deepEqual([set.state, set.response.status], ['accepted', 'Accepted']);
    assert.deepEqual(received.find((r) => r.method === 'SetVariableMonitoring')?.params, {
      setMonitoringData: [{ value: 3, type: 'Delta', severity: 2, component: { name: 'RpcCtrlr', evse: { id: 1 } }, variable: { name: 'Alpha' } }],
    });
    assert.deepEqual((await monitors(server, id)).items.map((m: any) => [m.id, m.component.evseId, m.source]), [[40, 1, 'setVariableMonitoring']]);
    assert.equal((await command(server, id, { type: 'getMonitoringReport' })).state, 'accepted');
    await reportIn(server, id, 'complete', 'monitoring');
    assert.deepEqual((await monitors(server, id)).items.map((m: any) => [m.id, m.source]), [[40, 'report']]);
    const cleared = await command(server, id, { type: 'clearVariableMonitoring', ids: [40] });
    assert.equal(cleared.state, 'accepted');
    assert.equal((await monitors(server, id)).total, 0);
    const level = await command(server, id, { type: 'setMonitoringLevel', severity: 3 });
    assert.deepEqual([level.state, level.response], ['rejected', { status: 'Rejected', reason: { code: 'NoWay' } }]);
  });
});
