/**
 * Which profile and which message of it an inbound DataTransfer is (issue 14). Matching order:
 * 1. profiles of the message's vendorId (compared without case, as OCPP's CiString is), whose
 *    station match, if any, fits the station's boot vendor and model;
 * 2. among those, the more specific first (vendor and model, then one of them, then none), ties by id;
 * 3. the first of them with an inbound message of the request's messageId (also without case; a
 *    request without messageId takes the message declared without one).
 * No profile left after 1: UnknownVendorId; none with the message: UnknownMessageId. Pure.
 */
import type { ProfileMessage, StationMatch, TextMatch, VendorProfile } from './vendor-profile.ts';

export interface StationIdentity {
  vendor: string | null;
  model: string | null;
}

export type InboundMatch =
  | { kind: 'unknown-vendor' }
  | { kind: 'unknown-message'; profile: VendorProfile }
  | { kind: 'matched'; profile: VendorProfile; message: ProfileMessage };

const same = (a: string | undefined, b: string | undefined): boolean => (a === undefined || b === undefined ? a === b : a.toLowerCase() === b.toLowerCase());

function fits(match: TextMatch | undefined, value: string | null): boolean {
  if (match === undefined) return true;
  if (value === null) return false;
  return typeof match === 'string' ? match === value : new RegExp(match.regex, 'u').test(value);
}

export function stationFits(match: StationMatch | null, station: StationIdentity): boolean {
  return match === null || (fits(match.vendor, station.vendor) && fits(match.model, station.model));
}

/** Whether deciding needs the station's vendor and model (only when some profile matches on them). */
export function needsIdentity(profiles: readonly VendorProfile[]): boolean {
  return profiles.some((profile) => profile.match !== null);
}

const specificity = (profile: VendorProfile): number => (profile.match?.vendor ? 1 : 0) + (profile.match?.model ? 1 : 0);

/** The vendor's profiles that apply to the station, most specific first. */
export function applicable(profiles: readonly VendorProfile[], vendorId: string, station: StationIdentity): VendorProfile[] {
  return profiles
    .filter((profile) => same(profile.vendorId, vendorId) && stationFits(profile.match, station))
    .sort((a, b) => specificity(b) - specificity(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function matchInbound(profiles: readonly VendorProfile[], station: StationIdentity, vendorId: string, messageId: string | undefined): InboundMatch {
  const candidates = applicable(profiles, vendorId, station);
  if (candidates.length === 0) return { kind: 'unknown-vendor' };
  for (const profile of candidates) {
    const message = profile.messages.find((entry) => entry.direction === 'inbound' && same(entry.messageId, messageId));
    if (message) return { kind: 'matched', profile, message };
  }
  return { kind: 'unknown-message', profile: candidates[0] as VendorProfile };
}

export type DecodedData = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * The data the schema sees. OCPP 1.6 carries data as a string: a profile that says `json` gets it
 * parsed (a string that is not JSON fails like a schema would). 2.x data is JSON already.
 */
export function decodeData(message: ProfileMessage, data: unknown, dataIsText: boolean): DecodedData {
  if (!dataIsText || message.encoding !== 'json' || typeof data !== 'string') return { ok: true, value: data };
  try {
    return { ok: true, value: JSON.parse(data) };
  } catch (error) {
    return { ok: false, problem: `data is not JSON: ${(error as Error).message}` };
  }
}
