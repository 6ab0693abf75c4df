/** The device-model capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandService } from '../commands/index.ts';

export interface DeviceModelDeps {
  stations: StationService;
  commands: CommandService;
}

export function deviceModelModule(_platform: Platform, _deps: DeviceModelDeps): CapabilityModule {
  return { name: 'device-model' };
}
