/**
 * Operator console at network scale (issue 5): a real server (child process)
 * with 10,000 stations in its database, 1,000 of them online (simulated,
 * OCPP 2.0.1, in this process), and the built console in Debian's chromium
 * (playwright-core, headless).
 *
 * Measures:
 *  1. overview interactive: from navigation to the counts filled in, the
 *     station total shown and the first rows rendered with their status
 *     (cold first load, then `--loads` reloads; median and max);
 *  2. deep scroll: jump to the middle of the 10,000-row list and wait for
 *     those rows to be filled (server-side paging behind the virtual list);
 *  3. live latency: a station sends StatusNotification; time until its row
 *     in the console shows the new status (`--changes` samples; p50/p95/max).
 *     Measured from just before the frame leaves the simulator to the moment
 *     the browser's DOM holds it, both read on this machine's clock.
 *     A background churn (one random status change every 200 ms across the
 *     fleet) keeps the event stream busy.
 *  4. the REST calls behind the page: GET /overview and GET /stations pages
 *     (p50 over 30 calls).
 *
 *   npx tsx bench/console-overview.ts [--stations 10000] [--online 1000] [--loads 5] [--changes 30]
 *
 * Needs /usr/bin/chromium (apt-get install chromium) and the built console (npm run build).
 */
import { existsSync } from 'node:fs';
import { startFleet, type SimStation } from '../sim/index.ts';
import { argNumber, printMachine, printSummary, sleep } from './common.ts';
import { ADMIN_TOKEN, adminPost, ServerUnderTest } from './server.ts';

const TOTAL = argNumber('stations', 10_000);
const ONLINE = argNumber('online', 1_000);
const LOADS = argNumber('loads', 5);
const CHANGES = argNumber('changes', 30);
const CHROMIUM = process.env.CHARGEBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const GOAL_LIVE_MS = 1000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (n: number) => `${Math.round(n)} ms`;

async function registerOffline(server: ServerUnderTest, count: number): Promise<number> {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const id = `DEPOT-${String(next++).padStart(5, '0')}`;
      const status = await adminPost(server, '/stations', { id, siteId: `site-${next % 50}` });
      if (status !== 201) throw new Error(`registering ${id} answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return (Date.now() - started) / 1000;
}

async function timeRest(server: ServerUnderTest, path: string, runs = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const response = await fetch(`${server.http}/api/v1${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}`);
  if (!existsSync('web/dist/index.html')) throw new Error('console not built: npm run build');
  const machine = await printMachine(`console overview: ${TOTAL} stations, ${ONLINE} online`);
  const server = await ServerUnderTest.start({ config: { ocpp: { heartbeatIntervalSec: 3600, pingIntervalSec: 0 } } });
  let fleet: Awaited<ReturnType<typeof startFleet>> | undefined;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  let churn: NodeJS.Timeout | undefined;
  try {
    const registerSec = await registerOffline(server, TOTAL - ONLINE);
    console.log(`registered ${TOTAL - ONLINE} offline stations over REST in ${registerSec.toFixed(1)} s`);
    const fleetStarted = Date.now();
    fleet = await startFleet({ url: server.url, count: ONLINE, version: '2.0.1', prefix: 'LIVE', evses: 2, concurrency: 100, station: { heartbeats: false } });
    if (fleet.failures.length > 0) throw new Error(`${fleet.failures.length} simulated stations failed to start`);
    console.log(`${ONLINE} simulated stations online in ${((Date.now() - fleetStarted) / 1000).toFixed(1)} s`);
    const stations = fleet.stations;

    const restOverview = await timeRest(server, '/overview');
    const restFirstPage = await timeRest(server, '/stations?limit=100&offset=0');
    const restMiddlePage = await timeRest(server, `/stations?limit=100&offset=${Math.floor(TOTAL / 2)}`);
    const restOnlinePage = await timeRest(server, '/stations?limit=100&offset=0&connected=true');
    const restSearch = await timeRest(server, '/stations?limit=100&search=LIVE-005');
    console.log(`REST p50: overview ${ms(restOverview)}, stations page 1 ${ms(restFirstPage)}, middle page ${ms(restMiddlePage)}, online page ${ms(restOnlinePage)}, search ${ms(restSearch)}`);

    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    // Signed in already: the token is put in sessionStorage before the page's scripts run.
    await page.addInitScript((token) => sessionStorage.setItem('chargebridge.token', token), ADMIN_TOKEN);
    const interactive = async (url: string) => {
      // From a blank page, so every load is a full one (a hash-only change would not reload).
      await page.goto('about:blank');
      const t0 = Date.now();
      await page.goto(url);
      await page.waitForFunction(
        () => {
          const total = document.querySelector('[data-testid="station-total"]')?.textContent ?? '';
          const online = document.querySelector('[data-testid="count-online"] strong')?.textContent ?? '…';
          return /\d/.test(total) && online !== '…' && document.querySelectorAll('[data-testid="station-row"]').length >= 10;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      return Date.now() - t0;
    };
    const loads: number[] = [];
    for (let i = 0; i <= LOADS; i++) loads.push(await interactive(`${server.http}/#/`));
    const [cold, ...warm] = loads;
    console.log(`overview interactive: cold ${ms(cold as number)}, reloads median ${ms(percentile(warm, 50))}, max ${ms(Math.max(...warm))}`);

    // Deep scroll: the middle of the list, rows filled from the server.
    const scrollStart = Date.now();
    await page.evaluate((rows) => {
      const list = document.querySelector('.vlist') as HTMLElement;
      list.scrollTop = rows * 44;
    }, Math.floor(TOTAL / 2));
    await page.waitForFunction(
      (target) => [...document.querySelectorAll('[data-testid="station-row"]')].some((el) => Number(el.closest('[aria-rowindex]')?.getAttribute('aria-rowindex')) >= target),
      Math.floor(TOTAL / 2),
      { polling: 'raf', timeout: 30_000 },
    );
    const deepScroll = Date.now() - scrollStart;
    console.log(`jump to row ${Math.floor(TOTAL / 2)}: rows filled after ${ms(deepScroll)}`);

    // Live latency: the online stations listed first (filter "online"), status changes while others churn.
    await interactive(`${server.http}/#/?filter=online`);
    let churnIndex = 0;
    churn = setInterval(() => {
      const s = stations[(churnIndex = (churnIndex * 7 + 13) % stations.length)] as SimStation;
      if (stations.indexOf(s) < 20) return; // leave the measured ones alone
      void s.setStatus(1 + (churnIndex % 2), 1, churnIndex % 3 === 0 ? 'Occupied' : 'Available').catch(() => undefined);
    }, 200);
    const delays: number[] = [];
    const faulted = new Set<string>();
    for (let i = 0; i < CHANGES; i++) {
      const station = stations[i % 10] as SimStation;
      // Each change flips the station's state, so the row must really change to pass the wait.
      const expected = faulted.has(station.id) ? 'Available' : 'Faulted';
      const target = expected;
      if (expected === 'Faulted') faulted.add(station.id);
      else faulted.delete(station.id);
      const before = await page.getAttribute(`[data-testid="station-row"][data-station="${station.id}"]`, 'data-status');
      if (before === expected) throw new Error(`${station.id} already shows ${expected}: the measurement would be void`);
      const waiting = page.waitForFunction(
        ([id, status]) => document.querySelector(`[data-testid="station-row"][data-station="${id}"]`)?.getAttribute('data-status') === status,
        [station.id, expected] as const,
        { polling: 'raf', timeout: 10_000 },
      );
      const t0 = Date.now();
      await station.setStatus(1, 1, target);
      await waiting;
      delays.push(Date.now() - t0);
      await sleep(100);
    }
    clearInterval(churn);
    const p50 = percentile(delays, 50);
    const p95 = percentile(delays, 95);
    const max = Math.max(...delays);
    console.log(`status change -> console: p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(max)} over ${delays.length} changes (goal < ${GOAL_LIVE_MS} ms)`);

    printSummary({
      bench: 'console-overview',
      machine,
      stations: TOTAL,
      online: ONLINE,
      interactiveColdMs: cold,
      interactiveReloadMedianMs: percentile(warm, 50),
      interactiveReloadMaxMs: Math.max(...warm),
      deepScrollMs: deepScroll,
      liveP50Ms: p50,
      liveP95Ms: p95,
      liveMaxMs: max,
      liveGoalMet: max < GOAL_LIVE_MS,
      restP50Ms: { overview: restOverview, firstPage: restFirstPage, middlePage: restMiddlePage, onlinePage: restOnlinePage, search: restSearch },
    });
  } finally {
    if (churn) clearInterval(churn);
    await browser.close();
    await fleet?.stop();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
