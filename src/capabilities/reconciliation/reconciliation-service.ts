/**
 * Reconciliation shell: runs the ledgers' join for a period and scope, checks the gateway's own
 * record when a gateway is configured, and stores the summaries of runs (on demand and daily).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import { scopedTenant, ALL_TENANTS, type TenantScope } from '../../kernel/tenant-scope.ts';
import { addRows, DISCREPANCY_KINDS, emptyTotals, rowsOf, sitesKey, type Discrepancy, type DiscrepancyKind, type Period, type Totals, type TotalRow } from './reconciliation.ts';
import { GatewayCaptures, holdOf, judgeRecord, missingAtGateway, type GatewayRecord, type HoldFacts } from './reconciliation-gateway.ts';
import type { ReconciliationRepository, ReconciliationRun } from './reconciliation-repository.ts';

/** The gateway's record, as far as reconciliation reads it (the payments port's `list`). */
export interface ReconciliationGateway {
  readonly name: string;
  /** Every authorization created in [from, to). */
  list(from: Date, to: Date): AsyncIterable<GatewayRecord>;
}

export interface ReconciliationDeps {
  repo: ReconciliationRepository;
  /** Null when no gateway is configured: the gateway's kinds are not checked (`gatewayChecked: false`). */
  gateway: ReconciliationGateway | null;
  clock: Clock;
  log: Logger;
  /** A hold still open this long after its session ended (or, without one, after it was placed) is listed. */
  holdOverdueMs: number;
}

export interface Reconciliation {
  period: Period;
  gateway: string | null;
  gatewayChecked: boolean;
  /** Completed transactions examined. */
  transactions: number;
  /** Every discrepancy found (the page is `items`). */
  itemCount: number;
  items: Discrepancy[];
  totals: Totals;
}

/** Gateway records matched to holds per database round trip. */
const GATEWAY_BATCH = 500;
const HOLD_PAGE = 5_000;

export class ReconciliationService {
  private readonly log: Logger;

  constructor(private readonly deps: ReconciliationDeps) {
    this.log = deps.log.child({ component: 'reconciliation' });
  }

  get gatewayName(): string | null {
    return this.deps.gateway?.name ?? null;
  }

  /** The discrepancies of a period in a scope: all counted, one page listed (ledger kinds first, then the gateway's). */
  async reconcile(scope: TenantScope, period: Period, page: { limit: number; offset: number }): Promise<Reconciliation> {
    const found = await this.find(scope, period, page);
    const totals = addRows(emptyTotals(), found.rows);
    return {
      period,
      gateway: this.gatewayName,
      gatewayChecked: found.gatewayChecked,
      transactions: found.examined.reduce((n, e) => n + e.transactions, 0),
      itemCount: totals.count,
      items: found.items,
      totals,
    };
  }

  /** Runs it now for the caller's scope and stores its summary. */
  async runNow(scope: TenantScope, period: Period): Promise<ReconciliationRun> {
    const started = performance.now();
    const found = await this.find(scope, period, { limit: 0, offset: 0 });
    const tenantId = scopedTenant(scope);
    const run = this.summary(tenantId, sitesKey(scope), period, 'on-demand', found, performance.now() - started, tenantId === null ? undefined : tenantId);
    await this.deps.repo.saveRuns([run]);
    return run;
  }

  /**
   * The daily run of a period over every tenant: one summary per tenant and one for the whole
   * platform, stored once (null when that day's run is already stored).
   */
  async runDaily(period: Period): Promise<ReconciliationRun[] | null> {
    if (await this.deps.repo.hasDailyRun(period)) return null;
    const started = performance.now();
    const found = await this.find(ALL_TENANTS, period, { limit: 0, offset: 0 });
    const took = performance.now() - started;
    const runs = [this.summary(null, null, period, 'daily', found, took, undefined)];
    for (const tenantId of await this.deps.repo.tenants()) runs.push(this.summary(tenantId, null, period, 'daily', found, took, tenantId));
    await this.deps.repo.saveRuns(runs);
    const [all] = runs;
    this.log.info({ from: period.from, to: period.to, transactions: all?.transactions, items: all?.items, counts: all?.counts, tookMs: Math.round(took) }, 'daily reconciliation');
    return runs;
  }

  listRuns(scope: TenantScope, page: { limit: number; offset: number }) {
    return this.deps.repo.listRuns(scope, page);
  }

  private summary(tenantId: string | null, siteIds: string[] | null, period: Period, trigger: ReconciliationRun['trigger'], found: Found, tookMs: number, only: string | undefined): ReconciliationRun {
    const totals = addRows(emptyTotals(), found.rows, only);
    const kinds = <T>(value: (kind: DiscrepancyKind) => T) => Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, value(k)])) as Record<DiscrepancyKind, T>;
    return {
      id: randomUUID(),
      tenantId,
      siteIds,
      period,
      trigger,
      gatewayChecked: found.gatewayChecked,
      transactions: found.examined.filter((e) => only === undefined || e.tenantId === only).reduce((n, e) => n + e.transactions, 0),
      items: totals.count,
      counts: kinds((k) => totals.byKind[k].count),
      atStake: kinds((k) => totals.byKind[k].byCurrency),
      tookMs: Math.round(tookMs),
      createdAt: this.deps.clock(),
    };
  }

  private async find(scope: TenantScope, period: Period, page: { limit: number; offset: number }): Promise<Found> {
    const now = this.deps.clock();
    const overdueBefore = new Date(Math.min(period.to.getTime(), now.getTime() - this.deps.holdOverdueMs));
    const ledger = await this.deps.repo.scan(scope, period, { overdueBefore, limit: page.limit, offset: page.offset });
    const ledgerCount = ledger.totals.reduce((n, t) => n + t.count, 0);
    const gateway = await this.gatewayItems(scope, period);
    // The gateway's items follow the ledger's in the listing: a page past the ledger's items takes them.
    const start = Math.max(0, page.offset - ledgerCount);
    const room = Math.max(0, page.limit - ledger.items.length);
    const items = [...ledger.items, ...(gateway ? gateway.slice(start, start + room) : [])];
    return { rows: [...ledger.totals, ...rowsOf(gateway ?? [])], items, examined: ledger.examined, gatewayChecked: gateway !== null };
  }

  /** The gateway's record against our holds (null: no gateway configured). */
  private async gatewayItems(scope: TenantScope, period: Period): Promise<Discrepancy[] | null> {
    const gateway = this.deps.gateway;
    if (!gateway) return null;
    const seesEveryTenant = scopedTenant(scope) === null;
    // The list starts where the period's oldest hold was placed (a session's hold precedes its stop).
    const oldest = await this.deps.repo.oldestHold(scope, period);
    const from = oldest && oldest < period.from ? oldest : period.from;
    const items: Discrepancy[] = [];
    const seen = new Set<string>();
    const captures = new GatewayCaptures();
    let batch: GatewayRecord[] = [];
    const judge = async () => {
      const holds = await this.deps.repo.holdsFor(scope, period, batch.map((r) => r.ref), batch.flatMap((r) => (r.holdId ? [r.holdId] : [])));
      const byRef = new Map(holds.flatMap((h) => (h.gatewayRef ? [[h.gatewayRef, h] as const] : [])));
      const byId = new Map(holds.map((h) => [h.id, h] as const));
      for (const record of batch) {
        const hold = holdOf(record, byRef, byId);
        const item = judgeRecord(record, hold, period, seesEveryTenant);
        if (item) items.push(item);
        captures.add(record, hold);
      }
      batch = [];
    };
    for await (const record of gateway.list(from, period.to)) {
      seen.add(record.ref);
      batch.push(record);
      if (batch.length >= GATEWAY_BATCH) await judge();
    }
    if (batch.length > 0) await judge();
    // Our captured holds the gateway did not list at all.
    for (let after: string | null = null; ; ) {
      const page: HoldFacts[] = await this.deps.repo.capturedHolds(scope, period, after, HOLD_PAGE);
      for (const hold of page) if (hold.gatewayRef === null || !seen.has(hold.gatewayRef)) items.push(missingAtGateway(hold));
      if (page.length < HOLD_PAGE) break;
      after = page[page.length - 1]!.id;
    }
    // Sessions the gateway charged more than once where our own holds do not show it (those the ledger lists already).
    const charged = captures.sessions();
    const ours = await this.deps.repo.capturedCounts(scope, charged);
    for (const transactionId of charged) {
      if ((ours.get(transactionId) ?? 0) > 1) continue;
      const item = captures.duplicate(transactionId);
      if (item) items.push(item);
    }
    return items.sort(byListing);
  }
}

interface Found {
  rows: TotalRow[];
  items: Discrepancy[];
  examined: Array<{ tenantId: string; transactions: number }>;
  gatewayChecked: boolean;
}

/** The gateway's items in a stable order: kind, then stop, then ids. */
function byListing(a: Discrepancy, b: Discrepancy): number {
  return (
    DISCREPANCY_KINDS.indexOf(a.kind) - DISCREPANCY_KINDS.indexOf(b.kind) ||
    (a.stoppedAt?.getTime() ?? Infinity) - (b.stoppedAt?.getTime() ?? Infinity) ||
    String(a.transactionId).localeCompare(String(b.transactionId)) ||
    String(a.holdId).localeCompare(String(b.holdId)) ||
    String(a.facts.gatewayRef).localeCompare(String(b.facts.gatewayRef))
  );
}
