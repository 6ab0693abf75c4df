/**
 * Stations shell: load -> decide -> save -> publish. Serves the OCPP adapters
 * (boot, heartbeat, status, connection lifecycle) and the REST routes.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { scopedSites, scopedTenant, type TenantScope } from '../../kernel/tenant-scope.ts';
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { ClusterPort } from '../../cluster/cluster-port.ts';
import type { EventBus } from '../../cluster/event-bus.ts';
import type { BasicCredentials, ConnectionLifecycle, StationAdmission } from '../../ocpp/ocpp-ports.ts';
import { BatchQueue } from '../../storage/batch-queue.ts';
import {
  buildTopology,
  decideBoot,
  type BootDecision,
  type BootPolicy,
  type BootReport,
  type ConnectorState,
  type ConnectorStatus,
  type RegistrationStatus,
  type SecurityProfile,
  type Station,
  type StatusReport,
  type TopologyView,
} from './station.ts';
import { hashPassword, verifyPassword, VerifiedPasswordCache } from './station-password-service.ts';
import { StationPresence } from './station-presence-service.ts';
import type { BootRecord, ConnectionEvent, StationRepository, StatusHistoryEntry } from './station-repository.ts';

export interface StationServiceSettings {
  autoRegister: boolean;
  autoRegisterStatus: RegistrationStatus;
  boot: BootPolicy;
  presenceFlushMs: number;
  /** A connected station's stored last-seen time is refreshed once it is this old. */
  presenceWriteEveryMs: number;
}

export interface StationView extends Station, TopologyView {
  connected: boolean;
}

/** What stations need of the tenants capability. */
export interface StationTenants {
  readonly defaultTenantId: string;
  /** The tenant a caller's new station goes to; not-found for one it may not name. */
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
  /** Makes the site the tenant's if nobody owns it; not-found when another tenant does. */
  claimSite(siteId: string, tenantId: string): Promise<void>;
}

export interface RegisterStation {
  id: string;
  /** The owning tenant; absent: the default tenant. */
  tenantId?: string;
  password?: string;
  securityProfile?: SecurityProfile;
  siteId?: string | null;
  labels?: Record<string, string>;
  registrationStatus?: RegistrationStatus;
}

export type UpdateStation = Omit<RegisterStation, 'id' | 'password'> & { password?: string | null };

interface StatusRow {
  stationId: string;
  report: StatusReport;
  receivedAt: Date;
}

export class StationService implements ConnectionLifecycle {
  private readonly passwords = new VerifiedPasswordCache();
  private readonly presence: StationPresence;
  private readonly statusWriter: BatchQueue<StatusRow>;
  private readonly bootWriter: BatchQueue<BootRecord>;
  private readonly connectionWriter: BatchQueue<{ stationId: string } & ConnectionEvent>;
  /** What admission read of a station, for the connection that follows it (one read per connection, not two). */
  private readonly admitted = new Map<string, { registrationStatus: RegistrationStatus; siteId: string | null }>();
  /** Registration status of connected stations, for the message gate (sync lookup on every frame). */
  private readonly registration = new Map<string, RegistrationStatus>();
  /** Site of connected stations, for decisions that depend on it on the hot path (e.g. Autocharge). */
  private readonly sites = new Map<string, string | null>();
  private unsubscribe?: () => void;

  constructor(
    private readonly repo: StationRepository,
    private readonly cluster: ClusterPort,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly settings: StationServiceSettings,
    /** Which tenants exist (the tenants capability): a station is registered only into one of them. */
    private readonly tenants: StationTenants,
  ) {
    this.presence = new StationPresence(repo, settings.presenceFlushMs, (error) => log.error({ err: error }, 'last-seen flush failed'), settings.presenceWriteEveryMs);
    this.statusWriter = new BatchQueue((rows) => repo.recordStatuses(rows));
    // A reconnect storm: thousands of boots and connection events, each batch written in one statement.
    this.bootWriter = new BatchQueue((boots) => repo.recordBoots(boots));
    this.connectionWriter = new BatchQueue((events) => repo.recordConnections(events));
  }

  start(): void {
    this.presence.start();
    // In a cluster the station may be held by another node than the one that answered the REST update.
    this.unsubscribe = this.events.subscribe(
      (event, origin) => {
        if (event.type !== 'station.updated' || origin.local) return;
        if (event.registrationStatus && this.registration.has(event.stationId)) this.registration.set(event.stationId, event.registrationStatus as RegistrationStatus);
        if (event.siteId !== undefined && this.sites.has(event.stationId)) this.sites.set(event.stationId, event.siteId);
      },
      { scope: 'cluster', types: ['station.updated'] },
    );
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.statusWriter.drain();
    await this.presence.stop();
  }

  // --- OCPP connection lifecycle -------------------------------------------------

  async admit(stationId: string, credentials: BasicCredentials | null): Promise<StationAdmission> {
    let station = await this.repo.findCredentials(stationId);
    if (!station) {
      if (!this.settings.autoRegister) return { admitted: false, status: 401, reason: 'unknown station and auto-registration is off' };
      // Auto-registration (development): trust on first use. A station that
      // presents a password keeps it as its security profile 1 password.
      const passwordHash = credentials ? await hashPassword(credentials.password) : null;
      const created = {
        id: stationId,
        tenantId: this.tenants.defaultTenantId,
        passwordHash,
        securityProfile: (passwordHash ? 1 : 0) as SecurityProfile,
        siteId: null,
        registrationStatus: this.settings.autoRegisterStatus,
      };
      // Lost a race with another registration of the same id: take what was stored.
      station = (await this.repo.create({ ...created, labels: {} }, this.clock())) ? created : await this.repo.findCredentials(stationId);
      if (!station) return { admitted: false, status: 401, reason: 'station vanished during registration' };
      this.log.info({ stationId }, 'station auto-registered');
      if (credentials && station.passwordHash) this.passwords.remember(stationId, station.passwordHash, credentials.password);
    }
    if (station.passwordHash) {
      if (!credentials) return { admitted: false, status: 401, reason: 'station requires HTTP Basic credentials (security profile 1)' };
      if (!this.passwords.has(stationId, station.passwordHash, credentials.password)) {
        if (!(await verifyPassword(credentials.password, station.passwordHash))) {
          return { admitted: false, status: 401, reason: 'wrong password' };
        }
        this.passwords.remember(stationId, station.passwordHash, credentials.password);
      }
    } else if (station.securityProfile > 0) {
      return { admitted: false, status: 401, reason: `security profile ${station.securityProfile} requires a password, none is set` };
    }
    this.admitted.set(stationId, { registrationStatus: station.registrationStatus, siteId: station.siteId });
    return { admitted: true, tenantId: station.tenantId };
  }

  async connected(stationId: string, version: OcppVersion, at: Date): Promise<void> {
    this.presence.seen(stationId, at);
    const station = this.admitted.get(stationId) ?? (await this.repo.find(stationId));
    this.admitted.delete(stationId);
    this.registration.set(stationId, station?.registrationStatus ?? 'Pending');
    this.sites.set(stationId, station?.siteId ?? null);
    await this.connectionWriter.add({ stationId, event: 'connected', at, ocppVersion: version, reason: null });
    this.events.publish({ type: 'station.connected', stationId, at: at.toISOString(), ocppVersion: version });
  }

  async disconnected(stationId: string, reason: string, at: Date): Promise<void> {
    this.presence.settle(stationId);
    this.registration.delete(stationId);
    this.sites.delete(stationId);
    await this.connectionWriter.add({ stationId, event: 'disconnected', at, ocppVersion: null, reason });
    this.events.publish({ type: 'station.disconnected', stationId, at: at.toISOString(), reason });
  }

  /** Site of a connected station (null: none); undefined when it is not connected here. */
  siteOf(stationId: string): string | null | undefined {
    return this.sites.get(stationId);
  }

  /** Registration status of a connected station; undefined when not connected here. */
  registrationOf(stationId: string): RegistrationStatus | undefined {
    return this.registration.get(stationId);
  }

  /**
   * Our policy following OCPP 1.6 §4.2 and OCPP 2.0.1 B02/B03: a station
   * whose registration is Pending or Rejected may only send its boot message
   * (the OCPP edge says which call that is); anything else is answered with SecurityError until it is accepted.
   */
  refuseCall(stationId: string, call: { boot: boolean }): string | null {
    if (call.boot) return null;
    const status = this.registration.get(stationId);
    return status === 'Pending' || status === 'Rejected' ? `registration is ${status}; boot first` : null;
  }

  touch(stationId: string, at: Date): void {
    this.presence.seen(stationId, at);
  }

  // --- OCPP messages ---------------------------------------------------------------

  async boot(stationId: string, version: OcppVersion, report: BootReport, at: Date): Promise<BootDecision> {
    // Known in memory since the connection opened (and kept current by REST updates); read only if
    // the BootNotification overtook the connection bookkeeping.
    const status = this.registration.get(stationId) ?? (await this.repo.find(stationId))?.registrationStatus ?? 'Rejected';
    await this.bootWriter.add({ stationId, identity: report.identity, reason: report.reason, version, at });
    this.registration.set(stationId, status);
    this.events.publish({ type: 'station.booted', stationId, at: at.toISOString(), registrationStatus: status, reason: report.reason });
    return decideBoot(status, this.settings.boot);
  }

  async reportStatus(stationId: string, report: StatusReport, receivedAt: Date): Promise<void> {
    await this.statusWriter.add({ stationId, report, receivedAt });
    this.events.publish({
      type: 'station.status-changed',
      stationId,
      at: report.reportedAt.toISOString(),
      evseId: report.evseId,
      connectorId: report.connectorId,
      status: report.status,
      activity: report.activity,
      ocppStatus: report.ocppStatus,
    });
  }

  // --- REST ------------------------------------------------------------------------

  /** Registers a station in the named tenant, or the caller's own (a scoped caller cannot name another). */
  async register(scope: TenantScope, input: RegisterStation): Promise<StationView> {
    const tenantId = await this.tenants.writableTenant(scope, input.tenantId);
    if (input.siteId) await this.claimSite(scope, input.siteId, tenantId);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const created = await this.repo.create(
      {
        id: input.id,
        tenantId,
        passwordHash,
        securityProfile: input.securityProfile ?? (passwordHash ? 1 : 0),
        siteId: input.siteId ?? null,
        labels: input.labels ?? {},
        registrationStatus: input.registrationStatus ?? 'Accepted',
      },
      this.clock(),
    );
    if (!created) throw new CodedError('already-exists', `station ${input.id} already exists`);
    return this.get(input.id);
  }

  async get(id: string): Promise<StationView> {
    await this.statusWriter.drain();
    const station = await this.repo.find(id);
    if (!station) throw new CodedError('not-found', `station ${id} does not exist`);
    const connectors = await this.repo.connectors(id);
    return this.view(station, connectors, (await this.cluster.locate(id)) !== null);
  }

  /** Who owns a station (its tenant and site); null when there is no such station. */
  owner(id: string): Promise<{ tenantId: string; siteId: string | null } | null> {
    return this.repo.owner(id);
  }

  async list(
    scope: TenantScope,
    query: { tenantId?: string; siteId?: string; search?: string; status?: ConnectorStatus; connected?: boolean; limit: number; offset: number },
  ) {
    const own = scopedTenant(scope);
    // Asking a scoped caller's list for another tenant finds nothing, as for a tenant that does not exist.
    if (own !== null && query.tenantId !== undefined && query.tenantId !== own) return { items: [], total: 0 };
    const filter = { ...query, scope, tenantId: own ?? query.tenantId, siteIds: scopedSites(scope) ?? undefined };
    await this.statusWriter.drain();
    const connectedIds = filter.connected === undefined ? undefined : await this.cluster.connectedStationIds();
    const page = await this.repo.list({
      ...filter,
      ids: filter.connected === true ? connectedIds : undefined,
      excludeIds: filter.connected === false ? connectedIds : undefined,
    });
    const connectors = await this.repo.connectorsOf(page.items.map((s) => s.id));
    const items: StationView[] = [];
    for (const station of page.items) {
      const connected = (await this.cluster.locate(station.id)) !== null;
      items.push(this.view(station, connectors.get(station.id) ?? [], connected));
    }
    return { items, total: page.total };
  }

  /** Resolves once every status report received so far is written (readers that query the tables directly). */
  async settled(): Promise<void> {
    await this.statusWriter.drain();
  }

  async update(scope: TenantScope, id: string, changes: UpdateStation): Promise<StationView> {
    // Taking a station out of every site would take it out of a site-limited caller's reach, and out of its sites' rules.
    if (changes.siteId === null && scopedSites(scope)) throw new CodedError('forbidden', 'a caller limited to sites may not take a station out of its site');
    if (changes.siteId) {
      const owner = await this.repo.owner(id);
      if (!owner) throw new CodedError('not-found', `station ${id} does not exist`);
      await this.claimSite(scope, changes.siteId, owner.tenantId);
    }
    const passwordHash = changes.password === undefined ? undefined : changes.password === null ? null : await hashPassword(changes.password);
    const updated = await this.repo.update(
      id,
      { passwordHash, securityProfile: changes.securityProfile, siteId: changes.siteId, labels: changes.labels, registrationStatus: changes.registrationStatus },
      this.clock(),
    );
    if (!updated) throw new CodedError('not-found', `station ${id} does not exist`);
    if (passwordHash !== undefined) this.passwords.forget(id);
    if (changes.registrationStatus && this.registration.has(id)) this.registration.set(id, changes.registrationStatus);
    if (changes.siteId !== undefined && this.sites.has(id)) this.sites.set(id, changes.siteId);
    this.events.publish({ type: 'station.updated', stationId: id, at: this.clock().toISOString(), registrationStatus: changes.registrationStatus, siteId: changes.siteId });
    return this.get(id);
  }

  /** A station goes only into a site of its own tenant, and, for a caller limited to sites, one of those. */
  private async claimSite(scope: TenantScope, siteId: string, tenantId: string): Promise<void> {
    const sites = scopedSites(scope);
    if (sites && !sites.includes(siteId)) throw new CodedError('not-found', `site ${siteId} does not exist`);
    await this.tenants.claimSite(siteId, tenantId);
  }

  async remove(id: string): Promise<void> {
    await this.statusWriter.drain();
    if (!(await this.repo.remove(id))) throw new CodedError('not-found', `station ${id} does not exist`);
    this.passwords.forget(id);
    this.presence.forget(id);
    this.registration.delete(id);
    await this.cluster.disconnect(id, 'station deleted');
  }

  async statusHistory(id: string, options: { limit: number; before?: Date }): Promise<StatusHistoryEntry[]> {
    await this.statusWriter.drain();
    await this.mustExist(id);
    return this.repo.statusHistory(id, options);
  }

  async connectionHistory(id: string, options: { limit: number }): Promise<ConnectionEvent[]> {
    await this.mustExist(id);
    return this.repo.connectionHistory(id, options);
  }

  private async mustExist(id: string): Promise<void> {
    if (!(await this.repo.findCredentials(id))) throw new CodedError('not-found', `station ${id} does not exist`);
  }

  private view(station: Station, connectors: ConnectorState[], connected: boolean): StationView {
    const seen = this.presence.lastSeen(station.id);
    const lastSeenAt = seen && (!station.lastSeenAt || seen > station.lastSeenAt) ? seen : station.lastSeenAt;
    return { ...station, lastSeenAt, connected, ...buildTopology(connectors) };
  }
}
