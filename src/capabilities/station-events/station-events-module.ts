/** The station-events capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';

export interface StationEventsDeps {
  stations: StationService;
  commands: CommandService;
}

export function stationEventsModule(_platform: Platform, _deps: StationEventsDeps): CapabilityModule {
  return { name: 'station-events' };
}
