/**
 * REST of customer information: GET /stations/{id}/customer-information (the requests of the
 * retention period and their assembled reports), and the body parameters of the
 * `customerInformation` command kind, which POST /stations/{id}/commands offers.
 */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { scopeOf } from '../../http/http-auth.ts';
import { stationIdPattern } from '../../kernel/ids.ts';
import { CUSTOMER_INFORMATION_RETENTION_DAYS, FLAGS, HASH_ALGORITHMS, OUTCOMES } from './customer-information.ts';
import type { CustomerInformationEntry, CustomerInformationService } from './customer-information-service.ts';
import { Nullable } from '../../http/http-schemas.ts';

const oneOf = (words: readonly string[], description: string) => Type.Union(words.map((w) => Type.Literal(w)), { description });
const DateTime = Type.String({ format: 'date-time' });

const IdToken = Type.Object(
  {
    idToken: Type.String({ minLength: 1, maxLength: 255, description: 'At most 36 characters for OCPP 2.0.1' }),
    type: Type.String({ minLength: 1, maxLength: 20, description: 'IdTokenType: ISO14443, ISO15693, eMAID, Central, KeyCode, Local, MacAddress, NoAuthorization (2.1: free text)' }),
  },
  { additionalProperties: false },
);
const Certificate = Type.Object(
  {
    hashAlgorithm: oneOf(HASH_ALGORITHMS, 'Hash of the issuer name and key'),
    issuerNameHash: Type.String({ minLength: 1, maxLength: 128 }),
    issuerKeyHash: Type.String({ minLength: 1, maxLength: 128 }),
    serialNumber: Type.String({ minLength: 1, maxLength: 40 }),
  },
  { additionalProperties: false },
);
const Subject = {
  customerIdentifier: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'A customer identifier the station knows (e.g. a contract id)' })),
  idToken: Type.Optional(IdToken),
  customerCertificate: Type.Optional(Certificate),
};

export const CUSTOMER_INFORMATION_PROPERTIES = {
  report: Type.Boolean({ description: 'Ask the station to report what it holds about the customer' }),
  clear: Type.Boolean({ description: 'Ask the station to delete what it holds about the customer (not its local authorization list)' }),
  ...Subject,
};

const EntryBody = Type.Object({
  requestId: Type.Integer(),
  requestedAt: Nullable(DateTime),
  report: Nullable(Type.Boolean()),
  clear: Nullable(Type.Boolean()),
  subject: Nullable(Type.Object(Subject)),
  outcome: oneOf(OUTCOMES, 'How the station answered the request; pending until then'),
  stationStatus: Nullable(Type.String({ description: "The station's own word: Accepted, Rejected, Invalid" })),
  answeredAt: Nullable(DateTime),
  state: oneOf(['requested', 'receiving', 'complete', 'incomplete', 'refused', 'failed'], 'incomplete: no part for 10 minutes and the report is not whole'),
  data: Type.String({ description: 'The report: every part kept, in seqNo order' }),
  parts: Type.Integer(),
  missingSeqNos: Type.Array(Type.Integer(), { description: 'Gaps before the last part (up to 20)' }),
  generatedAt: Nullable(DateTime),
  lastPartAt: Nullable(DateTime),
  flags: Type.Array(oneOf(FLAGS, 'unrequested: a report for a request the CSMS never made; outOfOrder; duplicateSeqNo (a different part under a seqNo already kept: the first is kept); partAfterLast; tooManyParts')),
  expiresAt: Type.String({ format: 'date-time', description: `Deleted then (${CUSTOMER_INFORMATION_RETENTION_DAYS} days after it was made)` }),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const entryBody = ({ request, report, state, expiresAt }: CustomerInformationEntry) => ({
  requestId: request.requestId,
  requestedAt: iso(request.requestedAt),
  report: request.report,
  clear: request.clear,
  subject: request.subject,
  outcome: request.outcome,
  stationStatus: request.stationStatus,
  answeredAt: iso(request.answeredAt),
  state,
  data: report.data,
  parts: report.parts,
  missingSeqNos: report.missingSeqNos,
  generatedAt: iso(report.generatedAt),
  lastPartAt: iso(report.lastPartAt),
  flags: request.flags,
  expiresAt: expiresAt.toISOString(),
});

export function customerInformationRoutes(service: CustomerInformationService) {
  return (app: HttpApp): void => {
    app.get(
      '/stations/:id/customer-information',
      {
        config: { access: { permission: 'stations:read', owner: { kind: 'station', param: 'id' } } },
        schema: {
          tags: ['customer-information'],
          summary: `Customer information requests to the station and the reports it sent (personal data, kept ${CUSTOMER_INFORMATION_RETENTION_DAYS} days)`,
          params: Type.Object({ id: Type.String({ pattern: stationIdPattern }) }),
          response: {
            200: Type.Object({ retentionDays: Type.Integer(), items: Type.Array(EntryBody, { description: 'Most recent first, at most 50' }) }),
            ...errorResponses('not-found'),
          },
        },
      },
      async (request) => ({
        retentionDays: CUSTOMER_INFORMATION_RETENTION_DAYS,
        items: (await service.view(scopeOf(request), request.params.id)).map(entryBody),
      }),
    );
  };
}
