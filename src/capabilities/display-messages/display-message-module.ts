/** The display-messages capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';

export interface DisplayMessageDeps {
  stations: StationService;
  commands: CommandService;
}

export function displayMessageModule(_platform: Platform, _deps: DisplayMessageDeps): CapabilityModule {
  return { name: 'display-messages' };
}
