/**
 * Turns a transaction's meter values into two chart series — power (W) and
 * energy delivered in this session (Wh, from the first register reading) —
 * and maps them to SVG coordinates. Pure, so the chart is tested without a DOM.
 */
import type { MeterSample } from './types.ts';

export interface Point {
  t: number;
  v: number;
}

export interface ChartSeries {
  power: Point[];
  energy: Point[];
}

const ENERGY = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';

/** One value per timestamp: the total (no phase) reading, else the sum of the phases. */
function perTimestamp(samples: MeterSample[], measurand: string): Point[] {
  const totals = new Map<number, { total: number | null; phases: number }>();
  for (const s of samples) {
    if (s.measurand !== measurand || (s.location !== null && s.location !== 'Outlet')) continue;
    const t = Date.parse(s.at);
    const entry = totals.get(t) ?? { total: null, phases: 0 };
    if (s.phase === null || s.phase === 'N') entry.total = s.phase === null ? s.value : entry.total;
    else if (/^L[123]$/.test(s.phase)) entry.phases += s.value;
    totals.set(t, entry);
  }
  return [...totals.entries()].map(([t, e]) => ({ t, v: e.total ?? e.phases })).sort((a, b) => a.t - b.t);
}

export function buildSeries(samples: MeterSample[], meterStartWh: number | null = null): ChartSeries {
  const registers = perTimestamp(samples, ENERGY);
  const base = meterStartWh ?? registers[0]?.v ?? 0;
  const energy = registers.map((p) => ({ t: p.t, v: Math.max(0, p.v - base) }));
  let power = perTimestamp(samples, POWER);
  if (power.length === 0 && energy.length > 1) {
    // No power measurand: derive average power between register readings.
    power = energy.slice(1).map((p, i) => {
      const prev = energy[i] as Point;
      const hours = (p.t - prev.t) / 3_600_000;
      return { t: p.t, v: hours > 0 ? (p.v - prev.v) / hours : 0 };
    });
  }
  return { power, energy };
}

export interface Frame {
  width: number;
  height: number;
  padding: number;
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** The SVG path of a series over [t0, t1] x [0, max]. */
export function pathOf(points: Point[], t0: number, t1: number, max: number, frame: Frame): string {
  if (points.length === 0) return '';
  const w = frame.width - 2 * frame.padding;
  const h = frame.height - 2 * frame.padding;
  const span = t1 - t0 || 1;
  return points
    .map((p, i) => {
      const x = frame.padding + ((p.t - t0) / span) * w;
      const y = frame.padding + h - (Math.min(p.v, max) / max) * h;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
