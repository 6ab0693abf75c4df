/**
 * A gateway that answers without holding anything (a card asking for 3-D Secure: the intent is
 * `requires_action`) is not a hold: declined, and the intent cancelled. The fake gateway has no
 * such card, so a stub gateway answers here; the hold lives in the real repository.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { HoldSteps } from '../../src/capabilities/payments/payment-hold-steps-service.ts';
import { SqlPaymentRepository } from '../../src/capabilities/payments/payment-repository-sql.ts';
import type { PaymentGateway } from '../../src/capabilities/payments/payment-gateway-port.ts';
import type { PaymentHold } from '../../src/capabilities/payments/payment-hold.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  assert.equal((await server.api('POST', '/api/v1/stations', { id: 'STEP-1' })).status, 201);
});
after(() => server.stop());

test('an authorization answered but not held (requires_action) is declined and its intent cancelled', async () => {
  const released: string[] = [];
  const authorization = { ref: 'pi_3ds', state: 'pending' as const, authorizedMinor: 1000, capturedMinor: 0, currency: 'EUR', holdId: 'h-3ds', createdAt: new Date() };
  const gateway = {
    name: 'stub',
    authorize: async () => ({ ok: true as const, authorization }),
    release: async (ref: string) => (released.push(ref), { ok: true as const, authorization: { ...authorization, state: 'canceled' as const } }),
  } as unknown as PaymentGateway;
  const repo = new SqlPaymentRepository(server.app.storage.db, 'stub');
  const now = new Date();
  const hold: PaymentHold = {
    id: 'h-3ds', tenantId: 'default', stationId: 'STEP-1', evseId: 1, idToken: 'PAY3DS', transactionId: null, currency: 'EUR', authorizedMinor: 1000,
    captureMinor: null, shortfallMinor: 0, cdrId: null, gatewayRef: null, state: 'authorizing', increments: 0, exposureCapMinor: null, lastError: null,
    createdAt: now, updatedAt: now, version: 1,
  };
  await repo.create(hold, { holdId: hold.id, state: 'authorizing', detail: {}, at: now });
  const steps = new HoldSteps({ repo, gateway, finalCost: async () => null, blockToken: async () => {}, remoteStop: async () => {}, clock: () => new Date() }, pino({ level: 'silent' }));
  const result = await steps.authorize(hold, 'pm_card_3ds');
  assert.deepEqual([result.state, result.gatewayRef], ['declined', 'pi_3ds']);
  assert.deepEqual(released, ['pi_3ds'], 'nothing stays reserved on the card');
  assert.equal((await repo.find('h-3ds'))?.state, 'declined');
});
