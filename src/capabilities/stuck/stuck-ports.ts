/** What the stuck service needs from the rest of the system (app.ts wires the real services in). */
import type { Logger } from 'pino';
import type { Clock, Timers } from '../../kernel/time.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import type { Command, CommandInput } from '../commands/index.ts';
import type { CloseEstimate, Transaction } from '../transactions/index.ts';
import type { DetectionSettings } from './stuck.ts';
import type { LadderPolicy, LadderStep } from './stuck-ladder.ts';
import type { StuckRepository } from './stuck-repository.ts';
import type { StationSnapshotSource } from './stuck-station-facts-service.ts';

export type StuckSiteSettings = DetectionSettings & Omit<LadderPolicy, 'automatic'> & { automaticSteps: LadderStep[] };

export interface StuckSettings {
  sweepIntervalMs: number;
  defaults: StuckSiteSettings;
  sites: Record<string, Partial<StuckSiteSettings>>;
}

export interface StuckServiceDeps {
  repo: StuckRepository;
  transactions: {
    unsettled(limit: number): Promise<Array<{ transaction: Transaction; nextStartAt: Date | null }>>;
    get(id: string): Promise<{ transaction: Transaction }>;
    forceClose(id: string, input: { reason: string; endedAt: Date | null; key: string; detail?: Record<string, unknown> }): Promise<{ transaction: Transaction; estimate: CloseEstimate } | null>;
  };
  commands: {
    submit(stationId: string, input: CommandInput, options: { expiresInSec?: number }): Promise<Command>;
    get(id: string): Promise<Command>;
    waitForOutcome(id: string, waitSec: number): Promise<Command>;
    /** Whether a station of this version can be sent the command (the ladder picks its question by it). */
    expressible(version: string, input: CommandInput): boolean;
  };
  stations: StationSnapshotSource;
  /**
   * Cluster mode: the sweep runs only on the node holding this lease (ADR 0013), so two
   * nodes never drive the same case. Absent on a single node.
   */
  lease?: { acquire(ttlMs: number): Promise<boolean> };
  events: EventBus;
  clock: Clock;
  /** The sweep's interval and pokes (tests pass fake timers with a fake clock). */
  timers: Timers;
  log: Logger;
}
