/**
 * The station lifecycle scenarios from the foundation issue, written once
 * against StationDriver and run by one test file per driver: boot accepted /
 * pending / rejected, heartbeat, status changes in the REST view,
 * reconnection, duplicate connection.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import type { DriverFactory } from '../support/station-driver.ts';

const HEARTBEAT_SEC = 120;
const RETRY_SEC = 7;

export function stationLifecycleScenarios(driver: DriverFactory, versions: OcppVersion[]): void {
  describe(`station lifecycle with ${driver.name}`, () => {
    let server: TestServer;
    let counter = 0;
    const nextId = (version: OcppVersion) => `LC-${version.replace(/\./g, '')}-${++counter}`;

    before(async () => {
      server = await startTestServer({ ocpp: { heartbeatIntervalSec: HEARTBEAT_SEC, bootRetryIntervalSec: RETRY_SEC } as any });
    });
    after(async () => {
      await server.stop();
    });

    for (const version of versions) {
      const station = (id: string, password?: string) => driver.create({ url: server.ocppUrl, id, version, password });
      const view = async (id: string) => (await server.api('GET', `/api/v1/stations/${id}`)).body;
      const is16 = version === '1.6';

      test(`${version}: boot Accepted records identity and shows the station connected`, async () => {
        const id = nextId(version);
        const s = station(id);
        await s.connect();
        const answer = await s.boot();
        assert.equal(answer.status, 'Accepted');
        assert.equal(answer.interval, HEARTBEAT_SEC);
        assert.ok(Math.abs(Date.parse(answer.currentTime) - Date.now()) < 60_000);
        const body = await view(id);
        assert.equal(body.ocppVersion, version);
        assert.equal(body.connected, true);
        assert.equal(body.firmwareVersion, '1.2.3');
        assert.ok(body.vendor && body.model, 'vendor and model recorded');
        assert.equal(body.serialNumber, `SN-${id}`);
        assert.ok(body.lastBootAt);
        await s.close();
      });

      test(`${version}: boot Pending gives the retry interval and blocks other messages until accepted`, async () => {
        const id = nextId(version);
        assert.equal((await server.api('POST', '/api/v1/stations', { id, registrationStatus: 'Pending' })).status, 201);
        const s = station(id);
        await s.connect();
        const pending = await s.boot();
        assert.equal(pending.status, 'Pending');
        assert.equal(pending.interval, RETRY_SEC);
        await assert.rejects(s.heartbeat(), (error: any) => /SecurityError/.test(`${error.code ?? error.rpcErrorCode ?? error.name} ${error.message}`));
        await server.api('PATCH', `/api/v1/stations/${id}`, { registrationStatus: 'Accepted' });
        const accepted = await s.boot();
        assert.equal(accepted.status, 'Accepted');
        assert.equal(accepted.interval, HEARTBEAT_SEC);
        await s.heartbeat();
        await s.close();
      });

      test(`${version}: boot Rejected`, async () => {
        const id = nextId(version);
        await server.api('POST', '/api/v1/stations', { id, registrationStatus: 'Rejected' });
        const s = station(id);
        await s.connect();
        const rejected = await s.boot();
        assert.equal(rejected.status, 'Rejected');
        assert.equal(rejected.interval, RETRY_SEC);
        await assert.rejects(s.status(1, 1, 'Available'));
        await s.close();
      });

      test(`${version}: heartbeat answers the CSMS time and refreshes lastSeenAt`, async () => {
        const id = nextId(version);
        const s = station(id);
        await s.connect();
        await s.boot();
        const before = Date.parse((await view(id)).lastSeenAt);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const { currentTime } = await s.heartbeat();
        assert.ok(Math.abs(Date.parse(currentTime) - Date.now()) < 60_000);
        const after = Date.parse((await view(id)).lastSeenAt);
        assert.ok(after > before, 'lastSeenAt moved forward');
        await s.close();
      });

      test(`${version}: status changes are reflected in the REST topology`, async () => {
        const id = nextId(version);
        const s = station(id);
        await s.connect();
        await s.boot();
        await s.status(1, 1, 'Available');
        await s.status(2, 1, 'Available');
        await s.status(1, 1, is16 ? 'Charging' : 'Occupied');
        await s.status(2, 1, 'Faulted');
        if (is16) await s.status(0, 0, 'Unavailable');
        const body = await view(id);
        assert.deepEqual(
          body.evses.map((e: any) => [e.id, e.connectors.map((c: any) => [c.id, c.status])]),
          [
            [1, [[1, 'Occupied']]],
            [2, [[1, 'Faulted']]],
          ],
        );
        if (is16) {
          assert.equal(body.evses[0].connectors[0].ocppStatus, 'Charging', 'the finer 1.6 status is kept');
          assert.equal(body.evses[0].connectors[0].activity, 'charging', 'and said in neutral words');
          assert.equal(body.evses[1].connectors[0].errorCode, 'GroundFailure');
          assert.equal(body.status, 'Unavailable', '1.6 connector 0 is the station itself');
        }
        const history = (await server.api('GET', `/api/v1/stations/${id}/status-history`)).body.items;
        assert.equal(history.length, is16 ? 5 : 4);
        assert.equal(history.at(-1).status, 'Available');
        // Newest first: the Charging report (1.6) is the third newest, and the version says its activity only there.
        assert.deepEqual(
          history.filter((h: any) => h.activity !== null).map((h: any) => [h.evseId, h.activity]),
          is16 ? [[1, 'charging']] : [],
        );
        if (!is16) assert.equal(body.evses[0].connectors[0].activity, null, '2.x says what goes on in transaction events, not in its status');
        await s.close();
      });

      test(`${version}: reconnection is recorded and the station comes back online`, async () => {
        const id = nextId(version);
        const s = station(id);
        await s.connect();
        await s.boot();
        await s.close();
        await eventually(async () => (await view(id)).connected === false, 'station offline');
        await s.connect();
        await s.heartbeat();
        await eventually(async () => (await view(id)).connected === true, 'station back online');
        const events = (await server.api('GET', `/api/v1/stations/${id}/connection-history`)).body.items.map((e: any) => e.event);
        await eventually(async () => (await server.api('GET', `/api/v1/stations/${id}/connection-history`)).body.items.length === 3, 'three connection events');
        assert.deepEqual(events.slice(0, 2), ['connected', 'disconnected']);
        await s.close();
      });

      test(`${version}: a second connection replaces the first`, async () => {
        const id = nextId(version);
        const first = station(id);
        await first.connect();
        await first.boot();
        const second = station(id);
        await second.connect();
        const code = await first.closedByServer();
        assert.equal(code, 1000);
        await second.heartbeat();
        const body = await view(id);
        assert.equal(body.connected, true, 'the newer connection keeps the station online');
        const events = (await server.api('GET', `/api/v1/stations/${id}/connection-history`)).body.items;
        assert.ok(events.every((e: any) => e.event === 'connected'), 'the replaced socket is not recorded as the station going offline');
        await second.close();
        await eventually(async () => (await view(id)).connected === false, 'offline after the last socket closes');
      });

      test(`${version}: a password-protected station must present it (security profile 1)`, async () => {
        const id = nextId(version);
        const password = 'correct-horse-battery-staple';
        await server.api('POST', '/api/v1/stations', { id, password });
        await assert.rejects(station(id).connect());
        await assert.rejects(station(id, 'wrong-password-0123456').connect());
        const s = station(id, password);
        await s.connect();
        assert.equal((await s.boot()).status, 'Accepted');
        await s.close();
      });
    }
  });
}
