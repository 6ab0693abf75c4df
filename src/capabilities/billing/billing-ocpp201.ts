/**
 * OCPP 2.0.1 <-> running cost: CostUpdatedRequest {totalCost, transactionId} (functional block I,
 * Tariff and Cost), the CALL of the `costUpdated` command kind. From its OCA JSON schema (the
 * bundle the session validates with; the Part 2 text of block I was not available to us):
 * totalCost is a number, the "current total cost ... of the transaction including taxes" in the
 * currency of the station's TariffCostCtrlr.Currency variable; transactionId has at most 36
 * characters. The response has no field: an answer is the station's acknowledgement. 2.1 keeps
 * the message unchanged (billing-ocpp21.ts).
 */
import { ocppCall } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type TranslatedCommand } from '../commands/index.ts';
import type { CostUpdatedParams } from './billing-running-cost.ts';

export type Ocpp2x = '2.0.1' | '2.1';

/** TransactionType.transactionId / CostUpdatedRequest.transactionId: identifierString[0..36]. */
const TRANSACTION_ID_MAX = 36;
/** The CALLRESULT itself is the acknowledgement; the command's answer says so in the API's word. */
const ACKNOWLEDGED = 'Accepted';
const ACCEPTED: ReadonlySet<string> = new Set([ACKNOWLEDGED]);

export function costUpdatedCall2x(version: Ocpp2x, p: CostUpdatedParams): TranslatedCommand {
  const id = p.ocppTransactionId;
  if (id === undefined) return { ok: false, error: 'the station\'s transaction id is resolved at submission; it is missing' };
  if (id.length > TRANSACTION_ID_MAX) return { ok: false, error: `an OCPP ${version} transactionId has at most ${TRANSACTION_ID_MAX} characters` };
  return commandCall(ocppCall(version, 'CostUpdated', { totalCost: p.totalCost, transactionId: id }, () => ({ status: ACKNOWLEDGED })), ACCEPTED);
}

export const costUpdatedCall201 = (p: CostUpdatedParams): TranslatedCommand => costUpdatedCall2x('2.0.1', p);
