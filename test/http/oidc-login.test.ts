/**
 * OpenID Connect sign-in for the console (issue 13, ADR 21) against a real provider
 * (oidc-provider, started here on a loopback port), driven with plain fetch: the CSMS's start
 * redirect, the provider's own login page, the provider's redirect to the CSMS's callback, and the
 * ticket redemption. Nothing of the protocol is mocked: the CSMS discovers the provider, the
 * provider insists on PKCE and checks the client's secret, openid-client checks the ID token.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/harness.ts';
import { FakeTime } from '../support/fake-time.ts';
import { signInAtProvider, startOidcProvider, type TestProvider } from '../support/oidc-provider.ts';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'acme-client-secret-that-must-never-leak-7f3a';
/** What the console's tab keeps between start and redeem (32 random bytes, base64url). */
const BINDING = 'tab-binding-0123456789abcdefghijklmnopqrstuv';

describe('single sign-on with OpenID Connect', () => {
  let server: TestServer;
  let idp: TestProvider;
  let callbackUrl: string;
  const logLines: string[] = [];
  const issued: string[] = [];
  const time = new FakeTime(new Date());

  before(async () => {
    server = await startTestServer({ logLevel: 'debug' } as never, { logLines, time });
    callbackUrl = `${server.httpUrl}/api/v1/auth/oidc/callback`;
    idp = await startOidcProvider([
      // A confidential client (HTTP Basic at the token endpoint, as most providers default to) ...
      { client_id: 'chargebridge-acme', client_secret: SECRET, redirect_uris: [callbackUrl], token_endpoint_auth_method: 'client_secret_basic' },
      // ... and a public one: PKCE alone.
      { client_id: 'chargebridge-globex', redirect_uris: [callbackUrl], token_endpoint_auth_method: 'none' },
    ]);
    for (const [id, name] of [['acme', 'ACME'], ['globex', 'Globex']]) assert.equal((await server.api('POST', '/api/v1/tenants', { id, name })).status, 201);
    for (const [email, role, tenantId] of [
      ['olga@acme.example', 'operator', 'acme'],
      ['ada@acme.example', 'admin', 'acme'],
      ['victor@acme.example', 'viewer', 'acme'],
      ['bob@globex.example', 'viewer', 'globex'],
    ]) {
      assert.equal((await server.api('POST', '/api/v1/users', { email, password: PASSWORD, role, tenantId })).status, 201);
    }
    const acme = await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: idp.issuer, clientId: 'chargebridge-acme', clientSecret: SECRET });
    assert.equal(acme.status, 200, JSON.stringify(acme.body));
    const globex = await server.api('PUT', '/api/v1/tenants/globex/oidc', { issuer: idp.issuer, clientId: 'chargebridge-globex' });
    assert.equal(globex.status, 200, JSON.stringify(globex.body));
  });
  after(async () => {
    await server?.stop();
    await idp?.stop();
  });

  const tokenOf = async (email: string): Promise<string> => {
    const answer = await server.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, null);
    assert.equal(answer.status, 200);
    return answer.body.token as string;
  };
  const get = (url: string) => fetch(url, { redirect: 'manual' });
  /** GET …/start: the provider's authorization URL the CSMS redirects to. */
  const start = async (tenantId: string, returnTo?: string): Promise<URL> => {
    const answer = await get(`${server.httpUrl}/api/v1/auth/oidc/${tenantId}/start?binding=${BINDING}${returnTo ? `&returnTo=${encodeURIComponent(returnTo)}` : ''}`);
    assert.equal(answer.status, 302, await answer.text());
    return new URL(answer.headers.get('location') as string);
  };
  /** Start, sign in at the provider as `login`, and return the callback URL the provider sent the browser to. */
  const throughProvider = async (tenantId: string, login: string, returnTo?: string): Promise<string> => {
    const callback = await signInAtProvider((await start(tenantId, returnTo)).href, login);
    assert.ok(callback.startsWith(`${callbackUrl}?`), callback);
    return callback;
  };
  /** The callback's answer: the console URL with the ticket, or the problem. */
  const callBack = async (callback: string) => {
    const answer = await get(callback);
    const location = answer.headers.get('location');
    return { status: answer.status, location, body: location ? null : ((await answer.json()) as { code: string; detail: string }), headers: answer.headers };
  };
  const ticketIn = (location: string): string => {
    const match = /^\/#\/sso\?(.*)$/.exec(location);
    assert.ok(match, location);
    const ticket = new URLSearchParams(match[1]).get('ticket') as string;
    issued.push(ticket);
    return ticket;
  };
  const redeem = (ticket: string, binding = BINDING) => server.api('POST', '/api/v1/auth/oidc/redeem', { ticket, binding }, null);
  /** The whole sign-in; the session token. */
  const signIn = async (tenantId: string, login: string): Promise<string> => {
    const back = await callBack(await throughProvider(tenantId, login));
    assert.equal(back.status, 302, JSON.stringify(back.body));
    const answer = await redeem(ticketIn(back.location as string));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    issued.push(answer.body.token);
    return answer.body.token as string;
  };

  test('the settings: the client secret goes in and never comes out; another tenant answers 404', async () => {
    const shown = await server.api('GET', '/api/v1/tenants/acme/oidc');
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body, {
      tenantId: 'acme',
      issuer: idp.issuer,
      clientId: 'chargebridge-acme',
      hasClientSecret: true,
      defaultRole: null,
      redirectUri: callbackUrl,
      updatedAt: time.clock().toISOString(),
    });
    assert.ok(!JSON.stringify(shown.body).includes(SECRET));

    // Behind a proxy that ends TLS, the redirect URI is the public https one.
    const proxied = await fetch(`${server.httpUrl}/api/v1/tenants/acme/oidc`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-forwarded-proto': 'https' } });
    assert.equal(((await proxied.json()) as { redirectUri: string }).redirectUri, callbackUrl.replace(/^http:/, 'https:'));

    const ada = await tokenOf('ada@acme.example');
    assert.equal((await server.api('GET', '/api/v1/tenants/acme/oidc', undefined, ada)).status, 200, "an admin reads the own tenant's settings");
    // Whoever sets the provider can sign in as any account it asserts (an owner too): an admin may not.
    const byAdmin = await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: idp.issuer, clientId: 'chargebridge-acme' }, ada);
    assert.deepEqual([byAdmin.status, byAdmin.body.code], [403, 'forbidden']);
    assert.equal((await server.api('DELETE', '/api/v1/tenants/acme/oidc', undefined, ada)).status, 403);
    // A PUT without the secret keeps it for the same issuer (the secret is never shown, so it cannot be sent back)...
    const kept = await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: idp.issuer, clientId: 'chargebridge-acme' });
    assert.deepEqual([kept.status, kept.body.hasClientSecret], [200, true]);
    // ...but not for another one, which would otherwise receive it.
    const secretSet = await server.api('PUT', '/api/v1/tenants/globex/oidc', { issuer: idp.issuer, clientId: 'chargebridge-globex', clientSecret: 'globex-secret' });
    assert.equal(secretSet.body.hasClientSecret, true);
    const moved = await server.api('PUT', '/api/v1/tenants/globex/oidc', { issuer: 'https://elsewhere.example', clientId: 'chargebridge-globex' });
    assert.deepEqual([moved.status, moved.body.hasClientSecret], [200, false]);
    await server.api('PUT', '/api/v1/tenants/globex/oidc', { issuer: idp.issuer, clientId: 'chargebridge-globex' });
    for (const [method, body] of [['GET', undefined], ['PUT', { issuer: idp.issuer, clientId: 'stolen' }], ['DELETE', undefined]] as const) {
      const answer = await server.api(method, '/api/v1/tenants/globex/oidc', body, ada);
      assert.deepEqual([answer.status, answer.body.code], [404, 'not-found'], `${method} of another tenant's settings`);
    }
    assert.equal((await server.api('GET', '/api/v1/tenants/globex/oidc')).body.clientId, 'chargebridge-globex', 'unchanged');
    const viewer = await tokenOf('victor@acme.example');
    assert.equal((await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: idp.issuer, clientId: 'x' }, viewer)).status, 403);

    const insecure = await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: 'http://idp.example', clientId: 'x' });
    assert.deepEqual([insecure.status, insecure.body.code], [400, 'invalid-input'], 'http only on the loopback interface');
    const owner = await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: idp.issuer, clientId: 'x', defaultRole: 'owner' });
    assert.deepEqual([owner.status, owner.body.code], [400, 'invalid-input'], 'nobody becomes an owner by signing in');
    assert.equal((await server.api('PUT', '/api/v1/tenants/nosuch/oidc', { issuer: idp.issuer, clientId: 'x' })).status, 404);
  });

  test('a user of the tenant signs in at the provider (code flow, PKCE S256, confidential client) and gets a working session', async () => {
    const authorize = await start('acme', '/stations/CP-1?tab=status');
    assert.equal(authorize.origin + authorize.pathname, `${idp.issuer}/auth`);
    const params = authorize.searchParams;
    assert.deepEqual(
      [params.get('client_id'), params.get('response_type'), params.get('redirect_uri'), params.get('code_challenge_method')],
      ['chargebridge-acme', 'code', callbackUrl, 'S256'],
    );
    assert.match(params.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/, 'a SHA-256 challenge, not the verifier');
    assert.ok(params.get('state') && params.get('nonce'), 'state and nonce');
    assert.deepEqual(params.get('scope')?.split(' ').sort(), ['email', 'openid']);

    const userinfoBefore = idp.userinfoRequests;
    const callback = await signInAtProvider(authorize.href, 'olga@acme.example');
    assert.equal(idp.authorizationRequests.at(-1)?.searchParams.get('code_challenge'), params.get('code_challenge'), 'the provider got the challenge');
    const back = await callBack(callback);
    assert.equal(back.status, 302, JSON.stringify(back.body));
    assert.equal(back.headers.get('cache-control'), 'no-store');
    assert.match(back.location as string, /^\/#\/sso\?ticket=cbt_[A-Za-z0-9_-]{43}&returnTo=%2Fstations%2FCP-1%3Ftab%3Dstatus$/);
    const ticket = ticketIn(back.location as string);
    // The provider saw the verifier at its token endpoint, and the client's secret in HTTP Basic.
    assert.deepEqual(idp.tokenRequests.at(-1), { clientAuth: 'basic', hasCodeVerifier: true });
    assert.equal(idp.userinfoRequests, userinfoBefore + 1, 'the e-mail came from UserInfo (this provider keeps it out of the ID token)');

    const session = await redeem(ticket);
    assert.equal(session.status, 200, JSON.stringify(session.body));
    assert.match(session.body.token, /^cbs_/);
    assert.equal(new Date(session.body.expiresAt).getTime(), time.clock().getTime() + 43_200_000, 'a session like a password sign-in: 12 h');
    issued.push(session.body.token);
    const me = await server.api('GET', '/api/v1/auth/me', undefined, session.body.token);
    assert.deepEqual([me.status, me.body.kind, me.body.email, me.body.role, me.body.tenantId], [200, 'user', 'olga@acme.example', 'operator', 'acme']);

    const replayedCallback = await callBack(callback);
    assert.deepEqual([replayedCallback.status, replayedCallback.body?.code], [400, 'invalid-input'], 'a state is good for one callback');
    const replayedTicket = await redeem(ticket);
    assert.deepEqual([replayedTicket.status, replayedTicket.body.code], [401, 'unauthorized'], 'a ticket is good once');
    assert.equal((await redeem('cbt_made-up')).status, 401);
    // Login CSRF: the callback of someone's sign-in, opened in another browser, signs nobody in there.
    const planted = ticketIn((await callBack(await throughProvider('acme', 'olga@acme.example'))).location as string);
    const elsewhere = await redeem(planted, 'another-browser-0123456789abcdefghijkl');
    assert.deepEqual([elsewhere.status, elsewhere.body.code], [401, 'unauthorized'], 'a ticket is redeemed only with the binding its sign-in started with');
    // Neither the ticket nor the session token is stored as it is.
    assert.equal((await server.app.storage.db.selectFrom('oidc_tickets').selectAll().execute()).length, 0, 'the ticket row is gone once used');
  });

  test('a public client signs in with PKCE alone', async () => {
    const token = await signIn('globex', 'bob@globex.example');
    assert.deepEqual(idp.tokenRequests.at(-1), { clientAuth: 'none', hasCodeVerifier: true });
    const me = await server.api('GET', '/api/v1/auth/me', undefined, token);
    assert.deepEqual([me.body.email, me.body.tenantId], ['bob@globex.example', 'globex']);
  });

  test("an address that has an account only in another tenant is refused, and so is one the provider calls unverified", async () => {
    const other = await callBack(await throughProvider('acme', 'bob@globex.example'));
    assert.deepEqual([other.status, other.body?.code], [401, 'unauthorized'], 'bob is a globex user: acme\'s provider cannot sign him in');
    assert.match(other.body?.detail ?? '', /no account in organisation acme/);
    const unverified = await callBack(await throughProvider('acme', 'unverified:olga@acme.example'));
    assert.deepEqual([unverified.status, unverified.body?.code], [401, 'unauthorized']);
    assert.match(unverified.body?.detail ?? '', /not verified/);
  });

  test('an unknown address is refused unless the tenant set a default role; then the user is created with it', async () => {
    const refused = await callBack(await throughProvider('acme', 'nina@acme.example'));
    assert.deepEqual([refused.status, refused.body?.code], [401, 'unauthorized']);
    assert.equal((await server.api('GET', '/api/v1/users')).body.items.some((u: { email: string }) => u.email === 'nina@acme.example'), false);

    const set = await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: idp.issuer, clientId: 'chargebridge-acme', defaultRole: 'viewer' });
    assert.deepEqual([set.status, set.body.defaultRole, set.body.hasClientSecret], [200, 'viewer', true]);
    const token = await signIn('acme', 'nina@acme.example');
    const me = await server.api('GET', '/api/v1/auth/me', undefined, token);
    assert.deepEqual([me.body.email, me.body.role, me.body.tenantId], ['nina@acme.example', 'viewer', 'acme']);
    const password = await server.api('POST', '/api/v1/auth/login', { email: 'nina@acme.example', password: '' }, null);
    assert.equal(password.status, 401, 'the new account has no password anyone knows');
    // The second time, the same account signs in (not a second one).
    await signIn('acme', 'nina@acme.example');
    assert.equal((await server.api('GET', '/api/v1/users')).body.items.filter((u: { email: string }) => u.email === 'nina@acme.example').length, 1);
    // Another tenant's address stays refused even so: one address is one account.
    assert.equal((await callBack(await throughProvider('acme', 'bob@globex.example'))).status, 401);
  });

  test('the provider refusing, a callback too late and a ticket redeemed too late are all refused', async () => {
    // The person cancels at the provider: it sends the browser back with an error instead of a code.
    const authorize = await start('acme');
    const denied = await callBack(`${callbackUrl}?${new URLSearchParams({ error: 'access_denied', state: authorize.searchParams.get('state') as string, iss: idp.issuer })}`);
    assert.deepEqual([denied.status, denied.body?.code], [401, 'unauthorized']);
    assert.match(denied.body?.detail ?? '', /access_denied/);

    const slow = await throughProvider('acme', 'olga@acme.example');
    await time.advance(10 * 60_000 + 1);
    const late = await callBack(slow);
    assert.deepEqual([late.status, late.body?.code], [400, 'invalid-input'], 'a pending sign-in lasts 10 minutes');

    const back = await callBack(await throughProvider('acme', 'olga@acme.example'));
    assert.equal(back.status, 302);
    const ticket = ticketIn(back.location as string);
    await time.advance(60_001);
    assert.equal((await redeem(ticket)).status, 401, 'a ticket lasts 60 seconds');
  });

  test('an unknown organisation, one without single sign-on, and one that turned it off answer 404', async () => {
    for (const tenantId of ['nosuch', 'default']) {
      const answer = await get(`${server.httpUrl}/api/v1/auth/oidc/${tenantId}/start?binding=${BINDING}`);
      assert.equal(answer.status, 404);
      assert.equal(((await answer.json()) as { code: string }).code, 'not-found');
    }
    const bob = await tokenOf('bob@globex.example');
    assert.equal((await server.api('DELETE', '/api/v1/tenants/globex/oidc', undefined, bob)).status, 403, 'a viewer may not');
    assert.equal((await server.api('DELETE', '/api/v1/tenants/globex/oidc')).status, 204);
    assert.equal((await server.api('GET', '/api/v1/tenants/globex/oidc')).status, 404);
    assert.equal((await get(`${server.httpUrl}/api/v1/auth/oidc/globex/start?binding=${BINDING}`)).status, 404);
  });

  test('the client secret, tickets and session tokens never reach the log', async () => {
    const log = logLines.join('\n');
    assert.ok(log.includes('single sign-on: signed in'), 'the log was captured');
    assert.ok(!log.includes(SECRET), 'the client secret is not logged');
    for (const secret of issued) assert.ok(!log.includes(secret), `${secret.slice(0, 8)}… is not logged`);
  });
});
