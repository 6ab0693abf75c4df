import { sql, type Kysely } from 'kysely';

/**
 * Issue 12 renamed two things commands store in the OCPP versions' words: trigger messages
 * ('StatusNotification' -> 'status', ...) and the getTransactionStatus answer's
 * `ongoingIndicator` (-> `transactionOngoing`). Rows written before the upgrade are rewritten, so
 * a trigger still queued is delivered and an old answer reads the same as a new one.
 */
const TRIGGER_NAMES: ReadonlyArray<[string, string]> = [
  ['BootNotification', 'boot'],
  ['Heartbeat', 'heartbeat'],
  ['StatusNotification', 'status'],
  ['MeterValues', 'meterValues'],
  ['TransactionEvent', 'transaction'],
  ['FirmwareStatusNotification', 'firmwareStatus'],
  ['DiagnosticsStatusNotification', 'logStatus'],
  ['LogStatusNotification', 'logStatus'],
  ['SignChargingStationCertificate', 'stationCertificate'],
  ['SignV2GCertificate', 'v2gCertificate'],
  ['SignV2G20Certificate', 'v2g20Certificate'],
  ['SignCombinedCertificate', 'combinedCertificate'],
  ['PublishFirmwareStatusNotification', 'publishFirmwareStatus'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [old, neutral] of TRIGGER_NAMES) {
    await sql`update commands set params = jsonb_set(params, '{message}', to_jsonb(${neutral}::text))
      where type = 'trigger' and params->>'message' = ${old}`.execute(db);
  }
  await sql`update commands
      set response = (response - 'ongoingIndicator') || jsonb_build_object('transactionOngoing', response->'ongoingIndicator')
      where type = 'getTransactionStatus' and response ? 'ongoingIndicator'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The old names are 1.6/2.x spellings; the neutral ones map back to the 2.x spelling.
  for (const [old, neutral] of TRIGGER_NAMES.filter(([old]) => old !== 'DiagnosticsStatusNotification')) {
    await sql`update commands set params = jsonb_set(params, '{message}', to_jsonb(${old}::text))
      where type = 'trigger' and params->>'message' = ${neutral}`.execute(db);
  }
  await sql`update commands
      set response = (response - 'transactionOngoing') || jsonb_build_object('ongoingIndicator', response->'transactionOngoing')
      where type = 'getTransactionStatus' and response ? 'transactionOngoing'`.execute(db);
}
