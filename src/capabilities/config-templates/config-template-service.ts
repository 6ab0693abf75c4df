/**
 * Config-templates shell, the templates themselves: create, change, delete, list, and the drift
 * reports operators read. Reconciling stations with them is config-template-reconcile-service.ts.
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/time.ts';
import { scopedSites, type TenantScope } from '../../kernel/tenant-scope.ts';
import { summariseDrift, type ConfigTemplate, type StationFacts, type TemplateMatch, type TemplateSetting } from './config-template.ts';
import type { ConfigTemplateRepository, Reconciliation } from './config-template-repository.ts';

export interface TemplateStations {
  /** The facts a template matches on; null for an unknown station. */
  facts(stationId: string): Promise<StationFacts | null>;
}

export interface TemplateTenants {
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
  /** The site becomes the tenant's, or is not-found when another tenant owns it. */
  claimSite(siteId: string, tenantId: string): Promise<void>;
}

export interface TemplateInput {
  name: string;
  tenantId?: string;
  match: TemplateMatch;
  settings: TemplateSetting[];
}

export class ConfigTemplateService {
  constructor(
    private readonly repo: ConfigTemplateRepository,
    private readonly stations: TemplateStations,
    private readonly tenants: TemplateTenants,
    private readonly clock: Clock,
  ) {}

  async create(scope: TenantScope, input: TemplateInput): Promise<ConfigTemplate> {
    const now = this.clock();
    const template: ConfigTemplate = { id: randomUUID(), tenantId: await this.tenants.writableTenant(scope, input.tenantId), name: input.name, match: input.match, settings: input.settings, createdAt: now, updatedAt: now };
    checkTemplate(template);
    await this.checkSite(scope, template);
    await this.repo.create(template);
    return template;
  }

  async update(scope: TenantScope, id: string, input: TemplateInput): Promise<ConfigTemplate> {
    const existing = await this.get(id);
    const template = { ...existing, name: input.name, match: input.match, settings: input.settings, updatedAt: this.clock() };
    checkTemplate(template);
    await this.checkSite(scope, template);
    if (!(await this.repo.update(template))) throw new CodedError('not-found', `template ${id} does not exist`);
    return template;
  }

  /**
   * A template names a site of its own tenant (a site nobody owns yet becomes the tenant's); a
   * caller limited to some sites writes templates for one of them only, never for the whole tenant.
   */
  private async checkSite(scope: TenantScope, template: ConfigTemplate): Promise<void> {
    const siteId = template.match.siteId;
    const sites = scopedSites(scope);
    if (sites !== null && (siteId === undefined || !sites.includes(siteId))) {
      throw new CodedError('forbidden', 'a caller limited to some sites writes templates for one of those sites (match.siteId)');
    }
    if (siteId !== undefined) await this.tenants.claimSite(siteId, template.tenantId);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repo.remove(id))) throw new CodedError('not-found', `template ${id} does not exist`);
  }

  async get(id: string): Promise<ConfigTemplate> {
    const template = await this.repo.find(id);
    if (!template) throw new CodedError('not-found', `template ${id} does not exist`);
    return template;
  }

  list(scope: TenantScope): Promise<ConfigTemplate[]> {
    return this.repo.list(scope);
  }

  async owner(id: string): Promise<{ tenantId: string; siteId: string | null } | null> {
    const template = await this.repo.find(id);
    return template ? { tenantId: template.tenantId, siteId: template.match.siteId ?? null } : null;
  }

  // --- Reconciliation --------------------------------------------------------------

  async drift(stationId: string): Promise<(Reconciliation & { summary: ReturnType<typeof summariseDrift> }) | null> {
    if (!(await this.stations.facts(stationId))) throw new CodedError('not-found', `station ${stationId} does not exist`);
    const r = await this.repo.reconciliation(stationId);
    return r ? { ...r, summary: summariseDrift(r.items) } : null;
  }

  /**
   * The network's drift: per station in the scope its latest reconciliation's counts, those with
   * keys the CSMS could not fix first; and the totals an operator watches after a boot storm.
   */
  async driftReport(scope: TenantScope, filter: { onlyNotFixed: boolean; limit: number; offset: number }) {
    // One after the other: each is a scoped read in its own transaction (PGlite has one connection).
    const totals = await this.repo.driftTotals(scope);
    const page = await this.repo.driftPage(scope, filter);
    return { totals, total: page.total, items: page.items };
  }

}

/** Rules the request schema cannot state. */
function checkTemplate(template: ConfigTemplate): void {
  const seen = new Set<string>();
  for (const { key } of template.settings) {
    if (seen.has(key)) throw new CodedError('invalid-input', `settings name ${key} twice`);
    seen.add(key);
  }
}
