/** The device-model capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandKind, CommandService } from '../commands/index.ts';
import { checkComponentVariables, checkMonitors, type ComponentVariableParam, type MonitorParam } from './device-model-commands.ts';
import { DEVICE_MODEL_COMMAND_REST, type DeviceModelCommandType } from './device-model-commands-http.ts';
import { deviceModelCalls201 } from './device-model-commands-ocpp201.ts';
import { deviceModelCalls21 } from './device-model-commands-ocpp21.ts';
import { DeviceModelConfigurationService } from './device-model-configuration-service.ts';
import { DeviceModelMigrationService } from './device-model-migration-service.ts';
import { deviceModelMigrationRoutes } from './device-model-migration-http.ts';
import { deviceModelRoutes } from './device-model-http.ts';
import { DeviceModelMonitorService } from './device-model-monitor-service.ts';
import { deviceModelHandlers201 } from './device-model-ocpp201.ts';
import { deviceModelHandlers21 } from './device-model-ocpp21.ts';
import type { ReportKind } from './device-model-report.ts';
import { DEFAULT_REPORT_SETTINGS, DeviceModelReportService, type ReportServiceSettings } from './device-model-report-service.ts';
import { SqlDeviceModelRepository } from './device-model-repository-sql.ts';

export interface DeviceModelDeps {
  stations: StationService;
  commands: CommandService;
  /** How long an open report waits for its next part (tests shorten it). */
  reports?: Partial<ReportServiceSettings>;
}

export interface DeviceModelModule extends CapabilityModule {
  readonly configuration: DeviceModelConfigurationService;
  readonly reports: DeviceModelReportService;
  readonly monitors: DeviceModelMonitorService;
  readonly migration: DeviceModelMigrationService;
}

/** Which report each report command asks for. */
const REPORT_COMMANDS: Partial<Record<DeviceModelCommandType, ReportKind>> = { getBaseReport: 'inventory', getReport: 'inventory', getMonitoringReport: 'monitoring' };

export function deviceModelModule(platform: Platform, deps: DeviceModelDeps): DeviceModelModule {
  const repo = new SqlDeviceModelRepository(platform.db);
  const log = platform.log.child({ component: 'device-model' });
  const reports = new DeviceModelReportService({ repo, stations: deps.stations, clock: platform.clock, timers: platform.timers, log }, { ...DEFAULT_REPORT_SETTINGS, ...deps.reports });
  const monitors = new DeviceModelMonitorService({ repo, stations: deps.stations, clock: platform.clock });
  const configuration = new DeviceModelConfigurationService({ repo, stations: deps.stations, commands: deps.commands, events: platform.events, log });
  const migration = new DeviceModelMigrationService({ repo, stations: deps.stations });

  for (const type of Object.keys(DEVICE_MODEL_COMMAND_REST) as DeviceModelCommandType[]) {
    const reportKind = REPORT_COMMANDS[type];
    const kind: CommandKind = {
      type,
      rest: DEVICE_MODEL_COMMAND_REST[type],
      check: (params) => {
        if (type === 'setVariableMonitoring') return checkMonitors(params.monitors as MonitorParam[]);
        return checkComponentVariables(params.componentVariable as ComponentVariableParam[] | undefined);
      },
      // 1.6 has none of these messages: the command fails as untranslatable for a 1.6 station.
      toCall: { '2.0.1': deviceModelCalls201[type], '2.1': deviceModelCalls21[type] },
      ...(reportKind
        ? { prepare: (stationId, params) => reports.prepare(reportKind, type, stationId, params), settled: (command) => reports.settle(reportKind, command) }
        : type === 'setVariableMonitoring'
          ? { settled: (command) => (command.state === 'accepted' ? monitors.settleSet(command) : undefined) }
          : type === 'clearVariableMonitoring'
            ? { settled: (command) => (command.response ? monitors.settleClear(command) : undefined) }
            : {}),
    };
    deps.commands.register(kind);
  }

  return {
    name: 'device-model',
    configuration,
    reports,
    monitors,
    migration,
    ocpp: [deviceModelHandlers201(reports), deviceModelHandlers21(reports)],
    routes: [deviceModelRoutes({ configuration, reports, monitors }), deviceModelMigrationRoutes(migration)],
    start() {
      configuration.start();
      reports.start();
    },
    async stop() {
      await reports.stop();
      await configuration.stop();
    },
  };
}
