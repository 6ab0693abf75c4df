/**
 * The role matrix (issue 13), generated from one table: the roles' permissions
 * (ROLE_PERMISSIONS) crossed with every route of the OpenAPI document and the permission its
 * security requirement names. Each role calls each route; a route the role lacks the permission
 * for answers 403 `forbidden` before anything else, any other gets past the permission check
 * (its ids do not exist and its bodies are empty, so it answers 400 or 404, never 401 or 403).
 * A role limited to sites acts on the stations of those sites only.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { ROLE_PERMISSIONS } from '../../src/capabilities/access/index.ts';
import { ROLES, type Role } from '../../src/kernel/permissions.ts';

const PASSWORD = 'matrix password 1234';
const NO_SUCH_UUID = '00000000-0000-4000-8000-0000000000ff';

interface Operation {
  method: string;
  path: string;
  /** The scopes of the route's bearer requirement: its permission, and `platform` when only a platform caller may. */
  scopes: string[];
}

describe('role matrix', () => {
  let server: TestServer;
  let operations: Operation[];
  const tokens = new Map<string, string>();

  const signIn = async (email: string): Promise<string> => {
    const answer = await server.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, null);
    assert.equal(answer.status, 200, email);
    return answer.body.token;
  };

  before(async () => {
    server = await startTestServer();
    await server.api('POST', '/api/v1/tenants', { id: 'matrix', name: 'Matrix' });
    for (const role of ROLES) {
      assert.equal((await server.api('POST', '/api/v1/users', { email: `${role}@matrix.example`, password: PASSWORD, role, tenantId: 'matrix' })).status, 201);
      tokens.set(role, await signIn(`${role}@matrix.example`));
    }
    // An owner of the default tenant administers the platform, like the admin token.
    await server.api('POST', '/api/v1/users', { email: 'owner@platform.example', password: PASSWORD, role: 'owner' });
    tokens.set('platform owner', await signIn('owner@platform.example'));

    const doc = (await server.api('GET', '/api/docs/json', undefined, null)).body as { paths: Record<string, Record<string, { security?: Array<{ bearer?: string[] }> }>> };
    operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ method: method.toUpperCase(), path, scopes: operation.security?.[0]?.bearer ?? [] })),
    );
  });
  after(() => server?.stop());

  /** Calls a route; only the status matters. An event stream is cut as soon as its status is known. */
  async function statusOf(token: string, { method, path }: Operation): Promise<number> {
    const url = path.replace(/\{[^}]+\}/g, (name) => (/(commandId|\/stuck-transactions\/)/.test(name + path) ? NO_SUCH_UUID : 'NO-SUCH-ID'));
    const controller = new AbortController();
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` }, signal: controller.signal };
    if (!['GET', 'DELETE'].includes(method)) {
      init.body = '{}';
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(`${server.httpUrl}${url}`, init);
    controller.abort();
    return response.status;
  }

  const expectedAllowed = (who: string, op: Operation): boolean => {
    const [permission] = op.scopes.filter((s) => s !== 'platform');
    const permissions: readonly string[] = ROLE_PERMISSIONS[who === 'platform owner' ? 'owner' : (who as Role)];
    const platform = who === 'platform owner';
    return (!permission || permissions.includes(permission)) && (!op.scopes.includes('platform') || platform);
  };

  test('every role on every route: 403 exactly where the table says so', async () => {
    const gated = operations.filter((op) => op.scopes.length > 0);
    assert.ok(gated.length >= 40, `${gated.length} permission-gated routes`);
    const wrong: string[] = [];
    for (const [who, token] of tokens) {
      for (const op of gated) {
        const status = await statusOf(token, op);
        const allowed = expectedAllowed(who, op);
        if (allowed ? status === 403 || status === 401 : status !== 403) wrong.push(`${who} ${op.method} ${op.path}: ${status}, expected ${allowed ? 'allowed' : '403'}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('every route states its permission in the document, and every permission is used by some route', async () => {
    const ungated = operations.filter((op) => op.scopes.length === 0).map((op) => `${op.method} ${op.path}`);
    // Open on purpose: sign-in and the like, a driver paying at the charger (no account), and the gateway's signed webhook.
    const open = /\/auth\/|^(POST|GET) \/api\/v1\/pay\/sessions|^POST \/api\/v1\/payments\/webhook$/;
    for (const route of ungated) assert.match(route, open, `${route} is open to any credential (only sign-in, sign-out, who-am-I, the driver's pay routes and the gateway's webhook may be)`);
    const used = new Set(operations.flatMap((op) => op.scopes));
    for (const permission of new Set(Object.values(ROLE_PERMISSIONS).flat())) assert.ok(used.has(permission), `${permission} guards no route`);
  });

  test('a technician limited to a site commands the stations of that site only, and sees no others', async () => {
    for (const [id, siteId] of [['MX-IN', 'mx-site-1'], ['MX-OUT', 'mx-site-2']]) {
      assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId, tenantId: 'matrix' })).status, 201);
    }
    await server.api('POST', '/api/v1/users', { email: 'tech-site1@matrix.example', password: PASSWORD, role: 'technician', tenantId: 'matrix', siteIds: ['mx-site-1'] });
    const tech = await signIn('tech-site1@matrix.example');
    const command = await server.api('POST', '/api/v1/stations/MX-IN/commands', { type: 'reset', mode: 'soft' }, tech);
    assert.equal(command.status, 202, 'queued for the station of its site');
    const outside = await server.api('POST', '/api/v1/stations/MX-OUT/commands', { type: 'reset', mode: 'soft' }, tech);
    assert.deepEqual([outside.status, outside.body.code], [404, 'not-found'], 'a station of another site is as unknown as another tenant\'s');
    const listed = await server.api('GET', '/api/v1/stations', undefined, tech);
    assert.deepEqual(listed.body.items.map((s: { id: string }) => s.id), ['MX-IN']);
    const me = await server.api('GET', '/api/v1/auth/me', undefined, tech);
    assert.deepEqual([me.body.role, me.body.siteIds], ['technician', ['mx-site-1']]);
    const edit = await server.api('PATCH', '/api/v1/stations/MX-IN', { labels: { a: 'b' } }, tech);
    assert.deepEqual([edit.status, edit.body.code], [403, 'forbidden'], 'a technician does not edit stations');
  });
});
