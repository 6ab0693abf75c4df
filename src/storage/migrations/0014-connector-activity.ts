import { sql, type Kysely } from 'kysely';

/**
 * Issue 12: what goes on at an occupied connector (preparing, charging, suspended, finishing) in
 * version-neutral words, so that no capability outside the OCPP adapters decides on a 1.6 status
 * name. Existing 1.6 rows get it from the status they already store.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['station_connectors', 'station_status_history']) {
    await db.schema.alterTable(table).addColumn('activity', 'text').execute();
    await sql`update ${sql.table(table)} set activity = case ocpp_status
        when 'Preparing' then 'preparing' when 'Charging' then 'charging' when 'SuspendedEV' then 'suspended-by-ev'
        when 'SuspendedEVSE' then 'suspended-by-station' when 'Finishing' then 'finishing' end
      where status = 'Occupied'`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('station_status_history').dropColumn('activity').execute();
  await db.schema.alterTable('station_connectors').dropColumn('activity').execute();
}
