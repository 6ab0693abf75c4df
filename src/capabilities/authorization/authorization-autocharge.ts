/**
 * Autocharge: the vehicle's MAC address (from ISO 15118 / DIN 70121 SLAC)
 * used as an id token. It needs no card, which is why it is accepted only on
 * sites whose operator enabled it, and why every use is checked against the
 * previous one: a spoofed MAC shows up as one "vehicle" on two stations at
 * once, or on two sites further apart than it could have driven. Pure.
 */
import type { IdTokenType } from './authorization.ts';

/** 1.6 chargers report Autocharge ids as idTags prefixed "VID:" (a field convention, not in the 1.6 text). */
const AUTOCHARGE_PREFIX = /^VID:/i;

export function isAutochargeToken(idToken: string, type: IdTokenType | string | null | undefined): boolean {
  return type === 'MacAddress' || AUTOCHARGE_PREFIX.test(idToken);
}

export interface AutochargeUse {
  idToken: string;
  stationId: string;
  siteId: string | null;
  at: Date;
}

export type AutochargeSuspicion = 'seen-on-two-stations' | 'impossible-travel';

export interface AutochargePolicy {
  /** Another station within this many seconds: the same car cannot be on both. */
  concurrentWindowSec: number;
  /** Another site within this many seconds: too far to have driven. */
  travelWindowSec: number;
}

export function judgeAutochargeUse(previous: AutochargeUse | undefined, use: AutochargeUse, policy: AutochargePolicy): AutochargeSuspicion | null {
  if (!previous || previous.stationId === use.stationId) return null;
  const gapSec = Math.abs(use.at.getTime() - previous.at.getTime()) / 1000;
  if (gapSec <= policy.concurrentWindowSec) return 'seen-on-two-stations';
  if (previous.siteId !== use.siteId && gapSec <= policy.travelWindowSec) return 'impossible-travel';
  return null;
}
