/**
 * WebSocket subprotocol names (OCPP-J 1.6 §3.1.2, OCPP 2.0.1 Part 4 §3.1.2)
 * and the negotiation rule: the server's preference order wins among those
 * the station offers.
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';

export type OcppSubprotocol = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

export const SUBPROTOCOL_VERSION: Record<OcppSubprotocol, OcppVersion> = {
  'ocpp1.6': '1.6',
  'ocpp2.0.1': '2.0.1',
  'ocpp2.1': '2.1',
};

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
