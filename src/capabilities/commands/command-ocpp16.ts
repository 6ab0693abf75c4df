/**
 * Neutral command <-> OCPP 1.6J CALL (OCPP 1.6 chapter 5, Central System
 * initiated operations). 1.6 models each connector as its own EVSE (see the
 * stations capability): neutral evseId N is 1.6 connectorId N, and a neutral
 * connectorId, when given, must be 1.
 */
import { ocppCall, type OcppRequest } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type CommandInput, type CommandTranslator, type TranslatedCommand, type TriggerMessage } from './command.ts';

/**
 * 1.6 statuses by which a station says it did (or will do) what was asked: Accepted; Unlocked
 * (UnlockConnector); Scheduled (ChangeAvailability once a transaction ends); RebootRequired
 * (ChangeConfiguration stored, effective after a reboot). Every other status is a refusal.
 */
const ACCEPTING_16: ReadonlySet<string> = new Set(['Accepted', 'Unlocked', 'Scheduled', 'RebootRequired']);
const send = (call: Parameters<typeof commandCall>[0]): TranslatedCommand => commandCall(call, ACCEPTING_16);
const cannot = (error: string): TranslatedCommand => ({ ok: false, error });
/** Most 1.6 answers are a bare status. */
const statusOnly = (answer: { status: string }) => ({ status: answer.status });

/** The 1.6 idTag is a CiString20Type. */
const ID_TAG_MAX = 20;

type Connector16 = { ok: true; connectorId: number } | { ok: false; error: string };

/** Neutral EVSE/connector -> 1.6 connectorId; absent EVSE means connector 0 (the whole Charge Point). */
function connector16(evseId: number | undefined, connectorId: number | undefined): Connector16 {
  if (connectorId !== undefined && connectorId !== 1) {
    return { ok: false, error: `OCPP 1.6 has one connector per EVSE (connector N is evseId N); connectorId ${connectorId} cannot be addressed` };
  }
  return { ok: true, connectorId: evseId ?? 0 };
}

/** Trigger names that are 1.6's own, plus the 2.x LogStatusNotification, whose 1.6 counterpart is DiagnosticsStatusNotification. */
const TRIGGERS_16: Partial<Record<TriggerMessage, OcppRequest<'1.6', 'TriggerMessage'>['requestedMessage']>> = {
  boot: 'BootNotification',
  // 1.6 reports a log upload as diagnostics (2.x LogStatusNotification).
  logStatus: 'DiagnosticsStatusNotification',
  firmwareStatus: 'FirmwareStatusNotification',
  heartbeat: 'Heartbeat',
  meterValues: 'MeterValues',
  status: 'StatusNotification',
};

export function toCall16(command: CommandInput): TranslatedCommand {
  switch (command.type) {
    case 'start': {
      const p = command.params;
      if (p.idToken.length > ID_TAG_MAX) return cannot(`an OCPP 1.6 idTag has at most ${ID_TAG_MAX} characters; idToken has ${p.idToken.length}`);
      if (p.evseId === undefined) return send(ocppCall('1.6', 'RemoteStartTransaction', { idTag: p.idToken }, statusOnly));
      const target = connector16(p.evseId, p.connectorId);
      if (!target.ok) return cannot(target.error);
      return send(ocppCall('1.6', 'RemoteStartTransaction', { connectorId: target.connectorId, idTag: p.idToken }, statusOnly));
    }
    case 'stop': {
      const id = command.params.ocppTransactionId ?? command.params.transactionId;
      const value = /^-?\d{1,16}$/.test(id) ? Number(id) : Number.NaN;
      if (!Number.isSafeInteger(value)) return cannot(`OCPP 1.6 transaction ids are integers; "${id}" is not one`);
      return send(ocppCall('1.6', 'RemoteStopTransaction', { transactionId: value }, statusOnly));
    }
    case 'unlock': {
      const target = connector16(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      if (target.connectorId === 0) return cannot('OCPP 1.6 UnlockConnector needs a connector (evseId > 0)');
      return send(ocppCall('1.6', 'UnlockConnector', { connectorId: target.connectorId }, statusOnly));
    }
    case 'reset':
      // 1.6 has no "when idle" reset; a Soft reset ends transactions gracefully first (1.6 §5.14).
      return send(ocppCall('1.6', 'Reset', { type: command.params.mode === 'hard' ? 'Hard' : 'Soft' }, statusOnly));
    case 'changeAvailability': {
      const target = connector16(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      return send(ocppCall('1.6', 'ChangeAvailability', { connectorId: target.connectorId, type: command.params.operational ? 'Operative' : 'Inoperative' }, statusOnly));
    }
    case 'trigger': {
      const requestedMessage = TRIGGERS_16[command.params.message];
      if (!requestedMessage) return cannot(`OCPP 1.6 TriggerMessage cannot request ${command.params.message}`);
      // No EVSE (or EVSE 0, the station): the message is about the whole Charge Point.
      if (!command.params.evseId) return send(ocppCall('1.6', 'TriggerMessage', { requestedMessage }, statusOnly));
      const target = connector16(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      return send(ocppCall('1.6', 'TriggerMessage', { requestedMessage, connectorId: target.connectorId }, statusOnly));
    }
    case 'getConfiguration':
      return send(
        ocppCall('1.6', 'GetConfiguration', command.params.keys && command.params.keys.length > 0 ? { key: command.params.keys } : {}, (answer) => ({
          // GetConfiguration.conf has no status: answering is accepting (1.6 §6.24).
          status: 'Accepted',
          configuration: (answer.configurationKey ?? []).map((k) => ({ key: k.key, value: k.value ?? null, readonly: k.readonly })),
          unknownKeys: answer.unknownKey ?? [],
          rejectedKeys: [],
        })),
      );
    case 'setConfiguration':
      return send(ocppCall('1.6', 'ChangeConfiguration', { key: command.params.key, value: command.params.value }, statusOnly));
    case 'clearCache':
      return send(ocppCall('1.6', 'ClearCache', {}, statusOnly));
    case 'getTransactionStatus':
      return cannot('OCPP 1.6 has no GetTransactionStatus (it came with 2.0.1, E14)');
    case 'dataTransfer': {
      const { vendorId, messageId, data } = command.params;
      // 1.6 DataTransfer.data is a string; structured data travels JSON-encoded.
      const payload = {
        vendorId,
        ...(messageId !== undefined ? { messageId } : {}),
        ...(data !== undefined ? { data: typeof data === 'string' ? data : JSON.stringify(data) } : {}),
      };
      return send(ocppCall('1.6', 'DataTransfer', payload, (answer) => (answer.data !== undefined ? { status: answer.status, data: answer.data } : { status: answer.status })));
    }
  }
}

export const commandTranslator16: CommandTranslator = {
  version: '1.6',
  toCall: toCall16,
};
