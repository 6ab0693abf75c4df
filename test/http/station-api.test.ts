/** REST contract for stations: auth, problem+json, CRUD, paging, OpenAPI, probes. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';

describe('stations REST API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  test('health and ready need no token; the API does', async () => {
    assert.equal((await server.api('GET', '/health', undefined, null)).status, 200);
    const ready = await server.api('GET', '/ready', undefined, null);
    assert.deepEqual([ready.status, ready.body.status], [200, 'ready']);
    const anonymous = await server.api('GET', '/api/v1/stations', undefined, null);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(anonymous.body.code, 'unauthorized');
    assert.equal((await server.api('GET', '/api/v1/stations', undefined, 'wrong-token')).body.code, 'unauthorized');
  });

  test('register, get, update, list and delete a station', async () => {
    const created = await server.api('POST', '/api/v1/stations', { id: 'API-1', password: 'a-long-enough-secret', siteId: 'depot', labels: { bay: '4' } });
    assert.equal(created.status, 201);
    assert.deepEqual(
      [created.body.id, created.body.ocppVersion, created.body.connected, created.body.securityProfile, created.body.hasPassword, created.body.evses],
      ['API-1', null, false, 1, true, []],
    );
    assert.ok(!('password' in created.body) && !('passwordHash' in created.body), 'no secret in the response');
    const duplicate = await server.api('POST', '/api/v1/stations', { id: 'API-1' });
    assert.deepEqual([duplicate.status, duplicate.body.code], [409, 'already-exists']);
    const patched = await server.api('PATCH', '/api/v1/stations/API-1', { labels: { bay: '5' }, registrationStatus: 'Pending' });
    assert.deepEqual([patched.body.labels, patched.body.registrationStatus, patched.body.siteId], [{ bay: '5' }, 'Pending', 'depot']);
    const listed = await server.api('GET', '/api/v1/stations?siteId=depot');
    assert.deepEqual(listed.body.items.map((s: any) => s.id), ['API-1']);
    assert.equal((await server.api('DELETE', '/api/v1/stations/API-1')).status, 204);
    const gone = await server.api('GET', '/api/v1/stations/API-1');
    assert.deepEqual([gone.status, gone.body.code], [404, 'not-found']);
  });

  test('list pages through stations with limit and offset', async () => {
    for (let i = 0; i < 5; i++) await server.api('POST', '/api/v1/stations', { id: `PAGE-${i}` });
    const first = await server.api('GET', '/api/v1/stations?search=PAGE-&limit=2');
    assert.deepEqual([first.body.total, first.body.items.length, first.body.limit, first.body.offset], [5, 2, 2, 0]);
    const last = await server.api('GET', '/api/v1/stations?search=PAGE-&limit=2&offset=4');
    assert.deepEqual(last.body.items.map((s: any) => s.id), ['PAGE-4']);
    const offline = await server.api('GET', '/api/v1/stations?search=PAGE-&connected=false');
    assert.equal(offline.body.total, 5);
    assert.equal((await server.api('GET', '/api/v1/stations?search=PAGE-&connected=true')).body.total, 0);
  });

  test('bad input gets problem+json with a stable code', async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/api/v1/stations', { id: 'bad id with spaces' }, 400, 'invalid-input'],
      ['POST', '/api/v1/stations', { id: 'OK-1', password: 'short' }, 400, 'invalid-input'],
      ['POST', '/api/v1/stations', { id: 'OK-1', unknownField: true }, 400, 'invalid-input'],
      ['GET', '/api/v1/stations?limit=100000', undefined, 400, 'invalid-input'],
      ['PATCH', '/api/v1/stations/NOPE', { siteId: 'x' }, 404, 'not-found'],
      ['DELETE', '/api/v1/stations/NOPE', undefined, 404, 'not-found'],
      ['GET', '/api/v1/nothing-here', undefined, 404, 'not-found'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const response = await server.api(method, path, body);
      assert.deepEqual([response.status, response.body.code], [status, code], `${method} ${path}`);
      assert.match(response.headers.get('content-type') ?? '', /problem\+json/, `${method} ${path}`);
    }
    const malformed = await fetch(`${server.httpUrl}/api/v1/stations`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' },
      body: '{"id": ',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as any).code, 'bad-request');
  });

  test('the OpenAPI document describes the station routes', async () => {
    const response = await fetch(`${server.httpUrl}/api/docs/json`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as any;
    assert.ok(doc.paths['/api/v1/stations'].post);
    assert.ok(doc.paths['/api/v1/stations/{id}'].get.responses['200']);
    assert.ok(doc.components.securitySchemes.bearer);
  });
});
