/** REST routes of billing: CDRs (immutable; corrections are credits) and the time zone prices are read in. */
import { Type, type Static } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { Nullable } from '../../http/http-schemas.ts';
import { scopedTenant, type TenantScope } from '../../kernel/tenant-scope.ts';
import type { Cdr } from './billing-cdr.ts';
import type { BillingService } from './billing-service.ts';

const CdrBody = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  transactionId: Type.String(),
  sequence: Type.Integer({ description: '1 for the first record of a transaction; each correction adds a credit and a new debit after it' }),
  kind: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
  corrects: Nullable(Type.String({ description: 'A credit: the debit it cancels' })),
  stationId: Type.String(),
  evseId: Nullable(Type.Integer()),
  connectorId: Nullable(Type.Integer()),
  idToken: Nullable(Type.String()),
  startedAt: Type.String(),
  stoppedAt: Type.String(),
  energyWh: Type.String({ description: 'Delivered energy in Wh, decimal text (negative on a credit)' }),
  totalCost: Nullable(
    Type.Object({ currency: Type.String(), exclTax: Type.String(), inclTax: Type.String(), exclTaxMinor: Type.Integer(), inclTaxMinor: Type.Integer() }),
    { description: 'Null when no tariff applied (delivered, not billed). Rounded once per total, half-up, to the currency\'s minor units' },
  ),
  tariffId: Nullable(Type.String()),
  tariffVersion: Nullable(Type.Integer()),
  periods: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'The priced periods of the cost engine (docs/tariffs.md): exact amounts to 12 decimals, per period' }),
  meter: Type.Object({
    startWh: Nullable(Type.Number()),
    stopWh: Nullable(Type.Number()),
    highestWh: Nullable(Type.Number()),
    signed: Type.Array(Type.Unknown(), { description: 'Signed meter data as the station sent it (1.6 SignedData, 2.x signedMeterValue), verbatim, each with its timestamp' }),
  }),
  estimated: Type.Boolean({ description: 'The stop was the CSMS\'s estimate (a stuck session it closed); a real stop arriving later corrects the record' }),
  createdAt: Type.String(),
});

function cdrToBody(c: Cdr): Static<typeof CdrBody> {
  const priced = c.currency !== null && c.totalExclTax !== null && c.totalInclTax !== null && c.totalExclTaxMinor !== null && c.totalInclTaxMinor !== null;
  return {
    id: c.id,
    tenantId: c.tenantId,
    transactionId: c.transactionId,
    sequence: c.sequence,
    kind: c.kind,
    corrects: c.corrects,
    stationId: c.stationId,
    evseId: c.evseId,
    connectorId: c.connectorId,
    idToken: c.idToken,
    startedAt: c.startedAt.toISOString(),
    stoppedAt: c.stoppedAt.toISOString(),
    energyWh: c.energyWh,
    totalCost: priced ? { currency: c.currency!, exclTax: c.totalExclTax!, inclTax: c.totalInclTax!, exclTaxMinor: c.totalExclTaxMinor!, inclTaxMinor: c.totalInclTaxMinor! } : null,
    tariffId: c.tariffId,
    tariffVersion: c.tariffVersion,
    periods: c.periods as unknown as Array<Record<string, unknown>>,
    // Records written before signed data was kept have none.
    meter: { ...c.meter, signed: c.meter.signed ?? [] },
    estimated: c.estimated,
    createdAt: c.createdAt.toISOString(),
  };
}

const SettingsBody = Type.Object({
  tenantId: Type.String(),
  siteId: Nullable(Type.String()),
  timeZone: Nullable(Type.String({ description: 'IANA time zone set here; null: inherited' })),
  effectiveTimeZone: Type.String({ description: 'What applies: the site\'s, else the tenant\'s, else billing.defaultTimeZone' }),
});
const SettingsInput = Type.Object({ timeZone: Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'e.g. Europe/Amsterdam; null to inherit' })) }, { additionalProperties: false });
const SiteParams = Type.Object({ siteId: Type.String({ minLength: 1, maxLength: 64 }) });
const TenantQuery = Type.Object({ tenantId: Type.Optional(Type.String({ description: 'Platform callers: whose settings (default the caller\'s tenant)' })) });

export interface BillingSites {
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
  claimSiteFor(scope: TenantScope, siteId: string): Promise<void>;
  siteTenant(siteId: string): Promise<string | null>;
}

export function billingRoutes(service: BillingService, sites: BillingSites) {
  return (app: HttpApp): void => {
    const tags = ['billing'];
    const view = (s: Awaited<ReturnType<BillingService['settings']>>) => ({ tenantId: s.tenantId, siteId: s.siteId, timeZone: s.timeZone, effectiveTimeZone: s.effectiveTimeZone });
    const siteTenant = async (scope: TenantScope, siteId: string) => (await sites.siteTenant(siteId)) ?? scopedTenant(scope) ?? (await sites.writableTenant(scope));
    app.get(
      '/cdrs',
      {
        config: { access: { permission: 'billing:read' } },
        schema: {
          tags,
          summary: 'Charge detail records, newest stop first (a correction is a credit plus a new record, never an edit)',
          querystring: Type.Object({
            stationId: Type.Optional(Type.String()),
            transactionId: Type.Optional(Type.String()),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'stopped at or after' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'stopped before' })),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          }),
          response: { 200: Type.Object({ items: Type.Array(CdrBody), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const { from, to, ...rest } = request.query;
        const page = await service.listCdrs({ ...rest, scope: scopeOf(request), from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
        return { items: page.items.map(cdrToBody), total: page.total };
      },
    );
    app.get(
      '/cdrs/:cdrId',
      {
        config: { access: { permission: 'billing:read', owner: { kind: 'cdr', param: 'cdrId' } } },
        schema: { tags, summary: 'One charge detail record', params: Type.Object({ cdrId: Type.String({ maxLength: 64 }) }), response: { 200: CdrBody, ...errorResponses('not-found') } },
      },
      async (request) => cdrToBody(await service.cdr(request.params.cdrId)),
    );
    app.get(
      '/billing-settings',
      { config: { access: { permission: 'billing:read' } }, schema: { tags, summary: 'The tenant\'s billing settings (time zone of its tariffs\' wall-clock restrictions)', querystring: TenantQuery, response: { 200: SettingsBody, ...errorResponses('not-found') } } },
      async (request) => view(await service.settings(await sites.writableTenant(scopeOf(request), request.query.tenantId), null)),
    );
    app.put(
      '/billing-settings',
      {
        config: { access: { permission: 'billing:write' } },
        schema: { tags, summary: 'Set the tenant\'s billing settings (sites inherit them)', querystring: TenantQuery, body: SettingsInput, response: { 200: SettingsBody, ...errorResponses('invalid-input', 'not-found') } },
      },
      async (request) => view(await service.saveSettings(await sites.writableTenant(scopeOf(request), request.query.tenantId), null, request.body)),
    );
    app.get(
      '/sites/:siteId/billing-settings',
      {
        config: { access: { permission: 'billing:read', owner: { kind: 'site', param: 'siteId', absentAllowed: true } } },
        schema: { tags, summary: 'A site\'s billing settings', params: SiteParams, response: { 200: SettingsBody } },
      },
      async (request) => view(await service.settings(await siteTenant(scopeOf(request), request.params.siteId), request.params.siteId)),
    );
    app.put(
      '/sites/:siteId/billing-settings',
      {
        config: { access: { permission: 'billing:write', owner: { kind: 'site', param: 'siteId', absentAllowed: true } } },
        schema: { tags, summary: 'Set a site\'s billing settings (its time zone): sessions starting from now are priced in it', params: SiteParams, body: SettingsInput, response: { 200: SettingsBody, ...errorResponses('invalid-input') } },
      },
      async (request) => {
        await sites.claimSiteFor(scopeOf(request), request.params.siteId);
        return view(await service.saveSettings(await siteTenant(scopeOf(request), request.params.siteId), request.params.siteId, request.body));
      },
    );
  };
}
