/**
 * Inbound DataTransfer over real sockets, with our simulator and with the independent ocpp-rpc
 * client in strict mode (its schema checks reject any answer the official schemas refuse), for
 * 1.6 and 2.0.1: matched and accepted with metrics and a problem event stored; unknown vendor;
 * unknown message; a payload failing its schema stored raw, flagged and Rejected; 1.6 data that is
 * not JSON for a JSON profile; payloads near the frame limit; hostile strings.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, eventually, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { SimStation } from '../../sim/index.ts';
import { coolantTelemetry, COOLING_VENDOR_ID } from '../../sim/sim-vendor.ts';
import { exampleProfile } from './vendor-support.ts';

const AT = '2025-03-01T10:00:00.000Z';

describe('inbound DataTransfer', () => {
  let server: TestServer;
  const stations: SimStation[] = [];
  const clients: RPCClient[] = [];

  before(async () => {
    server = await startTestServer({ ocpp: { maxFrameBytes: 65536 } } as any);
    const uploaded = await server.api('POST', '/api/v1/vendor-profiles', exampleProfile('liquid-cooling'));
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  });
  after(async () => {
    await Promise.allSettled([...stations.map((s) => s.stop()), ...clients.map((c) => c.close({ code: 1000 }))]);
    await server?.stop();
  });

  async function sim(id: string, version: '1.6' | '2.0.1'): Promise<SimStation> {
    const station = new SimStation({ url: server.ocppUrl, id, version, heartbeats: false, reconnect: false });
    stations.push(station);
    await station.start();
    return station;
  }

  async function rpc(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1'): Promise<RPCClient> {
    const client = await strictRpcClient(server.ocppUrl, id, protocol);
    clients.push(client);
    if (protocol === 'ocpp1.6') await client.call('BootNotification', { chargePointVendor: 'Rpc', chargePointModel: 'Strict' });
    else await client.call('BootNotification', { chargingStation: { vendorName: 'Rpc', model: 'Strict' }, reason: 'PowerUp' });
    return client;
  }

  const transfers = async (stationId: string, query = '') => (await server.api('GET', `/api/v1/stations/${stationId}/data-transfers${query}`)).body;

  for (const version of ['1.6', '2.0.1'] as const) {
    test(`${version} simulator: a matched message is Accepted and becomes metrics; a pump fault becomes a problem event`, async () => {
      const id = `VX-SIM-${version.replace(/\./g, '')}`;
      const station = await sim(id, version);
      const running = await station.call('DataTransfer', coolantTelemetry(version, { inletTempC: 31.5, outletTempC: 38, flowLpm: 4.2, pumpState: 'running', timestamp: AT }));
      assert.deepEqual(running, { status: 'Accepted' });
      const fault = await station.call('DataTransfer', coolantTelemetry(version, { inletTempC: 45, outletTempC: 71, flowLpm: 0, pumpState: 'fault', faultCode: 'P17' }));
      assert.deepEqual(fault, { status: 'Accepted' });

      const metrics = (await server.api('GET', `/api/v1/stations/${id}/vendor-metrics?name=coolant.inletTemperature`)).body;
      assert.equal(metrics.total, 2);
      const first = metrics.items.find((m: any) => m.at === AT);
      assert.deepEqual([first.value, first.unit, first.profileId], [31.5, 'Celsius', 'example-liquid-cooling']);
      const pump = (await server.api('GET', `/api/v1/stations/${id}/vendor-metrics?name=coolant.pumpRunning`)).body.items.map((m: any) => m.value).sort();
      assert.deepEqual(pump, [0, 1]);
      const all = (await server.api('GET', `/api/v1/stations/${id}/vendor-metrics`)).body;
      assert.equal(all.total, 8, 'four metrics per message');

      const events = (await server.api('GET', `/api/v1/stations/${id}/vendor-events?problem=true`)).body;
      assert.equal(events.total, 1, 'only the fault raises the event');
      assert.deepEqual([events.items[0].type, events.items[0].severity, events.items[0].detail], ['coolant.pumpFault', 'error', { state: 'fault', faultCode: 'P17' }]);

      const raw = await transfers(id);
      assert.equal(raw.total, 2);
      assert.deepEqual(raw.items.map((t: any) => [t.outcome, t.flagged, t.profileId]), [['accepted', false, 'example-liquid-cooling'], ['accepted', false, 'example-liquid-cooling']]);
      assert.equal(events.items[0].transferId, raw.items[0].id, 'the event points at its raw message');
      // Stored raw: exactly the request the station sent (1.6: data is the JSON string as received).
      assert.deepEqual(raw.items[1].payload, coolantTelemetry(version, { inletTempC: 31.5, outletTempC: 38, flowLpm: 4.2, pumpState: 'running', timestamp: AT }));
    });

    test(`${version} strict client: unknown vendor, unknown message, schema failure (kept raw, flagged, Rejected)`, async () => {
      const id = `VX-RPC-${version.replace(/\./g, '')}`;
      const client = await rpc(id, version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1');
      const data = (value: unknown) => (version === '1.6' ? JSON.stringify(value) : value);

      assert.deepEqual(await client.call('DataTransfer', { vendorId: 'com.nobody', messageId: 'X', data: data({}) }), { status: 'UnknownVendorId' });
      assert.deepEqual(await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'NoSuchMessage' }), { status: 'UnknownMessageId' });
      assert.deepEqual(await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID }), { status: 'UnknownMessageId' }, 'no messageId: the profile declares none');
      // vendorId and messageId are CiStrings: matched without case.
      assert.deepEqual(
        await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID.toUpperCase(), messageId: 'coolanttelemetry', data: data({ inletTempC: 1, outletTempC: 2, flowLpm: 3, pump: { state: 'stopped' } }) }),
        { status: 'Accepted' },
      );

      const bad = { inletTempC: 'hot', outletTempC: 500, pump: { state: 'exploded' } };
      const answer = (await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: data(bad) })) as { status: string; statusInfo?: { reasonCode: string; additionalInfo?: string } };
      assert.equal(answer.status, 'Rejected');
      if (version !== '1.6') assert.match(answer.statusInfo?.additionalInfo ?? '', /flowLpm/);

      const flagged = await transfers(id, '?flagged=true');
      assert.equal(flagged.total, 1);
      const row = flagged.items[0];
      assert.deepEqual(row.payload.data, data(bad), 'stored raw');
      assert.equal(row.outcome, 'rejected');
      assert.ok(row.problems.some((p: string) => p.includes('flowLpm')), JSON.stringify(row.problems));
      assert.ok(row.problems.some((p: string) => p.includes('/inletTempC')), JSON.stringify(row.problems));
      assert.equal((await server.api('GET', `/api/v1/stations/${id}/vendor-metrics`)).body.total, 4, 'only the accepted message gave metrics (four)');

      const all = await transfers(id);
      assert.deepEqual(all.items.map((t: any) => t.outcome).reverse(), ['unknownVendor', 'unknownMessage', 'unknownMessage', 'accepted', 'rejected']);
      assert.equal((await transfers(id, '?vendorId=com.nobody')).total, 1);
      assert.equal((await transfers(id, '?messageId=NoSuchMessage')).total, 1);
      assert.deepEqual((await transfers(id, '?limit=2&offset=1')).items.map((t: any) => t.outcome), ['accepted', 'unknownMessage']);
    });
  }

  test('1.6: data that is not JSON for a JSON profile is Rejected, kept raw and flagged; so is a JSON value of the wrong shape', async () => {
    const client = await rpc('VX-RPC-TEXT', 'ocpp1.6');
    for (const text of ['not json at all', '{"inletTempC": 1,', '', '42']) {
      const answer = await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: text });
      assert.deepEqual(answer, { status: 'Rejected' }, text);
    }
    const rows = (await transfers('VX-RPC-TEXT')).items.reverse();
    assert.deepEqual(rows.map((r: any) => r.payload.data), ['not json at all', '{"inletTempC": 1,', '', '42']);
    assert.ok(rows.every((r: any) => r.flagged));
    assert.match(rows[0].problems[0], /data is not JSON/);
    assert.match(rows[3].problems[0], /must be object/);
  });

  test('hostile input: huge payloads and odd characters are stored raw and answered, never a crash', async () => {
    const id = 'VX-RPC-HOSTILE';
    const client = await rpc(id, 'ocpp2.0.1');
    // Near the 64 KiB frame limit: a big valid payload (extra fields are allowed by the schema) and a big invalid one.
    const big = 'x'.repeat(60_000);
    assert.deepEqual(
      await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: { inletTempC: 20, outletTempC: 25, flowLpm: 2, pump: { state: 'running' }, note: big } }),
      { status: 'Accepted' },
    );
    const rejected = (await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: Array.from({ length: 5000 }, (_, i) => i) })) as { status: string; statusInfo: { additionalInfo: string } };
    assert.equal(rejected.status, 'Rejected');
    assert.ok(rejected.statusInfo.additionalInfo.length <= 512);
    assert.deepEqual(await client.call('DataTransfer', { vendorId: 'com.evil\ud800vendor', messageId: 'a\u202eb', data: { text: '\udfff \u202e <script>' } }), { status: 'UnknownVendorId' });
    assert.deepEqual(
      await client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: { inletTempC: 1e308, outletTempC: -0, flowLpm: 0, pump: { state: 'running', faultCode: '\ud800' } } }),
      { status: 'Rejected', statusInfo: { reasonCode: 'SchemaViolation', additionalInfo: '/inletTempC must be <= 150' } },
    );
    // U+0000 is refused by the transport before any handler (a CALLERROR, nothing stored).
    await assert.rejects(client.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: { text: 'a\u0000b' } }), /U\+0000/);

    const rows = (await transfers(id)).items.reverse();
    assert.equal(rows.length, 4);
    assert.equal(rows[0].payload.data.note.length, 60_000, 'the big payload is kept whole');
    assert.deepEqual(rows[2].payload.data, { text: '\udfff \u202e <script>' }, 'the raw payload keeps lone surrogates and controls');
    assert.equal(rows[2].messageId, 'a\u202eb');
    assert.match(rows[3].problems.join(' '), /inletTempC/, '1e308 is beyond the schema maximum');
    // A frame beyond the limit never reaches the handler: the transport closes the socket; the server lives on.
    const huge = await strictRpcClient(server.ocppUrl, 'VX-RPC-HUGE', 'ocpp2.0.1');
    clients.push(huge);
    await huge.call('BootNotification', { chargingStation: { vendorName: 'Rpc', model: 'Strict' }, reason: 'PowerUp' });
    await assert.rejects(huge.call('DataTransfer', { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: 'y'.repeat(70_000) }, { callTimeout: 3000 } as any));
    assert.equal((await transfers('VX-RPC-HUGE')).total, 0);
    assert.deepEqual(await client.call('DataTransfer', { vendorId: 'com.nobody' }), { status: 'UnknownVendorId' }, 'other stations are unaffected');
  });

  test('2.0.1: customData on the DataTransfer itself is read by the mapping of its vendor', async () => {
    const profile = {
      id: 'vx-custom',
      vendorId: 'com.example.meta',
      messages: [],
      customData: [{ action: 'DataTransfer', normalise: [{ kind: 'metric', name: 'meta.rssi', value: '/rssi', unit: 'dBm' }, { kind: 'event', type: 'meta.lowSignal', severity: 'warning', when: { pointer: '/low', equals: true } }] }],
    };
    assert.equal((await server.api('POST', '/api/v1/vendor-profiles', profile)).status, 201);
    const client = await rpc('VX-RPC-CUSTOM', 'ocpp2.0.1');
    const answer = await client.call('DataTransfer', { vendorId: 'com.nobody', customData: { vendorId: 'com.example.meta', rssi: -71, low: true } });
    assert.deepEqual(answer, { status: 'UnknownVendorId' }, 'the DataTransfer itself is of an unknown vendor');
    const metrics = (await server.api('GET', '/api/v1/stations/VX-RPC-CUSTOM/vendor-metrics')).body.items;
    assert.deepEqual(metrics.map((m: any) => [m.name, m.value, m.unit, m.profileId, m.transferId]), [['meta.rssi', -71, 'dBm', 'vx-custom', null]]);
    const events = (await server.api('GET', '/api/v1/stations/VX-RPC-CUSTOM/vendor-events')).body.items;
    assert.deepEqual(events.map((e: any) => [e.type, e.severity, e.problem]), [['meta.lowSignal', 'warning', false]]);
  });

  test('the raw message list is the station tenant’s and needs the station to exist', async () => {
    assert.equal((await server.api('GET', '/api/v1/stations/NO-SUCH-STATION/data-transfers')).status, 404);
    assert.equal((await server.api('GET', '/api/v1/stations/VX-SIM-16/data-transfers?limit=0')).status, 400);
    await eventually(async () => (await transfers('VX-SIM-16')).total === 2, 'the list still answers');
  });
});
