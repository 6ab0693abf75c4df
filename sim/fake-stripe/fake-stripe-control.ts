/**
 * `/_fake/*`: the test-only control surface over HTTP, for tests and demos that run the fake as a
 * separate process (`npm run fake-stripe`). It needs no API key, so it must never face anything but
 * a test network: it can reset every object and make the fake misbehave on purpose.
 *
 *   POST /_fake/faults    JSON { latencyMs?, failNext?: { count, mode, path?, pathPattern? },
 *                               declineNextIncrement?, duplicateWebhooks?, webhookUrl?, webhookSecret? }
 *   GET  /_fake/faults    what is armed
 *   GET  /_fake/requests  the request log          GET /_fake/events  the events created
 *   POST /_fake/sweep     expire due authorizations POST /_fake/reset  back to the start state
 */
import { FAIL_MODES } from './fake-stripe-faults.ts';
import type { FakeStripeFaults } from './fake-stripe-faults.ts';
import type { FakeStripe, FakeStripeFailMode } from './fake-stripe-types.ts';

export interface FakeStripeControlAnswer {
  status: number;
  body: unknown;
}

type Control = Pick<FakeStripe, 'failNext' | 'declineNextIncrement' | 'setLatency' | 'setWebhook' | 'setDuplicateWebhooks'
  | 'requests' | 'events' | 'sweepExpired' | 'reset'>;

/** A bad control request (400), as opposed to a fault of the fake itself (500). */
class ControlInputError extends Error {}

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlInputError('body must be JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlInputError('body must be a JSON object');
  return value as Record<string, unknown>;
}

function applyFaults(ctl: Control, input: Record<string, unknown>): void {
  const known = ['latencyMs', 'failNext', 'declineNextIncrement', 'duplicateWebhooks', 'webhookUrl', 'webhookSecret'];
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) throw new ControlInputError(`unknown fields: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  if (input['latencyMs'] !== undefined) ctl.setLatency(Number(input['latencyMs']));
  const fail = input['failNext'];
  if (fail !== undefined) {
    if (typeof fail !== 'object' || fail === null) throw new ControlInputError('failNext must be an object');
    const f = fail as Record<string, unknown>;
    const mode = f['mode'];
    if (!FAIL_MODES.includes(mode as FakeStripeFailMode)) throw new ControlInputError(`failNext.mode must be one of ${FAIL_MODES.join(', ')}`);
    const path = typeof f['pathPattern'] === 'string' ? new RegExp(f['pathPattern']) : typeof f['path'] === 'string' ? f['path'] : undefined;
    ctl.failNext(Number(f['count'] ?? 1), { mode: mode as FakeStripeFailMode, ...(path !== undefined ? { path } : {}) });
  }
  const decline = input['declineNextIncrement'];
  if (decline !== undefined && decline !== false) ctl.declineNextIncrement(decline === true ? 1 : Number(decline));
  if (input['duplicateWebhooks'] !== undefined) ctl.setDuplicateWebhooks(input['duplicateWebhooks'] === true);
  if (input['webhookUrl'] !== undefined || input['webhookSecret'] !== undefined) {
    const url = input['webhookUrl'];
    if (url !== undefined && url !== null && typeof url !== 'string') throw new ControlInputError('webhookUrl must be a string or null');
    const secret = input['webhookSecret'];
    if (secret !== undefined && typeof secret !== 'string') throw new ControlInputError('webhookSecret must be a string');
    if (url === undefined) throw new ControlInputError('webhookSecret needs webhookUrl');
    ctl.setWebhook(url as string | null, secret);
  }
}

export function handleControl(ctl: Control, faults: FakeStripeFaults, method: string, path: string, body: string): FakeStripeControlAnswer {
  try {
    const route = `${method} ${path}`;
    switch (route) {
      case 'POST /_fake/faults':
        try {
          applyFaults(ctl, parseJson(body));
        } catch (err) {
          // Everything that goes wrong here is a bad input (the handle's setters validate too).
          throw new ControlInputError(err instanceof Error ? err.message : String(err));
        }
        return { status: 200, body: { latencyMs: faults.latencyMs, ...faults.pending() } };
      case 'GET /_fake/faults':
        return { status: 200, body: { latencyMs: faults.latencyMs, ...faults.pending() } };
      case 'GET /_fake/requests':
        return { status: 200, body: { data: ctl.requests() } };
      case 'GET /_fake/events':
        return { status: 200, body: { data: ctl.events() } };
      case 'POST /_fake/sweep':
        return { status: 200, body: { expired: ctl.sweepExpired() } };
      case 'POST /_fake/reset':
        ctl.reset();
        return { status: 200, body: { reset: true } };
      default:
        return { status: 404, body: { error: `no control endpoint ${route}; see docs/fake-stripe.md` } };
    }
  } catch (err) {
    return { status: err instanceof ControlInputError ? 400 : 500, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}
