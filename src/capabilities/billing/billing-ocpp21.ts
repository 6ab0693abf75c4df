/**
 * OCPP 2.1 <-> running cost: CostUpdatedRequest keeps its 2.0.1 shape (totalCost, transactionId of
 * at most 36), so the 2.0.1 translation serves. 2.1's local cost calculation (SetDefaultTariff,
 * ChangeTransactionTariff) is the tariffs capability's (tariff-ocpp21.ts).
 */
import type { TranslatedCommand } from '../commands/index.ts';
import type { CostUpdatedParams } from './billing-running-cost.ts';
import { costUpdatedCall2x } from './billing-ocpp201.ts';

export const costUpdatedCall21 = (p: CostUpdatedParams): TranslatedCommand => costUpdatedCall2x('2.1', p);
