/**
 * Keeps each connected station's local authorization list at the current
 * version: after every accepted boot and after every change to a listed
 * token. Asks the station its version first, then sends nothing, the changes
 * since the version it confirmed, or the full list (on VersionMismatch too).
 */
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import { callStation, type ClusterPort } from '../../cluster/cluster-port.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import { StationLock } from '../../cluster/station-lock.ts';
import { decideLocalListUpdate, splitLocalListUpdate, type LocalListEntry, type LocalListPlan } from './authorization-local-list.ts';
import type { LocalListTranslator } from './authorization-local-list-port.ts';
import type { LocalListRepository, StationListState } from './authorization-repository.ts';
import type { AuthorizationService } from './authorization-service.ts';

export interface LocalListStatus extends StationListState {
  currentVersion: number;
}

const neverSynced = (at: Date): StationListState => ({ version: null, status: 'NeverSynced', detail: null, syncedAt: at });

export class LocalListService {
  private readonly lock = new StationLock();
  private unsubscribe?: () => void;
  /**
   * Each tenant's newest list version, kept in memory: a station gets its own tenant's list only.
   * No versions at all means no list exists anywhere, and boots cost nothing.
   */
  private versions = new Map<string, number>();
  /** Entries per SendLocalList each connected station accepts (asked once per connection). */
  private readonly maxEntries = new Map<string, number>();

  constructor(
    private readonly repo: LocalListRepository,
    private readonly tokens: AuthorizationService,
    private readonly cluster: ClusterPort,
    private readonly events: EventBus,
    private readonly translators: Record<OcppVersion, LocalListTranslator>,
    /** The tenant a station belongs to (never changes), or null for a station that no longer exists. */
    private readonly tenantOf: (stationId: string) => Promise<string | null>,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Entries per message for a station that does not say how many it takes. */
    private readonly defaultEntriesPerMessage = 250,
  ) {}

  async start(): Promise<void> {
    this.versions = await this.repo.currentVersions();
    this.tokens.onLocalListChange(async (changes) => {
      await this.repo.appendChanges(changes, this.clock());
      this.versions = await this.repo.currentVersions();
      for (const stationId of this.cluster.localStationIds()) this.syncInBackground(stationId);
    });
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'station.connected') this.maxEntries.delete(event.stationId);
      // No list exists yet: nothing to ask the station (a boot storm must not cost a CALL per station).
      if (event.type === 'station.booted' && event.registrationStatus === 'Accepted' && this.versions.size > 0) this.syncInBackground(event.stationId);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /**
   * Another node changed tokens: the list version is read again from the
   * database (the change log is the record), and the stations connected here
   * are brought to it if it moved.
   */
  async refreshVersion(): Promise<void> {
    const versions = await this.repo.currentVersions();
    const moved = [...versions].some(([tenantId, version]) => version > (this.versions.get(tenantId) ?? 0));
    this.versions = versions;
    if (!moved) return;
    for (const stationId of this.cluster.localStationIds()) this.syncInBackground(stationId);
  }

  private syncInBackground(stationId: string): void {
    // After the boot answer has left: the station must not get a CALL before it knows it is accepted.
    setImmediate(() => void this.sync(stationId).catch((error: unknown) => this.log.warn({ stationId, err: (error as Error).message }, 'local list sync failed')));
  }

  private entry(idToken: string, tenantId: string, at: Date): LocalListEntry | null {
    const token = this.tokens.localListToken(idToken, tenantId);
    return token ? { idToken, type: token.type, decision: this.tokens.authorize(idToken, at) } : null;
  }

  /** Brings one connected station to the current version; returns what it holds afterwards. */
  sync(stationId: string): Promise<LocalListStatus> {
    return this.lock.run(stationId, async () => {
      const location = await this.cluster.locate(stationId);
      const tenantId = await this.tenantOf(stationId);
      const currentVersion = tenantId === null ? 0 : (this.versions.get(tenantId) ?? 0);
      const previous = await this.repo.stationState(stationId);
      if (!location || tenantId === null) return { ...(previous ?? neverSynced(this.clock())), currentVersion };
      const translator = this.translators[location.version];
      const stationVersion = await callStation(this.cluster, stationId, translator.getVersion());
      const now = this.clock();
      const confirmedVersion = previous?.version ?? null;
      const kind = decideLocalListUpdate({ stationVersion, confirmedVersion, currentVersion, incomplete: previous?.status === 'Partial' });
      const resolved: LocalListPlan =
        kind === 'none'
          ? { kind }
          : { kind, version: currentVersion, entries: kind === 'full' ? this.fullEntries(tenantId, now) : await this.changedEntries(tenantId, confirmedVersion as number, now) };
      let state: StationListState = { version: stationVersion, status: 'UpToDate', detail: null, syncedAt: now };
      if (resolved.kind !== 'none') {
        state = await this.send(stationId, translator, resolved, now);
        // OCPP 1.6 §5.15: a VersionMismatch (2.0.1 D01.FR.19) on a differential update means: send the full list.
        if (state.status === 'VersionMismatch' && resolved.kind === 'differential') {
          state = await this.send(stationId, translator, { kind: 'full', version: currentVersion, entries: this.fullEntries(tenantId, now) }, now);
        }
      }
      await this.repo.saveStationState(stationId, state);
      return { ...state, currentVersion };
    });
  }

  private fullEntries(tenantId: string, now: Date): LocalListEntry[] {
    return this.tokens.localListTokens(tenantId).map((t) => ({ idToken: t.idToken, type: t.type, decision: this.tokens.authorize(t.idToken, now) }));
  }

  /** Entries for the tokens changed since `since`; a token no longer listed becomes a removal (an entry without info). */
  private async changedEntries(tenantId: string, since: number, now: Date): Promise<LocalListEntry[]> {
    const changes = await this.repo.changesSince(since, tenantId);
    return changes.map((c) => (c.removed ? null : this.entry(c.idToken, tenantId, now)) ?? { idToken: c.idToken, type: 'ISO14443', decision: null });
  }

  /**
   * Sends an update in as many parts as the station needs. Before the second part our
   * record says 'Partial', so an update cut off half way is repaired by a full list.
   */
  private async send(stationId: string, translator: LocalListTranslator, plan: Exclude<LocalListPlan, { kind: 'none' }>, now: Date): Promise<StationListState> {
    const parts = splitLocalListUpdate(plan, await this.entriesPerMessage(stationId, translator, plan.entries.length));
    for (const [i, part] of parts.entries()) {
      if (i === 1) await this.repo.saveStationState(stationId, { version: null, status: 'Partial', detail: `${plan.kind} update in ${parts.length} parts: sending`, syncedAt: now });
      const status = await callStation(this.cluster, stationId, translator.send(part));
      this.log.info({ stationId, updateType: part.kind, version: part.version, entries: part.entries.length, part: i + 1, parts: parts.length, status }, 'local list sent');
      if (status !== 'Accepted') {
        return i === 0
          ? { version: null, status, detail: `${plan.kind} update refused`, syncedAt: now }
          : { version: null, status: 'Partial', detail: `part ${i + 1} of ${parts.length} refused: ${status}`, syncedAt: now };
      }
    }
    const detail = parts.length > 1 ? `${plan.kind} update in ${parts.length} parts` : `${plan.kind} update`;
    return { version: plan.version, status: 'Accepted', detail, syncedAt: now };
  }

  /** How many entries one message to this station may carry; asked when an update has more than one. */
  private async entriesPerMessage(stationId: string, translator: LocalListTranslator, entries: number): Promise<number> {
    if (entries <= 1) return this.defaultEntriesPerMessage;
    let limit = this.maxEntries.get(stationId);
    if (limit === undefined) {
      try {
        limit = (await callStation(this.cluster, stationId, translator.getMaxEntries())) ?? this.defaultEntriesPerMessage;
      } catch (error) {
        // A station that cannot answer the question still gets its list, in parts of the default size.
        this.log.info({ stationId, err: (error as Error).message }, 'station did not say how many local-list entries it takes');
        limit = this.defaultEntriesPerMessage;
      }
      this.maxEntries.set(stationId, limit);
    }
    return limit;
  }

  async status(stationId: string): Promise<LocalListStatus> {
    const state = await this.repo.stationState(stationId);
    const tenantId = await this.tenantOf(stationId);
    return { ...(state ?? neverSynced(new Date(0))), currentVersion: tenantId === null ? 0 : (this.versions.get(tenantId) ?? 0) };
  }
}
