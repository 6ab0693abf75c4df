/**
 * The overview storage port (SqlOverviewRepository) behaves the same on PGlite and PostgreSQL.
 * It only reads tables the stations and transactions capabilities own, so the network is
 * seeded through their repositories. Each test gets an empty database: every count is global.
 */
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { SqlOverviewRepository } from '../../src/capabilities/overview/index.ts';
import { SqlStationRepository, type ConnectorStatus } from '../../src/capabilities/stations/index.ts';
import { SqlTransactionRepository, type Transaction } from '../../src/capabilities/transactions/index.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';
import { ALL_TENANTS } from '../../src/kernel/tenant-scope.ts';

/** Midnight UTC: what OverviewService passes as the start of "today". */
const today = new Date('2026-03-02T00:00:00.000Z');
const hoursFromMidnight = (hours: number) => new Date(today.getTime() + hours * 3_600_000);
const ms = (offset: number) => new Date(today.getTime() + offset);

const newStation = (id: string) => ({ id, passwordHash: null, securityProfile: 0 as const, siteId: null, labels: {}, registrationStatus: 'Accepted' as const });

/** A session as the transactions capability stores it; only what the overview reads is varied. */
function session(id: string, stationId: string, evseId: number | null, facts: Partial<Transaction> & Pick<Transaction, 'state' | 'startedAt'>): Transaction {
  const lastEventAt = facts.stoppedAt ?? facts.startedAt ?? today;
  return {
    id,
    stationId,
    tenantId: 'default',
    ocppVersion: '2.0.1',
    ocppTransactionId: `ocpp-${id}`,
    evseId,
    connectorId: evseId === null ? null : 1,
    idToken: null,
    idTokenType: null,
    stoppedAt: null,
    meterStartWh: null,
    meterStartAt: facts.startedAt,
    meterStartResolutionWh: 0.001,
    meterStopWh: null,
    meterStopResolutionWh: null,
    lastMeterWh: null,
    lastMeterAt: null,
    lastMeterResolutionWh: 0.001,
    highestMeterWh: null,
    stopReason: facts.state === 'completed' ? 'Local' : null,
    chargingState: null,
    offline: false,
    flags: [],
    remoteStartId: null,
    reservationId: null,
    maxSeqNo: null,
    seqNoCount: 0,
    lastEventAt,
    createdAt: lastEventAt,
    updatedAt: lastEventAt,
    version: 1,
    ...facts,
  };
}

for (const target of storageTargets) {
  describe(`overview repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let overview: SqlOverviewRepository;
    let stations: SqlStationRepository;
    let transactions: SqlTransactionRepository;
    beforeEach(async () => {
      storage = await target.open();
      overview = new SqlOverviewRepository(storage.db);
      stations = new SqlStationRepository(storage.db);
      transactions = new SqlTransactionRepository(storage.db);
    });
    afterEach(() => storage?.close());

    const status = async (stationId: string, evseId: number, connectorId: number, value: ConnectorStatus, seconds = 0) => {
      // A 2.x-style report: the status alone, no 1.6 activity (built apart, so it also fits a report without that field).
      const report = { evseId, connectorId, status: value, activity: null, ocppStatus: value, errorCode: null, info: null, reportedAt: ms(seconds * 1000) };
      await stations.recordStatuses([{ stationId, report, receivedAt: ms(seconds * 1000) }]);
    };
    const store = async (...sessions: Transaction[]) => {
      for (const tx of sessions) {
        const event = { dedupeKey: `${tx.id}:${tx.version}`, kind: tx.state === 'active' ? 'started' : 'ended', seqNo: null, triggerReason: null, occurredAt: tx.lastEventAt, receivedAt: tx.lastEventAt, offline: false, summary: {} };
        assert.equal(await transactions.recordEvent(tx, event, []), 'written', `seeding ${tx.id}`);
      }
    };

    test('an empty network counts zero everywhere', async () => {
      assert.deepEqual(await overview.counts(ALL_TENANTS, today), {
        stationsTotal: 0,
        stationsFaulted: 0,
        connectorsByStatus: {},
        sessionsRunning: 0,
        evsesCharging: 0,
        energyTodayWh: 0,
      });
    });

    test('every station counts once; a station is faulted when any connector or the station itself (EVSE 0) reports Faulted', async () => {
      for (const id of ['OK', 'WHOLE-FAULT', 'TWO-FAULTS', 'RECOVERED', 'SILENT']) await stations.create(newStation(id), today);
      await status('OK', 0, 0, 'Available');
      await status('OK', 1, 1, 'Occupied');
      await status('WHOLE-FAULT', 0, 0, 'Faulted');
      await status('WHOLE-FAULT', 1, 1, 'Available');
      await status('TWO-FAULTS', 1, 1, 'Faulted');
      await status('TWO-FAULTS', 2, 1, 'Faulted');
      await status('RECOVERED', 1, 1, 'Faulted', 1);
      await status('RECOVERED', 1, 1, 'Available', 2);
      const counts = await overview.counts(ALL_TENANTS, today);
      assert.equal(counts.stationsTotal, 5, 'a station that never reported still counts');
      assert.equal(counts.stationsFaulted, 2, 'WHOLE-FAULT and TWO-FAULTS (once); RECOVERED reports Available now');
    });

    test('connectors: EVSEs from 1 up, each by its latest status; a removed station takes its connectors with it', async () => {
      for (const id of ['C-1', 'C-2', 'C-GONE']) await stations.create(newStation(id), today);
      await status('C-1', 0, 0, 'Unavailable');
      await status('C-1', 1, 1, 'Available');
      await status('C-1', 1, 2, 'Occupied');
      await status('C-1', 2, 1, 'Available', 1);
      await status('C-1', 2, 1, 'Reserved', 2);
      await status('C-2', 1, 1, 'Unavailable');
      await status('C-2', 2, 1, 'Faulted');
      await status('C-GONE', 1, 1, 'Occupied');
      await status('C-GONE', 2, 1, 'Occupied');
      assert.deepEqual((await overview.counts(ALL_TENANTS, today)).connectorsByStatus, { Available: 1, Occupied: 3, Reserved: 1, Unavailable: 1, Faulted: 1 });
      await stations.remove('C-GONE');
      const counts = await overview.counts(ALL_TENANTS, today);
      assert.deepEqual(counts.connectorsByStatus, { Available: 1, Occupied: 1, Reserved: 1, Unavailable: 1, Faulted: 1 }, 'EVSE 0 of C-1 is never a connector');
      assert.equal(counts.stationsTotal, 2);
    });

    test('running sessions count whatever day they started; an EVSE with two open sessions charges once', async () => {
      await store(
        session('RUN-OLD', 'S-1', 1, { state: 'active', startedAt: hoursFromMidnight(-72) }),
        session('RUN-NOW', 'S-1', 2, { state: 'active', startedAt: hoursFromMidnight(1) }),
        session('RUN-SAME-EVSE-A', 'S-2', 1, { state: 'active', startedAt: hoursFromMidnight(2) }),
        session('RUN-SAME-EVSE-B', 'S-2', 1, { state: 'active', startedAt: hoursFromMidnight(3) }),
        session('OTHER-STATION-SAME-EVSE', 'S-3', 1, { state: 'active', startedAt: hoursFromMidnight(4) }),
        session('DONE', 'S-3', 2, { state: 'completed', startedAt: hoursFromMidnight(1), stoppedAt: hoursFromMidnight(2) }),
      );
      const counts = await overview.counts(ALL_TENANTS, today);
      assert.equal(counts.sessionsRunning, 5);
      assert.equal(counts.evsesCharging, 4, 'S-1/1, S-1/2, S-2/1 and S-3/1');
      assert.equal(counts.stationsTotal, 0, 'sessions are not stations: none was registered');
    });

    test('energy today: sessions that started, ran or ended since midnight count in full, one that ended before does not; midnight itself is today', async () => {
      await store(
        session('RUNNING-SINCE-YESTERDAY', 'E-1', 1, { state: 'active', startedAt: hoursFromMidnight(-3), meterStartWh: 1000, lastMeterWh: 1500, lastMeterAt: hoursFromMidnight(1) }),
        session('ENDED-YESTERDAY', 'E-1', 2, { state: 'completed', startedAt: hoursFromMidnight(-5), stoppedAt: ms(-1), meterStartWh: 0, meterStopWh: 700, lastMeterWh: 700 }),
        session('ENDED-AT-MIDNIGHT', 'E-2', 1, { state: 'completed', startedAt: hoursFromMidnight(-1), stoppedAt: today, meterStartWh: 100, meterStopWh: 140, lastMeterWh: 140 }),
        session('OVERNIGHT', 'E-2', 2, { state: 'completed', startedAt: hoursFromMidnight(-1), stoppedAt: hoursFromMidnight(0.5), meterStartWh: 2000, meterStopWh: 2600, lastMeterWh: 2550 }),
        session('STARTED-AT-MIDNIGHT', 'E-3', 1, { state: 'completed', startedAt: today, stoppedAt: hoursFromMidnight(1), meterStartWh: 0, meterStopWh: 250.5, lastMeterWh: 250.5 }),
      );
      // 500 (last reading while running) + 40 + 600 (the stop reading wins over the last sample) + 250.5
      assert.equal((await overview.counts(ALL_TENANTS, today)).energyTodayWh, 1390.5);
      assert.equal((await overview.counts(ALL_TENANTS, ms(1))).energyTodayWh, 1350.5, 'from 1 ms after midnight, the session that ended at midnight is yesterday');
      assert.equal((await overview.counts(ALL_TENANTS, hoursFromMidnight(-24))).energyTodayWh, 2090.5, 'a day earlier, the session that ended yesterday counts too');
    });

    test('energy: a meter that went backwards adds nothing instead of subtracting; a session without readings adds nothing', async () => {
      await store(
        session('NORMAL', 'B-1', 1, { state: 'completed', startedAt: hoursFromMidnight(1), stoppedAt: hoursFromMidnight(2), meterStartWh: 5000, meterStopWh: 5300, lastMeterWh: 5300 }),
        session('BACKWARDS', 'B-1', 2, { state: 'completed', startedAt: hoursFromMidnight(1), stoppedAt: hoursFromMidnight(2), meterStartWh: 9000, meterStopWh: 100, lastMeterWh: 100, flags: ['meter-went-backwards'] }),
        session('BACKWARDS-RUNNING', 'B-2', 1, { state: 'active', startedAt: hoursFromMidnight(1), meterStartWh: 800, lastMeterWh: 20, lastMeterAt: hoursFromMidnight(2), flags: ['meter-went-backwards'] }),
        session('NO-READINGS', 'B-2', 2, { state: 'active', startedAt: hoursFromMidnight(3) }),
        session('NO-START-READING', 'B-3', 1, { state: 'active', startedAt: hoursFromMidnight(3), lastMeterWh: 4000, lastMeterAt: hoursFromMidnight(4), flags: ['missing-start'] }),
      );
      const counts = await overview.counts(ALL_TENANTS, today);
      assert.equal(counts.energyTodayWh, 300);
      assert.equal(counts.sessionsRunning, 3);
    });

    test('energy is summed exact to the mWh, without the binary noise of adding doubles', async () => {
      // 0.1 + 0.2 + 0.3 + 0.004 Wh, from readings whose differences are not exact in binary.
      await store(
        session('D-1', 'P-1', 1, { state: 'completed', startedAt: hoursFromMidnight(1), stoppedAt: hoursFromMidnight(2), meterStartWh: 100.1, meterStopWh: 100.2 }),
        session('D-2', 'P-1', 2, { state: 'completed', startedAt: hoursFromMidnight(1), stoppedAt: hoursFromMidnight(2), meterStartWh: 200.1, meterStopWh: 200.3 }),
        session('D-3', 'P-2', 1, { state: 'active', startedAt: hoursFromMidnight(1), meterStartWh: 12345.678, lastMeterWh: 12345.978, lastMeterAt: hoursFromMidnight(2) }),
        session('D-4', 'P-2', 2, { state: 'completed', startedAt: hoursFromMidnight(1), stoppedAt: hoursFromMidnight(2), meterStartWh: 0.001, meterStopWh: 0.005 }),
      );
      assert.notEqual((100.2 - 100.1) + (200.3 - 200.1) + (12345.978 - 12345.678) + (0.005 - 0.001), 0.604, 'the doubles alone do not add up');
      assert.equal((await overview.counts(ALL_TENANTS, today)).energyTodayWh, 0.604);
    });
  });
}
