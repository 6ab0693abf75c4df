/** The commands capability, as other capabilities and the composition root see it. */
import type { OcppVersion } from '../../kernel/protocol-version.ts';
import type { CommandTranslator } from './command.ts';
import { commandTranslator16 } from './command-ocpp16.ts';
import { commandTranslator201 } from './command-ocpp201.ts';
import { commandTranslator21 } from './command-ocpp21.ts';

export {
  CommandService,
  type CommandServiceDeps,
  type CommandServiceSettings,
  type StartGuard,
  type StationDirectory,
  type SubmitOptions,
  type TransactionResolver,
} from './command-service.ts';
export type { CommandRepository } from './command-repository.ts';
export { SqlCommandRepository } from './command-repository-sql.ts';
export { commandRoutes } from './command-http.ts';
export type { AnyCommandInput, Command, CommandAnswer, CommandAnswerByType, CommandInput, CommandKind, CommandState, CommandType, CommandTranslator, ExtensionCommandInput, TranslatedCommand } from './command.ts';
export { answerOf, commandCall, isFinal, translateKind } from './command.ts';
export { commandTranslator16, commandTranslator201, commandTranslator21 };
/** 2.x wire helpers other capabilities' 2.x adapters share: the status reader, the id-token check, the dialects' id-token rules. */
export { DIALECT_201, idTokenProblem, statusWithReason } from './command-ocpp201.ts';
export { DIALECT_21 } from './command-ocpp21.ts';

/** The wire translation of every OCPP version, for CommandService. */
export const commandTranslators: Readonly<Record<OcppVersion, CommandTranslator>> = {
  '1.6': commandTranslator16,
  '2.0.1': commandTranslator201,
  '2.1': commandTranslator21,
};
export { commandModule, type CommandModule } from './command-module.ts';
