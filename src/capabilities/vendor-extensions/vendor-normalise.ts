/**
 * What a matched payload becomes: metric samples and events, as the profile's rules say (issue 14).
 * A rule whose value is missing or unreadable yields nothing (the payload passed its schema; the
 * raw message is kept either way). Pure: the time of arrival comes in.
 */
import { resolvePointer } from './vendor-pointer.ts';
import type { EventCondition, EventRule, InboundRule, MetricRule, Severity } from './vendor-profile.ts';

export interface MetricSample {
  name: string;
  value: number;
  unit: string | null;
  at: Date;
}

export interface VendorEventRecord {
  type: string;
  severity: Severity;
  problem: boolean;
  detail: unknown;
  at: Date;
}

export interface Normalised {
  metrics: MetricSample[];
  events: VendorEventRecord[];
  /** Rules that yielded nothing, and why (for the log). */
  skipped: string[];
}

const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** Detail kept with an event, at most (the raw message holds everything). */
export const MAX_DETAIL_CHARS = 4096;

function timeAt(data: unknown, pointer: string | undefined, receivedAt: Date): Date {
  if (pointer === undefined) return receivedAt;
  const value = resolvePointer(data, pointer);
  if (typeof value !== 'string') return receivedAt;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? receivedAt : at;
}

function numberOf(rule: MetricRule, value: unknown): number | null {
  let n: number | null = null;
  if (typeof value === 'string' && rule.map && Object.hasOwn(rule.map, value)) n = rule.map[value] as number;
  else if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'string' && NUMERIC.test(value)) n = Number(value);
  if (n === null || !Number.isFinite(n)) return null;
  const scaled = rule.scale === undefined ? n : n * rule.scale;
  return Number.isFinite(scaled) ? scaled : null;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

export function conditionHolds(condition: EventCondition, data: unknown): boolean {
  const value = resolvePointer(data, condition.pointer);
  if (condition.exists !== undefined) return (value !== undefined) === condition.exists;
  if (condition.in !== undefined) return value !== undefined && condition.in.some((candidate) => sameJson(candidate, value));
  return value !== undefined && sameJson(condition.equals, value);
}

function detailOf(rule: EventRule, data: unknown): unknown {
  if (rule.detail === undefined) return null;
  const value = resolvePointer(data, rule.detail);
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text.length <= MAX_DETAIL_CHARS ? value : { truncated: true, preview: text.slice(0, MAX_DETAIL_CHARS) };
}

export function normalise(rules: readonly InboundRule[], data: unknown, receivedAt: Date): Normalised {
  const out: Normalised = { metrics: [], events: [], skipped: [] };
  for (const rule of rules) {
    if (rule.kind === 'metric') {
      const value = numberOf(rule, resolvePointer(data, rule.value));
      if (value === null) out.skipped.push(`metric ${rule.name}: no number at ${rule.value || '(root)'}`);
      else out.metrics.push({ name: rule.name, value, unit: rule.unit ?? null, at: timeAt(data, rule.at, receivedAt) });
      continue;
    }
    if (rule.when && !conditionHolds(rule.when, data)) continue;
    out.events.push({ type: rule.type, severity: rule.severity, problem: rule.problem ?? false, detail: detailOf(rule, data), at: timeAt(data, rule.at, receivedAt) });
  }
  return out;
}
