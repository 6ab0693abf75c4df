/** Device-model commands -> OCPP 2.1 CALLs: the 2.0.1 messages, with 2.1's wider monitor types. */
import { deviceModelCalls } from './device-model-commands-ocpp201.ts';

export const deviceModelCalls21 = deviceModelCalls('2.1');
