/** OCPP 2.1 <-> vendor extensions: DataTransfer keeps the 2.0.1 fields, so the 2.0.1 translation serves. */
import type { OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import type { VendorDataTransferService } from './vendor-data-transfer-service.ts';
import { vendorHandlers2x } from './vendor-ocpp201.ts';

export function vendorHandlers21(service: VendorDataTransferService): OcppHandlerTable<'2.1'> {
  return { version: '2.1', owner: 'vendor-extensions', handlers: vendorHandlers2x(service) };
}
