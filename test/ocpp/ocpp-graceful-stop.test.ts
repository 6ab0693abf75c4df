/**
 * A node that stops (SIGTERM in production, app.stop() here) tells its
 * stations to reconnect (1012) and refuses new ones with 503, and a station
 * that never answers the close frame cannot hold the stop: it is cut after
 * the grace period instead of ws's 30 s close timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { openRaw } from '../support/raw-client.ts';
import { startTestServer } from '../support/harness.ts';

/** A WebSocket handshake by hand, then silence: this "station" reads frames but never answers a close. */
function silentStation(port: number, id: string): Promise<{ frames: Buffer[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const frames: Buffer[] = [];
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    let upgraded = false;
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) return void frames.push(chunk);
      if (!chunk.toString().startsWith('HTTP/1.1 101')) return reject(new Error(chunk.toString()));
      upgraded = true;
      resolve({ frames, closed });
    });
    socket.write(
      [`GET /ocpp/${id} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: ocpp1.6', '', ''].join('\r\n'),
    );
  });
}

test('stopping: stations get 1012, a silent one is cut after the grace period, new upgrades get 503', async () => {
  const server = await startTestServer({ autoRegister: true });
  const polite = await openRaw(`${server.ocppUrl}/STOP-POLITE`, 'ocpp1.6');
  const boot = await polite.call('BootNotification', { chargePointVendor: 'Test', chargePointModel: 'Stop' });
  assert.equal(boot[2].status, 'Accepted');
  const silent = await silentStation(server.app.port, 'STOP-SILENT');

  const started = Date.now();
  const stopping = server.stop();
  assert.deepEqual(await polite.closed, { code: 1012, reason: 'CSMS node restarting' });
  const refused = await openRaw(`${server.ocppUrl}/STOP-LATE`, 'ocpp1.6').then(
    () => 'accepted',
    (error: { statusCode?: number; code?: string }) => error.statusCode ?? error.code,
  );
  // 503 while draining, or refused outright once the HTTP server is closed: never a new session.
  assert.ok(refused === 503 || refused === 'ECONNREFUSED', `late upgrade answered ${refused}`);
  await stopping;
  await silent.closed;
  // Generous bound against a hang (ws would wait 30 s for the silent station's close frame).
  assert.ok(Date.now() - started < 15_000, `stop took ${Date.now() - started} ms`);
  // The silent station was sent a close frame (opcode 8) with code 1012 before it was cut.
  const bytes = Buffer.concat(silent.frames);
  const close = bytes.indexOf(0x88);
  assert.ok(close >= 0, 'a close frame was sent');
  assert.equal(bytes.readUInt16BE(close + 2), 1012);
});
