/**
 * Vendor profiles per tenant (issue 14): upload (checked, with the path of the first problem),
 * replace, read back exactly as uploaded, delete, export all as one bundle and import one. Ingest
 * asks for the profiles of a vendorId; parsed profiles are cached per stored revision, so a node
 * that did not write a change still reads the new revision on the next message.
 */
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../kernel/time.ts';
import { scopedSites, type TenantScope } from '../../kernel/tenant-scope.ts';
import { CodedError } from '../../kernel/errors.ts';
import { checkProfile } from './vendor-profile-check.ts';
import { schemasOf, type VendorProfile } from './vendor-profile.ts';
import type { StoredProfile } from './vendor-records.ts';
import type { ProfileWrite, VendorProfileRepository } from './vendor-repository.ts';
import type { VendorSchemaService, Validation } from './vendor-schema-service.ts';

/** The tenant a caller's profile reads and writes go to (the tenants capability's rule). */
export interface TenantResolver {
  writableTenant(scope: TenantScope, named?: string): Promise<string>;
}

export const EXPORT_FORMAT = 'chargebridge.vendor-profiles/1';
/** One profile document, as JSON text, at most. */
export const MAX_PROFILE_CHARS = 256 * 1024;
export const MAX_IMPORT_PROFILES = 200;

export interface ProfileBundle {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  tenantId: string;
  profiles: Array<Record<string, unknown>>;
}

export interface LoadedProfile {
  profile: VendorProfile;
  /** Names this revision of the stored profile (schema validators are cached under it). */
  key: string;
}

export class VendorProfileService {
  private readonly parsed = new LRUCache<string, VendorProfile>({ max: 5000 });

  constructor(
    private readonly repo: VendorProfileRepository,
    private readonly schemas: VendorSchemaService,
    private readonly tenants: TenantResolver,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** A profile applies to every station of its tenant: a caller limited to some sites may read profiles, not write them. */
  private async writableFor(scope: TenantScope, tenant?: string): Promise<string> {
    if (scopedSites(scope) !== null) throw new CodedError('forbidden', 'a vendor profile applies to every site of the tenant; a caller limited to some sites cannot change it');
    return this.tenants.writableTenant(scope, tenant);
  }

  async create(scope: TenantScope, document: unknown, tenant?: string): Promise<StoredProfile> {
    const write = this.writeOf(await this.writableFor(scope, tenant), document, '');
    if (!(await this.repo.insert(write))) throw new CodedError('already-exists', `vendor profile ${write.id} already exists`);
    return this.found(write.tenantId, write.id);
  }

  async replace(scope: TenantScope, id: string, document: unknown, tenant?: string): Promise<StoredProfile> {
    const tenantId = await this.writableFor(scope, tenant);
    const write = this.writeOf(tenantId, document, '');
    if (write.id !== id) throw new CodedError('invalid-input', `/id: the document's id ${write.id} is not the profile ${id} being replaced`, { path: '/id' });
    if ((await this.repo.replace(write)) === null) throw new CodedError('not-found', `vendor profile ${id} does not exist`);
    return this.found(tenantId, id);
  }

  async get(scope: TenantScope, id: string, tenant?: string): Promise<StoredProfile> {
    return this.found(await this.tenants.writableTenant(scope, tenant), id);
  }

  async list(scope: TenantScope, tenant?: string): Promise<StoredProfile[]> {
    return this.repo.list(await this.tenants.writableTenant(scope, tenant));
  }

  async remove(scope: TenantScope, id: string, tenant?: string): Promise<void> {
    if (!(await this.repo.remove(await this.writableFor(scope, tenant), id))) throw new CodedError('not-found', `vendor profile ${id} does not exist`);
  }

  async exportAll(scope: TenantScope, tenant?: string): Promise<ProfileBundle> {
    const tenantId = await this.tenants.writableTenant(scope, tenant);
    const profiles = await this.repo.list(tenantId);
    return { format: EXPORT_FORMAT, exportedAt: this.clock().toISOString(), tenantId, profiles: profiles.map((p) => p.document) };
  }

  /** Creates or replaces every profile of a bundle; one bad profile refuses the whole import (its index in the path). */
  async importAll(scope: TenantScope, bundle: { format?: string; profiles: unknown[] }, tenant?: string): Promise<{ created: number; updated: number }> {
    const tenantId = await this.writableFor(scope, tenant);
    if (bundle.format !== undefined && bundle.format !== EXPORT_FORMAT) throw new CodedError('invalid-input', `/format: must be ${EXPORT_FORMAT}`, { path: '/format' });
    if (bundle.profiles.length === 0) throw new CodedError('invalid-input', '/profiles: no profiles to import', { path: '/profiles' });
    const writes = bundle.profiles.map((document, index) => this.writeOf(tenantId, document, `/profiles/${index}`));
    const ids = new Set<string>();
    writes.forEach((write, index) => {
      if (ids.has(write.id)) throw new CodedError('invalid-input', `/profiles/${index}/id: ${write.id} appears twice`, { path: `/profiles/${index}/id` });
      ids.add(write.id);
    });
    return this.repo.upsertAll(writes);
  }

  // --- For ingest and commands ---------------------------------------------------------------

  /** The tenant's usable profiles of a vendorId (a stored one that no longer parses is left out, and logged). */
  async forVendor(tenantId: string, vendorId: string): Promise<LoadedProfile[]> {
    return this.loadAll(await this.repo.ofVendor(tenantId, vendorId));
  }

  async forTenant(tenantId: string): Promise<LoadedProfile[]> {
    return this.loadAll(await this.repo.list(tenantId));
  }

  async one(tenantId: string, id: string): Promise<LoadedProfile | null> {
    const stored = await this.repo.find(tenantId, id);
    return stored ? (this.loadAll([stored])[0] ?? null) : null;
  }

  /** Validates data against a schema of a loaded profile (`path` names the schema in the document). */
  validate(loaded: LoadedProfile, path: string, schema: unknown, data: unknown): Validation {
    return this.schemas.validate(`${loaded.key}#${path}`, schema, data);
  }

  private loadAll(stored: readonly StoredProfile[]): LoadedProfile[] {
    const out: LoadedProfile[] = [];
    for (const row of stored) {
      const key = `${row.tenantId}\u0000${row.id}\u0000${row.revision}\u0000${row.updatedAt.getTime()}`;
      let profile = this.parsed.get(key);
      if (!profile) {
        const checked = checkProfile(row.document);
        if (!checked.ok) {
          this.log.error({ tenantId: row.tenantId, profileId: row.id, path: checked.path, problem: checked.problem }, 'stored vendor profile no longer passes its check; ignored');
          continue;
        }
        profile = checked.profile;
        this.parsed.set(key, profile);
      }
      out.push({ profile, key });
    }
    return out;
  }

  private async found(tenantId: string, id: string): Promise<StoredProfile> {
    const stored = await this.repo.find(tenantId, id);
    if (!stored) throw new CodedError('not-found', `vendor profile ${id} does not exist`);
    return stored;
  }

  /** The row to write for a document, or invalid-input naming the path of its first problem. */
  private writeOf(tenantId: string, document: unknown, prefix: string): ProfileWrite {
    const refuse = (path: string, problem: string): never => {
      const at = `${prefix}${path === '/' ? '' : path}` || '/';
      throw new CodedError('invalid-input', `${at}: ${problem}`, { path: at });
    };
    const documentText = JSON.stringify(document);
    if (documentText.length > MAX_PROFILE_CHARS) refuse('/', `a profile must be at most ${MAX_PROFILE_CHARS} characters of JSON`);
    const checked = checkProfile(document);
    if (!checked.ok) return refuse(checked.path, checked.problem);
    for (const { path, schema } of schemasOf(checked.profile)) {
      const compiled = this.schemas.check(schema);
      if (!compiled.ok) refuse(path, `not a usable JSON Schema: ${compiled.problem}`);
    }
    return { tenantId, id: checked.profile.id, vendorId: checked.profile.vendorId, documentText, at: this.clock() };
  }
}
