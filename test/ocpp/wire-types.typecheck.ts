/**
 * Compile-time checks (this file is type-checked by `npm run lint`, never run): a handler
 * table that reads a field the schema does not define, or answers what the schema refuses,
 * does not compile. Each `@ts-expect-error` fails the typecheck if the line became valid.
 */
import type { OcppHandlerTable } from '../../src/ocpp/ocpp-handler.ts';
import { ocppCall } from '../../src/ocpp/ocpp-handler.ts';

export const wrongFieldName: OcppHandlerTable<'1.6'> = {
  version: '1.6',
  owner: 'typecheck',
  handlers: {
    // @ts-expect-error 1.6 Authorize.req has idTag, not idToken
    Authorize: (_ctx, req) => ({ idTagInfo: { status: req.idToken } }),
  },
};

export const wrongAnswer: OcppHandlerTable<'2.0.1'> = {
  version: '2.0.1',
  owner: 'typecheck',
  handlers: {
    // @ts-expect-error 2.0.1 AuthorizationStatusEnumType has no "Maybe"
    Authorize: () => ({ idTokenInfo: { status: 'Maybe' } }),
  },
};

export const unknownAction: OcppHandlerTable<'1.6'> = {
  version: '1.6',
  owner: 'typecheck',
  // @ts-expect-error 1.6 has no TransactionEvent
  handlers: { TransactionEvent: () => ({}) },
};

// @ts-expect-error 1.6 RemoteStopTransaction takes an integer transactionId
export const wrongPayload = ocppCall('1.6', 'RemoteStopTransaction', { transactionId: 'abc' }, (answer) => answer.status);

// @ts-expect-error a payload for both 2.x versions may not use an idToken type only 2.1 knows
export const sharedPayload = ocppCall('2.0.1' as '2.0.1' | '2.1', 'RequestStartTransaction', { idToken: { idToken: 'x', type: 'NotAType' }, remoteStartId: 1 }, (a) => a.status);
