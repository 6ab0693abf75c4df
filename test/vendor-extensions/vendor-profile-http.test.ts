/**
 * Vendor profiles over REST: upload errors name the path of the problem; the document comes back
 * exactly as uploaded; export -> import into another tenant -> export gives the same profiles;
 * replace and delete; tenancy: a tenant sees and matches only its own profiles.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { clone, exampleProfile } from './vendor-support.ts';

const PASSWORD = 'vendor profiles password 42';

describe('vendor profiles REST', () => {
  let server: TestServer;
  const owners: Record<string, string> = {};

  before(async () => {
    server = await startTestServer();
    for (const name of ['va', 'vb']) {
      assert.equal((await server.api('POST', '/api/v1/tenants', { id: name, name })).status, 201);
      assert.equal((await server.api('POST', '/api/v1/users', { email: `owner@${name}.example`, password: PASSWORD, role: 'owner', tenantId: name })).status, 201);
      owners[name] = (await server.api('POST', '/api/v1/auth/login', { email: `owner@${name}.example`, password: PASSWORD }, null)).body.token;
    }
    assert.equal((await server.api('POST', '/api/v1/users', { email: 'viewer@va.example', password: PASSWORD, role: 'viewer', tenantId: 'va' })).status, 201);
    owners.viewer = (await server.api('POST', '/api/v1/auth/login', { email: 'viewer@va.example', password: PASSWORD }, null)).body.token;
  });
  after(() => server?.stop());

  const as = (who: string) => (method: string, path: string, body?: unknown) => server.api(method, path, body, owners[who]);

  test('upload problems answer invalid-input with the JSON pointer of the field', async () => {
    const base = exampleProfile('liquid-cooling');
    const cases: Array<[string, (doc: any) => void, string, RegExp]> = [
      ['no id', (d) => delete d.id, '/id', /non-empty string/],
      ['bad id', (d) => (d.id = 'has space'), '/id', /must match/],
      ['reserved id', (d) => (d.id = 'export'), '/id', /reserved/],
      ['unknown field', (d) => (d.vendorID = 'x'), '/vendorID', /unknown field/],
      ['direction', (d) => (d.messages[0].direction = 'sideways'), '/messages/0/direction', /inbound/],
      ['pointer', (d) => (d.messages[0].normalise[2].value = 'flowLpm'), '/messages/0/normalise/2/value', /JSON pointer/],
      ['severity', (d) => (d.messages[0].normalise[4].severity = 'meh'), '/messages/0/normalise/4/severity', /one of/],
      ['outbound metric', (d) => (d.messages[0].direction = 'outbound'), '/messages/0/normalise/0/kind', /command/],
      ['schema type', (d) => (d.messages[0].schema = 'yes'), '/messages/0/schema', /JSON Schema/],
      ['schema invalid', (d) => (d.messages[0].schema = { type: 'whatever' }), '/messages/0/schema', /not a usable JSON Schema/],
      ['unsafe pattern', (d) => (d.messages[0].schema = { type: 'string', pattern: '^a+$' }), '/messages/0/schema', /maxLength/],
      ['remote ref', (d) => (d.messages[0].schema = { $ref: 'https://evil.example/schema.json' }), '/messages/0/schema', /not a usable/],
      ['nested quantifier', (d) => (d.match = { model: { regex: '(a+)+$' } }), '/match/model/regex', /nested quantifiers/],
      ['bad regex', (d) => (d.match = { vendor: { regex: '([' } }), '/match/vendor/regex', /not a valid regular expression/],
      ['duplicate message', (d) => d.messages.push(clone(d.messages[0])), '/messages/1/messageId', /another inbound message/],
      ['when', (d) => (d.messages[0].normalise[4].when = { pointer: '/pump/state' }), '/messages/0/normalise/4/when', /exactly one/],
      ['metric name', (d) => (d.messages[0].normalise[0].name = 'temp\u0007'), '/messages/0/normalise/0/name', /control characters/],
    ];
    for (const [label, change, path, message] of cases) {
      const doc = clone(base);
      change(doc);
      const answer = await server.api('POST', '/api/v1/vendor-profiles', doc);
      assert.equal(answer.status, 400, `${label}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, 'invalid-input', label);
      assert.equal(answer.body.details?.path, path, `${label}: ${answer.body.detail}`);
      assert.match(answer.body.detail, message, label);
    }
    const tooBig = clone(base);
    tooBig.description = 'x'.repeat(300_000);
    const big = await server.api('POST', '/api/v1/vendor-profiles', tooBig);
    assert.deepEqual([big.status, big.body.details?.path], [400, '/']);
    assert.equal((await server.api('GET', '/api/v1/vendor-profiles')).body.items.length, 0, 'nothing was stored');
  });

  test('a profile comes back exactly as uploaded; a second upload of its id is already-exists; replace bumps the revision', async () => {
    const doc = { 'x-note': 'keys keep their order', ...exampleProfile('advertising-screen'), description: 'z first? no: last' };
    const created = await server.api('POST', '/api/v1/vendor-profiles', doc);
    assert.equal(created.status, 201);
    const read = await server.api('GET', '/api/v1/vendor-profiles/example-advertising-screen');
    assert.equal(JSON.stringify(read.body), JSON.stringify(doc), 'same keys in the same order');
    assert.equal(read.headers.get('etag'), '"1"');
    assert.equal((await server.api('POST', '/api/v1/vendor-profiles', doc)).status, 409);

    const changed = { ...doc, description: 'changed' };
    const replaced = await server.api('PUT', '/api/v1/vendor-profiles/example-advertising-screen', changed);
    assert.deepEqual([replaced.status, replaced.headers.get('etag'), replaced.body.description], [200, '"2"', 'changed']);
    const renamed = await server.api('PUT', '/api/v1/vendor-profiles/example-advertising-screen', { ...doc, id: 'other' });
    assert.deepEqual([renamed.status, renamed.body.details?.path], [400, '/id']);
    assert.equal((await server.api('PUT', '/api/v1/vendor-profiles/missing', { ...doc, id: 'missing' })).status, 404);
    const list = (await server.api('GET', '/api/v1/vendor-profiles')).body.items;
    assert.deepEqual(list.map((p: any) => [p.id, p.vendorId, p.tenantId, p.revision]), [['example-advertising-screen', 'com.example.screens', 'default', 2]]);
    assert.equal((await server.api('DELETE', '/api/v1/vendor-profiles/example-advertising-screen')).status, 204);
    assert.equal((await server.api('GET', '/api/v1/vendor-profiles/example-advertising-screen')).status, 404);
    assert.equal((await server.api('DELETE', '/api/v1/vendor-profiles/example-advertising-screen')).status, 404);
  });

  test('export, import into another tenant, export again: the same profiles', async () => {
    const a = as('va');
    assert.equal((await a('POST', '/api/v1/vendor-profiles', exampleProfile('liquid-cooling'))).status, 201);
    assert.equal((await a('POST', '/api/v1/vendor-profiles', exampleProfile('advertising-screen'))).status, 201);
    const exported = await a('GET', '/api/v1/vendor-profiles/export');
    assert.equal(exported.status, 200);
    assert.equal(exported.body.format, 'chargebridge.vendor-profiles/1');
    assert.deepEqual(exported.body.profiles.map((p: any) => p.id), ['example-advertising-screen', 'example-liquid-cooling']);

    const b = as('vb');
    assert.deepEqual((await b('POST', '/api/v1/vendor-profiles/import', exported.body)).body, { created: 2, updated: 0 });
    const again = await b('GET', '/api/v1/vendor-profiles/export');
    assert.equal(JSON.stringify(again.body.profiles), JSON.stringify(exported.body.profiles), 'the documents survive the trip unchanged');
    assert.deepEqual((await b('POST', '/api/v1/vendor-profiles/import', exported.body)).body, { created: 0, updated: 2 }, 'a second import replaces');

    // One bad profile refuses the whole bundle, naming it.
    const broken = clone(exported.body);
    broken.profiles[1].messages[0].direction = 'up';
    broken.profiles.push({ ...clone(exported.body.profiles[0]), id: 'fresh' });
    const refused = await b('POST', '/api/v1/vendor-profiles/import', broken);
    assert.deepEqual([refused.status, refused.body.details?.path], [400, '/profiles/1/messages/0/direction']);
    assert.equal((await b('GET', '/api/v1/vendor-profiles/fresh')).status, 404, 'nothing of the refused bundle was written');
    const twice = await b('POST', '/api/v1/vendor-profiles/import', { profiles: [exported.body.profiles[0], exported.body.profiles[0]] });
    assert.deepEqual([twice.status, twice.body.details?.path], [400, '/profiles/1/id']);
    assert.equal((await b('POST', '/api/v1/vendor-profiles/import', { format: 'other/9', profiles: exported.body.profiles })).status, 400);
  });

  test("tenancy: another tenant's profiles are invisible, unwritable and never match its stations", async () => {
    const a = as('va');
    const b = as('vb');
    assert.equal((await a('DELETE', '/api/v1/vendor-profiles/example-liquid-cooling')).status, 204);
    assert.equal((await a('GET', '/api/v1/vendor-profiles/example-liquid-cooling')).status, 404);
    assert.equal((await b('GET', '/api/v1/vendor-profiles/example-liquid-cooling')).status, 200, "B's own copy (from the import) stays");
    assert.equal((await b('GET', '/api/v1/vendor-profiles?tenantId=va')).status, 404, 'naming another tenant is not-found');
    assert.equal((await b('POST', '/api/v1/vendor-profiles?tenantId=va', exampleProfile('liquid-cooling'))).status, 404);
    assert.equal((await b('POST', '/api/v1/vendor-profiles/import?tenantId=va', { profiles: [exampleProfile('liquid-cooling')] })).status, 404);
    assert.equal((await a('GET', '/api/v1/vendor-profiles/example-liquid-cooling')).status, 404, 'A still has none');
    assert.equal((await server.api('GET', '/api/v1/vendor-profiles/example-liquid-cooling?tenantId=vb')).status, 200, 'the admin names a tenant');

    // A's station: B's cooling profile does not know its vendor.
    assert.equal((await a('POST', '/api/v1/stations', { id: 'VX-TEN-A' })).status, 201);
    assert.equal((await b('POST', '/api/v1/stations', { id: 'VX-TEN-B' })).status, 201);
    const data = JSON.stringify({ inletTempC: 1, outletTempC: 2, flowLpm: 3, pump: { state: 'running' } });
    const request = { vendorId: 'com.example.cooling', messageId: 'CoolantTelemetry', data };
    const stationA = await strictRpcClient(server.ocppUrl, 'VX-TEN-A', 'ocpp1.6');
    const stationB = await strictRpcClient(server.ocppUrl, 'VX-TEN-B', 'ocpp1.6');
    try {
      for (const s of [stationA, stationB]) await s.call('BootNotification', { chargePointVendor: 'T', chargePointModel: 'T' });
      assert.deepEqual(await stationA.call('DataTransfer', request), { status: 'UnknownVendorId' });
      assert.deepEqual(await stationB.call('DataTransfer', request), { status: 'Accepted' });
    } finally {
      await Promise.allSettled([stationA.close({ code: 1000 }), stationB.close({ code: 1000 })]);
    }
    assert.equal((await b('GET', '/api/v1/stations/VX-TEN-A/data-transfers')).status, 404, "B cannot read A's station");
    assert.equal((await b('GET', '/api/v1/stations/VX-TEN-A/vendor-metrics')).status, 404);
    assert.equal((await a('GET', '/api/v1/stations/VX-TEN-A/data-transfers')).body.items[0].outcome, 'unknownVendor');
    assert.equal((await b('GET', '/api/v1/stations/VX-TEN-B/vendor-metrics')).body.total, 4);
  });

  test('permissions: a viewer reads profiles but cannot write them', async () => {
    const viewer = as('viewer');
    assert.equal((await viewer('GET', '/api/v1/vendor-profiles')).status, 200);
    assert.equal((await viewer('GET', '/api/v1/vendor-profiles/export')).status, 200);
    assert.equal((await viewer('POST', '/api/v1/vendor-profiles', exampleProfile('liquid-cooling'))).status, 403);
    assert.equal((await viewer('POST', '/api/v1/vendor-profiles/import', { profiles: [] })).status, 403);
    assert.equal((await viewer('DELETE', '/api/v1/vendor-profiles/example-advertising-screen')).status, 403);
  });
});
