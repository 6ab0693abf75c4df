/** The console's non-trivial view logic (web/src/lib), tested as plain modules without a browser. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../../web/src/lib/sse.ts';
import { visibleRange, scrollToShow } from '../../web/src/lib/virtual.ts';
import { PagedRows } from '../../web/src/lib/paged-rows.ts';
import { applyLiveEvent, summarize } from '../../web/src/lib/station-live.ts';
import { buildSeries, niceMax, pathOf } from '../../web/src/lib/meter-chart.ts';
import { buildCommand } from '../../web/src/lib/command-form.ts';
import { parseRoute, href } from '../../web/src/lib/route.ts';
import { formatEnergy, ago } from '../../web/src/lib/format.ts';
import { sessionMarkers } from '../../web/src/lib/session-markers.ts';
import { statusBands } from '../../web/src/lib/status-bands.ts';
import type { Station, Transaction } from '../../web/src/lib/types.ts';

describe('SSE parser', () => {
  test('events split across chunks, comments, multi-line data, CRLF', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.feed(': hello\n\nid: 1\nevent: station.connected\nda'), []);
    assert.deepEqual(parser.feed('ta: {"a":1}\n\n'), [{ event: 'station.connected', data: '{"a":1}', id: '1' }]);
    assert.deepEqual(parser.feed('data: x\r\ndata: y\r\n\r\n'), [{ event: 'message', data: 'x\ny', id: '1' }]);
    assert.deepEqual(parser.feed(': keep-alive\n\n'), []);
  });
});

describe('virtual list range', () => {
  test('renders only what is on screen plus overscan', () => {
    assert.deepEqual(visibleRange(0, 440, 44, 10_000, 5), { start: 0, end: 16, totalHeight: 440_000, offsetTop: 0 });
    const middle = visibleRange(44_000, 440, 44, 10_000, 5);
    assert.deepEqual([middle.start, middle.end, middle.offsetTop], [995, 1016, 995 * 44]);
    const bottom = visibleRange(10_000_000, 440, 44, 10_000, 5);
    assert.equal(bottom.end, 10_000, 'scrolled past the end: clamped');
    assert.deepEqual(visibleRange(0, 440, 44, 0), { start: 0, end: 0, totalHeight: 0, offsetTop: 0 });
  });
  test('keyboard moves scroll just enough', () => {
    assert.equal(scrollToShow(5, 0, 440, 44), 0);
    assert.equal(scrollToShow(10, 0, 440, 44), 44);
    assert.equal(scrollToShow(2, 440, 440, 44), 88);
  });
});

describe('paged rows', () => {
  const station = (id: string) => ({ id, n: 0 });
  test('claims each missing page once, ignores stale answers, patches rows by id', () => {
    const rows = new PagedRows<{ id: string; n: number }>(100);
    assert.deepEqual(rows.claim(0, 40), [{ page: 0, offset: 0, limit: 100 }]);
    assert.deepEqual(rows.claim(0, 40), [], 'already loading');
    const generation = rows.generation;
    assert.ok(rows.fill(0, Array.from({ length: 100 }, (_, i) => station(`S${i}`)), 250, generation));
    assert.deepEqual(rows.claim(90, 230).map((r) => r.page), [1, 2]);
    assert.equal(rows.row(5)?.id, 'S5');
    assert.ok(rows.patch('S7', (r) => ({ ...r, n: 1 })));
    assert.equal(rows.row(7)?.n, 1);
    assert.equal(rows.patch('nope', (r) => r), false);
    rows.reset();
    assert.equal(rows.fill(1, [station('old')], 250, generation), false, 'an answer for the old filter is dropped');
    assert.equal(rows.row(5), undefined);
  });
  test('refresh keeps rows on screen until their new page arrives', () => {
    const rows = new PagedRows<{ id: string; n: number }>(2);
    rows.claim(0, 2);
    rows.fill(0, [station('a'), station('b')], 2, rows.generation);
    const old = rows.generation;
    rows.refresh();
    assert.equal(rows.row(0)?.id, 'a', 'still shown');
    assert.deepEqual(rows.claim(0, 2).map((r) => r.page), [0], 'but fetched again');
    assert.equal(rows.fill(0, [station('x'), station('y')], 2, old), false, 'an answer from before the refresh is dropped');
    assert.ok(rows.fill(0, [station('c'), station('b')], 2, rows.generation));
    assert.equal(rows.row(0)?.id, 'c');
    assert.deepEqual(rows.claim(0, 2), []);
  });
  test('a changed total drops the other pages so they are fetched again', () => {
    const rows = new PagedRows<{ id: string; n: number }>(2);
    rows.claim(0, 4);
    rows.fill(0, [station('a'), station('b')], 4, rows.generation);
    rows.fill(1, [station('c'), station('d')], 5, rows.generation);
    assert.equal(rows.row(0), undefined);
    assert.equal(rows.row(2)?.id, 'c');
    assert.deepEqual(rows.claim(0, 5).map((r) => r.page), [0, 2]);
  });
});

const base: Station = {
  id: 'CP-1', ocppVersion: '1.6', connected: true, lastSeenAt: null, vendor: null, model: null, serialNumber: null, firmwareVersion: null,
  siteId: null, registrationStatus: 'Accepted', lastBootAt: null, lastBootReason: null, connectedAt: null, disconnectedAt: null,
  status: 'Available', statusDetail: null,
  evses: [{ id: 1, connectors: [{ id: 1, status: 'Available', ocppStatus: 'Available', errorCode: null, info: null, reportedAt: '2026-01-01T00:00:00Z' }] }],
};

describe('live station updates', () => {
  test('status changes land on the right connector, new EVSEs appear, other stations are untouched', () => {
    const at = '2026-01-01T00:01:00Z';
    const charging = applyLiveEvent(base, { type: 'station.status-changed', stationId: 'CP-1', at, evseId: 1, connectorId: 1, status: 'Occupied', ocppStatus: 'Charging' });
    assert.equal(charging.evses[0]?.connectors[0]?.ocppStatus, 'Charging');
    assert.equal(summarize(charging), 'Occupied');
    const second = applyLiveEvent(charging, { type: 'station.status-changed', stationId: 'CP-1', at, evseId: 2, connectorId: 1, status: 'Faulted', ocppStatus: 'Faulted' });
    assert.deepEqual(second.evses.map((e) => e.id), [1, 2]);
    assert.equal(summarize(second), 'Faulted', 'a fault outranks a connector in use');
    const self = applyLiveEvent(base, { type: 'station.status-changed', stationId: 'CP-1', at, evseId: 0, connectorId: 0, status: 'Unavailable', ocppStatus: 'Unavailable' });
    assert.equal(self.status, 'Unavailable');
    assert.equal(summarize(self), 'Unavailable');
    assert.equal(applyLiveEvent(base, { type: 'station.disconnected', stationId: 'CP-2', at, reason: 'x' }), base);
    const off = applyLiveEvent(second, { type: 'station.disconnected', stationId: 'CP-1', at, reason: 'closed' });
    assert.equal(summarize(off), 'Offline', 'offline outranks whatever it last said');
  });
});

describe('meter chart', () => {
  const sample = (at: string, measurand: string, value: number, phase: string | null = null) => ({ at, measurand, phase, location: null, context: null, value, unit: null });
  test('energy from the start reading, power as total or sum of phases, derived when absent', () => {
    const series = buildSeries(
      [
        sample('2026-01-01T00:00:00Z', 'Energy.Active.Import.Register', 1000),
        sample('2026-01-01T00:00:00Z', 'Power.Active.Import', 2000, 'L1'),
        sample('2026-01-01T00:00:00Z', 'Power.Active.Import', 2000, 'L2'),
        sample('2026-01-01T01:00:00Z', 'Energy.Active.Import.Register', 5000),
        sample('2026-01-01T01:00:00Z', 'Power.Active.Import', 4100),
        sample('2026-01-01T01:00:00Z', 'Current.Import', 16, 'L1'),
      ],
      1000,
    );
    assert.deepEqual(series.energy.map((p) => p.v), [0, 4000]);
    assert.deepEqual(series.power.map((p) => p.v), [4000, 4100]);
    const derived = buildSeries([sample('2026-01-01T00:00:00Z', 'Energy.Active.Import.Register', 0), sample('2026-01-01T00:30:00Z', 'Energy.Active.Import.Register', 3500)]);
    assert.deepEqual(derived.power.map((p) => p.v), [7000]);
  });
  test('axes and paths', () => {
    assert.deepEqual([niceMax(0), niceMax(7400), niceMax(11_000), niceMax(2)], [1, 10_000, 20_000, 2]);
    assert.equal(pathOf([{ t: 0, v: 0 }, { t: 10, v: 5 }], 0, 10, 10, { width: 120, height: 70, padding: 10 }), 'M10.0,60.0 L110.0,35.0');
    assert.equal(pathOf([], 0, 1, 1, { width: 1, height: 1, padding: 0 }), '');
  });
});

describe('action form', () => {
  test('builds version-neutral commands and refuses incomplete ones', () => {
    assert.deepEqual(buildCommand({ type: 'start', idToken: ' TAG ', evseId: '2' }), { ok: true, body: { type: 'start', idToken: 'TAG', evseId: 2 } });
    assert.deepEqual(buildCommand({ type: 'start', idToken: '' }), { ok: false, error: 'An id token is needed to start' });
    assert.equal(buildCommand({ type: 'unlock', evseId: '0' }).ok, false);
    assert.deepEqual(buildCommand({ type: 'changeAvailability', operational: 'false' }), { ok: true, body: { type: 'changeAvailability', operational: false } });
    assert.deepEqual(buildCommand({ type: 'reset', mode: 'onIdle' }), { ok: true, body: { type: 'reset', mode: 'onIdle' } });
    assert.deepEqual(buildCommand({ type: 'configuration', key: 'HeartbeatInterval, MeterValueSampleInterval' }), {
      ok: true,
      body: { type: 'getConfiguration', keys: ['HeartbeatInterval', 'MeterValueSampleInterval'] },
    });
    assert.deepEqual(buildCommand({ type: 'configuration', key: 'OCPPCommCtrlr/HeartbeatInterval', value: '60' }), {
      ok: true,
      body: { type: 'setConfiguration', key: 'OCPPCommCtrlr/HeartbeatInterval', value: '60' },
    });
    assert.deepEqual(buildCommand({ type: 'configuration', key: 'a,b', value: '1' }), { ok: false, error: 'Set one key at a time' });
    assert.deepEqual(buildCommand({ type: 'configuration' }), { ok: true, body: { type: 'getConfiguration' } });
  });
});

describe('routes and formats', () => {
  test('hash routes round-trip, ids are encoded', () => {
    const route = parseRoute(href('station', 'CP/1 x', { tab: undefined }));
    assert.deepEqual([route.page, 'id' in route ? route.id : null], ['station', 'CP/1 x']);
    assert.equal(parseRoute('#/stations/CP-1/messages').page, 'station');
    assert.equal((parseRoute('#/stations/CP-1/messages') as { tab: string }).tab, 'messages');
    assert.equal(parseRoute('#/sessions?state=active').query.get('state'), 'active');
    assert.equal(parseRoute('').page, 'overview');
    assert.equal(href('sessions', { state: 'active', stationId: '' }), '#/sessions?state=active');
  });
  test('energy and ages', () => {
    assert.deepEqual([formatEnergy(null), formatEnergy(950), formatEnergy(7200), formatEnergy(250_000), formatEnergy(3_000_000)], ['—', '950 Wh', '7.20 kWh', '250.0 kWh', '3.00 MWh']);
    assert.equal(ago('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:30Z')), '5 min ago');
  });
});

describe('session markers', () => {
  const tx = (changes: Partial<Transaction>): Transaction => ({
    id: 't', stationId: 'CP-1', ocppVersion: '1.6', ocppTransactionId: '1', evseId: 1, connectorId: 1, idToken: 'T', idTokenType: null,
    state: 'completed', startedAt: null, stoppedAt: null, meterStartWh: 0, meterStopWh: 100, lastMeterWh: 100, lastMeterAt: null,
    energyWh: 100, stopReason: null, chargingState: null, offline: false, flags: [], remoteStartId: null, updatedAt: '2026-01-01T00:00:00Z', ...changes,
  });
  test('offline, estimated and the server flags, in words', () => {
    assert.deepEqual(sessionMarkers(tx({})), []);
    assert.deepEqual(sessionMarkers(tx({ offline: true, flags: ['stuck', 'seqno-gap'] })).map((m) => m.label), ['offline', 'stuck', 'messages missing']);
    assert.deepEqual(sessionMarkers(tx({ meterStopWh: null })).map((m) => m.key), ['estimated'], 'completed without a stop reading');
    assert.deepEqual(sessionMarkers(tx({ state: 'active', meterStopWh: null })), [], 'running: no stop reading yet is normal');
    assert.deepEqual(sessionMarkers(tx({ meterStartWh: null, flags: ['missing-start'] })).map((m) => m.key), ['estimated', 'missing-start']);
  });
});

describe('status bands', () => {
  const entry = (evseId: number, status: string, minute: number) => ({
    evseId, connectorId: 1, status: status as 'Available', ocppStatus: null, errorCode: null,
    reportedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(), receivedAt: '',
  });
  const at = (minute: number) => Date.UTC(2026, 0, 1, 0, minute);
  test('one band per connector, clipped to the window, repeats merged, any input order', () => {
    const bands = statusBands(
      [entry(1, 'Occupied', 30), entry(1, 'Available', 0), entry(1, 'Occupied', 40), entry(2, 'Faulted', 50), entry(0, 'Available', 5), entry(1, 'Available', 55)],
      at(10),
      at(60),
    );
    assert.deepEqual(bands.map((b) => b.label), ['Station', 'EVSE 1 · 1', 'EVSE 2 · 1']);
    assert.deepEqual(bands[1]?.segments, [
      { start: at(10), end: at(30), status: 'Available' },
      { start: at(30), end: at(55), status: 'Occupied' },
      { start: at(55), end: at(60), status: 'Available' },
    ]);
    assert.deepEqual(bands[2]?.segments, [{ start: at(50), end: at(60), status: 'Faulted' }], 'nothing known before the first report');
  });
});
