/**
 * Station-initiated messages outside transactions, over real sockets: every one gets its
 * answer and is kept; device events raise and clear problems; meter values outside
 * transactions become a series. Each message is sent by our simulator and by ocpp-rpc in
 * strict mode (which checks the CSMS's answers against the official schemas).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { SimStation } from '../../sim/index.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';

const NOW = () => new Date().toISOString();

async function simStation(server: TestServer, id: string, version: '1.6' | '2.0.1' | '2.1'): Promise<SimStation> {
  const station = new SimStation({ url: server.ocppUrl, id, version, evses: 1, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
  await station.start();
  await eventually(() => server.app.cluster.locate(id), `${id} connected`);
  return station;
}

async function rpcStation(server: TestServer, id: string, protocol: string, boot: Record<string, unknown>): Promise<RPCClient> {
  const client = await strictRpcClient(server.ocppUrl, id, protocol);
  await client.call('BootNotification', boot);
  return client;
}

const BOOT_2X = { reason: 'PowerUp', chargingStation: { vendorName: 'RpcVendor', model: 'RpcModel' } };
const BOOT_16 = { chargePointVendor: 'RpcVendor', chargePointModel: 'RpcModel' };

const events = async (server: TestServer, id: string, query = '') => (await server.api('GET', `/api/v1/stations/${id}/events${query}`)).body;

describe('station events (OCPP 2.0.1 and 2.1)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const version of ['2.0.1', '2.1'] as const) {
    test(`${version}: every station-initiated message outside transactions is answered and kept (simulator)`, async () => {
      const id = `EV-SIM-${version.replace(/\./g, '')}`;
      const station = await simStation(server, id, version);
      try {
        assert.deepEqual(await station.call('SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: NOW(), techInfo: 'cold boot' }), {});
        assert.deepEqual(await station.call('FirmwareStatusNotification', { status: 'Downloading', requestId: 7 }), {});
        assert.deepEqual(await station.call('LogStatusNotification', { status: 'Uploading', requestId: 8 }), {});
        assert.deepEqual(await station.call('PublishFirmwareStatusNotification', { status: 'Published', location: ['http://lc/fw.bin'], requestId: 9 }), {});
        const sign = await station.call('SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----' });
        assert.equal(sign.status, 'Rejected', 'no certificate authority yet: refused, so the station does not wait for a certificate');
        const ev = await station.call('Get15118EVCertificate', { iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest: 'AAAA' });
        assert.deepEqual([ev.status, ev.exiResponse], ['Failed', ''], 'exiResponse is always present');
        assert.equal((await station.call('GetCertificateStatus', { ocspRequestData: { hashAlgorithm: 'SHA256', issuerNameHash: 'a', issuerKeyHash: 'b', serialNumber: '1', responderURL: 'http://ocsp' } })).status, 'Failed');
        assert.deepEqual(await station.call('NotifyChargingLimit', { chargingLimit: { chargingLimitSource: 'EMS', isGridCritical: true }, evseId: 1 }), {});
        assert.deepEqual(await station.call('ClearedChargingLimit', { chargingLimitSource: 'EMS', evseId: 1 }), {});
        const needs = await station.call('NotifyEVChargingNeeds', { evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'AC_three_phase' } });
        assert.equal(needs.status, 'Rejected', 'no schedule will follow until load management exists');
        const schedule = { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] };
        assert.equal((await station.call('NotifyEVChargingSchedule', { timeBase: NOW(), evseId: 1, chargingSchedule: schedule })).status, 'Accepted');
        const profile = { id: 5, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ ...schedule, startSchedule: NOW() }] };
        assert.deepEqual(await station.call('ReportChargingProfiles', { requestId: 3, chargingLimitSource: 'CSO', evseId: 1, chargingProfile: [profile] }), {});

        const page = await events(server, id, '?limit=50');
        const kinds = page.items.map((e: any) => e.kind).sort();
        assert.deepEqual(kinds, [
          'certificate-signing-request',
          'certificate-status-request',
          'charging-limit',
          'charging-limit-cleared',
          'charging-profiles-report',
          'ev-certificate-request',
          'ev-charging-needs',
          'ev-charging-schedule',
          'firmware-publish-status',
          'firmware-status',
          'log-status',
          'security',
        ]);
        assert.equal(page.total, 12);
        const security = page.items.find((e: any) => e.kind === 'security');
        assert.equal(security.type, 'StartupOfTheDevice');
        assert.equal(security.detail.techInfo, 'cold boot', 'the station\'s own words are kept');
        const firmware = page.items.find((e: any) => e.kind === 'firmware-status');
        assert.deepEqual([firmware.type, firmware.requestId], ['Downloading', 7]);
        const limit = page.items.find((e: any) => e.kind === 'charging-limit');
        assert.deepEqual([limit.type, limit.evseId], ['EMS', 1]);
        const onlySecurity = await events(server, id, '?kind=security');
        assert.deepEqual(onlySecurity.items.map((e: any) => e.kind), ['security']);
      } finally {
        await station.stop();
      }
    });
  }

  test('a Problem variable turning true raises a problem on its connector; false clears it; cleared=true clears too', async () => {
    const client = await rpcStation(server, 'EV-RPC-PROBLEM', 'ocpp2.0.1', BOOT_2X);
    try {
      const notify = (eventId: number, actualValue: string, extra: Record<string, unknown> = {}) =>
        client.call('NotifyEvent', {
          generatedAt: NOW(),
          seqNo: 0,
          eventData: [
            {
              eventId,
              timestamp: NOW(),
              trigger: 'Delta',
              actualValue,
              eventNotificationType: 'HardWiredNotification',
              component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
              variable: { name: 'Problem' },
              techCode: 'E42',
              ...extra,
            },
          ],
        });
      assert.deepEqual(await notify(1, 'true'), {});
      let problems = (await server.api('GET', '/api/v1/stations/EV-RPC-PROBLEM/problems')).body.items;
      assert.equal(problems.length, 1);
      assert.deepEqual([problems[0].evseId, problems[0].connectorId, problems[0].device.component, problems[0].device.variable], [1, 1, 'Connector', 'Problem']);
      const network = (await server.api('GET', '/api/v1/problems')).body;
      assert.ok(network.items.some((p: any) => p.stationId === 'EV-RPC-PROBLEM'), 'the network list shows it');

      await notify(2, 'true');
      problems = (await server.api('GET', '/api/v1/stations/EV-RPC-PROBLEM/problems')).body.items;
      assert.equal(problems.length, 1, 'a repeat raises nothing new');
      assert.equal(problems[0].eventId, (await events(server, 'EV-RPC-PROBLEM', '?problem=true')).items.at(-1).id, 'the first event stays the cause');

      await notify(3, 'false');
      assert.deepEqual((await server.api('GET', '/api/v1/stations/EV-RPC-PROBLEM/problems')).body.items, []);

      await notify(4, 'true');
      assert.equal((await server.api('GET', '/api/v1/stations/EV-RPC-PROBLEM/problems')).body.items.length, 1);
      await notify(5, 'true', { cleared: true });
      assert.deepEqual((await server.api('GET', '/api/v1/stations/EV-RPC-PROBLEM/problems')).body.items, [], 'cleared=true ends it');

      // An ordinary variable changes nothing about problems.
      await client.call('NotifyEvent', {
        generatedAt: NOW(),
        seqNo: 1,
        eventData: [{ eventId: 6, timestamp: NOW(), trigger: 'Periodic', actualValue: '41.5', eventNotificationType: 'PreconfiguredMonitor', component: { name: 'ChargingStation' }, variable: { name: 'Temperature' } }],
      });
      assert.deepEqual((await server.api('GET', '/api/v1/stations/EV-RPC-PROBLEM/problems')).body.items, []);
      const device = await events(server, 'EV-RPC-PROBLEM', '?kind=device');
      assert.equal(device.total, 6, 'every device event is kept');
    } finally {
      await client.close({ code: 1000 });
    }
  });

  test('a problem shows in the status vocabulary: its connector is Faulted until it clears, then gets its status back', async () => {
    const client = await rpcStation(server, 'EV-RPC-STATUS', 'ocpp2.0.1', BOOT_2X);
    const connector = async () => (await server.api('GET', '/api/v1/stations/EV-RPC-STATUS')).body.evses[0].connectors[0];
    const problem = (value: string, evse: Record<string, number> = { id: 1, connectorId: 1 }, name = 'Problem') =>
      client.call('NotifyEvent', {
        generatedAt: NOW(),
        seqNo: 0,
        eventData: [{ eventId: 1, timestamp: NOW(), trigger: 'Delta', actualValue: value, eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse }, variable: { name } }],
      });
    try {
      await client.call('StatusNotification', { timestamp: NOW(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
      await problem('true');
      let c = await connector();
      assert.deepEqual([c.status, c.errorCode], ['Faulted', 'problem:Connector/Problem']);
      await problem('false');
      c = await connector();
      assert.deepEqual([c.status, c.errorCode], ['Occupied', null], 'the status it replaced comes back');

      // Two problems on one connector: clearing one leaves it Faulted.
      await problem('true');
      await problem('true', { id: 1, connectorId: 1 }, 'Tripped');
      await problem('false');
      assert.equal((await connector()).status, 'Faulted', 'Tripped still holds it');
      await problem('false', { id: 1, connectorId: 1 }, 'Tripped');
      assert.equal((await connector()).status, 'Occupied');

      // The station reports a status of its own meanwhile: the clear does not overwrite it.
      await problem('true');
      await client.call('StatusNotification', { timestamp: NOW(), connectorStatus: 'Unavailable', evseId: 1, connectorId: 1 });
      await problem('false');
      assert.equal((await connector()).status, 'Unavailable', 'the station\'s own word stands');

      // A station-wide problem makes the station itself Faulted.
      await client.call('NotifyEvent', {
        generatedAt: NOW(),
        seqNo: 1,
        eventData: [{ eventId: 9, timestamp: NOW(), trigger: 'Alerting', actualValue: 'true', eventNotificationType: 'HardWiredNotification', component: { name: 'ChargingStation' }, variable: { name: 'Overload' } }],
      });
      const view = (await server.api('GET', '/api/v1/stations/EV-RPC-STATUS')).body;
      assert.deepEqual([view.status, view.statusDetail.errorCode], ['Faulted', 'problem:ChargingStation/Overload']);
    } finally {
      await client.close({ code: 1000 });
    }
  });

  test('MeterValues outside a transaction become a series with the multiplier applied (ocpp-rpc strict)', async () => {
    const client = await rpcStation(server, 'EV-RPC-METER', 'ocpp2.0.1', BOOT_2X);
    try {
      const t1 = '2026-12-07T10:00:00.000Z';
      const t2 = '2026-12-07T10:15:00.000Z';
      await client.call('MeterValues', {
        evseId: 0,
        meterValue: [
          { timestamp: t1, sampledValue: [{ value: 1234.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh', multiplier: 0 } }, { value: 22, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W', multiplier: 3 } }] },
          { timestamp: t2, sampledValue: [{ value: 1240 }] },
        ],
      });
      const all = (await server.api('GET', '/api/v1/stations/EV-RPC-METER/meter-values')).body.items;
      assert.equal(all.length, 3);
      const power = (await server.api('GET', '/api/v1/stations/EV-RPC-METER/meter-values?measurand=Power.Active.Import')).body.items;
      assert.deepEqual(power.map((s: any) => [s.at, s.value, s.unit, s.evseId]), [[t1, 22000, 'W', 0]]);
      const energy = (await server.api('GET', `/api/v1/stations/EV-RPC-METER/meter-values?measurand=Energy.Active.Import.Register&from=${t2}`)).body.items;
      assert.deepEqual(energy.map((s: any) => [s.value, s.unit]), [[1240, 'Wh']], 'the schema\'s default measurand and unit');
      const first = (await server.api('GET', `/api/v1/stations/EV-RPC-METER/meter-values?measurand=Energy.Active.Import.Register&to=${t2}`)).body.items;
      assert.deepEqual(first.map((s: any) => [s.value, s.unit]), [[1234500, 'Wh']], 'kWh kept in Wh, like transactions keep it');
    } finally {
      await client.close({ code: 1000 });
    }
  });
});

describe('station events (OCPP 1.6 and its security extension)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('diagnostics, firmware, log and security notifications are answered and kept; SignCertificate is refused (simulator)', async () => {
    const station = await simStation(server, 'EV16-SIM', '1.6');
    try {
      assert.deepEqual(await station.call('DiagnosticsStatusNotification', { status: 'Uploaded' }), {});
      assert.deepEqual(await station.call('FirmwareStatusNotification', { status: 'Installed' }), {});
      assert.deepEqual(await station.call('LogStatusNotification', { status: 'Uploading', requestId: 4 }), {});
      assert.deepEqual(await station.call('SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 5 }), {});
      assert.deepEqual(await station.call('SecurityEventNotification', { type: 'SettingSystemTime', timestamp: '2026-12-07T09:00:00Z' }), {});
      assert.equal((await station.call('SignCertificate', { csr: 'MIIB' })).status, 'Rejected');
      const page = await events(server, 'EV16-SIM');
      assert.deepEqual(page.items.map((e: any) => `${e.kind}:${e.type}`).sort(), [
        'certificate-signing-request:ChargePointCertificate',
        'firmware-status:Installed',
        'firmware-status:SignatureVerified',
        'log-status:Uploaded',
        'log-status:Uploading',
        'security:SettingSystemTime',
      ]);
      const security = page.items.find((e: any) => e.kind === 'security');
      assert.equal(security.at, '2026-12-07T09:00:00.000Z', 'dated by the station\'s clock');
    } finally {
      await station.stop();
    }
  });

  test('the same with ocpp-rpc in strict mode', async () => {
    const client = await rpcStation(server, 'EV16-RPC', 'ocpp1.6', BOOT_16);
    try {
      assert.deepEqual(await client.call('SecurityEventNotification', { type: 'InvalidCentralSystemCertificate', timestamp: NOW(), techInfo: 'x'.repeat(255) }), {});
      assert.deepEqual(await client.call('FirmwareStatusNotification', { status: 'InstallationFailed' }), {});
      const page = await events(server, 'EV16-RPC');
      assert.equal(page.total, 2);
    } finally {
      await client.close({ code: 1000 });
    }
  });
});

describe('station events: hostile input', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('an unreadable station time (a leap second) is replaced by the receive time; a schema violation is a CALLERROR and keeps nothing', async () => {
    const client = await rpcStation(server, 'EV-HOSTILE', 'ocpp2.0.1', BOOT_2X);
    try {
      const before = Date.now();
      await client.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2026-12-31T23:59:60Z' });
      const [event] = (await events(server, 'EV-HOSTILE')).items;
      assert.ok(Date.parse(event.at) >= before - 1000 && event.at === event.receivedAt, 'dated by its arrival');
      assert.equal(event.detail.timestamp, '2026-12-31T23:59:60Z', 'but the station\'s value is kept');
    } finally {
      await client.close({ code: 1000 });
    }
    const station = await simStation(server, 'EV-HOSTILE-SIM', '2.0.1');
    try {
      await assert.rejects(station.call('NotifyEvent', { generatedAt: NOW(), seqNo: 0, eventData: [{ eventId: 1 }] }), (error: any) => error.code === 'OccurrenceConstraintViolation');
      await assert.rejects(station.call('SecurityEventNotification', { type: 'x'.repeat(51), timestamp: NOW() }), (error: any) => error.code === 'FormatViolation' || error.code === 'PropertyConstraintViolation');
      assert.equal((await events(server, 'EV-HOSTILE-SIM')).total, 0);
      // The connection survives and the next message is kept.
      assert.deepEqual(await station.call('SecurityEventNotification', { type: 'ReconfigurationOfSecurityParameters', timestamp: NOW() }), {});
      assert.equal((await events(server, 'EV-HOSTILE-SIM')).total, 1);
    } finally {
      await station.stop();
    }
  });

  test('a NotifyEvent with many events keeps every one, and an unknown station is 404', async () => {
    const station = await simStation(server, 'EV-MANY', '2.0.1');
    try {
      const eventData = Array.from({ length: 200 }, (_, i) => ({
        eventId: i,
        timestamp: NOW(),
        trigger: 'Alerting',
        actualValue: String(i),
        eventNotificationType: 'CustomMonitor',
        component: { name: `Unknown${i}`, instance: 'x' },
        variable: { name: 'Whatever' },
      }));
      assert.deepEqual(await station.call('NotifyEvent', { generatedAt: NOW(), seqNo: 0, tbc: false, eventData }), {});
      assert.equal((await events(server, 'EV-MANY', '?kind=device&limit=1')).total, 200);
    } finally {
      await station.stop();
    }
    assert.equal((await server.api('GET', '/api/v1/stations/NOBODY/events')).status, 404);
  });
});
