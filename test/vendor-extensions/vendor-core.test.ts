/** The pure parts of vendor extensions: pointers, templates, matching order, normalisation, customData. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPointer, resolvePointer } from '../../src/capabilities/vendor-extensions/vendor-pointer.ts';
import { renderTemplate } from '../../src/capabilities/vendor-extensions/vendor-template.ts';
import { decodeData, matchInbound } from '../../src/capabilities/vendor-extensions/vendor-match.ts';
import { normalise } from '../../src/capabilities/vendor-extensions/vendor-normalise.ts';
import { normaliseCustomData } from '../../src/capabilities/vendor-extensions/vendor-custom-data.ts';
import { checkProfile } from '../../src/capabilities/vendor-extensions/vendor-profile-check.ts';
import type { VendorProfile } from '../../src/capabilities/vendor-extensions/vendor-profile.ts';
import { exampleProfile } from './vendor-support.ts';

const NOW = new Date('2025-05-01T12:00:00.000Z');

function profile(doc: Record<string, unknown>): VendorProfile {
  const checked = checkProfile(doc);
  assert.ok(checked.ok, JSON.stringify(checked));
  return checked.profile;
}

test('JSON pointers: syntax, escapes, arrays, missing paths', () => {
  const doc = { a: { 'b/c': [10, { '~d': 'x' }] }, '': 1 };
  assert.deepEqual(
    [resolvePointer(doc, ''), resolvePointer(doc, '/a/b~1c/0'), resolvePointer(doc, '/a/b~1c/1/~0d'), resolvePointer(doc, '/'), resolvePointer(doc, '/a/b~1c/01'), resolvePointer(doc, '/a/nope/x'), resolvePointer(doc, '/a/constructor')],
    [doc, 10, 'x', 1, undefined, undefined, undefined],
  );
  assert.deepEqual(['', '/a', '/a~0', '/~1', 'a', '/a~', '/a~2'].map(isPointer), [true, true, true, true, false, false, false]);
});

test('templates: whole placeholders keep the type, embedded ones become text, absent ones drop their key', () => {
  assert.deepEqual(renderTemplate({ url: '{{url}}', n: '{{ n }}', label: 'slot {{n}} of {{url}}', list: ['{{n}}', '{{gone}}'], gone: '{{gone}}', fixed: true }, { url: 'u', n: 3 }), {
    ok: true,
    data: { url: 'u', n: 3, label: 'slot 3 of u', list: [3], fixed: true },
  });
  assert.deepEqual(renderTemplate('a {{missing}}', {}), { ok: false, problem: ': parameter missing is missing' });
  assert.deepEqual(renderTemplate(undefined, { a: 1 }), { ok: true, data: undefined });
  assert.deepEqual(renderTemplate({ o: '{{o}}' }, { o: { nested: ['x'] } }), { ok: true, data: { o: { nested: ['x'] } } }, 'a parameter is data, never re-rendered');
});

test('matching order: vendor and model beat one of them, which beats none; ties by id; unknown vendor or message', () => {
  const message = (id: string) => ({ messageId: id, direction: 'inbound', schema: true });
  const generic = profile({ id: 'a-generic', vendorId: 'com.v', messages: [message('M'), message('Only')] });
  const byVendor = profile({ id: 'b-vendor', vendorId: 'com.v', match: { vendor: 'Acme' }, messages: [message('M')] });
  const byBoth = profile({ id: 'c-both', vendorId: 'COM.V', match: { vendor: { regex: '^Ac' }, model: 'X1' }, messages: [message('M')] });
  const other = profile({ id: 'd-other-model', vendorId: 'com.v', match: { model: 'Z9' }, messages: [message('M'), message('Z')] });
  const all = [generic, byVendor, byBoth, other];
  const which = (station: { vendor: string | null; model: string | null }, vendorId: string, messageId?: string) => {
    const m = matchInbound(all, station, vendorId, messageId);
    return m.kind === 'matched' ? `${m.profile.id}:${m.message.messageId}` : m.kind;
  };
  assert.equal(which({ vendor: 'Acme', model: 'X1' }, 'com.v', 'M'), 'c-both:M');
  assert.equal(which({ vendor: 'Acme', model: 'X2' }, 'com.v', 'm'), 'b-vendor:M');
  assert.equal(which({ vendor: 'Other', model: 'X1' }, 'Com.V', 'M'), 'a-generic:M');
  assert.equal(which({ vendor: 'Acme', model: 'X1' }, 'com.v', 'Only'), 'a-generic:Only', 'a less specific profile still answers a message the specific one lacks');
  assert.equal(which({ vendor: null, model: null }, 'com.v', 'Z'), 'unknown-message', 'Z is only known for model Z9');
  assert.equal(which({ vendor: null, model: 'Z9' }, 'com.v', 'Z'), 'd-other-model:Z');
  assert.equal(which({ vendor: 'Acme', model: 'X1' }, 'com.w', 'M'), 'unknown-vendor');
  assert.equal(which({ vendor: 'Acme', model: 'X1' }, 'com.v', undefined), 'unknown-message');
  const onlyMatched = profile({ id: 'e', vendorId: 'com.m', match: { vendor: 'Nobody' }, messages: [message('M')] });
  assert.equal(matchInbound([onlyMatched], { vendor: 'Acme', model: null }, 'com.m', 'M').kind, 'unknown-vendor', 'a profile for other stations does not make the vendor known');
  const noId = profile({ id: 'f', vendorId: 'com.n', messages: [{ direction: 'inbound', schema: true }] });
  assert.equal(matchInbound([noId], { vendor: null, model: null }, 'com.n', undefined).kind, 'matched', 'a request without messageId takes the message declared without one');
});

test('1.6 data: parsed for a JSON profile, kept for a text one; 2.x data as is', () => {
  const json = profile({ id: 'j', vendorId: 'v', messages: [{ messageId: 'M', direction: 'inbound', encoding: 'json', schema: true }] }).messages[0]!;
  const text = profile({ id: 't', vendorId: 'v', messages: [{ messageId: 'M', direction: 'inbound', schema: true }] }).messages[0]!;
  assert.deepEqual(decodeData(json, '{"a":1}', true), { ok: true, value: { a: 1 } });
  assert.equal(decodeData(json, '{nope', true).ok, false);
  assert.deepEqual(decodeData(json, undefined, true), { ok: true, value: undefined });
  assert.deepEqual(decodeData(text, '{"a":1}', true), { ok: true, value: '{"a":1}' });
  assert.deepEqual(decodeData(json, '{"a":1}', false), { ok: true, value: '{"a":1}' });
});

test('normalisation: numbers, numeric strings, booleans, maps and scale; times from the payload or arrival; events under conditions', () => {
  const rules = profile({
    id: 'n',
    vendorId: 'v',
    messages: [
      {
        messageId: 'M',
        direction: 'inbound',
        schema: true,
        normalise: [
          { kind: 'metric', name: 'a', value: '/a', unit: 'V', at: '/t' },
          { kind: 'metric', name: 'b', value: '/b', scale: 0.1 },
          { kind: 'metric', name: 'c', value: '/c' },
          { kind: 'metric', name: 'd', value: '/d', map: { on: 1, off: 0 } },
          { kind: 'metric', name: 'missing', value: '/nope' },
          { kind: 'metric', name: 'word', value: '/word' },
          { kind: 'event', type: 'hot', severity: 'warning', when: { pointer: '/a', in: [230, 240] }, detail: '/obj' },
          { kind: 'event', type: 'off', severity: 'error', problem: true, when: { pointer: '/d', equals: 'off' } },
          { kind: 'event', type: 'seen', severity: 'info', when: { pointer: '/obj', exists: true }, at: '/bad' },
        ],
      },
    ],
  }).messages[0]!.normalise;
  const out = normalise(rules as any, { a: 230, b: '125', c: true, d: 'on', t: '2025-01-01T00:00:00Z', word: 'twelve', obj: { k: [1] }, bad: 'not a time' }, NOW);
  assert.deepEqual(
    out.metrics.map((m) => [m.name, m.value, m.unit, m.at.toISOString()]),
    [
      ['a', 230, 'V', '2025-01-01T00:00:00.000Z'],
      ['b', 12.5, null, NOW.toISOString()],
      ['c', 1, null, NOW.toISOString()],
      ['d', 1, null, NOW.toISOString()],
    ],
  );
  assert.equal(out.skipped.length, 2);
  assert.deepEqual(out.events.map((e) => [e.type, e.problem, e.detail, e.at.toISOString()]), [['hot', false, { k: [1] }, NOW.toISOString()], ['seen', false, null, NOW.toISOString()]]);
  const off = normalise(rules as any, { d: 'off' }, NOW);
  assert.deepEqual(off.events.map((e) => [e.type, e.severity, e.problem]), [['off', 'error', true]]);
  assert.deepEqual(off.metrics.map((m) => m.value), [0]);
});

test('customData: the mapping of the action applies to the customData of its vendor, with pointers relative to it', () => {
  const cooling = profile({
    ...exampleProfile('liquid-cooling'),
    customData: [
      { action: 'StatusNotification', normalise: [{ kind: 'event', type: 'coolant.alarm', severity: 'critical', problem: true, when: { pointer: '/alarm', equals: true }, detail: '/code' }] },
      { action: 'MeterValues', path: '/meterValue/0', normalise: { kind: 'metric', name: 'coolant.inletTemperature', value: '/inletTempC', unit: 'Celsius' } },
    ],
  });
  const other = profile({ id: 'other', vendorId: 'com.other', customData: [{ action: 'StatusNotification', normalise: { kind: 'metric', name: 'other.x', value: '/x' } }] });
  const station = { vendor: null, model: null };
  const status = { connectorStatus: 'Faulted', customData: { vendorId: 'com.example.cooling', alarm: true, code: 'LEAK' } };
  assert.deepEqual(normaliseCustomData([cooling, other], station, 'StatusNotification', status, NOW), [
    { profileId: 'example-liquid-cooling', vendorId: 'com.example.cooling', metrics: [], events: [{ type: 'coolant.alarm', severity: 'critical', problem: true, detail: 'LEAK', at: NOW }] },
  ]);
  const meter = { evseId: 1, meterValue: [{ timestamp: NOW.toISOString(), sampledValue: [], customData: { vendorId: 'com.example.cooling', inletTempC: '33.5' } }] };
  const [result] = normaliseCustomData([cooling, other], station, 'MeterValues', meter, NOW);
  assert.deepEqual(result?.metrics.map((m) => [m.name, m.value, m.unit]), [['coolant.inletTemperature', 33.5, 'Celsius']]);
  assert.deepEqual(normaliseCustomData([cooling], station, 'Heartbeat', status, NOW), [], 'no mapping for the action');
  assert.deepEqual(normaliseCustomData([cooling], station, 'StatusNotification', { customData: { vendorId: 'com.unknown', alarm: true } }, NOW), [], 'another vendor');
  assert.deepEqual(normaliseCustomData([cooling], station, 'StatusNotification', { customData: 'junk' }, NOW), [], 'not an object');
  assert.deepEqual(normaliseCustomData([cooling], station, 'MeterValues', { meterValue: 'junk' }, NOW), [], 'the path leads nowhere');
});

test('the profile check accepts both shipped examples and rejects what it must, at the right path', () => {
  assert.ok(checkProfile(exampleProfile('liquid-cooling')).ok);
  assert.ok(checkProfile(exampleProfile('advertising-screen')).ok);
  const cases: Array<[unknown, string]> = [
    [null, '/'],
    [[], '/'],
    [{ id: 'a', vendorId: 'v' }, '/messages'],
    [{ id: 'a', vendorId: 'v', messages: [{ messageId: 'M', direction: 'outbound', schema: true, normalise: { kind: 'command' } }, { messageId: 'N', direction: 'outbound', schema: true, normalise: { kind: 'command', command: 'M' } }] }, '/messages/1/normalise'],
    [{ id: 'a', vendorId: 'v', messages: [{ direction: 'outbound', schema: true, normalise: [{ kind: 'command' }] }] }, '/messages/0/normalise/0'],
    [{ id: 'a', vendorId: 'v', messages: [], customData: [{ action: 'lowercase', normalise: [] }] }, '/customData/0/action'],
    [{ id: 'a', vendorId: 'v', messages: [], customData: [{ action: 'MeterValues', normalise: [{ kind: 'command' }] }] }, '/customData/0/normalise/0/kind'],
    [{ id: 'a', vendorId: 'v', messages: [], match: {} }, '/match'],
    [{ id: 'a', vendorId: 'v', messages: [], match: { vendor: { regex: '(a*)*' } } }, '/match/vendor/regex'],
    [{ id: 'a', vendorId: 'v', messages: [], match: { vendor: { regex: '(x)\\1' } } }, '/match/vendor/regex'],
    [{ id: 'a', vendorId: 'v'.repeat(256), messages: [] }, '/vendorId'],
    [{ id: 'a', vendorId: 'v', messages: [{ messageId: 'M', direction: 'inbound', schema: true, normalise: { kind: 'metric', name: 'x', value: '/x', scale: 'big' } }] }, '/messages/0/normalise/scale'],
  ];
  for (const [doc, path] of cases) {
    const checked = checkProfile(doc);
    assert.equal(checked.ok, false, JSON.stringify(doc));
    if (!checked.ok) assert.equal(checked.path, path, `${JSON.stringify(doc).slice(0, 120)}: ${checked.problem}`);
  }
  assert.ok(checkProfile({ id: 'a', vendorId: 'v', messages: [], 'x-owner': 'ops', description: 'free' }).ok, 'notes and x- fields are free');
});
