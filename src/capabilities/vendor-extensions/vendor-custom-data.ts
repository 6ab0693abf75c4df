/**
 * OCPP 2.x `customData` (any object of any message may carry `{ vendorId, ... }`): what the
 * tenant's profiles make of it. A profile maps an action and the place of a customData object in
 * its payload to metric and event rules, whose pointers are relative to the customData object.
 * Pure, so that any capability handling a 2.x message can ask it: per vendorId found, the most
 * specific applicable profile with a mapping for the action answers (the order of vendor-match.ts).
 */
import { applicable, type StationIdentity } from './vendor-match.ts';
import { normalise, type MetricSample, type VendorEventRecord } from './vendor-normalise.ts';
import { resolvePointer } from './vendor-pointer.ts';
import type { VendorProfile } from './vendor-profile.ts';

export interface CustomDataResult {
  profileId: string;
  vendorId: string;
  metrics: MetricSample[];
  events: VendorEventRecord[];
}

function customDataAt(payload: unknown, path: string): Record<string, unknown> | null {
  const holder = resolvePointer(payload, path);
  if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) return null;
  const custom = (holder as Record<string, unknown>).customData;
  if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) return null;
  return typeof (custom as Record<string, unknown>).vendorId === 'string' ? (custom as Record<string, unknown>) : null;
}

export function normaliseCustomData(profiles: readonly VendorProfile[], station: StationIdentity, action: string, payload: unknown, receivedAt: Date): CustomDataResult[] {
  const vendorIds = new Set<string>();
  for (const profile of profiles) {
    for (const mapping of profile.customData) {
      if (mapping.action !== action) continue;
      const custom = customDataAt(payload, mapping.path);
      if (custom) vendorIds.add(custom.vendorId as string);
    }
  }
  const results: CustomDataResult[] = [];
  for (const vendorId of vendorIds) {
    const profile = applicable(profiles, vendorId, station).find((candidate) => candidate.customData.some((mapping) => mapping.action === action));
    if (!profile) continue;
    const result: CustomDataResult = { profileId: profile.id, vendorId, metrics: [], events: [] };
    for (const mapping of profile.customData) {
      if (mapping.action !== action) continue;
      const custom = customDataAt(payload, mapping.path);
      if (!custom || (custom.vendorId as string).toLowerCase() !== vendorId.toLowerCase()) continue;
      const found = normalise(mapping.normalise, custom, receivedAt);
      result.metrics.push(...found.metrics);
      result.events.push(...found.events);
    }
    results.push(result);
  }
  return results;
}
