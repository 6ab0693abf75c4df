/** How the local-list service speaks to one OCPP version, without seeing its wire types. */
import type { StationCall } from '../../ocpp/ocpp-ports.ts';
import type { LocalListPlan, LocalListSendOutcome } from './authorization-local-list.ts';

export interface LocalListTranslator {
  /** Asks for the station's list version. */
  getVersion(): StationCall<number>;
  /** Sends one part of a plan and reads the station's answer as an outcome. */
  send(plan: Exclude<LocalListPlan, { kind: 'none' }>): StationCall<LocalListSendOutcome>;
  /** Asks how many entries one SendLocalList may carry: the station's limit, or null when it did not say. */
  getMaxEntries(): StationCall<number | null>;
}
