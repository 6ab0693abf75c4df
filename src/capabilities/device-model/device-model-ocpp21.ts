/** OCPP 2.1 -> device model: NotifyReport and NotifyMonitoringReport keep the 2.0.1 shapes this capability reads. */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { deviceModelHandlers2x } from './device-model-ocpp201.ts';
import type { DeviceModelReportService } from './device-model-report-service.ts';

export function deviceModelHandlers21(reports: DeviceModelReportService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'device-model', handlers: deviceModelHandlers2x(reports) };
}
