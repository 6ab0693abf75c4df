/** The stations storage port, named by intent. */
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { ConnectorState, ConnectorStatus, RegistrationStatus, SecurityProfile, Station, StationIdentity, StatusReport } from './station.ts';

export interface NewStation {
  id: string;
  /** Absent: the default tenant. */
  tenantId?: string;
  passwordHash: string | null;
  securityProfile: SecurityProfile;
  siteId: string | null;
  labels: Record<string, string>;
  registrationStatus: RegistrationStatus;
}

export interface StationChanges {
  passwordHash?: string | null;
  securityProfile?: SecurityProfile;
  siteId?: string | null;
  labels?: Record<string, string>;
  registrationStatus?: RegistrationStatus;
}

export interface StationFilter {
  /** The caller's scope (`ALL_TENANTS` for the platform's own reads): the read runs under row-level security for it (the predicates below still say it). */
  scope: TenantScope;
  tenantId?: string;
  siteId?: string;
  /** Only stations in one of these sites (a caller limited to sites). */
  siteIds?: readonly string[];
  search?: string;
  /** Only stations with at least one connector (or EVSE 0) in this status. */
  status?: ConnectorStatus;
  /** Only these ids (used for the connected filter, which the cluster knows). */
  ids?: string[];
  /** Never these ids (the "not connected" filter). */
  excludeIds?: string[];
  limit: number;
  offset: number;
}

export interface StatusHistoryEntry extends StatusReport {
  receivedAt: Date;
}

export interface ConnectionEvent {
  event: 'connected' | 'disconnected';
  at: Date;
  ocppVersion: OcppVersion | null;
  reason: string | null;
}

export interface BootRecord {
  stationId: string;
  identity: StationIdentity;
  reason: string | null;
  version: OcppVersion;
  at: Date;
}

/** What admitting a connection needs: credentials, and what the connection then needs (registration, site). */
export interface StationCredentials {
  id: string;
  tenantId: string;
  passwordHash: string | null;
  securityProfile: SecurityProfile;
  registrationStatus: RegistrationStatus;
  siteId: string | null;
}

export interface StationRepository {
  /** Returns false when the id is taken. */
  create(station: NewStation, now: Date): Promise<boolean>;
  find(id: string): Promise<Station | null>;
  findCredentials(id: string): Promise<StationCredentials | null>;
  /** Who owns a station (tenant and site), or null when there is no such station. */
  owner(id: string): Promise<{ tenantId: string; siteId: string | null } | null>;
  list(filter: StationFilter): Promise<{ items: Station[]; total: number }>;
  update(id: string, changes: StationChanges, now: Date): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  /** Boots of many stations in one statement (a boot storm); per station the newest wins. */
  recordBoots(boots: ReadonlyArray<BootRecord>): Promise<void>;
  /** Connection events of many stations in one statement: appended to the history, newest times on the station. */
  recordConnections(events: ReadonlyArray<{ stationId: string } & ConnectionEvent>): Promise<void>;
  /** Last-seen times are written in batches: one statement for many stations. */
  touchMany(seen: ReadonlyMap<string, Date>): Promise<void>;
  /** Upserts the current connector states and appends them to the history, in one transaction. */
  recordStatuses(reports: ReadonlyArray<{ stationId: string; report: StatusReport; receivedAt: Date }>): Promise<void>;
  connectors(id: string): Promise<ConnectorState[]>;
  connectorsOf(ids: readonly string[]): Promise<Map<string, ConnectorState[]>>;
  statusHistory(id: string, options: { limit: number; before?: Date }): Promise<StatusHistoryEntry[]>;
  connectionHistory(id: string, options: { limit: number }): Promise<ConnectionEvent[]>;
}
