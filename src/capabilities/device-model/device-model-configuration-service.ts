/**
 * The station's configuration as one version-neutral view: variables from reports, and the
 * per-setting outcome of every getConfiguration / setConfiguration command (the commands
 * capability's built-in kinds), read from the command when it finishes.
 */
import type { Logger } from 'pino';
import type { DomainEvent, EventBus } from '../../cluster/event-bus.ts';
import type { Command } from '../commands/index.ts';
import { dialectOfCommand, entryFromRead, entryFromSet, identityOfKey, type ConfigurationDialect, type ConfigurationEntry, type ReadValue } from './device-model.ts';
import type { ConfigurationQuery, DeviceModelRepository } from './device-model-repository.ts';
import type { DeviceModelCommands, DeviceModelStations } from './device-model-ports.ts';

/** The built-in command types whose outcome is kept (the commands capability's API words). */
const READ = 'getConfiguration';
const WRITE = 'setConfiguration';

export class DeviceModelConfigurationService {
  private unsubscribe: (() => void) | null = null;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: { repo: DeviceModelRepository; stations: DeviceModelStations; commands: DeviceModelCommands; events: EventBus; log: Logger }) {}

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((event) => this.onEvent(event), { types: ['command.finished'] });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await Promise.allSettled([...this.pending]);
  }

  /** Resolves once every command outcome seen so far is recorded (tests, and a reader that must not be behind). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private onEvent(event: DomainEvent): void {
    if (event.type !== 'command.finished' || (event.commandType !== READ && event.commandType !== WRITE)) return;
    if (event.state !== 'accepted' && event.state !== 'rejected') return;
    const work = this.deps.commands
      .get(event.commandId)
      .then((command) => this.record(command))
      .catch((error: unknown) => this.deps.log.error({ err: error, commandId: event.commandId }, 'configuration outcome not recorded'))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Keeps what a finished getConfiguration / setConfiguration command learnt. */
  async record(command: Command): Promise<void> {
    // The tenant is all it needs of the station (the dialect comes from the command): no full view per answer.
    const station = await this.deps.stations.owner(command.stationId);
    if (!station) return;
    const dialect: ConfigurationDialect = dialectOfCommand(command.params as { keys?: string[]; key?: string });
    const context = { stationId: command.stationId, tenantId: station.tenantId, dialect, at: command.answeredAt ?? command.createdAt };
    if (command.type === READ && command.response) {
      const answer = command.response as { configuration?: ReadValue[] };
      const values = answer.configuration ?? [];
      const existing = await this.existing(command.stationId, dialect, values.map((v) => v.key));
      const entries = values.map((v) => entryFromRead(existing.get(identityOfKey(dialect, v.key) ?? '') ?? null, v, context)).filter((e): e is ConfigurationEntry => e !== null);
      await this.deps.repo.saveEntries(entries);
      // A 1.6 read without keys lists every key the station has: keys it no longer lists are gone.
      const asked = (command.params as { keys?: string[] }).keys ?? [];
      if (dialect === '1.6' && asked.length === 0 && command.state === 'accepted') {
        await this.deps.repo.removeEntriesNotIn(command.stationId, '1.6', entries.map((e) => e.identity), context.at);
      }
      return;
    }
    if (command.type === WRITE && command.response) {
      const { key, value } = command.params as { key: string; value: string };
      const status = (command.response as { status: string }).status;
      const existing = await this.existing(command.stationId, dialect, [key]);
      const entry = entryFromSet(existing.get(identityOfKey(dialect, key) ?? '') ?? null, { key, value, status, accepted: command.state === 'accepted' }, context);
      if (entry) await this.deps.repo.saveEntries([entry]);
    }
  }

  private async existing(stationId: string, dialect: ConfigurationDialect, keys: readonly string[]): Promise<Map<string, ConfigurationEntry>> {
    const identities = keys.map((k) => identityOfKey(dialect, k)).filter((i): i is string => i !== null);
    const found = await this.deps.repo.findEntries(stationId, identities);
    return new Map(found.map((e) => [e.identity, e]));
  }

  async list(stationId: string, query: ConfigurationQuery): Promise<{ ocppVersion: string | null; items: ConfigurationEntry[]; total: number }> {
    const station = await this.deps.stations.get(stationId);
    await this.settled();
    return { ocppVersion: station.ocppVersion, ...(await this.deps.repo.listEntries(stationId, query)) };
  }
}
