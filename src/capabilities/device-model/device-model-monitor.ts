/** Monitors, pure: what a station watches on its variables (2.0.1 N02-N08), in the CSMS's shape. */
import { isInt32, type ComponentRef, type VariableRef } from './device-model.ts';

export interface Monitor {
  stationId: string;
  tenantId: string;
  /** The station's id of the monitor. */
  monitorId: number;
  component: ComponentRef;
  variable: VariableRef;
  /** UpperThreshold, LowerThreshold, Delta, Periodic, PeriodicClockAligned (2.1 adds TargetDelta, TargetDeltaRelative). */
  type: string;
  value: number;
  /** 0 (danger) .. 9 (debug). */
  severity: number;
  /** Only while a transaction runs. */
  transaction: boolean;
  /** 2.1: HardWiredMonitor, PreconfiguredMonitor, CustomMonitor, ...; null in 2.0.1. */
  origin: string | null;
  source: 'report' | 'setVariableMonitoring';
  reportedAt: Date;
  reportId: string | null;
}

/** Why a reported monitor cannot be kept, or null. */
export function monitorProblem(m: Pick<Monitor, 'monitorId' | 'severity' | 'value'>): string | null {
  if (!isInt32(m.monitorId)) return `monitor id ${m.monitorId} is not a 32-bit integer`;
  if (!isInt32(m.severity)) return `monitor ${m.monitorId}: severity ${m.severity} is not a 32-bit integer`;
  if (!Number.isFinite(m.value)) return `monitor ${m.monitorId}: value is not a number`;
  return null;
}

/** Later descriptions of the same monitor id win within one batch. */
export function lastPerMonitor(monitors: readonly Monitor[]): Monitor[] {
  const byId = new Map<number, Monitor>();
  for (const m of monitors) {
    byId.delete(m.monitorId);
    byId.set(m.monitorId, m);
  }
  return [...byId.values()];
}
