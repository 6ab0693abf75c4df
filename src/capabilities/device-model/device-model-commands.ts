/**
 * The device-model commands' parameters as the API takes them (version-neutral words), with the
 * rules their schemas cannot state and what a complete answer to each report request covers.
 */
import type { ComponentRef, VariableRef } from './device-model.ts';
import type { ReportKind } from './device-model-report.ts';

export const REPORT_BASES = ['ConfigurationInventory', 'FullInventory', 'SummaryInventory'] as const;
export type ReportBase = (typeof REPORT_BASES)[number];

export const COMPONENT_CRITERIA = ['Active', 'Available', 'Enabled', 'Problem'] as const;
export const MONITORING_CRITERIA = ['ThresholdMonitoring', 'DeltaMonitoring', 'PeriodicMonitoring'] as const;
export const MONITOR_TYPES = ['UpperThreshold', 'LowerThreshold', 'Delta', 'Periodic', 'PeriodicClockAligned', 'TargetDelta', 'TargetDeltaRelative'] as const;
/** Monitor types 2.0.1 knows (2.1 adds TargetDelta and TargetDeltaRelative). */
export const MONITOR_TYPES_201: readonly string[] = ['UpperThreshold', 'LowerThreshold', 'Delta', 'Periodic', 'PeriodicClockAligned'];
export const MONITORING_BASES = ['All', 'FactoryDefault', 'HardWiredOnly'] as const;

/** A component (optionally on an EVSE/connector) and optionally one of its variables, as the API names them. */
export interface ComponentVariableParam {
  component: string;
  componentInstance?: string;
  evseId?: number;
  connectorId?: number;
  variable?: string;
  variableInstance?: string;
}

export interface GetBaseReportParams extends Record<string, unknown> {
  reportBase: ReportBase;
  /** Assigned by the CSMS when the command is submitted. */
  requestId?: number;
}

export interface GetReportParams extends Record<string, unknown> {
  componentCriteria?: string[];
  componentVariable?: ComponentVariableParam[];
  requestId?: number;
}

export interface GetMonitoringReportParams extends Record<string, unknown> {
  monitoringCriteria?: string[];
  componentVariable?: ComponentVariableParam[];
  requestId?: number;
}

export interface MonitorParam {
  /** An existing monitor to replace; absent: a new one. */
  id?: number;
  component: string;
  componentInstance?: string;
  evseId?: number;
  connectorId?: number;
  variable: string;
  variableInstance?: string;
  type: string;
  value: number;
  severity: number;
  transaction?: boolean;
}

export interface SetVariableMonitoringParams extends Record<string, unknown> {
  monitors: MonitorParam[];
}

export interface ClearVariableMonitoringParams extends Record<string, unknown> {
  ids: number[];
}

export interface SetMonitoringBaseParams extends Record<string, unknown> {
  monitoringBase: string;
}

export interface SetMonitoringLevelParams extends Record<string, unknown> {
  severity: number;
}

/** The neutral answer to SetVariableMonitoring: one result per monitor asked for, in order. */
export interface MonitorResult {
  id: number | null;
  status: string;
  accepted: boolean;
  component: string;
  variable: string;
  type: string;
  severity: number;
}

export interface ClearResult {
  id: number;
  status: string;
  accepted: boolean;
  /** The station no longer has it (cleared, or it did not know it). */
  gone: boolean;
}

/** A connector is addressed inside an EVSE. */
function refProblem(ref: { evseId?: number; connectorId?: number }, where: string): string | null {
  if (ref.connectorId !== undefined && ref.evseId === undefined) return `${where}: connectorId needs evseId (a connector is addressed inside an EVSE)`;
  return null;
}

export function checkComponentVariables(list: readonly ComponentVariableParam[] | undefined): string | null {
  for (const [i, item] of (list ?? []).entries()) {
    const problem = refProblem(item, `componentVariable[${i}]`);
    if (problem) return problem;
    if (item.variableInstance !== undefined && item.variable === undefined) return `componentVariable[${i}]: variableInstance needs variable`;
  }
  return null;
}

export function checkMonitors(monitors: readonly MonitorParam[]): string | null {
  for (const [i, m] of monitors.entries()) {
    const problem = refProblem(m, `monitors[${i}]`);
    if (problem) return problem;
  }
  return null;
}

/** Whether a complete answer to this request is everything the station has of its kind (so it replaces what is stored). */
export function replacesAll(kind: ReportKind, params: Record<string, unknown>): boolean {
  if (kind === 'inventory') return params.reportBase === 'FullInventory';
  const criteria = params.monitoringCriteria as unknown[] | undefined;
  const filters = params.componentVariable as unknown[] | undefined;
  return (criteria ?? []).length === 0 && (filters ?? []).length === 0;
}

/** The API's flat component/variable naming -> the core's references. */
export function componentOf(p: { component: string; componentInstance?: string; evseId?: number; connectorId?: number }): ComponentRef {
  return { name: p.component, instance: p.componentInstance ?? null, evseId: p.evseId ?? null, connectorId: p.connectorId ?? null };
}

export function variableOf(p: { variable: string; variableInstance?: string }): VariableRef {
  return { name: p.variable, instance: p.variableInstance ?? null };
}
