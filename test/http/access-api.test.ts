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
