/**
 * REST of stations that price locally (OCPP 2.1): the bodies of the tariff command kinds
 * (POST /stations/{id}/commands) and the check of the stations' own costs against our CDRs.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { Nullable } from '../../http/http-schemas.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import type { StationCostRecord } from './tariff-station-cost-repository.ts';
import type { StationCostService } from './tariff-station-cost-service.ts';

const TariffId = Type.String({ minLength: 1, maxLength: 36, description: 'Our tariff (of the station\'s tenant); its version in force now is sent, as "<tariffId>-v<version>"' });
const EvseId = (description: string) => Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description });

export const SET_DEFAULT_TARIFF_REST = {
  description:
    'Send a 2.1 station that prices locally the tariff of every driver without a driver-specific one (SetDefaultTariff; docs/tariffs.md). 409 when the station does not price locally, 400 when the tariff cannot be stated exactly in OCPP 2.1',
  properties: {
    evseId: EvseId('The EVSE it applies to; 0 = every EVSE'),
    tariffId: TariffId,
  },
};

export const CHANGE_TRANSACTION_TARIFF_REST = {
  description: 'Change the tariff a running transaction is priced by at a 2.1 station that prices locally (ChangeTransactionTariff). The CDR keeps our own pricing (docs/tariffs.md)',
  properties: {
    transactionId: Type.String({ minLength: 1, maxLength: 255, description: 'Our transaction id, or the station\'s own on the addressed station' }),
    tariffId: TariffId,
  },
};

export const GET_TARIFFS_REST = {
  description: 'Ask a 2.1 station which tariffs it holds (GetTariffs); the answer names ours as { tariffId, version }',
  properties: { evseId: Type.Optional(EvseId('One EVSE; absent or 0: every EVSE')) },
};

export const CLEAR_TARIFFS_REST = {
  description: 'Make a 2.1 station drop tariffs (ClearTariffs), by the ids it holds them under (getTariffs: ours read "<tariffId>-v<version>")',
  properties: {
    tariffIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 100, description: 'The station\'s tariff ids; absent: every tariff' })),
    evseId: Type.Optional(EvseId('Only at this EVSE')),
  },
};

const Totals = Type.Object({ currency: Nullable(Type.String()), totalExclTax: Nullable(Type.String()), totalInclTax: Nullable(Type.String()) });

const StationCostBody = Type.Object({
  transactionId: Type.String(),
  stationId: Type.String(),
  cdrId: Type.String({ description: 'The debit CDR compared with' }),
  status: Type.String({ description: 'agrees, differs (by more than one minor unit), currency-differs, station-failed, not-priced-here (the CDR has no tariff), not-comparable' }),
  flagged: Type.Boolean({ description: 'Anything but agrees: an operator should look' }),
  compared: Nullable(Type.String({ description: 'inclTax or exclTax' })),
  differenceMinor: Nullable(Type.String({ description: 'Station minus ours, in minor units of the currency' })),
  station: Type.Object(
    {
      currency: Type.String(),
      typeOfCost: Type.String({ description: 'NormalCost, MinCost or MaxCost' }),
      totalExclTax: Nullable(Type.String()),
      totalInclTax: Nullable(Type.String()),
      failureToCalculate: Type.Boolean(),
      failureReason: Nullable(Type.String()),
      tariffIds: Type.Array(Type.String()),
      energyWh: Nullable(Type.String()),
      durationSec: Nullable(Type.Number()),
      idleSec: Nullable(Type.Number()),
    },
    { description: 'What the station computed (TransactionEvent costDetails)' },
  ),
  ours: Totals,
  checkedAt: Type.String({ format: 'date-time' }),
});

function toBody(r: StationCostRecord): Static<typeof StationCostBody> {
  return {
    transactionId: r.transactionId,
    stationId: r.stationId,
    cdrId: r.cdrId,
    status: r.status,
    flagged: r.flagged,
    compared: r.compared,
    differenceMinor: r.difference,
    station: r.station,
    ours: r.ours,
    checkedAt: r.checkedAt.toISOString(),
  };
}

export function stationCostRoutes(service: StationCostService) {
  return (app: HttpApp): void => {
    app.get(
      '/station-costs',
      {
        config: { access: { permission: 'billing:read' } },
        schema: {
          tags: ['tariffs'],
          summary: 'What stations that price locally said sessions cost, beside our CDRs; `flagged=true` lists the disagreements (newest first)',
          querystring: Type.Object({
            stationId: Type.Optional(Type.String({ pattern: stationIdPattern })),
            flagged: Type.Optional(Type.Boolean()),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(StationCostBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const { items, total } = await service.list({ scope: scopeOf(request), ...request.query });
        return { items: items.map(toBody), total };
      },
    );
  };
}
