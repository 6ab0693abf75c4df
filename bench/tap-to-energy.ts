/**
 * Tap-to-energy (issue 15): how long a driver paying by card waits before charging starts, with a
 * payment gateway that takes G ms to answer (default 2,000: a slow bank). For each session: the
 * time from the pay request (POST /api/v1/pay/sessions) to the CSMS accepting the station's
 * StartTransaction (energy flows from there). Run twice in one process, on two fresh servers:
 * with the fast path (the start is queued before the gateway is asked) and without it (the start
 * waits for the hold). Goal of the issue: under 1 s on the fast path.
 *
 * The gateway is the project's Stripe-compatible fake, in this process, with its latency set; the
 * station is an ocpp-rpc 1.6 client that starts a session on every RemoteStartTransaction.
 *
 *   npx tsx bench/tap-to-energy.ts [N] [--gateway-ms 2000]
 */
import { RPCClient } from 'ocpp-rpc';
import { startFakeStripe } from '../sim/fake-stripe/index.ts';
import { argNumber, printMachine, printSummary } from './common.ts';
import { adminPost, ServerUnderTest } from './server.ts';

const positional = process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && !all[i - 1]?.startsWith('--'));
const sessions = Number(positional ?? 10);
const gatewayMs = argNumber('gateway-ms', 2000);

const machine = await printMachine('tap-to-energy');
console.log(`N=${sessions} paid sessions per mode, one at a time; gateway answers in ${gatewayMs} ms`);
const fake = await startFakeStripe({ latencyMs: gatewayMs });

async function run(fastPath: boolean): Promise<number[]> {
  const server = await ServerUnderTest.start({
    config: { payments: { gateway: 'stripe', fastPath: { enabled: fastPath }, stripe: { secretKey: fake.secretKey, apiUrl: fake.url, timeoutSec: 30 } }, stuck: { enabled: false } },
  });
  const station = new RPCClient({ endpoint: server.url, identity: 'TAP-1', protocols: ['ocpp1.6'], reconnect: false } as any);
  try {
    if ((await adminPost(server, '/stations', { id: 'TAP-1', siteId: 'TAP' })) !== 201) throw new Error('station not created');
    if ((await adminPost(server, '/tariffs', { id: 'TAP-T', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1 }] }] })) !== 201) throw new Error('tariff not created');
    if ((await adminPost(server, '/tariff-assignments', { tariffId: 'TAP-T', siteId: 'TAP' })) !== 201) throw new Error('assignment not created');
    let charging: ((at: number) => void) | null = null;
    let meter = 0;
    station.handle('RemoteStartTransaction', (({ params }: any) => {
      setImmediate(async () => {
        const answer: any = await station.call('StartTransaction', { connectorId: 1, idTag: params.idTag, meterStart: meter, timestamp: new Date().toISOString() });
        if (answer.idTagInfo.status !== 'Accepted') throw new Error(`start refused: ${answer.idTagInfo.status}`);
        const at = performance.now();
        meter += 1000;
        await station.call('StopTransaction', { transactionId: answer.transactionId, meterStop: meter, timestamp: new Date().toISOString() });
        charging?.(at);
      });
      return { status: 'Accepted' };
    }) as any);
    await station.connect();
    await station.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Tap' });
    const waits: number[] = [];
    for (let i = 0; i < sessions; i++) {
      const started = new Promise<number>((resolve) => (charging = resolve));
      const t0 = performance.now();
      const response = await fetch(`${server.http}/api/v1/pay/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stationId: 'TAP-1', evseId: 1, paymentMethod: 'pm_card_visa' }) });
      if (response.status !== 201) throw new Error(`pay answered ${response.status}: ${await response.text()}`);
      waits.push((await started) - t0);
    }
    return waits;
  } finally {
    await station.close({ force: true }).catch(() => undefined);
    await server.stop();
  }
}

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const fast = await run(true);
const slow = await run(false);
await fake.close();
for (const [name, waits] of [['fast path', fast], ['waits for the hold', slow]] as const) {
  console.log(`${name.padEnd(20)} tap-to-energy p50 ${pct(waits, 50).toFixed(0)} ms, max ${Math.max(...waits).toFixed(0)} ms`);
}
console.log(`ratio p50 (waits / fast): ${(pct(slow, 50) / pct(fast, 50)).toFixed(1)}x`);
printSummary({ bench: 'tap-to-energy', machine, sessions, gatewayMs, fastP50Ms: Math.round(pct(fast, 50)), fastMaxMs: Math.round(Math.max(...fast)), holdFirstP50Ms: Math.round(pct(slow, 50)), holdFirstMaxMs: Math.round(Math.max(...slow)) });
