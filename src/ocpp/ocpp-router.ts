/**
 * Merges the handler tables of every capability into one lookup per version.
 * Two capabilities claiming one action for one version is a boot error, never
 * a silent override.
 */
import type { OcppVersion } from '../kernel/protocol-version.ts';
import type { AnyOcppHandlerTable, ValidatedHandler } from './ocpp-handler.ts';
import { schemasFor } from './ocpp-schemas.ts';

export class OcppRouter {
  private readonly tables = new Map<OcppVersion, Map<string, { owner: string; handler: ValidatedHandler }>>();

  constructor(tables: readonly AnyOcppHandlerTable[]) {
    for (const table of tables) {
      const byAction = this.tables.get(table.version) ?? new Map();
      this.tables.set(table.version, byAction);
      const schemas = schemasFor(table.version);
      for (const [action, handler] of Object.entries(table.handlers)) {
        if (!handler) continue;
        const existing = byAction.get(action);
        if (existing) {
          throw new Error(`OCPP ${table.version} action ${action} is handled by both ${existing.owner} and ${table.owner}`);
        }
        if (!schemas.knows(action)) {
          throw new Error(`${table.owner} registers ${action}, which OCPP ${table.version} does not define`);
        }
        // The session validates each payload against this action's schema before calling (ocpp-session.ts),
        // and the handler's request type was generated from that schema: the one place the types meet the wire.
        byAction.set(action, { owner: table.owner, handler: handler as ValidatedHandler });
      }
    }
  }

  find(version: OcppVersion, action: string): ValidatedHandler | undefined {
    return this.tables.get(version)?.get(action)?.handler;
  }

  actions(version: OcppVersion): string[] {
    return [...(this.tables.get(version)?.keys() ?? [])].sort();
  }
}
