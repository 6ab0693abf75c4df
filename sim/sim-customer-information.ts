/**
 * A simulated 2.0.1 / 2.1 station's customer data: it answers CustomerInformation Accepted (or
 * Rejected when no customer is named) and then sends NotifyCustomerInformation parts of at most
 * 512 characters with seqNo from 0 and tbc on all but the last. A clear deletes the customer's
 * record; a clear without report is acknowledged in one part. Answers are valid against the
 * official 2.0.1 and 2.1 schemas.
 */
import type { SimCallHandler } from './sim-rpc-connection.ts';
import type { SimPayload } from './sim-types.ts';

/** NotifyCustomerInformation.data maxLength in both versions. */
const DATA_MAX = 512;

export interface SimCustomerOptions {
  /** Sends a CALL to the CSMS (the station's `call`). */
  send: (action: string, payload: SimPayload) => Promise<unknown>;
  /** Characters per part (at most 512). Default 512. */
  partSize?: number;
  /** The clock the parts' generatedAt is read from. */
  now?: () => Date;
}

export interface SimCustomerData {
  /** What the station holds, by customer key (the idToken, customerIdentifier or certificate serial number). */
  readonly records: Map<string, string>;
  readonly handlers: Record<'CustomerInformation', SimCallHandler>;
}

const asRecord = (value: unknown): SimPayload => (typeof value === 'object' && value !== null ? (value as SimPayload) : {});

/** The key a request names its customer by. */
export function customerKey(payload: SimPayload): string | null {
  const token = asRecord(payload.idToken).idToken;
  if (typeof token === 'string') return token;
  if (typeof payload.customerIdentifier === 'string') return payload.customerIdentifier;
  const serial = asRecord(payload.customerCertificate).serialNumber;
  return typeof serial === 'string' ? serial : null;
}

/** Splits a text into NotifyCustomerInformation parts (seqNo from 0, tbc on all but the last). */
export function customerParts(requestId: number, text: string, partSize: number, generatedAt: string): SimPayload[] {
  const size = Math.min(Math.max(1, partSize), DATA_MAX);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  if (chunks.length === 0) chunks.push('');
  return chunks.map((data, seqNo) => ({ requestId, seqNo, data, generatedAt, ...(seqNo < chunks.length - 1 ? { tbc: true } : {}) }));
}

export function simCustomerData(options: SimCustomerOptions): SimCustomerData {
  const records = new Map<string, string>();
  const now = options.now ?? (() => new Date());
  const handler: SimCallHandler = (payload, ctx) => {
    const key = customerKey(payload);
    if (key === null) return { status: 'Rejected' };
    const found = records.get(key);
    let text: string;
    if (payload.report === true) text = found ?? 'No data found for this customer';
    else text = found === undefined ? 'No data found for this customer' : 'Customer data cleared';
    if (payload.clear === true) records.delete(key);
    const parts = customerParts(Number(payload.requestId), text, options.partSize ?? DATA_MAX, now().toISOString());
    ctx.afterReply(() => {
      void (async () => {
        for (const part of parts) await options.send('NotifyCustomerInformation', part);
      })().catch(() => undefined);
    });
    return { status: 'Accepted' };
  };
  return { records, handlers: { CustomerInformation: handler } };
}
