/** The commands storage port, named by intent. */
import type { Command, CommandState } from './command.ts';

export interface CommandListFilter {
  state?: CommandState;
  limit: number;
  offset: number;
}

export interface CommandRepository {
  /** Stores a new command; false when its station does not exist (any more). */
  create(command: Command): Promise<boolean>;
  find(id: string): Promise<Command | null>;
  /** A station's commands, newest first. */
  list(stationId: string, filter: CommandListFilter): Promise<{ items: Command[]; total: number }>;
  /** The station's oldest queued command: the next to deliver. */
  nextQueued(stationId: string): Promise<Command | null>;
  /**
   * Writes a transition (state, times, answer, error, attempts) only if the
   * stored state is still `expectedState`; returns the stored command, or null
   * when another writer got there first.
   */
  saveTransition(command: Command, expectedState: CommandState): Promise<Command | null>;
  /** Every queued command whose expiry is at or before `now` becomes expired, in one statement; returns them. */
  expireDue(now: Date): Promise<Command[]>;
  /** Commands left `sent` by a process that stopped (only those sent before `sentBefore`, if given): failed with `error`, never re-sent. Returns them. */
  failInFlight(error: string, at: Date, sentBefore?: Date): Promise<Command[]>;
  /** Stations that have queued commands. */
  stationsWithQueued(): Promise<string[]>;
}
