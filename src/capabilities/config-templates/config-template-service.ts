/**
 * Config-templates shell: template CRUD, and the reconciliation of a station with its
 * templates after every accepted boot (or on request): read the keys the templates set
 * (getConfiguration), compare (config-template.ts), write what drifted (setConfiguration),
 * and keep per key what was found and done. Commands go through the durable queue, so a
 * station that drops its connection mid-way gets the rest when it returns.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import { answerOf, type AnyCommandInput, type Command } from '../commands/index.ts';
import {
  KEYS_PER_READ,
  chunk,
  compare,
  desiredSettings,
  isSettled,
  summariseDrift,
  type ConfigTemplate,
  type DriftItem,
  type StationFacts,
  type TemplateMatch,
  type TemplateSetting,
} from './config-template.ts';
import type { ConfigTemplateRepository, Reconciliation } from './config-template-repository.ts';
import type { BootThrottle } from './config-template-boot-throttle-service.ts';
import './config-template-events.ts';

export interface TemplateCommands {
  submit(stationId: string, input: AnyCommandInput): Promise<Command>;
  get(id: string): Promise<Command>;
}

export interface TemplateStations {
  /** The facts a template matches on; null for an unknown station. */
  facts(stationId: string): Promise<StationFacts | null>;
}

export interface TemplateTenants {
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
}

/** The settings a station that moved from 1.6 to 2.x should get from its 1.6 configuration (the device-model capability). */
export interface MigrationSource {
  settingsAfterMove(stationId: string): Promise<TemplateSetting[]>;
}

/** The id the migrated settings go by in a reconciliation's items (they rank below every template). */
export const MIGRATION_TEMPLATE_ID = 'migration-from-1.6';

export interface TemplateInput {
  name: string;
  tenantId?: string;
  match: TemplateMatch;
  settings: TemplateSetting[];
}

const RESTARTED = 'the CSMS restarted before the station answered; the next boot reconciles again';

export class ConfigTemplateService {
  private readonly log: Logger;
  /** One update at a time per station: command outcomes of one reconciliation arrive close together. */
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly repo: ConfigTemplateRepository,
    private readonly commands: TemplateCommands,
    private readonly stations: TemplateStations,
    private readonly tenants: TemplateTenants,
    private readonly events: EventBus,
    private readonly clock: Clock,
    log: Logger,
    private readonly throttle: BootThrottle,
    private readonly migration?: MigrationSource,
  ) {
    this.log = log.child({ component: 'config-templates' });
  }

  async start(): Promise<void> {
    // Their commands failed with the restart (commands are never re-sent): say so instead of waiting forever.
    for (const r of await this.repo.unsettled()) {
      const items = r.items.map((i): DriftItem => (i.state === 'reading' || i.state === 'applying' ? { ...i, state: 'failed', detail: RESTARTED } : i));
      await this.repo.saveReconciliation({ ...r, items, updatedAt: this.clock(), settledAt: this.clock() });
    }
    this.unsubscribe = this.events.subscribe((event) => this.onEvent(event), { types: ['station.booted', 'command.finished'] });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.throttle.stop();
    await Promise.allSettled([...this.chains.values()]);
  }

  // --- Templates ------------------------------------------------------------------

  async create(scope: TenantScope, input: TemplateInput): Promise<ConfigTemplate> {
    const now = this.clock();
    const template: ConfigTemplate = { id: randomUUID(), tenantId: await this.tenants.writableTenant(scope, input.tenantId), name: input.name, match: input.match, settings: input.settings, createdAt: now, updatedAt: now };
    checkTemplate(template);
    await this.repo.create(template);
    return template;
  }

  async update(id: string, input: TemplateInput): Promise<ConfigTemplate> {
    const existing = await this.get(id);
    const template = { ...existing, name: input.name, match: input.match, settings: input.settings, updatedAt: this.clock() };
    checkTemplate(template);
    if (!(await this.repo.update(template))) throw new CodedError('not-found', `template ${id} does not exist`);
    return template;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repo.remove(id))) throw new CodedError('not-found', `template ${id} does not exist`);
  }

  async get(id: string): Promise<ConfigTemplate> {
    const template = await this.repo.find(id);
    if (!template) throw new CodedError('not-found', `template ${id} does not exist`);
    return template;
  }

  list(scope: TenantScope): Promise<ConfigTemplate[]> {
    return this.repo.list(scope);
  }

  async owner(id: string): Promise<{ tenantId: string; siteId: string | null } | null> {
    const template = await this.repo.find(id);
    return template ? { tenantId: template.tenantId, siteId: template.match.siteId ?? null } : null;
  }

  // --- Reconciliation --------------------------------------------------------------

  async drift(stationId: string): Promise<(Reconciliation & { summary: ReturnType<typeof summariseDrift> }) | null> {
    if (!(await this.stations.facts(stationId))) throw new CodedError('not-found', `station ${stationId} does not exist`);
    const r = await this.repo.reconciliation(stationId);
    return r ? { ...r, summary: summariseDrift(r.items) } : null;
  }

  /**
   * The network's drift: per station in the scope its latest reconciliation's counts, those with
   * keys the CSMS could not fix first; and the totals an operator watches after a boot storm.
   */
  async driftReport(scope: TenantScope, filter: { onlyNotFixed: boolean; limit: number; offset: number }) {
    // One after the other: each is a scoped read in its own transaction (PGlite has one connection).
    const totals = await this.repo.driftTotals(scope);
    const page = await this.repo.driftPage(scope, filter);
    return { totals, total: page.total, items: page.items };
  }

  /** Starts a reconciliation: the keys the station's templates set are read; the outcome comes with the commands'. */
  reconcile(stationId: string, reason: string): Promise<Reconciliation | null> {
    let trigger = reason;
    return this.serialised(stationId, async () => {
      const station = await this.stations.facts(stationId);
      if (!station) throw new CodedError('not-found', `station ${stationId} does not exist`);
      const now = this.clock();
      const templates = await this.repo.ofTenant(station.tenantId);
      const moved = await this.movedFrom16(station, now);
      if (moved) {
        trigger = 'migration';
        this.log.info({ stationId, settings: moved.settings.length }, 'station moved from OCPP 1.6: its mapped settings are written once');
      }
      const desired = desiredSettings(moved ? [...templates, moved] : templates, station);
      let items: DriftItem[] = desired.map((d) => ({ key: d.key, desired: d.value, actual: null, templateId: d.templateId, state: 'reading' }));
      for (const keys of chunk(items.map((i) => i.key), KEYS_PER_READ)) {
        const command = await this.commands.submit(stationId, { type: 'getConfiguration', params: { keys } });
        items = items.map((i) => (keys.includes(i.key) ? { ...i, commandId: command.id } : i));
      }
      const reconciliation: Reconciliation = { stationId, tenantId: station.tenantId, trigger, startedAt: now, updatedAt: now, settledAt: items.length === 0 ? now : null, items };
      await this.repo.saveReconciliation(reconciliation);
      return reconciliation;
    });
  }

  /**
   * A 2.x station the CSMS knew on 1.6 (it holds a 1.6 configuration for it) and whose mapped settings
   * were never written: those settings, as a template that ranks below every operator template
   * (least specific, oldest). Recorded at once, so they are written at one boot only.
   */
  private async movedFrom16(station: StationFacts, now: Date): Promise<ConfigTemplate | null> {
    if (!this.migration || station.ocppVersion === '1.6' || (await this.repo.migrated(station.stationId))) return null;
    const settings = await this.migration.settingsAfterMove(station.stationId);
    if (settings.length === 0 || !(await this.repo.recordMigration(station.stationId, station.tenantId, now, settings))) return null;
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
    const r = await this.repo.reconciliation(stationId);
    if (!r || r.settledAt || !r.items.some((i) => i.commandId === commandId)) return;
    const command = await this.commands.get(commandId);
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
      this.announce(stationId, items, now);
    }
  }

  private announce(stationId: string, items: DriftItem[], at: Date): void {
    const summary = summariseDrift(items);
    if (summary.drifted > 0) this.log.info({ stationId, ...summary }, 'configuration drift found and reconciled');
    this.events.publish({ type: 'station.configuration-reconciled', stationId, at: at.toISOString(), ...summary });
  }

  private serialised<T>(stationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(stationId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(stationId, tail);
    void tail.then(() => {
      if (this.chains.get(stationId) === tail) this.chains.delete(stationId);
    });
    return run;
  }
}

/** Rules the request schema cannot state. */
function checkTemplate(template: ConfigTemplate): void {
  const seen = new Set<string>();
  for (const { key } of template.settings) {
    if (seen.has(key)) throw new CodedError('invalid-input', `settings name ${key} twice`);
    seen.add(key);
  }
}
