/** The reservations capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandKind, CommandService } from '../commands/index.ts';
import type { CancelParams, ReserveParams } from './reservation.ts';
import { ReservationService } from './reservation-service.ts';
import { SqlReservationRepository } from './reservation-repository-sql.ts';
import { ReservationWatch } from './reservation-watch-service.ts';
import { ReservationSweep } from './reservation-sweep-service.ts';
import { CANCEL_PROPERTIES, RESERVE_PROPERTIES, reservationRoutes } from './reservation-http.ts';
import { cancelReservationCall16, reserveCall16 } from './reservation-ocpp16.ts';
import { RESERVATION_DIALECT_201, cancelReservationCall2x, reservationHandlers201, reserveCall2x } from './reservation-ocpp201.ts';
import { RESERVATION_DIALECT_21, reservationHandlers21 } from './reservation-ocpp21.ts';

export interface ReservationDeps {
  stations: StationService;
  commands: CommandService;
}

export interface ReservationModule extends CapabilityModule {
  readonly service: ReservationService;
  readonly watch: ReservationWatch;
  readonly sweep: ReservationSweep;
}

/** How often active reservations past their expiry are marked expired. */
export const RESERVATION_SWEEP_MS = 10_000;

export function reservationModule({ db, events, clock, timers, log, node }: Platform, deps: ReservationDeps): ReservationModule {
  const repo = new SqlReservationRepository(db);
  const service = new ReservationService({ repo, commands: deps.commands, stations: deps.stations, events, clock, log });
  const watch = new ReservationWatch(service, repo, events, log);
  const lease = node.clustered ? { acquire: (ttlMs: number) => node.leases.acquire('reservations.expiry', ttlMs) } : undefined;
  const sweep = new ReservationSweep({ service, repo, clock, timers, log, lease }, RESERVATION_SWEEP_MS);

  const reserve: CommandKind<ReserveParams> = {
    type: 'reserve',
    rest: { description: 'Reserve an EVSE for a token (creates a reservation; see /stations/{id}/reservations). ReserveNow', properties: RESERVE_PROPERTIES },
    check: (params) => service.checkReserve(params),
    prepare: (stationId, params) => service.prepareReserve(stationId, params),
    toCall: {
      '1.6': reserveCall16,
      '2.0.1': (p) => reserveCall2x(RESERVATION_DIALECT_201, p),
      '2.1': (p) => reserveCall2x(RESERVATION_DIALECT_21, p),
    },
    settled: (command) => service.settleReserve(command),
  };
  const cancel: CommandKind<CancelParams> = {
    type: 'cancelReservation',
    rest: { description: 'Cancel an open reservation. CancelReservation', properties: CANCEL_PROPERTIES },
    prepare: (stationId, params) => service.prepareCancel(stationId, params),
    toCall: {
      '1.6': cancelReservationCall16,
      '2.0.1': (p) => cancelReservationCall2x(RESERVATION_DIALECT_201, p),
      '2.1': (p) => cancelReservationCall2x(RESERVATION_DIALECT_21, p),
    },
    settled: (command) => service.settleCancel(command),
  };
  deps.commands.register(reserve);
  deps.commands.register(cancel);
  // A remote start by another token on a reserved EVSE is refused before it is queued.
  deps.commands.addStartGuard({ refusal: (stationId, start) => service.startRefusal(stationId, start) });

  return {
    name: 'reservations',
    service,
    watch,
    sweep,
    ocpp: [reservationHandlers201(service), reservationHandlers21(service)],
    routes: [reservationRoutes(service)],
    owners: { reservation: (id) => (/^\d{1,10}$/.test(id) ? service.owner(Number(id)) : Promise.resolve(null)) },
    start: () => {
      watch.start();
      sweep.start();
    },
    quiesce: () => sweep.stop(),
    stop: () => watch.stop(),
  };
}
