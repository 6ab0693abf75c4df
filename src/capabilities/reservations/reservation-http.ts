/** REST routes for reservations: create (queues the reserve command), list a station's, get one, cancel. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { RESERVATION_STATES, type Reservation, type ReservationRequest } from './reservation.ts';
import type { ReservationService } from './reservation-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const INT32_MAX = 2_147_483_647;
const DateTime = Type.String({ format: 'date-time' });

/** The parameters of a reservation: the REST body, and the `reserve` command's parameters. */
export const RESERVE_PROPERTIES = {
  evseId: Type.Optional(Type.Integer({ minimum: 0, maximum: INT32_MAX, description: 'EVSE to reserve (1.6: the connector); absent or 0: any (1.6 connector 0, which the station must support)' })),
  connectorType: Type.Optional(
    Type.String({ minLength: 1, maxLength: 20, description: '2.x: reserve an EVSE with a connector of this type (2.0.1 ConnectorEnumType: cCCS2, cType2, ...); 1.6 cannot: the command fails' }),
  ),
  idToken: Type.String({ minLength: 1, maxLength: 255, description: 'Token the reservation is for (1.6: at most 20 characters; 2.0.1: 36)' }),
  idTokenType: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '2.x IdTokenType (ISO14443, Central, eMAID, ...); default Central; ignored by 1.6' })),
  groupIdToken: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Group token that may also use the reservation (1.6 parentIdTag; 2.x groupIdToken)' })),
  groupIdTokenType: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '2.x IdTokenType of groupIdToken; default Central' })),
  expiresAt: Type.String({ format: 'date-time', description: 'When the reservation ends (1.6 expiryDate; 2.x expiryDateTime); must be in the future' }),
};

export const CANCEL_PROPERTIES = {
  reservationId: Type.Integer({ minimum: 0, maximum: INT32_MAX, description: 'The reservation to cancel (CancelReservation); it must be open on the station' }),
};

const State = Type.Union(
  RESERVATION_STATES.map((s) => Type.Literal(s)),
  { description: 'requested -> active (station Accepted) | refused (Faulted, Occupied, Rejected, Unavailable) | failed; active -> used | cancelled | expired | removed' },
);

export const ReservationBody = Type.Object({
  id: Type.Integer({ description: 'The reservation id the CSMS assigned (OCPP reservationId)' }),
  stationId: Type.String(),
  evseId: Nullable(Type.Integer({ description: 'null: any EVSE' })),
  connectorType: Nullable(Type.String()),
  idToken: Type.String(),
  idTokenType: Nullable(Type.String()),
  groupIdToken: Nullable(Type.String()),
  groupIdTokenType: Nullable(Type.String()),
  expiresAt: DateTime,
  state: State,
  reason: Nullable(Type.String({ description: 'Why it was refused, failed or ended: the station\'s status (Occupied, Expired, Removed, ...) or the command\'s error' })),
  commandId: Nullable(Type.String({ description: 'The reserve command (GET /api/v1/commands/{id})' })),
  transactionId: Nullable(Type.String({ description: 'The transaction that used it' })),
  violations: Type.Array(
    Type.Object({ transactionId: Type.String(), evseId: Nullable(Type.Integer()), idToken: Nullable(Type.String()), at: DateTime }),
    { description: 'Transactions another token started on the reserved EVSE while the reservation was active' },
  ),
  createdAt: DateTime,
  updatedAt: DateTime,
  endedAt: Nullable(DateTime),
});

export function reservationToBody(r: Reservation): Static<typeof ReservationBody> {
  return {
    id: r.id,
    stationId: r.stationId,
    evseId: r.evseId,
    connectorType: r.connectorType,
    idToken: r.idToken,
    idTokenType: r.idTokenType,
    groupIdToken: r.groupIdToken,
    groupIdTokenType: r.groupIdTokenType,
    expiresAt: r.expiresAt.toISOString(),
    state: r.state,
    reason: r.reason,
    commandId: r.commandId,
    transactionId: r.transactionId,
    violations: r.violations.map((v) => ({ ...v, at: v.at.toISOString() })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    endedAt: r.endedAt ? r.endedAt.toISOString() : null,
  };
}

const WithCommand = Type.Object({
  reservation: ReservationBody,
  command: Type.Object({ id: Type.String(), state: Type.String() }, { additionalProperties: true, description: 'The command that carries the request (GET /api/v1/commands/{id})' }),
});

const Wait = Type.Object({
  wait: Type.Optional(Type.Number({ minimum: 0, description: "Seconds to wait for the station's answer (bounded by commands.maxWaitSec)" })),
});

const StationParams = Type.Object({ id: Type.String({ pattern: stationIdPattern }) });
const ReservationParams = Type.Object({ reservationId: Type.Integer({ minimum: 0, maximum: INT32_MAX }) });

const commandSummary = (c: { id: string; state: string; response: unknown; error: string | null }) => ({ id: c.id, state: c.state, response: c.response, error: c.error });

export function reservationRoutes(service: ReservationService) {
  return (app: HttpApp): void => {
    const tags = ['reservations'];
    app.post(
      '/stations/:id/reservations',
      {
        config: { access: { permission: 'commands:write', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags,
          summary: 'Reserve an EVSE (or any) of a station for a token',
          description:
            'Creates the reservation (state requested, id assigned by the CSMS) and queues the `reserve` command (1.6 and 2.x ReserveNow), ' +
            'delivered like every command; the station\'s answer makes it active or refused. With ?wait=SECONDS the request waits for the answer.',
          params: StationParams,
          querystring: Wait,
          body: Type.Object(RESERVE_PROPERTIES, { additionalProperties: false }),
          response: { 201: WithCommand, ...errorResponses('invalid-input', 'not-found') },
        },
      },
      async (request, reply) => {
        const { reservation, command } = await service.create(request.params.id, request.body as ReservationRequest, request.query.wait ?? 0);
        return reply.code(201).send({ reservation: reservationToBody(reservation), command: commandSummary(command) });
      },
    );
    app.get(
      '/stations/:id/reservations',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags,
          summary: "A station's reservations, newest first (paged), and which reservation holds each Reserved connector",
          params: StationParams,
          querystring: Type.Object({
            state: Type.Optional(State),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(ReservationBody),
              total: Type.Integer(),
              reservedConnectors: Type.Array(
                Type.Object({ evseId: Type.Integer(), connectorId: Type.Integer(), reservationId: Nullable(Type.Integer({ description: 'null: no active reservation the CSMS knows of' })) }),
                { description: 'Connectors whose last status is Reserved, with the active reservation that holds each' },
              ),
            }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => {
        const page = await service.list(request.params.id, request.query);
        return { items: page.items.map(reservationToBody), total: page.total, reservedConnectors: page.reservedConnectors };
      },
    );
    app.get(
      '/reservations/:reservationId',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'reservation', param: 'reservationId' } } },
        schema: { tags, summary: 'One reservation', params: ReservationParams, response: { 200: ReservationBody, ...errorResponses('not-found') } },
      },
      async (request) => reservationToBody(await service.get(request.params.reservationId)),
    );
    app.delete(
      '/reservations/:reservationId',
      {
        config: { access: { permission: 'commands:write', owner: { kind: 'reservation', param: 'reservationId' } } },
        schema: {
          tags,
          summary: 'Cancel a reservation',
          description: 'Queues the `cancelReservation` command (CancelReservation); Accepted makes the reservation cancelled. With ?wait=SECONDS the request waits for the answer.',
          params: ReservationParams,
          querystring: Wait,
          response: { 202: WithCommand, ...errorResponses('not-found', 'conflict') },
        },
      },
      async (request, reply) => {
        const { reservation, command } = await service.cancel(request.params.reservationId, request.query.wait ?? 0);
        return reply.code(202).send({ reservation: reservationToBody(reservation), command: commandSummary(command) });
      },
    );
  };
}
