/**
 * The simulator against an INDEPENDENT CSMS: ocpp-rpc's RPCServer in strict mode validates every
 * frame the simulator sends (and every answer it gives) against the official OCPP JSON schemas.
 * A few framing tests use a bare `ws` server to send what no well-behaved CSMS would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import { ocpp21Validator } from '../support/ocpp21-validator.ts';
import WebSocket, { WebSocketServer } from 'ws';
import { SimRpcConnection, SimStation, startFleet, type SimStationOptions } from '../../sim/index.ts';

interface Seen { identity: string; method: string; params: any }
type BootAnswer = { status: 'Accepted' | 'Pending' | 'Rejected'; interval: number };

interface Csms {
  url: string;
  seen: Seen[];
  /** Schema violations reported by ocpp-rpc strict mode: must stay empty. */
  violations: unknown[];
  clients: Map<string, any>;
  passwords: Map<string, string | undefined>;
  of(identity: string, method?: string): Seen[];
  close(): Promise<void>;
}

async function startCsms(opts: {
  boot?: (identity: string, attempt: number) => BootAnswer;
  auth?: (accept: () => void, reject: (code: number, message: string) => void, handshake: any) => void;
} = {}): Promise<Csms> {
  const server = new RPCServer({
    protocols: ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'],
    strictMode: true,
    strictModeValidators: [ocpp21Validator()],
  } as any);
  const seen: Seen[] = [];
  const violations: unknown[] = [];
  const clients = new Map<string, any>();
  const passwords = new Map<string, string | undefined>();
  const boots = new Map<string, number>();
  server.auth((accept, reject, handshake) => {
    passwords.set(handshake.identity, handshake.password?.toString('utf8'));
    if (opts.auth) opts.auth(() => accept(), reject, handshake);
    else accept();
  });
  server.on('client', (client: any) => {
    clients.set(client.identity, client);
    client.on('strictValidationFailure', (e: unknown) => violations.push(e));
    client.handle(({ method, params }: { method: string; params: any }) => {
      seen.push({ identity: client.identity, method, params });
      const now = new Date().toISOString();
      if (method === 'BootNotification') {
        const attempt = (boots.get(client.identity) ?? 0) + 1;
        boots.set(client.identity, attempt);
        const answer = opts.boot?.(client.identity, attempt) ?? { status: 'Accepted', interval: 300 };
        return { ...answer, currentTime: now };
      }
      if (method === 'Heartbeat') return { currentTime: now };
      return {};
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    seen, violations, clients, passwords,
    of: (identity, method) => seen.filter((s) => s.identity === identity && (!method || s.method === method)),
    close: () => server.close({ force: true }),
  };
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function station(csms: Csms, options: Partial<SimStationOptions> & Pick<SimStationOptions, 'id' | 'version'>): SimStation {
  return new SimStation({ url: csms.url, reconnect: { minMs: 20, maxMs: 100 }, callTimeoutMs: 3000, resetDelayMs: 20, ...options });
}

test('1.6: boot Accepted, StatusNotification for connector 0..n, heartbeat, setStatus', async () => {
  const csms = await startCsms({ boot: () => ({ status: 'Accepted', interval: 1 }) });
  const s = station(csms, { id: 'CP 16/a', version: '1.6', evses: 2, iccid: '8931000000000000001', imsi: '204080000000001' });
  try {
    const result = await s.start();
    assert.equal(result?.status, 'Accepted');
    assert.equal(s.state, 'accepted');
    assert.equal(s.heartbeatIntervalSec, 1);
    const [boot] = csms.of('CP 16/a', 'BootNotification');
    assert.equal(boot?.params.chargePointVendor, 'Chargebridge');
    assert.equal(boot?.params.iccid, '8931000000000000001');
    const statuses = csms.of('CP 16/a', 'StatusNotification').map((m) => m.params);
    assert.deepEqual(statuses.map((p) => [p.connectorId, p.status, p.errorCode]),
      [[0, 'Available', 'NoError'], [1, 'Available', 'NoError'], [2, 'Available', 'NoError']]);
    assert.ok((await s.heartbeat()).currentTime);
    await waitFor('automatic heartbeat', () => csms.of('CP 16/a', 'Heartbeat').length >= 2, 2500);
    await s.setStatus(2, 1, 'Faulted', { info: 'ground fault' });
    await s.setStatus(1, 1, 'Occupied'); // 2.x name maps to 1.6 Preparing
    const last = csms.of('CP 16/a', 'StatusNotification').slice(-2).map((m) => m.params);
    assert.deepEqual(last.map((p) => [p.connectorId, p.status, p.errorCode]), [[2, 'Faulted', 'OtherError'], [1, 'Preparing', 'NoError']]);
    await assert.rejects(s.setStatus(9, 1, 'Available'), RangeError);
    // The strict CSMS really validates: a hand-made invalid payload is refused.
    await assert.rejects(s.call('StatusNotification', { connectorId: 1, status: 'Bogus' }), (err: any) => typeof err.code === 'string');
    assert.equal(csms.violations.length, 1);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('2.0.1 and 2.1: boot Accepted, status per EVSE connector, heartbeat', async () => {
  const csms = await startCsms();
  const a = station(csms, { id: 'CS201', version: '2.0.1', evses: 2, connectorsPerEvse: 2, iccid: '8931000000000000001' });
  const b = station(csms, { id: 'CS21', version: '2.1' });
  try {
    assert.equal((await a.start())?.status, 'Accepted');
    assert.equal((await b.start())?.status, 'Accepted');
    const [boot] = csms.of('CS201', 'BootNotification');
    assert.equal(boot?.params.reason, 'PowerUp');
    assert.deepEqual(boot?.params.chargingStation.modem, { iccid: '8931000000000000001' });
    const statuses = csms.of('CS201', 'StatusNotification').map((m) => m.params);
    assert.deepEqual(statuses.map((p) => [p.evseId, p.connectorId, p.connectorStatus]),
      [[1, 1, 'Available'], [1, 2, 'Available'], [2, 1, 'Available'], [2, 2, 'Available']]);
    assert.equal(csms.of('CS21', 'StatusNotification').length, 1);
    await a.heartbeat();
    await b.heartbeat();
    await a.setStatus(2, 2, 'Charging'); // 1.6 name maps to 2.x Occupied
    assert.equal(csms.of('CS201', 'StatusNotification').at(-1)?.params.connectorStatus, 'Occupied');
    assert.equal(csms.of('CS21', 'Heartbeat').length, 1);
    assert.deepEqual(csms.violations, []);
    // ...and the re-keyed 2.1 validator is live too.
    await assert.rejects(b.call('StatusNotification', { evseId: 1 }), (err: any) => err.code === 'OccurenceConstraintViolation');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await csms.close();
  }
});

test('Pending: only BootNotification until Accepted, CSMS calls still answered, retry after interval', async () => {
  const csms = await startCsms({ boot: (_id, n) => (n === 1 ? { status: 'Pending', interval: 1 } : { status: 'Accepted', interval: 300 }) });
  const s = station(csms, { id: 'PEND', version: '1.6', bootRetryMs: 300 });
  const boots: string[] = [];
  s.on('boot', (r) => boots.push(r.status));
  try {
    const first = await s.start();
    assert.equal(first?.status, 'Pending');
    assert.equal(s.state, 'pending');
    await assert.rejects(s.heartbeat(), (err: any) => err.code === 'NotAccepted');
    // 1.6 §4.2: while Pending the Central System may query the station, and it answers.
    const conf: any = await csms.clients.get('PEND').call('GetConfiguration', { key: ['HeartbeatInterval'] });
    assert.equal(conf.configurationKey[0].key, 'HeartbeatInterval');
    assert.equal(csms.of('PEND', 'StatusNotification').length, 0);
    await waitFor('Accepted after retry', () => s.state === 'accepted');
    await waitFor('initial statuses', () => csms.of('PEND', 'StatusNotification').length === 2);
    assert.deepEqual(boots, ['Pending', 'Accepted']);
    assert.deepEqual(csms.of('PEND').map((m) => m.method).slice(0, 2), ['BootNotification', 'BootNotification']);
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('1.6 Rejected: CSMS calls go unanswered (§4.2) until a later boot is Accepted', async () => {
  const csms = await startCsms({ boot: (_id, n) => (n === 1 ? { status: 'Rejected', interval: 0 } : { status: 'Accepted', interval: 300 }) });
  const s = station(csms, { id: 'REJ', version: '1.6', bootRetryMs: 400 });
  try {
    assert.equal((await s.start())?.status, 'Rejected');
    assert.equal(s.state, 'rejected');
    await assert.rejects(csms.clients.get('REJ').call('ClearCache', {}, { callTimeoutMs: 150 }), /timeout|timed out/i);
    await waitFor('Accepted after retry', () => s.state === 'accepted');
    assert.deepEqual(await csms.clients.get('REJ').call('ClearCache', {}), { status: 'Accepted' });
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('security profile 1: Basic auth password is sent; a refused upgrade rejects start() with statusCode', async () => {
  const csms = await startCsms({
    auth: (accept, reject, hs) => (hs.password?.toString('utf8') === 'secret:with:colons' ? accept() : reject(401, 'bad password')),
  });
  const good = station(csms, { id: 'AUTH1', version: '2.0.1', password: 'secret:with:colons' });
  const bad = station(csms, { id: 'AUTH2', version: '1.6', password: 'wrong' });
  const none = station(csms, { id: 'AUTH3', version: '2.0.1' });
  try {
    assert.equal((await good.start())?.status, 'Accepted');
    assert.equal(csms.passwords.get('AUTH1'), 'secret:with:colons');
    for (const s of [bad, none]) {
      await assert.rejects(s.start(), (err: any) => {
        assert.equal(err.statusCode, 401);
        assert.equal(err.code, 'HandshakeRefused');
        assert.match(err.message, /401/);
        return true;
      });
      assert.equal(s.state, 'disconnected');
      assert.equal(s.connected, false);
    }
    assert.equal(csms.passwords.get('AUTH3'), undefined);
  } finally {
    await Promise.all([good.stop(), bad.stop(), none.stop()]);
    await csms.close();
  }
});

test('1.6 CSMS-initiated calls: Get/ChangeConfiguration, TriggerMessage, NotImplemented, Reset re-boots', async () => {
  const csms = await startCsms();
  const s = station(csms, { id: 'CMD16', version: '1.6' });
  try {
    await s.start();
    const client = csms.clients.get('CMD16');
    const all: any = await client.call('GetConfiguration', {});
    assert.ok(all.configurationKey.some((k: any) => k.key === 'NumberOfConnectors' && k.readonly && k.value === '1'));
    const some: any = await client.call('GetConfiguration', { key: ['HeartbeatInterval', 'NoSuchKey'] });
    assert.deepEqual(some, { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: ['NoSuchKey'] });
    assert.deepEqual(await client.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '42' }), { status: 'Accepted' });
    assert.equal(s.heartbeatIntervalSec, 42);
    assert.deepEqual(await client.call('ChangeConfiguration', { key: 'NumberOfConnectors', value: '5' }), { status: 'Rejected' });
    assert.deepEqual(await client.call('ChangeConfiguration', { key: 'Nope', value: '1' }), { status: 'NotSupported' });
    assert.deepEqual(await client.call('DataTransfer', { vendorId: 'x' }), { status: 'UnknownVendorId' });
    const before = csms.of('CMD16', 'StatusNotification').length;
    assert.deepEqual(await client.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }), { status: 'Accepted' });
    await waitFor('triggered status', () => csms.of('CMD16', 'StatusNotification').length === before + 1);
    // UnlockConnector is answered since sessions exist (sim-sessions.test.ts), reservations since sim-reservations.ts;
    // a reservation the station does not hold cannot be cancelled. Smart charging is not simulated.
    assert.deepEqual(await client.call('CancelReservation', { reservationId: 1 }), { status: 'Rejected' });
    await assert.rejects(client.call('GetCompositeSchedule', { connectorId: 1, duration: 60 }), (err: any) => err.rpcErrorCode === 'NotImplemented');

    assert.deepEqual(await client.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
    await waitFor('second boot', () => csms.of('CMD16', 'BootNotification').length === 2);
    await waitFor('accepted again', () => s.state === 'accepted' && csms.of('CMD16', 'StatusNotification').length >= before + 3);
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('2.0.1 CSMS-initiated calls: GetVariables/SetVariables, TriggerMessage, Reset re-boots with RemoteReset', async () => {
  const csms = await startCsms();
  const s = station(csms, { id: 'CMD201', version: '2.0.1' });
  const inbound: string[] = [];
  s.on('call', (action) => inbound.push(action));
  try {
    await s.start();
    const client = csms.clients.get('CMD201');
    const got: any = await client.call('GetVariables', { getVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'Bogus' } },
      { component: { name: 'NoSuchCtrlr' }, variable: { name: 'Enabled' } },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeType: 'MaxSet' },
    ] });
    assert.deepEqual(got.getVariableResult.map((r: any) => [r.attributeStatus, r.attributeValue]), [
      ['Accepted', '300'], ['UnknownVariable', undefined], ['UnknownComponent', undefined], ['NotSupportedAttributeType', undefined],
    ]);
    const set: any = await client.call('SetVariables', { setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '77' },
      { component: { name: 'SecurityCtrlr' }, variable: { name: 'Identity' }, attributeValue: 'x' },
    ] });
    assert.deepEqual(set.setVariableResult.map((r: any) => r.attributeStatus), ['Accepted', 'Rejected']);
    assert.equal(s.heartbeatIntervalSec, 77);
    // F06.FR.17: a BootNotification trigger is refused once Accepted.
    assert.deepEqual(await client.call('TriggerMessage', { requestedMessage: 'BootNotification' }), { status: 'Rejected' });
    assert.deepEqual(await client.call('TriggerMessage', { requestedMessage: 'Heartbeat' }), { status: 'Accepted' });
    await waitFor('triggered heartbeat', () => csms.of('CMD201', 'Heartbeat').length === 1);
    assert.deepEqual(await client.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } }), { status: 'Accepted' });
    await waitFor('Unavailable status', () => csms.of('CMD201', 'StatusNotification').at(-1)?.params.connectorStatus === 'Unavailable');
    assert.deepEqual(await client.call('ClearCache', {}), { status: 'Accepted' });

    assert.deepEqual(await client.call('Reset', { type: 'Immediate' }), { status: 'Accepted' });
    await waitFor('re-boot', () => csms.of('CMD201', 'BootNotification').length === 2);
    assert.equal(csms.of('CMD201', 'BootNotification')[1]?.params.reason, 'RemoteReset');
    await waitFor('accepted again', () => s.state === 'accepted');
    assert.ok(inbound.includes('GetVariables') && inbound.includes('Reset'));
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('dropConnection: reconnects with backoff, boots again and re-reports every connector', async () => {
  const csms = await startCsms();
  const s = station(csms, { id: 'FLAKY', version: '2.0.1', evses: 2 });
  const closes: number[] = [];
  s.on('close', (code) => closes.push(code));
  try {
    await s.start();
    await s.setStatus(1, 1, 'Occupied');
    await s.dropConnection();
    assert.equal(s.connected, false);
    assert.deepEqual(closes, [1006]);
    await waitFor('second boot', () => csms.of('FLAKY', 'BootNotification').length === 2);
    await waitFor('re-reported statuses', () => csms.of('FLAKY', 'StatusNotification').length === 5);
    const again = csms.of('FLAKY', 'StatusNotification').slice(-2).map((m) => m.params.connectorStatus);
    assert.deepEqual(again, ['Occupied', 'Available']);
    assert.equal(s.state, 'accepted');
    assert.deepEqual(csms.violations, []);
  } finally {
    await s.stop();
    await csms.close();
  }
});

test('fleet: bounded concurrency, padded ids, mixed versions', async () => {
  const csms = await startCsms();
  const fleet = await startFleet({ url: csms.url, count: 6, version: 'mixed', prefix: 'FLT', concurrency: 2 });
  try {
    assert.deepEqual(fleet.stations.map((s) => `${s.id}@${s.version}`),
      ['FLT-00001@1.6', 'FLT-00002@2.0.1', 'FLT-00003@2.1', 'FLT-00004@1.6', 'FLT-00005@2.0.1', 'FLT-00006@2.1']);
    assert.deepEqual(fleet.failures, []);
    assert.ok(fleet.stations.every((s) => s.state === 'accepted'));
    assert.deepEqual(csms.violations, []);
  } finally {
    await fleet.stop();
    await csms.close();
  }
});

test('RPC framing: one CALL in flight, FIFO queue, timeouts, malformed frames, NotImplemented', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'ocpp2.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const inbox: any[] = [];
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const { port } = wss.address() as AddressInfo;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/RAW`, ['ocpp2.0.1']);
  await new Promise((r) => ws.once('open', r));
  const peer = await serverSide;
  peer.on('message', (d) => inbox.push(JSON.parse(d.toString())));
  const conn = new SimRpcConnection(ws, { callTimeoutMs: 150 });
  try {
    const p1 = conn.call('Heartbeat', {});
    const p2 = conn.call('Heartbeat', {});
    const p3 = conn.call('Heartbeat', {});
    await waitFor('first CALL', () => inbox.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(inbox.length, 1, 'second CALL must wait for the first answer');
    peer.send(JSON.stringify([3, inbox[0][1], { currentTime: 't1' }]));
    assert.deepEqual(await p1, { currentTime: 't1' });
    await waitFor('second CALL', () => inbox.length === 2);
    peer.send(JSON.stringify([4, inbox[1][1], 'SecurityError', 'nope', {}]));
    await assert.rejects(p2, (err: any) => err.code === 'SecurityError');
    await assert.rejects(p3, (err: any) => err.code === 'Timeout'); // never answered
    assert.equal(new Set(inbox.map((f) => f[1])).size, 3, 'message ids are unique');

    peer.send('this is not json');
    peer.send(JSON.stringify({ not: 'an array' }));
    peer.send(JSON.stringify([3, 'unknown-id', {}]));
    peer.send(JSON.stringify([2, 'm1', 'UnlockConnector', {}]));
    peer.send(JSON.stringify([2, 'm2', 42, {}]));
    peer.send(JSON.stringify([7, 'm3']));
    await waitFor('three CALLERRORs', () => inbox.length === 6);
    assert.deepEqual(inbox.slice(3).map((f) => [f[0], f[1], f[2]]),
      [[4, 'm1', 'NotImplemented'], [4, 'm2', 'FormatViolation'], [4, 'm3', 'MessageTypeNotSupported']]);
    conn.handle('Echo', (payload) => ({ echoed: payload }));
    peer.send(JSON.stringify([2, 'm4', 'Echo', { a: 1 }]));
    await waitFor('echo', () => inbox.length === 7);
    assert.deepEqual(inbox[6], [3, 'm4', { echoed: { a: 1 } }]);

    const pending = conn.call('Heartbeat', {});
    peer.terminate();
    await assert.rejects(pending, (err: any) => err.code === 'ConnectionClosed');
  } finally {
    ws.terminate();
    await new Promise((r) => wss.close(r));
  }
});
