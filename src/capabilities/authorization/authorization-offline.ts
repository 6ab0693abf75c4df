/**
 * How a station authorizes while it cannot reach the CSMS, set by the operator
 * per site and per station (a station's own value wins over its site's), and
 * what must be pushed to a station so it holds what was asked. Pure.
 *
 * The settings are the station-side switches of OCPP 1.6 §3.5/§9.1-§9.2 and
 * OCPP 2.0.1 C12-C15 (AuthCtrlr, AuthCacheCtrlr, LocalAuthListCtrlr); their
 * wire names live in the version adapters.
 */

export const OFFLINE_SETTINGS = [
  /** Authorize from the local list / cache while offline (1.6 LocalAuthorizeOffline, 2.0.1 C12/C13). */
  'localAuthorizeOffline',
  /** Start at once for tokens the list / cache accepts, even online (1.6 LocalPreAuthorize, 2.0.1 C12/C14). */
  'localPreAuthorize',
  /** Let unknown tokens charge while offline (1.6 AllowOfflineTxForUnknownId, 2.0.1 OfflineTxForUnknownIdEnabled, C15). */
  'offlineTxForUnknownId',
  /** Keep an authorization cache (1.6 AuthorizationCacheEnabled, 2.0.1 AuthCacheCtrlr.Enabled, C10). */
  'authCacheEnabled',
  /** Use the local authorization list (1.6 LocalAuthListEnabled, 2.0.1 LocalAuthListCtrlr.Enabled, D01). */
  'localAuthListEnabled',
] as const;
export type OfflineSetting = (typeof OFFLINE_SETTINGS)[number];

/** Each OCPP version's configuration key or device-model variable for each setting (the adapters define them). */
export type OfflineSettingKeys = Readonly<Record<OfflineSetting, string>>;

/** What an operator set on one site or station; a missing setting is left to the site or to the station. */
export type OfflineSettings = Partial<Record<OfflineSetting, boolean>>;

export interface EffectiveSetting {
  value: boolean;
  from: 'station' | 'site';
}

export type EffectiveOfflineSettings = Partial<Record<OfflineSetting, EffectiveSetting>>;

export function effectiveOfflineSettings(site: OfflineSettings | null, station: OfflineSettings | null): EffectiveOfflineSettings {
  const effective: EffectiveOfflineSettings = {};
  for (const setting of OFFLINE_SETTINGS) {
    const own = station?.[setting];
    const inherited = site?.[setting];
    if (own !== undefined) effective[setting] = { value: own, from: 'station' };
    else if (inherited !== undefined) effective[setting] = { value: inherited, from: 'site' };
  }
  return effective;
}

/** What the station is known to hold: the value it last accepted for each setting. */
export type AppliedOfflineSettings = Partial<Record<OfflineSetting, boolean>>;

/** The settings whose wanted value the station has not accepted yet. */
export function offlineSettingsToPush(wanted: EffectiveOfflineSettings, applied: AppliedOfflineSettings): Array<{ setting: OfflineSetting; value: boolean }> {
  const push: Array<{ setting: OfflineSetting; value: boolean }> = [];
  for (const setting of OFFLINE_SETTINGS) {
    const want = wanted[setting];
    if (want && applied[setting] !== want.value) push.push({ setting, value: want.value });
  }
  return push;
}
