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
import type { CustomerInformationTables } from './tables/customer-information-tables.ts';
import type { DisplayMessageTables } from './tables/display-messages-tables.ts';
import type { VendorExtensionTables } from './tables/vendor-extensions-tables.ts';
import type { ReservationTables } from './tables/reservations-tables.ts';
import type { DeviceModelTables } from './tables/device-model-tables.ts';
import type { StationEventsTables } from './tables/station-events-tables.ts';
import type { ConfigTemplateTables } from './tables/config-templates-tables.ts';
import type { TariffTables } from './tables/tariffs-tables.ts';
import type { BillingTables } from './tables/billing-tables.ts';
import type { PaymentTables } from './tables/payments-tables.ts';
import type { PayCodeTables } from './tables/pay-codes-tables.ts';
import type { ReconciliationTables } from './tables/reconciliation-tables.ts';
import type { StationCostTables } from './tables/station-cost-tables.ts';

export interface DatabaseSchema
  extends StationTables,
    TransactionTables,
    CommandTables,
    AuthorizationTables,
    ClusterTables,
    StuckTables,
    TenantTables,
    AccessTables,
    OidcTables,
    StationEventsTables,
    DeviceModelTables,
    ReservationTables,
    VendorExtensionTables,
    DisplayMessageTables,
    CustomerInformationTables,
    ConfigTemplateTables,
    TariffTables,
    BillingTables,
    PaymentTables,
    PayCodeTables,
    ReconciliationTables,
    StationCostTables {}
