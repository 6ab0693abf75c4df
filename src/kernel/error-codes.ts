/**
 * The error-code registry: every stable code a client may see, with its HTTP
 * status and meaning, in one place. `CodedError` takes only these codes (an
 * unregistered one is a type error); the HTTP edge takes status and title from
 * here, every route's OpenAPI error responses are built from here, and the
 * error table of docs/api.md is generated from here
 * (`npx tsx tools/generate-api-errors.ts`). test/http/error-codes.test.ts fails
 * when a code is raised but not registered, registered but never raised, or
 * documented differently.
 *
 * Kernel file: plain data, no imports. HTTP statuses are plain numbers so that
 * the kernel knows no HTTP library.
 */

export interface ErrorCodeSpec {
  /** HTTP status of a problem with this code (one status per code, so clients can rely on either). */
  readonly status: number;
  /** RFC 9457 `title`: the same for every occurrence of the code. */
  readonly title: string;
  /** When a client gets it (docs/api.md's "when" column; Markdown). */
  readonly when: string;
}

export const ERROR_CODES = {
  'invalid-input': {
    status: 400,
    title: 'Invalid input',
    when: 'body, path or query fails its schema (`errors` lists each problem), or a value is wrong in a way the schema cannot tell (a CSV row: `details.line`)',
  },
  'bad-request': { status: 400, title: 'Bad request', when: 'the body cannot be parsed (malformed or empty JSON)' },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    when: 'missing, wrong, expired or revoked bearer token (admin token, session or API key), or a wrong e-mail or password at sign-in',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    when: "the caller's role or API key scopes do not allow the action on a resource it can see (another tenant's resource is `not-found` instead)",
  },
  'not-found': { status: 404, title: 'Not found', when: "unknown resource or route, or a resource of another tenant (so that ids do not leak)" },
  'already-exists': { status: 409, title: 'Already exists', when: 'a station or token with that id already exists' },
  conflict: {
    status: 409,
    title: 'Conflict',
    when: 'the resource is not in a state that allows the request (a stuck case that is not waiting for an operator, or already finished; a reservation that is no longer open; a remote start on an EVSE reserved for another token)',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    when: 'more requests than the per-key or per-address limit, or too many failed sign-ins; `Retry-After` says when to try again',
  },
  'payload-too-large': { status: 413, title: 'Payload too large', when: 'body larger than 1 MiB' },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    when: 'body in a content type the API does not read (it reads JSON; `text/csv` only for token import)',
  },
  internal: { status: 500, title: 'Internal error', when: 'a bug or an unexpected failure; logged with the request id' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes in registry order (the order of docs/api.md's table and of each `code` enum). */
export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as ErrorCode[];
