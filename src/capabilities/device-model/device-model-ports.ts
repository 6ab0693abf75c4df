/** What the device-model capability needs of the capabilities built before it (narrow structural ports). */
import type { Command } from '../commands/index.ts';

export interface DeviceModelStations {
  /** The station's tenant and the version it last spoke; rejects `not-found` for an unknown station. */
  get(id: string): Promise<{ tenantId: string; ocppVersion: string | null }>;
  /** Only the station's tenant (one indexed read; null for an unknown station). */
  owner(id: string): Promise<{ tenantId: string } | null>;
}

export interface DeviceModelCommands {
  get(id: string): Promise<Command>;
}
