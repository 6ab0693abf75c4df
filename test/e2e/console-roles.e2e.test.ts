/**
 * Signing in to the console with e-mail and password, in chromium (issue 13): a viewer sees the
 * station but no actions and no audit tab; an operator sends a command and finds it on the
 * station's audit tab; a wrong password is refused; sign-out ends the session on the server.
 * Skips, saying why, when chromium or the built console is missing (CI has both).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SimStation } from '../../sim/index.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { consoleBrowserSkip, launchChromium } from '../support/console-browser.ts';

const skip = consoleBrowserSkip('console roles e2e');

const PASSWORD = 'console roles 1234';

describe('console sign-in and roles in chromium', { skip }, () => {
  let server: TestServer;
  let browser: import('playwright-core').Browser;
  let station: SimStation;

  before(async () => {
    server = await startTestServer({ console: { enabled: true, messageLogSize: 50 } });
    for (const [email, role] of [['viewer@depot.example', 'viewer'], ['operator@depot.example', 'operator']]) {
      assert.equal((await server.api('POST', '/api/v1/users', { email, password: PASSWORD, role })).status, 201);
    }
    station = new SimStation({ url: server.ocppUrl, id: 'ROLE-1', version: '2.0.1', evses: 1, heartbeats: false, reconnect: false });
    await station.start();
    browser = await launchChromium();
  });
  after(async () => {
    await station?.stop();
    await browser?.close();
    await server?.stop();
  });

  async function signIn(email: string, password = PASSWORD) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    await page.goto(server.httpUrl);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  test('a wrong password is refused with a message', async () => {
    const page = await signIn('viewer@depot.example', 'not the password');
    await page.getByRole('alert').waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /e-mail or password/i);
    await page.close();
  });

  test('a viewer sees the station, but no actions and no audit', async () => {
    const page = await signIn('viewer@depot.example');
    await page.getByTestId('signed-in-who').getByText('viewer@depot.example').waitFor();
    await page.goto(`${server.httpUrl}/#/stations/ROLE-1`);
    await page.getByRole('heading', { name: 'ROLE-1' }).waitFor();
    assert.equal(await page.getByTestId('station-actions').count(), 0, 'no actions panel');
    assert.equal(await page.getByTestId('station-tab-audit').count(), 0, 'no audit tab');
    await page.close();
  });

  test("an operator sends a command and finds it on the station's audit tab; sign-out ends the session", async () => {
    const page = await signIn('operator@depot.example');
    await page.getByTestId('signed-in-who').getByText('operator@depot.example').waitFor();
    await page.goto(`${server.httpUrl}/#/stations/ROLE-1`);
    await page.getByTestId('station-actions').waitFor();
    await page.locator('select[name="action"]').selectOption('trigger');
    await page.getByTestId('station-action-send').click();
    await page.getByTestId('station-tab-audit').click();
    await page.locator('[data-testid="audit-row"][data-action="POST /api/v1/stations/{id}/commands"]').first().waitFor();

    const token = await page.evaluate(() => Object.values(sessionStorage).find((v) => v.startsWith('cbs_')) ?? null);
    assert.ok(token, 'the session token is kept in this tab');
    assert.equal((await server.api('GET', '/api/v1/auth/me', undefined, token)).status, 200);
    await page.getByTestId('sign-out').click();
    await page.getByLabel('E-mail').waitFor();
    assert.equal((await server.api('GET', '/api/v1/auth/me', undefined, token)).status, 401, 'the session is over on the server');
    await page.close();
  });
});
