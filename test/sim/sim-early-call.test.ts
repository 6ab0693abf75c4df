/** A CSMS CALL sent right behind the upgrade answer reaches the simulator's handlers (it is not dropped). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import { SimStation } from '../../sim/index.ts';

test('a CALL that arrives with the upgrade answer is answered', { timeout: 5000 }, async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
  await new Promise((resolve) => server.once('listening', resolve));
  const answer = new Promise<unknown>((resolve) => {
    server.on('connection', (socket) => {
      socket.send(JSON.stringify([2, 'early', 'ClearCache', {}]));
      socket.on('message', (data) => resolve(JSON.parse(data.toString())));
    });
  });
  const { port } = server.address() as { port: number };
  const station = new SimStation({ url: `ws://127.0.0.1:${port}/ocpp`, id: 'EARLY', version: '1.6', autoBoot: false, reconnect: false });
  await station.start();
  assert.deepEqual(await answer, [3, 'early', { status: 'Accepted' }]);
  await station.stop();
  await new Promise((resolve) => server.close(resolve));
});
