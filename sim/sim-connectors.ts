/**
 * The station's connector table: which connectors exist and the status last recorded for each.
 * 1.6 numbers connectors 0..n (0 = the Charge Point as a whole, 1.6 §4.9); 2.x addresses
 * (evseId 1..n, connectorId 1..m) (2.0.1 Part 1 "3-tier model").
 */
import type { SimConnectorRef } from './sim-control.ts';
import { toVersionStatus } from './sim-messages.ts';
import { isV16, type SimOcppVersion, type SimStatusExtra } from './sim-types.ts';

export interface SimConnectorEntry {
  status: string;
  extra: SimStatusExtra;
}

export class SimConnectors {
  private readonly version: SimOcppVersion;
  private readonly entries = new Map<string, SimConnectorEntry>();
  private readonly list: SimConnectorRef[] = [];

  constructor(version: SimOcppVersion, evses: number, connectorsPerEvse: number) {
    this.version = version;
    if (isV16(version)) {
      for (let n = 0; n <= evses; n++) this.list.push({ evseId: n, connectorId: n });
    } else {
      for (let e = 1; e <= evses; e++) {
        for (let c = 1; c <= connectorsPerEvse; c++) this.list.push({ evseId: e, connectorId: c });
      }
    }
    for (const ref of this.list) this.entries.set(keyOf(ref), { status: 'Available', extra: {} });
  }

  /** Every connector in reporting order (1.6: connector 0 first). */
  refs(): SimConnectorRef[] {
    return this.list.map((r) => ({ ...r }));
  }

  /** Normalise and validate an address; 1.6 ignores connectorId. Throws RangeError when unknown. */
  ref(evseId: number, connectorId: number): SimConnectorRef {
    const ref = isV16(this.version) ? { evseId, connectorId: evseId } : { evseId, connectorId };
    if (!this.entries.has(keyOf(ref))) {
      throw new RangeError(`no connector evse=${evseId} connector=${connectorId}`);
    }
    return ref;
  }

  get(ref: SimConnectorRef): SimConnectorEntry {
    return this.entries.get(keyOf(ref)) ?? { status: 'Available', extra: {} };
  }

  /** Record a status (mapped to the station's version; TypeError when unknown). */
  set(ref: SimConnectorRef, status: string, extra: SimStatusExtra = {}): void {
    this.entries.set(keyOf(ref), { status: toVersionStatus(this.version, status), extra });
  }
}

function keyOf(ref: SimConnectorRef): string {
  return `${ref.evseId}/${ref.connectorId}`;
}
