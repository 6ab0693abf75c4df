/**
 * Tariffs to stations that price locally (OCPP 2.1): what the CSMS fills in when an operator (or
 * a job) submits setDefaultTariff or changeTransactionTariff. The tariff version in force now is
 * frozen into the command, so the queue delivers exactly what was checked, and a change made while
 * the command waits is a new version, sent by a new command. A tariff 2.1 cannot state exactly is
 * refused here, at submission (400 with the tariff field's path), not at delivery.
 */
import { CodedError } from '../../kernel/errors.ts';
import type { StoredTariff } from './tariff-repository.ts';
import type { TariffModel } from './tariff.ts';
import { pricesLocally, stationTariffId, LOCAL_PRICING_LABEL, type ChangeTransactionTariffParams, type FrozenTariff, type SetDefaultTariffParams } from './tariff-local-pricing.ts';

export interface LocalPricingDeps {
  /** A tariff in its current version (the one in force now: a version is valid from the moment it was made), or null. */
  tariffs: { find(id: string): Promise<StoredTariff | null> };
  stations: { station(stationId: string): Promise<{ tenantId: string; labels: Readonly<Record<string, string>> } | null> };
  /** TariffCostCtrlr.Enabled[Tariff] as the CSMS last learnt it (a report or a configuration read), or null. */
  tariffEnabled(stationId: string): Promise<string | null>;
  transactions: { resolve(id: string): Promise<{ stationId: string; ocppTransactionId: string } | null> };
  /** Why a tariff cannot be sent to a station under this id (the first problem, with its OCPI path), or null. */
  untranslatable(tariff: TariffModel, stationTariffId: string): { path: string; problem: string } | null;
}

export class LocalPricingService {
  constructor(private readonly deps: LocalPricingDeps) {}

  async prepareSetDefault(stationId: string, p: SetDefaultTariffParams): Promise<SetDefaultTariffParams> {
    return { ...p, ...(await this.freeze(stationId, p.tariffId)) };
  }

  async prepareChange(stationId: string, p: ChangeTransactionTariffParams): Promise<ChangeTransactionTariffParams> {
    const resolved = (await this.deps.transactions.resolve(p.transactionId)) ?? { stationId, ocppTransactionId: p.transactionId };
    if (resolved.stationId !== stationId) throw new CodedError('invalid-input', `transaction ${p.transactionId} belongs to station ${resolved.stationId}, not ${stationId}`);
    return { ...p, ocppTransactionId: resolved.ocppTransactionId, ...(await this.freeze(stationId, p.tariffId)) };
  }

  /** The version of the station tenant's tariff in force now, checked for the station. */
  private async freeze(stationId: string, tariffId: string): Promise<Required<FrozenTariff>> {
    const station = await this.deps.stations.station(stationId);
    if (!station) throw new CodedError('not-found', `station ${stationId} does not exist`);
    if (!pricesLocally(station.labels, await this.deps.tariffEnabled(stationId))) {
      const how = `set its label ${LOCAL_PRICING_LABEL}=true, or let it report TariffCostCtrlr.Enabled[Tariff] = true (docs/tariffs.md)`;
      throw new CodedError('conflict', `station ${stationId} does not price locally: ${how}`);
    }
    const stored = await this.deps.tariffs.find(tariffId);
    // Another tenant's tariff is as unknown as a missing one.
    if (!stored || stored.tenantId !== station.tenantId) throw new CodedError('not-found', `tariff ${tariffId} does not exist`);
    const id = stationTariffId(stored.id, stored.version);
    const problem = this.deps.untranslatable(stored.tariff, id);
    if (problem) {
      throw new CodedError('invalid-input', `${problem.path}: ${problem.problem} (tariff ${stored.id} version ${stored.version} cannot be sent to an OCPP 2.1 station)`, { path: problem.path });
    }
    return { tariffVersion: stored.version, stationTariffId: id, tariff: stored.tariff };
  }
}
