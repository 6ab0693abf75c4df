/**
 * The console's access logic (web/src/lib): what each role is shown, who the
 * top bar says is signed in, the sign-in error messages and the audit view,
 * tested as plain modules without a browser.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PERMISSIONS, FEATURES, allows, can, landingHref, mayOpen, navFor, stationTabsFor, type Permission } from '../../web/src/lib/permissions.ts';
import { hasServerSession, roleLabel, scopeLabel, whoLabel } from '../../web/src/lib/identity.ts';
import { loginProblem, retryAfterSeconds, tokenProblem } from '../../web/src/lib/sign-in-problems.ts';
import { actorKind, auditCsvName, describeAction, outcomeLook } from '../../web/src/lib/audit.ts';
import type { Me } from '../../web/src/lib/types.ts';
import { PERMISSIONS as SERVER_PERMISSIONS } from '../../src/kernel/permissions.ts';

function me(permissions: readonly Permission[], over: Partial<Me> = {}): Me {
  return { kind: 'user', id: 'u1', email: 'ops@example.com', role: 'operator', tenantId: 'acme', siteIds: null, permissions: [...permissions], ...over };
}
const admin = me(PERMISSIONS, { kind: 'admin', id: null, email: null, role: null, tenantId: null });
const viewer = me(['stations:read', 'transactions:read', 'tokens:read', 'commands:read'], { role: 'viewer' });
const technician = me(['stations:read', 'commands:read', 'commands:write'], { role: 'technician' });
const finance = me(['transactions:read'], { role: 'finance' });

describe('permissions', () => {
  test('can() reads the permission list and fails closed without a caller', () => {
    assert.equal(can(admin, 'audit:read'), true);
    assert.equal(can(viewer, 'tokens:write'), false);
    assert.equal(can(null, 'stations:read'), false);
  });

  test("the console's permission list is the server's (the console may not import it, so this pins the copy)", () => {
    assert.deepEqual([...PERMISSIONS], [...SERVER_PERMISSIONS]);
  });

  test('each console feature needs the permission the API contract names', () => {
    assert.deepEqual(FEATURES, {
      viewStations: 'stations:read',
      sendCommands: 'commands:write',
      viewCommands: 'commands:read',
      viewSessions: 'transactions:read',
      resolveStuckSessions: 'transactions:write',
      viewTokens: 'tokens:read',
      editTokens: 'tokens:write',
      editStations: 'stations:write',
      viewAudit: 'audit:read',
      viewMoney: 'billing:read',
    });
    for (const permission of Object.values(FEATURES)) assert.ok(PERMISSIONS.includes(permission), permission);
  });

  test('a viewer sees every page but may change nothing', () => {
    assert.deepEqual(navFor(viewer).map((e) => e.label), ['Network', 'Sessions', 'Tokens']);
    for (const feature of ['sendCommands', 'editTokens', 'editStations', 'resolveStuckSessions', 'viewAudit'] as const) assert.equal(allows(viewer, feature), false, feature);
    assert.deepEqual(stationTabsFor(viewer).map((t) => t.key), ['status', 'messages', 'commands']);
  });

  test('the admin token sees everything, the audit tab and the money page included', () => {
    assert.deepEqual(navFor(admin).map((e) => e.label), ['Network', 'Sessions', 'Tokens', 'Money']);
    assert.deepEqual(stationTabsFor(admin).map((t) => t.key), ['status', 'messages', 'commands', 'audit']);
    assert.equal(allows(admin, 'sendCommands'), true);
  });

  test('navigation hides entries whose read permission is missing', () => {
    assert.deepEqual(navFor(technician).map((e) => e.label), ['Network']);
    assert.equal(allows(technician, 'sendCommands'), true);
    assert.deepEqual(navFor(finance).map((e) => e.label), ['Sessions']);
    assert.deepEqual(navFor(me([])), []);
  });

  test('the money page only with billing:read', () => {
    assert.equal(mayOpen(viewer, 'money'), false);
    assert.equal(mayOpen(finance, 'money'), false);
    const billing = me(['transactions:read', 'billing:read'], { role: 'finance' });
    assert.equal(mayOpen(billing, 'money'), true);
    assert.deepEqual(navFor(billing).map((e) => e.label), ['Sessions', 'Money']);
    assert.deepEqual(navFor(me(['billing:read'])).map((e) => e.href), ['#/money']);
    assert.equal(landingHref(me(['billing:read'])), '#/money');
  });

  test('pages and the landing page follow the same rules', () => {
    assert.equal(mayOpen(finance, 'overview'), false);
    assert.equal(mayOpen(finance, 'station'), false);
    assert.equal(mayOpen(finance, 'session'), true);
    assert.equal(mayOpen(technician, 'tokens'), false);
    assert.equal(landingHref(admin), '#/');
    assert.equal(landingHref(finance), '#/sessions');
    assert.equal(landingHref(me([])), null);
  });
});

describe('who is signed in', () => {
  test('a user by e-mail, with role and tenant', () => {
    assert.deepEqual([whoLabel(viewer), roleLabel(viewer), scopeLabel(viewer)], ['ops@example.com', 'viewer', 'tenant acme']);
    assert.equal(hasServerSession(viewer), true);
  });
  test('the admin token and an API key by their kind; only users have a server session to end', () => {
    assert.deepEqual([whoLabel(admin), roleLabel(admin), scopeLabel(admin)], ['Admin token', 'full access', 'all tenants']);
    const key = me(['stations:read'], { kind: 'api-key', email: null, role: 'operator' });
    assert.deepEqual([whoLabel(key), roleLabel(key)], ['API key', 'operator']);
    assert.equal(hasServerSession(admin), false);
    assert.equal(hasServerSession(key), false);
  });
  test('site scoping is spelled out', () => {
    assert.equal(scopeLabel(me([], { siteIds: ['north'] })), 'tenant acme, site north');
    assert.equal(scopeLabel(me([], { siteIds: ['a', 'b', 'c'] })), 'tenant acme, 3 sites');
    assert.equal(scopeLabel(me([], { siteIds: [] })), 'tenant acme, no sites');
  });
});

describe('sign-in problems', () => {
  const now = Date.parse('2025-05-01T12:00:00Z');
  test('Retry-After as seconds or as an HTTP date', () => {
    assert.equal(retryAfterSeconds('30', now), 30);
    assert.equal(retryAfterSeconds(' 7 ', now), 7);
    assert.equal(retryAfterSeconds('Thu, 01 May 2025 12:01:30 GMT', now), 90);
    assert.equal(retryAfterSeconds('Thu, 01 May 2025 11:00:00 GMT', now), 0, 'a date in the past: no wait');
    assert.equal(retryAfterSeconds(null, now), null);
    assert.equal(retryAfterSeconds('soon', now), null);
  });
  test('wrong credentials, throttling with the wait, an unreachable CSMS', () => {
    assert.deepEqual(loginProblem({ status: 401, retryAfter: null, detail: 'nope' }, now), { message: 'Wrong e-mail or password.', waitUntil: null });
    assert.deepEqual(loginProblem({ status: 429, retryAfter: '42', detail: null }, now), { message: 'Too many sign-in attempts. Try again in 42 seconds.', waitUntil: now + 42_000 });
    assert.equal(loginProblem({ status: 429, retryAfter: '1', detail: null }, now).message, 'Too many sign-in attempts. Try again in 1 second.');
    assert.deepEqual(loginProblem({ status: 429, retryAfter: null, detail: null }, now), { message: 'Too many sign-in attempts. Wait a moment, then try again.', waitUntil: null });
    assert.match(loginProblem('unreachable', now).message, /cannot be reached/);
    assert.match(loginProblem({ status: 404, retryAfter: null, detail: null }, now).message, /API token instead/);
    assert.equal(loginProblem({ status: 500, retryAfter: null, detail: 'boom' }, now).message, 'Sign-in failed (HTTP 500): boom');
  });
  test('a pasted token that is refused says so (the e2e test looks for "refused")', () => {
    assert.match(tokenProblem({ status: 401, retryAfter: null, detail: null }), /refused/);
    assert.match(tokenProblem('unreachable'), /cannot be reached/);
    assert.equal(tokenProblem({ status: 503, retryAfter: null, detail: null }), 'The token could not be checked (HTTP 503).');
  });
});

describe('audit view', () => {
  test('outcome as a word, a symbol and a tone', () => {
    assert.deepEqual(outcomeLook({ status: 202, code: null }), { label: 'Done (202)', symbol: '✓', tone: 'ok' });
    assert.deepEqual(outcomeLook({ status: 403, code: 'forbidden' }), { label: 'Refused (403 forbidden)', symbol: '⊘', tone: 'warn' });
    assert.deepEqual(outcomeLook({ status: 500, code: 'internal' }), { label: 'Failed (500 internal)', symbol: '✕', tone: 'bad' });
  });
  test("a command's outcome has no HTTP status: its final state in the console's command words", () => {
    assert.deepEqual(outcomeLook({ status: null, code: 'accepted' }), { label: 'Answered: accepted', symbol: '✓', tone: 'ok' });
    assert.equal(outcomeLook({ status: null, code: 'expired' }).label, 'Expired (never sent)');
    assert.equal(outcomeLook({ status: null, code: null }).label, 'No outcome recorded');
    assert.equal(describeAction('command reset'), 'Outcome of the reset command');
  });
  test('known station actions in words, others left as their route', () => {
    assert.equal(describeAction('POST /api/v1/stations/{id}/commands'), 'Sent a command');
    assert.equal(describeAction('PUT /api/v1/something/else'), null);
    assert.equal(actorKind({ kind: 'api-key', id: 'k1', label: 'billing' }), 'API key');
    assert.equal(actorKind({ kind: 'anonymous', id: null, label: 'someone@example.com' }), 'not signed in');
  });
  test('the CSV file name is safe and dated', () => {
    assert.equal(auditCsvName('CP/1 x', new Date('2025-05-01T12:00:00Z')), 'audit-CP_1_x-2025-05-01.csv');
  });
});
