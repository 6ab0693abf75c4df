/** The vendor-extensions capability as the composition root plugs it in (issue 14). */
import { Type } from '@sinclair/typebox';
import { nullIfNotFound, type CapabilityModule, type Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandKind, CommandService } from '../commands/index.ts';
import { PROFILE_ID_PATTERN } from './vendor-profile.ts';
import { VendorSchemaService } from './vendor-schema-service.ts';
import { VendorProfileService, type TenantResolver } from './vendor-profile-service.ts';
import { VendorDataTransferService, type PreparedVendorCommand, type VendorCommandParams } from './vendor-data-transfer-service.ts';
import { SqlVendorProfileRepository } from './vendor-profile-repository-sql.ts';
import { SqlVendorDataRepository } from './vendor-data-repository-sql.ts';
import { vendorProfileRoutes } from './vendor-profile-http.ts';
import { vendorStationRoutes } from './vendor-station-http.ts';
import { vendorCommandCall16, vendorHandlers16 } from './vendor-ocpp16.ts';
import { vendorCommandCall2x, vendorHandlers201 } from './vendor-ocpp201.ts';
import { vendorHandlers21 } from './vendor-ocpp21.ts';

export interface VendorExtensionsDeps {
  stations: Pick<StationService, 'get' | 'owner'>;
  commands: Pick<CommandService, 'register'>;
  tenants: TenantResolver;
}

export interface VendorExtensionsModule extends CapabilityModule {
  readonly profiles: VendorProfileService;
  readonly transfers: VendorDataTransferService;
}

export function vendorExtensionsModule({ db, clock, log }: Platform, deps: VendorExtensionsDeps): VendorExtensionsModule {
  const logger = log.child({ component: 'vendor-extensions' });
  const profiles = new VendorProfileService(new SqlVendorProfileRepository(db), new VendorSchemaService(), deps.tenants, clock, logger);
  const transfers = new VendorDataTransferService(
    profiles,
    new SqlVendorDataRepository(db),
    {
      identity: async (stationId) => {
        const station = await nullIfNotFound(deps.stations.get(stationId));
        return { vendor: station?.vendor ?? null, model: station?.model ?? null };
      },
      tenantOf: async (stationId) => (await deps.stations.owner(stationId))?.tenantId ?? null,
    },
    logger,
  );
  const vendorCommand: CommandKind<VendorCommandParams> = {
    type: 'vendorCommand',
    rest: {
      description: "A vendor profile's outbound command, rendered into a DataTransfer (docs/vendor-profiles.md)",
      properties: {
        profileId: Type.String({ pattern: PROFILE_ID_PATTERN, description: "A profile of the station's tenant" }),
        command: Type.String({ minLength: 1, maxLength: 64, description: 'The command name the profile declares' }),
        parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The template's parameters, checked against the profile's parameter schema" })),
      },
    },
    prepare: (stationId, params) => transfers.prepareCommand(stationId, params),
    toCall: {
      '1.6': (params) => vendorCommandCall16(params as PreparedVendorCommand),
      '2.0.1': (params) => vendorCommandCall2x('2.0.1')(params as PreparedVendorCommand),
      '2.1': (params) => vendorCommandCall2x('2.1')(params as PreparedVendorCommand),
    },
  };
  deps.commands.register(vendorCommand);
  return {
    name: 'vendor-extensions',
    profiles,
    transfers,
    ocpp: [vendorHandlers16(transfers), vendorHandlers201(transfers), vendorHandlers21(transfers)],
    routes: [vendorProfileRoutes(profiles), vendorStationRoutes(transfers)],
  };
}
