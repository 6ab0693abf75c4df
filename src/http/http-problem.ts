/**
 * The one HTTP error mapper: every failure leaves as RFC 9457
 * application/problem+json with a stable `code` that clients can switch on.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isCodedError, type ErrorCode } from '../kernel/errors.ts';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  'not-found': 404,
  'already-exists': 409,
  'invalid-input': 400,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  'station-offline': 409,
  timeout: 504,
  internal: 500,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: unknown;
}

export function problem(code: string, status: number, detail?: string, extra: Partial<Problem> = {}): Problem {
  return { type: `urn:chargebridge:problem:${code}`, title: code.replace(/-/g, ' '), status, code, detail, ...extra };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isCodedError(error)) {
    return sendProblem(reply, problem(error.code, STATUS_BY_CODE[error.code], error.message, { instance: request.url }));
  }
  if (error.validation) {
    return sendProblem(
      reply,
      problem('invalid-input', 400, error.message, {
        instance: request.url,
        errors: error.validation.map((v) => ({ path: v.instancePath, message: v.message })),
      }),
    );
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    const code = error.statusCode === 415 ? 'unsupported-media-type' : error.statusCode === 413 ? 'payload-too-large' : 'bad-request';
    return sendProblem(reply, problem(code, error.statusCode, error.message, { instance: request.url }));
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problem('internal', 500, 'internal error', { instance: request.url }));
}
