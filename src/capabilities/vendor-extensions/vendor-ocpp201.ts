/**
 * OCPP 2.0.1 (and 2.1, which keeps the message) <-> vendor extensions: inbound DataTransfer, whose
 * data is JSON already, with the customData the request itself may carry; a rejected payload's
 * first problem travels back in statusInfo. The vendorCommand goes out as a DataTransfer with its
 * rendered data as an object.
 */
import { ocppCall, type OcppHandlerTable, type OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type TranslatedCommand } from '../commands/index.ts';
import type { PreparedVendorCommand, VendorDataTransferService } from './vendor-data-transfer-service.ts';
import { ACCEPTING, TRANSFER_STATUS } from './vendor-ocpp16.ts';

type Ocpp2x = '2.0.1' | '2.1';
const ACTION = 'DataTransfer';

export function vendorHandlers2x(service: VendorDataTransferService): OcppSharedHandlers<Ocpp2x, 'DataTransfer'> {
  return {
    DataTransfer: async (ctx, request) => {
      const answer = await service.receive(ctx, { vendorId: request.vendorId, messageId: request.messageId, data: request.data, payload: request, dataIsText: false });
      if (request.customData) await service.applyCustomData(ctx, ACTION, request);
      const status = TRANSFER_STATUS[answer.outcome];
      if (answer.outcome !== 'rejected') return { status };
      return { status, statusInfo: { reasonCode: 'SchemaViolation', additionalInfo: answer.problems.join('; ').slice(0, 512) } };
    },
  };
}

export function vendorHandlers201(service: VendorDataTransferService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'vendor-extensions', handlers: vendorHandlers2x(service) };
}

export function vendorCommandCall2x(version: Ocpp2x) {
  return (params: PreparedVendorCommand): TranslatedCommand => {
    const data = params.dataText !== undefined ? (JSON.parse(params.dataText) as unknown) : params.data;
    const payload = { vendorId: params.vendorId, ...(params.messageId !== undefined ? { messageId: params.messageId } : {}), ...(data !== undefined ? { data } : {}) };
    return commandCall(
      ocppCall(version, 'DataTransfer', payload, (answer) => {
        const read: { status: string; data?: unknown; reason?: { code: string; info?: string } } = { status: answer.status };
        if (answer.data !== undefined) read.data = answer.data;
        if (answer.statusInfo) read.reason = { code: answer.statusInfo.reasonCode, ...(answer.statusInfo.additionalInfo !== undefined ? { info: answer.statusInfo.additionalInfo } : {}) };
        return read;
      }),
      ACCEPTING,
    );
  };
}
