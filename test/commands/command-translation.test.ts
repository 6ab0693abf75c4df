/**
 * Neutral command <-> wire, per version. Every CALL produced is checked
 * against the official request schema of its version, and every sample answer
 * against the response schema before it is translated back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandInput, CommandTranslator } from '../../src/capabilities/commands/command.ts';
import { commandTranslators } from '../../src/capabilities/commands/index.ts';
import { parseVariableKey } from '../../src/capabilities/commands/command-ocpp201.ts';
import { schemasFor } from '../../src/ocpp/ocpp-schemas.ts';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';

type Case = [CommandInput, string, Record<string, unknown>];

const CASES_16: Case[] = [
  [{ type: 'start', params: { idToken: 'TAG1', remoteStartId: 7 } }, 'RemoteStartTransaction', { idTag: 'TAG1' }],
  [{ type: 'start', params: { idToken: 'TAG1', evseId: 2, connectorId: 1 } }, 'RemoteStartTransaction', { connectorId: 2, idTag: 'TAG1' }],
  [{ type: 'stop', params: { transactionId: 'api-id', ocppTransactionId: '42' } }, 'RemoteStopTransaction', { transactionId: 42 }],
  [{ type: 'unlock', params: { evseId: 2 } }, 'UnlockConnector', { connectorId: 2 }],
  [{ type: 'reset', params: { mode: 'soft' } }, 'Reset', { type: 'Soft' }],
  [{ type: 'reset', params: { mode: 'hard' } }, 'Reset', { type: 'Hard' }],
  [{ type: 'reset', params: { mode: 'onIdle' } }, 'Reset', { type: 'Soft' }],
  [{ type: 'changeAvailability', params: { operational: false } }, 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' }],
  [{ type: 'changeAvailability', params: { operational: true, evseId: 1 } }, 'ChangeAvailability', { connectorId: 1, type: 'Operative' }],
  [{ type: 'trigger', params: { message: 'heartbeat' } }, 'TriggerMessage', { requestedMessage: 'Heartbeat' }],
  [{ type: 'trigger', params: { message: 'status', evseId: 1 } }, 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }],
  [{ type: 'trigger', params: { message: 'logStatus' } }, 'TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' }],
  [{ type: 'getConfiguration', params: {} }, 'GetConfiguration', {}],
  [{ type: 'getConfiguration', params: { keys: ['HeartbeatInterval'] } }, 'GetConfiguration', { key: ['HeartbeatInterval'] }],
  [{ type: 'setConfiguration', params: { key: 'HeartbeatInterval', value: '60' } }, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' }],
  [{ type: 'clearCache', params: {} }, 'ClearCache', {}],
  [{ type: 'dataTransfer', params: { vendorId: 'acme', messageId: 'm', data: 'raw' } }, 'DataTransfer', { vendorId: 'acme', messageId: 'm', data: 'raw' }],
  [{ type: 'dataTransfer', params: { vendorId: 'acme', data: { a: 1 } } }, 'DataTransfer', { vendorId: 'acme', data: '{"a":1}' }],
];

const CASES_2X: Case[] = [
  [
    { type: 'start', params: { idToken: 'TOKEN-1', remoteStartId: 7 } },
    'RequestStartTransaction',
    { idToken: { idToken: 'TOKEN-1', type: 'Central' }, remoteStartId: 7 },
  ],
  [
    { type: 'start', params: { idToken: 'TOKEN-1', idTokenType: 'ISO14443', evseId: 2, connectorId: 1, remoteStartId: 8 } },
    'RequestStartTransaction',
    { idToken: { idToken: 'TOKEN-1', type: 'ISO14443' }, remoteStartId: 8, evseId: 2 },
  ],
  [{ type: 'stop', params: { transactionId: 'api-id', ocppTransactionId: 'tx-abc' } }, 'RequestStopTransaction', { transactionId: 'tx-abc' }],
  [{ type: 'unlock', params: { evseId: 2 } }, 'UnlockConnector', { evseId: 2, connectorId: 1 }],
  [{ type: 'unlock', params: { evseId: 2, connectorId: 3 } }, 'UnlockConnector', { evseId: 2, connectorId: 3 }],
  [{ type: 'reset', params: { mode: 'soft' } }, 'Reset', { type: 'Immediate' }],
  [{ type: 'reset', params: { mode: 'hard' } }, 'Reset', { type: 'Immediate' }],
  [{ type: 'reset', params: { mode: 'onIdle' } }, 'Reset', { type: 'OnIdle' }],
  [{ type: 'changeAvailability', params: { operational: false } }, 'ChangeAvailability', { operationalStatus: 'Inoperative' }],
  [{ type: 'changeAvailability', params: { operational: true, evseId: 0 } }, 'ChangeAvailability', { operationalStatus: 'Operative' }],
  [
    { type: 'changeAvailability', params: { operational: false, evseId: 1, connectorId: 2 } },
    'ChangeAvailability',
    { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 2 } },
  ],
  [{ type: 'trigger', params: { message: 'transaction', evseId: 1 } }, 'TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }],
  [{ type: 'trigger', params: { message: 'logStatus' } }, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' }],
  [
    { type: 'getConfiguration', params: { keys: ['OCPPCommCtrlr/HeartbeatInterval', 'EVSE[1]/Power[Max]'] } },
    'GetVariables',
    {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'EVSE', instance: '1' }, variable: { name: 'Power', instance: 'Max' } },
      ],
    },
  ],
  [
    { type: 'setConfiguration', params: { key: 'OCPPCommCtrlr/HeartbeatInterval', value: '60' } },
    'SetVariables',
    { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '60' }] },
  ],
  [{ type: 'clearCache', params: {} }, 'ClearCache', {}],
  [{ type: 'dataTransfer', params: { vendorId: 'acme', data: { a: [1, 2] } } }, 'DataTransfer', { vendorId: 'acme', data: { a: [1, 2] } }],
  [{ type: 'getTransactionStatus', params: { transactionId: 'api-id', ocppTransactionId: 'tx-abc' } }, 'GetTransactionStatus', { transactionId: 'tx-abc' }],
  [{ type: 'getTransactionStatus', params: {} }, 'GetTransactionStatus', {}],
];

function checkCases(version: OcppVersion, cases: Case[]): void {
  const translator = commandTranslators[version];
  const schemas = schemasFor(version);
  for (const [input, action, payload] of cases) {
    const label = `${version} ${input.type} ${JSON.stringify(input.params)}`;
    const wire = translator.toCall(input);
    assert.ok(wire.ok, `${label}: ${wire.ok ? '' : wire.error}`);
    assert.equal(wire.call.action, action, label);
    assert.deepEqual(wire.call.payload, payload, label);
    const check = schemas.validate(wire.call.action, 'request', wire.call.payload);
    assert.ok(check.ok, `${label} violates the ${version} schema: ${check.ok ? '' : check.message}`);
  }
}

test('OCPP 1.6: every command type becomes a schema-valid CALL', () => checkCases('1.6', CASES_16));
test('OCPP 2.0.1: every command type becomes a schema-valid CALL', () => checkCases('2.0.1', CASES_2X));
test('OCPP 2.1: the 2.0.1 translation yields schema-valid 2.1 CALLs', () => checkCases('2.1', CASES_2X));

test('what a version cannot express fails with a clear reason', () => {
  const cases: Array<[OcppVersion, CommandInput, RegExp]> = [
    ['1.6', { type: 'stop', params: { transactionId: 'x', ocppTransactionId: 'tx-abc' } }, /integers/],
    ['1.6', { type: 'start', params: { idToken: 'X'.repeat(21) } }, /at most 20/],
    ['1.6', { type: 'unlock', params: { evseId: 1, connectorId: 2 } }, /one connector per EVSE/],
    ['1.6', { type: 'trigger', params: { message: 'transaction' } }, /cannot request transaction/],
    ['1.6', { type: 'getTransactionStatus', params: { transactionId: 'x', ocppTransactionId: '42' } }, /no GetTransactionStatus/],
    ['2.0.1', { type: 'trigger', params: { message: 'v2g20Certificate' } }, /cannot request v2g20Certificate/],
    ['2.0.1', { type: 'getConfiguration', params: {} }, /needs keys/],
    ['2.0.1', { type: 'getConfiguration', params: { keys: ['HeartbeatInterval'] } }, /Component\/Variable/],
    ['2.0.1', { type: 'setConfiguration', params: { key: 'HeartbeatInterval', value: '1' } }, /Component\/Variable/],
    ['2.0.1', { type: 'start', params: { idToken: 'X'.repeat(37), remoteStartId: 1 } }, /at most 36/],
    ['2.0.1', { type: 'start', params: { idToken: 'X', idTokenType: 'Wristband', remoteStartId: 1 } }, /not an OCPP 2.0.1 IdTokenType/],
    ['2.0.1', { type: 'start', params: { idToken: 'X', evseId: 1, connectorId: 2, remoteStartId: 1 } }, /addresses an EVSE/],
    ['2.0.1', { type: 'changeAvailability', params: { operational: true, evseId: 0, connectorId: 1 } }, /inside an EVSE/],
    ['2.0.1', { type: 'setConfiguration', params: { key: 'A/B', value: 'v'.repeat(1001) } }, /at most 1000/],
  ];
  for (const [version, input, reason] of cases) {
    const wire = commandTranslators[version].toCall(input);
    assert.equal(wire.ok, false, `${version} ${JSON.stringify(input)}`);
    if (!wire.ok) assert.match(wire.error, reason);
  }
  // 2.1 widens what 2.0.1 refuses.
  assert.ok(commandTranslators['2.1'].toCall({ type: 'start', params: { idToken: 'X'.repeat(37), idTokenType: 'Wristband', remoteStartId: 1 } }).ok);
  assert.ok(commandTranslators['2.1'].toCall({ type: 'trigger', params: { message: 'v2g20Certificate' } }).ok);
});

test('variable keys: Component[instance]/Variable[instance]', () => {
  assert.deepEqual(parseVariableKey('A/B'), { component: { name: 'A' }, variable: { name: 'B' } });
  assert.deepEqual(parseVariableKey('A[x]/B'), { component: { name: 'A', instance: 'x' }, variable: { name: 'B' } });
  for (const bad of ['A', 'A/B/C', '/B', 'A/', `${'a'.repeat(51)}/B`, 'A[/B']) assert.equal(parseVariableKey(bad), null, bad);
});

type AnswerCase = [OcppVersion, CommandInput, Record<string, unknown>, Record<string, unknown>];

test('answers become neutral, with details', () => {
  const callOf = (translator: CommandTranslator, input: CommandInput) => {
    const wire = translator.toCall(input);
    assert.ok(wire.ok);
    return wire.call;
  };
  const ref = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
  const cases: AnswerCase[] = [
    ['1.6', { type: 'reset', params: { mode: 'hard' } }, { status: 'Accepted' }, { status: 'Accepted' }],
    ['1.6', { type: 'unlock', params: { evseId: 1 } }, { status: 'UnlockFailed' }, { status: 'UnlockFailed' }],
    [
      '1.6',
      { type: 'getConfiguration', params: { keys: ['HeartbeatInterval', 'Nope'] } },
      { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: ['Nope'] },
      { status: 'Accepted', configuration: [{ key: 'HeartbeatInterval', value: '300', readonly: false }], unknownKeys: ['Nope'], rejectedKeys: [] },
    ],
    ['1.6', { type: 'dataTransfer', params: { vendorId: 'acme' } }, { status: 'Accepted', data: 'ok' }, { status: 'Accepted', data: 'ok' }],
    [
      '2.0.1',
      { type: 'getTransactionStatus', params: { transactionId: 'a', ocppTransactionId: 'tx-1' } },
      { ongoingIndicator: false, messagesInQueue: false },
      { status: 'Accepted', transactionOngoing: false, messagesInQueue: false },
    ],
    [
      '2.0.1',
      { type: 'start', params: { idToken: 'T', remoteStartId: 5 } },
      { status: 'Accepted', transactionId: 'tx-1' },
      { status: 'Accepted', transactionId: 'tx-1' },
    ],
    [
      '2.0.1',
      { type: 'reset', params: { mode: 'onIdle' } },
      { status: 'Rejected', statusInfo: { reasonCode: 'Busy', additionalInfo: 'charging' } },
      { status: 'Rejected', reason: { code: 'Busy', info: 'charging' } },
    ],
    [
      '2.0.1',
      { type: 'getConfiguration', params: { keys: ['OCPPCommCtrlr/HeartbeatInterval', 'X/Y', 'A/B'] } },
      {
        getVariableResult: [
          { attributeStatus: 'Accepted', attributeValue: '300', ...ref },
          { attributeStatus: 'UnknownComponent', component: { name: 'X' }, variable: { name: 'Y' } },
          { attributeStatus: 'Rejected', component: { name: 'A' }, variable: { name: 'B' } },
        ],
      },
      {
        status: 'Accepted',
        configuration: [{ key: 'OCPPCommCtrlr/HeartbeatInterval', value: '300', readonly: null }],
        unknownKeys: ['X/Y'],
        rejectedKeys: ['A/B'],
      },
    ],
    [
      '2.0.1',
      { type: 'setConfiguration', params: { key: 'OCPPCommCtrlr/HeartbeatInterval', value: '60' } },
      { setVariableResult: [{ attributeStatus: 'RebootRequired', ...ref }] },
      { status: 'RebootRequired' },
    ],
    [
      '2.1',
      { type: 'setConfiguration', params: { key: 'X/Y', value: '60' } },
      { setVariableResult: [{ attributeStatus: 'UnknownVariable', component: { name: 'X' }, variable: { name: 'Y' } }] },
      { status: 'NotSupported', reason: { code: 'UnknownVariable' } },
    ],
    ['2.1', { type: 'unlock', params: { evseId: 1 } }, { status: 'Unlocked' }, { status: 'Unlocked' }],
  ];
  for (const [version, input, wireAnswer, neutral] of cases) {
    const translator = commandTranslators[version];
    const call = callOf(translator, input);
    const check = schemasFor(version).validate(call.action, 'response', wireAnswer);
    assert.ok(check.ok, `sample ${JSON.stringify(wireAnswer)} is not a valid ${version} answer: ${check.ok ? '' : check.message}`);
    assert.deepEqual(call.read(wireAnswer).answer, neutral, `${version} ${input.type}`);
  }
});

test('the adapter says whether the station agreed: accepting statuses vs refusals, per version', () => {
  const cases: Array<[OcppVersion, CommandInput, Record<string, unknown>, boolean]> = [
    ['1.6', { type: 'reset', params: { mode: 'hard' } }, { status: 'Accepted' }, true],
    ['1.6', { type: 'unlock', params: { evseId: 1 } }, { status: 'Unlocked' }, true],
    ['1.6', { type: 'unlock', params: { evseId: 1 } }, { status: 'UnlockFailed' }, false],
    ['1.6', { type: 'unlock', params: { evseId: 1 } }, { status: 'NotSupported' }, false],
    ['1.6', { type: 'changeAvailability', params: { evseId: 1, operational: false } }, { status: 'Scheduled' }, true],
    ['1.6', { type: 'setConfiguration', params: { key: 'HeartbeatInterval', value: '60' } }, { status: 'RebootRequired' }, true],
    ['1.6', { type: 'setConfiguration', params: { key: 'HeartbeatInterval', value: '60' } }, { status: 'NotSupported' }, false],
    ['1.6', { type: 'dataTransfer', params: { vendorId: 'acme' } }, { status: 'UnknownVendorId' }, false],
    ['2.0.1', { type: 'reset', params: { mode: 'onIdle' } }, { status: 'Scheduled' }, true],
    ['2.0.1', { type: 'reset', params: { mode: 'onIdle' } }, { status: 'Rejected' }, false],
    ['2.0.1', { type: 'unlock', params: { evseId: 1 } }, { status: 'OngoingAuthorizedTransaction' }, false],
    ['2.0.1', { type: 'unlock', params: { evseId: 1 } }, { status: 'UnknownConnector' }, false],
    ['2.0.1', { type: 'trigger', params: { message: 'heartbeat' } }, { status: 'NotImplemented' }, false],
    ['2.1', { type: 'unlock', params: { evseId: 1 } }, { status: 'Unlocked' }, true],
  ];
  for (const [version, input, wireAnswer, accepted] of cases) {
    const wire = commandTranslators[version].toCall(input);
    assert.ok(wire.ok);
    const check = schemasFor(version).validate(wire.call.action, 'response', wireAnswer);
    assert.ok(check.ok, `sample ${JSON.stringify(wireAnswer)} is not a valid ${version} answer: ${check.ok ? '' : check.message}`);
    assert.equal(wire.call.read(wireAnswer).accepted, accepted, `${version} ${input.type} ${JSON.stringify(wireAnswer)}`);
  }
});
