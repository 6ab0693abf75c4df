/**
 * Display messages <-> OCPP 2.0.1 (functional block O: SetDisplayMessage, GetDisplayMessages,
 * NotifyDisplayMessages, ClearDisplayMessage). OCPP 2.1 sends the same messages with a longer
 * content, two more states and a QR-code format, so the translation takes those as a dialect
 * and display-message-ocpp21.ts reuses it. 2.1's `messageExtra` is not sent (and ignored when reported).
 */
import { ocppCall, type OcppHandlerTable, type OcppRequest, type OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type CommandAnswer, type TranslatedCommand } from '../commands/index.ts';
import type {
  ClearDisplayMessageParams,
  DisplayAnswer,
  DisplayFormat,
  DisplayMessageSpec,
  DisplayPriority,
  DisplayState,
  DisplayTarget,
  GetDisplayMessagesParams,
} from './display-message.ts';
import type { DisplayMessageService } from './display-message-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';
type Info201 = OcppRequest<'2.0.1', 'SetDisplayMessage'>['message'];
type Info2x = Info201 | OcppRequest<'2.1', 'SetDisplayMessage'>['message'];
type Component2x = NonNullable<Info2x['display']>;

/** What differs between 2.0.1 and 2.1 for these messages. */
export interface DisplayDialect {
  version: Ocpp2x;
  contentMax: number;
  states: Readonly<Partial<Record<DisplayState, string>>>;
  formats: Readonly<Partial<Record<DisplayFormat, string>>>;
}

const PRIORITIES: Readonly<Record<DisplayPriority, Info201['priority']>> = { alwaysFront: 'AlwaysFront', inFront: 'InFront', normalCycle: 'NormalCycle' };

export const DISPLAY_DIALECT_201: DisplayDialect = {
  version: '2.0.1',
  contentMax: 512,
  states: { charging: 'Charging', faulted: 'Faulted', idle: 'Idle', unavailable: 'Unavailable' },
  formats: { ascii: 'ASCII', html: 'HTML', uri: 'URI', utf8: 'UTF8' },
};

/** Only Accepted: every other SetDisplayMessage / ClearDisplayMessage / GetDisplayMessages status is a refusal. */
const ACCEPTING: ReadonlySet<string> = new Set(['Accepted']);
const cannot = (error: string): TranslatedCommand => ({ ok: false, error });
const reasonOf = (info: { reasonCode: string; additionalInfo?: string } | undefined) =>
  info ? (info.additionalInfo === undefined ? { reason: { code: info.reasonCode } } : { reason: { code: info.reasonCode, info: info.additionalInfo } }) : {};
/** The neutral answer; a DisplayAnswer is a status answer with, for a clear, whether the station knew the message. */
const neutral = (answer: DisplayAnswer): CommandAnswer => answer;
const reverse = <K extends string>(map: Readonly<Partial<Record<K, string>>>): ReadonlyMap<string, K> =>
  new Map(Object.entries(map).map(([neutralWord, wire]) => [wire as string, neutralWord as K]));

function toComponent(target: DisplayTarget): Component2x {
  const evse = target.evseId === undefined ? {} : { evse: target.connectorId === undefined ? { id: target.evseId } : { id: target.evseId, connectorId: target.connectorId } };
  return { name: target.name, ...(target.instance === undefined ? {} : { instance: target.instance }), ...evse };
}

export function setDisplayMessageCall(dialect: DisplayDialect) {
  const v = dialect.version;
  return (p: DisplayMessageSpec): TranslatedCommand => {
    const label = `OCPP ${v}`;
    const format = dialect.formats[p.message.format];
    if (!format) return cannot(`${label} has no message format ${p.message.format}`);
    const state = p.state === undefined ? undefined : dialect.states[p.state];
    if (p.state !== undefined && !state) return cannot(`${label} has no message state ${p.state}`);
    if (p.message.content.length > dialect.contentMax) return cannot(`${label} message content has at most ${dialect.contentMax} characters; it has ${p.message.content.length}`);
    // Format and state were checked against the dialect above: each is a word of this version.
    const message: Info201 = {
      id: p.id,
      priority: PRIORITIES[p.priority],
      message: { format: format as Info201['message']['format'], content: p.message.content, ...(p.message.language === undefined ? {} : { language: p.message.language }) },
      ...(state === undefined ? {} : { state: state as NonNullable<Info201['state']> }),
      ...(p.startDateTime === undefined ? {} : { startDateTime: p.startDateTime }),
      ...(p.endDateTime === undefined ? {} : { endDateTime: p.endDateTime }),
      ...(p.transactionId === undefined ? {} : { transactionId: p.transactionId }),
      ...(p.display === undefined ? {} : { display: toComponent(p.display) }),
    };
    return commandCall(
      ocppCall(v, 'SetDisplayMessage', { message }, (answer) => neutral({ status: answer.status, ...reasonOf(answer.statusInfo) })),
      ACCEPTING,
    );
  };
}

export function getDisplayMessagesCall(dialect: DisplayDialect) {
  const v = dialect.version;
  return (p: GetDisplayMessagesParams): TranslatedCommand => {
    if (p.requestId === undefined) return cannot('getDisplayMessages needs a requestId (assigned when submitted)');
    const state = p.state === undefined ? undefined : dialect.states[p.state];
    if (p.state !== undefined && !state) return cannot(`OCPP ${v} has no message state ${p.state}`);
    const payload = {
      requestId: p.requestId,
      ...(p.ids && p.ids.length > 0 ? { id: p.ids } : {}),
      ...(p.priority === undefined ? {} : { priority: PRIORITIES[p.priority] }),
      ...(state === undefined ? {} : { state: state as NonNullable<Info201['state']> }),
    };
    // Unknown: the station has no message matching the request, and sends no report.
    return commandCall(ocppCall(v, 'GetDisplayMessages', payload, (answer) => neutral({ status: answer.status, ...reasonOf(answer.statusInfo) })), ACCEPTING);
  };
}

export function clearDisplayMessageCall(dialect: DisplayDialect) {
  const v = dialect.version;
  return (p: ClearDisplayMessageParams): TranslatedCommand =>
    commandCall(
      ocppCall(v, 'ClearDisplayMessage', { id: p.id }, (answer) => neutral({ status: answer.status, known: answer.status !== 'Unknown', ...reasonOf(answer.statusInfo) })),
      ACCEPTING,
    );
}

/** A reported message in the API's words; `null` for a word this translation does not know (a future version's). */
function fromInfo(info: Info2x, dialect: DisplayDialect): DisplayMessageSpec | null {
  const priority = reverse(PRIORITIES).get(info.priority);
  const format = reverse(dialect.formats).get(info.message.format);
  const state = info.state === undefined ? undefined : reverse(dialect.states).get(info.state);
  if (!priority || !format || (info.state !== undefined && !state)) return null;
  const d = info.display;
  const display: DisplayTarget | undefined = d && {
    name: d.name,
    ...(d.instance === undefined ? {} : { instance: d.instance }),
    ...(d.evse === undefined ? {} : { evseId: d.evse.id, ...(d.evse.connectorId === undefined ? {} : { connectorId: d.evse.connectorId }) }),
  };
  return {
    id: info.id,
    priority,
    message: { format, content: info.message.content, ...(info.message.language === undefined ? {} : { language: info.message.language }) },
    ...(state === undefined ? {} : { state }),
    ...(info.startDateTime === undefined ? {} : { startDateTime: info.startDateTime }),
    ...(info.endDateTime === undefined ? {} : { endDateTime: info.endDateTime }),
    ...(info.transactionId === undefined ? {} : { transactionId: info.transactionId }),
    ...(display === undefined ? {} : { display }),
  };
}

export function displayMessageHandlers2x(service: DisplayMessageService, dialect: DisplayDialect): OcppSharedHandlers<Ocpp2x, 'NotifyDisplayMessages'> {
  return {
    NotifyDisplayMessages: async (ctx, request) => {
      const specs = (request.messageInfo ?? []).map((info) => fromInfo(info, dialect)).filter((spec): spec is DisplayMessageSpec => spec !== null);
      try {
        await service.reported({ stationId: ctx.stationId, tenantId: ctx.tenantId, receivedAt: ctx.receivedAt }, request.requestId, specs, request.tbc !== true);
      } catch (error) {
        // The answer has no status: a report the CSMS failed to keep is logged, the station still answered.
        ctx.log.error({ err: error, requestId: request.requestId }, 'display message report not stored');
      }
      return {};
    },
  };
}

export function displayMessageHandlers201(service: DisplayMessageService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'display-messages', handlers: displayMessageHandlers2x(service, DISPLAY_DIALECT_201) };
}
