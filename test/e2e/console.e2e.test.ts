/**
 * The operator console in a real browser: Debian's chromium driven by
 * playwright-core (never a downloaded browser), against a running CSMS with
 * simulated stations. Screenshots of the main pages go to .tmp/screenshots/
 * (git-ignored) for review. Skips, saying why, when chromium or the built
 * console is missing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { SimStation } from '../../sim/index.ts';
import { ADMIN_TOKEN, eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { consoleBrowserSkip, launchChromium } from '../support/console-browser.ts';

const SHOTS = '.tmp/screenshots';
const skip = consoleBrowserSkip('console e2e');

describe('operator console in chromium', { skip }, () => {
  let server: TestServer;
  let browser: import('playwright-core').Browser;
  let page: import('playwright-core').Page;
  const stations: SimStation[] = [];
  const requestedUrls: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer({ console: { enabled: true, messageLogSize: 200 } });
    await server.api('POST', '/api/v1/tokens', { idToken: 'E2E-TAG' });
    await server.api('POST', '/api/v1/tokens', { idToken: 'E2E-LOST-CARD' });
    for (let i = 1; i <= 30; i++) await server.api('POST', '/api/v1/stations', { id: `DEPOT-${String(i).padStart(3, '0')}` });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.setDefaultTimeout(10_000);
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    for (const s of stations) await s.stop();
    await browser?.close();
    await server?.stop();
  });

  test('sign in with the API token; a wrong token is refused', async () => {
    await page.goto(server.httpUrl);
    // E-mail and password come first; the API token is the secondary way in.
    await page.getByRole('button', { name: 'Use an API token instead' }).click();
    await page.getByLabel('API token').fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('refused').waitFor();
    await page.screenshot({ path: `${SHOTS}/01-sign-in.png` });
    await page.getByLabel('API token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Network' }).waitFor();
    await page.getByTestId('live-state').getByText('Live').waitFor();
    assert.equal(await page.getByTestId('station-total').textContent(), '30 stations');
  });

  test('a station that comes online shows up live, and its status changes live', async () => {
    const station = new SimStation({ url: server.ocppUrl, id: 'E2E-1', version: '2.0.1', evses: 2, heartbeats: false, reconnect: false });
    stations.push(station);
    station.sessions.autoMeter = { powerW: 7400, intervalSec: 1 };
    // Narrow the list first: the station is not in it yet and must appear by itself.
    await page.getByLabel('Search stations').fill('E2E');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => (await page.getByTestId('station-total').textContent()) === '0 stations', 'empty search');
    await station.start();
    const row = page.locator('[data-testid="station-row"][data-station="E2E-1"]');
    await row.waitFor();
    await eventually(async () => (await row.getAttribute('data-status')) === 'Available', 'E2E-1 available in the list');
    await station.setStatus(2, 1, 'Faulted');
    await eventually(async () => (await row.getAttribute('data-status')) === 'Faulted', 'E2E-1 faulted in the list', 5000);
    assert.match((await row.textContent()) ?? '', /Faulted/, 'status is written, not only coloured');
    await eventually(async () => (await page.getByTestId('count-faulted').textContent())?.startsWith('1'), 'faulted count');
    await station.setStatus(2, 1, 'Available');
    await page.screenshot({ path: `${SHOTS}/02-overview.png` });
    await page.getByLabel('Search stations').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => (await page.getByTestId('station-total').textContent()) === '31 stations', 'all stations');
    await page.getByLabel('Filter stations').selectOption('online');
    await eventually(async () => (await page.getByTestId('station-total').textContent()) === '1 station', 'online filter');
    await page.getByLabel('Filter stations').selectOption('all');
  });

  test('start a remote session from the station page, watch it run and end', async () => {
    await page.goto(`${server.httpUrl}/#/stations/E2E-1`);
    await page.getByRole('heading', { name: 'Identity' }).waitFor();
    await page.locator('select[name="action"]').selectOption('start');
    await page.locator('input[name="idToken"]').fill('E2E-TAG');
    await page.locator('input[name="evseId"]').fill('1');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid="command"][data-state="accepted"]').first().waitFor();
    const current = page.getByTestId('current-session');
    await current.waitFor();
    assert.match((await current.textContent()) ?? '', /E2E-TAG/);
    await eventually(async () => !/^0 Wh/.test((await page.getByTestId('session-energy').first().textContent()) ?? ''), 'energy grows live', 8000);
    await page.screenshot({ path: `${SHOTS}/03-station-charging.png`, fullPage: true });

    await page.goto(`${server.httpUrl}/#/sessions?state=active`);
    const running = page.locator('[data-testid="session-row"][data-station="E2E-1"][data-state="active"]');
    await running.waitFor();
    await page.screenshot({ path: `${SHOTS}/04-sessions.png` });

    await page.goto(`${server.httpUrl}/#/stations/E2E-1`);
    await page.getByTestId('current-session').waitFor();
    await page.locator('select[name="action"]').selectOption('stop');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid="command"][data-state="accepted"]').first().waitFor();
    await page.getByTestId('current-session').waitFor({ state: 'detached' });

    await page.goto(`${server.httpUrl}/#/sessions?stationId=E2E-1`);
    const done = page.locator('[data-testid="session-row"][data-station="E2E-1"][data-state="completed"]');
    await done.waitFor();
    await done.getByRole('link').first().click();
    await page.getByTestId('session-timeline').waitFor();
    assert.match((await page.getByTestId('session-token').textContent()) ?? '', /E2E-TAG/);
    await page.locator('.chart svg').waitFor();
    await page.screenshot({ path: `${SHOTS}/05-session-detail.png`, fullPage: true });
  });

  test('block a token', async () => {
    await page.goto(`${server.httpUrl}/#/tokens`);
    await page.getByLabel('Search tokens').fill('LOST');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator('[data-testid="token-row"][data-token="E2E-LOST-CARD"]');
    await row.waitFor();
    await page.getByRole('button', { name: 'Block E2E-LOST-CARD' }).click();
    await page.locator('[data-testid="token-row"][data-token="E2E-LOST-CARD"][data-status="Blocked"]').waitFor();
    assert.equal((await server.api('GET', '/api/v1/tokens/E2E-LOST-CARD')).body.status, 'Blocked');
    await page.screenshot({ path: `${SHOTS}/06-tokens.png` });
  });

  test("read a station's message log and filter it", async () => {
    await page.goto(`${server.httpUrl}/#/stations/E2E-1/messages`);
    const log = page.getByTestId('message-log');
    await log.locator('[data-testid="message"][data-action="BootNotification"]').first().waitFor();
    await log.locator('[data-testid="message"][data-action="RequestStartTransaction"][data-direction="out"]').first().waitFor();
    await page.getByLabel('Direction').selectOption('out');
    await eventually(async () => {
      const directions = await log.locator('[data-testid="message"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-direction')));
      return directions.length > 0 && directions.every((d) => d === 'out');
    }, 'only outbound messages');
    await log.locator('[data-testid="message"] summary').first().click();
    await log.locator('pre').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/07-message-log.png`, fullPage: true });
  });

  test('keyboard: the station list is one focusable grid, Enter opens the highlighted station', async () => {
    await page.goto(`${server.httpUrl}/#/?q=E2E`);
    await page.locator('[data-testid="station-row"][data-station="E2E-1"]').waitFor();
    await page.getByRole('grid', { name: 'Stations' }).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Identity' }).waitFor();
    assert.match(page.url(), /#\/stations\/E2E-1$/);
  });

  test('tablet width and the token never in a URL', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${server.httpUrl}/#/`);
    await page.locator('[data-testid="station-row"]').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/08-overview-tablet.png` });
    await page.goto(`${server.httpUrl}/#/stations/E2E-1/status`);
    await page.getByTestId('status-timeline').waitFor();
    await page.screenshot({ path: `${SHOTS}/09-station-tablet.png`, fullPage: true });
    assert.ok(requestedUrls.length > 10);
    assert.deepEqual(requestedUrls.filter((u) => u.includes(ADMIN_TOKEN)), []);
    assert.deepEqual(pageErrors, []);
  });
});
