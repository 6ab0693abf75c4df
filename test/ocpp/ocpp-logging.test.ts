/**
 * Refused handshakes and rejected payloads are logged with the station id
 * (and message id), and no secret ever reaches a log line.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { basicAuth, openRaw } from '../support/raw-client.ts';

const lines: string[] = [];
let server: TestServer;
const PASSWORD = 'very-secret-station-password';
const WRONG = 'another-wrong-password-123';

before(async () => {
  server = await startTestServer({ autoRegister: false }, { logLines: lines });
  await server.api('POST', '/api/v1/stations', { id: 'LOG-1', password: PASSWORD });
});
after(() => server.stop());

const logged = () => lines.map((line) => JSON.parse(line));

test('unknown stations and wrong passwords are refused before the upgrade, and logged', async () => {
  await assert.rejects(openRaw(`${server.ocppUrl}/LOG-UNKNOWN`, 'ocpp1.6'), (e: any) => e.statusCode === 401);
  await assert.rejects(openRaw(`${server.ocppUrl}/LOG-1`, 'ocpp1.6', basicAuth('LOG-1', WRONG)), (e: any) => e.statusCode === 401);
  const refusals = logged().filter((entry) => entry.msg === 'OCPP handshake refused');
  assert.deepEqual(
    refusals.map((entry) => [entry.stationId, entry.status, entry.reason]),
    [
      ['LOG-UNKNOWN', 401, 'unknown station and auto-registration is off'],
      ['LOG-1', 401, 'wrong password'],
    ],
  );
});

test('a rejected payload is logged with station and message id', async () => {
  const station = await openRaw(`${server.ocppUrl}/LOG-1`, 'ocpp1.6', basicAuth('LOG-1', PASSWORD));
  const answer = await station.call('StatusNotification', { connectorId: 'one', errorCode: 'NoError', status: 'Available' }, 'msg-42');
  assert.equal(answer[2], 'TypeConstraintViolation');
  const entry = logged().find((e) => e.msg === 'inbound payload rejected');
  assert.deepEqual([entry?.stationId, entry?.messageId, entry?.action, entry?.code], ['LOG-1', 'msg-42', 'StatusNotification', 'TypeConstraintViolation']);
  await station.close();
});

test('no password or token appears in any log line', () => {
  const all = lines.join('\n');
  assert.ok(lines.length > 0);
  for (const secret of [PASSWORD, WRONG, 'test-admin-token-0123456789', Buffer.from(`LOG-1:${PASSWORD}`).toString('base64')]) {
    assert.ok(!all.includes(secret), `a log line contains ${secret}`);
  }
});
