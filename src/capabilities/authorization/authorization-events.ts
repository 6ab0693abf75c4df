/** The authorization capability's domain events, all cross-node bookkeeping (the bus: src/cluster/event-bus.ts). */
export {};

declare module '../../cluster/event-bus.ts' {
  interface DomainEventMap {
    /** Autocharge was switched for a site on some node: the others update their switch. */
    'authorization.autocharge-site-changed': { siteId: string; enabled: boolean };
    /** Tokens were written on some node: other nodes refresh their in-memory index (null: reload all). */
    'authorization.tokens-changed': { idTokens: string[] | null };
    /** Offline authorization settings of a site or station were set or dropped on some node. */
    'authorization.offline-settings-changed': { scope: 'site' | 'station'; scopeId: string; present: boolean };
  }
}
