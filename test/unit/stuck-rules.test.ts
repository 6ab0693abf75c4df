import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detect, stationRates, type DetectionInput, type DetectionSettings, type StuckReason } from '../../src/capabilities/stuck/stuck.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10) + minute * 60_000);

const SETTINGS: DetectionSettings = {
  samplingIntervalSec: 60,
  silenceFactor: 3,
  connectorFreeGraceSec: 60,
  rebootGraceSec: 120,
  offlineThresholdSec: 3600,
  maxDurationSec: 24 * 3600,
  maxPowerW: 22_000,
};

/** A healthy session: started at 10:00, last event 10:29, now 10:30, station online since 09:00, connector Occupied. */
function input(change: (i: DetectionInput) => void = () => {}): DetectionInput {
  const i: DetectionInput = {
    tx: { id: 'tx', stationId: 'S', evseId: 1, state: 'active', startedAt: t(0), lastAliveAt: t(29), meterStartWh: 1000, lastMeterWh: 6000, meterStopWh: null, flags: [] },
    station: {
      online: true,
      offlineSince: null,
      onlineSince: t(-60),
      lastBootAt: t(-60),
      connectors: new Map([[1, { status: 'Occupied', activity: 'charging', reportedAt: t(0), since: t(0) }]]),
    },
    nextStartOnEvse: null,
    statusAnswer: null,
    now: t(30),
  };
  change(i);
  return i;
}

const connector = (status: string, activity: string | null, at: Date, since = at) => new Map([[1, { status, activity, reportedAt: at, since }]]);

const CASES: Array<[string, DetectionInput, StuckReason[], Partial<DetectionSettings>?]> = [
  ['healthy session', input(), []],
  ['long but healthy session (20 h, events every minute)', input((i) => { i.now = t(1200); i.tx.lastAliveAt = t(1199); i.tx.lastMeterWh = 1000 + 20 * 11_000; }), []],
  ['connector Available after the last event, past the grace', input((i) => { i.station.connectors = connector('Available', null, t(28.5)); i.tx.lastAliveAt = t(28); }), ['connector-free']],
  ['a re-report of Available (asked by a trigger) does not restart the grace', input((i) => { i.station.connectors = connector('Available', null, t(29.9), t(28.5)); i.tx.lastAliveAt = t(28); }), ['connector-free']],
  ['connector Available but within the grace', input((i) => { i.station.connectors = connector('Available', null, t(29.5)); }), []],
  ['finishing (1.6 Finishing) without a stop', input((i) => { i.station.connectors = connector('Occupied', 'finishing', t(29)); i.tx.lastAliveAt = t(28); i.now = t(31); }), ['connector-free']],
  ['Available reported before the session (plug-in) is not evidence', input((i) => { i.station.connectors = connector('Available', null, t(-5)); }), []],
  ['silent longer than k x interval while online', input((i) => { i.tx.lastAliveAt = t(26); }), ['silent']],
  ['charging (1.6 Charging) reported after the last event is a sign of life', input((i) => { i.tx.lastAliveAt = t(10); i.station.connectors = connector('Occupied', 'charging', t(29)); }), []],
  ['2.x Occupied is not a sign of life (plugged in, maybe no transaction)', input((i) => { i.tx.lastAliveAt = t(10); i.station.connectors = connector('Occupied', null, t(29)); }), ['silent']],
  ['a station clock 10 min behind is not silent while its messages keep arriving', input((i) => { i.tx.lastAliveAt = t(19); i.tx.lastReceivedAt = t(29.5); }), []],
  ['silent by both clocks', input((i) => { i.tx.lastAliveAt = t(19); i.tx.lastReceivedAt = t(26); }), ['silent']],
  ['silent exactly k x interval is not yet silent', input((i) => { i.tx.lastAliveAt = t(27); }), []],
  ['silence counts from the reconnect, not from before the outage', input((i) => { i.tx.lastAliveAt = t(10); i.station.onlineSince = t(29); i.station.lastBootAt = t(-60); }), []],
  ['sampling interval 0 disables silence', input((i) => { i.tx.lastAliveAt = t(5); }), [], { samplingIntervalSec: 0 }],
  ['rebooted and did not resume', input((i) => { i.station.lastBootAt = t(27); i.station.onlineSince = t(27); i.tx.lastAliveAt = t(20); }), ['rebooted-not-resumed']],
  ['rebooted, grace not over', input((i) => { i.station.lastBootAt = t(29); i.station.onlineSince = t(29); i.tx.lastAliveAt = t(20); }), []],
  ['rebooted and resumed (event after the boot)', input((i) => { i.station.lastBootAt = t(20); i.station.onlineSince = t(20); i.tx.lastAliveAt = t(29); }), []],
  ['offline longer than the threshold', input((i) => { i.station.online = false; i.station.offlineSince = t(-40); i.tx.lastAliveAt = t(-41); }), ['offline-too-long']],
  ['offline, not yet past the threshold (no silence while offline)', input((i) => { i.station.online = false; i.station.offlineSince = t(0); i.tx.lastAliveAt = t(0); }), []],
  ['2.x ongoingIndicator=false with nothing queued', input((i) => { i.statusAnswer = { at: t(29.5), ongoing: false, messagesInQueue: false }; }), ['station-says-ended']],
  ['2.x ongoingIndicator=false but messages queued: wait for them', input((i) => { i.statusAnswer = { at: t(29.5), ongoing: false, messagesInQueue: true }; }), []],
  ['2.x answer older than the last event is stale', input((i) => { i.statusAnswer = { at: t(28), ongoing: false, messagesInQueue: false }; }), []],
  ['a later transaction started on the same connector', input((i) => { i.nextStartOnEvse = t(25); }), ['superseded']],
  ['stop arrived with the meter below the start: flagged for review, never stuck', input((i) => { i.tx.state = 'completed'; i.tx.meterStopWh = 500; i.tx.flags = ['meter-went-backwards']; }), []],
  ['stop arrived a rounding below the last sample', input((i) => { i.tx.state = 'completed'; i.tx.lastMeterWh = 4200; i.tx.meterStopWh = 4200; }), []],
  ['completed normally', input((i) => { i.tx.state = 'completed'; i.tx.meterStopWh = 7000; i.tx.lastAliveAt = t(0); }), []],
  ['already force-closed (estimated)', input((i) => { i.tx.state = 'completed'; i.tx.flags = ['stuck', 'estimated']; }), []],
  ['longer than the maximum duration', input((i) => { i.now = t(24 * 60 + 1); i.tx.lastAliveAt = t(24 * 60); }), ['too-long']],
  ['more energy than 22 kW can deliver', input((i) => { i.tx.lastMeterWh = 1000 + 22_000; }), ['implausible-energy']],
  ['energy at the physical limit is plausible', input((i) => { i.tx.lastMeterWh = 1000 + 11_000; }), []],
  ['several rules at once, most conclusive first', input((i) => { i.nextStartOnEvse = t(25); i.station.connectors = connector('Available', null, t(20)); i.tx.lastAliveAt = t(10); }), ['superseded', 'connector-free', 'silent']],
];

for (const [name, row, expected, settings] of CASES) {
  test(`detect: ${name}`, () => assert.deepEqual(detect(row, { ...SETTINGS, ...settings }), expected));
}

test('detect: disabled thresholds (0) never fire', () => {
  const row = input((i) => { i.now = t(10_000); i.tx.lastAliveAt = t(9_999); i.tx.lastMeterWh = 10_000_000; });
  assert.deepEqual(detect(row, { ...SETTINGS, maxDurationSec: 0, maxPowerW: 0 }), []);
});

test('station rates: stuck share per station, the worst first; stations without sessions in the window are not listed', () => {
  const rates = stationRates([{ stationId: 'B', stuck: 3 }, { stationId: 'C', stuck: 1 }], [{ stationId: 'A', sessions: 40 }, { stationId: 'B', sessions: 10 }, { stationId: 'C', sessions: 10 }]);
  assert.deepEqual(rates.map((r) => [r.stationId, r.stuck, r.rate]), [['B', 3, 0.3], ['C', 1, 0.1], ['A', 0, 0]]);
});
