/**
 * The error-code registry (src/kernel/error-codes.ts) is the one list of codes:
 * a code raised in src/ must be registered, a registered code must be raised
 * somewhere, docs/api.md's table must be the registry's, and over HTTP a
 * problem carries the registry's status, title and code plus its details.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { Type } from '@sinclair/typebox';
import { ERROR_CODE_NAMES, ERROR_CODES, type ErrorCode } from '../../src/kernel/error-codes.ts';
import { CodedError } from '../../src/kernel/errors.ts';
import { createHttpServer, type HttpApp } from '../../src/http/http-server.ts';
import { errorResponses } from '../../src/http/http-error-responses.ts';
import { API_DOC, API_DOC_PATH, currentErrorTable, renderErrorTable } from '../../tools/api-errors-table.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/harness.ts';
import { readSource, sourceFiles } from '../support/source-code.ts';

const registered = new Set<string>(ERROR_CODE_NAMES);

/** A code as it sits in the source, with where, so a failure points at the line. */
interface Raised {
  code: string;
  where: string;
  literal: boolean;
}

/**
 * Every place src/ raises a code: `new CodedError(<code>, …)` anywhere, and the HTTP
 * edge's own `problem('<code>', …)`. Comment lines are skipped so that prose does not
 * count as a use.
 */
function raisedCodes(): Raised[] {
  const found: Raised[] = [];
  for (const name of sourceFiles('src')) {
    readSource(name)
      .split('\n')
      .forEach((line, index) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
        const where = `${name}:${index + 1}`;
        for (const match of line.matchAll(/new\s+CodedError\(\s*([^,)]*)/g)) {
          const argument = (match[1] ?? '').trim();
          const literal = /^(['"`])([^'"`]*)\1$/.exec(argument);
          found.push({ code: literal ? (literal[2] as string) : argument, where, literal: literal !== null });
        }
        if (name.startsWith('src/http/')) {
          for (const match of line.matchAll(/\bproblem\(\s*'([^']*)'/g)) found.push({ code: match[1] as string, where, literal: true });
        }
      });
  }
  return found;
}

describe('error-code registry', () => {
  test('every code raised in src/ is registered (and passed as a literal, so this scan can see it)', () => {
    const raised = raisedCodes();
    assert.ok(raised.length > 10, `the scan found ${raised.length} raises: is it still looking at the right pattern?`);
    assert.deepEqual(
      raised.filter((r) => !r.literal).map((r) => `${r.where}: CodedError with a computed code ${r.code}`),
      [],
    );
    assert.deepEqual(
      raised.filter((r) => !registered.has(r.code)).map((r) => `${r.where}: '${r.code}' is not in src/kernel/error-codes.ts`),
      [],
    );
    // The type check says the same at compile time: tsc fails if this line ever compiles.
    // @ts-expect-error an unregistered code
    assert.ok(new CodedError('teapot', 'not a registered code'));
  });

  test('every registered code is raised somewhere in src/', () => {
    const raised = new Set(raisedCodes().map((r) => r.code));
    assert.deepEqual(
      ERROR_CODE_NAMES.filter((code) => !raised.has(code)),
      [],
      'registered but never raised: drop it from src/kernel/error-codes.ts (and regenerate docs/api.md)',
    );
  });

  test(`${API_DOC}'s error table is the registry's`, () => {
    const table = currentErrorTable(readFileSync(API_DOC_PATH, 'utf8'));
    assert.notEqual(table, null, `${API_DOC} lost its error-codes markers`);
    assert.equal(table, renderErrorTable(), `${API_DOC} differs from the registry: run npx tsx tools/generate-api-errors.ts`);
  });

  test('the registry is well formed: one status per code, a client or server error, a title and a meaning', () => {
    for (const code of ERROR_CODE_NAMES) {
      const { status, title, when } = ERROR_CODES[code];
      assert.match(code, /^[a-z]+(-[a-z]+)*$/, code);
      assert.ok(Number.isInteger(status) && status >= 400 && status < 600, `${code}: ${status}`);
      assert.ok(title.length > 0 && when.length > 0, code);
    }
  });
});

/** The response is the registry's problem for `code`. */
async function assertProblem(response: Response, code: ErrorCode, path: string): Promise<any> {
  const body = (await response.json()) as any;
  const { status, title } = ERROR_CODES[code];
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, path);
  assert.deepEqual(
    { status: response.status, type: body.type, title: body.title, bodyStatus: body.status, code: body.code, instance: body.instance },
    { status, type: `urn:chargebridge:problem:${code}`, title, bodyStatus: status, code, instance: path },
    path,
  );
  assert.equal(typeof body.detail, 'string', path);
  return body;
}

describe('problems over HTTP', () => {
  let server: TestServer;
  const call = (method: string, path: string, body?: string, contentType = 'application/json', token: string | null = ADMIN_TOKEN) =>
    fetch(`${server.httpUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': contentType }) },
      body,
    });

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  test('a missing resource and a missing route are not-found', async () => {
    const station = await assertProblem(await call('GET', '/api/v1/stations/NOPE'), 'not-found', '/api/v1/stations/NOPE');
    assert.equal(station.detail, 'station NOPE does not exist');
    const route = await assertProblem(await call('GET', '/api/v1/nothing-here'), 'not-found', '/api/v1/nothing-here');
    assert.equal(route.detail, 'no route GET /api/v1/nothing-here');
  });

  test('a schema failure is invalid-input and lists each broken rule, also where the route declares its own 400', async () => {
    const query = await assertProblem(await call('GET', '/api/v1/stations?limit=100000'), 'invalid-input', '/api/v1/stations?limit=100000');
    assert.deepEqual(query.errors.map((e: any) => e.path), ['/limit']);
    assert.match(query.errors[0].message, /must be <= 500/);
    // The commands route declares invalid-input itself: its 400 schema must not drop `errors`.
    const path = '/api/v1/stations/bad%20id/commands';
    const params = await assertProblem(await call('POST', path, '{"type":"clearCache"}'), 'invalid-input', path);
    assert.deepEqual(params.errors.map((e: any) => e.path), ['/id']);
  });

  test("a coded error's details reach the client", async () => {
    const problem = await assertProblem(
      await call('POST', '/api/v1/tokens/import', 'idToken,status\nOK-1,Accepted\nOK-2,Maybe\n', 'text/csv'),
      'invalid-input',
      '/api/v1/tokens/import',
    );
    assert.deepEqual(problem.details, { line: 3, column: 'status' });
  });

  test('the edge codes: unauthorized, bad-request, payload-too-large, unsupported-media-type; and already-exists', async () => {
    await assertProblem(await call('GET', '/api/v1/stations', undefined, undefined, null), 'unauthorized', '/api/v1/stations');
    await assertProblem(await call('POST', '/api/v1/stations', '{"id": '), 'bad-request', '/api/v1/stations');
    await assertProblem(await call('POST', '/api/v1/stations', JSON.stringify({ id: 'x'.repeat(1_100_000) })), 'payload-too-large', '/api/v1/stations');
    await assertProblem(await call('POST', '/api/v1/stations', '<station/>', 'application/xml'), 'unsupported-media-type', '/api/v1/stations');
    assert.equal((await call('POST', '/api/v1/stations', '{"id":"DUP-1"}')).status, 201);
    await assertProblem(await call('POST', '/api/v1/stations', '{"id":"DUP-1"}'), 'already-exists', '/api/v1/stations');
  });

  test('the OpenAPI document lists each operation\'s problems with their codes, all from the registry', async () => {
    const doc = (await (await fetch(`${server.httpUrl}/api/docs/json`)).json()) as any;
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries<any>(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.ok(operation.responses['500'] && operation.responses['429'], `${where}: every API operation can answer internal and rate-limited`);
        // A public operation (security []: sign-in, a driver's pay page) answers 401 only when it says so itself.
        if (operation.security?.length !== 0) assert.ok(operation.responses['401'], `${where}: an operation behind credentials can answer unauthorized`);
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          if (Number(status) < 400) continue;
          const codes: string[] = response.content?.['application/problem+json']?.schema?.properties?.code?.enum ?? [];
          assert.ok(codes.length > 0, `${where} ${status}: a problem+json schema with its codes enumerated`);
          for (const code of codes) {
            assert.equal(ERROR_CODES[code as ErrorCode]?.status, Number(status), `${where} ${status}: ${code}`);
            documented.add(code);
          }
        }
      }
    }
    assert.deepEqual(doc.paths['/api/v1/stations/{id}'].get.responses['404'].content['application/problem+json'].schema.properties.code.enum, ['not-found']);
    assert.deepEqual(doc.paths['/api/v1/stuck-transactions/{id}/approve'].post.responses['409'].content['application/problem+json'].schema.properties.code.enum, ['conflict']);
    assert.deepEqual(ERROR_CODE_NAMES.filter((code) => !documented.has(code)), [], 'every registered code is documented on some operation');
  });
});

describe('error responses at the edge', () => {
  const start = (routes: (app: HttpApp) => void) =>
    createHttpServer({
      adminToken: ADMIN_TOKEN,
      authenticate: async () => null,
      owners: {},
      rateLimitPerMinute: 0,
      log: pino({ level: 'silent' }),
      version: 'test',
      routes: [routes],
      ready: async () => ({ ok: true, checks: {} }),
    });

  test('a route whose error response bypasses the registry does not boot', async () => {
    const Handmade = Type.Object({ code: Type.String() });
    await assert.rejects(
      start((app) => app.get('/thing', { config: { access: { permission: 'stations:read' } }, schema: { response: { 200: Type.Null(), 404: Handmade } } }, async () => null)),
      /GET \/api\/v1\/thing: error response 404 must come from errorResponses\(\)/,
    );
  });

  test('details survive the schema of the status they leave with', async () => {
    const app = await start((api) =>
      api.get('/thing/:id', { config: { access: { permission: 'stations:read' } }, schema: { response: { 200: Type.Null(), ...errorResponses('not-found') } } }, async () => {
        throw new CodedError('not-found', 'no such thing', { id: 'T-1', nested: { why: ['gone'] } });
      }),
    );
    try {
      const response = await app.inject({ method: 'GET', url: '/api/v1/thing/T-1', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(response.statusCode, 404);
      assert.deepEqual(response.json().details, { id: 'T-1', nested: { why: ['gone'] } });
    } finally {
      await app.close();
    }
  });
});
