/**
 * REST of display messages: GET /stations/{id}/display-messages (the CSMS's view of a station's
 * messages and its recent reports), and the body parameters of the three command kinds, which
 * the existing POST /stations/{id}/commands offers.
 */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import {
  CONTENT_MAX,
  DISPLAY_FORMATS,
  DISPLAY_PRIORITIES,
  DISPLAY_STATES,
  ID_MAX,
  OUTCOMES,
  REPORT_FLAGS,
  type CommandFact,
  type DisplayMessageRecord,
  type DisplayReportRecord,
  type ReportState,
} from './display-message.ts';
import type { DisplayMessageService } from './display-message-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const oneOf = (words: readonly string[], description: string) => Type.Union(words.map((w) => Type.Literal(w)), { description });
const DateTime = Type.String({ format: 'date-time' });
const MessageId = (description: string) => Type.Integer({ minimum: 0, maximum: ID_MAX, description });

const Priority = oneOf(DISPLAY_PRIORITIES, 'alwaysFront: shown before anything else; inFront: before the normal cycle; normalCycle: in turn with the others');
const State = oneOf(DISPLAY_STATES, 'Show only while the station is in this state (suspended, discharging: OCPP 2.1 only)');
const Content = Type.Object(
  {
    format: oneOf(DISPLAY_FORMATS, 'ascii, html, uri, utf8; qrCode: OCPP 2.1 only'),
    language: Type.Optional(Type.String({ minLength: 1, maxLength: 8, description: 'RFC 5646 tag, e.g. en, nl-BE' })),
    content: Type.String({ minLength: 1, maxLength: CONTENT_MAX, description: 'At most 512 characters for OCPP 2.0.1, 1024 for 2.1' }),
  },
  { additionalProperties: false },
);
const Display = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50, description: 'The display component (e.g. Display)' }),
    instance: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    evseId: Type.Optional(Type.Integer({ minimum: 0, maximum: ID_MAX })),
    connectorId: Type.Optional(Type.Integer({ minimum: 0, maximum: ID_MAX })),
  },
  { additionalProperties: false },
);

export const SET_DISPLAY_MESSAGE_PROPERTIES = {
  id: Type.Optional(MessageId('The message id; absent: the CSMS takes the next free one. Setting an existing id replaces that message')),
  priority: Priority,
  state: Type.Optional(State),
  startDateTime: Type.Optional(Type.String({ format: 'date-time', description: 'Shown from then on' })),
  endDateTime: Type.Optional(Type.String({ format: 'date-time', description: 'Removed by the station then' })),
  transactionId: Type.Optional(Type.String({ minLength: 1, maxLength: 36, description: "Shown only during this transaction: the station's own transaction id (ocppTransactionId)" })),
  message: Content,
  display: Type.Optional(Display),
};

export const GET_DISPLAY_MESSAGES_PROPERTIES = {
  ids: Type.Optional(Type.Array(MessageId('Message id'), { minItems: 1, maxItems: 100, description: 'Only these messages' })),
  priority: Type.Optional(Priority),
  state: Type.Optional(State),
};

export const CLEAR_DISPLAY_MESSAGE_PROPERTIES = { id: MessageId('The message to remove') };

const Spec = Type.Object({ ...SET_DISPLAY_MESSAGE_PROPERTIES, id: Type.Integer() });
const Fact = {
  outcome: oneOf(OUTCOMES, 'pending until the command settles; then how it did'),
  stationStatus: Nullable(Type.String({ description: "The station's own status word (Accepted, NotSupportedPriority, Unknown, ...)" })),
  at: DateTime,
  commandId: Nullable(Type.String()),
};

const MessageBody = Type.Object({
  id: Type.Integer(),
  onStation: Type.Boolean({ description: 'Whether, as far as the CSMS knows, the station holds the message now' }),
  set: Nullable(Type.Object({ ...Fact, spec: Spec }, { description: 'What the CSMS last asked to show, and how the station answered' })),
  reported: Nullable(Type.Object({ spec: Spec, at: DateTime, requestId: Type.Integer() }, { description: 'What the station last reported' })),
  cleared: Nullable(Type.Object(Fact, { description: 'The CSMS\'s last request to remove it' })),
  updatedAt: DateTime,
});

const ReportBody = Type.Object({
  requestId: Type.Integer(),
  requestedAt: Nullable(DateTime),
  filters: Type.Object(GET_DISPLAY_MESSAGES_PROPERTIES),
  state: oneOf(['requested', 'receiving', 'complete', 'noMessages', 'incomplete', 'failed'], 'incomplete: no part for 10 minutes and the last part never came'),
  parts: Type.Integer(),
  messages: Type.Integer({ description: 'Messages kept from its parts' }),
  firstPartAt: Nullable(DateTime),
  lastPartAt: Nullable(DateTime),
  flags: Type.Array(oneOf(REPORT_FLAGS, 'unrequested: for a request the CSMS never made; partAfterLast; tooManyParts; tooManyMessages')),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const factBody = (f: CommandFact) => ({ outcome: f.outcome, stationStatus: f.stationStatus, at: f.at.toISOString(), commandId: f.commandId });

const messageBody = (m: DisplayMessageRecord) => ({
  id: m.id,
  onStation: m.onStation,
  set: m.set ? { ...factBody(m.set), spec: m.set.spec } : null,
  reported: m.reported ? { spec: m.reported.spec, at: m.reported.at.toISOString(), requestId: m.reported.requestId } : null,
  cleared: m.cleared ? factBody(m.cleared) : null,
  updatedAt: m.updatedAt.toISOString(),
});

const reportBody = (r: DisplayReportRecord & { state: ReportState }) => ({
  requestId: r.requestId,
  requestedAt: iso(r.requestedAt),
  filters: r.filters,
  state: r.state,
  parts: r.parts,
  messages: r.messages,
  firstPartAt: iso(r.firstPartAt),
  lastPartAt: iso(r.lastPartAt),
  flags: r.flags,
});

export function displayMessageRoutes(service: DisplayMessageService) {
  return (app: HttpApp): void => {
    app.get(
      '/stations/:id/display-messages',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags: ['display-messages'],
          summary: "The station's display messages as the CSMS knows them (set, reported, cleared) and its recent reports",
          params: Type.Object({ id: Type.String({ pattern: stationIdPattern }) }),
          response: { 200: Type.Object({ messages: Type.Array(MessageBody), reports: Type.Array(ReportBody) }), ...errorResponses('not-found') },
        },
      },
      async (request) => {
        const view = await service.view(scopeOf(request), request.params.id);
        return { messages: view.messages.map(messageBody), reports: view.reports.map(reportBody) };
      },
    );
  };
}
