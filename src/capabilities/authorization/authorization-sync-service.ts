/**
 * Keeps every node's in-memory token index and local-list version current in
 * a cluster: a token write on one node is announced as a domain event, and
 * the other nodes reload the named tokens from the database and bring their
 * own stations' local lists to the new version. Autocharge site switches
 * travel the same way. One node alone publishes the events too, and ignores
 * them (they are local).
 */
import type { Logger } from 'pino';
import type { EventBus } from '../../cluster/event-bus.ts';
import type { Clock } from '../../kernel/time.ts';
import type { AuthorizationService } from './authorization-service.ts';
import type { LocalListService } from './authorization-local-list-service.ts';

export function syncAuthorizationAcrossNodes(events: EventBus, tokens: AuthorizationService, localLists: LocalListService, clock: Clock, log: Logger): () => void {
  tokens.onTokensWritten((idTokens) =>
    events.publish({ type: 'authorization.tokens-changed', at: clock().toISOString(), idTokens }),
  );
  tokens.autocharge.onSiteChange((siteId, enabled) =>
    events.publish({ type: 'authorization.autocharge-site-changed', at: clock().toISOString(), siteId, enabled }),
  );
  // One after another, so an older change never lands after a newer one.
  let chain: Promise<void> = Promise.resolve();
  return events.subscribe(
    (event, origin) => {
      if (origin.local) return;
      if (event.type === 'authorization.autocharge-site-changed') return tokens.autocharge.applySite(event.siteId, event.enabled);
      if (event.type !== 'authorization.tokens-changed') return;
      chain = chain
        .then(() => tokens.refresh(event.idTokens))
        .then(() => localLists.refreshVersion())
        .catch((error: unknown) => log.error({ err: error, from: origin.nodeId }, 'token change from another node could not be applied'));
    },
    { scope: 'cluster', types: ['authorization.tokens-changed', 'authorization.autocharge-site-changed'] },
  );
}
