/** Which assignment prices a session: the most specific in force at its start, removals falling back, never retroactive. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAssignment, targetProblem, type TariffAssignment } from '../../src/capabilities/tariffs/tariff-assignment.ts';

let next = 1;
function a(tariffId: string | null, at: string, target: Partial<TariffAssignment> = {}): TariffAssignment {
  return { id: next++, tenantId: 't', siteId: null, stationId: null, evseId: null, connectorId: null, tokenGroup: null, tariffId, validFrom: new Date(at), ...target };
}
const ctx = { siteId: 'S1', stationId: 'ST1', evseId: 1, connectorId: 2, tokenGroup: null as string | null };
const at = (iso: string) => new Date(iso);

test('the most specific target wins: connector > EVSE > station > site > tenant', () => {
  const rows = [a('TENANT', '2026-01-01'), a('SITE', '2026-01-01', { siteId: 'S1' }), a('STATION', '2026-01-01', { stationId: 'ST1' }), a('EVSE', '2026-01-01', { stationId: 'ST1', evseId: 1 }), a('CONN', '2026-01-01', { stationId: 'ST1', evseId: 1, connectorId: 2 })];
  const when = at('2026-06-01');
  assert.equal(chooseAssignment(rows, ctx, when)?.tariffId, 'CONN');
  assert.equal(chooseAssignment(rows, { ...ctx, connectorId: 1 }, when)?.tariffId, 'EVSE');
  assert.equal(chooseAssignment(rows, { ...ctx, evseId: 2 }, when)?.tariffId, 'STATION');
  assert.equal(chooseAssignment(rows, { ...ctx, stationId: 'ST2' }, when)?.tariffId, 'SITE');
  assert.equal(chooseAssignment(rows, { ...ctx, stationId: 'ST2', siteId: 'S2' }, when)?.tariffId, 'TENANT');
  assert.equal(chooseAssignment([], ctx, when), null);
});

test('a token group\'s tariff beats any tariff for everyone, and only its group gets it', () => {
  const rows = [a('CONN', '2026-01-01', { stationId: 'ST1', evseId: 1, connectorId: 2 }), a('FLEET', '2026-01-01', { tokenGroup: 'FLEET-A' }), a('FLEET-HERE', '2026-01-01', { tokenGroup: 'FLEET-A', stationId: 'ST1' })];
  assert.equal(chooseAssignment(rows, { ...ctx, tokenGroup: 'FLEET-A' }, at('2026-06-01'))?.tariffId, 'FLEET-HERE');
  assert.equal(chooseAssignment(rows, { ...ctx, stationId: 'ST9', tokenGroup: 'FLEET-A' }, at('2026-06-01'))?.tariffId, 'FLEET');
  assert.equal(chooseAssignment(rows, { ...ctx, tokenGroup: 'OTHER' }, at('2026-06-01'))?.tariffId, 'CONN');
});

test('history: a session is priced by the assignment in force at its start; a removal falls back to the less specific one', () => {
  const rows = [a('SITE', '2026-01-01', { siteId: 'S1' }), a('OLD', '2026-01-01', { stationId: 'ST1' }), a('NEW', '2026-03-01', { stationId: 'ST1' }), a(null, '2026-05-01', { stationId: 'ST1' })];
  assert.equal(chooseAssignment(rows, ctx, at('2026-02-01'))?.tariffId, 'OLD');
  assert.equal(chooseAssignment(rows, ctx, at('2026-04-01'))?.tariffId, 'NEW');
  assert.equal(chooseAssignment(rows, ctx, at('2026-06-01'))?.tariffId, 'SITE', 'the station\'s own assignment was removed');
  assert.equal(chooseAssignment(rows, ctx, at('2025-12-31')), null, 'nothing was assigned yet');
  const sameInstant = [a('FIRST', '2026-01-01', { stationId: 'ST1' }), a('SECOND', '2026-01-01', { stationId: 'ST1' })];
  assert.equal(chooseAssignment(sameInstant, ctx, at('2026-01-01'))?.tariffId, 'SECOND', 'made later in the same millisecond');
});

test('ill-formed targets are named', () => {
  const base = { siteId: null, stationId: null, evseId: null, connectorId: null, tokenGroup: null };
  assert.equal(targetProblem({ ...base, evseId: 1 })?.path, '/evseId');
  assert.equal(targetProblem({ ...base, stationId: 'X', connectorId: 1 })?.path, '/connectorId');
  assert.equal(targetProblem({ ...base, stationId: 'X', siteId: 'S' })?.path, '/siteId');
  assert.equal(targetProblem({ ...base, stationId: 'X', evseId: 1, connectorId: 1 }), null);
});
