/**
 * Subprotocol negotiation: the server's preference order wins among those the
 * station offers. The names come from the version registry.
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';
import { OCPP_VERSION_REGISTRY, type OcppSubprotocol } from './ocpp-versions.ts';

export type { OcppSubprotocol } from './ocpp-versions.ts';

export const SUBPROTOCOL_VERSION = Object.fromEntries(Object.values(OCPP_VERSION_REGISTRY).map((entry) => [entry.subprotocol, entry.version])) as Record<
  OcppSubprotocol,
  OcppVersion
>;

export function isSubprotocol(value: string): value is OcppSubprotocol {
  return Object.hasOwn(SUBPROTOCOL_VERSION, value);
}

/** Picks the first of `preferred` that the station offered, or null. */
export function negotiateSubprotocol(offeredHeader: string | undefined, preferred: readonly OcppSubprotocol[]): OcppSubprotocol | null {
  if (!offeredHeader) return null;
  // Compared exactly, as ws does when it echoes the choice: "OCPP1.6" is not "ocpp1.6".
  const offered = new Set(offeredHeader.split(',').map((p) => p.trim()));
  return preferred.find((p) => offered.has(p)) ?? null;
}
