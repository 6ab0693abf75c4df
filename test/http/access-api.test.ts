/**
 * Users, sign-in, sessions and API keys over REST (issue 13): the contract's names, passwords that
 * are never stored or logged in clear, keys shown once and stored as digests, revocation and
 * sign-out that take effect at once, expiry on the injected clock, and sign-in throttling.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { FakeTime } from '../support/fake-time.ts';

const PASSWORD = 'correct horse battery staple';

describe('users, sign-in and API keys', () => {
  let server: TestServer;
  const logLines: string[] = [];
  const time = new FakeTime(new Date('2026-12-07T08:00:00Z'));
  before(async () => {
    server = await startTestServer({ logLevel: 'debug', access: { loginMaxFailures: 3, loginLockoutSec: 60 } } as never, { logLines, time });
    assert.equal((await server.api('POST', '/api/v1/tenants', { id: 'acme', name: 'ACME' })).status, 201);
    for (const [email, role] of [['olga@acme.example', 'operator'], ['ada@acme.example', 'admin'], ['victor@acme.example', 'viewer']]) {
      assert.equal((await server.api('POST', '/api/v1/users', { email, password: PASSWORD, role, tenantId: 'acme' })).status, 201);
    }
  });
  after(() => server.stop());

  const login = (email: string, password: string) => server.api('POST', '/api/v1/auth/login', { email, password }, null);
  /** A session token of a user who must be able to sign in (fails loudly, never falls back to the admin token). */
  const tokenOf = async (email: string): Promise<string> => {
    const answer = await login(email, PASSWORD);
    assert.equal(answer.status, 200, `${email} signs in`);
    return answer.body.token as string;
  };

  test('a user signs in with e-mail and password; the token works as a bearer and says who it is', async () => {
    const created = await server.api('POST', '/api/v1/users', { email: 'Olaf@ACME.example', password: PASSWORD, role: 'operator', tenantId: 'acme' });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.email, created.body.role, created.body.tenantId, created.body.siteIds], ['olaf@acme.example', 'operator', 'acme', null]);
    assert.equal('password' in created.body || 'passwordHash' in created.body, false, 'no password in the answer');

    const signedIn = await login('OLAF@acme.example', PASSWORD);
    assert.equal(signedIn.status, 200);
    assert.match(signedIn.body.token, /^cbs_/);
    assert.equal(new Date(signedIn.body.expiresAt).getTime(), time.clock().getTime() + 43_200_000, 'the default session lasts 12 h');
    const me = await server.api('GET', '/api/v1/auth/me', undefined, signedIn.body.token);
    assert.equal(me.status, 200);
    assert.deepEqual([me.body.kind, me.body.email, me.body.role, me.body.tenantId], ['user', 'olaf@acme.example', 'operator', 'acme']);
    assert.ok(me.body.permissions.includes('commands:write') && !me.body.permissions.includes('users:write'));

    // Stored as an scrypt hash; neither the password nor the session token is in the database or the log.
    const row = await server.app.storage.db.selectFrom('users').select('password_hash').where('email', '=', 'olaf@acme.example').executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^scrypt\$1024\$8\$1\$/);
    assert.ok(!row.password_hash.includes(PASSWORD));
    const sessions = await server.app.storage.db.selectFrom('user_sessions').select('token_digest').execute();
    assert.ok(sessions.every((s) => s.token_digest !== signedIn.body.token));
    const log = logLines.join('\n');
    assert.ok(!log.includes(PASSWORD), 'the password never reaches the log');
    assert.ok(!log.includes(signedIn.body.token), 'the session token never reaches the log');
  });

  test('sign-out ends the session at once; an expired session is refused', async () => {
    const first = await tokenOf('olga@acme.example');
    assert.equal((await server.api('POST', '/api/v1/auth/logout', undefined, first)).status, 204);
    const after = await server.api('GET', '/api/v1/auth/me', undefined, first);
    assert.deepEqual([after.status, after.body.code], [401, 'unauthorized']);

    const second = await tokenOf('olga@acme.example');
    assert.equal((await server.api('GET', '/api/v1/auth/me', undefined, second)).status, 200);
    await time.advance(43_200_000);
    assert.equal((await server.api('GET', '/api/v1/auth/me', undefined, second)).status, 401, 'twelve hours later the session is over');
  });

  test('wrong passwords are refused alike for unknown e-mails, then throttled with Retry-After; the right one works again after the lock-out', async () => {
    const unknown = await login('nobody@acme.example', PASSWORD);
    const wrong = await login('victor@acme.example', 'not the password');
    assert.deepEqual([unknown.status, unknown.body.code, unknown.body.detail], [401, 'unauthorized', 'wrong e-mail or password']);
    assert.deepEqual([wrong.status, wrong.body.code, wrong.body.detail], [401, 'unauthorized', 'wrong e-mail or password'], 'an unknown e-mail answers exactly like a wrong password');

    await login('victor@acme.example', 'still not it');
    await login('victor@acme.example', 'third time');
    const locked = await login('victor@acme.example', PASSWORD);
    assert.deepEqual([locked.status, locked.body.code], [429, 'rate-limited'], 'locked out: even the right password is refused');
    assert.equal(locked.headers.get('retry-after'), '60');
    await time.advance(61_000);
    assert.equal((await login('victor@acme.example', PASSWORD)).status, 200, 'after the lock-out the right password works');
  });

  test('an API key: created over the API, shown once, stored as a digest, scoped, revoked at once', async () => {
    const created = await server.api('POST', '/api/v1/api-keys', { name: 'billing export', scopes: ['transactions:read'], tenantId: 'acme' });
    assert.equal(created.status, 201);
    const { id, key } = created.body;
    assert.match(key, /^cbk_/);
    assert.deepEqual([created.body.tenantId, created.body.scopes, created.body.revokedAt], ['acme', ['transactions:read'], null]);
    assert.equal(key.startsWith(created.body.prefix), true);

    const listed = await server.api('GET', '/api/v1/api-keys');
    const entry = listed.body.items.find((k: { id: string }) => k.id === id);
    assert.ok(entry && !('key' in entry), 'the key is never shown again');
    const stored = await server.app.storage.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(stored).includes(key), 'only a digest is stored');

    assert.equal((await server.api('GET', '/api/v1/transactions', undefined, key)).status, 200);
    const outside = await server.api('GET', '/api/v1/stations', undefined, key);
    assert.deepEqual([outside.status, outside.body.code], [403, 'forbidden'], 'a scope the key lacks');

    assert.equal((await server.api('DELETE', `/api/v1/api-keys/${id}`)).status, 204);
    assert.equal((await server.api('GET', '/api/v1/transactions', undefined, key)).status, 401, 'revoked: refused on the next request');
    assert.notEqual((await server.api('GET', `/api/v1/api-keys/${id}`)).body.revokedAt, null);
  });

  test('a key expires on its date, and may not carry scopes its creator lacks', async () => {
    const expiresAt = new Date(time.clock().getTime() + 60_000).toISOString();
    const created = await server.api('POST', '/api/v1/api-keys', { name: 'short-lived', scopes: ['stations:read'], expiresAt });
    assert.equal((await server.api('GET', '/api/v1/stations', undefined, created.body.key)).status, 200);
    await time.advance(60_000);
    assert.equal((await server.api('GET', '/api/v1/stations', undefined, created.body.key)).status, 401);

    const operator = await tokenOf('olga@acme.example');
    // An operator may not manage keys at all; an admin may, but only with the scopes an admin has.
    const byOperator = await server.api('POST', '/api/v1/api-keys', { name: 'x', scopes: ['stations:read'] }, operator);
    assert.deepEqual([byOperator.status, byOperator.body.code], [403, 'forbidden']);
    const admin = await tokenOf('ada@acme.example');
    const beyond = await server.api('POST', '/api/v1/api-keys', { name: 'x', scopes: ['tenants:write'] }, admin);
    assert.deepEqual([beyond.status, beyond.body.code], [403, 'forbidden']);
    const ownOnly = await server.api('POST', '/api/v1/api-keys', { name: 'x', scopes: ['stations:read'], tenantId: 'default' }, admin);
    assert.deepEqual([ownOnly.status, ownOnly.body.code], [404, 'not-found'], "an admin of acme cannot make a key for another tenant");
  });

  test('only an owner makes an owner; an e-mail is one account; bad input is precise', async () => {
    const admin = await tokenOf('ada@acme.example');
    const owner = await server.api('POST', '/api/v1/users', { email: 'boss@acme.example', password: PASSWORD, role: 'owner' }, admin);
    assert.deepEqual([owner.status, owner.body.code], [403, 'forbidden']);
    const taken = await server.api('POST', '/api/v1/users', { email: 'OLGA@acme.example', password: PASSWORD, role: 'viewer', tenantId: 'acme' });
    assert.deepEqual([taken.status, taken.body.code], [409, 'already-exists']);
    const short = await server.api('POST', '/api/v1/users', { email: 'new@acme.example', password: 'short', role: 'viewer' });
    assert.deepEqual([short.status, short.body.code], [400, 'invalid-input']);
    const badRole = await server.api('POST', '/api/v1/users', { email: 'new@acme.example', password: PASSWORD, role: 'god' });
    assert.deepEqual([badRole.status, badRole.body.code], [400, 'invalid-input']);
    const users = await server.api('GET', '/api/v1/users', undefined, admin);
    assert.ok(users.body.items.every((u: { tenantId: string }) => u.tenantId === 'acme'), "an admin lists its own tenant's users");
  });
});

describe('what a caller can hand out (review of issue 13)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ access: { loginMaxFailures: 5, loginLockoutSec: 300 } } as never);
    await server.api('POST', '/api/v1/tenants', { id: 'grid', name: 'Grid' });
    for (const [id, siteId] of [['G-S1', 'g-s1'], ['G-S2', 'g-s2']]) {
      assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId, tenantId: 'grid' })).status, 201);
    }
    await server.api('POST', '/api/v1/users', { email: 'site-admin@grid.example', password: PASSWORD, role: 'admin', tenantId: 'grid', siteIds: ['g-s1'] });
    await server.api('POST', '/api/v1/users', { email: 'site-op@grid.example', password: PASSWORD, role: 'operator', tenantId: 'grid', siteIds: ['g-s1'] });
  });
  after(() => server.stop());
  const tokenOf = async (email: string): Promise<string> => {
    const answer = await server.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, null);
    assert.equal(answer.status, 200, `${email} signs in`);
    return answer.body.token as string;
  };
  const ids = (answer: { body: { items: Array<{ id: string }> } }) => answer.body.items.map((s) => s.id);

  test('a key with users:write cannot create a user with more rights than the key', async () => {
    const { key } = (await server.api('POST', '/api/v1/api-keys', { name: 'hr sync', scopes: ['users:write'], tenantId: 'grid' })).body;
    const admin = await server.api('POST', '/api/v1/users', { email: 'new-admin@grid.example', password: PASSWORD, role: 'admin' }, key);
    assert.deepEqual([admin.status, admin.body.code], [403, 'forbidden']);
  });

  test("a caller limited to a site passes its limit on to the users and keys it creates, and cannot grant another site", async () => {
    const siteAdmin = await tokenOf('site-admin@grid.example');
    assert.deepEqual(ids(await server.api('GET', '/api/v1/stations', undefined, siteAdmin)), ['G-S1']);
    const key = await server.api('POST', '/api/v1/api-keys', { name: 'site key', scopes: ['stations:read'] }, siteAdmin);
    assert.deepEqual(key.body.siteIds, ['g-s1']);
    assert.deepEqual(ids(await server.api('GET', '/api/v1/stations', undefined, key.body.key)), ['G-S1'], 'the key sees the site of its creator only');
    const user = await server.api('POST', '/api/v1/users', { email: 'helper@grid.example', password: PASSWORD, role: 'viewer' }, siteAdmin);
    assert.deepEqual(user.body.siteIds, ['g-s1']);
    const beyond = await server.api('POST', '/api/v1/users', { email: 'other@grid.example', password: PASSWORD, role: 'viewer', siteIds: ['g-s2'] }, siteAdmin);
    assert.deepEqual([beyond.status, beyond.body.code], [403, 'forbidden']);
  });

  test("a caller limited to a site cannot reach another site's settings, audit entries, or take a station out of its site", async () => {
    const op = await tokenOf('site-op@grid.example');
    assert.equal((await server.api('PUT', '/api/v1/sites/g-s1/authorization', { autochargeEnabled: true }, op)).status, 200);
    for (const [method, path, body] of [
      ['PUT', '/api/v1/sites/g-s2/authorization', { autochargeEnabled: true }],
      ['PUT', '/api/v1/sites/g-s2/offline-authorization', { localAuthorizeOffline: true }],
      ['PUT', '/api/v1/sites/brand-new-site/authorization', { autochargeEnabled: true }],
    ] as const) {
      const answer = await server.api(method, path, body, op);
      assert.deepEqual([answer.status, answer.body.code], [404, 'not-found'], path);
    }
    await server.api('PATCH', '/api/v1/stations/G-S2', { labels: { by: 'admin' } });
    await server.api('PATCH', '/api/v1/stations/G-S1', { labels: { by: 'op' } }, op);
    const trail = (await server.api('GET', '/api/v1/audit', undefined, op)).body.items as Array<{ stationId: string | null }>;
    assert.ok(trail.length > 0 && trail.every((entry) => entry.stationId === 'G-S1'), JSON.stringify(trail.map((e) => e.stationId)));
    const out = await server.api('PATCH', '/api/v1/stations/G-S1', { siteId: null }, op);
    assert.deepEqual([out.status, out.body.code], [403, 'forbidden']);
  });

  test('removing a user ends its sessions at once; nobody removes someone with more rights', async () => {
    await server.api('POST', '/api/v1/users', { email: 'leaver@grid.example', password: PASSWORD, role: 'operator', tenantId: 'grid' });
    await server.api('POST', '/api/v1/users', { email: 'boss@grid.example', password: PASSWORD, role: 'owner', tenantId: 'grid' });
    await server.api('POST', '/api/v1/users', { email: 'hr@grid.example', password: PASSWORD, role: 'admin', tenantId: 'grid' });
    const leaver = await tokenOf('leaver@grid.example');
    const hr = await tokenOf('hr@grid.example');
    const users = (await server.api('GET', '/api/v1/users', undefined, hr)).body.items as Array<{ id: string; email: string }>;
    const idOf = (email: string) => users.find((u) => u.email === email)?.id as string;
    const boss = await server.api('DELETE', `/api/v1/users/${idOf('boss@grid.example')}`, undefined, hr);
    assert.deepEqual([boss.status, boss.body.code], [403, 'forbidden'], 'an admin does not remove an owner');
    assert.equal((await server.api('GET', '/api/v1/auth/me', undefined, leaver)).status, 200);
    assert.equal((await server.api('DELETE', `/api/v1/users/${idOf('leaver@grid.example')}`, undefined, hr)).status, 204);
    assert.equal((await server.api('GET', '/api/v1/auth/me', undefined, leaver)).status, 401, 'the session ended with the user');
    assert.equal((await server.api('POST', '/api/v1/auth/login', { email: 'leaver@grid.example', password: PASSWORD }, null)).status, 401);
  });

  test('a key that expires in the past is refused', async () => {
    const past = await server.api('POST', '/api/v1/api-keys', { name: 'late', scopes: ['stations:read'], expiresAt: '2020-01-01T00:00:00Z' });
    assert.deepEqual([past.status, past.body.code], [400, 'invalid-input']);
  });
  // Last: it locks this address out of signing in for the rest of the suite.
  test('guesses sent in parallel are throttled like guesses in a row', async () => {
    await server.api('POST', '/api/v1/users', { email: 'target@grid.example', password: PASSWORD, role: 'viewer', tenantId: 'grid' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => server.api('POST', '/api/v1/auth/login', { email: 'target@grid.example', password: `guess number ${i}` }, null)),
    );
    const statuses = answers.map((a) => a.status);
    // At most five are checked (fewer if this address already failed earlier in the suite); the rest wait.
    const checked = statuses.filter((s) => s === 401).length;
    assert.ok(checked >= 1 && checked <= 5, `only up to five guesses were checked: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 20 - checked);
  });
});

describe('refused credentials are rate-limited per address', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ access: { rateLimitPerMinute: 3 } } as never);
  });
  after(() => server.stop());

  test('wrong and missing bearers count against the address, then get rate-limited with Retry-After', async () => {
    const statuses: number[] = [];
    for (const token of ['cbk_guess1', 'cbs_guess2', null, 'cbk_guess3', null]) statuses.push((await server.api('GET', '/api/v1/stations', undefined, token)).status);
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    const refused = await server.api('GET', '/api/v1/stations', undefined, 'cbk_guess4');
    assert.equal(refused.body.code, 'rate-limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  });
});

describe('rate limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ access: { rateLimitPerMinute: 5 } } as never);
  });
  after(() => server.stop());

  test('past the limit a caller gets rate-limited with Retry-After; another caller is counted apart', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await server.api('GET', '/api/v1/tenants')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const refused = await server.api('GET', '/api/v1/tenants');
    assert.equal(refused.body.code, 'rate-limited');
    assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);

    const key = await server.app.storage.db.selectFrom('api_keys').select('id').execute();
    assert.equal(key.length, 0);
    // A key is its own caller; created here through the service since the admin token is spent.
    const { secret } = await server.app.access.createApiKey({ kind: 'admin', scope: { all: true }, permissions: new Set(['tenants:read']) }, { name: 'other', scopes: ['tenants:read'] });
    assert.equal((await server.api('GET', '/api/v1/tenants', undefined, secret)).status, 200);
  });
});
