/**
 * OCPP 2.1 tariff messages (functional block I) as the CALLs of this capability's command kinds:
 * SetDefaultTariff, ChangeTransactionTariff, GetTariffs, ClearTariffs. 1.6 and 2.0.1 have none of
 * them, so the kinds translate for 2.1 only (other stations fail them Untranslatable). Field
 * meanings from the official 2.1 JSON schema.
 */
import { ocppCall } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type CommandAnswer, type TranslatedCommand } from '../commands/index.ts';
import { ourTariffOf, type ChangeTransactionTariffParams, type ClearTariffsParams, type FrozenTariff, type GetTariffsParams, type SetDefaultTariffParams, type StationTariff } from './tariff-local-pricing.ts';
import { tariffTo21, type Tariff21 } from './tariff-ocpp21.ts';

/** OCPP 2.1 schema, ChangeTransactionTariffRequest.transactionId: string[0..36]. */
const TRANSACTION_ID_MAX = 36;
/** Every status other than Accepted is a refusal (TooManyElements, ConditionNotSupported, DuplicateTariffId, TxNotFound, NoCurrencyChange, NoTariff...). */
const ACCEPTING: ReadonlySet<string> = new Set(['Accepted']);

type StatusInfo = { reasonCode: string; additionalInfo?: string };
const reasonOf = (info: StatusInfo | undefined) => (info ? { reason: info.additionalInfo === undefined ? { code: info.reasonCode } : { code: info.reasonCode, info: info.additionalInfo } } : {});
/** A contributed kind's answer: a status answer with this capability's details. */
const neutral = (answer: { status: string } & Record<string, unknown>): CommandAnswer => answer as CommandAnswer;
const cannot = (error: string): TranslatedCommand => ({ ok: false, error });

/** The frozen tariff of a command as 2.1 TariffType, or why it cannot go (it was checked at submission: a later code change could still refuse it). */
function frozen(p: FrozenTariff): { ok: true; tariff: Tariff21 } | { ok: false; error: string } {
  if (!p.tariff || !p.stationTariffId) return { ok: false, error: 'the tariff is frozen at submission; it is missing' };
  const translated = tariffTo21(p.tariff, p.stationTariffId);
  return translated.ok ? translated : { ok: false, error: `${translated.path}: ${translated.problem}` };
}

export function setDefaultTariffCall21(p: SetDefaultTariffParams): TranslatedCommand {
  const tariff = frozen(p);
  if (!tariff.ok) return cannot(tariff.error);
  // OCPP 2.1 schema, SetDefaultTariffRequest.evseId: 0 = every EVSE.
  return commandCall(
    ocppCall('2.1', 'SetDefaultTariff', { evseId: p.evseId, tariff: tariff.tariff }, (answer) => neutral({ status: answer.status, ...reasonOf(answer.statusInfo), stationTariffId: p.stationTariffId })),
    ACCEPTING,
  );
}

export function changeTransactionTariffCall21(p: ChangeTransactionTariffParams): TranslatedCommand {
  const id = p.ocppTransactionId;
  if (id === undefined) return cannot('the station\'s transaction id is resolved at submission; it is missing');
  if (id.length > TRANSACTION_ID_MAX) return cannot(`an OCPP 2.1 transactionId has at most ${TRANSACTION_ID_MAX} characters`);
  const tariff = frozen(p);
  if (!tariff.ok) return cannot(tariff.error);
  return commandCall(
    ocppCall('2.1', 'ChangeTransactionTariff', { transactionId: id, tariff: tariff.tariff }, (answer) => neutral({ status: answer.status, ...reasonOf(answer.statusInfo), stationTariffId: p.stationTariffId })),
    ACCEPTING,
  );
}

export function getTariffsCall21(p: GetTariffsParams): TranslatedCommand {
  // OCPP 2.1 schema, GetTariffsRequest.evseId (required): 0 = the tariffs of every EVSE.
  return commandCall(
    ocppCall('2.1', 'GetTariffs', { evseId: p.evseId ?? 0 }, (answer) => {
      const tariffs: StationTariff[] = (answer.tariffAssignments ?? []).map((a) => {
        const ours = ourTariffOf(a.tariffId);
        return {
          tariffId: a.tariffId,
          kind: a.tariffKind === 'DriverTariff' ? 'driver' : 'default',
          ...(a.validFrom !== undefined ? { validFrom: a.validFrom } : {}),
          ...(a.evseIds !== undefined ? { evseIds: a.evseIds } : {}),
          ...(a.idTokens !== undefined ? { idTokens: a.idTokens } : {}),
          ...(ours ? { ours } : {}),
        };
      });
      return neutral({ status: answer.status, ...reasonOf(answer.statusInfo), tariffs });
    }),
    ACCEPTING,
  );
}

export function clearTariffsCall21(p: ClearTariffsParams): TranslatedCommand {
  const payload = { ...(p.tariffIds !== undefined && p.tariffIds.length > 0 ? { tariffIds: p.tariffIds } : {}), ...(p.evseId !== undefined ? { evseId: p.evseId } : {}) };
  return commandCall(
    ocppCall('2.1', 'ClearTariffs', payload, (answer) => {
      const results = answer.clearTariffsResult.map((r) => ({ status: r.status, ...(r.tariffId !== undefined ? { tariffId: r.tariffId } : {}), ...reasonOf(r.statusInfo) }));
      // ClearTariffsResponse has one status per tariff (OCPP 2.1 schema, ClearTariffsResultType); the
      // command's own is Accepted when every tariff was cleared, NoTariff when there was none, else Rejected.
      const status = results.every((r) => r.status === 'Accepted') ? 'Accepted' : results.every((r) => r.status === 'NoTariff') ? 'NoTariff' : 'Rejected';
      return neutral({ status, results });
    }),
    ACCEPTING,
  );
}
