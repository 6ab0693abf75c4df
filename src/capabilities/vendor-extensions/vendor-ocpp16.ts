/**
 * OCPP 1.6 <-> vendor extensions: inbound DataTransfer (its data is a string, read as the matched
 * profile's encoding says) and the vendorCommand rendered into an outgoing DataTransfer, whose data
 * travels JSON-encoded unless the profile says it is text and it is a string.
 */
import { ocppCall, type OcppHandlerTable } from '../../ocpp/ocpp-handler.ts';
import { commandCall, type TranslatedCommand } from '../commands/index.ts';
import type { TransferOutcome } from './vendor-records.ts';
import type { PreparedVendorCommand, VendorDataTransferService } from './vendor-data-transfer-service.ts';

/** The status words of both versions' DataTransfer answer. */
export const TRANSFER_STATUS = {
  accepted: 'Accepted',
  rejected: 'Rejected',
  unknownVendor: 'UnknownVendorId',
  unknownMessage: 'UnknownMessageId',
} as const satisfies Record<TransferOutcome, string>;

export const ACCEPTING = new Set(['Accepted']);

export function vendorHandlers16(service: VendorDataTransferService): OcppHandlerTable<'1.6'> {
  return {
    version: '1.6',
    owner: 'vendor-extensions',
    handlers: {
      // OCPP 1.6 §4.3: an unknown vendorId answers UnknownVendor(Id), a messageId mismatch UnknownMessageId, and data is left out of both.
      DataTransfer: async (ctx, request) => {
        const answer = await service.receive(ctx, { vendorId: request.vendorId, messageId: request.messageId, data: request.data, payload: request, dataIsText: true });
        return { status: TRANSFER_STATUS[answer.outcome] };
      },
    },
  };
}

export function vendorCommandCall16(params: PreparedVendorCommand): TranslatedCommand {
  const data = params.data === undefined ? undefined : params.encoding === 'text' && typeof params.data === 'string' ? params.data : (params.dataText ?? JSON.stringify(params.data));
  const payload = { vendorId: params.vendorId, ...(params.messageId !== undefined ? { messageId: params.messageId } : {}), ...(data !== undefined ? { data } : {}) };
  return commandCall(
    ocppCall('1.6', 'DataTransfer', payload, (answer) => (answer.data !== undefined ? { status: answer.status, data: answer.data } : { status: answer.status })),
    ACCEPTING,
  );
}
