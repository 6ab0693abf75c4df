/**
 * The pay page's shell: what one EVSE's page shows before paying (the station's state, the price
 * of the tariff that would price a card payer's session there now, the hold), and the short code
 * on its sticker, drawn once and kept (a printed code must stay valid).
 */
import { randomBytes } from 'node:crypto';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import type { TariffModel } from '../tariffs/index.ts';
import { evseStatusOf, priceLines, shortCodeFrom, tariffNote, type BrowserGateway } from './payment-page.ts';
import type { PayCode, PayCodeRepository } from './payment-page-repository.ts';
import type { PayPageModel } from './payment-page-view.ts';

/** What the page needs of stations: who owns one, and its EVSEs as last reported. */
export interface PayPageStations {
  owner(stationId: string): Promise<{ tenantId: string; siteId: string | null } | null>;
  get(stationId: string): Promise<{ connected: boolean; evses: ReadonlyArray<{ id: number; connectors: ReadonlyArray<{ status: string }> }> }>;
}

export interface PayPageDeps {
  stations: PayPageStations;
  /** The tariff a session at this EVSE started now by a card payer (no token group) would be priced by, or null. */
  tariffFor(stationId: string, evseId: number): Promise<TariffModel | null>;
  codes: PayCodeRepository;
  clock: Clock;
  /** Card payments as configured: the browser's side of the gateway (null: no card form), whether holds can be placed, the first hold. */
  payments: { enabled: boolean; gateway: BrowserGateway | null; holdMinor: number };
  pollMs: number;
}

/** Statuses in which a connector cannot start a session: no hold is placed for one. */
const OUT_OF_SERVICE = new Set(['Unavailable', 'Faulted']);

export class PaymentPageService {
  constructor(private readonly deps: PayPageDeps) {}

  /** The page of one EVSE, or null when the station or (for a station that reported its EVSEs) the EVSE is unknown. */
  async page(stationId: string, evseId: number): Promise<PayPageModel | null> {
    const evse = await this.evse(stationId, evseId);
    if (!evse) return null;
    const tariff = await this.deps.tariffFor(stationId, evseId);
    const { enabled, gateway, holdMinor } = this.deps.payments;
    const blocked: PayPageModel['blocked'] =
      !enabled || !gateway ? 'payments-off' : !tariff ? 'no-tariff' : !evse.connected ? 'offline' : evse.status && OUT_OF_SERVICE.has(evse.status) ? 'out-of-service' : null;
    return {
      stationId,
      evseId,
      evseStatus: evse.status,
      blocked,
      offer: tariff ? { currency: tariff.currency, lines: priceLines(tariff), note: tariffNote(tariff), holdMinor } : null,
      gateway,
      pollMs: this.deps.pollMs,
    };
  }

  /** The EVSE's sticker code, drawn on first use. Not-found for an EVSE the station says it does not have. */
  async code(stationId: string, evseId: number): Promise<PayCode> {
    const existing = await this.deps.codes.ofEvse(stationId, evseId);
    if (existing) return existing;
    const owner = await this.deps.stations.owner(stationId);
    if (!owner) throw new CodedError('not-found', `station ${stationId} does not exist`);
    if (!(await this.evse(stationId, evseId))) throw new CodedError('not-found', `station ${stationId} has no EVSE ${evseId}`);
    // 40 random bits: a collision is rare enough that a few draws always find a free code.
    for (let attempt = 0; attempt < 8; attempt++) {
      const code: PayCode = { code: shortCodeFrom(randomBytes(5)), tenantId: owner.tenantId, stationId, evseId, createdAt: this.deps.clock() };
      if (await this.deps.codes.add(code)) return code;
      // Another request may have given this EVSE its code meanwhile: that one is the code.
      const raced = await this.deps.codes.ofEvse(stationId, evseId);
      if (raced) return raced;
    }
    throw new Error(`no free short code for ${stationId}/${evseId} after 8 draws`);
  }

  /** The EVSE a sticker's code names, or null. */
  async target(code: string): Promise<{ stationId: string; evseId: number } | null> {
    const found = await this.deps.codes.find(code);
    return found ? { stationId: found.stationId, evseId: found.evseId } : null;
  }

  /**
   * The EVSE as the station last reported it; a station that never reported its EVSEs (not yet
   * connected: stickers are printed before commissioning) is taken at its word.
   */
  private async evse(stationId: string, evseId: number): Promise<{ connected: boolean; status: string | null } | null> {
    if (!(await this.deps.stations.owner(stationId))) return null;
    const station = await this.deps.stations.get(stationId);
    const evse = station.evses.find((e) => e.id === evseId);
    if (!evse && station.evses.length > 0) return null;
    return { connected: station.connected, status: evse ? evseStatusOf(evse.connectors) : null };
  }
}
