/**
 * Stations that price locally (OCPP 2.1, functional block I), the pure part: the command kinds
 * that send them our tariffs, the id a tariff version carries on the station, and who opted in.
 *
 * A 2.1 station may compute a session's cost itself from a tariff the CSMS sent it
 * (SetDefaultTariff, ChangeTransactionTariff). The CSMS still prices every session with its own
 * engine (the CDR); what the station computed is checked against it at the end
 * (tariff-station-cost.ts). The wire words are tariff-ocpp21.ts's and tariff-commands-ocpp21.ts's.
 */
import type { TariffModel } from './tariff.ts';

/** The command types this capability contributes (ADR 23). */
export const SET_DEFAULT_TARIFF = 'setDefaultTariff';
export const GET_TARIFFS = 'getTariffs';
export const CLEAR_TARIFFS = 'clearTariffs';
export const CHANGE_TRANSACTION_TARIFF = 'changeTransactionTariff';

/** What the CSMS fills in at submission: the version in force then, frozen, so a later change is a new command. */
export interface FrozenTariff {
  tariffVersion?: number;
  /** The id the station knows this version by (stationTariffId). */
  stationTariffId?: string;
  /** The canonical tariff of that version; translated per OCPP version when the command is delivered. */
  tariff?: TariffModel;
}

/** `setDefaultTariff`: the tariff of everyone without a driver-specific one, at one EVSE or (0) all. */
export interface SetDefaultTariffParams extends FrozenTariff, Record<string, unknown> {
  evseId: number;
  tariffId: string;
}

/** `changeTransactionTariff`: the tariff a running transaction is priced by from now on, at the station. */
export interface ChangeTransactionTariffParams extends FrozenTariff, Record<string, unknown> {
  /** Ours or the station's own id (resolved at submission, like a stop). */
  transactionId: string;
  tariffId: string;
  ocppTransactionId?: string;
}

/** `getTariffs`: the tariffs the station holds, at one EVSE or (absent, 0) all. */
export interface GetTariffsParams extends Record<string, unknown> {
  evseId?: number;
}

/** `clearTariffs`: the station's tariffs to drop, by the ids it knows them by (absent: all), at one EVSE or all. */
export interface ClearTariffsParams extends Record<string, unknown> {
  tariffIds?: string[];
  evseId?: number;
}

/** A station's tariff as getTariffs reports it, in the API's words. */
export interface StationTariff {
  tariffId: string;
  kind: 'default' | 'driver';
  validFrom?: string;
  evseIds?: number[];
  idTokens?: string[];
  /** Our tariff and version, when the station's id is one this CSMS gave (stationTariffId). */
  ours?: { tariffId: string; version: number };
}

/**
 * The id a tariff version carries on the station: a station keeps tariffs by id, and two versions
 * of one tariff price differently, so each version is its own id. Ours are at most 36 characters
 * (CiString(36), tariff-service.ts), so "-v" and the number stay well within 2.1's 60.
 */
export function stationTariffId(tariffId: string, version: number): string {
  return `${tariffId}-v${version}`;
}

/** Our tariff and version behind a station tariff id this CSMS gave; null for any other id. */
export function ourTariffOf(stationId: string): { tariffId: string; version: number } | null {
  const match = /^(.+)-v([1-9][0-9]{0,8})$/.exec(stationId);
  return match ? { tariffId: match[1]!, version: Number(match[2]) } : null;
}

export function checkClearTariffs(p: ClearTariffsParams): string | null {
  if (p.tariffIds !== undefined && new Set(p.tariffIds).size !== p.tariffIds.length) return 'tariffIds lists a tariff twice';
  return null;
}

export function checkChangeTransactionTariff(p: ChangeTransactionTariffParams): string | null {
  return p.transactionId.trim() === '' ? 'transactionId must not be empty' : null;
}

// --- Who prices locally ----------------------------------------------------------------------

/** The station label an operator sets to say whether a station prices locally ("true" / "false"). */
export const LOCAL_PRICING_LABEL = 'localPricing';
/** The 2.1 device model variable a station says it with: TariffCostCtrlr.Enabled, instance Tariff. */
export const TARIFF_ENABLED = { component: 'TariffCostCtrlr', variable: 'Enabled', instance: 'Tariff' } as const;

/**
 * Whether a station prices sessions itself: its label when an operator set one (an operator knows
 * better than a report that may be stale), otherwise TariffCostCtrlr.Enabled[Tariff] as the CSMS
 * last learnt it (a report or a getConfiguration). Unknown: no.
 */
export function pricesLocally(labels: Readonly<Record<string, string>>, tariffEnabled: string | null): boolean {
  const label = labels[LOCAL_PRICING_LABEL]?.trim().toLowerCase();
  if (label === 'true' || label === 'false') return label === 'true';
  return tariffEnabled?.trim().toLowerCase() === 'true';
}
