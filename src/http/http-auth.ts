/**
 * Who is calling, and may they (issue 13). Every /api/v1 route declares in its `config` the one
 * permission it needs (or that it is public, like sign-in), and, when its path names a resource, the
 * kind of resource and the parameter that holds its id. The edge then:
 *
 * 1. authenticates the bearer secret: the bootstrap admin token (compared as SHA-256 digests in
 *    constant time, so neither its length nor its content leaks through timing), or a session
 *    token or API key, which the access capability looks up (401 `unauthorized` otherwise);
 * 2. checks the permission against the caller's role or key scopes (403 `forbidden`);
 * 3. checks that the named resource exists in the caller's tenant scope (404 `not-found`, the same
 *    answer as for an id that does not exist, so another tenant's ids do not leak; ADR 20).
 *
 * A route that declares none of this is a boot error, so a new route cannot be left open by
 * forgetting it. Handlers read the caller's scope from `request.caller.scope`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { PERMISSIONS, type Caller, type Permission } from '../kernel/permissions.ts';
import { ALL_TENANTS, scopedSites, scopeSees, type TenantScope } from '../kernel/tenant-scope.ts';
import { problem, sendProblem } from './http-problem.ts';
import './http-audit-hook.ts';

/** Who owns a resource: its tenant and, when it lives in one, its site. */
export interface ResourceOwner {
  tenantId: string;
  siteId?: string | null;
}

/**
 * Finds a resource's owner by id; null when there is no such resource. A resource that belongs to a
 * station may name it: its site is the station's, and so is its tenant unless the row has its own
 * (a transaction keeps the tenant it started in; a command is deleted with its station).
 */
export type OwnerLookup = (id: string) => Promise<{ tenantId?: string; siteId?: string | null; stationId?: string } | null>;

export interface RouteAccess {
  /** The permission the route needs; absent only on a public route. */
  permission?: Permission;
  /** Sign-in and the like: no credential needed. */
  public?: true;
  /** Any valid credential, whatever its permissions (who am I, sign out). */
  signedIn?: true;
  /** Only for callers that administer every tenant (creating a tenant). */
  platform?: true;
  /**
   * The resource the path names. `absentAllowed`: an id nobody owns yet passes (a site's settings
   * may be written before any station names the site); the handler then creates it in the caller's tenant.
   */
  owner?: { kind: string; param: string; absentAllowed?: boolean };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every non-public /api/v1 route. */
    caller: Caller;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export interface AuthOptions {
  adminToken: string;
  /** Session tokens and API keys; null when unknown, expired or revoked. */
  authenticate(secret: string): Promise<Caller | null>;
  owners: Readonly<Record<string, OwnerLookup>>;
  /**
   * Counts a refused credential against its address; the seconds to wait when the address is over
   * its limit, else null. Guessing credentials is limited like any other use of the API.
   */
  refused?: (request: FastifyRequest) => Promise<number | null>;
}

const ADMIN: Caller = { kind: 'admin', scope: ALL_TENANTS, permissions: new Set(PERMISSIONS) };

function accessOf(request: FastifyRequest): RouteAccess | undefined {
  return request.routeOptions.config.access;
}

/** Refuses at boot a route that says nothing about access, or names a resource kind nobody resolves. */
export function checkRouteAccess(route: RouteOptions, owners: Readonly<Record<string, OwnerLookup>>): void {
  const access = (route.config as { access?: RouteAccess } | undefined)?.access;
  const name = `${String(route.method)} ${route.url}`;
  if (!access || (!access.permission && !access.public && !access.signedIn)) throw new Error(`${name}: the route must declare config.access.permission (or signedIn, or public)`);
  if (access.owner && !owners[access.owner.kind]) throw new Error(`${name}: no capability resolves owners of '${access.owner.kind}'`);
}

export function authHooks(options: AuthOptions) {
  const expected = digest(options.adminToken);

  const refuse = async (request: FastifyRequest, reply: FastifyReply, challenge: string, detail: string): Promise<void> => {
    const waitSec = await options.refused?.(request);
    if (waitSec) {
      reply.header('retry-after', String(waitSec));
      await sendProblem(reply, problem('rate-limited', 'too many refused credentials from this address', { instance: request.url }));
      return;
    }
    reply.header('WWW-Authenticate', challenge);
    await sendProblem(reply, problem('unauthorized', detail, { instance: request.url }));
  };

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (accessOf(request)?.public) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return refuse(request, reply, 'Bearer', 'Authorization: Bearer <token> is required');
    const secret = match[1] as string;
    const caller = timingSafeEqual(digest(secret), expected) ? ADMIN : await options.authenticate(secret);
    if (!caller) return refuse(request, reply, 'Bearer error="invalid_token"', 'invalid, expired or revoked token');
    request.caller = caller;
  };

  // Before validation (preValidation): a caller without the permission learns nothing about the request's shape.
  const permit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const access = accessOf(request);
    if (!access || access.public) return;
    const { caller } = request;
    if (access.permission && !caller.permissions.has(access.permission)) {
      await sendProblem(reply, problem('forbidden', `${describe(caller)} may not do this (needs ${access.permission})`, { instance: request.url }));
      return;
    }
    if (access.platform && !('all' in caller.scope)) {
      await sendProblem(reply, problem('forbidden', `${describe(caller)} may not do this (only for who administers every tenant)`, { instance: request.url }));
    }
  };

  // After validation (preHandler), so the owner's id is a checked parameter.
  const locate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const access = accessOf(request);
    if (!access || access.public) return;
    const { caller } = request;
    // A route that handles its own validation errors (attachValidation) answers them: its parameters may not be an id at all.
    if (!access.owner || request.validationError) return;
    const id = (request.params as Record<string, string>)[access.owner.param] as string;
    const owner = await ownerOf(options.owners, access.owner.kind, id);
    if (owner) request.resourceTenantId = owner.tenantId;
    // An unowned id passes only where the route allows it, and never for a caller limited to other sites (it is a site id).
    const sites = scopedSites(caller.scope);
    const absentRefused = !access.owner.absentAllowed || (sites !== null && !sites.includes(id));
    if (owner === null ? absentRefused : !scopeSees(caller.scope, owner)) {
      await sendProblem(reply, problem('not-found', `${access.owner.kind} ${id} does not exist`, { instance: request.url }));
    }
  };

  return { authenticate, permit, locate };
}

async function ownerOf(owners: Readonly<Record<string, OwnerLookup>>, kind: string, id: string): Promise<ResourceOwner | null> {
  const found = await (owners[kind] as OwnerLookup)(id);
  if (found === null) return null;
  if (found.stationId === undefined || (found.tenantId !== undefined && found.siteId !== undefined)) {
    return found.tenantId === undefined ? null : { tenantId: found.tenantId, siteId: found.siteId };
  }
  const stationOwner = owners.station;
  if (!stationOwner) throw new Error(`${kind} belongs to a station, and no capability resolves station owners`);
  const station = await stationOwner(found.stationId);
  const tenantId = found.tenantId ?? station?.tenantId;
  return tenantId === undefined ? null : { tenantId, siteId: found.siteId ?? station?.siteId ?? null };
}

function describe(caller: Caller): string {
  if (caller.kind === 'user') return `role ${caller.role}`;
  if (caller.kind === 'api-key') return 'this API key';
  return 'the admin token';
}

/** The scope a handler reads and writes in. */
export function scopeOf(request: FastifyRequest): TenantScope {
  return request.caller.scope;
}
