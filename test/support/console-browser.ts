/**
 * What the console's browser tests share: Debian's chromium (never a downloaded browser), the
 * reason they skip where it or the built console is missing, and, on CI, a test that turns that
 * skip into a failure (.ci/run installs chromium and builds the console).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHARGEBRIDGE_CHROMIUM ?? '/usr/bin/chromium';

/** Why `suite` cannot run here, or false; the reason is printed, and on CI its absence is a test of its own. */
export function consoleBrowserSkip(suite: string): string | false {
  const skip = !existsSync(CHROMIUM)
    ? `chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) to run the console end-to-end tests`
    : !existsSync('web/dist/index.html')
      ? 'the console is not built (web/dist): run npm run build'
      : false;
  if (skip) console.log(`# ${suite} skipped: ${skip}`);
  test(`${suite} prerequisites on CI`, { skip: !process.env.CI }, () => {
    assert.equal(skip, false, String(skip));
  });
  return skip;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
