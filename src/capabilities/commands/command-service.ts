/**
 * Commands shell: the durable per-station queue. Load -> decide (command.ts)
 * -> save (compare-and-set on the state) -> call the station through the
 * ClusterPort. One delivery loop ("pump") per station at a time, so a
 * station's commands go out one by one in creation order.
 *
 * A command is delivered when it is submitted and its station is connected
 * and ready, when the station connects ('station.connected': after its
 * BootNotification, or a short grace without one; see readyForCommands), or
 * by the periodic sweep (which also expires commands whose time ran out). A
 * command that was `sent` when the process stopped is failed at the next
 * start and never re-sent.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { OCPP_VERSIONS, type OcppVersion } from '../../kernel/protocol-version.ts';
import { callStation, type ClusterPort } from '../../cluster/cluster-port.ts';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import type { Leases } from '../../cluster/lease.ts';
import {
  COMMAND_TYPES as BUILT_IN_TYPES,
  UNKNOWN_OUTCOME,
  applyEvent,
  checkCommand,
  decideDelivery,
  describeFailure,
  isFinal,
  newCommand,
  readyForCommands,
  type Command,
  type CommandEvent,
  type AnyCommandInput,
  type CommandInput,
  type CommandKind,
  type CommandState,
  type CommandTranslator,
  translateKind,
} from './command.ts';
import type { CommandRepository } from './command-repository.ts';

/** Which stations exist (the stations capability answers; app.ts wires it). */
export interface StationDirectory {
  exists(stationId: string): Promise<boolean>;
}

/**
 * Finds the station and the station's own id of a transaction the API names.
 * `context.stationId` is the station the command addresses: a hint a resolver
 * may use (the interim one in app.ts does), never a requirement.
 */
export interface TransactionResolver {
  resolve(transactionId: string, context?: { stationId: string }): Promise<{ stationId: string; ocppTransactionId: string } | null>;
}

export interface CommandServiceSettings {
  /** Expiry of a command whose request names none. */
  defaultExpirySec: number;
  /** Upper bound of a REST caller's wait for the outcome. */
  maxWaitSec: number;
  /** How often expired commands are marked and waiting stations are retried. */
  sweepIntervalMs: number;
  /** After a connect without BootNotification, how long to wait before delivering. */
  connectGraceMs: number;
  /**
   * Cluster mode: a command still `sent` this long after it went out was
   * being delivered by a node that died; the expiry sweep fails it. Unset on
   * one node, where a start fails every `sent` command instead (another node
   * may be delivering them in a cluster).
   */
  orphanedAfterMs?: number;
  /** Cluster mode: how often a REST caller waiting for an outcome also reads the command (another node may record it). */
  outcomePollMs?: number;
}

export interface CommandServiceDeps {
  repo: CommandRepository;
  cluster: ClusterPort;
  events: EventBus;
  clock: Clock;
  log: Logger;
  stations: StationDirectory;
  transactions: TransactionResolver;
  translators: Readonly<Record<OcppVersion, CommandTranslator>>;
  /** Cluster-wide work (expiry) runs on the lease holder only; absent: this node is alone. */
  leases?: Leases;
}

/** The lease name of the expiry sweep (ADR 0013). */
export const COMMAND_EXPIRY_LEASE = 'commands.expiry';

/** A capability's veto of a remote start (e.g. the EVSE is reserved for another token): the reason, or null. */
export interface StartGuard {
  refusal(stationId: string, start: { evseId?: number; idToken: string }): Promise<string | null>;
}

export interface SubmitOptions {
  expiresInSec?: number;
}

/** remoteStartId is an OCPP integer; keep it a positive 32-bit one, which every implementation can hold. */
const MAX_REMOTE_START_ID = 2 ** 31 - 1;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Waiter {
  done(command: Command): void;
  release(): void;
}

export class CommandService {
  private readonly repo: CommandRepository;
  private readonly log: Logger;
  /** Running delivery loop per station. */
  private readonly pumps = new Map<string, Promise<void>>();
  /** Stations whose loop must run once more after the current one (work arrived meanwhile). */
  private readonly rerun = new Set<string>();
  /**
   * Stations that may have queued commands, so a connect costs a query only
   * when there can be something to deliver (a boot storm stays cheap). Added
   * on submit and by each sweep from the database; removed by a loop that
   * finds the queue empty.
   */
  private readonly pending = new Set<string>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** The last BootNotification answered per station (from 'station.booted'), for readiness. */
  private readonly lastBoot = new Map<string, { at: Date; status: string }>();
  /** Delivery after the connect grace, per connected station. */
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** Checks other capabilities make before a remote start is queued (a reserved EVSE, ...). */
  private readonly startGuards: StartGuard[] = [];
  /** Command kinds other capabilities contributed, by type. */
  private readonly kinds = new Map<string, CommandKind>();
  private unsubscribe: (() => void) | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: CommandServiceDeps,
    private readonly settings: CommandServiceSettings,
  ) {
    this.repo = deps.repo;
    this.log = deps.log.child({ component: 'commands' });
  }

  async start(): Promise<void> {
    if (this.settings.orphanedAfterMs === undefined) {
      const failed = await this.repo.failInFlight(UNKNOWN_OUTCOME, this.deps.clock());
      // Final like any other outcome: the capability of a contributed kind settles it (a reservation, a report request).
      for (const command of failed) await this.notify(command);
      if (failed.length > 0) this.log.warn({ failed: failed.length }, 'commands in flight when the CSMS stopped were marked failed (unknown outcome)');
    }
    for (const stationId of await this.repo.stationsWithQueued()) this.pending.add(stationId);
    this.unsubscribe = this.deps.events.subscribe((event) => this.onEvent(event));
    this.sweepTimer = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
    this.sweepTimer.unref();
    void this.sweep();
  }

  /** Stops timers and listeners, answers waiting callers with the current state, and lets running deliveries finish. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    for (const set of this.waiters.values()) for (const waiter of set) waiter.release();
    await this.sweeping;
    await this.deps.leases?.release(COMMAND_EXPIRY_LEASE).catch(() => undefined);
    await Promise.allSettled([...this.pumps.values()]);
  }

  /**
   * Adds a command kind of another capability (called while the modules are built, before the
   * routes are registered: the REST body then offers it). A type taken twice is a boot error.
   */
  register<P extends Record<string, unknown>>(kind: CommandKind<P>): void {
    if ((BUILT_IN_TYPES as readonly string[]).includes(kind.type) || this.kinds.has(kind.type)) throw new Error(`command type ${kind.type} is registered twice`);
    this.kinds.set(kind.type, kind as unknown as CommandKind);
  }

  /** Adds a check a remote start must pass before it is queued (its refusal is a 409 `conflict`). */
  addStartGuard(guard: StartGuard): void {
    this.startGuards.push(guard);
  }

  /** The contributed kinds, in registration order (the REST body lists them after the built-in ones). */
  registeredKinds(): readonly CommandKind[] {
    return [...this.kinds.values()];
  }

  // --- Use cases -------------------------------------------------------------------

  async submit(stationId: string, input: AnyCommandInput, options: SubmitOptions = {}): Promise<Command> {
    const kind = this.kinds.get(input.type);
    const params = input.params as Record<string, unknown>;
    const problem = kind ? (kind.check?.(params) ?? null) : checkCommand(input as CommandInput);
    if (problem) throw new CodedError('invalid-input', problem);
    if (!(await this.deps.stations.exists(stationId))) throw new CodedError('not-found', `station ${stationId} does not exist`);
    const prepared = kind
      ? { type: input.type, params: kind.prepare ? await kind.prepare(stationId, params) : params }
      : await this.prepare(stationId, input as CommandInput);
    // A contributed kind is stored like a built-in one; only its own capability reads its parameters.
    const command = newCommand(randomUUID(), stationId, prepared as CommandInput, this.deps.clock(), options.expiresInSec ?? this.settings.defaultExpirySec);
    if (!(await this.repo.create(command))) throw new CodedError('not-found', `station ${stationId} does not exist`);
    this.log.info({ stationId, commandId: command.id, type: command.type }, 'command queued');
    this.pending.add(stationId);
    this.kick(stationId);
    return command;
  }

  /** Whether a station of this version can be sent the command at all (its adapter can express it). */
  expressible(version: string, input: AnyCommandInput): boolean {
    const kind = this.kinds.get(input.type);
    if (kind) return OCPP_VERSIONS.includes(version as OcppVersion) && translateKind(kind, version as OcppVersion, input.params as Record<string, unknown>).ok;
    const translator = (this.deps.translators as Readonly<Record<string, CommandTranslator | undefined>>)[version];
    return translator !== undefined && translator.toCall(input as CommandInput).ok;
  }

  /** Who owns a command: its station (a command is deleted with its station). */
  async owner(id: string): Promise<{ stationId: string } | null> {
    const command = UUID.test(id) ? await this.repo.find(id) : null;
    return command ? { stationId: command.stationId } : null;
  }

  async get(id: string): Promise<Command> {
    const command = UUID.test(id) ? await this.repo.find(id) : null;
    if (!command) throw new CodedError('not-found', `command ${id} does not exist`);
    return command;
  }

  async list(stationId: string, filter: { state?: CommandState; limit: number; offset: number }): Promise<{ items: Command[]; total: number }> {
    if (!(await this.deps.stations.exists(stationId))) throw new CodedError('not-found', `station ${stationId} does not exist`);
    return this.repo.list(stationId, filter);
  }

  /**
   * The command once it reaches a final state, or as it is when `waitSec`
   * (bounded by maxWaitSec) has passed or the service stops.
   */
  async waitForOutcome(id: string, waitSec: number): Promise<Command> {
    const waitMs = Math.min(Math.max(waitSec, 0), this.settings.maxWaitSec) * 1000;
    if (waitMs <= 0 || this.stopped) return this.get(id);
    let settle!: (command: Command | null) => void;
    const outcome = new Promise<Command | null>((resolve) => (settle = resolve));
    const waiter: Waiter = {
      done: (command) => settle(command),
      release: () => settle(null),
    };
    // Listen before reading, so an outcome between the read and the wait is not missed.
    const set = this.waiters.get(id) ?? new Set<Waiter>();
    this.waiters.set(id, set);
    set.add(waiter);
    const timer = setTimeout(() => settle(null), waitMs);
    timer.unref();
    // In a cluster another node may deliver it (the station's socket moved, or its sweep came first): look in the database too.
    const poll = this.settings.outcomePollMs
      ? setInterval(() => void this.repo.find(id).then((c) => c && isFinal(c.state) && settle(c), () => undefined), this.settings.outcomePollMs)
      : undefined;
    poll?.unref();
    try {
      const current = await this.get(id);
      if (isFinal(current.state)) return current;
      return (await outcome) ?? (await this.get(id));
    } finally {
      clearTimeout(timer);
      clearInterval(poll);
      set.delete(waiter);
      if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
    }
  }

  // --- Submission details ---------------------------------------------------------------

  /** Fills what the CSMS decides at submission: the stop's OCPP transaction id, a start's remoteStartId. */
  private async prepare(stationId: string, input: CommandInput): Promise<CommandInput> {
    if (input.type === 'stop') {
      const { transactionId } = input.params;
      const resolved = await this.deps.transactions.resolve(transactionId, { stationId });
      if (!resolved) throw new CodedError('not-found', `transaction ${transactionId} is not known`);
      if (resolved.stationId !== stationId) {
        throw new CodedError('invalid-input', `transaction ${transactionId} belongs to station ${resolved.stationId}, not ${stationId}`);
      }
      return { type: 'stop', params: { transactionId, ocppTransactionId: resolved.ocppTransactionId } };
    }
    if (input.type === 'getTransactionStatus' && input.params.transactionId !== undefined) {
      const { transactionId } = input.params;
      const resolved = await this.deps.transactions.resolve(transactionId, { stationId });
      if (!resolved || resolved.stationId !== stationId) throw new CodedError('not-found', `transaction ${transactionId} is not known on station ${stationId}`);
      return { type: 'getTransactionStatus', params: { transactionId, ocppTransactionId: resolved.ocppTransactionId } };
    }
    if (input.type === 'start') {
      for (const guard of this.startGuards) {
        const refusal = await guard.refusal(stationId, { idToken: input.params.idToken, ...(input.params.evseId !== undefined ? { evseId: input.params.evseId } : {}) });
        if (refusal) throw new CodedError('conflict', refusal);
      }
    }
    if (input.type === 'start' && input.params.remoteStartId === undefined) {
      return { type: 'start', params: { ...input.params, remoteStartId: randomInt(1, MAX_REMOTE_START_ID) } };
    }
    return input;
  }

  // --- Delivery ------------------------------------------------------------------------

  private onEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'station.connected': {
        // Deliver after the BootNotification (below) or, without one, after the grace.
        clearTimeout(this.graceTimers.get(event.stationId));
        const timer = setTimeout(() => {
          this.graceTimers.delete(event.stationId);
          if (this.pending.has(event.stationId)) this.kick(event.stationId);
        }, this.settings.connectGraceMs);
        timer.unref();
        this.graceTimers.set(event.stationId, timer);
        return;
      }
      case 'station.booted':
        this.lastBoot.set(event.stationId, { at: new Date(event.at), status: event.registrationStatus });
        if (this.pending.has(event.stationId)) this.kick(event.stationId);
        return;
      case 'station.disconnected':
        clearTimeout(this.graceTimers.get(event.stationId));
        this.graceTimers.delete(event.stationId);
        this.lastBoot.delete(event.stationId);
        return;
      default:
        return;
    }
  }

  /** Starts the station's delivery loop, or asks the running one to look again when it is done. */
  private kick(stationId: string): void {
    if (this.stopped) return;
    if (this.pumps.has(stationId)) {
      this.rerun.add(stationId);
      return;
    }
    const run = this.pump(stationId)
      .catch((error: unknown) => this.log.error({ stationId, err: error }, 'command delivery failed'))
      .finally(() => {
        this.pumps.delete(stationId);
        if (this.rerun.delete(stationId)) this.kick(stationId);
      });
    this.pumps.set(stationId, run);
  }

  private async pump(stationId: string): Promise<void> {
    while (!this.stopped) {
      const location = await this.deps.cluster.locate(stationId);
      if (!location) return;
      // Not ready yet: the BootNotification or the grace timer will come back.
      const readiness = { connectedAt: location.connectedAt, lastBoot: this.lastBoot.get(stationId) ?? null };
      if (!readyForCommands(readiness, this.deps.clock(), this.settings.connectGraceMs)) return;
      // Forget the hint before looking: a submit that lands meanwhile adds it back.
      this.pending.delete(stationId);
      const command = await this.repo.nextQueued(stationId);
      if (!command) return;
      this.pending.add(stationId);
      await this.deliver(command, location.version);
    }
  }

  private async deliver(command: Command, version: OcppVersion): Promise<void> {
    const now = this.deps.clock();
    const decision = decideDelivery(command, now);
    if (decision === 'skip') return;
    if (decision === 'expire') {
      await this.record(command, { kind: 'expired', at: now });
      return;
    }
    const kind = this.kinds.get(command.type);
    const wire = kind ? translateKind(kind, version, command.params as Record<string, unknown>) : this.deps.translators[version].toCall(command);
    if (!wire.ok) {
      await this.record(command, { kind: 'failed', at: now, error: `Untranslatable: cannot be sent to an OCPP ${version} station: ${wire.error}` });
      return;
    }
    // Durable before it goes on the wire: a crash from here on is an unknown outcome, not a re-send.
    const sent = await this.record(command, { kind: 'sent', at: now });
    if (!sent) return;
    let outcome: CommandEvent;
    try {
      const { answer, accepted } = await callStation(this.deps.cluster, command.stationId, wire.call);
      outcome = { kind: 'answered', at: this.deps.clock(), answer, accepted };
    } catch (error) {
      const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'InternalError';
      outcome = { kind: 'failed', at: this.deps.clock(), error: describeFailure(code, (error as Error).message ?? String(error)) };
    }
    const done = await this.record(sent, outcome);
    this.log.info({ stationId: command.stationId, commandId: command.id, action: wire.call.action, state: done?.state ?? outcome.kind }, 'command delivered');
  }

  /** Applies a lifecycle event, stores it if the state did not change meanwhile, and wakes waiting callers. */
  private async record(command: Command, event: CommandEvent): Promise<Command | null> {
    const next = applyEvent(command, event);
    if (!next.ok) {
      this.log.warn({ commandId: command.id, reason: next.reason }, 'command transition refused');
      return null;
    }
    const stored = await this.repo.saveTransition(next.command, command.state);
    if (stored) await this.notify(stored);
    return stored;
  }

  /** A final state: the contributing capability settles it first, so a caller woken by it sees the settlement's effects. */
  private async notify(command: Command): Promise<void> {
    if (!isFinal(command.state)) return;
    const kind = this.kinds.get(command.type);
    if (kind?.settled) {
      try {
        await kind.settled(command);
      } catch (error) {
        // The capability's failure is its own: the command's outcome stands.
        this.log.error({ stationId: command.stationId, commandId: command.id, type: command.type, err: error }, 'command settlement failed');
      }
    }
    this.deps.events.publish({
      type: 'command.finished',
      stationId: command.stationId,
      at: (command.answeredAt ?? this.deps.clock()).toISOString(),
      commandId: command.id,
      commandType: command.type,
      state: command.state,
      error: command.error,
    });
    for (const waiter of this.waiters.get(command.id) ?? []) waiter.done(command);
  }

  /**
   * Expires what is due (on one node of a cluster: the lease holder), learns
   * which stations have queued work, and retries those connected here (each
   * node delivers to the sockets it holds).
   */
  private sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return this.sweeping ?? Promise.resolve();
    this.sweeping = (async () => {
      try {
        if (await this.holdsExpiryLease()) await this.expire();
        for (const stationId of await this.repo.stationsWithQueued()) this.pending.add(stationId);
        const local = new Set(this.deps.cluster.localStationIds());
        for (const stationId of this.pending) {
          if (this.stopped) break;
          if (!this.pumps.has(stationId) && local.has(stationId)) this.kick(stationId);
        }
      } catch (error) {
        this.log.error({ err: error }, 'command sweep failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  private holdsExpiryLease(): Promise<boolean> {
    // Three sweeps' worth (5 s at least, so a busy holder does not lose it): renewed on every sweep; a dead holder's runs out soon after.
    const ttlMs = Math.max(this.settings.sweepIntervalMs * 3, 5000);
    return this.deps.leases ? this.deps.leases.acquire(COMMAND_EXPIRY_LEASE, ttlMs) : Promise.resolve(true);
  }

  private async expire(): Promise<void> {
    const now = this.deps.clock();
    const expired = await this.repo.expireDue(now);
    for (const command of expired) await this.notify(command);
    if (expired.length > 0) this.log.info({ expired: expired.length, node: this.deps.cluster.nodeId }, 'undelivered commands expired');
    if (this.settings.orphanedAfterMs === undefined) return;
    const orphaned = await this.repo.failInFlight(ORPHANED, now, new Date(now.getTime() - this.settings.orphanedAfterMs));
    for (const command of orphaned) await this.notify(command);
    if (orphaned.length > 0) this.log.warn({ orphaned: orphaned.length }, 'commands sent by a node that stopped answering were marked failed (unknown outcome)');
  }
}

const ORPHANED = 'UnknownOutcome: the node delivering the command stopped before the station answered; it is not re-sent';
