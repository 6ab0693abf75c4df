/** The id-token storage port. */
import type { IdToken } from './authorization.ts';

export interface TokenRepository {
  all(): Promise<IdToken[]>;
  /** Inserts or replaces; returns whether it was new. */
  upsert(token: IdToken): Promise<boolean>;
  /** Inserts many in one statement; existing tokens are replaced. */
  upsertMany(tokens: readonly IdToken[]): Promise<void>;
  remove(idToken: string): Promise<boolean>;
}
