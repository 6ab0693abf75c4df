import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTopology, decideBoot, type ConnectorState } from '../../src/capabilities/stations/station.ts';
import { activityFromOcpp16, statusFromOcpp16, statusReportFrom16 } from '../../src/capabilities/stations/station-ocpp16.ts';
import { bootReportFrom2x } from '../../src/capabilities/stations/station-ocpp201.ts';

test('boot decision: heartbeat interval when accepted, retry interval otherwise', () => {
  const policy = { heartbeatIntervalSec: 300, retryIntervalSec: 60 };
  assert.deepEqual(decideBoot('Accepted', policy), { status: 'Accepted', intervalSec: 300 });
  assert.deepEqual(decideBoot('Pending', policy), { status: 'Pending', intervalSec: 60 });
  assert.deepEqual(decideBoot('Rejected', policy), { status: 'Rejected', intervalSec: 60 });
});

test('every 1.6 status maps into the five neutral statuses and, when occupied, a neutral activity', () => {
  const table: Array<[string, string, string | null]> = [
    ['Available', 'Available', null],
    ['Preparing', 'Occupied', 'preparing'],
    ['Charging', 'Occupied', 'charging'],
    ['SuspendedEVSE', 'Occupied', 'suspended-by-station'],
    ['SuspendedEV', 'Occupied', 'suspended-by-ev'],
    ['Finishing', 'Occupied', 'finishing'],
    ['Reserved', 'Reserved', null],
    ['Unavailable', 'Unavailable', null],
    ['Faulted', 'Faulted', null],
  ];
  for (const [ocpp16, neutral, activity] of table) {
    assert.equal(statusFromOcpp16(ocpp16), neutral, ocpp16);
    assert.equal(activityFromOcpp16(ocpp16), activity, ocpp16);
  }
});

test('1.6 connector N becomes EVSE N connector 1; connector 0 is the station', () => {
  const received = new Date('2026-01-01T00:00:10Z');
  const c2 = statusReportFrom16({ connectorId: 2, errorCode: 'GroundFailure', status: 'Faulted', vendorErrorCode: 'E42' }, received);
  assert.deepEqual([c2.evseId, c2.connectorId, c2.status, c2.errorCode, c2.info], [2, 1, 'Faulted', 'GroundFailure', 'E42']);
  assert.equal(c2.reportedAt, received, 'missing timestamp falls back to reception time');
  const station = statusReportFrom16({ connectorId: 0, errorCode: 'NoError', status: 'Available', timestamp: '2026-01-01T00:00:05Z' }, received);
  assert.deepEqual([station.evseId, station.connectorId, station.errorCode], [0, 0, null]);
  assert.equal(station.reportedAt.toISOString(), '2026-01-01T00:00:05.000Z');
});

test('2.0.1 boot carries vendor, model, serial, firmware and modem', () => {
  const report = bootReportFrom2x({
    reason: 'FirmwareUpdate',
    chargingStation: { vendorName: 'V', model: 'M', serialNumber: 'S', firmwareVersion: 'F', modem: { iccid: 'I', imsi: 'X' } },
  });
  assert.deepEqual(report, { identity: { vendor: 'V', model: 'M', serialNumber: 'S', firmwareVersion: 'F', iccid: 'I', imsi: 'X' }, reason: 'FirmwareUpdate' });
});

test('topology groups connectors under EVSEs in order and lifts EVSE 0 to the station', () => {
  const at = new Date();
  const row = (evseId: number, connectorId: number, status: ConnectorState['status']): ConnectorState => ({
    evseId, connectorId, status, activity: null, ocppStatus: status, errorCode: null, info: null, reportedAt: at,
  });
  const view = buildTopology([row(2, 1, 'Faulted'), row(1, 2, 'Available'), row(0, 0, 'Unavailable'), row(1, 1, 'Occupied')]);
  assert.equal(view.stationStatus?.status, 'Unavailable');
  assert.deepEqual(view.evses.map((e) => [e.id, e.connectors.map((c) => c.connectorId)]), [[1, [1, 2]], [2, [1]]]);
});
