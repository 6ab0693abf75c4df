/**
 * Customer information <-> OCPP 2.0.1 (functional block N: CustomerInformation, N09 report and
 * N10 clear, answered by NotifyCustomerInformation parts). OCPP 2.1 keeps both messages and only
 * widens the idToken (255 characters, a free type of up to 20), so the translation takes those
 * limits as a dialect and customer-information-ocpp21.ts reuses it.
 */
import { ocppCall, type OcppHandlerTable, type OcppRequest, type OcppSharedHandlers } from '../../ocpp/ocpp-handler.ts';
import { stationTime } from '../../kernel/time.ts';
import { DIALECT_201, commandCall, idTokenProblem, statusWithReason, type TranslatedCommand } from '../commands/index.ts';
import type { CustomerInformationParams } from './customer-information.ts';
import type { CustomerInformationService } from './customer-information-service.ts';

export type Ocpp2x = '2.0.1' | '2.1';
type IdTokenType201 = NonNullable<OcppRequest<'2.0.1', 'CustomerInformation'>['idToken']>['type'];

export interface CustomerDialect {
  version: Ocpp2x;
  idTokenMax: number;
  /** IdTokenType.type: an enum in 2.0.1, a free string in 2.1. */
  idTokenTypes: readonly string[] | { maxLength: number };
}

export const CUSTOMER_DIALECT_201: CustomerDialect = {
  version: '2.0.1',
  idTokenMax: DIALECT_201.idTokenMax,
  idTokenTypes: DIALECT_201.idTokenTypes,
};

/** Accepted: the station will send the report (or the acknowledgement of the clear); Rejected and Invalid are refusals. */
const ACCEPTING: ReadonlySet<string> = new Set(['Accepted']);

export function customerInformationCall(dialect: CustomerDialect) {
  const v = dialect.version;
  return (p: CustomerInformationParams): TranslatedCommand => {
    if (p.requestId === undefined) return { ok: false, error: 'customerInformation needs a requestId (assigned when submitted)' };
    const token = p.idToken;
    const problem = token ? idTokenProblem(dialect, token.idToken, token.type) : null;
    if (problem) return { ok: false, error: problem };
    const payload = {
      requestId: p.requestId,
      report: p.report,
      clear: p.clear,
      ...(p.customerIdentifier === undefined ? {} : { customerIdentifier: p.customerIdentifier }),
      // The type was checked against the dialect above (an enum in 2.0.1, free text in 2.1).
      ...(token ? { idToken: { idToken: token.idToken, type: token.type as IdTokenType201 } } : {}),
      ...(p.customerCertificate ? { customerCertificate: { ...p.customerCertificate } } : {}),
    };
    return commandCall(
      ocppCall(v, 'CustomerInformation', payload, statusWithReason),
      ACCEPTING,
    );
  };
}

export function customerInformationHandlers2x(service: CustomerInformationService): OcppSharedHandlers<Ocpp2x, 'NotifyCustomerInformation'> {
  return {
    NotifyCustomerInformation: async (ctx, request) => {
      try {
        await service.reported({
          stationId: ctx.stationId,
          tenantId: ctx.tenantId,
          requestId: request.requestId,
          seqNo: request.seqNo,
          data: request.data,
          tbc: request.tbc === true,
          generatedAt: stationTime(request.generatedAt, ctx.receivedAt),
          receivedAt: ctx.receivedAt,
        });
      } catch (error) {
        // The answer has no status: a part the CSMS failed to keep is logged (never its data), the station still answered.
        ctx.log.error({ err: error, requestId: request.requestId, seqNo: request.seqNo }, 'customer information part not stored');
      }
      return {};
    },
  };
}

export function customerInformationHandlers201(service: CustomerInformationService): OcppHandlerTable<'2.0.1'> {
  return { version: '2.0.1', owner: 'customer-information', handlers: customerInformationHandlers2x(service) };
}
