/** REST routes for commands: submit (optionally waiting for the outcome), list a station's, get one. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CodedError } from '../../kernel/errors.ts';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { COMMAND_STATES, RESET_MODES, TRIGGER_MESSAGES, type AnyCommandInput, type Command, type CommandKind } from './command.ts';
import type { CommandService } from './command-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const DateTime = Type.String({ format: 'date-time' });

/** OCPP integers are 32-bit in practice; EVSE 0 is the station itself. */
const INT32_MAX = 2_147_483_647;
const EvseId = (description: string, minimum = 0) => Type.Integer({ minimum, maximum: INT32_MAX, description });
const ConnectorId = Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'Connector within the EVSE (needs evseId). OCPP 1.6 stations have one connector per EVSE: only 1' });

const ExpiresInSec = Type.Optional(
  Type.Integer({
    minimum: 1,
    maximum: 30 * 24 * 3600,
    description: 'Seconds the command may wait for its station; not delivered by then, it becomes `expired`. Default: commands.defaultExpirySec',
  }),
);

const command = <T extends string, P extends Record<string, TSchema>>(type: T, title: string, description: string, properties: P) =>
  Type.Object(
    { type: Type.Literal(type, { description: 'Command type' }), ...properties, expiresInSec: ExpiresInSec },
    { additionalProperties: false, title, description },
  );

const StartBody = command('start', 'start', 'Start a transaction remotely. 1.6 RemoteStartTransaction; 2.x RequestStartTransaction', {
  idToken: Type.String({ minLength: 1, maxLength: 255, description: 'Token the transaction is authorized with (1.6: at most 20 characters; 2.0.1: 36)' }),
  idTokenType: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '2.x IdTokenType (ISO14443, Central, eMAID, ...); default Central; ignored by 1.6' })),
  evseId: Type.Optional(EvseId('EVSE to start on (1.6: the connector number); absent: the station chooses', 1)),
  connectorId: Type.Optional(ConnectorId),
  remoteStartId: Type.Optional(Type.Integer({ minimum: -INT32_MAX - 1, maximum: INT32_MAX, description: '2.x remoteStartId; generated when absent' })),
});

const StopBody = command('stop', 'stop', 'Stop a transaction remotely. 1.6 RemoteStopTransaction; 2.x RequestStopTransaction', {
  transactionId: Type.String({ minLength: 1, maxLength: 64, description: 'The transaction to stop (1.6 stations need an integer id)' }),
});

const UnlockBody = command('unlock', 'unlock', 'Unlock a connector. UnlockConnector in every version', {
  evseId: EvseId('EVSE whose connector to unlock (1.6: the connector number)', 1),
  connectorId: Type.Optional(ConnectorId),
});

const ResetBody = command('reset', 'reset', 'Reboot the station. 1.6 Reset Soft/Hard; 2.x Reset Immediate/OnIdle', {
  mode: Type.Union(
    RESET_MODES.map((m) => Type.Literal(m)),
    { description: 'soft: 1.6 Soft, 2.x Immediate; hard: 1.6 Hard, 2.x Immediate; onIdle: 1.6 Soft, 2.x OnIdle (after transactions end)' },
  ),
});

const ChangeAvailabilityBody = command('changeAvailability', 'changeAvailability', 'Make the station, an EVSE or a connector (in)operative. ChangeAvailability', {
  operational: Type.Boolean({ description: 'true: Operative; false: Inoperative' }),
  evseId: Type.Optional(EvseId('EVSE (1.6: connector number); absent or 0: the whole station')),
  connectorId: Type.Optional(ConnectorId),
});

const TriggerBody = command('trigger', 'trigger', 'Ask the station to send a message now. TriggerMessage', {
  message: Type.Union(
    TRIGGER_MESSAGES.map((m) => Type.Literal(m)),
    {
      description:
        'What the station should report now: boot (BootNotification), heartbeat, status (StatusNotification), meterValues, transaction (2.x TransactionEvent), firmwareStatus, logStatus (1.6 DiagnosticsStatusNotification, 2.x LogStatusNotification), stationCertificate, v2gCertificate, v2g20Certificate (2.1), combinedCertificate, publishFirmwareStatus (2.x). A message the station\'s version lacks makes the command fail',
    },
  ),
  evseId: Type.Optional(EvseId('EVSE (1.6: connector number) the message is about')),
  connectorId: Type.Optional(ConnectorId),
});

const GetConfigurationBody = command('getConfiguration', 'getConfiguration', 'Read settings. 1.6 GetConfiguration; 2.x GetVariables', {
  keys: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 110 }), {
      maxItems: 100,
      description: '1.6 keys ("HeartbeatInterval"; none: all keys); 2.x "Component/Variable" ("OCPPCommCtrlr/HeartbeatInterval", instances as "Name[instance]"; required)',
    }),
  ),
});

const SetConfigurationBody = command('setConfiguration', 'setConfiguration', 'Change a setting. 1.6 ChangeConfiguration; 2.x SetVariables', {
  key: Type.String({ minLength: 1, maxLength: 110, description: '1.6 key, or 2.x "Component/Variable"' }),
  value: Type.String({ maxLength: 2500, description: 'New value (1.6: at most 500 characters; 2.0.1: 1000)' }),
});

const ClearCacheBody = command('clearCache', 'clearCache', 'Clear the authorization cache. ClearCache', {});

const DataTransferBody = command('dataTransfer', 'dataTransfer', 'Vendor-specific message. DataTransfer', {
  vendorId: Type.String({ minLength: 1, maxLength: 255 }),
  messageId: Type.Optional(Type.String({ maxLength: 50 })),
  data: Type.Optional(Type.Unknown({ description: 'Any JSON; 1.6 receives it as a string (JSON-encoded unless it is one)' })),
});

const GetTransactionStatusBody = command('getTransactionStatus', 'getTransactionStatus', 'Ask whether a transaction is still ongoing and messages are queued. 2.x GetTransactionStatus (1.6 has none: the command fails)', {
  transactionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The transaction to ask about; absent: only whether messages are queued' })),
});

const BUILT_IN_BODIES = [
  StartBody,
  StopBody,
  UnlockBody,
  ResetBody,
  ChangeAvailabilityBody,
  TriggerBody,
  GetConfigurationBody,
  SetConfigurationBody,
  ClearCacheBody,
  DataTransferBody,
  GetTransactionStatusBody,
];

/** The request body: one member per command, the built-in ones and those other capabilities registered. */
function submitBody(kinds: readonly CommandKind[]) {
  const contributed = kinds.map((kind) => command(kind.type, kind.type, kind.rest.description, kind.rest.properties as Record<string, TSchema>));
  return Type.Union([...BUILT_IN_BODIES, ...contributed], { description: '`type` selects the command; its parameters sit beside it' });
}

type SubmitBodyValue = Static<(typeof BUILT_IN_BODIES)[number]> | ({ type: string; expiresInSec?: number } & Record<string, unknown>);

/** A precise reason for a body that matched no command (the anyOf report names every member's complaint), explained against the member its `type` names. */
function explainBody(members: ReadonlyMap<string, TSchema>, body: unknown): string {
  const type = (body as { type?: unknown } | null)?.type;
  const member = typeof type === 'string' ? members.get(type) : undefined;
  if (!member) return `type must be one of: ${[...members.keys()].join(', ')}`;
  const problems = [...Value.Errors(member, body)].slice(0, 5).map((e) => {
    const choices = (e.schema.anyOf as TSchema[] | undefined)?.map((option) => option.const);
    const message = choices?.every((c) => typeof c === 'string') ? `must be one of: ${choices.join(', ')}` : e.message;
    return `${e.path || '(body)'}: ${message}`;
  });
  return `invalid ${type} command: ${problems.join('; ') || 'parameters do not match'}`;
}

const State = Type.Union(
  COMMAND_STATES.map((s) => Type.Literal(s)),
  { description: 'queued -> sent -> accepted | rejected | failed; queued -> expired | failed' },
);

export const CommandBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  stationId: Type.String(),
  type: Type.String(),
  params: Type.Object({}, { additionalProperties: true, description: 'The parameters as requested, plus what the CSMS filled in (remoteStartId, ocppTransactionId)' }),
  state: State,
  createdAt: DateTime,
  sentAt: Nullable(DateTime),
  answeredAt: Nullable(DateTime),
  expiresAt: DateTime,
  response: Nullable(
    Type.Object(
      {
        status: Type.String({ description: 'The station\'s status in its version\'s words (Accepted, Rejected, Unlocked, Scheduled, NotSupported, ...)' }),
        reason: Type.Optional(Type.Object({ code: Type.String(), info: Type.Optional(Type.String()) })),
      },
      { additionalProperties: true, description: 'The station\'s answer, version-neutral; details depend on the type' },
    ),
  ),
  error: Nullable(Type.String({ description: 'Why it failed: "<code>: <explanation>", code a CALLERROR code or Timeout, StationOffline, InvalidRequest, Untranslatable, UnknownOutcome' })),
  attempts: Type.Integer({ description: 'Times sent: 0 or 1 (never re-sent)' }),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function commandToBody(c: Command): Static<typeof CommandBody> {
  return {
    id: c.id,
    stationId: c.stationId,
    type: c.type,
    params: c.params as Record<string, unknown>,
    state: c.state,
    createdAt: c.createdAt.toISOString(),
    sentAt: iso(c.sentAt),
    answeredAt: iso(c.answeredAt),
    expiresAt: c.expiresAt.toISOString(),
    response: c.response,
    error: c.error,
    attempts: c.attempts,
  };
}

/** The flat request body -> the command's type and parameters. */
function inputOf(body: SubmitBodyValue): { input: AnyCommandInput; expiresInSec?: number } {
  const { type, expiresInSec, ...params } = body;
  return { input: { type, params } as AnyCommandInput, expiresInSec };
}

const StationParams = Type.Object({ id: Type.String({ pattern: stationIdPattern }) });

export function commandRoutes(service: CommandService) {
  return (app: HttpApp): void => {
    const tags = ['commands'];
    // Built when the routes are registered: every module, and so every contributed kind, exists by then.
    const body = submitBody(service.registeredKinds());
    const members = new Map<string, TSchema>(body.anyOf.map((member) => [member.properties.type.const as string, member]));
    app.post(
      '/stations/:id/commands',
      {
        config: { access: { permission: 'commands:write', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags,
          summary: 'Send a command to a station',
          description:
            'Queues the command durably; it is delivered at once when the station is connected, otherwise when it connects, in creation order. ' +
            'With ?wait=SECONDS the request waits (up to commands.maxWaitSec) for the outcome: 200 with the final command, or 202 with the current state.',
          params: StationParams,
          querystring: Type.Object({
            wait: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds to wait for the outcome (bounded by commands.maxWaitSec)' })),
          }),
          body,
          response: { 200: CommandBody, 202: CommandBody, ...errorResponses('invalid-input', 'not-found', 'conflict') },
        },
        // Body errors are explained against the command their `type` names (see explainBody).
        attachValidation: true,
      },
      async (request, reply) => {
        if (request.validationError) {
          if ((request.validationError as { validationContext?: string }).validationContext === 'body') throw new CodedError('invalid-input', explainBody(members, request.body));
          throw request.validationError;
        }
        const { input, expiresInSec } = inputOf(request.body as SubmitBodyValue);
        const created = await service.submit(request.params.id, input, { expiresInSec });
        const wait = request.query.wait ?? 0;
        if (wait <= 0) return reply.code(202).send(commandToBody(created));
        const current = await service.waitForOutcome(created.id, wait);
        const final = current.state !== 'queued' && current.state !== 'sent';
        return reply.code(final ? 200 : 202).send(commandToBody(current));
      },
    );
    app.get(
      '/stations/:id/commands',
      {
        config: { access: { permission: 'commands:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags,
          summary: 'A station\'s commands, newest first (paged)',
          params: StationParams,
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
            state: Type.Optional(State),
          }),
          response: {
            200: Type.Object({ items: Type.Array(CommandBody), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => {
        const { limit, offset, state } = request.query;
        const page = await service.list(request.params.id, { limit, offset, state });
        return { items: page.items.map(commandToBody), total: page.total, limit, offset };
      },
    );
    app.get(
      '/commands/:commandId',
      {
        config: { access: { permission: 'commands:read', owner: { kind: 'command', param: 'commandId' } } },
        schema: {
          tags,
          summary: 'One command with its state and the station\'s answer',
          params: Type.Object({ commandId: Type.String({ format: 'uuid' }) }),
          response: { 200: CommandBody, ...errorResponses('not-found') },
        },
      },
      async (request) => commandToBody(await service.get(request.params.commandId)),
    );
  };
}
