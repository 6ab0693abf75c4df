/** HTTP plumbing shared by the API and the control surface: body reading, CORS, JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Far above anything a PaymentIntent call sends; a bigger body is a client bug or abuse. */
const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Lets a web page on another origin call the fake, as Stripe's API allows for what a browser does
 * with a publishable key (Stripe.js creating a PaymentMethod).
 */
export function setCors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, Stripe-Version, Stripe-Account');
  res.setHeader('Access-Control-Expose-Headers', 'Request-Id, Idempotency-Key, Idempotent-Replayed, Stripe-Version');
  res.setHeader('Access-Control-Max-Age', '600');
}

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-cache, no-store',
    ...headers,
  });
  res.end(body);
}

/** Stripe answers pretty-printed JSON; the replay of an idempotent request reuses these exact bytes. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
