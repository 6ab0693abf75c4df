/**
 * The open transactions of the stations this node serves, as last written by
 * this node. A message about a running session (most of them are meter
 * values) then needs no read before its write. Entries leave when the
 * transaction completes, and a station's entries are dropped whenever it
 * (re)connects, since while it was away another node may have written them.
 */
import type { Transaction } from './transaction.ts';

export class OpenTransactionCache {
  private readonly byStation = new Map<string, Map<string, Transaction>>();

  get(stationId: string, ocppTransactionId: string): Transaction | undefined {
    return this.byStation.get(stationId)?.get(ocppTransactionId);
  }

  /** The open transaction on an EVSE of the station with the latest event (as the repository picks it), if any is cached. */
  activeOn(stationId: string, evseId: number): Transaction | undefined {
    const open = this.byStation.get(stationId);
    if (!open) return undefined;
    let latest: Transaction | undefined;
    for (const tx of open.values()) if (tx.evseId === evseId && (!latest || tx.lastEventAt > latest.lastEventAt)) latest = tx;
    return latest;
  }

  /** Remembers the transaction as written, or forgets it once it is no longer open. */
  written(tx: Transaction): void {
    let open = this.byStation.get(tx.stationId);
    if (tx.state !== 'active') {
      open?.delete(tx.ocppTransactionId);
      if (open?.size === 0) this.byStation.delete(tx.stationId);
      return;
    }
    if (!open) this.byStation.set(tx.stationId, (open = new Map()));
    open.set(tx.ocppTransactionId, tx);
  }

  forgetStation(stationId: string): void {
    this.byStation.delete(stationId);
  }

  get size(): number {
    let n = 0;
    for (const open of this.byStation.values()) n += open.size;
    return n;
  }
}
