/**
 * Serves the built operator console (web/dist) at /. The few files of the
 * build are listed once at start and each gets its own route: no path from a
 * request ever reaches the file system. The console routes by URL hash, so
 * no fallback route is needed. Hashed assets are cached for good; index.html
 * never (it names the current assets).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Chargebridge</title>
<p>The operator console is not built. Run <code>npm run build</code> (or <code>npm install</code>) and restart.
The REST API is at <a href="/api/docs">/api/docs</a>.</p>`;

/** Registers the console routes; returns how many files are served (0: not built). */
export function serveConsole(app: FastifyInstance<any, any, any, any, any>, distDir: string): number {
  let files: string[] = [];
  try {
    files = listFiles(distDir);
  } catch {
    files = [];
  }
  const security = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  };
  if (!files.some((f) => f.endsWith(`${sep}index.html`))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').headers(security).send(NOT_BUILT));
    return 0;
  }
  for (const file of files) {
    const url = `/${relative(distDir, file).split(sep).join('/')}`;
    const body = readFileSync(file);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const isIndex = url === '/index.html';
    const cache = url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    const send = async (_request: FastifyRequest, reply: FastifyReply) => reply.type(type).headers({ ...security, 'cache-control': cache }).send(body);
    app.get(url, { schema: { hide: true } }, send);
    if (isIndex) app.get('/', { schema: { hide: true } }, send);
  }
  return files.length;
}
