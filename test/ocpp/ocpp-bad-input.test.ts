/**
 * Hostile and malformed input on the OCPP-J endpoint, table-driven, over real
 * sockets. Each row sends one frame and names the answer the CSMS owes:
 * an exact CALLERROR (in the version's spelling), no answer at all, or a
 * closed connection. After every row the same socket must still answer a
 * Heartbeat, and at the end a bystander station must still be served.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { openRaw, basicAuth, type RawClient } from '../support/raw-client.ts';

type Version = '1.6' | '2.0.1' | '2.1';
const VERSIONS: Version[] = ['1.6', '2.0.1', '2.1'];
const SUBPROTOCOL: Record<Version, string> = { '1.6': 'ocpp1.6', '2.0.1': 'ocpp2.0.1', '2.1': 'ocpp2.1' };

/** OCPP-J 1.6 §4.2.3 spellings of the codes that OCPP 2.0.1 Part 4 §4.3 renamed or added. */
const SPELLING_16: Record<string, string> = {
  FormatViolation: 'FormationViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  RpcFrameworkError: 'FormationViolation',
  MessageTypeNotSupported: 'NotSupported',
};
const spell = (code: string, v: Version): string => (v === '1.6' ? (SPELLING_16[code] ?? code) : code);

// --- expectations ----------------------------------------------------------------

type Expect =
  | { kind: 'error'; code: string; id: string } // code in its 2.x name; spelled per version when checked
  | { kind: 'silent' } // no answer: the next frame is the Heartbeat's CALLRESULT
  | { kind: 'accepted' } // a CALLRESULT: the odd value is tolerated and the message kept
  | { kind: 'closed'; code: number };

const err = (code: string, id = 'bad'): Expect => ({ kind: 'error', code, id });
const UNREADABLE = err('RpcFrameworkError', '-1');
const SILENT: Expect = { kind: 'silent' };
const ACCEPTED: Expect = { kind: 'accepted' };
const closedWith = (code: number): Expect => ({ kind: 'closed', code });
const only21 = (in21: Expect, otherwise: Expect) => (v: Version) => (v === '2.1' ? in21 : otherwise);

interface Row {
  name: string;
  send: string | Buffer | ((v: Version) => string | Buffer);
  binary?: boolean;
  expect: Expect | ((v: Version) => Expect);
  only?: Version[];
}

// --- payloads ----------------------------------------------------------------------

const call = (action: unknown, payload: unknown, id: unknown = 'bad') => JSON.stringify([2, id, action, payload]);
const by = <T>(v16: T, v2x: T) => (v: Version): T => (v === '1.6' ? v16 : v2x);
const without = (object: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

const BOOT = by<Record<string, unknown>>(
  { chargePointVendor: 'V', chargePointModel: 'M' },
  { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } },
);
const STATUS = by<Record<string, unknown>>(
  { connectorId: 1, errorCode: 'NoError', status: 'Available' },
  { timestamp: '2026-01-01T00:00:00Z', connectorStatus: 'Available', evseId: 1, connectorId: 1 },
);
const STATUS_KEY = by('status', 'connectorStatus');
const status = (v: Version, changes: Record<string, unknown>) => call('StatusNotification', { ...STATUS(v), ...changes });
const boot = (v: Version, vendor: unknown, model: unknown) =>
  call('BootNotification', v === '1.6' ? { chargePointVendor: vendor, chargePointModel: model } : { reason: 'PowerUp', chargingStation: { vendorName: vendor, model } });
const RESET = by({ type: 'Hard' }, { type: 'Immediate' });
const EV_NEEDS = { evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'DC', dcChargingParameters: { evMaxCurrent: 1, evMaxVoltage: 1, stateOfCharge: 101 } } };
const nested = (depth: number): unknown => (depth === 0 ? {} : { a: nested(depth - 1) });

// --- the table ---------------------------------------------------------------------

const ROWS: Row[] = [
  // Frames that cannot be read: answered with message id "-1".
  { name: 'not JSON', send: 'hello', expect: UNREADABLE },
  { name: 'truncated JSON', send: '[2,"bad","Heartbeat",{}', expect: UNREADABLE },
  { name: 'empty text frame', send: '', expect: UNREADABLE },
  { name: 'JSON object instead of array', send: '{"0":2,"1":"bad","2":"Heartbeat","3":{}}', expect: UNREADABLE },
  { name: 'JSON null', send: 'null', expect: UNREADABLE },
  { name: 'JSON string', send: '"[2,\\"bad\\",\\"Heartbeat\\",{}]"', expect: UNREADABLE },
  { name: 'empty array', send: '[]', expect: UNREADABLE },
  { name: 'array of two elements', send: '[2,"bad"]', expect: UNREADABLE },
  { name: 'message id is a number', send: call('Heartbeat', {}, 123), expect: UNREADABLE },
  { name: 'message id is null', send: call('Heartbeat', {}, null), expect: UNREADABLE },
  { name: 'message id is empty', send: call('Heartbeat', {}, ''), expect: UNREADABLE },
  { name: 'message id of 37 characters', send: call('Heartbeat', {}, 'x'.repeat(37)), expect: UNREADABLE },
  { name: 'binary WebSocket frame', send: Buffer.from(call('Heartbeat', {})), binary: true, expect: UNREADABLE },
  { name: '1000 nested arrays', send: '['.repeat(1000) + ']'.repeat(1000), expect: UNREADABLE },
  // Message types.
  { name: 'message type 9', send: '[9,"bad","Heartbeat",{}]', expect: err('MessageTypeNotSupported') },
  { name: 'message type "2" as a string', send: '["2","bad","Heartbeat",{}]', expect: err('MessageTypeNotSupported') },
  { name: 'type 5 CALLRESULTERROR (2.1 only)', send: '[5,"bad","GenericError","x",{}]', expect: only21(SILENT, err('MessageTypeNotSupported')) },
  { name: 'type 6 SEND (2.1 only)', send: '[6,"bad","Heartbeat",{}]', expect: only21(SILENT, err('MessageTypeNotSupported')) },
  // CALL structure.
  { name: 'CALL of 3 elements', send: '[2,"bad","Heartbeat"]', expect: err('RpcFrameworkError') },
  { name: 'CALL of 5 elements', send: '[2,"bad","Heartbeat",{},{}]', expect: err('RpcFrameworkError') },
  { name: 'action is a number', send: call(42, {}), expect: err('RpcFrameworkError') },
  { name: 'action is empty', send: call('', {}), expect: err('RpcFrameworkError') },
  // Actions.
  { name: 'unknown action FooBar', send: call('FooBar', {}), expect: err('NotImplemented') },
  { name: 'action in the wrong case', send: call('heartbeat', {}), expect: err('NotImplemented') },
  { name: 'action __proto__', send: call('__proto__', {}), expect: err('NotImplemented') },
  { name: 'action constructor', send: call('constructor', {}), expect: err('NotImplemented') },
  { name: 'Reset (a CSMS-to-station action)', send: (v) => call('Reset', RESET(v)), expect: err('NotSupported') },
  { name: 'DataTransfer of an unknown vendor (answered UnknownVendorId, kept)', send: call('DataTransfer', { vendorId: 'X' }), expect: ACCEPTED },
  // Payload is not an object.
  { name: 'payload is an array', send: call('Heartbeat', []), expect: err('FormatViolation') },
  { name: 'payload is a string', send: call('Heartbeat', '{}'), expect: err('FormatViolation') },
  { name: 'payload is null', send: call('Heartbeat', null), expect: err('FormatViolation') },
  { name: 'payload is a number', send: call('Heartbeat', 0), expect: err('FormatViolation') },
  // Schema violations.
  { name: 'BootNotification without model', send: (v) => call('BootNotification', v === '1.6' ? { chargePointVendor: 'V' } : { reason: 'PowerUp', chargingStation: { vendorName: 'V' } }), expect: err('OccurrenceConstraintViolation') },
  { name: 'StatusNotification without status', send: (v) => call('StatusNotification', without(STATUS(v), STATUS_KEY(v))), expect: err('OccurrenceConstraintViolation') },
  { name: 'connectorId is a string', send: (v) => status(v, { connectorId: '1' }), expect: err('TypeConstraintViolation') },
  { name: 'connectorId is a fraction', send: (v) => status(v, { connectorId: 1.5 }), expect: err('TypeConstraintViolation') },
  { name: 'vendor is a number', send: (v) => boot(v, 5, 'M'), expect: err('TypeConstraintViolation') },
  { name: 'status outside its enum', send: (v) => status(v, { [STATUS_KEY(v)]: 'Broken' }), expect: err('PropertyConstraintViolation') },
  { name: 'model of 21 characters', send: (v) => boot(v, 'V', 'M'.repeat(21)), expect: err('PropertyConstraintViolation') },
  { name: 'timestamp not a date-time', send: (v) => status(v, { timestamp: 'yesterday' }), expect: err('PropertyConstraintViolation') },
  { name: 'timestamp without time zone', send: (v) => status(v, { timestamp: '2026-01-01T00:00:00' }), expect: err('PropertyConstraintViolation') },
  { name: 'stateOfCharge 101 (max 100)', only: ['2.0.1', '2.1'], send: call('NotifyEVChargingNeeds', EV_NEEDS), expect: err('PropertyConstraintViolation') },
  { name: 'evseId -1 (min 0)', only: ['2.1'], send: (v) => status(v, { evseId: -1 }), expect: err('PropertyConstraintViolation') },
  { name: 'unknown property in Heartbeat', send: call('Heartbeat', { foo: 1 }), expect: err('FormatViolation') },
  { name: '__proto__ property in BootNotification', send: (v) => `[2,"bad","BootNotification",${JSON.stringify(BOOT(v)).replace('{', '{"__proto__":{"x":1},')}]`, expect: err('FormatViolation') },
  { name: 'unknown nested property', only: ['2.0.1', '2.1'], send: call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M', x: 1 } }), expect: err('FormatViolation') },
  { name: '200 nested objects', send: call('Heartbeat', nested(200)), expect: err('FormatViolation') },
  // Answers to calls the CSMS never made: ignored.
  { name: 'CALLRESULT for an unknown id', send: '[3,"never-sent",{}]', expect: SILENT },
  { name: 'CALLERROR for an unknown id', send: '[4,"never-sent","GenericError","x",{}]', expect: SILENT },
  { name: 'CALLERROR of 4 elements', send: '[4,"never-sent","GenericError","x"]', expect: SILENT },
  { name: 'CALLRESULT of 4 elements', send: '[3,"never-sent",{},{}]', expect: SILENT },
  // Values the schema allows but storage cannot hold: the CSMS must still answer cleanly.
  { name: 'connectorId 1e400 (Infinity after parsing)', send: (v) => status(v, { connectorId: 7 }).replace('"connectorId":7', '"connectorId":1e400'), expect: err('TypeConstraintViolation') },
  { name: 'connectorId 2^31 (no real connector, beyond int4)', send: (v) => status(v, { connectorId: 2 ** 31 }), expect: err('PropertyConstraintViolation') },
  { name: 'vendor containing U+0000', send: (v) => boot(v, 'V\u0000', 'M'), expect: err('PropertyConstraintViolation') },
  { name: 'timestamp in year 0000 is kept with the reception time', send: (v) => status(v, { timestamp: '0000-01-01T00:00:00Z' }), expect: ACCEPTED },
  { name: 'leap-second timestamp 23:59:60Z is kept with the reception time', send: (v) => status(v, { timestamp: '2026-06-30T23:59:60Z' }), expect: ACCEPTED },
  // Rows that end the connection (the runner reconnects for the next row).
  { name: 'text frame that is not UTF-8', send: Buffer.from([0x5b, 0xff, 0xfe, 0x5d]), expect: closedWith(1007) },
  { name: 'frame above maxFrameBytes (4096)', send: call('Heartbeat', { pad: 'x'.repeat(5000) }), expect: closedWith(1009) },
];

// --- runner ------------------------------------------------------------------------

let hbCounter = 0;

function withTimeout<T>(promise: Promise<T>, what: string, ms = 3000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The next frame must be the CALLRESULT of a fresh Heartbeat: proves the socket is alive and nothing else was queued. */
async function assertHeartbeat(client: RawClient): Promise<void> {
  const id = `hb-${++hbCounter}`;
  const answer = await client.call('Heartbeat', {}, id);
  assert.equal(answer[0], 3, `expected the Heartbeat CALLRESULT, got ${JSON.stringify(answer)}`);
  assert.equal(answer[1], id);
  assert.ok(!Number.isNaN(Date.parse(answer[2]?.currentTime)), 'currentTime is a date-time');
}

function assertCallError(frame: unknown, id: string, code: string): void {
  assert.ok(Array.isArray(frame) && frame.length === 5, `expected a 5-element CALLERROR, got ${JSON.stringify(frame)}`);
  assert.deepEqual(frame.slice(0, 3), [4, id, code]);
  assert.equal(typeof frame[3], 'string');
  assert.ok(frame[4] !== null && typeof frame[4] === 'object' && !Array.isArray(frame[4]), 'details is an object');
}

async function runRow(client: RawClient, row: Row, v: Version): Promise<void> {
  const data = typeof row.send === 'function' ? row.send(v) : row.send;
  const expect = typeof row.expect === 'function' ? row.expect(v) : row.expect;
  client.ws.send(data, { binary: row.binary ?? false });
  switch (expect.kind) {
    case 'closed': {
      const { code } = await withTimeout(client.closed, 'the connection to close');
      assert.equal(code, expect.code);
      return;
    }
    case 'silent':
      return assertHeartbeat(client);
    case 'error': {
      const answer = await client.next();
      await assertHeartbeat(client);
      return assertCallError(answer, expect.id, spell(expect.code, v));
    }
    case 'accepted': {
      const answer = await client.next();
      await assertHeartbeat(client);
      assert.deepEqual(answer.slice(0, 2), [3, 'bad'], `answered ${JSON.stringify(answer)}`);
    }
  }
}

let server: TestServer;
const stationUrl = (id: string) => `${server.ocppUrl}/${id}`;

before(async () => {
  server = await startTestServer({ ocpp: { maxFrameBytes: 4096 } as any });
});
after(() => server.stop());

for (const v of VERSIONS) {
  describe(`OCPP ${v}: malformed and hostile frames`, () => {
    let bystander: RawClient;
    let station: RawClient | null = null;
    const connect = () => openRaw(stationUrl(`BAD-${v}`), SUBPROTOCOL[v]);

    before(async () => {
      bystander = await openRaw(stationUrl(`BYSTANDER-${v}`), SUBPROTOCOL[v]);
      station = await connect();
    });
    after(async () => {
      await station?.close();
      await bystander.close();
    });

    for (const row of ROWS.filter((r) => !r.only || r.only.includes(v))) {
      test(row.name, async () => {
        station ??= await connect();
        await runRow(station, row, v);
        if (station.ws.readyState !== station.ws.OPEN) {
          // The row closed the socket: the station may reconnect and be served.
          station = await connect();
          await assertHeartbeat(station);
        }
      });
    }

    test('Pending and Rejected stations: only BootNotification is answered', async () => {
      for (const registrationStatus of ['Rejected', 'Pending'] as const) {
        const id = `${registrationStatus}-${v}`;
        assert.equal((await server.api('POST', '/api/v1/stations', { id })).status, 201);
        assert.equal((await server.api('PATCH', `/api/v1/stations/${id}`, { registrationStatus })).status, 200);
        const client = await openRaw(stationUrl(id), SUBPROTOCOL[v]);
        try {
          assertCallError(await client.call('Heartbeat', {}, 'hb'), 'hb', 'SecurityError');
          assertCallError(await client.call('StatusNotification', STATUS(v), 'sn'), 'sn', 'SecurityError');
          const booted = await client.call('BootNotification', BOOT(v), 'boot');
          assert.deepEqual(booted.slice(0, 2), [3, 'boot']);
          assert.equal(booted[2].status, registrationStatus);
          assertCallError(await client.call('Heartbeat', {}, 'hb2'), 'hb2', 'SecurityError');
        } finally {
          await client.close();
        }
      }
    });

    test('a station connected before the table is still served', () => assertHeartbeat(bystander));
  });
}

// --- handshake ---------------------------------------------------------------------

const PASSWORD = 'correct-horse-battery-staple';

interface HandshakeRow {
  name: string;
  path: string;
  protocol?: string | string[];
  headers?: Record<string, string>;
  expect: number[] | 'open';
}

const HANDSHAKES: HandshakeRow[] = [
  { name: 'no subprotocol offered', path: '/ocpp/HS-1', protocol: [], expect: [400] },
  { name: 'only an unsupported subprotocol (ocpp1.5)', path: '/ocpp/HS-1', protocol: 'ocpp1.5', expect: [400] },
  { name: 'subprotocol in capitals (OCPP1.6): tokens are compared exactly', path: '/ocpp/HS-1', protocol: 'OCPP1.6', expect: [400] },
  { name: 'no station id (/ocpp/)', path: '/ocpp/', expect: [400, 404] },
  { name: 'no station id (/ocpp)', path: '/ocpp', expect: [400, 404] },
  { name: 'path outside /ocpp', path: '/api/HS-1', expect: [400, 404] },
  { name: 'station id with a space', path: '/ocpp/HS%201', expect: [400] },
  { name: 'station id with an encoded slash', path: '/ocpp/..%2Fadmin', expect: [400] },
  { name: 'station id with two segments', path: '/ocpp/HS/1', expect: [400] },
  { name: 'station id with broken percent-encoding', path: '/ocpp/HS%E0%A4%A', expect: [400] },
  { name: 'station id of 49 characters', path: `/ocpp/${'H'.repeat(49)}`, expect: [400] },
  { name: 'password station without credentials', path: '/ocpp/PW-1', expect: [401] },
  { name: 'password station with a wrong password', path: '/ocpp/PW-1', headers: basicAuth('PW-1', 'wrong-password-0123456'), expect: [401] },
  { name: 'Basic username different from the station id', path: '/ocpp/PW-1', headers: basicAuth('PW-2', PASSWORD), expect: [401] },
  { name: 'Authorization that is not Basic', path: '/ocpp/PW-1', headers: { authorization: `Bearer ${PASSWORD}` }, expect: [401] },
  { name: 'password station with the right password', path: '/ocpp/PW-1', headers: basicAuth('PW-1', PASSWORD), expect: 'open' },
];

describe('WebSocket handshake', () => {
  before(async () => {
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'PW-1', password: PASSWORD })).status, 201);
  });

  for (const row of HANDSHAKES) {
    test(row.name, async () => {
      const url = server.ocppUrl.replace(/\/ocpp$/, '') + row.path;
      const attempt = openRaw(url, row.protocol ?? 'ocpp1.6', row.headers);
      if (row.expect === 'open') {
        const client = await attempt;
        assert.equal(client.protocol, 'ocpp1.6');
        await assertHeartbeat(client);
        await client.close();
        return;
      }
      const expected = row.expect;
      await assert.rejects(attempt, (error: { statusCode?: number }) => {
        assert.ok(expected.includes(error.statusCode as number), `HTTP ${error.statusCode}, expected ${expected.join(' or ')}`);
        return true;
      });
    });
  }
});

// --- flood ---------------------------------------------------------------------------

describe('flood protection (floodBurst 20, 5 messages/s)', () => {
  let flood: TestServer;
  before(async () => {
    flood = await startTestServer({ ocpp: { floodBurst: 20, floodMessagesPerSec: 5 } as any });
  });
  after(() => flood.stop());

  for (const v of VERSIONS) {
    test(`OCPP ${v}: a burst earns GenericError, a sustained flood a 1008 close; others unaffected`, async () => {
      const bystander = await openRaw(`${flood.ocppUrl}/CALM-${v}`, SUBPROTOCOL[v]);
      const flooder = await openRaw(`${flood.ocppUrl}/FLOOD-${v}`, SUBPROTOCOL[v]);
      try {
        for (let i = 0; i < 30; i++) flooder.sendText(call('Heartbeat', {}, `f${i}`));
        const answers = await Promise.all(Array.from({ length: 30 }, () => flooder.next()));
        const results = answers.filter((a) => a[0] === 3);
        const refused = answers.filter((a) => a[0] === 4);
        assert.ok(results.length >= 20 && refused.length > 0, `${results.length} answered, ${refused.length} refused`);
        for (const frame of refused) assertCallError(frame, '-1', 'GenericError');

        for (let i = 0; i < 60; i++) flooder.sendText(call('Heartbeat', {}, `g${i}`));
        assert.equal((await withTimeout(flooder.closed, 'the flood close')).code, 1008);
        await assertHeartbeat(bystander);
      } finally {
        await flooder.close();
        await bystander.close();
      }
    });
  }
});
