/**
 * Hostile and odd NotifyReport / NotifyMonitoringReport input over a real socket: parts out of
 * order, repeated parts, a report whose parts never end, unknown components, the same variable
 * twice, unusable numbers, a report nobody asked for, a large part. The station is always
 * answered {} (never a CALLERROR) and what can be kept is kept and flagged.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimStation } from '../../sim/index.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { FakeTime } from '../support/fake-time.ts';
import { command, configuration, monitors, registerStation, reportIn, reports } from './device-model-support.ts';
import { eventually } from '../support/harness.ts';

const variable = (component: string, name: string, value: string, evse?: Record<string, number>) => ({
  component: { name: component, ...(evse ? { evse } : {}) },
  variable: { name },
  variableAttribute: [{ value }],
});

const part = (requestId: number, seqNo: number, tbc: boolean, reportData: unknown[]) => ({ requestId, seqNo, tbc, generatedAt: new Date().toISOString(), reportData });

/** A 2.0.1 station that accepts report requests and sends nothing by itself (the test sends the parts). */
async function silentStation(server: TestServer, id: string): Promise<SimStation> {
  await registerStation(server, id);
  const station = new SimStation({ url: server.ocppUrl, id, version: '2.0.1', heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
  station.handle('GetBaseReport', () => ({ status: 'Accepted' }));
  station.handle('GetMonitoringReport', () => ({ status: 'Accepted' }));
  await station.start();
  await eventually(() => server.app.cluster.locate(id), `${id} connected`);
  return station;
}

async function requested(server: TestServer, id: string, type = 'getBaseReport'): Promise<number> {
  const done = await command(server, id, type === 'getBaseReport' ? { type, reportBase: 'FullInventory' } : { type });
  assert.equal(done.state, 'accepted');
  return (await reports(server, id)).items[0].requestId;
}

describe('device model: hostile report input', () => {
  let server: TestServer;
  let station: SimStation;
  const id = 'DM-HOSTILE';
  before(async () => {
    server = await startTestServer();
    station = await silentStation(server, id);
  });
  after(async () => {
    await station.stop();
    await server.stop();
  });

  test('parts out of order are assembled by seqNo; a repeated part changes nothing', async () => {
    const requestId = await requested(server, id);
    assert.deepEqual(await station.call('NotifyReport', part(requestId, 2, false, [variable('A', 'Two', '2')])), {});
    assert.deepEqual(await station.call('NotifyReport', part(requestId, 0, true, [variable('A', 'Zero', '0')])), {});
    let report = (await reports(server, id)).items[0];
    assert.deepEqual([report.state, report.partsReceived, report.lastSeqNo], ['receiving', 2, 2]);
    assert.deepEqual(await station.call('NotifyReport', part(requestId, 0, true, [variable('A', 'Zero', 'changed')])), {});
    report = (await reports(server, id)).items[0];
    assert.deepEqual([report.state, report.partsReceived, report.duplicateParts, report.itemsReceived], ['receiving', 2, 1, 2]);
    assert.deepEqual(await station.call('NotifyReport', part(requestId, 1, true, [variable('A', 'One', '1')])), {});
    report = await reportIn(server, id, 'complete');
    assert.deepEqual([report.partsReceived, report.itemsReceived, report.duplicateParts], [3, 3, 1]);
    const view = await configuration(server, id, '?component=A');
    assert.deepEqual(view.items.map((e: any) => [e.key, e.value]), [['A/One', '1'], ['A/Two', '2'], ['A/Zero', '0']]);
  });

  test('unknown components, an EVSE out of range, the same variable twice in a part: stored, answered {}', async () => {
    const requestId = await requested(server, id);
    const data = [
      variable('AcmeSecretThing', 'Glow', 'on', { id: 3, connectorId: 2 }),
      variable('AcmeSecretThing', 'Glow', 'off', { id: 3, connectorId: 2 }),
      variable('Huge', 'Evse', 'x', { id: 2 ** 40 }),
    ];
    assert.deepEqual(await station.call('NotifyReport', part(requestId, 0, false, data)), {});
    await reportIn(server, id, 'complete');
    const acme = (await configuration(server, id, '?component=AcmeSecretThing')).items;
    assert.deepEqual(acme.map((e: any) => [e.value, e.component.evseId, e.component.connectorId]), [['off', 3, 2]], 'the later description wins');
    const huge = (await configuration(server, id, '?component=Huge')).items;
    assert.deepEqual(huge.map((e: any) => [e.value, e.component.evseId]), [['x', null]]);
    // The full report replaced what the previous one said.
    assert.equal((await configuration(server, id, '?component=A')).total, 0);
  });

  test('unusable seqNo and requestId: answered {}, content kept and flagged (or logged when no report can hold it)', async () => {
    const requestId = await requested(server, id);
    assert.deepEqual(await station.call('NotifyReport', part(requestId, -1, true, [variable('B', 'Neg', 'n')])), {});
    assert.deepEqual(await station.call('NotifyReport', part(requestId, 2 ** 40, false, [variable('B', 'Big', 'b')])), {});
    const report = (await reports(server, id)).items[0];
    assert.equal(report.state, 'receiving');
    assert.equal(report.partsReceived, 0);
    assert.equal(report.problems.length, 2);
    assert.match(report.problems[0], /seqNo -1/);
    assert.equal((await configuration(server, id, '?component=B')).total, 2);
    const before = (await reports(server, id)).total;
    assert.deepEqual(await station.call('NotifyReport', part(2 ** 40, 0, false, [variable('C', 'Lost', 'l')])), {});
    assert.equal((await reports(server, id)).total, before);
  });

  test('a report nobody asked for is stored as unsolicited; a large part is taken', async () => {
    const big = Array.from({ length: 250 }, (_, i) => variable('Bulk', `V${String(i).padStart(3, '0')}`, 'x'.repeat(40)));
    assert.deepEqual(await station.call('NotifyReport', part(777_001, 0, false, big)), {});
    const list = await reports(server, id);
    const unsolicited = list.items.find((r: any) => r.requestId === 777_001);
    assert.deepEqual([unsolicited.state, unsolicited.commandId, unsolicited.replaces, unsolicited.itemsReceived], ['complete', null, false, 250]);
    assert.equal((await configuration(server, id, '?component=Bulk&limit=1')).total, 250);
  });

  test('monitoring report: a monitor with an unusable id is skipped, the rest stored', async () => {
    const requestId = await requested(server, id, 'getMonitoringReport');
    const monitor = (monitorId: number) => ({
      component: { name: 'X' },
      variable: { name: 'Y' },
      variableMonitoring: [{ id: monitorId, transaction: false, value: 1.5, type: 'Delta', severity: 3 }],
    });
    const answer = await station.call('NotifyMonitoringReport', { requestId, seqNo: 0, tbc: false, generatedAt: new Date().toISOString(), monitor: [monitor(2 ** 40), monitor(7), monitor(7)] });
    assert.deepEqual(answer, {});
    await reportIn(server, id, 'complete', 'monitoring');
    assert.deepEqual((await monitors(server, id)).items.map((m: any) => [m.id, m.value]), [[7, 1.5]]);
  });
});

describe('device model: a report whose parts never end', () => {
  const time = new FakeTime(new Date('2026-05-01T08:00:00Z'));
  let server: TestServer;
  let station: SimStation;
  const id = 'DM-ENDLESS';
  before(async () => {
    server = await startTestServer({}, { time });
    station = await silentStation(server, id);
  });
  after(async () => {
    await station.stop();
    await server.stop();
  });

  test('marked incomplete after the quiet period (what arrived is kept); a late part still completes it; a newer request supersedes', async () => {
    const first = await requested(server, id);
    await station.call('NotifyReport', part(first, 0, true, [variable('E', 'Kept', 'k')]));
    await time.advance(5 * 60_000);
    assert.equal((await reports(server, id)).items[0].state, 'receiving', 'not yet quiet for long enough');
    await time.advance(6 * 60_000);
    const incomplete = await reportIn(server, id, 'incomplete');
    assert.match(incomplete.problems.at(-1), /no part for 600 s/);
    assert.equal((await configuration(server, id, '?component=E')).items[0].value, 'k');

    await station.call('NotifyReport', part(first, 1, false, [variable('E', 'Late', 'l')]));
    assert.equal((await reports(server, id)).items[0].state, 'complete');

    const second = await requested(server, id);
    await station.call('NotifyReport', part(second, 0, true, [variable('E', 'Kept', 'k2')]));
    const third = await requested(server, id);
    const list = (await reports(server, id)).items;
    assert.deepEqual(list.map((r: any) => [r.requestId, r.state]), [[third, 'accepted'], [second, 'incomplete'], [first, 'complete']]);
    assert.match(list[1].problems[0], new RegExp(`superseded by request ${third}`));
  });
});
