/** What the payments capability needs from the rest of the CSMS and the platform (wired in app.ts). */
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import type { PaymentGateway } from './payment-gateway-port.ts';
import type { HoldPolicy } from './payment-hold.ts';
import type { PaymentRepository } from './payment-repository.ts';

export interface PaymentDeps {
  repo: PaymentRepository;
  gateway: PaymentGateway;
  stations: { owner(stationId: string): Promise<{ tenantId: string; siteId: string | null } | null> };
  /** The currency a session at this station will be priced in (its tariff's), or null when it has no tariff. */
  currencyAt(stationId: string, evseId: number | null): Promise<string | null>;
  /** A session's energy so far and running cost including tax (decimal text in its currency), or null. */
  runningCost(transactionId: string): Promise<{ currency: string; totalInclTax: string; closed: boolean; energyWh: number | null } | null>;
  /** The debit CDR in force for a transaction: what is owed. */
  finalCost(transactionId: string): Promise<{ cdrId: string; totalInclTaxMinor: number | null } | null>;
  /** Makes the id token a paid session starts with (accepted until `expiresAt`). */
  issueToken(tenantId: string, idToken: string, expiresAt: Date): Promise<void>;
  /** Starts the session remotely; the command's id. */
  remoteStart(stationId: string, evseId: number | null, idToken: string): Promise<string>;
  /** Stops a session remotely (a fast-path session whose hold failed or whose exposure bound is reached). */
  remoteStop(transactionId: string): Promise<void>;
  /** Refuses the token from now on (a fast-path session whose hold failed must not start, or start again). */
  blockToken(tenantId: string, idToken: string): Promise<void>;
  clock: Clock;
  log: Logger;
  policy: HoldPolicy;
}
