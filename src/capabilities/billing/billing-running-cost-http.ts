/** The REST bodies of the running-cost command kinds (POST /stations/{id}/commands), as TypeBox schemas. */
import { Type } from '@sinclair/typebox';

const TransactionId = Type.String({ minLength: 1, maxLength: 255, description: 'Our transaction id, or the station\'s own (1.6 integer, 2.x string) on the addressed station' });
const Amount = (description: string) => Type.Number({ minimum: 0, maximum: 1e12, description });

export const COST_UPDATED_REST = {
  description: 'Send a 2.x station the running total cost of a transaction, tax included, in the tariff currency (CostUpdated; docs/billing.md). The CSMS sends it by itself while sessions run',
  properties: {
    transactionId: TransactionId,
    totalCost: Amount('Total cost including tax so far'),
  },
};

export const DRIVER_COST_REST = {
  description:
    'Send a 1.6 station a running or final cost (the OCA California pricing DataTransfer, vendor org.openchargealliance.costmsg; docs/billing.md). The CSMS sends them by itself to stations whose CustomDisplayCostAndPrice is true',
  properties: {
    transactionId: TransactionId,
    message: Type.Union([Type.Literal('runningCost'), Type.Literal('finalCost')], { description: 'runningCost (RunningCost) or finalCost (FinalCost)' }),
    cost: Amount('Total cost including tax: so far (running) or in the end (final)'),
    meterWh: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1, description: 'runningCost: the meter reading (Wh) the cost is based on; default the session\'s last reading' })),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'runningCost: when that reading was taken; default now' })),
    state: Type.Optional(Type.Union([Type.Literal('charging'), Type.Literal('idle')], { description: 'runningCost: which prices apply now; default charging' })),
    prices: Type.Optional(
      Type.Object(
        {
          perKwh: Type.Optional(Amount('Price per kWh, tax included')),
          perHour: Type.Optional(Amount('Price per hour of charging, tax included')),
          flat: Type.Optional(Amount('Fixed fee per session, tax included')),
        },
        { additionalProperties: false, description: 'runningCost: the unit prices in force, for a station that counts on between updates' },
      ),
    ),
    priceText: Type.Optional(Type.String({ maxLength: 500, description: 'finalCost: text shown with the total; default "Total <cost>"' })),
  },
};
