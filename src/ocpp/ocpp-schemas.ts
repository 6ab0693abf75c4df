/**
 * Validators for every OCPP message, compiled from the official OCA JSON
 * schemas that the `ocpp-rpc` package ships (never retyped here). One Ajv per
 * version because the schema ids repeat across versions; each validator is
 * compiled on first use and cached, so a message type costs one compilation
 * per process.
 */
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OcppVersion } from '../kernel/protocol-version.ts';
import type { OcppErrorCode } from './ocpp-error-codes.ts';
import { parseSchemaId, versionEntry } from './ocpp-versions.ts';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;


interface RawSchema {
  $id: string;
  [key: string]: unknown;
}

export type MessageDirection = 'request' | 'response';

export type ValidationOutcome = { ok: true } | { ok: false; code: OcppErrorCode; message: string };

/**
 * Ajv keyword -> OCPP error code (OCPP 2.0.1 Part 4 §4.3):
 * a wrong JSON type is a TypeConstraintViolation; a missing or repeated field
 * an OccurrenceConstraintViolation; a value outside its enum, length, range or
 * pattern a PropertyConstraintViolation; an unknown field breaks the PDU
 * structure, a FormatViolation.
 */
const KEYWORD_CODES: Record<string, OcppErrorCode> = {
  type: 'TypeConstraintViolation',
  required: 'OccurrenceConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  maxItems: 'OccurrenceConstraintViolation',
  uniqueItems: 'OccurrenceConstraintViolation',
  minProperties: 'OccurrenceConstraintViolation',
  maxProperties: 'OccurrenceConstraintViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  additionalProperties: 'FormatViolation',
};


function describe(errors: ErrorObject[]): string {
  return errors
    .slice(0, 3)
    .map((e) => `${e.instancePath || '(payload)'} ${e.message ?? e.keyword}`)
    .join('; ');
}

export class OcppSchemaSet {
  private readonly ajv: Ajv;
  private readonly schemas = new Map<string, RawSchema>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly version: OcppVersion) {
    // strictNumbers: JSON.parse turns 1e400 into Infinity, which is no OCPP number.
    this.ajv = new Ajv({ strict: false, strictNumbers: true, allErrors: false, validateFormats: true });
    addFormats(this.ajv);
    // The OCA schemas use multipleOf with decimal steps such as 0.1; binary
    // floating point makes 0.3 fail an exact check, so compare with a tolerance.
    this.ajv.removeKeyword('multipleOf');
    this.ajv.addKeyword({
      keyword: 'multipleOf',
      type: 'number',
      schemaType: 'number',
      errors: false,
      compile: (step: number) => (data: number) => {
        const ratio = data / step;
        return Math.abs(ratio - Math.round(ratio)) < 1e-6;
      },
    });
    const raw = require(`ocpp-rpc/${versionEntry(version).schemaFile}`) as RawSchema[];
    for (const schema of raw) {
      const parsed = parseSchemaId(schema.$id);
      if (!parsed) continue;
      // The `urn:` ids are not valid URNs for Ajv's URI resolver; the schemas
      // only use local `#/definitions` references, so the id is not needed.
      const { $id: _id, $schema: _meta, ...body } = schema;
      this.schemas.set(`${parsed.action}/${parsed.direction}`, body as RawSchema);
    }
  }

  /** True when the version defines this action (in either direction). */
  knows(action: string): boolean {
    return this.schemas.has(`${action}/request`);
  }

  actions(): string[] {
    return [...this.schemas.keys()].filter((k) => k.endsWith('/request')).map((k) => k.slice(0, -'/request'.length));
  }

  validate(action: string, direction: MessageDirection, payload: unknown): ValidationOutcome {
    const key = `${action}/${direction}`;
    let validator = this.compiled.get(key);
    if (!validator) {
      const schema = this.schemas.get(key);
      if (!schema) return { ok: false, code: 'NotImplemented', message: `OCPP ${this.version} has no action ${action}` };
      validator = this.ajv.compile(schema);
      this.compiled.set(key, validator);
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      return { ok: false, code: 'FormatViolation', message: 'payload must be a JSON object' };
    }
    if (validator(payload)) return { ok: true };
    const errors = validator.errors ?? [];
    const first = errors[0];
    const code = (first && KEYWORD_CODES[first.keyword]) ?? 'FormatViolation';
    return { ok: false, code, message: describe(errors) };
  }

  /** Compiles every validator now (used at boot so the first message of each kind is not slower). */
  precompile(): number {
    for (const key of this.schemas.keys()) {
      const [action, direction] = key.split('/') as [string, MessageDirection];
      this.validate(action, direction, {});
    }
    return this.schemas.size;
  }
}

const cache = new Map<OcppVersion, OcppSchemaSet>();

export function schemasFor(version: OcppVersion): OcppSchemaSet {
  let set = cache.get(version);
  if (!set) {
    set = new OcppSchemaSet(version);
    cache.set(version, set);
  }
  return set;
}
