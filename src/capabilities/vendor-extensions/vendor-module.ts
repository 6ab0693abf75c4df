/** The vendor-extensions capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';

export interface VendorExtensionsDeps {
  stations: StationService;
  commands: CommandService;
}

export function vendorExtensionsModule(_platform: Platform, _deps: VendorExtensionsDeps): CapabilityModule {
  return { name: 'vendor-extensions' };
}
