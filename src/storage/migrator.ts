/**
 * Runs the migration set at start. Migrations live in code (not a folder
 * scan) so a bundled or compiled build carries them, and the order is explicit.
 */
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.ts';
import * as m0001 from './migrations/0001-stations.ts';
import * as m0002 from './migrations/0002-transactions.ts';
import * as m0003 from './migrations/0003-commands.ts';
import * as m0004 from './migrations/0004-authorization.ts';
import * as m0005 from './migrations/0005-local-lists.ts';
import * as m0006 from './migrations/0006-transaction-write-path.ts';
import * as m0007 from './migrations/0007-offline-authorization.ts';
import * as m0008 from './migrations/0008-stuck-cases.ts';
import * as m0011 from './migrations/0011-cluster-leases.ts';
import * as m0012 from './migrations/0012-meter-precision.ts';
import * as m0013 from './migrations/0013-transaction-version.ts';
import * as m0014 from './migrations/0014-connector-activity.ts';
import * as m0015 from './migrations/0015-neutral-command-words.ts';
import * as m0016 from './migrations/0016-tenants.ts';
import * as m0017 from './migrations/0017-station-tenant.ts';
import * as m0018 from './migrations/0018-access.ts';
import * as m0019 from './migrations/0019-tenant-owned-rows.ts';
import * as m0020 from './migrations/0020-audit.ts';
import * as m0021 from './migrations/0021-oidc.ts';
import * as m0022 from './migrations/0022-row-level-security.ts';
import * as m0023 from './migrations/0023-station-events.ts';
import * as m0024 from './migrations/0024-device-model.ts';
import * as m0025 from './migrations/0025-reservations.ts';
import * as m0026 from './migrations/0026-vendor-extensions.ts';
import * as m0027 from './migrations/0027-display-messages.ts';
import * as m0028 from './migrations/0028-customer-information.ts';
import * as m0029 from './migrations/0029-config-templates.ts';
import * as m0030 from './migrations/0030-tariffs.ts';
import * as m0031 from './migrations/0031-tariff-assignments.ts';
import * as m0032 from './migrations/0032-billing.ts';
import * as m0033 from './migrations/0033-payments.ts';
import * as m0034 from './migrations/0034-pay-codes.ts';
import * as m0035 from './migrations/0035-reconciliation.ts';
import * as m0036 from './migrations/0036-payment-fast-path.ts';
import * as m0037 from './migrations/0037-station-cost.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-stations': m0001,
  '0002-transactions': m0002,
  '0003-commands': m0003,
  '0004-authorization': m0004,
  '0005-local-lists': m0005,
  '0006-transaction-write-path': m0006,
  '0007-offline-authorization': m0007,
  '0008-stuck-cases': m0008,
  '0011-cluster-leases': m0011,
  '0012-meter-precision': m0012,
  '0013-transaction-version': m0013,
  '0014-connector-activity': m0014,
  '0015-neutral-command-words': m0015,
  '0016-tenants': m0016,
  '0017-station-tenant': m0017,
  '0018-access': m0018,
  '0019-tenant-owned-rows': m0019,
  '0020-audit': m0020,
  '0021-oidc': m0021,
  '0022-row-level-security': m0022,
  '0023-station-events': m0023,
  '0024-device-model': m0024,
  '0025-reservations': m0025,
  '0026-vendor-extensions': m0026,
  '0027-display-messages': m0027,
  '0028-customer-information': m0028,
  '0029-config-templates': m0029,
  '0030-tariffs': m0030,
  '0031-tariff-assignments': m0031,
  '0032-billing': m0032,
  '0033-payments': m0033,
  '0034-pay-codes': m0034,
  '0035-reconciliation': m0035,
  '0036-payment-fast-path': m0036,
  '0037-station-cost': m0037,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Database): Promise<string[]> {
  // Numbers are handed out per change and land in any order (0011 may run before 0006 exists);
  // each migration touches only its own tables, so a later lower number is applied, not refused.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`database migration failed: ${(error as Error).message ?? String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
