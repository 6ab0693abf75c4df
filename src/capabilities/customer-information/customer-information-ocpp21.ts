/**
 * Customer information <-> OCPP 2.1: CustomerInformation and NotifyCustomerInformation keep their
 * 2.0.1 shape; the idToken may be 255 characters and its type is free text of up to 20.
 */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { DIALECT_21 } from '../commands/index.ts';
import { customerInformationHandlers2x, type CustomerDialect } from './customer-information-ocpp201.ts';
import type { CustomerInformationService } from './customer-information-service.ts';

export const CUSTOMER_DIALECT_21: CustomerDialect = { version: '2.1', idTokenMax: DIALECT_21.idTokenMax, idTokenTypes: DIALECT_21.idTokenTypes };

export function customerInformationHandlers21(service: CustomerInformationService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'customer-information', handlers: customerInformationHandlers2x(service) };
}
