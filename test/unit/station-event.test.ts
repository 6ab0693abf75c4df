/** Station events core: which device events raise or clear problems, and which connectors a problem faults. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayRestore, problemKey, problemReading, problemTargets, type ConnectorSnapshot } from '../../src/capabilities/station-events/station-event.ts';

test('Problem, Tripped and Overload raise on true and clear on false; cleared=true always clears; other variables do neither', () => {
  assert.deepEqual(problemReading('Problem', 'true', false), { problem: true, cleared: false });
  assert.deepEqual(problemReading('tripped', 'TRUE', false), { problem: true, cleared: false });
  assert.deepEqual(problemReading('Overload', 'false', false), { problem: false, cleared: true });
  assert.deepEqual(problemReading('Problem', 'true', true), { problem: false, cleared: true });
  assert.deepEqual(problemReading('Temperature', '95', false), { problem: false, cleared: false });
  assert.deepEqual(problemReading('Temperature', '95', true), { problem: false, cleared: true });
});

test('the problem key names the place and the variable', () => {
  const device = { component: 'Connector', componentInstance: 'A', variable: 'Problem' };
  assert.equal(problemKey({ device, evseId: 1, connectorId: 2, type: 'Delta' }), '1/2|Connector[A]|Problem');
  assert.equal(problemKey({ evseId: null, connectorId: null, type: 'Delta' }), '-/-|Delta');
});

const snapshot = (evseId: number, connectorId: number, status = 'Available', errorCode: string | null = null): ConnectorSnapshot => ({ evseId, connectorId, status, activity: null, ocppStatus: null, errorCode, info: null });

test('a problem faults its connector, every connector of its EVSE, or the station itself', () => {
  const connectors = [snapshot(0, 0), snapshot(1, 1), snapshot(1, 2), snapshot(2, 1)];
  assert.deepEqual(problemTargets({ evseId: 1, connectorId: 2 }, connectors), [{ evseId: 1, connectorId: 2 }]);
  assert.deepEqual(problemTargets({ evseId: 1, connectorId: null }, connectors), [{ evseId: 1, connectorId: 1 }, { evseId: 1, connectorId: 2 }]);
  assert.deepEqual(problemTargets({ evseId: null, connectorId: null }, connectors), [{ evseId: 0, connectorId: 0 }]);
  assert.deepEqual(problemTargets({ evseId: 3, connectorId: null }, connectors), [{ evseId: 3, connectorId: 1 }], 'an EVSE not reported yet: its first connector');
});

test('a cleared problem gives the status back only over a fault the CSMS derived and no other problem holds', () => {
  assert.equal(mayRestore(snapshot(1, 1, 'Faulted', 'problem:Connector/Problem'), false), true);
  assert.equal(mayRestore(snapshot(1, 1, 'Faulted', 'problem:Connector/Problem'), true), false, 'another problem still covers it');
  assert.equal(mayRestore(snapshot(1, 1, 'Faulted', 'GroundFailure'), false), false, 'a fault the station reported stays');
  assert.equal(mayRestore(snapshot(1, 1, 'Available'), false), false, 'the station reported a status since');
  assert.equal(mayRestore(undefined, false), false);
});
