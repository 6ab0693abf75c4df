/**
 * A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider (the certified
 * implementation) on an ephemeral loopback port, with its development login page (any login name,
 * any password) and consent granted up front for the registered clients, as a company's provider
 * does for its own applications. Accounts are e-mail addresses; `unverified:<address>` signs in as
 * an address the provider says is not verified.
 *
 * `signInAtProvider` is a browser without the browser: it follows the provider's redirects, keeps
 * its cookies, submits its login form and stops at the redirect that leaves the provider (the
 * client's callback), which the test then calls itself.
 */
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  /** Every authorization request the provider received, as its URL. */
  authorizationRequests: URL[];
  /** The client authentication each token request used (`basic`, `post` or `none`). */
  tokenRequests: Array<{ clientAuth: 'basic' | 'post' | 'none'; hasCodeVerifier: boolean }>;
  /** UserInfo requests: the provider keeps the e-mail out of the ID token of a code flow, as the specification says. */
  userinfoRequests: number;
  stop(): Promise<void>;
}

/** Listens on an ephemeral loopback port with these clients registered; the issuer is http://127.0.0.1:<port>. */
export async function startOidcProvider(clients: ClientMetadata[]): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [{ ...key, kid: 'test-key', alg: 'RS256', use: 'sig' }] as never },
    cookies: { keys: ['oidc-test-cookie-key-0123456789abcdef'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => ({
      accountId: id,
      claims: async () => {
        const unverified = id.startsWith('unverified:');
        return { sub: id, email: unverified ? id.slice('unverified:'.length) : id, email_verified: !unverified };
      },
    }),
    // First-party clients: the person is not asked to consent to the CSMS reading their e-mail address.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email');
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
  });
  const authorizationRequests: URL[] = [];
  const tokenRequests: TestProvider['tokenRequests'] = [];
  const counters = { userinfoRequests: 0 };
  provider.use(async (ctx, next) => {
    if (ctx.path === '/me') counters.userinfoRequests++;
    if (ctx.method === 'GET' && ctx.path === '/auth') authorizationRequests.push(new URL(ctx.href));
    if (ctx.method === 'POST' && ctx.path === '/token') {
      const authorization = ctx.get('authorization');
      // The provider parses the body itself: read what it parsed once it is done.
      await next();
      const params = (ctx.oidc as unknown as { params?: Record<string, unknown> } | undefined)?.params ?? {};
      tokenRequests.push({
        clientAuth: authorization.startsWith('Basic ') ? 'basic' : typeof params.client_secret === 'string' ? 'post' : 'none',
        hasCodeVerifier: typeof params.code_verifier === 'string',
      });
      return;
    }
    await next();
  });
  server.on('request', provider.callback());
  return {
    issuer,
    authorizationRequests,
    tokenRequests,
    get userinfoRequests() {
      return counters.userinfoRequests;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Signs `login` in at the provider, starting from the authorization URL, and answers the URL the
 * provider redirects the browser to in the end (the client's redirect_uri with code and state).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const origin = new URL(authorizationUrl).origin;
  const jar = new Map<string, string>();
  const go = async (url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> => {
    const headers: Record<string, string> = { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method ?? 'GET', redirect: 'manual', headers, body: init.form ? new URLSearchParams(init.form) : undefined });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  let url = new URL(authorizationUrl);
  let response = await go(url);
  let loggedIn = false;
  for (let hop = 0; hop < 10; hop++) {
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location') as string, url);
      if (url.origin !== origin) return url.href;
      response = await go(url);
      continue;
    }
    const html = await response.text();
    if (response.status !== 200 || loggedIn) throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"')) throw new Error(`no login form at ${url.pathname}: ${html.slice(0, 300)}`);
    loggedIn = true;
    response = await go(new URL(action.replace(/&amp;/g, '&'), url), { method: 'POST', form: { prompt: 'login', login, password: 'any password' } });
  }
  throw new Error('the provider redirected too often');
}
