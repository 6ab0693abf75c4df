/**
 * Every command type reaches a simulated station of each version over a real
 * socket, in the version's own message, and the station's answer is stored.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { startRecording, submit, type RecordingStation } from './command-support.ts';

interface Case {
  body: Record<string, unknown>;
  action: string;
  /** The payload the station must receive; a function when it depends on the stored command. */
  payload: Record<string, unknown> | ((command: any) => Record<string, unknown>);
  state: 'accepted' | 'rejected';
  response: Record<string, unknown>;
}

async function runCases(server: TestServer, rec: RecordingStation, cases: Case[]): Promise<void> {
  for (const c of cases) {
    const label = `${rec.station.version} ${String(c.body.type)}`;
    const before = rec.calls.length;
    const res = await submit(server, rec.station.id, c.body, 5);
    assert.equal(res.status, 200, `${label}: ${JSON.stringify(res.body)}`);
    const command = res.body;
    assert.equal(command.state, c.state, `${label}: ${JSON.stringify(command)}`);
    for (const [key, value] of Object.entries(c.response)) assert.deepEqual(command.response[key], value, `${label} response.${key}`);
    assert.equal(command.error, null, label);
    assert.equal(command.attempts, 1, label);
    assert.ok(command.sentAt && command.answeredAt && command.sentAt <= command.answeredAt, label);
    const received = rec.calls.slice(before).find((call) => call.action === c.action);
    assert.ok(received, `${label}: the station received ${c.action}`);
    assert.deepEqual(received.payload, typeof c.payload === 'function' ? c.payload(command) : c.payload, `${label} payload`);
    // What the REST API returns later is what was stored.
    const stored = await server.api('GET', `/api/v1/commands/${command.id}`);
    assert.deepEqual(stored.body, command, `${label} stored`);
  }
}

describe('command delivery to simulated stations', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 2 }, commands: { sweepIntervalSec: 0.2 } } as any);
  });
  after(() => server.stop());

  test('OCPP 1.6: every command type', async () => {
    const rec = await startRecording(server, 'DEL-16', '1.6');
    rec.station.handle('RemoteStartTransaction', () => ({ status: 'Accepted' }));
    rec.station.handle('RemoteStopTransaction', () => ({ status: 'Accepted' }));
    rec.station.handle('UnlockConnector', () => ({ status: 'Unlocked' }));
    rec.station.handle('DataTransfer', (p) => ({ status: 'Accepted', data: `echo:${String(p.data)}` }));
    try {
      await runCases(server, rec, [
        { body: { type: 'start', idToken: 'TAG-1', evseId: 1 }, action: 'RemoteStartTransaction', payload: { connectorId: 1, idTag: 'TAG-1' }, state: 'accepted', response: { status: 'Accepted' } },
        { body: { type: 'stop', transactionId: '42' }, action: 'RemoteStopTransaction', payload: { transactionId: 42 }, state: 'accepted', response: { status: 'Accepted' } },
        { body: { type: 'unlock', evseId: 2 }, action: 'UnlockConnector', payload: { connectorId: 2 }, state: 'accepted', response: { status: 'Unlocked' } },
        {
          body: { type: 'changeAvailability', operational: false, evseId: 1 },
          action: 'ChangeAvailability',
          payload: { connectorId: 1, type: 'Inoperative' },
          state: 'accepted',
          response: { status: 'Accepted' },
        },
        {
          body: { type: 'trigger', message: 'status', evseId: 2 },
          action: 'TriggerMessage',
          payload: { requestedMessage: 'StatusNotification', connectorId: 2 },
          state: 'accepted',
          response: { status: 'Accepted' },
        },
        {
          body: { type: 'getConfiguration', keys: ['MeterValueSampleInterval', 'NoSuchKey'] },
          action: 'GetConfiguration',
          payload: { key: ['MeterValueSampleInterval', 'NoSuchKey'] },
          state: 'accepted',
          response: { status: 'Accepted', configuration: [{ key: 'MeterValueSampleInterval', value: '60', readonly: false }], unknownKeys: ['NoSuchKey'] },
        },
        {
          body: { type: 'setConfiguration', key: 'MeterValueSampleInterval', value: '30' },
          action: 'ChangeConfiguration',
          payload: { key: 'MeterValueSampleInterval', value: '30' },
          state: 'accepted',
          response: { status: 'Accepted' },
        },
        {
          body: { type: 'setConfiguration', key: 'NumberOfConnectors', value: '9' },
          action: 'ChangeConfiguration',
          payload: { key: 'NumberOfConnectors', value: '9' },
          state: 'rejected',
          response: { status: 'Rejected' },
        },
        { body: { type: 'clearCache' }, action: 'ClearCache', payload: {}, state: 'accepted', response: { status: 'Accepted' } },
        {
          body: { type: 'dataTransfer', vendorId: 'acme', messageId: 'ping', data: { n: 1 } },
          action: 'DataTransfer',
          payload: { vendorId: 'acme', messageId: 'ping', data: '{"n":1}' },
          state: 'accepted',
          response: { status: 'Accepted', data: 'echo:{"n":1}' },
        },
        // Last: the station reboots after accepting.
        { body: { type: 'reset', mode: 'hard' }, action: 'Reset', payload: { type: 'Hard' }, state: 'accepted', response: { status: 'Accepted' } },
      ]);
      assert.equal(rec.station.settings.get('MeterValueSampleInterval')?.value, '30', 'the station applied the change');
    } finally {
      await rec.stop();
    }
  });

  test('OCPP 2.0.1: every command type', async () => {
    const rec = await startRecording(server, 'DEL-201', '2.0.1');
    rec.station.handle('RequestStartTransaction', () => ({ status: 'Accepted', transactionId: 'tx-77' }));
    rec.station.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
    rec.station.handle('UnlockConnector', () => ({ status: 'Unlocked' }));
    try {
      await runCases(server, rec, [
        {
          body: { type: 'start', idToken: 'TOKEN-1', idTokenType: 'ISO14443', evseId: 1 },
          action: 'RequestStartTransaction',
          payload: (command) => ({ idToken: { idToken: 'TOKEN-1', type: 'ISO14443' }, remoteStartId: command.params.remoteStartId, evseId: 1 }),
          state: 'accepted',
          response: { status: 'Accepted', transactionId: 'tx-77' },
        },
        { body: { type: 'stop', transactionId: 'tx-77' }, action: 'RequestStopTransaction', payload: { transactionId: 'tx-77' }, state: 'accepted', response: { status: 'Accepted' } },
        { body: { type: 'unlock', evseId: 2 }, action: 'UnlockConnector', payload: { evseId: 2, connectorId: 1 }, state: 'accepted', response: { status: 'Unlocked' } },
        {
          body: { type: 'changeAvailability', operational: false, evseId: 2 },
          action: 'ChangeAvailability',
          payload: { operationalStatus: 'Inoperative', evse: { id: 2 } },
          state: 'accepted',
          response: { status: 'Accepted' },
        },
        { body: { type: 'trigger', message: 'heartbeat' }, action: 'TriggerMessage', payload: { requestedMessage: 'Heartbeat' }, state: 'accepted', response: { status: 'Accepted' } },
        {
          body: { type: 'getConfiguration', keys: ['OCPPCommCtrlr/OfflineThreshold', 'NoSuch/Thing'] },
          action: 'GetVariables',
          payload: {
            getVariableData: [
              { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } },
              { component: { name: 'NoSuch' }, variable: { name: 'Thing' } },
            ],
          },
          state: 'accepted',
          response: { status: 'Accepted', configuration: [{ key: 'OCPPCommCtrlr/OfflineThreshold', value: '60', readonly: null }], unknownKeys: ['NoSuch/Thing'], rejectedKeys: [] },
        },
        {
          body: { type: 'setConfiguration', key: 'OCPPCommCtrlr/OfflineThreshold', value: '120' },
          action: 'SetVariables',
          payload: { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '120' }] },
          state: 'accepted',
          response: { status: 'Accepted' },
        },
        {
          body: { type: 'setConfiguration', key: 'NoSuch/Thing', value: '1' },
          action: 'SetVariables',
          payload: { setVariableData: [{ component: { name: 'NoSuch' }, variable: { name: 'Thing' }, attributeValue: '1' }] },
          state: 'rejected',
          response: { status: 'NotSupported', reason: { code: 'UnknownComponent' } },
        },
        { body: { type: 'clearCache' }, action: 'ClearCache', payload: {}, state: 'accepted', response: { status: 'Accepted' } },
        // The simulator knows no vendor extensions: a refusal, stored as such.
        { body: { type: 'dataTransfer', vendorId: 'acme', data: { n: 1 } }, action: 'DataTransfer', payload: { vendorId: 'acme', data: { n: 1 } }, state: 'rejected', response: { status: 'UnknownVendorId' } },
        { body: { type: 'reset', mode: 'onIdle' }, action: 'Reset', payload: { type: 'OnIdle' }, state: 'accepted', response: { status: 'Accepted' } },
      ]);
      assert.equal(rec.station.settings.get('OCPPCommCtrlr/OfflineThreshold')?.value, '120', 'the station applied the change');
    } finally {
      await rec.stop();
    }
  });

  test('OCPP 2.1: the shared 2.x translation reaches a 2.1 station', async () => {
    const rec = await startRecording(server, 'DEL-21', '2.1');
    try {
      await runCases(server, rec, [
        {
          body: { type: 'getConfiguration', keys: ['OCPPCommCtrlr/HeartbeatInterval'] },
          action: 'GetVariables',
          payload: { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] },
          state: 'accepted',
          response: { status: 'Accepted', unknownKeys: [] },
        },
        { body: { type: 'reset', mode: 'soft' }, action: 'Reset', payload: { type: 'Immediate' }, state: 'accepted', response: { status: 'Accepted' } },
      ]);
    } finally {
      await rec.stop();
    }
  });

  test('a command the station\'s version cannot express fails without being sent', async () => {
    const rec = await startRecording(server, 'DEL-UNTR', '1.6');
    try {
      const res = await submit(server, 'DEL-UNTR', { type: 'stop', transactionId: 'not-a-number' }, 5);
      assert.equal(res.status, 200);
      assert.equal(res.body.state, 'failed');
      assert.match(res.body.error, /^Untranslatable: cannot be sent to an OCPP 1\.6 station: .*integers/);
      assert.deepEqual([res.body.sentAt, res.body.attempts], [null, 0]);
      assert.ok(!rec.calls.some((c) => c.action === 'RemoteStopTransaction'));
      const trigger = await submit(server, 'DEL-UNTR', { type: 'trigger', message: 'transaction' }, 5);
      assert.equal(trigger.body.state, 'failed');
      assert.match(trigger.body.error, /TriggerMessage cannot request transaction/);
    } finally {
      await rec.stop();
    }
  });
});
