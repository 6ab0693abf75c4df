/**
 * The one HTTP error mapper: every failure leaves as RFC 9457
 * application/problem+json with a stable `code` that clients can switch on.
 * Status and title come from the error-code registry (kernel/error-codes.ts),
 * so a code always has the same status, here, in the OpenAPI document and in
 * docs/api.md.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isCodedError } from '../kernel/errors.ts';
import { ERROR_CODES, type ErrorCode } from '../kernel/error-codes.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  /** Schema validation: one entry per failed rule. */
  errors?: Array<{ path: string; message?: string }>;
  /** A CodedError's structured facts (RFC 9457 extension member). */
  details?: Record<string, unknown>;
}

export function problem(code: ErrorCode, detail?: string, extra: Pick<Problem, 'instance' | 'errors' | 'details'> = {}): Problem {
  const { status, title } = ERROR_CODES[code];
  return { type: `urn:chargebridge:problem:${code}`, title, status, code, detail, ...extra };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const instance = request.url;
  if (isCodedError(error)) {
    const retryAfterSec = error.details?.retryAfterSec;
    if (typeof retryAfterSec === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSec))));
    return sendProblem(reply, problem(error.code, error.message, { instance, details: error.details }));
  }
  if (error.validation) {
    const errors = error.validation.map((v) => ({ path: v.instancePath, message: v.message }));
    return sendProblem(reply, problem('invalid-input', error.message, { instance, errors }));
  }
  // Fastify's and plugins' own 4xx (body parsing, mostly); any other 4xx leaves as
  // bad-request with the registry's 400, so a code never has two statuses. Each branch
  // names its code literally: the registry test finds raised codes by scanning for problem('…'.
  if (error.statusCode === 404) return sendProblem(reply, problem('not-found', error.message, { instance }));
  if (error.statusCode === 413) return sendProblem(reply, problem('payload-too-large', error.message, { instance }));
  if (error.statusCode === 415) return sendProblem(reply, problem('unsupported-media-type', error.message, { instance }));
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return sendProblem(reply, problem('bad-request', error.message, { instance }));
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problem('internal', 'internal error', { instance }));
}
