/**
 * What the simulated station's display would show of a session's cost: the running and final cost
 * the CSMS sends, remembered per transaction so a test can assert what the driver saw.
 *
 * - 2.0.1 / 2.1: CostUpdated {totalCost, transactionId} is answered with the empty
 *   CostUpdatedResponse and kept as the running cost.
 * - 1.6: the OCA California pricing extension over DataTransfer (vendorId
 *   org.openchargealliance.costmsg): RunningCost, FinalCost and SetUserPrice are answered Accepted
 *   and kept; any other DataTransfer goes to the handler that was there before. A 1.6 station
 *   advertises the extension by its read-only key CustomDisplayCostAndPrice = true:
 *   `costs.advertise()` adds it (a station without it lets the CSMS know it shows no cost).
 *
 * The station side keeps its own copy of the extension's words (the simulator imports nothing of
 * the CSMS): the data fields as the whitepaper's tables name them.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimSettingStore } from './sim-settings.ts';
import type { SimOcppVersion, SimPayload } from './sim-types.ts';

export const COSTMSG_VENDOR_ID = 'org.openchargealliance.costmsg';
export const DISPLAY_COST_KEY = 'CustomDisplayCostAndPrice';

/** One cost message as the display got it. */
export interface SimCostShown {
  cost: number;
  /** When it arrived (the station's clock). */
  receivedAt: string;
  /** 1.6 RunningCost: the reading and time it is based on, charging or idle, the unit prices. */
  meterValue?: number;
  timestamp?: string;
  state?: string;
  chargingPrice?: Record<string, number>;
  /** 1.6 FinalCost: the text shown with the total. */
  priceText?: string;
}

export interface SimTransactionCosts {
  running?: SimCostShown;
  final?: SimCostShown;
  /** How many running costs arrived. */
  runningCount: number;
}

/** What the costs behaviour needs of its station (SimStation has it). */
export interface SimCostingStation {
  readonly version: SimOcppVersion;
  readonly settings: SimSettingStore;
  handle(action: string, handler: SimCallHandler): void;
}

function parseData(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export class SimCosts {
  /** Per transaction id (2.x: the station's; 1.6: the CSMS's integer, as text). */
  readonly byTransaction = new Map<string, SimTransactionCosts>();
  /** 1.6 SetUserPrice: the price text per id token. */
  readonly userPrices = new Map<string, string>();

  constructor(
    private readonly station: SimCostingStation,
    private readonly fallback: SimCallHandler | undefined,
  ) {}

  /** The last running and final cost received for a transaction. */
  of(transactionId: string | number): SimTransactionCosts | undefined {
    return this.byTransaction.get(String(transactionId));
  }

  /** 1.6: report CustomDisplayCostAndPrice = true (read-only) in GetConfiguration. */
  advertise(): this {
    this.station.settings.define(DISPLAY_COST_KEY, 'true', { readonly: true, kind: 'boolean' });
    return this;
  }

  install(): this {
    if (this.station.version === '1.6') this.station.handle('DataTransfer', (payload, ctx) => this.dataTransfer(payload, ctx));
    else this.station.handle('CostUpdated', (payload) => this.costUpdated(payload));
    return this;
  }

  private entry(transactionId: unknown): SimTransactionCosts {
    const key = String(transactionId);
    const found = this.byTransaction.get(key) ?? { runningCount: 0 };
    this.byTransaction.set(key, found);
    return found;
  }

  private costUpdated(payload: SimPayload): SimPayload {
    const entry = this.entry(payload.transactionId);
    entry.running = { cost: Number(payload.totalCost), receivedAt: new Date().toISOString() };
    entry.runningCount++;
    return {};
  }

  private dataTransfer(payload: SimPayload, ctx: Parameters<SimCallHandler>[1]): unknown {
    if (payload.vendorId !== COSTMSG_VENDOR_ID) return this.fallback ? this.fallback(payload, ctx) : { status: 'UnknownVendorId' };
    const data = parseData(payload.data);
    if (!data) return { status: 'Rejected' };
    const receivedAt = new Date().toISOString();
    switch (payload.messageId) {
      case 'RunningCost': {
        const entry = this.entry(data.transactionId);
        entry.running = {
          cost: Number(data.cost),
          receivedAt,
          meterValue: Number(data.meterValue),
          timestamp: String(data.timestamp),
          state: String(data.state),
          chargingPrice: (data.chargingPrice ?? {}) as Record<string, number>,
        };
        entry.runningCount++;
        return { status: 'Accepted' };
      }
      case 'FinalCost':
        this.entry(data.transactionId).final = { cost: Number(data.cost), receivedAt, priceText: String(data.priceText ?? '') };
        return { status: 'Accepted' };
      case 'SetUserPrice':
        this.userPrices.set(String(data.idToken), String(data.priceText ?? ''));
        return { status: 'Accepted' };
      default:
        return { status: 'UnknownMessageId' };
    }
  }
}
