/**
 * Stripe's v1 request encoding: application/x-www-form-urlencoded bodies (and query strings for GET)
 * whose keys use brackets for nesting: `metadata[stationId]=X`,
 * `payment_method_options[card][request_incremental_authorization]=if_available`, `expand[0]=x` or
 * `expand[]=x` for arrays. Plus the typed readers the endpoints use on the result.
 */
import { invalidParam, unknownParam } from './fake-stripe-errors.ts';
import type { FakeStripeParams, FakeStripeParamValue } from './fake-stripe-types.ts';

/** Splits `a[b][c]` into ['a', 'b', 'c']; `a[]` gives ['a', '']. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key.slice(open))) !== null) parts.push(m[1] ?? '');
  return parts;
}

/**
 * Objects whose keys are all array indexes (or the empty `[]` key) become arrays, except metadata,
 * whose keys are the caller's own (`metadata[0]=x` is a key "0").
 */
function arrayify(value: FakeStripeParamValue, key = ''): FakeStripeParamValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const k of keys) value[k] = arrayify(value[k]!, k);
  if (key !== 'metadata' && keys.length > 0 && keys.every((k) => /^\d+$/.test(k) || k.startsWith('\u0000'))) {
    return keys.sort((a, b) => order(a) - order(b)).map((k) => value[k]!);
  }
  return value;
}

function order(k: string): number {
  return k.startsWith('\u0000') ? Number(k.slice(1)) : Number(k);
}

export function parseForm(text: string): FakeStripeParams {
  const root: FakeStripeParams = {};
  let pushed = 0;
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = keyPath(rawKey);
    let node: FakeStripeParams = root;
    path.forEach((part, i) => {
      // `[]` appends: give each its own hidden key so arrayify keeps them in arrival order.
      const key = part === '' ? `\u0000${pushed++}` : part;
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (next === undefined || typeof next === 'string' || Array.isArray(next)) {
        const child: FakeStripeParams = {};
        node[key] = child;
        node = child;
      } else {
        node = next;
      }
    });
  }
  return arrayify(root) as FakeStripeParams;
}

/** A stable text for "same parameters?" checks (idempotency): keys sorted at every level. */
export function canonicalParams(value: FakeStripeParamValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(',')}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalParams(value[k]!)}`).join(',')}}`;
}

/** Stripe rejects parameters it does not know; so does the fake, which catches typos early. */
export function allowOnly(params: FakeStripeParams, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw unknownParam(prefix ? `${prefix}[${key}]` : key);
  }
}

export function readString(params: FakeStripeParams, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidParam(name, `Invalid string: ${name} must be a string.`, 'parameter_invalid_string');
  return v;
}

export function readInt(params: FakeStripeParams, name: string): number | undefined {
  const v = readString(params, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw invalidParam(name, `Invalid integer: ${v}`, 'parameter_invalid_integer');
  }
  return Number(v);
}

export function readBool(params: FakeStripeParams, name: string): boolean | undefined {
  const v = readString(params, name);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw invalidParam(name, `Invalid boolean: ${v}`);
  return v === 'true';
}

export function readEnum<T extends string>(params: FakeStripeParams, name: string, values: readonly T[], label = name): T | undefined {
  const v = readString(params, name);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw invalidParam(label, `Invalid ${label}: must be one of ${values.join(', ')}`);
  }
  return v as T;
}

export function readObject(params: FakeStripeParams, name: string): FakeStripeParams | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  // An empty string is how Stripe's encoding says "unset"; treat it as an empty object.
  if (v === '') return {};
  if (typeof v === 'string' || Array.isArray(v)) throw invalidParam(name, `Invalid object: ${name} must be a hash.`, 'parameter_invalid_object');
  return v;
}

/**
 * Applies a `metadata` parameter the way Stripe does: keys merge into what is there, a key set to
 * the empty string is removed, and `metadata=` (empty) clears everything.
 */
export function mergeMetadata(current: Record<string, string>, params: FakeStripeParams): Record<string, string> {
  const raw = params['metadata'];
  if (raw === undefined) return current;
  if (raw === '') return {};
  if (typeof raw === 'string' || Array.isArray(raw)) throw invalidParam('metadata', 'Invalid object: metadata must be a hash.', 'parameter_invalid_object');
  const next = { ...current };
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw invalidParam(`metadata[${k}]`, 'Metadata values must be strings.');
    if (k.length > 40) throw invalidParam(`metadata[${k}]`, 'Metadata keys can be at most 40 characters long.');
    if (v.length > 500) throw invalidParam(`metadata[${k}]`, 'Metadata values can be at most 500 characters long.');
    if (v === '') delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > 50) throw invalidParam('metadata', 'Metadata can have at most 50 keys.');
  return next;
}
