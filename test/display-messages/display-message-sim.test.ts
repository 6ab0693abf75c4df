/**
 * Display messages over real sockets with the project's simulator, for 2.0.1 and 2.1: set (id
 * assigned by the CSMS), refused priority, a report in two parts, clear, and the CSMS's view of
 * each; a 1.6 station cannot be sent the commands; hostile reports are kept, flagged and answered.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimError } from '../../sim/index.ts';
import { simDisplay, type SimDisplay } from '../../sim/sim-display-messages.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { startRecording, submit, type RecordingStation } from '../commands/command-support.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any);
});
after(() => server.stop());

const view = async (id: string) => {
  const res = await server.api('GET', `/api/v1/stations/${id}/display-messages`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { messages: any[]; reports: any[] };
};
const hello = { format: 'utf8', language: 'en', content: 'Welcome!' };

async function displayStation(id: string, version: '2.0.1' | '2.1', options: { formats?: string[] } = {}): Promise<{ rec: RecordingStation; display: SimDisplay }> {
  const rec = await startRecording(server, id, version);
  const display = simDisplay({ send: (action, payload) => rec.station.call(action, payload), priorities: ['InFront', 'NormalCycle'], ...options });
  for (const [action, handler] of Object.entries(display.handlers)) rec.station.handle(action, handler);
  return { rec, display };
}

for (const version of ['2.0.1', '2.1'] as const) {
  describe(`display messages on OCPP ${version}`, () => {
    const id = `DM-${version.replace(/\./g, '')}`;
    let rec: RecordingStation;
    let display: SimDisplay;
    before(async () => ({ rec, display } = await displayStation(id, version)));
    after(() => rec.stop());

    test('set without an id: the CSMS assigns 1, then 2; the station holds both', async () => {
      const first = await submit(server, id, { type: 'setDisplayMessage', priority: 'inFront', message: hello }, 5);
      assert.deepEqual([first.status, first.body.state, first.body.params.id], [200, 'accepted', 1], JSON.stringify(first.body));
      const second = await submit(server, id, { type: 'setDisplayMessage', priority: 'normalCycle', state: 'charging', message: { format: 'ascii', content: 'Charging' } }, 5);
      assert.deepEqual([second.body.state, second.body.params.id], ['accepted', 2]);
      assert.deepEqual(rec.calls.find((c) => c.action === 'SetDisplayMessage')?.payload, {
        message: { id: 1, priority: 'InFront', message: { format: 'UTF8', language: 'en', content: 'Welcome!' } },
      });
      assert.deepEqual([...display.messages.keys()], [1, 2]);
      const { messages } = await view(id);
      assert.deepEqual(messages.map((m) => [m.id, m.onStation, m.set.outcome, m.set.stationStatus]), [[1, true, 'accepted', 'Accepted'], [2, true, 'accepted', 'Accepted']]);
      assert.deepEqual(messages[1].set.spec, { id: 2, priority: 'normalCycle', state: 'charging', message: { format: 'ascii', content: 'Charging' } });
    });

    test('a priority the display does not support is refused; the view keeps the refusal and the station holds nothing', async () => {
      const refused = await submit(server, id, { type: 'setDisplayMessage', id: 7, priority: 'alwaysFront', message: hello }, 5);
      assert.deepEqual([refused.body.state, refused.body.response.status], ['rejected', 'NotSupportedPriority']);
      const seven = (await view(id)).messages.find((m) => m.id === 7);
      assert.deepEqual([seven.onStation, seven.set.outcome, seven.set.stationStatus, seven.reported], [false, 'rejected', 'NotSupportedPriority', null]);
    });

    test('getDisplayMessages: Accepted, then the report in two parts, complete', async () => {
      const get = await submit(server, id, { type: 'getDisplayMessages' }, 5);
      assert.deepEqual([get.body.state, get.body.params.requestId], ['accepted', 1]);
      const report = await eventually(async () => (await view(id)).reports.find((r) => r.requestId === 1 && r.state === 'complete'), 'report complete');
      assert.deepEqual([report.parts, report.messages, report.flags], [2, 2, []]);
      const { messages } = await view(id);
      assert.deepEqual(messages.filter((m) => m.reported).map((m) => [m.id, m.reported.requestId, m.reported.spec.priority]), [[1, 1, 'inFront'], [2, 1, 'normalCycle']]);
    });

    test('a complete report of every message tells which messages the station lost', async () => {
      display.messages.delete(2); // the station lost it (a reboot, say)
      const get = await submit(server, id, { type: 'getDisplayMessages' }, 5);
      await eventually(async () => (await view(id)).reports.find((r) => r.requestId === get.body.params.requestId && r.state === 'complete'), 'report complete');
      const { messages } = await view(id);
      assert.deepEqual(messages.filter((m) => m.id <= 2).map((m) => [m.id, m.onStation]), [[1, true], [2, false]]);
    });

    test('a filtered request the station has nothing for is answered Unknown: no report, nothing marked absent', async () => {
      const get = await submit(server, id, { type: 'getDisplayMessages', ids: [42] }, 5);
      assert.deepEqual([get.body.state, get.body.response.status], ['rejected', 'Unknown']);
      assert.deepEqual(rec.calls.at(-1)?.payload, { requestId: get.body.params.requestId, id: [42] });
      const { messages, reports } = await view(id);
      assert.equal(reports.find((r) => r.requestId === get.body.params.requestId).state, 'noMessages');
      assert.equal(messages.find((m) => m.id === 1).onStation, true);
    });

    test('clear: Accepted takes the message off; an unknown id is answered Unknown', async () => {
      const cleared = await submit(server, id, { type: 'clearDisplayMessage', id: 1 }, 5);
      assert.equal(cleared.body.state, 'accepted');
      const unknown = await submit(server, id, { type: 'clearDisplayMessage', id: 99 }, 5);
      assert.deepEqual([unknown.body.state, unknown.body.response.status], ['rejected', 'Unknown']);
      const { messages } = await view(id);
      const one = messages.find((m) => m.id === 1);
      assert.deepEqual([one.onStation, one.cleared.outcome], [false, 'accepted']);
      assert.equal(messages.find((m) => m.id === 99).onStation, false);
      assert.equal(display.messages.has(1), false);
    });
  });
}

test('a QR code is a 2.1 format: a 2.0.1 station cannot be sent it, a 2.1 station can', async () => {
  const qr = { type: 'setDisplayMessage', priority: 'inFront', message: { format: 'qrCode', content: 'https://example.com/pay' } };
  const old = await displayStation('DM-QR-201', '2.0.1');
  const fresh = await displayStation('DM-QR-21', '2.1', { formats: ['QRCODE'] });
  try {
    const refused = await submit(server, 'DM-QR-201', qr, 5);
    assert.equal(refused.body.state, 'failed');
    assert.match(refused.body.error, /^Untranslatable: .*no message format qrCode/);
    const sent = await submit(server, 'DM-QR-21', qr, 5);
    assert.equal(sent.body.state, 'accepted', JSON.stringify(sent.body));
    assert.equal((fresh.display.messages.get(1) as any).message.format, 'QRCODE');
    // The refused set is kept as failed: never shown.
    const failed = (await view('DM-QR-201')).messages[0];
    assert.deepEqual([failed.onStation, failed.set.outcome], [false, 'failed']);
  } finally {
    await old.rec.stop();
    await fresh.rec.stop();
  }
});

test('OCPP 1.6 has no display messages: every kind fails Untranslatable', async () => {
  const rec = await startRecording(server, 'DM-16', '1.6');
  try {
    for (const body of [
      { type: 'setDisplayMessage', priority: 'inFront', message: hello },
      { type: 'getDisplayMessages' },
      { type: 'clearDisplayMessage', id: 1 },
    ]) {
      const res = await submit(server, 'DM-16', body, 5);
      assert.equal(res.body.state, 'failed', JSON.stringify(res.body));
      assert.match(res.body.error, /^Untranslatable: cannot be sent to an OCPP 1\.6 station/);
    }
    assert.deepEqual(rec.calls, []);
  } finally {
    await rec.stop();
  }
});

describe('hostile display reports', () => {
  const id = 'DM-HOSTILE';
  let rec: RecordingStation;
  before(async () => ({ rec } = await displayStation(id, '2.0.1')));
  after(() => rec.stop());
  const info = (messageId: number, content = 'x') => ({ id: messageId, priority: 'NormalCycle', message: { format: 'ASCII', content } });
  const notify = (payload: Record<string, unknown>) => rec.station.call('NotifyDisplayMessages', payload);

  test('a report for a request the CSMS never made is answered, stored and flagged unrequested', async () => {
    assert.deepEqual(await notify({ requestId: 900, messageInfo: [info(5)] }), {});
    const report = (await view(id)).reports.find((r) => r.requestId === 900);
    assert.deepEqual([report.requestedAt, report.state, report.flags, report.messages], [null, 'complete', ['unrequested'], 1]);
    assert.equal((await view(id)).messages.find((m) => m.id === 5).onStation, true);
  });

  test('a part after the last one is kept and flagged; a tbc that never ends stays receiving', async () => {
    assert.deepEqual(await notify({ requestId: 901, messageInfo: [info(6)] }), {});
    assert.deepEqual(await notify({ requestId: 901, messageInfo: [info(7)], tbc: true }), {});
    assert.deepEqual(await notify({ requestId: 902, messageInfo: [info(8)], tbc: true }), {});
    const { reports, messages } = await view(id);
    const late = reports.find((r) => r.requestId === 901);
    assert.deepEqual([late.parts, late.flags], [2, ['unrequested', 'partAfterLast']]);
    assert.equal(reports.find((r) => r.requestId === 902).state, 'receiving');
    assert.deepEqual(messages.filter((m) => m.id >= 6).map((m) => m.id), [6, 7, 8]);
  });

  test('oversized content fails the schema: a CALLERROR, nothing stored, the station stays connected', async () => {
    await assert.rejects(notify({ requestId: 903, messageInfo: [info(9, 'y'.repeat(513))] }), (error: SimError) => /FormatViolation|PropertyConstraintViolation|OccurrenceConstraintViolation/.test(error.code));
    assert.equal((await view(id)).reports.find((r) => r.requestId === 903), undefined);
    assert.deepEqual(await rec.station.call('Heartbeat', {}).then((r) => typeof r.currentTime), 'string');
  });
});

test('a station reporting more than 1000 distinct messages: the rest are dropped and the report flagged', async () => {
  const rec = await startRecording(server, 'DM-FLOOD', '2.0.1');
  try {
    // Frames are limited (ocpp.maxFrameBytes, 64 KiB by default), so the flood comes in two parts of 600.
    const infos = (from: number) => Array.from({ length: 600 }, (_, i) => ({ id: from + i, priority: 'NormalCycle', message: { format: 'ASCII', content: 'x' } }));
    assert.deepEqual(await rec.station.call('NotifyDisplayMessages', { requestId: 5, messageInfo: infos(1), tbc: true }), {});
    assert.deepEqual(await rec.station.call('NotifyDisplayMessages', { requestId: 5, messageInfo: infos(601) }), {});
    const { messages, reports } = await view('DM-FLOOD');
    assert.equal(messages.length, 1000);
    assert.deepEqual([reports[0].parts, reports[0].messages, reports[0].flags], [2, 1000, ['unrequested', 'tooManyMessages']]);
  } finally {
    await rec.stop();
  }
});
