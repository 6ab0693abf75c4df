/** Configuration templates core: which template wins per key, value comparison, reconciliation states. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, desiredSettings, isSettled, sameValue, summariseDrift, type ConfigTemplate, type DriftItem, type StationFacts } from '../../src/capabilities/config-templates/config-template.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute));
const template = (id: string, match: ConfigTemplate['match'], settings: Record<string, string>, updated = 0, tenantId = 't1'): ConfigTemplate => ({
  id,
  tenantId,
  name: id,
  match,
  settings: Object.entries(settings).map(([key, value]) => ({ key, value })),
  createdAt: at(0),
  updatedAt: at(updated),
});
const station = (over: Partial<StationFacts> = {}): StationFacts => ({ stationId: 'S1', tenantId: 't1', siteId: 'site-a', vendor: 'ACME', model: 'X1', ocppVersion: '1.6', ...over });

test('the most specific template wins per key: site over model over vendor over the whole tenant', () => {
  const templates = [
    template('tenant', {}, { HeartbeatInterval: '300', MeterValueSampleInterval: '60', ConnectionTimeOut: '90', LocalPreAuthorize: 'false' }),
    template('vendor', { vendor: 'ACME' }, { HeartbeatInterval: '200', MeterValueSampleInterval: '50', ConnectionTimeOut: '80' }),
    template('model', { vendor: 'ACME', model: 'X1' }, { HeartbeatInterval: '100', MeterValueSampleInterval: '40' }),
    template('site', { siteId: 'site-a' }, { HeartbeatInterval: '30' }),
  ];
  const desired = desiredSettings(templates, station());
  assert.deepEqual(
    desired.map((d) => [d.key, d.value, d.templateId]),
    [
      ['ConnectionTimeOut', '80', 'vendor'],
      ['HeartbeatInterval', '30', 'site'],
      ['LocalPreAuthorize', 'false', 'tenant'],
      ['MeterValueSampleInterval', '40', 'model'],
    ],
  );
});

test('templates of another tenant, site, vendor or model do not apply; equal specificity: the latest change wins', () => {
  const templates = [
    template('other-tenant', {}, { HeartbeatInterval: '1' }, 0, 't2'),
    template('other-site', { siteId: 'site-b' }, { HeartbeatInterval: '2' }),
    template('other-model', { model: 'Y' }, { HeartbeatInterval: '3' }),
    template('older', { vendor: 'ACME' }, { HeartbeatInterval: '4' }, 1),
    template('newer', { vendor: 'ACME' }, { HeartbeatInterval: '5' }, 2),
  ];
  assert.deepEqual(desiredSettings(templates, station()).map((d) => [d.value, d.templateId]), [['5', 'newer']]);
  assert.deepEqual(desiredSettings(templates.slice(0, 3), station()), []);
});

test('1.6 keys apply to 1.6 stations, Component/Variable keys to 2.x stations', () => {
  const templates = [template('mixed', {}, { HeartbeatInterval: '60', 'OCPPCommCtrlr/HeartbeatInterval': '120' })];
  assert.deepEqual(desiredSettings(templates, station()).map((d) => d.key), ['HeartbeatInterval']);
  assert.deepEqual(desiredSettings(templates, station({ ocppVersion: '2.0.1' })).map((d) => d.key), ['OCPPCommCtrlr/HeartbeatInterval']);
  assert.deepEqual(desiredSettings(templates, station({ ocppVersion: '2.1' })).map((d) => d.key), ['OCPPCommCtrlr/HeartbeatInterval']);
});

test('values compare the way stations spell them', () => {
  assert.ok(sameValue('true', 'True'));
  assert.ok(sameValue('60', '60.0'));
  assert.ok(sameValue('60', ' 60 '));
  assert.ok(sameValue('Energy.Active.Import.Register,SoC', 'Energy.Active.Import.Register, SoC'));
  assert.ok(!sameValue('60', '61'));
  assert.ok(!sameValue('true', 'false'));
  assert.ok(!sameValue('', '0'), 'an empty value is not zero');
  assert.ok(!sameValue('abc', 'ABC'), 'other text compares exactly');
});

test('comparing a read: in sync, to apply, read-only, unknown, unreadable', () => {
  const item = (key: string, desired: string): DriftItem => ({ key, desired, actual: null, templateId: 't', state: 'reading', commandId: 'c1' });
  const items = [item('A', '1'), item('B', '2'), item('C', '3'), item('D', '4'), item('E', '5')];
  const values = new Map([
    ['A', { value: '1', readonly: false }],
    ['B', { value: '9', readonly: false }],
    ['C', { value: '9', readonly: true }],
  ]);
  const result = compare(items, { values, unknownKeys: new Set(['D']) });
  assert.deepEqual(result.map((i) => [i.key, i.state, i.actual]), [
    ['A', 'in-sync', '1'],
    ['B', 'applying', '9'],
    ['C', 'read-only', '9'],
    ['D', 'unknown-key', null],
    ['E', 'unreadable', null],
  ]);
  assert.equal(isSettled(result), false, 'B is still being applied');
  const done = result.map((i) => (i.state === 'applying' ? { ...i, state: 'applied' as const } : i));
  assert.equal(isSettled(done), true);
  assert.deepEqual(summariseDrift(done), { total: 5, inSync: 1, drifted: 4, fixed: 1, notFixed: 3 });
});
