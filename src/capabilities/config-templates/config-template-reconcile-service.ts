/**
 * Config-templates shell, the reconciliation of a station with its templates after every accepted
 * boot (or on request): read the keys the templates set (getConfiguration), compare
 * (config-template.ts), write what drifted (setConfiguration), and keep per key what was found and
 * done. Commands go through the durable queue, so a station that drops its connection mid-way gets
 * the rest when it returns; `command.finished` drives each step, on whichever node recorded it.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { KeyedQueue } from '../../kernel/keyed-queue.ts';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import { answerOf, isFinal, type AnyCommandInput, type Command } from '../commands/index.ts';
import { KEYS_PER_READ, chunk, compare, desiredSettings, isSettled, summariseDrift, type ConfigTemplate, type DriftItem, type StationFacts, type TemplateSetting } from './config-template.ts';
import type { ConfigTemplateRepository, Reconciliation } from './config-template-repository.ts';
import type { TemplateStations } from './config-template-service.ts';
import type { BootThrottle } from './config-template-boot-throttle-service.ts';
import './config-template-events.ts';

export interface TemplateCommands {
  submit(stationId: string, input: AnyCommandInput): Promise<Command>;
  get(id: string): Promise<Command>;
}

/** The settings a station that moved from 1.6 to 2.x should get from its 1.6 configuration (the device-model capability). */
export interface MigrationSource {
  settingsAfterMove(stationId: string): Promise<TemplateSetting[]>;
}

/** The id the migrated settings go by in a reconciliation's items (they rank below every template). */
export const MIGRATION_TEMPLATE_ID = 'migration-from-1.6';

const RESTARTED = 'the CSMS stopped before the key was read; the next boot reconciles again';
/** How often, and how far apart, a command's reconciliation is looked for before its id is saved (another node). */
const ID_LOOKUPS = 20;
const ID_LOOKUP_PAUSE_MS = 100;

export class ConfigReconcileService {
  private readonly log: Logger;
  /** One update at a time per station: command outcomes of one reconciliation arrive close together. */
  private readonly queue = new KeyedQueue();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly repo: ConfigTemplateRepository,
    private readonly commands: TemplateCommands,
    private readonly stations: TemplateStations,
    private readonly events: EventBus,
    private readonly clock: Clock,
    log: Logger,
    private readonly throttle: BootThrottle,
    private readonly migration?: MigrationSource,
  ) {
    this.log = log.child({ component: 'config-templates' });
  }

  /**
   * Reconciliations this node (or the whole CSMS) left unfinished: the commands that ended meanwhile
   * (failed at the restart, answered on another node) are recorded now; those still queued for an
   * offline station finish when it returns. A key whose command was never submitted fails.
   */
  async start(): Promise<void> {
    for (const r of await this.repo.unsettled()) {
      const orphaned = r.items.some((i) => i.state === 'reading' && i.commandId === undefined);
      if (orphaned) {
        const items = r.items.map((i): DriftItem => (i.state === 'reading' && i.commandId === undefined ? { ...i, state: 'failed', detail: RESTARTED } : i));
        await this.repo.saveReconciliation({ ...r, items, updatedAt: this.clock(), settledAt: isSettled(items) ? this.clock() : null });
      }
      const pending = new Set(r.items.filter((i) => !isSettled([i]) && i.commandId !== undefined).map((i) => i.commandId as string));
      for (const commandId of pending) await this.serialised(r.stationId, () => this.onCommand(r.stationId, commandId));
    }
    this.unsubscribe = this.events.subscribe((event) => this.onEvent(event), { types: ['station.booted', 'command.finished'] });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.throttle.stop();
    await this.queue.idle();
  }

  /** Starts a reconciliation: the keys the station's templates set are read; the outcome comes with the commands'. */
  reconcile(stationId: string, reason: string): Promise<Reconciliation | null> {
    let trigger = reason;
    return this.serialised(stationId, async () => {
      const station = await this.stations.facts(stationId);
      if (!station) throw new CodedError('not-found', `station ${stationId} does not exist`);
      const now = this.clock();
      const templates = await this.repo.ofTenant(station.tenantId);
      const moved = await this.movedFrom16(station);
      const desired = desiredSettings(moved ? [...templates, moved] : templates, station);
      if (desired.some((d) => d.templateId === MIGRATION_TEMPLATE_ID)) {
        trigger = 'migration';
        this.log.info({ stationId, settings: moved?.settings.length }, 'station moved from OCPP 1.6: its mapped settings are written');
      }
      let items: DriftItem[] = desired.map((d) => ({ key: d.key, desired: d.value, actual: null, templateId: d.templateId, state: 'reading' }));
      let reconciliation: Reconciliation = { stationId, tenantId: station.tenantId, trigger, startedAt: now, updatedAt: now, settledAt: items.length === 0 ? now : null, items };
      // Saved before any command exists: an answer recorded on another node must find the row.
      await this.repo.saveReconciliation(reconciliation);
      if (items.length === 0) return reconciliation;
      for (const keys of chunk(items.map((i) => i.key), KEYS_PER_READ)) {
        const command = await this.commands.submit(stationId, { type: 'getConfiguration', params: { keys } });
        items = items.map((i) => (keys.includes(i.key) ? { ...i, commandId: command.id } : i));
      }
      reconciliation = { ...reconciliation, items };
      await this.repo.saveReconciliation(reconciliation);
      return reconciliation;
    });
  }

  /**
   * A 2.x station the CSMS knew on 1.6 (it holds a 1.6 configuration for it) and whose mapped settings
   * were not written yet: those settings, as a template that ranks below every operator template
   * (least specific, oldest). The move is recorded once a reconciliation carrying them settles with
   * none lost (see recordMoveIfDone), so a station that drops mid-way gets them at its next boot.
   */
  private async movedFrom16(station: StationFacts): Promise<ConfigTemplate | null> {
    if (!this.migration || station.ocppVersion === '1.6' || (await this.repo.migrated(station.stationId))) return null;
    const settings = await this.migration.settingsAfterMove(station.stationId);
    if (settings.length === 0) return null;
    return { id: MIGRATION_TEMPLATE_ID, tenantId: station.tenantId, name: 'OCPP 1.6 configuration', match: {}, settings, createdAt: new Date(0), updatedAt: new Date(0) };
  }

  private onEvent(event: DomainEvent): void {
    if (event.type === 'station.booted' && event.registrationStatus === 'Accepted') {
      const { stationId } = event;
      this.throttle.enter(stationId, () => {
        void this.reconcile(stationId, 'boot')
          .then((r) => r?.settledAt && this.throttle.leave(stationId))
          .catch((error: unknown) => {
            this.throttle.leave(stationId);
            this.log.error({ stationId, err: error }, 'configuration reconciliation failed to start');
          });
      });
    } else if (event.type === 'command.finished' && (event.commandType === 'getConfiguration' || event.commandType === 'setConfiguration')) {
      const { stationId, commandId } = event;
      void this.serialised(stationId, () => this.onCommand(stationId, commandId)).catch((error: unknown) =>
        this.log.error({ stationId, commandId, err: error }, 'configuration reconciliation failed to record a command outcome'),
      );
    }
  }

  /** A command of a reconciliation finished: record what it found or did, and write what drifted. */
  private async onCommand(stationId: string, commandId: string): Promise<void> {
    const r = await this.reconciliationOf(stationId, commandId);
    if (!r) return;
    const command = await this.commands.get(commandId);
    if (!isFinal(command.state)) return;
    let items = r.items;
    const mine = (i: DriftItem) => i.commandId === commandId;
    const read = answerOf(command, 'getConfiguration');
    if (command.type === 'getConfiguration') {
      if (!read) {
        items = items.map((i) => (mine(i) ? { ...i, state: 'unreadable', detail: command.error ?? command.state } : i));
      } else {
        const values = new Map(read.configuration.map((c) => [c.key, { value: c.value, readonly: c.readonly }]));
        const compared = compare(items.filter(mine), { values, unknownKeys: new Set(read.unknownKeys) });
        const next = new Map(compared.map((i) => [i.key, i]));
        items = items.map((i) => next.get(i.key) ?? i);
        for (const item of compared.filter((i) => i.state === 'applying')) {
          const set = await this.commands.submit(stationId, { type: 'setConfiguration', params: { key: item.key, value: item.desired } });
          items = items.map((i) => (i.key === item.key ? { ...i, commandId: set.id } : i));
        }
      }
    } else {
      const answer = command.response?.status;
      const state = command.state === 'accepted' ? 'applied' : command.state === 'rejected' ? 'rejected' : 'failed';
      const detail = command.error ?? answer;
      items = items.map((i) => (mine(i) ? { ...i, state, ...(detail ? { detail } : {}) } : i));
    }
    const now = this.clock();
    const settled = isSettled(items);
    await this.repo.saveReconciliation({ ...r, items, updatedAt: now, settledAt: settled ? now : null });
    if (settled) {
      this.throttle.leave(stationId);
      await this.recordMoveIfDone(r, items, now);
      this.announce(stationId, items, now);
    }
  }

  /** The move from 1.6 is done when every mapped setting was read and, where it differed, answered (a refusal is an answer). */
  private async recordMoveIfDone(r: Reconciliation, items: readonly DriftItem[], at: Date): Promise<void> {
    const moved = items.filter((i) => i.templateId === MIGRATION_TEMPLATE_ID);
    if (moved.length === 0 || moved.some((i) => i.state === 'failed' || i.state === 'unreadable')) return;
    await this.repo.recordMigration(r.stationId, r.tenantId, at, moved.map((i) => ({ key: i.key, value: i.desired })));
  }

  /**
   * The unsettled reconciliation a command belongs to. On another node the row may not carry the
   * command's id yet (the node reconciling saves it right after submitting): look again briefly.
   * System time, like the transport's: this waits for another process, not for the domain's clock.
   */
  private async reconciliationOf(stationId: string, commandId: string): Promise<Reconciliation | null> {
    for (let attempt = 0; attempt < ID_LOOKUPS; attempt++) {
      const r = await this.repo.reconciliation(stationId);
      if (!r || r.settledAt) return null;
      if (r.items.some((i) => i.commandId === commandId)) return r;
      if (!r.items.some((i) => i.state === 'reading' && i.commandId === undefined)) return null;
      await new Promise((resolve) => setTimeout(resolve, ID_LOOKUP_PAUSE_MS));
    }
    return null;
  }

  private announce(stationId: string, items: DriftItem[], at: Date): void {
    const summary = summariseDrift(items);
    if (summary.drifted > 0) this.log.info({ stationId, ...summary }, 'configuration drift found and reconciled');
    this.events.publish({ type: 'station.configuration-reconciled', stationId, at: at.toISOString(), ...summary });
  }

  private serialised<T>(stationId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(stationId, work);
  }

}
