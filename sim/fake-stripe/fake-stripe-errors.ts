/**
 * Stripe-shaped errors. The official client picks its error class from the HTTP status (400/404 ->
 * StripeInvalidRequestError, or StripeIdempotencyError when type is idempotency_error; 401 ->
 * StripeAuthenticationError; 402 -> StripeCardError; 409 and 5xx -> StripeAPIError), so the status
 * matters as much as the body.
 */
import type { FakeStripeErrorBody, FakeStripePaymentIntent } from './fake-stripe-types.ts';

export class FakeStripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: FakeStripeErrorBody,
    /**
     * Whether an idempotency key keeps this answer. Stripe saves a result only once an endpoint
     * "began executing": a request rejected while its parameters were checked saves nothing, so the
     * same key may be retried with corrected parameters.
     */
    readonly stored = true,
  ) {
    super(body.message);
  }
}

/** A parameter failed validation (not kept by an idempotency key). */
export function invalidParam(param: string, message: string, code = 'parameter_invalid'): FakeStripeError {
  return new FakeStripeError(400, { type: 'invalid_request_error', code, param, message }, false);
}

export function missingParam(param: string): FakeStripeError {
  return invalidParam(param, `Missing required param: ${param}.`, 'parameter_missing');
}

export function unknownParam(param: string): FakeStripeError {
  return invalidParam(
    param,
    `Received unknown parameter: ${param} (this fake imitates a subset of Stripe's API; see docs/fake-stripe.md)`,
    'parameter_unknown',
  );
}

/** 404 when the URL names it; 400 when a parameter refers to it (payment_method=pm_missing). */
export function noSuchObject(kind: string, id: string, param: string, status = 404): FakeStripeError {
  return new FakeStripeError(status, {
    type: 'invalid_request_error', code: 'resource_missing', param, message: `No such ${kind}: '${id}'`,
  });
}

/** An operation the PaymentIntent's status does not allow (capture twice, cancel after capture...). */
export function unexpectedState(intent: FakeStripePaymentIntent, message: string): FakeStripeError {
  return new FakeStripeError(400, {
    type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message, payment_intent: intent,
  });
}

export function apiError(message = 'An unknown error occurred'): FakeStripeError {
  return new FakeStripeError(500, { type: 'api_error', message }, false);
}

export function authError(message: string): FakeStripeError {
  // Stripe answers a bad key with 401 and type invalid_request_error; the client maps the 401 to
  // StripeAuthenticationError.
  return new FakeStripeError(401, { type: 'invalid_request_error', message }, false);
}

export function notFoundRoute(method: string, path: string): FakeStripeError {
  return new FakeStripeError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). This fake imitates a subset of Stripe's API; see docs/fake-stripe.md.`,
  }, false);
}

/** The answer body as Stripe sends it. */
export function errorResponse(err: FakeStripeError): { error: FakeStripeErrorBody } {
  return { error: err.body };
}
