/**
 * What a load-client station sends next in the paced (open-loop) phase, by
 * profile, and what it learns from the answers:
 *  - heartbeat: Heartbeats only;
 *  - mix:       of every 5 messages, 3 Heartbeats, 1 Authorize, 1 StatusNotification;
 *  - steady:    charging sessions, per station in turn: Authorize, StartTransaction,
 *               `meterValuesPerSession` MeterValues of 10 sampled values each,
 *               StopTransaction, then a Heartbeat and a StatusNotification (OCPP 1.6).
 * Answers are counted per message kind, so a benchmark can report the
 * Authorize or transaction round trips alone.
 */
import { authorizeFrame, heartbeatFrame, statusFrame, type LoadProfile, type Subprotocol } from './protocol.ts';

export type { LoadProfile };

export interface ScriptState {
  step: number;
  transactionId: number | null;
  meterWh: number;
  idTag: string;
}

export const newScriptState = (): ScriptState => ({ step: 0, transactionId: null, meterWh: 0, idTag: '' });

let counter = 0;

export function nextMessage(profile: LoadProfile, protocol: Subprotocol, state: ScriptState, messageId: string): { frame: string; kind: string } {
  if (profile.name === 'heartbeat') return { frame: heartbeatFrame(messageId), kind: 'Heartbeat' };
  counter += 1;
  if (profile.name === 'mix') {
    const slot = counter % 5;
    if (slot === 3) return { frame: authorizeFrame(protocol, messageId, `${profile.tokenPrefix}${counter % profile.tokens}`), kind: 'Authorize' };
    if (slot === 4) return { frame: statusFrame(protocol, messageId, 1), kind: 'StatusNotification' };
    return { frame: heartbeatFrame(messageId), kind: 'Heartbeat' };
  }
  // steady: one session after the other on connector 1.
  const cycle = profile.meterValuesPerSession + 5;
  const step = state.step++ % cycle;
  const now = new Date().toISOString();
  if (step === 0) {
    state.idTag = `${profile.tokenPrefix}${counter % profile.tokens}`;
    return { frame: authorizeFrame(protocol, messageId, state.idTag), kind: 'Authorize' };
  }
  if (step === 1) {
    state.transactionId = null;
    return call(messageId, 'StartTransaction', { connectorId: 1, idTag: state.idTag, meterStart: Math.round(state.meterWh), timestamp: now }, 'StartTransaction');
  }
  if (step < 2 + profile.meterValuesPerSession) {
    state.meterWh += 250;
    const payload: Record<string, unknown> = { connectorId: 1, meterValue: [{ timestamp: now, sampledValue: samples(state.meterWh) }] };
    if (state.transactionId !== null) payload.transactionId = state.transactionId;
    return call(messageId, 'MeterValues', payload, 'MeterValues');
  }
  if (step === 2 + profile.meterValuesPerSession) {
    const payload: Record<string, unknown> = { transactionId: state.transactionId ?? 0, meterStop: Math.round(state.meterWh), timestamp: now, reason: 'EVDisconnected' };
    return call(messageId, 'StopTransaction', payload, 'StopTransaction');
  }
  if (step === 3 + profile.meterValuesPerSession) return { frame: heartbeatFrame(messageId), kind: 'Heartbeat' };
  return { frame: statusFrame(protocol, messageId, 1), kind: 'StatusNotification' };
}

/** Learns from an answer (the 1.6 transaction id); returns false when an id token was not Accepted. */
export function onAnswer(kind: string, state: ScriptState, data: Buffer): boolean {
  if (kind === 'StartTransaction') {
    const payload = (JSON.parse(data.toString()) as [number, string, { transactionId?: number }])[2];
    state.transactionId = payload?.transactionId ?? null;
  }
  return kind !== 'Authorize' && kind !== 'StartTransaction' ? true : data.includes('"Accepted"');
}

function call(messageId: string, action: string, payload: unknown, kind: string) {
  return { frame: JSON.stringify([2, messageId, action, payload]), kind };
}

/** Ten sampled values, as a three-phase AC charger reports them (1.6 values are strings). */
function samples(wh: number) {
  const v = (measurand: string, value: number, unit: string, phase?: string) => ({ value: String(value), measurand, unit, context: 'Sample.Periodic', location: 'Outlet', ...(phase ? { phase } : {}) });
  return [
    v('Energy.Active.Import.Register', Math.round(wh), 'Wh'),
    v('Power.Active.Import', 11000, 'W'),
    ...['L1', 'L2', 'L3'].flatMap((phase) => [v('Current.Import', 16, 'A', phase), v('Voltage', 230, 'V', phase)]),
    v('SoC', 55, 'Percent'),
    v('Temperature', 31, 'Celsius'),
  ];
}
