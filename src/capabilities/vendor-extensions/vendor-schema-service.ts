/**
 * The JSON Schemas of vendor profiles, compiled with Ajv (draft-07). A schema is written by a
 * tenant and run against stations' payloads on a node every tenant shares, so on upload it must
 * also pass Ajv's security meta-schema (a `pattern` or `format` needs a `maxLength`, ...), and no
 * remote `$ref` is ever fetched. Compiled validators are cached per profile revision.
 */
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { LRUCache } from 'lru-cache';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const MAX_ERRORS = 10;

export type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; problem: string };
export type Validation = { ok: true } | { ok: false; problems: string[] };

export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const list = (errors ?? []).slice(0, MAX_ERRORS).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  if ((errors?.length ?? 0) > MAX_ERRORS) list.push(`... and ${(errors?.length ?? 0) - MAX_ERRORS} more`);
  return list;
}

export class VendorSchemaService {
  private readonly ajv: Ajv;
  private readonly secure: ValidateFunction;
  private readonly cache = new LRUCache<string, ValidateFunction>({ max: 2000 });

  constructor() {
    // allErrors: an operator reading a flagged message wants every problem, not the first (the list is capped).
    this.ajv = new Ajv({ allErrors: true, strict: false, addUsedSchema: false, validateSchema: true });
    addFormats(this.ajv);
    this.secure = new Ajv({ strict: false }).compile(require('ajv/lib/refs/json-schema-secure.json') as object);
  }

  /** Compiles a schema from an upload: refused when invalid, unsafe, or naming a schema it would have to fetch. */
  check(schema: unknown): Compiled {
    if (typeof schema === 'object' && schema !== null && !this.secure(schema)) {
      return { ok: false, problem: `unsafe for untrusted data: ${describeErrors(this.secure.errors).join('; ')}` };
    }
    try {
      return { ok: true, validate: this.ajv.compile(schema as object) };
    } catch (error) {
      return { ok: false, problem: (error as Error).message };
    } finally {
      // Ajv keeps every schema object it compiled; the cache below is the one that holds validators.
      if (typeof schema === 'object' && schema !== null) this.ajv.removeSchema(schema as object);
    }
  }

  /** Validates data against the schema cached under `key` (compiled on first use). */
  validate(key: string, schema: unknown, data: unknown): Validation {
    let validate = this.cache.get(key);
    if (!validate) {
      const compiled = this.check(schema);
      // A stored profile passed this check on upload; should one not any more (a library upgrade), its messages fail rather than pass.
      if (!compiled.ok) return { ok: false, problems: [`the profile's schema does not compile: ${compiled.problem}`] };
      validate = compiled.validate;
      this.cache.set(key, validate);
    }
    return validate(data) ? { ok: true } : { ok: false, problems: describeErrors(validate.errors) };
  }
}
