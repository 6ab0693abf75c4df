/**
 * Fault modes that make a charging session stuck, to reproduce what CSMSs meet in the field
 * (`station.faults`, CLI `--fault-*`). Each is a switch read at the moment it matters:
 *
 *   dropStop        the stop (1.6 StopTransaction / 2.x TransactionEvent Ended) is lost: never sent; the
 *                   session still ends on the station and its connector goes Finishing / Available.
 *   rejectStop      RemoteStopTransaction / RequestStopTransaction are answered Rejected; the session runs on.
 *   unlockFails     UnlockConnector is answered UnlockFailed (cable lock failure); nothing changes.
 *   meterBackwards  periodic meter values go backwards (the register decreases by the tick's energy).
 *   resetEndsSessions (default true) a Reset stops running sessions first (1.6 §5.14 SoftReset / HardReset,
 *                   2.x ImmediateReset), as stations do; with dropStop those stops are lost as well.
 *
 * Plus two actions on `station.sessions`: `loseSessions()` (the station reboots mid-session and forgets
 * its transactions: no stop is ever sent) and the existing `goOffline()` / `goOnline()` for long outages.
 */
export class SimFaults {
  dropStop = false;
  rejectStop = false;
  unlockFails = false;
  meterBackwards = false;
  resetEndsSessions = true;

  /** Sets several switches at once; returns this. */
  set(switches: Partial<Pick<SimFaults, 'dropStop' | 'rejectStop' | 'unlockFails' | 'meterBackwards' | 'resetEndsSessions'>>): this {
    Object.assign(this, switches);
    return this;
  }

  /** Every switch back to a healthy station. */
  clear(): this {
    return this.set({ dropStop: false, rejectStop: false, unlockFails: false, meterBackwards: false, resetEndsSessions: true });
  }
}

/** The names the CLI accepts for `--fault-*` / `--faults a,b`. */
export const SIM_FAULT_NAMES = ['drop-stop', 'reject-stop', 'unlock-fails', 'meter-backwards', 'reboot-mid-session', 'available-without-stop', 'offline'] as const;
export type SimFaultName = (typeof SIM_FAULT_NAMES)[number];
