import { sql, type Kysely } from 'kysely';

/**
 * Issue 14: the device-model capability's tables. A station's configuration as the CSMS last
 * learnt it (2.x components/variables from reports and Get/SetVariables, 1.6 keys from
 * GetConfiguration/ChangeConfiguration), the report requests with the parts that arrived, and
 * the station's monitors. Every row carries its tenant and goes with its station.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Request ids of report requests (GetBaseReport, GetReport, GetMonitoringReport): positive 32-bit, cycling.
  await sql`create sequence device_model_request_id_seq as integer start with 1 maxvalue 2147483647 cycle`.execute(db);

  await db.schema
    .createTable('device_model_variables')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // Case-folded address of the setting (names are case-insensitive); unique per station.
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('dialect', 'text', (c) => c.notNull())
    .addColumn('component_name', 'text')
    .addColumn('component_instance', 'text')
    .addColumn('evse_id', 'integer')
    .addColumn('connector_id', 'integer')
    .addColumn('variable_name', 'text')
    .addColumn('variable_instance', 'text')
    .addColumn('attributes', 'jsonb', (c) => c.notNull())
    .addColumn('characteristics', 'jsonb')
    .addColumn('readonly', 'boolean')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    // The report that last wrote the row (a complete full report removes what it did not mention).
    .addColumn('report_id', 'uuid')
    .addColumn('set_value', 'text')
    .addColumn('set_status', 'text')
    .addColumn('set_at', 'timestamptz')
    .addPrimaryKeyConstraint('device_model_variables_pk', ['station_id', 'identity'])
    .execute();
  await db.schema.createIndex('device_model_variables_key_idx').on('device_model_variables').columns(['station_id', 'key']).execute();

  await db.schema
    .createTable('device_model_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('request_id', 'integer', (c) => c.notNull())
    .addColumn('command_id', 'uuid')
    .addColumn('command_type', 'text')
    .addColumn('criteria', 'jsonb', (c) => c.notNull())
    .addColumn('replaces', 'boolean', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('station_status', 'text')
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('first_part_at', 'timestamptz')
    .addColumn('last_part_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('generated_at', 'timestamptz')
    .addColumn('parts_received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seq_no', 'integer')
    .addColumn('items_received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicate_parts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('problems', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index device_model_reports_request_uq on device_model_reports (station_id, kind, request_id)`.execute(db);
  await db.schema.createIndex('device_model_reports_station_idx').on('device_model_reports').columns(['station_id', 'requested_at']).execute();
  await sql`create index device_model_reports_open_idx on device_model_reports (updated_at) where state in ('requested', 'accepted', 'receiving')`.execute(db);

  // Which parts of a report arrived (a repeated seqNo is recognised and changes nothing).
  await db.schema
    .createTable('device_model_report_parts')
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('device_model_reports.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('seq_no', 'integer', (c) => c.notNull())
    .addColumn('tbc', 'boolean', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_model_report_parts_pk', ['report_id', 'seq_no'])
    .execute();

  await db.schema
    .createTable('device_model_monitors')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('monitor_id', 'integer', (c) => c.notNull())
    .addColumn('component_name', 'text', (c) => c.notNull())
    .addColumn('component_instance', 'text')
    .addColumn('evse_id', 'integer')
    .addColumn('connector_id', 'integer')
    .addColumn('variable_name', 'text', (c) => c.notNull())
    .addColumn('variable_instance', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('transaction', 'boolean', (c) => c.notNull())
    .addColumn('origin', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('report_id', 'uuid')
    .addPrimaryKeyConstraint('device_model_monitors_pk', ['station_id', 'monitor_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('device_model_monitors').ifExists().execute();
  await db.schema.dropTable('device_model_report_parts').ifExists().execute();
  await db.schema.dropTable('device_model_reports').ifExists().execute();
  await db.schema.dropTable('device_model_variables').ifExists().execute();
  await sql`drop sequence if exists device_model_request_id_seq`.execute(db);
}
