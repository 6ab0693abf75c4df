/**
 * The station settings that steer transactions, read the same way for every version:
 * 1.6 configuration keys (§9.1) and 2.x device-model variables (2.0.1 Part 2 appendix, TxCtrlr/AuthCtrlr).
 */
import { settingOn, variableKey, type SimSettingStore } from './sim-settings.ts';
import { isV16, type SimOcppVersion } from './sim-types.ts';

/** 2.x E01/E02: does TxCtrlr.TxStartPoint list this point (e.g. EVConnected)? Always false for 1.6. */
export function startsAt(version: SimOcppVersion, settings: SimSettingStore, point: string): boolean {
  if (isV16(version)) return false;
  const value = settings.get(variableKey('TxCtrlr', 'TxStartPoint'))?.value ?? '';
  return value.split(',').map((p) => p.trim()).includes(point);
}

/**
 * May an unknown token start while offline? The simulator keeps no local list or cache, so every token
 * is unknown offline. 1.6 §3.4 / §9.1: LocalAuthorizeOffline and AllowOfflineTxForUnknownId must both
 * be true; 2.0.1 C15: AuthCtrlr.OfflineTxForUnknownIdEnabled.
 */
export function offlineStartAllowed(version: SimOcppVersion, settings: SimSettingStore): boolean {
  if (isV16(version)) return settingOn(settings, 'LocalAuthorizeOffline') && settingOn(settings, 'AllowOfflineTxForUnknownId');
  return settingOn(settings, variableKey('AuthCtrlr', 'OfflineTxForUnknownIdEnabled'));
}

/** 1.6 StopTransactionOnInvalidId / 2.0.1 E05 TxCtrlr.StopTxOnInvalidId. */
export function stopOnInvalidId(version: SimOcppVersion, settings: SimSettingStore): boolean {
  return settingOn(settings, isV16(version) ? 'StopTransactionOnInvalidId' : variableKey('TxCtrlr', 'StopTxOnInvalidId'));
}

/** 1.6 AuthorizeRemoteTxRequests (§5.11) / 2.0.1 F01 AuthCtrlr.AuthorizeRemoteStart. */
export function authorizeRemoteStart(version: SimOcppVersion, settings: SimSettingStore): boolean {
  return settingOn(settings, isV16(version) ? 'AuthorizeRemoteTxRequests' : variableKey('AuthCtrlr', 'AuthorizeRemoteStart'));
}
