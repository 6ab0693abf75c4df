/**
 * What the signed-in caller may see and do, decided from GET /auth/me.
 * The console only hides what the role does not allow, so nobody is offered
 * a page or a button that would answer 403; the server still checks every
 * request. Every "may I show this?" question of the console goes through
 * this module, so the mapping lives in one place.
 */
import { href, type Route } from './route.ts';
import type { Me } from './types.ts';

export const PERMISSIONS = [
  'tenants:read',
  'tenants:write',
  'stations:read',
  'stations:write',
  'tokens:read',
  'tokens:write',
  'transactions:read',
  'transactions:write',
  'commands:read',
  'commands:write',
  'users:read',
  'users:write',
  'api-keys:read',
  'api-keys:write',
  'audit:read',
  'billing:read',
  'billing:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Fails closed: no caller loaded yet means no permission. */
export function can(me: Me | null, permission: Permission): boolean {
  return me !== null && me.permissions.includes(permission);
}

/** Each thing the console shows or does → the permission the API asks for it. */
export const FEATURES = {
  /** Network overview, station page, live events, message log, status history. */
  viewStations: 'stations:read',
  /** The station's action form: remote start / stop, reset, unlock, availability, trigger, configuration. */
  sendCommands: 'commands:write',
  viewCommands: 'commands:read',
  viewSessions: 'transactions:read',
  /** Approve / dismiss a stuck transaction. */
  resolveStuckSessions: 'transactions:write',
  viewTokens: 'tokens:read',
  /** Add, block, unblock, import tokens. */
  editTokens: 'tokens:write',
  /** Edit or delete a station, its offline-authorization settings, local list sync. */
  editStations: 'stations:write',
  viewAudit: 'audit:read',
  /** The money page: reconciliation of a period and the latest CDRs. */
  viewMoney: 'billing:read',
} as const satisfies Record<string, Permission>;
export type Feature = keyof typeof FEATURES;

export function allows(me: Me | null, feature: Feature): boolean {
  return can(me, FEATURES[feature]);
}

const PAGE_FEATURE: Record<Route['page'], Feature> = {
  overview: 'viewStations',
  station: 'viewStations',
  sessions: 'viewSessions',
  session: 'viewSessions',
  tokens: 'viewTokens',
  money: 'viewMoney',
};

export function mayOpen(me: Me | null, page: Route['page']): boolean {
  return allows(me, PAGE_FEATURE[page]);
}

export interface NavEntry {
  label: string;
  href: string;
  /** The pages that highlight this entry as current. */
  pages: Array<Route['page']>;
}

const NAV: NavEntry[] = [
  { label: 'Network', href: href('overview'), pages: ['overview', 'station'] },
  { label: 'Sessions', href: href('sessions'), pages: ['sessions', 'session'] },
  { label: 'Tokens', href: href('tokens'), pages: ['tokens'] },
  { label: 'Money', href: href('money'), pages: ['money'] },
];

/** The main navigation without the entries the caller may not open. */
export function navFor(me: Me | null): NavEntry[] {
  return NAV.filter((entry) => entry.pages.every((page) => mayOpen(me, page)));
}

/** Where to send a caller whose requested page is not theirs: the first page they may open, or null for none. */
export function landingHref(me: Me | null): string | null {
  return navFor(me)[0]?.href ?? null;
}

export interface StationTab {
  key: string;
  label: string;
  feature: Feature;
}

const STATION_TABS: StationTab[] = [
  { key: 'status', label: 'Status history', feature: 'viewStations' },
  { key: 'messages', label: 'Message log', feature: 'viewStations' },
  { key: 'commands', label: 'Commands', feature: 'viewCommands' },
  { key: 'audit', label: 'Audit', feature: 'viewAudit' },
];

/** The station page's tabs the caller may open, in display order. */
export function stationTabsFor(me: Me | null): StationTab[] {
  return STATION_TABS.filter((tab) => allows(me, tab.feature));
}
