/** The display-messages capability as the composition root plugs it in (issue 14). */
import type { CapabilityModule, Platform } from '../../capability-module.ts';
import type { StationService } from '../stations/index.ts';
import type { CommandKind, CommandService } from '../commands/index.ts';
import {
  checkGetParams,
  checkSetParams,
  type ClearDisplayMessageParams,
  type DisplayMessageSpec,
  type GetDisplayMessagesParams,
  type SetDisplayMessageParams,
} from './display-message.ts';
import { DisplayMessageService } from './display-message-service.ts';
import { SqlDisplayMessageRepository } from './display-message-repository-sql.ts';
import { CLEAR_DISPLAY_MESSAGE_PROPERTIES, GET_DISPLAY_MESSAGES_PROPERTIES, SET_DISPLAY_MESSAGE_PROPERTIES, displayMessageRoutes } from './display-message-http.ts';
import { DISPLAY_DIALECT_201, clearDisplayMessageCall, displayMessageHandlers201, getDisplayMessagesCall, setDisplayMessageCall } from './display-message-ocpp201.ts';
import { DISPLAY_DIALECT_21, displayMessageHandlers21 } from './display-message-ocpp21.ts';

export interface DisplayMessageDeps {
  stations: StationService;
  commands: CommandService;
}

export interface DisplayMessageModule extends CapabilityModule {
  readonly service: DisplayMessageService;
}

/** The three command kinds; OCPP 1.6 has no display messages, so they have no 1.6 translation (the command fails Untranslatable). */
function displayMessageKinds(service: DisplayMessageService) {
  const setKind: CommandKind<SetDisplayMessageParams & Record<string, unknown>> = {
    type: 'setDisplayMessage',
    rest: { description: 'Show a message on the station\'s display (2.x SetDisplayMessage; not in 1.6)', properties: SET_DISPLAY_MESSAGE_PROPERTIES },
    check: checkSetParams,
    prepare: (stationId, params) => service.prepareSet(stationId, params),
    toCall: {
      '2.0.1': (p) => setDisplayMessageCall(DISPLAY_DIALECT_201)(p as DisplayMessageSpec),
      '2.1': (p) => setDisplayMessageCall(DISPLAY_DIALECT_21)(p as DisplayMessageSpec),
    },
    settled: (command) => service.settledSet(command),
  };
  const getKind: CommandKind<GetDisplayMessagesParams & Record<string, unknown>> = {
    type: 'getDisplayMessages',
    rest: {
      description: 'Ask the station which messages it holds; it reports them in parts (2.x GetDisplayMessages; not in 1.6). The view shows the report',
      properties: GET_DISPLAY_MESSAGES_PROPERTIES,
    },
    check: checkGetParams,
    prepare: async (stationId, params) => (await service.prepareGet(stationId, params)) as GetDisplayMessagesParams & Record<string, unknown>,
    toCall: { '2.0.1': getDisplayMessagesCall(DISPLAY_DIALECT_201), '2.1': getDisplayMessagesCall(DISPLAY_DIALECT_21) },
    settled: (command) => service.settledGet(command),
  };
  const clearKind: CommandKind<ClearDisplayMessageParams & Record<string, unknown>> = {
    type: 'clearDisplayMessage',
    rest: { description: 'Remove a message from the station\'s display (2.x ClearDisplayMessage; not in 1.6)', properties: CLEAR_DISPLAY_MESSAGE_PROPERTIES },
    toCall: { '2.0.1': clearDisplayMessageCall(DISPLAY_DIALECT_201), '2.1': clearDisplayMessageCall(DISPLAY_DIALECT_21) },
    settled: (command) => service.settledClear(command),
  };
  return { setKind, getKind, clearKind };
}

export function displayMessageModule(platform: Platform, deps: DisplayMessageDeps): DisplayMessageModule {
  const service = new DisplayMessageService(new SqlDisplayMessageRepository(platform.db), deps.stations, platform.clock, platform.log.child({ capability: 'display-messages' }));
  const kinds = displayMessageKinds(service);
  deps.commands.register(kinds.setKind);
  deps.commands.register(kinds.getKind);
  deps.commands.register(kinds.clearKind);
  return {
    name: 'display-messages',
    service,
    ocpp: [displayMessageHandlers201(service), displayMessageHandlers21(service)],
    routes: [displayMessageRoutes(service)],
  };
}
