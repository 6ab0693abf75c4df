/** The customer-information capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { TimerHandle } from '../../kernel/time.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandKind, CommandService } from '../commands/index.ts';
import { PURGE_INTERVAL_MS, checkParams, type CustomerInformationParams } from './customer-information.ts';
import { CustomerInformationService } from './customer-information-service.ts';
import { SqlCustomerInformationRepository } from './customer-information-repository-sql.ts';
import { CUSTOMER_INFORMATION_PROPERTIES, customerInformationRoutes } from './customer-information-http.ts';
import { CUSTOMER_DIALECT_201, customerInformationCall, customerInformationHandlers201 } from './customer-information-ocpp201.ts';
import { CUSTOMER_DIALECT_21, customerInformationHandlers21 } from './customer-information-ocpp21.ts';

export interface CustomerInformationDeps {
  stations: StationService;
  commands: CommandService;
}

export interface CustomerInformationModule extends CapabilityModule {
  readonly service: CustomerInformationService;
}

type Params = CustomerInformationParams & Record<string, unknown>;

export function customerInformationModule(platform: Platform, deps: CustomerInformationDeps): CustomerInformationModule {
  const log = platform.log.child({ capability: 'customer-information' });
  const service = new CustomerInformationService(new SqlCustomerInformationRepository(platform.db), deps.stations, platform.clock, log);
  // OCPP 1.6 has no customer information message: no 1.6 translation, the command fails Untranslatable.
  const kind: CommandKind<Params> = {
    type: 'customerInformation',
    rest: {
      description: 'Ask the station to report and/or clear what it holds about a customer (2.x CustomerInformation; not in 1.6). The reports are in GET /stations/{id}/customer-information',
      properties: CUSTOMER_INFORMATION_PROPERTIES,
    },
    check: checkParams,
    prepare: async (stationId, params) => (await service.prepare(stationId, params)) as Params,
    toCall: { '2.0.1': customerInformationCall(CUSTOMER_DIALECT_201), '2.1': customerInformationCall(CUSTOMER_DIALECT_21) },
    settled: (command) => service.settled(command),
  };
  deps.commands.register(kind);

  let purgeTimer: TimerHandle | null = null;
  let purging: Promise<unknown> = Promise.resolve();
  const purge = () => {
    purging = service.purge().catch((error: unknown) => log.error({ err: error }, 'customer information purge failed'));
  };
  return {
    name: 'customer-information',
    service,
    ocpp: [customerInformationHandlers201(service), customerInformationHandlers21(service)],
    routes: [customerInformationRoutes(service)],
    start() {
      // Deleting is idempotent: every node may run it, no lease needed.
      purge();
      purgeTimer = platform.timers.setInterval(purge, PURGE_INTERVAL_MS);
      purgeTimer.unref();
    },
    async stop() {
      platform.timers.clearInterval(purgeTimer);
      purgeTimer = null;
      await purging;
    },
  };
}
