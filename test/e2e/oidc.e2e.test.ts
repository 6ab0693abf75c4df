/**
 * Single sign-on in a real browser: Debian's chromium driven by playwright-core (never a downloaded
 * browser) signs in to the console through a real OpenID Connect provider (oidc-provider, started
 * here): choose single sign-on, name the organisation, log in on the provider's own page, and land
 * back in the console signed in, with the ticket gone from the address bar. Skips, saying why, when
 * chromium or the built console is missing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { consoleBrowserSkip, launchChromium } from '../support/console-browser.ts';
import { startOidcProvider, type TestProvider } from '../support/oidc-provider.ts';

const SHOTS = '.tmp/screenshots';
const skip = consoleBrowserSkip('single sign-on e2e');

describe('single sign-on in chromium', { skip }, () => {
  let server: TestServer;
  let idp: TestProvider;
  let browser: import('playwright-core').Browser;
  let page: import('playwright-core').Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer({ console: { enabled: true } });
    idp = await startOidcProvider([
      { client_id: 'chargebridge-acme', client_secret: 'acme-e2e-secret-0123456789', redirect_uris: [`${server.httpUrl}/api/v1/auth/oidc/callback`] },
    ]);
    assert.equal((await server.api('POST', '/api/v1/tenants', { id: 'acme', name: 'ACME' })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/users', { email: 'olga@acme.example', password: 'not used by this test 42', role: 'operator', tenantId: 'acme' })).status, 201);
    await server.api('POST', '/api/v1/stations', { id: 'ACME-1', tenantId: 'acme' });
    const set = await server.api('PUT', '/api/v1/tenants/acme/oidc', { issuer: idp.issuer, clientId: 'chargebridge-acme', clientSecret: 'acme-e2e-secret-0123456789' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await idp?.stop();
  });

  test("sign in through the organisation's provider and land back in the console, signed in", async () => {
    // A link to a station page, opened before signing in: the console comes back to it afterwards.
    await page.goto(`${server.httpUrl}/#/stations/ACME-1`);
    await page.getByRole('button', { name: 'Use single sign-on instead' }).click();
    await page.getByRole('heading', { name: 'Sign in with single sign-on' }).waitFor();
    await page.getByLabel('Organisation').fill('ACME ');
    await page.screenshot({ path: `${SHOTS}/sso-01-console.png` });
    await page.getByRole('button', { name: 'Continue' }).click();

    // The provider's own sign-in page (oidc-provider's development login: any login, any password).
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill('olga@acme.example');
    await page.locator('input[name="password"]').fill('whatever the provider asks');
    await page.screenshot({ path: `${SHOTS}/sso-02-provider.png` });
    await page.locator('button[type="submit"]').click();

    // Back in the console, signed in as olga, on the page the link named.
    await page.waitForURL((url) => url.origin === server.httpUrl);
    await page.getByTestId('signed-in-who').getByText('olga@acme.example').waitFor();
    await page.getByRole('heading', { name: 'Identity' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/sso-03-signed-in.png` });
    assert.equal(new URL(page.url()).hash, '#/stations/ACME-1');
    assert.ok(!page.url().includes('ticket'), `the ticket left the address bar: ${page.url()}`);
    const token = await page.evaluate(() => sessionStorage.getItem('chargebridge.token'));
    assert.match(token ?? '', /^cbs_/, 'a user session, kept like a password sign-in');
    const me = await server.api('GET', '/api/v1/auth/me', undefined, token);
    assert.deepEqual([me.body.email, me.body.tenantId], ['olga@acme.example', 'acme']);
    // The organisation is remembered for the next time; the token is not in localStorage.
    assert.deepEqual(await page.evaluate(() => ({ ...localStorage })), { 'chargebridge.sso-organisation': 'acme' });
    // Signing out ends the session and shows the sign-in page again (the spent ticket is not tried again).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await page.getByLabel('E-mail').isVisible(), true, 'still on the sign-in page');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('chargebridge.token')), null);
    assert.equal((await server.api('GET', '/api/v1/auth/me', undefined, token)).status, 401, 'the session ended on the server');
    assert.deepEqual(pageErrors, []);
  });

  test('a spent ticket sends the person back to sign in, saying why', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await page.goto('about:blank');
    // A ticket that was never issued (or was used already, or expired): the console says so and offers sign-in again.
    await page.goto(`${server.httpUrl}/#/sso?ticket=cbt_spent&returnTo=%2F`);
    await page.getByRole('alert').getByText('did not complete in time').waitFor();
    assert.ok(!page.url().includes('ticket'), page.url());
    await page.getByLabel('Organisation').waitFor();
    await page.screenshot({ path: `${SHOTS}/sso-04-spent-ticket.png` });
  });
});
