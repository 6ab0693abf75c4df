/**
 * Customer information over real sockets with the project's simulator (2.0.1 and 2.1): report,
 * clear, refusal by parameter check, 1.6 Untranslatable, hostile parts (out of order, duplicate
 * seqNo, never-ending tbc, unknown requestId, oversized data), and the data never in the logs.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { SimError } from '../../sim/index.ts';
import { simCustomerData, type SimCustomerData } from '../../sim/sim-customer-information.ts';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { startRecording, submit, type RecordingStation } from '../commands/command-support.ts';

const SECRET = 'Jane Roe, card 04A1B2C3, 12 sessions';
const logLines: string[] = [];
let server: TestServer;
before(async () => {
  server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any, { logLines });
});
after(() => server.stop());

const items = async (id: string) => {
  const res = await server.api('GET', `/api/v1/stations/${id}/customer-information`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.retentionDays, 30);
  return res.body.items as any[];
};
const entry = async (id: string, requestId: number) => (await items(id)).find((i) => i.requestId === requestId);

async function customerStation(id: string, version: '2.0.1' | '2.1', partSize = 512): Promise<{ rec: RecordingStation; data: SimCustomerData }> {
  const rec = await startRecording(server, id, version);
  const data = simCustomerData({ send: (action, payload) => rec.station.call(action, payload), partSize });
  rec.station.handle('CustomerInformation', data.handlers.CustomerInformation);
  return { rec, data };
}

for (const version of ['2.0.1', '2.1'] as const) {
  describe(`customer information on OCPP ${version}`, () => {
    const id = `CI-${version.replace(/\./g, '')}`;
    let rec: RecordingStation;
    let data: SimCustomerData;
    before(async () => ({ rec, data } = await customerStation(id, version, 10)));
    after(() => rec.stop());

    test('report: Accepted, then parts assembled in order into the station\'s data', async () => {
      data.records.set('04A1B2C3', SECRET);
      const res = await submit(server, id, { type: 'customerInformation', report: true, clear: false, idToken: { idToken: '04A1B2C3', type: 'ISO14443' } }, 5);
      assert.deepEqual([res.body.state, res.body.params.requestId], ['accepted', 1], JSON.stringify(res.body));
      assert.deepEqual(rec.calls.at(-1)?.payload, { requestId: 1, report: true, clear: false, idToken: { idToken: '04A1B2C3', type: 'ISO14443' } });
      const done = await eventually(async () => {
        const e = await entry(id, 1);
        return e?.state === 'complete' ? e : null;
      }, 'report complete');
      assert.deepEqual([done.data, done.parts, done.flags, done.outcome, done.stationStatus], [SECRET, 4, [], 'accepted', 'Accepted']);
      assert.deepEqual(done.subject, { idToken: { idToken: '04A1B2C3', type: 'ISO14443' } });
      assert.equal(Date.parse(done.expiresAt) - Date.parse(done.requestedAt), 30 * 24 * 3600_000);
    });

    test('clear without report: the station deletes the record and acknowledges in one part', async () => {
      const res = await submit(server, id, { type: 'customerInformation', report: false, clear: true, idToken: { idToken: '04A1B2C3', type: 'ISO14443' } }, 5);
      assert.equal(res.body.state, 'accepted');
      const done = await eventually(async () => {
        const e = await entry(id, res.body.params.requestId);
        return e?.state === 'complete' ? e : null;
      }, 'acknowledgement');
      assert.equal(done.data, 'Customer data cleared');
      assert.equal(data.records.has('04A1B2C3'), false);
    });

    test('the customer data never reaches the logs', () => {
      assert.ok(logLines.length > 0);
      assert.equal(logLines.filter((line) => line.includes('Jane Roe')).length, 0);
    });
  });
}

test('the check: report or clear, and a customer to name', async () => {
  const neither = await submit(server, 'CI-201', { type: 'customerInformation', report: false, clear: false, customerIdentifier: 'C-1' });
  assert.equal(neither.status, 400);
  assert.match(neither.body.detail, /report or clear/);
  const nobody = await submit(server, 'CI-201', { type: 'customerInformation', report: true, clear: false });
  assert.equal(nobody.status, 400);
  assert.match(nobody.body.detail, /customerIdentifier, idToken or customerCertificate/);
});

test('OCPP 1.6 has no customer information: the command fails Untranslatable', async () => {
  const rec = await startRecording(server, 'CI-16', '1.6');
  try {
    const res = await submit(server, 'CI-16', { type: 'customerInformation', report: true, clear: false, customerIdentifier: 'C-1' }, 5);
    assert.equal(res.body.state, 'failed');
    assert.match(res.body.error, /^Untranslatable: cannot be sent to an OCPP 1\.6 station/);
    assert.equal((await items('CI-16'))[0].state, 'failed');
    assert.deepEqual(rec.calls, []);
  } finally {
    await rec.stop();
  }
});

describe('hostile customer information parts', () => {
  const id = 'CI-HOSTILE';
  let rec: RecordingStation;
  const at = '2026-03-01T10:00:00.000Z';
  const part = (requestId: number, seqNo: number, data: string, tbc?: boolean) =>
    rec.station.call('NotifyCustomerInformation', { requestId, seqNo, data, generatedAt: at, ...(tbc === undefined ? {} : { tbc }) });
  before(async () => ({ rec } = await customerStation(id, '2.0.1')));
  after(() => rec.stop());

  test('a report for an unknown requestId is answered, stored and flagged', async () => {
    assert.deepEqual(await part(777, 0, 'stray'), {});
    const e = await entry(id, 777);
    assert.deepEqual([e.requestedAt, e.subject, e.data, e.state, e.flags], [null, null, 'stray', 'complete', ['unrequested']]);
  });

  test('parts out of order are assembled by seqNo; a duplicate seqNo with other data keeps the first and is flagged', async () => {
    assert.deepEqual(await part(778, 2, 'C'), {});
    assert.deepEqual(await part(778, 0, 'A', true), {});
    assert.equal((await entry(id, 778)).state, 'receiving');
    assert.deepEqual((await entry(id, 778)).missingSeqNos, [1]);
    assert.deepEqual(await part(778, 1, 'B', true), {});
    assert.deepEqual(await part(778, 1, 'B', true), {}); // a retransmission: same data, no flag
    assert.deepEqual(await part(778, 0, 'Z', true), {});
    const e = await entry(id, 778);
    assert.deepEqual([e.data, e.state, e.parts, e.flags], ['ABC', 'complete', 3, ['unrequested', 'outOfOrder', 'duplicateSeqNo']]);
  });

  test('a tbc that never ends stays receiving; a part after the last is kept and flagged', async () => {
    for (let seqNo = 0; seqNo < 5; seqNo++) assert.deepEqual(await part(779, seqNo, `p${seqNo}`, true), {});
    assert.equal((await entry(id, 779)).state, 'receiving');
    assert.deepEqual(await part(780, 0, 'end'), {});
    assert.deepEqual(await part(780, 1, 'late'), {});
    const e = await entry(id, 780);
    assert.deepEqual([e.data, e.flags], ['endlate', ['unrequested', 'partAfterLast']]);
  });

  test('oversized data fails the schema: a CALLERROR, nothing stored, the station stays connected', async () => {
    await assert.rejects(part(781, 0, 'x'.repeat(513)), (error: SimError) => /FormatViolation|PropertyConstraintViolation|OccurrenceConstraintViolation/.test(error.code));
    assert.equal(await entry(id, 781), undefined);
    assert.equal(typeof (await rec.station.call('Heartbeat', {})).currentTime, 'string');
  });
});
