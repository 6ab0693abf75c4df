/** The customer-information capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';

export interface CustomerInformationDeps {
  stations: StationService;
  commands: CommandService;
}

export function customerInformationModule(_platform: Platform, _deps: CustomerInformationDeps): CapabilityModule {
  return { name: 'customer-information' };
}
