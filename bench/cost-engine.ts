/**
 * Cost engine throughput (issue 15): sessions priced per second when each session has about 100
 * periods. A time-of-day tariff with a start fee, energy, charging time and parking time in four
 * windows a day, power bands and a max price; each session runs 25 hours in Europe/Amsterdam with a
 * meter sample every 15 minutes whose power crosses the 22 kW band every time (so periods split
 * at every sample), ending parked.
 * Prices one warm-up round, then N sessions (default 2,000), one at a time, in this process.
 *
 *   npx tsx bench/cost-engine.ts [N]
 */
import { priceSession, type SessionUsage } from '../src/capabilities/tariffs/tariff-cost.ts';
import type { TariffModel } from '../src/capabilities/tariffs/tariff.ts';
import { printMachine, printSummary } from './common.ts';

const positional = process.argv.slice(2).find((a) => /^\d+$/.test(a));
const total = Number(positional ?? 2_000);

const window = (start: string, end: string, energy: string, time: string) => ({
  priceComponents: [
    { type: 'ENERGY' as const, price: energy, vat: '21', stepSize: 1 },
    { type: 'TIME' as const, price: time, vat: '21', stepSize: 60 },
  ],
  restrictions: { startTime: start, endTime: end },
});
const tariff: TariffModel = {
  currency: 'EUR',
  elements: [
    { priceComponents: [{ type: 'FLAT', price: '0.50', vat: '21', stepSize: 1 }] },
    { priceComponents: [{ type: 'PARKING_TIME', price: '6.00', vat: '21', stepSize: 300 }] },
    { priceComponents: [{ type: 'ENERGY', price: '0.65', vat: '21', stepSize: 1 }], restrictions: { minPower: 22 } },
    window('00:00', '06:00', '0.25', '0.50'),
    window('06:00', '12:00', '0.35', '1.00'),
    window('12:00', '18:00', '0.40', '1.20'),
    window('18:00', '00:00', '0.30', '0.80'),
  ],
  maxPrice: { exclVat: '250.00' },
};

function session(seed: number): SessionUsage {
  const start = Date.UTC(2026, 2, 28, 20, 0, 0) + seed * 60_000;
  const samples = [];
  let energy = 0;
  for (let i = 0; i <= 100; i++) {
    // Alternating around the 22 kW band: every sample moves the session into the other energy price.
    const powerW = i < 90 ? (i % 2 === 0 ? 11_000 : 30_000) + ((i * 7919 + seed) % 1_000) : 0;
    samples.push({ at: start + i * 15 * 60_000, energyWh: String(energy), powerW, charging: powerW > 0 });
    energy += (powerW * 0.25);
  }
  return { timeZone: 'Europe/Amsterdam', start, end: start + 25 * 3600_000, samples };
}

const machine = await printMachine('cost engine: sessions of about 100 periods');
const sessions = Array.from({ length: total }, (_, i) => session(i));
const warm = priceSession(tariff, sessions[0]!);
const heapBefore = process.memoryUsage().heapUsed;
const startedAt = performance.now();
let periods = 0;
let last = warm;
for (const usage of sessions) {
  last = priceSession(tariff, usage);
  periods += last.periods.length;
}
const seconds = (performance.now() - startedAt) / 1000;
console.log(`${total} sessions, ${(periods / total).toFixed(1)} periods each on average, in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} sessions/s (${Math.round(periods / seconds)} periods/s)`);
console.log(`example total: ${last.totalExclTax} / ${last.totalInclTax} ${last.currency} (max price applied: ${last.maxPriceApplied}); heap delta ${((process.memoryUsage().heapUsed - heapBefore) / 1048576).toFixed(1)} MiB`);
printSummary({ benchmark: 'cost-engine', machine, sessions: total, periodsPerSession: periods / total, seconds, sessionsPerSec: total / seconds });
