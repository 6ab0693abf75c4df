/**
 * Commands core: the version-neutral model of a CSMS -> station command and
 * the pure decisions about it (parameter rules, expiry, the lifecycle state
 * machine, outcome of an answer). No I/O, no clock reads, no id generation:
 * time and ids come in as values.
 *
 *   queued --sent--> sent --answered--> accepted | rejected
 *     |                 \--failed-----> failed   (CALLERROR, timeout, connection lost)
 *     |--failed-------------------->   failed   (cannot be expressed in the station's version)
 *     \--expired------------------->   expired  (not delivered before expiresAt)
 */
import type { OcppVersion } from '../../kernel/protocol-version.ts';

export const COMMAND_TYPES = [
  'start',
  'stop',
  'unlock',
  'reset',
  'changeAvailability',
  'trigger',
  'getConfiguration',
  'setConfiguration',
  'clearCache',
  'dataTransfer',
  'getTransactionStatus',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export const COMMAND_STATES = ['queued', 'sent', 'accepted', 'rejected', 'failed', 'expired'] as const;
export type CommandState = (typeof COMMAND_STATES)[number];

export const FINAL_STATES: readonly CommandState[] = ['accepted', 'rejected', 'failed', 'expired'];

export const RESET_MODES = ['soft', 'hard', 'onIdle'] as const;
export type ResetMode = (typeof RESET_MODES)[number];

/**
 * Every message any version can be asked to send, named for what it reports (the API's words,
 * not a version's action names); each adapter says which its version knows and how it spells it.
 */
export const TRIGGER_MESSAGES = [
  'boot',
  'heartbeat',
  'status',
  'meterValues',
  'transaction',
  'firmwareStatus',
  'logStatus',
  'stationCertificate',
  'v2gCertificate',
  'v2g20Certificate',
  'combinedCertificate',
  'publishFirmwareStatus',
] as const;
export type TriggerMessage = (typeof TRIGGER_MESSAGES)[number];

export interface StartParams {
  idToken: string;
  /** OCPP 2.x IdTokenEnumType (e.g. ISO14443, Central); ignored by 1.6. */
  idTokenType?: string;
  evseId?: number;
  connectorId?: number;
  /** Correlates the started transaction (2.x TransactionEvent.remoteStartId); generated when not given. */
  remoteStartId?: number;
}

export interface StopParams {
  /** The transaction as the API knows it. */
  transactionId: string;
  /** The station's own transaction id, resolved when the command is submitted. */
  ocppTransactionId?: string;
}

export interface UnlockParams {
  evseId: number;
  connectorId?: number;
}

export interface ResetParams {
  mode: ResetMode;
}

export interface ChangeAvailabilityParams {
  operational: boolean;
  /** Absent or 0: the whole station. */
  evseId?: number;
  connectorId?: number;
}

export interface TriggerParams {
  message: TriggerMessage;
  evseId?: number;
  connectorId?: number;
}

export interface GetConfigurationParams {
  /** 1.6 keys ("HeartbeatInterval"), or 2.x "Component/Variable" ("OCPPCommCtrlr/HeartbeatInterval"). */
  keys?: string[];
}

export interface SetConfigurationParams {
  key: string;
  value: string;
}

export type ClearCacheParams = Record<string, never>;

export interface DataTransferParams {
  vendorId: string;
  messageId?: string;
  /** Any JSON; sent as is to 2.x, as a string to 1.6 (JSON-encoded unless it is a string). */
  data?: unknown;
}

export interface GetTransactionStatusParams {
  /** The transaction as the API knows it; absent: only whether messages are queued at all. */
  transactionId?: string;
  /** The station's own transaction id, resolved when the command is submitted. */
  ocppTransactionId?: string;
}

export interface CommandParamsByType {
  start: StartParams;
  stop: StopParams;
  unlock: UnlockParams;
  reset: ResetParams;
  changeAvailability: ChangeAvailabilityParams;
  trigger: TriggerParams;
  getConfiguration: GetConfigurationParams;
  setConfiguration: SetConfigurationParams;
  clearCache: ClearCacheParams;
  dataTransfer: DataTransferParams;
  getTransactionStatus: GetTransactionStatusParams;
}

/** A command as requested: its type and that type's parameters. */
export type CommandInput = { [K in CommandType]: { type: K; params: CommandParamsByType[K] } }[CommandType];

/** Every answer: a status in the version's own words (Accepted, Rejected, NotSupported, ...) and, in 2.x, the station's reason. */
export interface AnswerStatus {
  status: string;
  /** 2.x statusInfo, when the station gave one. */
  reason?: { code: string; info?: string };
}

export interface ConfigurationValue {
  key: string;
  value: string | null;
  /** 1.6 says whether a key is read-only; 2.x GetVariables does not (null). */
  readonly: boolean | null;
}

/** What each command's answer carries beyond its status, in the same words for every version. */
export interface CommandAnswerByType {
  start: AnswerStatus & { transactionId?: string };
  stop: AnswerStatus;
  unlock: AnswerStatus;
  reset: AnswerStatus;
  changeAvailability: AnswerStatus;
  trigger: AnswerStatus;
  getConfiguration: AnswerStatus & { configuration: ConfigurationValue[]; unknownKeys: string[]; rejectedKeys: string[] };
  setConfiguration: AnswerStatus;
  clearCache: AnswerStatus;
  dataTransfer: AnswerStatus & { data?: unknown };
  /** `transactionOngoing` only when a transaction was named: whether the station still runs it. */
  getTransactionStatus: AnswerStatus & { messagesInQueue: boolean; transactionOngoing?: boolean };
}

export type CommandAnswer = CommandAnswerByType[CommandType];

export interface CommandRecord {
  id: string;
  stationId: string;
  state: CommandState;
  createdAt: Date;
  sentAt: Date | null;
  /** When the outcome was recorded (answer, CALLERROR, timeout, lost connection, untranslatable); null while pending and for expired. */
  answeredAt: Date | null;
  expiresAt: Date;
  response: CommandAnswer | null;
  error: string | null;
  /** How many times it went on the wire: 0 or 1 (a command is never re-sent). */
  attempts: number;
}

export type Command = CommandRecord & CommandInput;

// --- Translation port (implemented per OCPP version by command-ocpp16/201/21.ts) ---------

/** An answer read by the version adapter: neutral details, and whether the station agreed (its own status words stay in the adapter). */
export interface ReadAnswer {
  answer: CommandAnswer;
  accepted: boolean;
}

/** A call as the adapter prepared it: the service passes action and payload on untouched and reads the answer with `read`. */
export interface CommandCall {
  readonly action: string;
  readonly payload: unknown;
  read(answer: unknown): ReadAnswer;
}

/**
 * A version adapter's call whose answer is read into a neutral answer; `accepting` lists the
 * version's statuses by which a station says it did (or will do) what was asked.
 */
export function commandCall(call: { action: string; payload: unknown; read(answer: unknown): CommandAnswer }, accepting: ReadonlySet<string>): TranslatedCommand {
  return {
    ok: true,
    call: {
      action: call.action,
      payload: call.payload,
      read: (raw) => {
        const answer = call.read(raw);
        return { answer, accepted: accepting.has(answer.status) };
      },
    },
  };
}

export type TranslatedCommand = { ok: true; call: CommandCall } | { ok: false; error: string };

// --- Command kinds contributed by other capabilities ----------------------------------------

/** A command of a kind another capability registered: its type and its parameters as the REST body gave them. */
export interface ExtensionCommandInput {
  type: string;
  params: Record<string, unknown>;
}

export type AnyCommandInput = CommandInput | ExtensionCommandInput;

/**
 * A command another capability adds to the queue (reserve, getBaseReport, setDisplayMessage, ...):
 * everything the queue needs to accept, send and settle it, so the capability stays one folder.
 * The queue keeps delivering, expiring and recording it like the built-in ones.
 */
export interface CommandKind<P extends Record<string, unknown> = Record<string, unknown>> {
  readonly type: string;
  /** The REST body's parameters (TypeBox schemas, opaque here), its title and description for the API document. */
  readonly rest: { readonly description: string; readonly properties: Readonly<Record<string, unknown>> };
  /** Rules the schema cannot state: the problem, or null. */
  check?(params: P): string | null;
  /** What the CSMS fills in at submission (a request id, a reservation id); may refuse with a CodedError. */
  prepare?(stationId: string, params: P): P | Promise<P>;
  /** The CALL per version; a version without an entry cannot be sent the command (it fails `Untranslatable`). */
  readonly toCall: Readonly<Partial<Record<OcppVersion, (params: P) => TranslatedCommand>>>;
  /** Called on the node that recorded the final state (answered, failed or expired), so the capability can act on the answer. */
  settled?(command: Command): void | Promise<void>;
}

/** The translation of a contributed kind for one version, or why it cannot be sent. */
export function translateKind(kind: CommandKind, version: OcppVersion, params: Record<string, unknown>): TranslatedCommand {
  const toCall = kind.toCall[version];
  return toCall ? toCall(params) : { ok: false, error: `OCPP ${version} has no message for ${kind.type}` };
}

export interface CommandTranslator {
  readonly version: OcppVersion;
  /** The CALL that expresses the command in this version (with the reader of its answer), or why it cannot be expressed. */
  toCall(command: CommandInput): TranslatedCommand;
}

/** A command's answer in its own type's shape, or null when it has none (yet) or is of another type. */
export function answerOf<K extends CommandType>(command: Command, type: K): CommandAnswerByType[K] | null {
  return command.type === type && command.response ? (command.response as CommandAnswerByType[K]) : null;
}

// --- Decisions ---------------------------------------------------------------------------

export function isFinal(state: CommandState): boolean {
  return FINAL_STATES.includes(state);
}

/**
 * Rules the request schema cannot state. Returns the problem, or null.
 * A connector is addressed inside an EVSE, so connectorId needs evseId.
 */
export function checkCommand(input: CommandInput): string | null {
  const p = input.params as Partial<{ evseId: number; connectorId: number }>;
  if (p.connectorId !== undefined && p.evseId === undefined) return 'connectorId needs evseId (a connector is addressed inside an EVSE)';
  switch (input.type) {
    case 'getConfiguration':
      if (input.params.keys?.some((key) => key.trim() === '')) return 'keys must not be empty strings';
      return null;
    case 'setConfiguration':
      return input.params.key.trim() === '' ? 'key must not be empty' : null;
    case 'stop':
      return input.params.transactionId.trim() === '' ? 'transactionId must not be empty' : null;
    case 'getTransactionStatus':
      return input.params.transactionId?.trim() === '' ? 'transactionId must not be empty' : null;
    default:
      return null;
  }
}

export function expiryOf(createdAt: Date, expiresInSec: number): Date {
  return new Date(createdAt.getTime() + expiresInSec * 1000);
}

export function isExpired(command: Pick<CommandRecord, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= command.expiresAt.getTime();
}

export function newCommand(id: string, stationId: string, input: CommandInput, createdAt: Date, expiresInSec: number): Command {
  return {
    id,
    stationId,
    ...input,
    state: 'queued',
    createdAt,
    sentAt: null,
    answeredAt: null,
    expiresAt: expiryOf(createdAt, expiresInSec),
    response: null,
    error: null,
    attempts: 0,
  } as Command;
}

export type DeliveryDecision = 'deliver' | 'expire' | 'skip';

/** What to do with a command when its turn to be delivered comes. */
export function decideDelivery(command: Pick<CommandRecord, 'state' | 'expiresAt'>, now: Date): DeliveryDecision {
  if (command.state !== 'queued') return 'skip';
  return isExpired(command, now) ? 'expire' : 'deliver';
}

/** What the CSMS knows about a connected station's readiness to take commands. */
export interface StationReadiness {
  /** When the current connection opened. */
  connectedAt: Date;
  /** The last BootNotification the CSMS answered for this station, if any. */
  lastBoot: { at: Date; status: string } | null;
}

/**
 * A station takes commands once it has booted on this connection (Accepted
 * or Pending: OCPP 1.6 §4.2 and 2.0.1 B02 let the CSMS send requests while
 * Pending; a Rejected station does not answer), or, when it reconnected
 * without booting, once `graceMs` passed since the connection opened (a
 * station is not always listening the instant its socket opens).
 */
export function readyForCommands(station: StationReadiness, now: Date, graceMs: number): boolean {
  const boot = station.lastBoot;
  if (boot && boot.at.getTime() >= station.connectedAt.getTime()) return boot.status !== 'Rejected';
  return now.getTime() - station.connectedAt.getTime() >= graceMs;
}

export type CommandEvent =
  | { kind: 'sent'; at: Date }
  | { kind: 'answered'; at: Date; answer: CommandAnswer; accepted: boolean }
  | { kind: 'failed'; at: Date; error: string }
  | { kind: 'expired'; at: Date };

export type Transition = { ok: true; command: Command } | { ok: false; reason: string };

/** The lifecycle state machine: the command after `event`, or why the event does not apply. */
export function applyEvent(command: Command, event: CommandEvent): Transition {
  const refuse = (reason: string): Transition => ({ ok: false, reason: `${event.kind} does not apply to a ${command.state} command: ${reason}` });
  if (isFinal(command.state)) return refuse('its outcome is final');
  switch (event.kind) {
    case 'sent':
      if (command.state !== 'queued') return refuse('only a queued command is sent (never re-sent)');
      if (isExpired(command, event.at)) return refuse(`it expired at ${command.expiresAt.toISOString()}`);
      return { ok: true, command: { ...command, state: 'sent', sentAt: event.at, attempts: command.attempts + 1 } };
    case 'answered':
      if (command.state !== 'sent') return refuse('only a sent command is answered');
      return { ok: true, command: { ...command, state: event.accepted ? 'accepted' : 'rejected', answeredAt: event.at, response: event.answer, error: null } };
    case 'failed':
      return { ok: true, command: { ...command, state: 'failed', answeredAt: event.at, error: event.error } };
    case 'expired':
      if (command.state !== 'queued') return refuse('only an undelivered command expires');
      if (!isExpired(command, event.at)) return refuse(`it is valid until ${command.expiresAt.toISOString()}`);
      return { ok: true, command: { ...command, state: 'expired' } };
  }
}

/**
 * The error text of a failed delivery: the code first (a CALLERROR code, or
 * Timeout / StationOffline / InvalidRequest / QueueFull from the transport),
 * then what it means for the command.
 */
export function describeFailure(code: string, message: string): string {
  switch (code) {
    case 'Timeout':
      return `Timeout: the station did not answer (${message})`;
    case 'StationOffline':
      return `StationOffline: the connection was lost before the station answered; outcome unknown (${message})`;
    case 'InvalidRequest':
      return `InvalidRequest: the request did not pass the OCPP schema and was not sent (${message})`;
    default:
      return `${code}: ${message}`;
  }
}

export const UNKNOWN_OUTCOME = 'UnknownOutcome: the CSMS stopped while the command was sent; it is not re-sent';
