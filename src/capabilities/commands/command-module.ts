/** The commands capability as the composition root plugs it in: the durable per-station command queue. */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import { FORWARD_SLACK_MS } from '../../cluster/cluster-mode.ts';
import { CommandService, type StationDirectory } from './command-service.ts';
import { SqlCommandRepository } from './command-repository-sql.ts';
import { commandRoutes } from './command-http.ts';
import { commandTranslator16 } from './command-ocpp16.ts';
import { commandTranslator201 } from './command-ocpp201.ts';
import { commandTranslator21 } from './command-ocpp21.ts';

export interface CommandModule extends CapabilityModule {
  readonly service: CommandService;
}

/** Finds the station and the station's own id of a transaction named by our id (the transactions capability). */
export interface CommandTransactionLookup {
  resolve(transactionId: string): Promise<{ stationId: string; ocppTransactionId: string } | null>;
}

export function commandModule({ config, db, cluster, events, clock, log, node }: Platform, stations: StationDirectory, transactions: CommandTransactionLookup): CommandModule {
  const callTimeoutMs = config.ocpp.callTimeoutSec * 1000;
  const service = new CommandService(
    {
      repo: new SqlCommandRepository(db),
      cluster,
      events,
      clock,
      log,
      stations,
      // A stop command names a transaction by our id; a station's own id (1.6 integer, 2.x string) on the addressed station works too.
      transactions: {
        resolve: async (transactionId, context) =>
          (await transactions.resolve(transactionId)) ?? (context ? { stationId: context.stationId, ocppTransactionId: transactionId } : null),
      },
      translators: { '1.6': commandTranslator16, '2.0.1': commandTranslator201, '2.1': commandTranslator21 },
      leases: node.leases,
    },
    {
      defaultExpirySec: config.commands.defaultExpirySec,
      maxWaitSec: config.commands.maxWaitSec,
      sweepIntervalMs: config.commands.sweepIntervalSec * 1000,
      connectGraceMs: config.commands.connectGraceSec * 1000,
      // In a cluster only: a sent command outliving any call it can be in (timeout + forwarding margin, twice) lost its node.
      orphanedAfterMs: node.clustered ? 2 * (callTimeoutMs + FORWARD_SLACK_MS) : undefined,
      outcomePollMs: node.clustered ? 200 : undefined,
    },
  );
  return {
    name: 'commands',
    service,
    routes: [commandRoutes(service)],
    owners: { command: (id) => service.owner(id) },
    start: () => service.start(),
    stop: () => service.stop(),
  };
}
