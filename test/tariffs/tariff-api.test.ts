/**
 * Tariffs over REST: an OCPI-shaped tariff is checked (a precise path on a problem), kept in the
 * canonical model, versioned on every change (never retroactive: the version in force when a
 * session started stays findable), and assigned to stations of its own tenant only.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { FakeTime } from '../support/fake-time.ts';

const SIMPLE = { id: 'T-SIMPLE', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 10, step_size: 1 }] }] };

describe('tariffs REST', () => {
  let server: TestServer;
  const time = new FakeTime(new Date('2026-12-07T10:00:00Z'));
  before(async () => {
    server = await startTestServer({}, { time });
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'TAR-1' })).status, 201);
  });
  after(() => server.stop());

  test('an OCPI tariff is created, read back as OCPI, and a bad one names the path of its problem', async () => {
    const created = await server.api('POST', '/api/v1/tariffs', SIMPLE);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.id, created.body.currency, created.body.version, created.body.validFrom], ['T-SIMPLE', 'EUR', 1, '2026-12-07T10:00:00.000Z']);
    assert.equal(created.body.tariff.elements[0].price_components[0].price, 0.25);
    assert.equal((await server.api('POST', '/api/v1/tariffs', SIMPLE)).status, 409, 'an id is taken once');
    const bad = await server.api('POST', '/api/v1/tariffs', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: -1, step_size: 1 }] }] });
    assert.deepEqual([bad.status, bad.body.code], [400, 'invalid-input']);
    assert.match(bad.body.detail, /^\/elements\/0\/price_components\/0\/price/);
    const unknownCurrency = await server.api('POST', '/api/v1/tariffs', { ...SIMPLE, id: 'T-X', currency: 'XXX' });
    assert.equal(unknownCurrency.status, 400);
  });

  test('a change is a new version from now on; a session that started before keeps the old one', async () => {
    assert.equal((await server.api('PUT', '/api/v1/stations/TAR-1/tariff', { tariffId: 'T-SIMPLE' })).status, 200);
    await time.advance(2 * 3600_000);
    const changed = await server.api('PUT', '/api/v1/tariffs/T-SIMPLE', { ...SIMPLE, elements: [{ price_components: [{ type: 'ENERGY', price: 0.35, vat: 10, step_size: 1 }] }] });
    assert.deepEqual([changed.status, changed.body.version, changed.body.validFrom], [200, 2, '2026-12-07T12:00:00.000Z']);
    const at = async (iso: string) => (await server.api('GET', `/api/v1/stations/TAR-1/tariff?at=${iso}`)).body;
    assert.equal((await at('2026-12-07T11:00:00Z')).tariff.elements[0].price_components[0].price, 0.25, 'a session started at 11:00 is priced by version 1');
    assert.equal((await at('2026-12-07T12:30:00Z')).tariff.elements[0].price_components[0].price, 0.35);
    assert.equal(await at('2026-12-07T09:00:00Z'), null, 'before the tariff existed there was none');
    const versions = (await server.api('GET', '/api/v1/tariffs/T-SIMPLE/versions')).body.items;
    assert.deepEqual(versions.map((v: any) => v.version), [1, 2]);
    const mismatch = await server.api('PUT', '/api/v1/tariffs/T-SIMPLE', { ...SIMPLE, id: 'OTHER' });
    assert.deepEqual([mismatch.status, mismatch.body.code], [400, 'invalid-input']);
  });

  test('a tariff of another tenant cannot be assigned and is not seen', async () => {
    assert.equal((await server.api('POST', '/api/v1/tenants', { id: 'tar-other', name: 'Other' })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariffs?tenantId=tar-other', { ...SIMPLE, id: 'T-OTHER' })).status, 201);
    const assigned = await server.api('PUT', '/api/v1/stations/TAR-1/tariff', { tariffId: 'T-OTHER' });
    assert.deepEqual([assigned.status, assigned.body.code], [404, 'not-found']);
    assert.equal((await server.api('GET', '/api/v1/stations/TAR-1/tariff')).body.id, 'T-SIMPLE', 'unchanged');
  });

  test('assignments: history per target, the most specific wins, a reassignment is not retroactive', async () => {
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'TAR-2', siteId: 'TAR-SITE' })).status, 201);
    for (const id of ['T-SITE', 'T-EVSE', 'T-FLEET', 'T-NEXT']) assert.equal((await server.api('POST', '/api/v1/tariffs', { ...SIMPLE, id })).status, 201);
    const assign = (body: Record<string, unknown>) => server.api('POST', '/api/v1/tariff-assignments', body);
    const site = await assign({ tariffId: 'T-SITE', siteId: 'TAR-SITE' });
    assert.deepEqual([site.status, site.body.level, site.body.tenantId], [201, 'site', 'default']);
    assert.equal((await assign({ tariffId: 'T-EVSE', stationId: 'TAR-2', evseId: 1 })).body.level, 'evse');
    assert.equal((await assign({ tariffId: 'T-FLEET', tokenGroup: 'FLEET' })).body.level, 'tenant');
    const firstAt = time.clock().toISOString();
    assert.equal((await server.api('GET', '/api/v1/stations/TAR-2/tariff')).body.id, 'T-SITE', 'the whole station: its site\'s tariff');

    await time.advance(60_000);
    assert.equal((await assign({ tariffId: 'T-NEXT', siteId: 'TAR-SITE' })).status, 201);
    assert.equal((await server.api('GET', '/api/v1/stations/TAR-2/tariff')).body.id, 'T-NEXT');
    assert.equal((await server.api('GET', `/api/v1/stations/TAR-2/tariff?at=${firstAt}`)).body.id, 'T-SITE', 'a session started before the reassignment keeps its tariff');
    await time.advance(60_000);
    assert.equal((await assign({ tariffId: null, siteId: 'TAR-SITE' })).status, 201);
    assert.equal((await server.api('GET', '/api/v1/stations/TAR-2/tariff')).body, null, 'removed: no tenant-wide tariff for everyone');

    const history = (await server.api('GET', '/api/v1/tariff-assignments?siteId=TAR-SITE')).body.items;
    assert.deepEqual(history.map((h: any) => h.tariffId), [null, 'T-NEXT', 'T-SITE'], 'newest first, nothing rewritten');

    const bad = await assign({ tariffId: 'T-SITE', evseId: 1 });
    assert.deepEqual([bad.status, bad.body.code], [400, 'invalid-input']);
    assert.equal((await assign({ tariffId: 'T-OTHER', stationId: 'TAR-2' })).status, 404, 'another tenant\'s tariff');
    assert.equal((await assign({ tariffId: 'T-SITE', stationId: 'NOPE' })).status, 404);
  });
});
