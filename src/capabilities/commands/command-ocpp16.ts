/**
 * Neutral command <-> OCPP 1.6J CALL (OCPP 1.6 chapter 5, Central System
 * initiated operations). 1.6 models each connector as its own EVSE (see the
 * stations capability): neutral evseId N is 1.6 connectorId N, and a neutral
 * connectorId, when given, must be 1.
 */
import type { CommandAnswer, CommandInput, CommandTranslator, TriggerMessage, WireCall } from './command.ts';

const call = (action: string, payload: Record<string, unknown>): WireCall => ({ ok: true, action, payload });
const cannot = (error: string): WireCall => ({ ok: false, error });

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
const TRIGGERS_16: Partial<Record<TriggerMessage, string>> = {
  BootNotification: 'BootNotification',
  DiagnosticsStatusNotification: 'DiagnosticsStatusNotification',
  LogStatusNotification: 'DiagnosticsStatusNotification',
  FirmwareStatusNotification: 'FirmwareStatusNotification',
  Heartbeat: 'Heartbeat',
  MeterValues: 'MeterValues',
  StatusNotification: 'StatusNotification',
};

export function toCall16(command: CommandInput): WireCall {
  switch (command.type) {
    case 'start': {
      const p = command.params;
      if (p.idToken.length > ID_TAG_MAX) return cannot(`an OCPP 1.6 idTag has at most ${ID_TAG_MAX} characters; idToken has ${p.idToken.length}`);
      if (p.evseId === undefined) return call('RemoteStartTransaction', { idTag: p.idToken });
      const target = connector16(p.evseId, p.connectorId);
      if (!target.ok) return cannot(target.error);
      return call('RemoteStartTransaction', { connectorId: target.connectorId, idTag: p.idToken });
    }
    case 'stop': {
      const id = command.params.ocppTransactionId ?? command.params.transactionId;
      const value = /^-?\d{1,16}$/.test(id) ? Number(id) : Number.NaN;
      if (!Number.isSafeInteger(value)) return cannot(`OCPP 1.6 transaction ids are integers; "${id}" is not one`);
      return call('RemoteStopTransaction', { transactionId: value });
    }
    case 'unlock': {
      const target = connector16(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      if (target.connectorId === 0) return cannot('OCPP 1.6 UnlockConnector needs a connector (evseId > 0)');
      return call('UnlockConnector', { connectorId: target.connectorId });
    }
    case 'reset':
      // 1.6 has no "when idle" reset; a Soft reset ends transactions gracefully first (1.6 §5.14).
      return call('Reset', { type: command.params.mode === 'hard' ? 'Hard' : 'Soft' });
    case 'changeAvailability': {
      const target = connector16(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      return call('ChangeAvailability', { connectorId: target.connectorId, type: command.params.operational ? 'Operative' : 'Inoperative' });
    }
    case 'trigger': {
      const requestedMessage = TRIGGERS_16[command.params.message];
      if (!requestedMessage) return cannot(`OCPP 1.6 TriggerMessage cannot request ${command.params.message}`);
      // No EVSE (or EVSE 0, the station): the message is about the whole Charge Point.
      if (!command.params.evseId) return call('TriggerMessage', { requestedMessage });
      const target = connector16(command.params.evseId, command.params.connectorId);
      if (!target.ok) return cannot(target.error);
      return call('TriggerMessage', { requestedMessage, connectorId: target.connectorId });
    }
    case 'getConfiguration':
      return call('GetConfiguration', command.params.keys && command.params.keys.length > 0 ? { key: command.params.keys } : {});
    case 'setConfiguration':
      return call('ChangeConfiguration', { key: command.params.key, value: command.params.value });
    case 'clearCache':
      return call('ClearCache', {});
    case 'getTransactionStatus':
      return cannot('OCPP 1.6 has no GetTransactionStatus (it came with 2.0.1, E14)');
    case 'dataTransfer': {
      const { vendorId, messageId, data } = command.params;
      const payload: Record<string, unknown> = { vendorId };
      if (messageId !== undefined) payload.messageId = messageId;
      // 1.6 DataTransfer.data is a string; structured data travels JSON-encoded.
      if (data !== undefined) payload.data = typeof data === 'string' ? data : JSON.stringify(data);
      return call('DataTransfer', payload);
    }
  }
}

interface ConfigurationKey16 {
  key: string;
  readonly: boolean;
  value?: string;
}

export function fromAnswer16(command: CommandInput, payload: Record<string, unknown>): CommandAnswer {
  switch (command.type) {
    case 'getConfiguration': {
      // GetConfiguration.conf has no status: answering is accepting (1.6 §6.27).
      const known = (payload.configurationKey as ConfigurationKey16[] | undefined) ?? [];
      return {
        status: 'Accepted',
        configuration: known.map((k) => ({ key: k.key, value: k.value ?? null, readonly: k.readonly })),
        unknownKeys: (payload.unknownKey as string[] | undefined) ?? [],
        rejectedKeys: [],
      };
    }
    case 'dataTransfer': {
      const answer: CommandAnswer = { status: String(payload.status) };
      if (payload.data !== undefined) answer.data = payload.data;
      return answer;
    }
    default:
      return { status: String(payload.status) };
  }
}

export const commandTranslator16: CommandTranslator = {
  version: '1.6',
  toCall: toCall16,
  fromAnswer: fromAnswer16,
};
