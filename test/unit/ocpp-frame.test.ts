import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeError, parseFrame } from '../../src/ocpp/ocpp-frame.ts';
import { spellErrorCode } from '../../src/ocpp/ocpp-versions.ts';
import { negotiateSubprotocol } from '../../src/ocpp/ocpp-subprotocols.ts';
import { checkHandshake, parseBasicAuth } from '../../src/ocpp/ocpp-handshake.ts';

test('parseFrame reads the five OCPP-J message types, SEND and CALLRESULTERROR only in 2.1', () => {
  assert.deepEqual(parseFrame('[2,"a","Heartbeat",{}]', '1.6'), { type: 'call', messageId: 'a', action: 'Heartbeat', payload: {} });
  assert.deepEqual(parseFrame('[3,"a",{"x":1}]', '2.0.1'), { type: 'result', messageId: 'a', payload: { x: 1 } });
  assert.equal((parseFrame('[4,"a","NotSupported","d",{}]', '2.0.1') as any).type, 'error');
  assert.equal((parseFrame('[6,"a","NotifyPeriodicEventStream",{}]', '2.1') as any).type, 'send');
  assert.equal((parseFrame('[5,"a","FormatViolation","d",{}]', '2.1') as any).type, 'result-error');
  assert.equal((parseFrame('[6,"a","X",{}]', '2.0.1') as any).code, 'MessageTypeNotSupported');
  assert.equal((parseFrame('[5,"a","X","d",{}]', '1.6') as any).code, 'MessageTypeNotSupported');
});

test('parseFrame answers unreadable frames with message id "-1"', () => {
  for (const text of ['not json', '{}', '[2]', '[2,1,"Heartbeat",{}]', `[2,"${'x'.repeat(37)}","Heartbeat",{}]`, '[2,"","Heartbeat",{}]']) {
    const frame = parseFrame(text, '2.0.1') as any;
    assert.equal(frame.type, 'invalid', text);
    assert.equal(frame.messageId, '-1', text);
    assert.equal(frame.code, 'RpcFrameworkError', text);
  }
  assert.deepEqual(
    { ...(parseFrame('[2,"id7","Heartbeat"]', '1.6') as any), reason: undefined },
    { type: 'invalid', messageId: 'id7', code: 'RpcFrameworkError', reason: undefined, answerable: true },
  );
});

test('error codes keep the 1.6 spelling on 1.6 and the 2.x spelling elsewhere', () => {
  assert.equal(spellErrorCode('FormatViolation', '1.6'), 'FormationViolation');
  assert.equal(spellErrorCode('OccurrenceConstraintViolation', '1.6'), 'OccurenceConstraintViolation');
  assert.equal(spellErrorCode('FormatViolation', '2.0.1'), 'FormatViolation');
  assert.equal(spellErrorCode('OccurrenceConstraintViolation', '2.1'), 'OccurrenceConstraintViolation');
  assert.equal(spellErrorCode('PropertyConstraintViolation', '1.6'), 'PropertyConstraintViolation');
});

test('CALLERROR descriptions are cut to 255 characters', () => {
  const [, , , description] = JSON.parse(encodeError('a', 'GenericError', 'x'.repeat(400)));
  assert.equal(description.length, 255);
});

test('the server preference decides among offered subprotocols', () => {
  assert.equal(negotiateSubprotocol('ocpp1.6, ocpp2.0.1', ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6']), 'ocpp2.0.1');
  assert.equal(negotiateSubprotocol('ocpp1.6', ['ocpp2.0.1']), null);
  assert.equal(negotiateSubprotocol(undefined, ['ocpp1.6']), null);
});

test('handshake checks path, station id, subprotocol and Basic credentials', () => {
  const ok = checkHandshake('/ocpp/CP%201', { 'sec-websocket-protocol': 'ocpp1.6' }, ['ocpp1.6']);
  assert.equal(ok.ok, false, 'space is not allowed in a station id');
  assert.deepEqual(checkHandshake('/ocpp/CP-1', { 'sec-websocket-protocol': 'ocpp1.6' }, ['ocpp1.6']), {
    ok: true,
    stationId: 'CP-1',
    subprotocol: 'ocpp1.6',
    credentials: null,
  });
  assert.equal((checkHandshake('/other/CP-1', {}, ['ocpp1.6']) as any).status, 404);
  assert.equal((checkHandshake('/ocpp/CP-1', { 'sec-websocket-protocol': 'ocpp1.5' }, ['ocpp1.6']) as any).status, 400);
  const basic = `Basic ${Buffer.from('CP-2:secret:with:colons').toString('base64')}`;
  assert.deepEqual(parseBasicAuth(basic), { username: 'CP-2', password: 'secret:with:colons' });
  assert.equal((checkHandshake('/ocpp/CP-1', { 'sec-websocket-protocol': 'ocpp1.6', authorization: basic }, ['ocpp1.6']) as any).status, 401);
  assert.equal(parseBasicAuth('Bearer abc'), 'malformed');
});
