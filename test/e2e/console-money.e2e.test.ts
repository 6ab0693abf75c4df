/**
 * The console's money page in chromium (issue 15): a priced session and an unpriced one (a
 * station without a tariff that delivered energy) are stopped over a strict 1.6 client; the page,
 * opened on a period covering them, lists the unpriced one as delivered-not-billed and shows the
 * priced CDR's total. Skips, saying why, when chromium or the built console is missing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { consoleBrowserSkip, launchChromium } from '../support/console-browser.ts';

const SHOTS = '.tmp/screenshots';
const skip = consoleBrowserSkip('console money e2e');

// 0.30/kWh and 1.00 per session, 20 % VAT: 2 kWh cost 1.60, incl. 1.92.
const TARIFF = {
  id: 'MONEY-T1',
  currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }, { type: 'FLAT', price: 1, vat: 20, step_size: 1 }] }],
};

describe('console money page in chromium', { skip }, () => {
  let server: TestServer;
  let browser: import('playwright-core').Browser;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  /**
   * One completed session on a strict 1.6 client, started now: a tariff assignment is never
   * retroactive, so a session dated before the assignment was made would not be priced.
   */
  async function session(stationId: string, meterStop: number) {
    const c = await strictRpcClient(server.ocppUrl, stationId, 'ocpp1.6');
    await c.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const start: any = await c.call('StartTransaction', { connectorId: 1, idTag: 'MONEY-TAG', meterStart: 0, timestamp: new Date().toISOString() });
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop, timestamp: new Date().toISOString() });
    await c.close();
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer({ console: { enabled: true, messageLogSize: 50 }, stuck: { enabled: false } });
    await server.api('POST', '/api/v1/tokens', { idToken: 'MONEY-TAG' });
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'MONEY-PAID', siteId: 'MONEY-SITE' })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'MONEY-T1', siteId: 'MONEY-SITE' })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'MONEY-FREE' })).status, 201);
    await session('MONEY-PAID', 2000);
    await session('MONEY-FREE', 1500);
    await server.app.billing.idle();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the period shows the unbilled session as an item and the priced CDR with its total', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.httpUrl);
    await page.getByRole('button', { name: 'Use an API token instead' }).click();
    await page.getByLabel('API token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Network' }).waitFor();
    await page.getByRole('link', { name: 'Money', exact: true }).click();
    await page.getByRole('heading', { name: 'Money', exact: true }).waitFor();

    // Yesterday to today (UTC): covers sessions stopped just now, even just after midnight.
    const now = Date.now();
    await page.getByLabel('From day (UTC)').fill(day(now - 86_400_000));
    await page.getByLabel('To day (UTC, included)').fill(day(now));
    await page.getByRole('button', { name: 'Reconcile' }).click();
    const item = page.locator('[data-testid="reconciliation-item"][data-kind="delivered-not-billed"][data-station="MONEY-FREE"]');
    await item.waitFor();
    assert.match((await item.textContent()) ?? '', /unknown/, 'no price: the amount is unknown, not zero');
    assert.equal(await page.locator('[data-testid="reconciliation-item"][data-station="MONEY-PAID"]').count(), 0, 'the priced session reconciles');
    const stake = page.locator('[data-testid="at-stake-row"][data-kind="delivered-not-billed"]');
    assert.match((await stake.textContent()) ?? '', /Delivered, not billed\s*1/);

    const paid = page.locator('[data-testid="cdr-row"][data-station="MONEY-PAID"]');
    await paid.waitFor();
    assert.equal(await paid.getByTestId('cdr-total').textContent(), '1.92 EUR');
    assert.match((await paid.textContent()) ?? '', /2\.000/);
    const free = page.locator('[data-testid="cdr-row"][data-station="MONEY-FREE"]');
    assert.equal(await free.getByTestId('cdr-total').textContent(), 'not priced');
    await page.screenshot({ path: `${SHOTS}/08-money.png`, fullPage: true });

    // The CSV comes through fetch with the bearer token, handed over as a blob.
    const download = page.waitForEvent('download');
    await page.getByTestId('reconciliation-download').click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^reconciliation-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});
