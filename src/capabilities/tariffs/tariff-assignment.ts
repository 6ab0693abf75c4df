/**
 * Which tariff prices a session (core). A tariff is assigned to a target - the tenant, a site, a
 * station, an EVSE of it or one connector - optionally only for the tokens of one group (a fleet's
 * or a roaming partner's contract). Assignments are never edited: a change is a new assignment
 * from a moment on, a removal an assignment of no tariff, so the tariff a past session started
 * under stays findable (changes are never retroactive).
 *
 * The most specific assignment in force wins. A group's assignment beats any assignment for
 * everyone (a contract price holds at every charger of the tenant, unless a more specific contract
 * assignment says otherwise); among equals in that respect, connector > EVSE > station > site >
 * tenant. Per target, only its latest assignment at that instant counts.
 */

export interface TariffTarget {
  siteId: string | null;
  stationId: string | null;
  evseId: number | null;
  connectorId: number | null;
  /** Only for tokens of this group; null: everyone. */
  tokenGroup: string | null;
}

export interface TariffAssignment extends TariffTarget {
  /** Increasing in the order assignments were made (breaks a tie between two made in the same millisecond). */
  id: number;
  tenantId: string;
  /** Null: from `validFrom` on, this target has no tariff of its own (a removal). */
  tariffId: string | null;
  validFrom: Date;
}

/** Where and for whom a session charges. */
export interface PricingContext {
  siteId: string | null;
  stationId: string;
  evseId: number | null;
  connectorId: number | null;
  tokenGroup: string | null;
}

export type TargetLevel = 'tenant' | 'site' | 'station' | 'evse' | 'connector';
const RANK: Record<TargetLevel, number> = { tenant: 1, site: 2, station: 3, evse: 4, connector: 5 };

export function targetLevel(target: TariffTarget): TargetLevel {
  if (target.connectorId !== null) return 'connector';
  if (target.evseId !== null) return 'evse';
  if (target.stationId !== null) return 'station';
  return target.siteId !== null ? 'site' : 'tenant';
}

/** A well-formed target, or the problem: an EVSE needs its station, a connector its EVSE; a station and a site are not named together. */
export function targetProblem(target: TariffTarget): { path: string; problem: string } | null {
  if (target.evseId !== null && target.stationId === null) return { path: '/evseId', problem: 'an EVSE is named with its stationId' };
  if (target.connectorId !== null && target.evseId === null) return { path: '/connectorId', problem: 'a connector is named with its evseId' };
  if (target.siteId !== null && target.stationId !== null) return { path: '/siteId', problem: 'name a site or a station, not both (a station belongs to its site)' };
  return null;
}

/** One text per target, so that "the latest assignment of each target" is a group-by. */
export function targetKey(target: TariffTarget): string {
  return JSON.stringify([target.siteId, target.stationId, target.evseId, target.connectorId, target.tokenGroup]);
}

/** Whether an assignment's target covers a session charging in this context. */
export function covers(target: TariffTarget, context: PricingContext): boolean {
  if (target.tokenGroup !== null && target.tokenGroup !== context.tokenGroup) return false;
  if (target.siteId !== null && target.siteId !== context.siteId) return false;
  if (target.stationId !== null && target.stationId !== context.stationId) return false;
  if (target.evseId !== null && target.evseId !== context.evseId) return false;
  return target.connectorId === null || target.connectorId === context.connectorId;
}

const specificity = (target: TariffTarget) => (target.tokenGroup !== null ? 10 : 0) + RANK[targetLevel(target)];

/**
 * The assignment that prices a session started at `at`: among the tenant's assignments, those in
 * force then (the latest per target, removals included) that cover the context, the most specific
 * with a tariff. Null when none applies.
 */
export function chooseAssignment(assignments: readonly TariffAssignment[], context: PricingContext, at: Date): TariffAssignment | null {
  const latest = new Map<string, TariffAssignment>();
  for (const assignment of assignments) {
    if (assignment.validFrom > at || !covers(assignment, context)) continue;
    const key = targetKey(assignment);
    const seen = latest.get(key);
    if (!seen || assignment.validFrom > seen.validFrom || (assignment.validFrom.getTime() === seen.validFrom.getTime() && assignment.id > seen.id)) latest.set(key, assignment);
  }
  let best: TariffAssignment | null = null;
  for (const assignment of latest.values()) {
    if (assignment.tariffId === null) continue;
    if (!best || specificity(assignment) > specificity(best)) best = assignment;
  }
  return best;
}
