/**
 * Display messages <-> OCPP 2.1. The four messages keep their 2.0.1 shape; content may be 1024
 * characters, the states Suspended and Discharging and the format QRCODE are new. So the 2.0.1
 * translation serves with this dialect.
 */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { DISPLAY_DIALECT_201, displayMessageHandlers2x, type DisplayDialect } from './display-message-ocpp201.ts';
import type { DisplayMessageService } from './display-message-service.ts';

export const DISPLAY_DIALECT_21: DisplayDialect = {
  version: '2.1',
  contentMax: 1024,
  states: { ...DISPLAY_DIALECT_201.states, suspended: 'Suspended', discharging: 'Discharging' },
  formats: { ...DISPLAY_DIALECT_201.formats, qrCode: 'QRCODE' },
};

export function displayMessageHandlers21(service: DisplayMessageService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'display-messages', handlers: displayMessageHandlers2x(service, DISPLAY_DIALECT_21) };
}
