/**
 * OCPP 2.0.1 -> device model: NotifyReport (B07/B08, the answer to GetBaseReport/GetReport)
 * and NotifyMonitoringReport (N02), read into the neutral shapes and always answered with an
 * empty confirmation. OCPP 2.1 keeps both messages (2.1 adds maxElements to the
 * characteristics and the monitor's origin), so device-model-ocpp21.ts reuses these handlers.
 */
import type { OcppHandlerTable, OcppRequest, OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { ACTUAL, isInt32, type ComponentRef, type ReportedVariable } from './device-model.ts';
import type { DeviceModelReportService, ReportedMonitor } from './device-model-report-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';
type NotifyReport2x = OcppRequest<'2.0.1', 'NotifyReport'> | OcppRequest<'2.1', 'NotifyReport'>;
type NotifyMonitoringReport2x = OcppRequest<'2.0.1', 'NotifyMonitoringReport'> | OcppRequest<'2.1', 'NotifyMonitoringReport'>;
type ReportData2x = NonNullable<NotifyReport2x['reportData']>[number];
type Component2x = ReportData2x['component'];

/** An EVSE or connector number outside 32 bits cannot be stored: the component is kept without it. */
const small = (n: number | undefined) => (n !== undefined && isInt32(n) ? n : null);

export function componentFrom2x(c: Component2x): ComponentRef {
  return { name: c.name, instance: c.instance ?? null, evseId: small(c.evse?.id), connectorId: small(c.evse?.connectorId) };
}

export function variablesFrom2x(reportData: readonly ReportData2x[]): ReportedVariable[] {
  return reportData.map((d) => {
    const ch = d.variableCharacteristics as (ReportData2x['variableCharacteristics'] & { maxElements?: number }) | undefined;
    return {
      component: componentFrom2x(d.component),
      variable: { name: d.variable.name, instance: d.variable.instance ?? null },
      attributes: d.variableAttribute.map((a) => ({
        // 2.0.1: an attribute without a type is the Actual one.
        type: a.type ?? ACTUAL,
        value: a.value ?? null,
        mutability: a.mutability ?? null,
        persistent: a.persistent ?? null,
        constant: a.constant ?? null,
      })),
      characteristics: ch
        ? {
            unit: ch.unit ?? null,
            dataType: ch.dataType,
            minLimit: ch.minLimit ?? null,
            maxLimit: ch.maxLimit ?? null,
            maxElements: ch.maxElements ?? null,
            valuesList: ch.valuesList ?? null,
            supportsMonitoring: ch.supportsMonitoring,
          }
        : null,
    };
  });
}

export function monitorsFrom2x(req: NotifyMonitoringReport2x): ReportedMonitor[] {
  return (req.monitor ?? []).flatMap((m) =>
    m.variableMonitoring.map((vm) => ({
      monitorId: vm.id,
      component: componentFrom2x(m.component),
      variable: { name: m.variable.name, instance: m.variable.instance ?? null },
      type: vm.type,
      value: vm.value,
      severity: vm.severity,
      transaction: vm.transaction,
      origin: (vm as { eventNotificationType?: string }).eventNotificationType ?? null,
    })),
  );
}

export function deviceModelHandlers2x(reports: DeviceModelReportService): OcppSharedHandlers<Ocpp2x, 'NotifyReport' | 'NotifyMonitoringReport'> {
  return {
    NotifyReport: async (ctx, req) => {
      await reports.receiveInventory(
        { stationId: ctx.stationId, tenantId: ctx.tenantId, at: ctx.receivedAt, log: ctx.log },
        { requestId: req.requestId, seqNo: req.seqNo, tbc: req.tbc ?? false, generatedAt: stationTime(req.generatedAt, ctx.receivedAt), variables: variablesFrom2x(req.reportData ?? []) },
      );
      return {};
    },
    NotifyMonitoringReport: async (ctx, req) => {
      await reports.receiveMonitoring(
        { stationId: ctx.stationId, tenantId: ctx.tenantId, at: ctx.receivedAt, log: ctx.log },
        { requestId: req.requestId, seqNo: req.seqNo, tbc: req.tbc ?? false, generatedAt: stationTime(req.generatedAt, ctx.receivedAt), monitors: monitorsFrom2x(req) },
      );
      return {};
    },
  };
}

export function deviceModelHandlers201(reports: DeviceModelReportService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'device-model', handlers: deviceModelHandlers2x(reports) };
}
