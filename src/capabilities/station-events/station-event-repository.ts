/** Storage port of the station-events capability, named by intent. */
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { StationEvent, StationEventKind, StationEventReport, StationMeterSample, StationProblem } from './station-event.ts';

export interface EventFilter {
  kind?: StationEventKind;
  problem?: boolean;
  limit: number;
  offset: number;
}

export interface MeterFilter {
  measurand?: string;
  evseId?: number;
  from?: Date;
  to?: Date;
  limit: number;
}

export interface StationEventsRepository {
  /** Appends the events of one message; returns them with their ids, in the given order. */
  append(stationId: string, tenantId: string, receivedAt: Date, reports: readonly StationEventReport[]): Promise<StationEvent[]>;
  list(stationId: string, filter: EventFilter): Promise<{ items: StationEvent[]; total: number }>;
  /** Raises a problem; a problem already raised keeps its first `since` and event. */
  raiseProblem(problem: StationProblem): Promise<boolean>;
  /** Clears a problem: the problem it was, or null when none was raised. */
  clearProblem(stationId: string, key: string): Promise<StationProblem | null>;
  problems(stationId: string): Promise<StationProblem[]>;
  /** Every station's active problems in the scope, oldest first. */
  problemsInScope(scope: TenantScope, filter: { limit: number; offset: number }): Promise<{ items: StationProblem[]; total: number }>;
  appendMeterValues(stationId: string, tenantId: string, samples: readonly StationMeterSample[]): Promise<void>;
  meterValues(stationId: string, filter: MeterFilter): Promise<StationMeterSample[]>;
}
