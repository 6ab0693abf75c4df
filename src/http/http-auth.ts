/**
 * Bearer-token authentication for the REST API. Tokens are compared as
 * SHA-256 digests with a constant-time check, so neither length nor content
 * leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './http-problem.ts';

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export function bearerAuth(adminToken: string) {
  const expected = digest(adminToken);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      reply.header('WWW-Authenticate', 'Bearer');
      await sendProblem(reply, problem('unauthorized', 'Authorization: Bearer <token> is required', { instance: request.url }));
      return;
    }
    if (!timingSafeEqual(digest(match[1] as string), expected)) {
      reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      await sendProblem(reply, problem('unauthorized', 'invalid token', { instance: request.url }));
    }
  };
}
