/**
 * The endpoints the operator console adds: the live event stream (SSE), the
 * overview, the station list's status filter, the recent-message log and the
 * console's static files — all over real HTTP, with simulated stations.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimStation } from '../../sim/index.ts';
import { ADMIN_TOKEN, eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { postgresUrl, throwAwayDatabase } from '../support/storage-targets.ts';

const engines = [
  { name: 'PGlite', skip: false as const, database: async () => ({ url: undefined, drop: async () => {} }) },
  {
    name: 'PostgreSQL',
    skip: postgresUrl ? (false as const) : 'set CHARGEBRIDGE_TEST_DATABASE_URL (or DATABASE_URL) to run the console API on PostgreSQL',
    database: async (): Promise<{ url: string | undefined; drop(): Promise<void> }> => throwAwayDatabase(postgresUrl as string),
  },
];

for (const engine of engines) {
  describe(`console API on ${engine.name}`, { skip: engine.skip }, () => {
    let server: TestServer;
    let database: { url: string | undefined; drop(): Promise<void> };
    const stations: SimStation[] = [];
    before(async () => {
      database = await engine.database();
      server = await startTestServer({ console: { enabled: true, messageLogSize: 40 } }, { postgresUrl: database.url });
    });
    after(async () => {
      for (const s of stations) await s.stop();
      await server?.stop();
      await database?.drop();
    });

    async function station(id: string, version: '1.6' | '2.0.1', evses = 1): Promise<SimStation> {
      const s = new SimStation({ url: server.ocppUrl, id, version, evses, heartbeats: false, reconnect: false });
      stations.push(s);
      await s.start();
      return s;
    }

    /** Reads an SSE stream with fetch, as the browser console does. */
    function openStream(query = '', token: string = ADMIN_TOKEN) {
      const controller = new AbortController();
      const events: Array<{ event: string; data: any }> = [];
      const ready = fetch(`${server.httpUrl}/api/v1/events${query}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal }).then(async (response) => {
        if (response.status !== 200 || !response.body) return response;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        void (async () => {
          let buffer = '';
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return;
              buffer += value;
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const event = /^event: (.*)$/m.exec(block)?.[1];
                const data = /^data: (.*)$/m.exec(block)?.[1];
                if (event && data) events.push({ event, data: JSON.parse(data) });
              }
            }
          } catch {
            // aborted
          }
        })();
        return response;
      });
      return { events, ready, close: () => controller.abort() };
    }

    describe('GET /api/v1/events', () => {
      test('needs the bearer token', async () => {
        const response = await fetch(`${server.httpUrl}/api/v1/events`);
        assert.equal(response.status, 401);
        const wrong = openStream('', 'not-the-token-at-all');
        assert.equal((await wrong.ready).status, 401);
      });

      test('streams connection, status, transaction and command events as they happen', async () => {
        const stream = openStream();
        const response = await stream.ready;
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
        const sim = await station('SSE-1', '2.0.1');
        await eventually(() => stream.events.find((e) => e.event === 'station.connected' && e.data.stationId === 'SSE-1'), 'station.connected');
        await sim.setStatus(1, 1, 'Faulted');
        const status = await eventually(
          () => stream.events.find((e) => e.event === 'station.status-changed' && e.data.stationId === 'SSE-1' && e.data.status === 'Faulted'),
          'station.status-changed',
        );
        assert.equal(status.data.evseId, 1);
        const command = await server.api('POST', '/api/v1/stations/SSE-1/commands?wait=5', { type: 'trigger', message: 'heartbeat' });
        assert.equal(command.body.state, 'accepted');
        const finished = await eventually(() => stream.events.find((e) => e.event === 'command.finished' && e.data.commandId === command.body.id), 'command.finished');
        assert.deepEqual(
          { stationId: finished.data.stationId, commandType: finished.data.commandType, state: finished.data.state, error: finished.data.error },
          { stationId: 'SSE-1', commandType: 'trigger', state: 'accepted', error: null },
        );
        stream.close();
      });

      test('filters by station and by event type', async () => {
        const onlyTwo = openStream('?stationId=SSE-2&types=station.status-changed');
        await onlyTwo.ready;
        const three = await station('SSE-3', '1.6');
        const two = await station('SSE-2', '1.6');
        await three.setStatus(1, 1, 'Unavailable');
        await two.setStatus(1, 1, 'Unavailable');
        await eventually(() => onlyTwo.events.find((e) => e.data.status === 'Unavailable'), 'SSE-2 status');
        assert.ok(onlyTwo.events.every((e) => e.data.stationId === 'SSE-2' && e.event === 'station.status-changed'), JSON.stringify(onlyTwo.events));
        onlyTwo.close();
      });
    });

    describe('GET /api/v1/overview', () => {
      test('counts stations, connectors, running sessions and energy today', async () => {
        const before = (await server.api('GET', '/api/v1/overview')).body;
        await server.api('POST', '/api/v1/stations', { id: 'OV-OFFLINE' });
        await server.api('POST', '/api/v1/tokens', { idToken: 'OV-TAG' });
        const sim = await station('OV-1', '1.6', 2);
        await sim.setStatus(2, 1, 'Faulted');
        await sim.sessions.plugIn(1, 1, { meterStartWh: 1000 });
        await sim.sessions.startCharging(1, 'OV-TAG');
        await sim.sessions.meterTick(1, { powerW: 7200, seconds: 3600 });
        const after = await eventually(async () => {
          const body = (await server.api('GET', '/api/v1/overview')).body;
          return body.sessions.running === before.sessions.running + 1 && body.energy.todayWh >= before.energy.todayWh + 7200 ? body : null;
        }, 'the session in the overview');
        assert.equal(after.stations.total, before.stations.total + 2);
        assert.equal(after.stations.online, before.stations.online + 1);
        assert.equal(after.stations.offline, before.stations.offline + 1);
        assert.equal(after.stations.faulted, before.stations.faulted + 1);
        assert.equal(after.connectors.total, before.connectors.total + 2);
        assert.equal(after.connectors.charging, before.connectors.charging + 1);
        assert.equal(after.connectors.occupied, before.connectors.occupied + 1);
        assert.equal(after.connectors.faulted, before.connectors.faulted + 1);
        assert.equal(after.energy.todayWh - before.energy.todayWh, 7200);
        assert.match(after.energy.since, /T00:00:00\.000Z$/);
        await sim.sessions.stopCharging(1);
        const ended = await eventually(async () => {
          const body = (await server.api('GET', '/api/v1/overview')).body;
          return body.sessions.running === before.sessions.running ? body : null;
        }, 'the session ended');
        assert.equal(ended.energy.todayWh - before.energy.todayWh, 7200, 'a session ended today still counts today');
        assert.equal(ended.connectors.charging, before.connectors.charging, 'plugged in but no session: not charging');
      });
    });

    describe('GET /api/v1/stations paging, search and status filter', () => {
      test('pages through a filtered list on the server', async () => {
        for (let i = 0; i < 12; i++) await server.api('POST', '/api/v1/stations', { id: `PG-${String(i).padStart(2, '0')}` });
        const page = (await server.api('GET', '/api/v1/stations?search=PG-&limit=5&offset=5')).body;
        assert.equal(page.total, 12);
        assert.deepEqual(page.items.map((s: any) => s.id), ['PG-05', 'PG-06', 'PG-07', 'PG-08', 'PG-09']);
        const sim = await station('PG-FAULT', '2.0.1');
        await sim.setStatus(1, 1, 'Faulted');
        const faulted = (await server.api('GET', '/api/v1/stations?search=PG-&status=Faulted')).body;
        assert.deepEqual(faulted.items.map((s: any) => s.id), ['PG-FAULT']);
        const online = (await server.api('GET', '/api/v1/stations?search=PG-&connected=true')).body;
        assert.deepEqual(online.items.map((s: any) => s.id), ['PG-FAULT']);
        assert.equal((await server.api('GET', '/api/v1/stations?status=Broken')).status, 400);
      });
    });

    describe('GET /api/v1/stations/{id}/messages', () => {
      test('keeps both directions with payloads, names the action of answers, filters', async () => {
        const sim = await station('LOG-1', '1.6');
        await sim.heartbeat();
        await server.api('POST', '/api/v1/stations/LOG-1/commands?wait=5', { type: 'trigger', message: 'heartbeat' });
        const all = (await server.api('GET', '/api/v1/stations/LOG-1/messages')).body.items;
        const boot = all.find((m: any) => m.direction === 'in' && m.kind === 'call' && m.action === 'BootNotification');
        assert.ok(boot, JSON.stringify(all));
        assert.equal(typeof boot.payload.chargePointVendor, 'string');
        const bootAnswer = all.find((m: any) => m.direction === 'out' && m.kind === 'result' && m.messageId === boot.messageId);
        assert.equal(bootAnswer.action, 'BootNotification');
        assert.equal(bootAnswer.payload.status, 'Accepted');
        const trigger = all.find((m: any) => m.direction === 'out' && m.action === 'TriggerMessage');
        assert.deepEqual(trigger.payload, { requestedMessage: 'Heartbeat' });
        assert.ok(all[0].seq > all[all.length - 1].seq, 'newest first');

        const outbound = (await server.api('GET', '/api/v1/stations/LOG-1/messages?direction=out')).body.items;
        assert.ok(outbound.length > 0 && outbound.every((m: any) => m.direction === 'out'));
        const heartbeats = (await server.api('GET', '/api/v1/stations/LOG-1/messages?action=Heartbeat')).body.items;
        assert.ok(heartbeats.length >= 2 && heartbeats.every((m: any) => m.action === 'Heartbeat'));
        const newest = all[0].seq;
        await sim.heartbeat();
        const newer = (await server.api(`GET`, `/api/v1/stations/LOG-1/messages?after=${newest}`)).body.items;
        assert.deepEqual(newer.map((m: any) => m.action), ['Heartbeat', 'Heartbeat']);
        const searched = (await server.api('GET', '/api/v1/stations/LOG-1/messages?search=requestedmessage')).body.items;
        assert.deepEqual(searched.map((m: any) => m.action), ['TriggerMessage']);
      });

      test('never keeps a secret the CSMS sets on a station', async () => {
        const sim = await station('LOG-SECRET', '1.6');
        let received: any = null;
        sim.handle('ChangeConfiguration', (payload: any) => {
          received = payload;
          return { status: 'Accepted' };
        });
        const secret = 'deadbeefcafe0123456789';
        await server.api('POST', '/api/v1/stations/LOG-SECRET/commands?wait=5', { type: 'setConfiguration', key: 'AuthorizationKey', value: secret });
        assert.equal(received?.value, secret, 'the station got the real value');
        const items = (await server.api('GET', '/api/v1/stations/LOG-SECRET/messages?action=ChangeConfiguration')).body.items;
        const call = items.find((m: any) => m.kind === 'call');
        assert.deepEqual(call.payload, { key: 'AuthorizationKey', value: '***' });
        assert.ok(!JSON.stringify(items).includes(secret));
      });

      test('is bounded per station, and 404 for an unknown station', async () => {
        const sim = await station('LOG-RING', '2.0.1');
        for (let i = 0; i < 30; i++) await sim.heartbeat();
        const items = (await server.api('GET', '/api/v1/stations/LOG-RING/messages?limit=1000')).body.items;
        assert.equal(items.length, 40);
        assert.equal(items[0].seq - items[items.length - 1].seq, 39);
        assert.equal((await server.api('GET', '/api/v1/stations/NOPE/messages')).status, 404);
      });
    });

    describe('the console at /', () => {
      test('is served without a token, with a content security policy', async () => {
        const response = await fetch(`${server.httpUrl}/`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /text\/html/);
        assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
        assert.match(await response.text(), /Chargebridge/);
      });
    });
  });
}
