/** The REST API's shapes as the console uses them (see docs/api.md). */

export type ConnectorStatus = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';

export interface Connector {
  id: number;
  status: ConnectorStatus;
  ocppStatus: string | null;
  errorCode: string | null;
  info: string | null;
  reportedAt: string;
}

export interface Station {
  id: string;
  ocppVersion: '1.6' | '2.0.1' | '2.1' | null;
  connected: boolean;
  lastSeenAt: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  siteId: string | null;
  registrationStatus: string;
  lastBootAt: string | null;
  lastBootReason: string | null;
  connectedAt: string | null;
  disconnectedAt: string | null;
  status: ConnectorStatus | null;
  statusDetail: { ocppStatus: string | null; errorCode: string | null; info: string | null; reportedAt: string } | null;
  evses: Array<{ id: number; connectors: Connector[] }>;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Overview {
  stations: { total: number; online: number; offline: number; faulted: number };
  connectors: { total: number; available: number; occupied: number; charging: number; reserved: number; unavailable: number; faulted: number };
  sessions: { running: number };
  energy: { todayWh: number; since: string };
  at: string;
}

export interface Transaction {
  id: string;
  stationId: string;
  ocppVersion: string;
  ocppTransactionId: string;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  idTokenType: string | null;
  state: 'active' | 'completed';
  startedAt: string | null;
  stoppedAt: string | null;
  meterStartWh: number | null;
  meterStopWh: number | null;
  lastMeterWh: number | null;
  lastMeterAt: string | null;
  energyWh: number | null;
  stopReason: string | null;
  chargingState: string | null;
  offline: boolean;
  flags: string[];
  remoteStartId: number | null;
  updatedAt: string;
}

export interface TimelineEntry {
  kind: string;
  seqNo: number | null;
  triggerReason: string | null;
  occurredAt: string;
  receivedAt: string;
  offline: boolean;
  summary: Record<string, unknown>;
}

export interface MeterSample {
  at: string;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  value: number;
  unit: string | null;
}

export interface StatusHistoryEntry {
  evseId: number;
  connectorId: number;
  status: ConnectorStatus;
  ocppStatus: string | null;
  errorCode: string | null;
  reportedAt: string;
  receivedAt: string;
}

export interface ConnectionHistoryEntry {
  event: 'connected' | 'disconnected';
  at: string;
  ocppVersion: string | null;
  reason: string | null;
}

export interface LoggedMessage {
  seq: number;
  at: string;
  direction: 'in' | 'out';
  kind: 'call' | 'result' | 'error' | 'result-error' | 'send' | 'invalid';
  messageId: string | null;
  action: string | null;
  payload: unknown;
  raw: string | null;
}

export type CommandState = 'queued' | 'sent' | 'accepted' | 'rejected' | 'failed' | 'expired';

export interface Command {
  id: string;
  stationId: string;
  type: string;
  params: Record<string, unknown>;
  state: CommandState;
  createdAt: string;
  sentAt: string | null;
  answeredAt: string | null;
  response: ({ status: string } & Record<string, unknown>) | null;
  error: string | null;
}

export interface Token {
  idToken: string;
  type: string;
  status: 'Accepted' | 'Blocked' | 'Invalid';
  expiresAt: string | null;
  groupId: string | null;
  inLocalList: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The live stream's events (the server's DomainEvent union). */
export type LiveEvent =
  | { type: 'station.connected'; stationId: string; at: string; ocppVersion: string }
  | { type: 'station.disconnected'; stationId: string; at: string; reason: string }
  | { type: 'station.booted'; stationId: string; at: string; registrationStatus: string; reason: string | null }
  | { type: 'station.status-changed'; stationId: string; at: string; evseId: number; connectorId: number; status: ConnectorStatus; ocppStatus: string | null }
  | { type: 'transaction.started' | 'transaction.updated' | 'transaction.ended'; stationId: string; at: string; transactionId: string; evseId: number | null; energyWh: number | null }
  | { type: 'command.finished'; stationId: string; at: string; commandId: string; commandType: string; state: CommandState; error: string | null };

/** GET /auth/me: who the token belongs to and what it may do (the server enforces; the console only hides). */
export interface Me {
  kind: 'admin' | 'user' | 'api-key';
  /** null for the bootstrap admin token, which is no stored account. */
  id: string | null;
  email: string | null;
  role: 'owner' | 'admin' | 'operator' | 'technician' | 'finance' | 'viewer' | null;
  /** null: every tenant. */
  tenantId: string | null;
  /** null: every site of the tenant. */
  siteIds: string[] | null;
  permissions: string[];
}

/** POST /auth/login. */
export interface LoginAnswer {
  token: string;
  expiresAt: string;
}

/** One entry of GET /audit. */
export interface AuditEntry {
  id: string;
  at: string;
  /** anonymous: a sign-in attempt; system: the CSMS itself (a command's outcome). */
  actor: { kind: 'admin' | 'user' | 'api-key' | 'system' | 'anonymous'; id: string | null; label: string };
  tenantId: string | null;
  /** The route as a template, e.g. "POST /api/v1/stations/{id}/commands", or "command reset" for a command's outcome. */
  action: string;
  stationId: string | null;
  requestId: string | null;
  /** An API call: HTTP status and problem code. A command's outcome: no status, its final state as the code. */
  outcome: { status: number | null; code: string | null };
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: string | null;
}
