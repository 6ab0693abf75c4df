/**
 * Vendor extensions for the simulator: the DataTransfer messages of two example devices (a
 * liquid-cooled cable reporting coolant telemetry, an advertising screen taking content), so a
 * simulated station can talk to any CSMS that knows those vendors. Works for every version: 1.6
 * carries data as a string (JSON-encoded here), 2.x as JSON.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimOcppVersion, SimPayload } from './sim-types.ts';

export const COOLING_VENDOR_ID = 'com.example.cooling';
export const SCREEN_VENDOR_ID = 'com.example.screens';

export interface CoolantReading {
  inletTempC: number;
  outletTempC: number;
  flowLpm: number;
  pumpState: 'running' | 'stopped' | 'fault';
  faultCode?: string;
  timestamp?: string;
}

/** Data in the version's shape: a JSON string for 1.6, the value itself for 2.x. */
export function vendorData(version: SimOcppVersion, data: unknown): unknown {
  return version === '1.6' ? JSON.stringify(data) : data;
}

/** The DataTransfer request of one coolant telemetry reading. */
export function coolantTelemetry(version: SimOcppVersion, reading: CoolantReading): SimPayload {
  const data = {
    ...(reading.timestamp ? { timestamp: reading.timestamp } : {}),
    inletTempC: reading.inletTempC,
    outletTempC: reading.outletTempC,
    flowLpm: reading.flowLpm,
    pump: { state: reading.pumpState, ...(reading.faultCode ? { faultCode: reading.faultCode } : {}) },
  };
  return { vendorId: COOLING_VENDOR_ID, messageId: 'CoolantTelemetry', data: vendorData(version, data) };
}

export interface ScreenContent {
  url: string;
  durationSec: number;
  slot: number;
}

/**
 * A DataTransfer handler for the advertising screen: SetScreenContent is decoded (1.6: from its
 * JSON string), handed to `shown` and accepted; another vendor or message gets the matching
 * Unknown answer, as a station without that feature would give.
 */
export function screenHandler(shown: (content: ScreenContent) => void): SimCallHandler {
  return (payload) => {
    const request = payload as { vendorId?: string; messageId?: string; data?: unknown };
    if (request.vendorId !== SCREEN_VENDOR_ID) return { status: 'UnknownVendorId' };
    if (request.messageId !== 'SetScreenContent') return { status: 'UnknownMessageId' };
    let data: unknown = request.data;
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data);
      } catch {
        return { status: 'Rejected' };
      }
    }
    const content = data as Partial<ScreenContent> | null;
    if (!content || typeof content.url !== 'string' || typeof content.durationSec !== 'number' || typeof content.slot !== 'number') return { status: 'Rejected' };
    shown({ url: content.url, durationSec: content.durationSec, slot: content.slot });
    return { status: 'Accepted' };
  };
}
