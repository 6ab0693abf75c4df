/** Tenants over REST (issue 13's first part): create, read, list, with the default tenant always there. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';

describe('tenants REST API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('the default tenant exists from the first start', async () => {
    const found = await server.api('GET', '/api/v1/tenants/default');
    assert.equal(found.status, 200);
    assert.equal(found.body.id, 'default');
  });

  test('create, read back, list; a taken id is a conflict; a bad id or body is refused', async () => {
    const created = await server.api('POST', '/api/v1/tenants', { id: 'acme-depot', name: 'ACME fleet depot' });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.id, created.body.name], ['acme-depot', 'ACME fleet depot']);
    assert.equal((await server.api('GET', '/api/v1/tenants/acme-depot')).body.name, 'ACME fleet depot');
    assert.deepEqual(
      (await server.api('GET', '/api/v1/tenants')).body.items.map((t: { id: string }) => t.id),
      ['acme-depot', 'default'],
    );
    const again = await server.api('POST', '/api/v1/tenants', { id: 'acme-depot', name: 'Other' });
    assert.deepEqual([again.status, again.body.code], [409, 'already-exists']);
    for (const body of [{ id: 'ACME', name: 'x' }, { id: 'a b', name: 'x' }, { id: 'ok', name: '' }, { id: 'ok', name: 'x', extra: 1 }]) {
      const refused = await server.api('POST', '/api/v1/tenants', body);
      assert.deepEqual([refused.status, refused.body.code], [400, 'invalid-input'], JSON.stringify(body));
    }
    const missing = await server.api('GET', '/api/v1/tenants/nobody');
    assert.deepEqual([missing.status, missing.body.code], [404, 'not-found']);
  });

  test('a station belongs to a tenant: the default one unless named, never one that does not exist', async () => {
    await server.api('POST', '/api/v1/tenants', { id: 'north', name: 'North sites' });
    const plain = await server.api('POST', '/api/v1/stations', { id: 'TEN-PLAIN' });
    assert.deepEqual([plain.status, plain.body.tenantId], [201, 'default']);
    const owned = await server.api('POST', '/api/v1/stations', { id: 'TEN-NORTH', tenantId: 'north' });
    assert.deepEqual([owned.status, owned.body.tenantId], [201, 'north']);
    assert.equal((await server.api('GET', '/api/v1/stations/TEN-NORTH')).body.tenantId, 'north');
    const orphan = await server.api('POST', '/api/v1/stations', { id: 'TEN-ORPHAN', tenantId: 'nowhere' });
    assert.deepEqual([orphan.status, orphan.body.code], [404, 'not-found']);
    assert.equal((await server.api('GET', '/api/v1/stations/TEN-ORPHAN')).status, 404, 'nothing was registered');
    const listed = await server.api('GET', '/api/v1/stations?tenantId=north');
    assert.deepEqual(listed.body.items.map((s: { id: string }) => s.id), ['TEN-NORTH']);
  });

  test('the API needs the token', async () => {
    const response = await fetch(`${server.httpUrl}/api/v1/tenants`);
    assert.equal(response.status, 401);
  });
});
