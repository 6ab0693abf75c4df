/**
 * The row types of every table, as one Kysely sees them. Each capability owns
 * its tables in src/storage/tables/<capability>-tables.ts and its migration in
 * src/storage/migrations/; this file only gathers them.
 */
import type { StationTables } from './tables/station-tables.ts';
import type { TransactionTables } from './tables/transaction-tables.ts';
import type { CommandTables } from './tables/command-tables.ts';
import type { AuthorizationTables } from './tables/authorization-tables.ts';
import type { ClusterTables } from './tables/cluster-tables.ts';
import type { StuckTables } from './tables/stuck-tables.ts';
import type { TenantTables } from './tables/tenant-tables.ts';
import type { AccessTables } from './tables/access-tables.ts';
import type { OidcTables } from './tables/oidc-tables.ts';

export interface DatabaseSchema extends StationTables, TransactionTables, CommandTables, AuthorizationTables, ClusterTables, StuckTables, TenantTables, AccessTables, OidcTables {}
