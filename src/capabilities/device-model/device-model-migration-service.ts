/**
 * The 1.6 -> 2.0.1 migration assistant's shell: what a station's last-known 1.6 configuration
 * becomes in 2.x (the key map, device-model-key-map.ts), and the settings to write once the
 * station, re-flashed, comes back on 2.x. The configuration is the one the CSMS learnt from
 * getConfiguration commands (run one without keys before the move to have every key).
 */
import { formatTarget, planMigration, summarisePlan, type ConfigEntry16, type MigrationRow } from './device-model-key-map.ts';
import { ACTUAL, type ConfigurationEntry } from './device-model.ts';
import type { DeviceModelRepository } from './device-model-repository.ts';
import type { DeviceModelStations } from './device-model-ports.ts';

/** Far above the ~50 standard keys and what vendors add; a station reporting more is planned from the first ones. */
const MAX_KEYS = 2000;

export interface MigrationPlan {
  stationId: string;
  ocppVersion: string | null;
  /** When the newest of the 1.6 values was learnt; null when the CSMS knows none. */
  basedOn: Date | null;
  summary: ReturnType<typeof summarisePlan>;
  rows: MigrationRow[];
}

export class DeviceModelMigrationService {
  constructor(private readonly deps: { repo: DeviceModelRepository; stations: DeviceModelStations }) {}

  async plan(stationId: string): Promise<MigrationPlan> {
    const station = await this.deps.stations.get(stationId);
    const entries = await this.stored16(stationId);
    const rows = planMigration(entries.map(toConfig16));
    const basedOn = entries.reduce<Date | null>((latest, e) => (latest === null || e.reportedAt > latest ? e.reportedAt : latest), null);
    return { stationId, ocppVersion: station.ocppVersion, basedOn, summary: summarisePlan(rows), rows };
  }

  /**
   * The settings to write after the move, as setConfiguration keys ("Component[instance]/Variable[instance]"):
   * the rows the plan applies, without those bound to an EVSE or a characteristic (the command's key cannot name them).
   */
  async settingsAfterMove(stationId: string): Promise<{ key: string; value: string }[]> {
    const rows = planMigration((await this.stored16(stationId)).map(toConfig16));
    return rows
      .filter((row) => row.apply)
      .flatMap((row) => row.assignments)
      .filter((a) => a.target.component.evse === undefined && a.target.characteristic === undefined)
      .map((a) => ({ key: formatTarget(a.target), value: a.value }));
  }

  private async stored16(stationId: string): Promise<ConfigurationEntry[]> {
    return (await this.deps.repo.listEntries(stationId, { dialect: '1.6', limit: MAX_KEYS, offset: 0 })).items;
  }
}

function toConfig16(entry: ConfigurationEntry): ConfigEntry16 {
  const actual = entry.attributes.find((a) => a.type === ACTUAL) ?? entry.attributes[0];
  return { key: entry.key, value: actual?.value ?? null, readonly: entry.readonly === true };
}
