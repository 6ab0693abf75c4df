/**
 * Offline authorization settings shell: stores what the operator set per site
 * and per station, and brings each station to it with durable
 * setConfiguration commands (ChangeConfiguration in 1.6, SetVariables in 2.x),
 * so a station that is offline gets them when it returns. Runs after every
 * accepted boot (a station may come back with factory settings) and after
 * every change, and sends only what the station has not accepted yet.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import { StationLock } from '../../cluster/station-lock.ts';
import { CodedError } from '../../kernel/errors.ts';
import {
  effectiveOfflineSettings,
  offlineSettingsToPush,
  OFFLINE_SETTINGS,
  type EffectiveOfflineSettings,
  type OfflineSetting,
  type OfflineSettingKeys,
  type OfflineSettings,
} from './authorization-offline.ts';
import type { OfflineSettingsRepository, StationOfflineState } from './authorization-repository.ts';

/** What the service needs of the stations capability (app.ts wires it). */
export interface OfflineSettingsStations {
  siteOf(stationId: string): Promise<string | null>;
  versionOf(stationId: string): Promise<OcppVersion | null>;
  inSite(siteId: string): Promise<string[]>;
}

/** What the service needs of the commands capability (app.ts wires it). */
export interface OfflineSettingsCommands {
  setConfiguration(stationId: string, key: string, value: string, expiresInSec: number): Promise<{ id: string }>;
  /** null when the command no longer exists. */
  outcome(commandId: string): Promise<{ state: string; status: string | null } | null>;
}

export interface StationOfflineView {
  stationId: string;
  siteId: string | null;
  station: OfflineSettings | null;
  site: OfflineSettings | null;
  effective: EffectiveOfflineSettings;
  applied: StationOfflineState['applied'];
  pending: Array<{ setting: OfflineSetting; value: boolean; commandId: string; state: string }>;
  refused: Array<{ setting: OfflineSetting; value: boolean; status: string }>;
}

/** Settings are standing intent: a queued push waits a week for an offline station. */
const PUSH_EXPIRY_SEC = 7 * 24 * 3600;

export class OfflineSettingsService {
  private readonly lock = new StationLock();
  /** Scopes with settings ('site:X', 'station:Y'), so a boot storm costs nothing when none apply. */
  private readonly configured = new Set<string>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly repo: OfflineSettingsRepository,
    private readonly stations: OfflineSettingsStations,
    private readonly commands: OfflineSettingsCommands,
    private readonly keys: Readonly<Record<OcppVersion, OfflineSettingKeys>>,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    for (const scope of await this.repo.scopes()) this.configured.add(`${scope.scope}:${scope.scopeId}`);
    this.unsubscribe.push(
      this.events.subscribe((event) => {
        if (event.type !== 'station.booted' || event.registrationStatus !== 'Accepted' || this.configured.size === 0) return;
        // After the boot answer has left: no CALL before the station knows it is accepted.
        setImmediate(() => void this.reconcileIfConfigured(event.stationId));
      }),
      // Settings set on another node: its stations boot here too.
      this.events.subscribe(
        (event, origin) => {
          if (event.type === 'authorization.offline-settings-changed' && !origin.local) this.mark(event.scope, event.scopeId, event.present);
        },
        { scope: 'cluster', types: ['authorization.offline-settings-changed'] },
      ),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
  }

  private mark(scope: 'site' | 'station', scopeId: string, present: boolean): void {
    if (present) this.configured.add(`${scope}:${scopeId}`);
    else this.configured.delete(`${scope}:${scopeId}`);
  }

  /** Records locally and tells the other nodes. */
  private configure(scope: 'site' | 'station', scopeId: string, present: boolean): void {
    this.mark(scope, scopeId, present);
    this.events.publish({ type: 'authorization.offline-settings-changed', at: this.clock().toISOString(), scope, scopeId, present });
  }

  // --- operator ---------------------------------------------------------------------

  async setSite(siteId: string, settings: OfflineSettings): Promise<OfflineSettings> {
    await this.repo.saveSettings('site', siteId, settings, this.clock());
    this.configure('site', siteId, true);
    for (const stationId of await this.stations.inSite(siteId)) this.reconcileInBackground(stationId, true);
    return settings;
  }

  async clearSite(siteId: string): Promise<void> {
    if (!(await this.repo.removeSettings('site', siteId))) throw new CodedError('not-found', `site ${siteId} has no offline authorization settings`);
    this.configure('site', siteId, false);
  }

  siteSettings(siteId: string): Promise<OfflineSettings | null> {
    return this.repo.settings('site', siteId);
  }

  async setStation(stationId: string, settings: OfflineSettings): Promise<StationOfflineView> {
    await this.repo.saveSettings('station', stationId, settings, this.clock());
    this.configure('station', stationId, true);
    return this.reconcile(stationId, true);
  }

  async clearStation(stationId: string): Promise<StationOfflineView> {
    await this.repo.removeSettings('station', stationId);
    this.configure('station', stationId, false);
    return this.reconcile(stationId, true);
  }

  /** Current view, with pending commands settled. */
  view(stationId: string): Promise<StationOfflineView> {
    return this.lock.run(stationId, async () => {
      const { state, ...rest } = await this.load(stationId);
      const settled = await this.settle(stationId, state);
      return this.toView(stationId, rest, settled.state, settled.inFlight);
    });
  }

  /**
   * Sends what the station does not hold yet. `retryRefused`: also re-send values the
   * station refused before (an operator asked); a boot does not, so a station that
   * cannot take a setting is not asked again at every reboot.
   */
  reconcile(stationId: string, retryRefused: boolean): Promise<StationOfflineView> {
    return this.lock.run(stationId, async () => {
      const { state: stored, ...settings } = await this.load(stationId);
      const { state, inFlight } = await this.settle(stationId, stored);
      const version = await this.stations.versionOf(stationId);
      if (version) {
        for (const { setting, value } of offlineSettingsToPush(settings.effective, state.applied)) {
          if (state.pending[setting]?.value === value) continue; // already on its way
          if (!retryRefused && state.refused[setting]?.value === value) continue;
          const command = await this.commands.setConfiguration(stationId, this.keys[version][setting], String(value), PUSH_EXPIRY_SEC);
          state.pending[setting] = { value, commandId: command.id };
          inFlight.set(command.id, 'queued');
          delete state.refused[setting];
        }
      }
      await this.repo.saveStationState(stationId, state, this.clock());
      return this.toView(stationId, settings, state, inFlight);
    });
  }

  // --- internals --------------------------------------------------------------------

  private async reconcileIfConfigured(stationId: string): Promise<void> {
    const siteId = await this.stations.siteOf(stationId);
    if (!this.configured.has(`station:${stationId}`) && !(siteId && this.configured.has(`site:${siteId}`))) return;
    this.reconcileInBackground(stationId, false);
  }

  private reconcileInBackground(stationId: string, retryRefused: boolean): void {
    void this.reconcile(stationId, retryRefused).catch((error: unknown) =>
      this.log.warn({ stationId, err: (error as Error).message }, 'offline authorization settings push failed'),
    );
  }

  private async load(stationId: string) {
    const siteId = await this.stations.siteOf(stationId);
    const [site, station, state] = await Promise.all([
      siteId ? this.repo.settings('site', siteId) : Promise.resolve(null),
      this.repo.settings('station', stationId),
      this.repo.stationState(stationId),
    ]);
    return { siteId, site, station, effective: effectiveOfflineSettings(site, station), state };
  }

  /**
   * Moves finished commands out of `pending`: accepted values become applied, refusals are
   * remembered, the rest is retried. Also returns the state (queued / sent) of each command
   * still in flight, so the view needs no second lookup.
   */
  private async settle(stationId: string, state: StationOfflineState): Promise<{ state: StationOfflineState; inFlight: Map<string, string> }> {
    const next: StationOfflineState = { applied: { ...state.applied }, pending: { ...state.pending }, refused: { ...state.refused } };
    const inFlight = new Map<string, string>();
    for (const setting of OFFLINE_SETTINGS) {
      const pending = next.pending[setting];
      if (!pending) continue;
      const outcome = await this.commands.outcome(pending.commandId);
      if (outcome && (outcome.state === 'queued' || outcome.state === 'sent')) {
        inFlight.set(pending.commandId, outcome.state);
        continue;
      }
      delete next.pending[setting];
      if (outcome?.state === 'accepted') next.applied[setting] = pending.value;
      else if (outcome?.state === 'rejected') {
        // The station answered and refused: not asked again at every boot.
        next.refused[setting] = { value: pending.value, status: outcome.status ?? 'Rejected' };
        this.log.info({ stationId, setting, value: pending.value, status: outcome.status }, 'station refused an offline authorization setting');
      }
      // Failed, expired or gone (no answer: offline too long, connection lost): sent again at the next reconcile.
    }
    return { state: next, inFlight };
  }

  private toView(
    stationId: string,
    settings: { siteId: string | null; site: OfflineSettings | null; station: OfflineSettings | null; effective: EffectiveOfflineSettings },
    state: StationOfflineState,
    inFlight: ReadonlyMap<string, string>,
  ): StationOfflineView {
    const pending = OFFLINE_SETTINGS.flatMap((setting) => {
      const p = state.pending[setting];
      return p ? [{ setting, value: p.value, commandId: p.commandId, state: inFlight.get(p.commandId) ?? 'queued' }] : [];
    });
    const refused = OFFLINE_SETTINGS.flatMap((setting) => {
      const r = state.refused[setting];
      return r ? [{ setting, ...r }] : [];
    });
    return { stationId, ...settings, applied: state.applied, pending, refused };
  }
}
