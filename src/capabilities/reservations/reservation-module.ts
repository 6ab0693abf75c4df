/** The reservations capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';

export interface ReservationDeps {
  stations: StationService;
  commands: CommandService;
}

export function reservationModule(_platform: Platform, _deps: ReservationDeps): CapabilityModule {
  return { name: 'reservations' };
}
