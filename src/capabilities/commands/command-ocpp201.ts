/**
 * Neutral command <-> OCPP 2.0.1 CALL (Part 2: F01 RequestStartTransaction,
 * F03 RequestStopTransaction, F05 UnlockConnector, B11/B12 Reset, G03/G04
 * ChangeAvailability, F06 TriggerMessage, B06 GetVariables, B05 SetVariables,
 * C11 ClearCache, P01 DataTransfer). OCPP 2.1 sends the same messages with a
 * few wider limits, so `commandTranslator2x` takes those limits as values and
 * command-ocpp21.ts reuses it.
 */
import { ocppCall, type OcppRequest } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type AnswerStatus, type CommandAnswer, type CommandInput, type CommandTranslator, type TranslatedCommand, type TriggerMessage } from './command.ts';

export type Ocpp2x = '2.0.1' | '2.1';
type TriggerMessage201 = OcppRequest<'2.0.1', 'TriggerMessage'>['requestedMessage'];
type TriggerMessage2x = TriggerMessage201 | OcppRequest<'2.1', 'TriggerMessage'>['requestedMessage'];

/**
 * 2.x statuses by which a station says it did (or will do) what was asked: Accepted; Unlocked
 * (UnlockConnector); Scheduled (Reset OnIdle, ChangeAvailability once a transaction ends);
 * RebootRequired (SetVariables stored, effective after a reboot). Every other status is a refusal.
 */
const ACCEPTING_2X: ReadonlySet<string> = new Set(['Accepted', 'Unlocked', 'Scheduled', 'RebootRequired']);
const send = (call: Parameters<typeof commandCall>[0]): TranslatedCommand => commandCall(call, ACCEPTING_2X);
const cannot = (error: string): TranslatedCommand => ({ ok: false, error });

/** What differs between 2.0.1 and 2.1 for these messages. */
export interface Dialect2x {
  version: Ocpp2x;
  /** IdTokenType.idToken maxLength. */
  idTokenMax: number;
  /** IdTokenType.type: an enum in 2.0.1, a free string (max 20) in 2.1. */
  idTokenTypes: readonly string[] | { maxLength: number };
  /** SetVariableDataType.attributeValue maxLength. */
  attributeValueMax: number;
  /** What TriggerMessage may request, neutral name -> this version's (2.0.1's list; 2.1 adds to it). */
  triggers: Readonly<Partial<Record<TriggerMessage, TriggerMessage2x>>>;
}

export const DIALECT_201: Dialect2x = {
  version: '2.0.1',
  idTokenMax: 36,
  idTokenTypes: ['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'],
  attributeValueMax: 1000,
  triggers: {
    boot: 'BootNotification',
    logStatus: 'LogStatusNotification',
    firmwareStatus: 'FirmwareStatusNotification',
    heartbeat: 'Heartbeat',
    meterValues: 'MeterValues',
    stationCertificate: 'SignChargingStationCertificate',
    v2gCertificate: 'SignV2GCertificate',
    status: 'StatusNotification',
    transaction: 'TransactionEvent',
    combinedCertificate: 'SignCombinedCertificate',
    publishFirmwareStatus: 'PublishFirmwareStatusNotification',
  },
};

/** A remote start names no physical token; "Central" is the 2.x type for a CSMS-issued id. */
const DEFAULT_ID_TOKEN_TYPE = 'Central';
/** Longest variable/component name and transaction id in the 2.x schemas. */
const NAME_MAX = 50;
const TRANSACTION_ID_MAX = 36;

interface ComponentVariable {
  component: { name: string; instance?: string };
  variable: { name: string; instance?: string };
}

const KEY = /^([^/[\]]+)(?:\[([^\]]+)\])?\/([^/[\]]+)(?:\[([^\]]+)\])?$/;

/** "Component[instance]/Variable[instance]" (instances optional) -> 2.x component and variable. */
export function parseVariableKey(key: string): ComponentVariable | null {
  const match = KEY.exec(key);
  if (!match) return null;
  const [, component, componentInstance, variable, variableInstance] = match as unknown as [string, string, string | undefined, string, string | undefined];
  const parts = [component, componentInstance, variable, variableInstance];
  if (parts.some((part) => part !== undefined && part.length > NAME_MAX)) return null;
  return {
    component: componentInstance ? { name: component, instance: componentInstance } : { name: component },
    variable: variableInstance ? { name: variable, instance: variableInstance } : { name: variable },
  };
}

export function formatVariableKey(ref: ComponentVariable): string {
  const c = ref.component.instance ? `${ref.component.name}[${ref.component.instance}]` : ref.component.name;
  const v = ref.variable.instance ? `${ref.variable.name}[${ref.variable.instance}]` : ref.variable.name;
  return `${c}/${v}`;
}

const keyProblem = (key: string) => `OCPP 2.x addresses settings as "Component/Variable" (e.g. "OCPPCommCtrlr/HeartbeatInterval"); "${key}" is not one`;

/** Neutral EVSE/connector -> 2.x EVSEType; absent or EVSE 0 means the whole station (no evse). */
function evseOf(evseId: number | undefined, connectorId: number | undefined): { ok: true; evse?: { id: number; connectorId?: number } } | { ok: false; error: string } {
  if (!evseId) {
    if (connectorId !== undefined) return { ok: false, error: 'a connector is addressed inside an EVSE > 0' };
    return { ok: true };
  }
  return { ok: true, evse: connectorId === undefined ? { id: evseId } : { id: evseId, connectorId } };
}

interface StatusInfo {
  reasonCode: string;
  additionalInfo?: string;
}

const reasonOf = (info: StatusInfo | undefined) =>
  info ? (info.additionalInfo === undefined ? { code: info.reasonCode } : { code: info.reasonCode, info: info.additionalInfo }) : undefined;

function withReason<T extends AnswerStatus>(answer: T, info: StatusInfo | undefined): T {
  const reason = reasonOf(info);
  return reason ? { ...answer, reason } : answer;
}

/** Most 2.x answers are a status with an optional statusInfo (other capabilities' 2.x adapters read theirs with it too). */
export const statusWithReason = (answer: { status: string; statusInfo?: StatusInfo }): AnswerStatus => withReason({ status: answer.status }, answer.statusInfo);

/**
 * Why an id token cannot be sent to a station of this dialect (too long; a type 2.0.1's enum lacks
 * or longer than 2.1's free text allows), or null. `name` says which field, for the message.
 */
export function idTokenProblem(dialect: Pick<Dialect2x, 'version' | 'idTokenMax' | 'idTokenTypes'>, idToken: string, type: string, name = 'idToken'): string | null {
  const version = `OCPP ${dialect.version}`;
  if (idToken.length > dialect.idTokenMax) return `an ${version} ${name} has at most ${dialect.idTokenMax} characters; it has ${idToken.length}`;
  const types = dialect.idTokenTypes;
  const allowed = Array.isArray(types) ? types.includes(type) : type.length <= (types as { maxLength: number }).maxLength;
  return allowed ? null : `${name} type "${type}" is not an ${version} IdTokenType (${Array.isArray(types) ? types.join(', ') : 'at most 20 characters'})`;
}

/** SetVariables statuses that mean "this station has no such setting". */
const NOT_SUPPORTED = new Set(['UnknownComponent', 'UnknownVariable', 'NotSupportedAttributeType']);

export function toCall2x(dialect: Dialect2x, command: CommandInput): TranslatedCommand {
  const version = `OCPP ${dialect.version}`;
  // Typed against what both 2.x versions accept: a payload either would refuse is a type error.
  const v = dialect.version;
  switch (command.type) {
    case 'start': {
      const p = command.params;
      const type = p.idTokenType ?? DEFAULT_ID_TOKEN_TYPE;
      const problem = idTokenProblem(dialect, p.idToken, type);
      if (problem) return cannot(problem);
      if (p.remoteStartId === undefined) return cannot(`${version} RequestStartTransaction needs a remoteStartId`);
      if (p.connectorId !== undefined && p.connectorId !== 1) {
        return cannot(`${version} RequestStartTransaction addresses an EVSE, not a connector; connectorId ${p.connectorId} cannot be expressed`);
      }
      // The type was checked against the dialect above (an enum in 2.0.1, free text in 2.1).
      const idToken = { idToken: p.idToken, type: type as OcppRequest<'2.0.1', 'RequestStartTransaction'>['idToken']['type'] };
      const payload = { idToken, remoteStartId: p.remoteStartId, ...(p.evseId !== undefined ? { evseId: p.evseId } : {}) };
      return send(
        ocppCall(v, 'RequestStartTransaction', payload, (answer) =>
          withReason(answer.transactionId !== undefined ? { status: answer.status, transactionId: answer.transactionId } : { status: answer.status }, answer.statusInfo),
        ),
      );
    }
    case 'stop': {
      const id = command.params.ocppTransactionId ?? command.params.transactionId;
      if (id.length > TRANSACTION_ID_MAX) return cannot(`${version} transaction ids have at most ${TRANSACTION_ID_MAX} characters`);
      return send(ocppCall(v, 'RequestStopTransaction', { transactionId: id }, statusWithReason));
    }
    case 'unlock':
      // 2.x requires both; an EVSE with one connector calls it connector 1.
      return send(ocppCall(v, 'UnlockConnector', { evseId: command.params.evseId, connectorId: command.params.connectorId ?? 1 }, statusWithReason));
    case 'reset':
      // 2.x has no soft/hard distinction: both are Immediate; onIdle waits for transactions to end (B12).
      return send(ocppCall(v, 'Reset', { type: command.params.mode === 'onIdle' ? 'OnIdle' : 'Immediate' }, statusWithReason));
    case 'changeAvailability': {
      const target = evseOf(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      const payload = { operationalStatus: command.params.operational ? ('Operative' as const) : ('Inoperative' as const), ...(target.evse ? { evse: target.evse } : {}) };
      return send(ocppCall(v, 'ChangeAvailability', payload, statusWithReason));
    }
    case 'trigger': {
      const requestedMessage = dialect.triggers[command.params.message];
      if (!requestedMessage) return cannot(`${version} TriggerMessage cannot request ${command.params.message}`);
      const target = evseOf(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      // The dialect lists only what its own version accepts (2.1 adds SignV2G20Certificate to 2.0.1's list).
      const payload = { requestedMessage: requestedMessage as TriggerMessage201, ...(target.evse ? { evse: target.evse } : {}) };
      return send(ocppCall(v, 'TriggerMessage', payload, statusWithReason));
    }
    case 'getConfiguration': {
      const keys = command.params.keys ?? [];
      if (keys.length === 0) return cannot(`${version} GetVariables needs keys ("Component/Variable"); reading every variable is a base report, which is not a command`);
      const getVariableData: ComponentVariable[] = [];
      for (const key of keys) {
        const ref = parseVariableKey(key);
        if (!ref) return cannot(keyProblem(key));
        getVariableData.push(ref);
      }
      return send(
        ocppCall(v, 'GetVariables', { getVariableData }, (answer) => {
          // Reading is accepted as a whole; each key has its own result.
          const read: CommandAnswer & { configuration: unknown[] } = { status: 'Accepted', configuration: [], unknownKeys: [], rejectedKeys: [] };
          for (const result of answer.getVariableResult) {
            const key = formatVariableKey(result);
            if (result.attributeStatus === 'Accepted') read.configuration.push({ key, value: result.attributeValue ?? null, readonly: null });
            else if (result.attributeStatus === 'Rejected') read.rejectedKeys.push(key);
            else read.unknownKeys.push(key);
          }
          return read;
        }),
      );
    }
    case 'setConfiguration': {
      const ref = parseVariableKey(command.params.key);
      if (!ref) return cannot(keyProblem(command.params.key));
      if (command.params.value.length > dialect.attributeValueMax) return cannot(`an ${version} attributeValue has at most ${dialect.attributeValueMax} characters`);
      return send(
        ocppCall(v, 'SetVariables', { setVariableData: [{ ...ref, attributeValue: command.params.value }] }, (answer): AnswerStatus => {
          const result = answer.setVariableResult[0];
          if (!result) return { status: 'Rejected' };
          if (NOT_SUPPORTED.has(result.attributeStatus)) {
            return { status: 'NotSupported', reason: reasonOf(result.attributeStatusInfo) ?? { code: result.attributeStatus } };
          }
          return withReason({ status: result.attributeStatus }, result.attributeStatusInfo);
        }),
      );
    }
    case 'clearCache':
      return send(ocppCall(v, 'ClearCache', {}, statusWithReason));
    case 'getTransactionStatus': {
      // E14: without a transactionId the station only says whether any message is queued.
      const id = command.params.ocppTransactionId ?? command.params.transactionId;
      if (id !== undefined && id.length > TRANSACTION_ID_MAX) return cannot(`${version} transaction ids have at most ${TRANSACTION_ID_MAX} characters`);
      return send(
        ocppCall(v, 'GetTransactionStatus', id === undefined ? {} : { transactionId: id }, (answer) =>
          // GetTransactionStatusResponse has no status: answering is accepting. ongoingIndicator only comes with a transactionId.
          answer.ongoingIndicator === undefined
            ? { status: 'Accepted', messagesInQueue: answer.messagesInQueue }
            : { status: 'Accepted', messagesInQueue: answer.messagesInQueue, transactionOngoing: answer.ongoingIndicator },
        ),
      );
    }
    case 'dataTransfer': {
      const { vendorId, messageId, data } = command.params;
      const payload = { vendorId, ...(messageId !== undefined ? { messageId } : {}), ...(data !== undefined ? { data } : {}) };
      return send(
        ocppCall(v, 'DataTransfer', payload, (answer) => withReason(answer.data !== undefined ? { status: answer.status, data: answer.data } : { status: answer.status }, answer.statusInfo)),
      );
    }
  }
}

export function commandTranslator2x(dialect: Dialect2x): CommandTranslator {
  return {
    version: dialect.version,
    toCall: (command) => toCall2x(dialect, command),
  };
}

export const commandTranslator201: CommandTranslator = commandTranslator2x(DIALECT_201);
