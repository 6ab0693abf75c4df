/** The station's monitors as the CSMS knows them: set and cleared through commands, reported by the station. */
import type { Clock } from '../../kernel/time.ts';
import type { Command } from '../commands/index.ts';
import { componentOf, variableOf, type ClearResult, type ClearVariableMonitoringParams, type MonitorResult, type SetVariableMonitoringParams } from './device-model-commands.ts';
import { monitorProblem, type Monitor } from './device-model-monitor.ts';
import type { DeviceModelRepository } from './device-model-repository.ts';
import type { DeviceModelStations } from './device-model-ports.ts';

export class DeviceModelMonitorService {
  constructor(private readonly deps: { repo: DeviceModelRepository; stations: DeviceModelStations; clock: Clock }) {}

  /** Monitors the station accepted are kept with the id it gave them (results come in the order asked). */
  async settleSet(command: Command): Promise<void> {
    const results = (command.response as { results?: MonitorResult[] } | null)?.results ?? [];
    const asked = (command.params as unknown as SetVariableMonitoringParams).monitors ?? [];
    const { tenantId } = await this.deps.stations.get(command.stationId);
    const at = command.answeredAt ?? this.deps.clock();
    const kept: Monitor[] = [];
    results.forEach((result, i) => {
      const param = asked[i];
      if (!result.accepted || result.id === null || !param) return;
      const monitor: Monitor = {
        stationId: command.stationId,
        tenantId,
        monitorId: result.id,
        component: componentOf(param),
        variable: variableOf(param),
        type: param.type,
        value: param.value,
        severity: param.severity,
        transaction: param.transaction ?? false,
        origin: null,
        source: 'setVariableMonitoring',
        reportedAt: at,
        reportId: null,
      };
      if (monitorProblem(monitor) === null) kept.push(monitor);
    });
    await this.deps.repo.saveMonitors(kept);
  }

  /** Monitors the station cleared (or does not know) are gone. */
  async settleClear(command: Command): Promise<void> {
    const results = (command.response as { results?: ClearResult[] } | null)?.results ?? [];
    const ids = (command.params as unknown as ClearVariableMonitoringParams).ids ?? [];
    const gone = results.filter((r) => r.gone).map((r) => r.id).filter((id) => ids.includes(id));
    await this.deps.repo.removeMonitors(command.stationId, gone);
  }

  list(stationId: string, query: { limit: number; offset: number }): Promise<{ items: Monitor[]; total: number }> {
    return this.deps.repo.listMonitors(stationId, query);
  }
}
