/**
 * Device-model commands -> OCPP 2.0.1 CALLs (B07 GetBaseReport, B08 GetReport, N04
 * SetVariableMonitoring, N06 ClearVariableMonitoring, N03 SetMonitoringBase, N05
 * SetMonitoringLevel, N02 GetMonitoringReport) and the readers of their answers. OCPP 2.1 sends
 * the same messages and knows two more monitor types: `deviceModelCalls('2.1')` in
 * device-model-commands-ocpp21.ts.
 */
import { ocppCall } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type TranslatedCommand } from '../commands/index.ts';
import {
  MONITOR_TYPES_201,
  type ClearResult,
  type ClearVariableMonitoringParams,
  type ComponentVariableParam,
  type GetBaseReportParams,
  type GetMonitoringReportParams,
  type GetReportParams,
  type MonitorResult,
  type SetMonitoringBaseParams,
  type SetMonitoringLevelParams,
  type SetVariableMonitoringParams,
} from './device-model-commands.ts';

export type Ocpp2x = '2.0.1' | '2.1';

/** The station agreed to send the report, or has nothing to report (then no part follows). */
const REPORT_ACCEPTING: ReadonlySet<string> = new Set(['Accepted', 'EmptyResultSet']);
const ACCEPTING: ReadonlySet<string> = new Set(['Accepted']);
/** The overall word of a command with one result per item: all, some, or none accepted (the CSMS's own words). */
const PARTLY: ReadonlySet<string> = new Set(['Accepted', 'PartlyAccepted']);

interface StatusInfo {
  reasonCode: string;
  additionalInfo?: string;
}

function answerOf(answer: { status: string; statusInfo?: StatusInfo }) {
  const out: { status: string; reason?: { code: string; info?: string }; empty?: boolean } = { status: answer.status };
  if (answer.statusInfo) out.reason = answer.statusInfo.additionalInfo === undefined ? { code: answer.statusInfo.reasonCode } : { code: answer.statusInfo.reasonCode, info: answer.statusInfo.additionalInfo };
  if (answer.status === 'EmptyResultSet') out.empty = true;
  return out;
}

const overall = (accepted: number, total: number) => (total > 0 && accepted === total ? 'Accepted' : accepted > 0 ? 'PartlyAccepted' : 'Rejected');

function componentOf(p: { component: string; componentInstance?: string; evseId?: number; connectorId?: number }) {
  const evse = p.evseId === undefined ? undefined : p.connectorId === undefined ? { id: p.evseId } : { id: p.evseId, connectorId: p.connectorId };
  return { name: p.component, ...(p.componentInstance !== undefined ? { instance: p.componentInstance } : {}), ...(evse ? { evse } : {}) };
}

function variableOf(p: { variable?: string; variableInstance?: string }) {
  if (p.variable === undefined) return undefined;
  return { name: p.variable, ...(p.variableInstance !== undefined ? { instance: p.variableInstance } : {}) };
}

function componentVariables(list: readonly ComponentVariableParam[] | undefined) {
  return (list ?? []).map((item) => {
    const variable = variableOf(item);
    return { component: componentOf(item), ...(variable ? { variable } : {}) };
  });
}

const noRequestId = (type: string): TranslatedCommand => ({ ok: false, error: `${type} has no requestId (it is assigned when the command is submitted)` });

/** Every device-model command's CALL for one 2.x version. */
export function deviceModelCalls(v: Ocpp2x): Record<string, (params: Record<string, unknown>) => TranslatedCommand> {
  const monitorTypes = v === '2.0.1' ? MONITOR_TYPES_201 : null;
  return {
    getBaseReport: (raw) => {
      const p = raw as GetBaseReportParams;
      if (p.requestId === undefined) return noRequestId('getBaseReport');
      return commandCall(ocppCall(v, 'GetBaseReport', { requestId: p.requestId, reportBase: p.reportBase }, answerOf), REPORT_ACCEPTING);
    },
    getReport: (raw) => {
      const p = raw as GetReportParams;
      if (p.requestId === undefined) return noRequestId('getReport');
      const list = componentVariables(p.componentVariable);
      const criteria = (p.componentCriteria ?? []) as Array<'Active' | 'Available' | 'Enabled' | 'Problem'>;
      const payload = { requestId: p.requestId, ...(list.length > 0 ? { componentVariable: list } : {}), ...(criteria.length > 0 ? { componentCriteria: criteria } : {}) };
      return commandCall(ocppCall(v, 'GetReport', payload, answerOf), REPORT_ACCEPTING);
    },
    getMonitoringReport: (raw) => {
      const p = raw as GetMonitoringReportParams;
      if (p.requestId === undefined) return noRequestId('getMonitoringReport');
      const list = componentVariables(p.componentVariable);
      const criteria = (p.monitoringCriteria ?? []) as Array<'ThresholdMonitoring' | 'DeltaMonitoring' | 'PeriodicMonitoring'>;
      const payload = { requestId: p.requestId, ...(list.length > 0 ? { componentVariable: list } : {}), ...(criteria.length > 0 ? { monitoringCriteria: criteria } : {}) };
      return commandCall(ocppCall(v, 'GetMonitoringReport', payload, answerOf), REPORT_ACCEPTING);
    },
    setVariableMonitoring: (raw) => {
      const p = raw as SetVariableMonitoringParams;
      const unknown = monitorTypes ? p.monitors.find((m) => !monitorTypes.includes(m.type)) : undefined;
      if (unknown) return { ok: false, error: `OCPP ${v} has no monitor type ${unknown.type} (${(monitorTypes ?? []).join(', ')})` };
      const setMonitoringData = p.monitors.map((m) => ({
        ...(m.id !== undefined ? { id: m.id } : {}),
        ...(m.transaction !== undefined ? { transaction: m.transaction } : {}),
        value: m.value,
        // Checked above against the version's list.
        type: m.type as 'UpperThreshold',
        severity: m.severity,
        component: componentOf(m),
        variable: { name: m.variable, ...(m.variableInstance !== undefined ? { instance: m.variableInstance } : {}) },
      }));
      return commandCall(
        ocppCall(v, 'SetVariableMonitoring', { setMonitoringData }, (answer) => {
          const results: MonitorResult[] = answer.setMonitoringResult.map((r) => ({
            id: r.id ?? null,
            status: r.status,
            accepted: r.status === 'Accepted',
            component: r.component.name,
            variable: r.variable.name,
            type: r.type,
            severity: r.severity,
          }));
          return { status: overall(results.filter((r) => r.accepted).length, results.length), results };
        }),
        PARTLY,
      );
    },
    clearVariableMonitoring: (raw) => {
      const p = raw as ClearVariableMonitoringParams;
      return commandCall(
        ocppCall(v, 'ClearVariableMonitoring', { id: p.ids }, (answer) => {
          const results: ClearResult[] = answer.clearMonitoringResult.map((r) => ({ id: r.id, status: r.status, accepted: r.status === 'Accepted', gone: r.status === 'Accepted' || r.status === 'NotFound' }));
          return { status: overall(results.filter((r) => r.accepted).length, results.length), results };
        }),
        PARTLY,
      );
    },
    setMonitoringBase: (raw) => {
      const p = raw as SetMonitoringBaseParams;
      return commandCall(ocppCall(v, 'SetMonitoringBase', { monitoringBase: p.monitoringBase as 'All' | 'FactoryDefault' | 'HardWiredOnly' }, answerOf), ACCEPTING);
    },
    setMonitoringLevel: (raw) => {
      const p = raw as SetMonitoringLevelParams;
      return commandCall(ocppCall(v, 'SetMonitoringLevel', { severity: p.severity }, answerOf), ACCEPTING);
    },
  };
}
export const deviceModelCalls201 = deviceModelCalls('2.0.1');
