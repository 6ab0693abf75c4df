/**
 * Single sign-on's pure decisions (src/capabilities/access/access-oidc.ts) and the console's view
 * of it (web/src/lib/sso.ts): issuers, return paths, what the provider must assert, which account
 * an address signs in to, expiries on the injected clock.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  consoleReturnPath,
  decideSsoUser,
  identityFromClaims,
  issuerProblem,
  pendingLoginValid,
  pendingLoginsExpiredBefore,
  ssoLandingUrl,
  SSO_DEFAULT_ROLES,
  ticketExpiry,
  ticketValid,
} from '../../src/capabilities/access/access-oidc.ts';
import type { User } from '../../src/capabilities/access/index.ts';
import { encodeBinding, normalizeOrganisation, returnPathOf, ssoLanding, ssoProblem, ssoStartUrl } from '../../web/src/lib/sso.ts';

const user = (tenantId: string): User => ({ id: 'usr_1', tenantId, email: 'olga@acme.example', role: 'operator', siteIds: null, createdAt: new Date(0) });

describe('single sign-on decisions', () => {
  test('issuers: https, or http on the loopback interface only; no query, fragment or credentials', () => {
    for (const ok of ['https://login.example.com', 'https://login.example.com/realms/acme', 'http://127.0.0.1:8081', 'http://localhost:9000/oidc', 'http://[::1]:4000']) {
      assert.equal(issuerProblem(ok), null, ok);
    }
    for (const bad of ['login.example.com', 'http://login.example.com', 'ftp://x', 'https://a.example/?x=1', 'https://a.example/#x', 'https://u:p@a.example', 'http://127.0.0.2.example.com']) {
      assert.notEqual(issuerProblem(bad), null, bad);
    }
  });

  test('the console route after sign-in: a hash path of this console, else the start page', () => {
    assert.equal(consoleReturnPath('/stations/CP-1?tab=status'), '/stations/CP-1?tab=status');
    for (const other of [undefined, '', 'https://evil.example', '//evil.example', '/a#b', '/\\evil', '/sso?ticket=x', '/sso']) assert.equal(consoleReturnPath(other), '/', String(other));
    assert.equal(ssoLandingUrl('cbt_x', '/tokens'), '/#/sso?ticket=cbt_x&returnTo=%2Ftokens');
  });

  test('the provider must assert an e-mail address and must not call it unverified', () => {
    assert.deepEqual(identityFromClaims({ email: ' Olga@ACME.example ', email_verified: true }), { ok: true, email: 'olga@acme.example' });
    assert.deepEqual(identityFromClaims({ email: 'olga@acme.example' }), { ok: true, email: 'olga@acme.example' }, 'silence about verification is trusted');
    for (const claims of [{}, { email: 42 }, { email: 'not an address' }, { email: 'olga@acme.example', email_verified: false }, { email: 'olga@acme.example', email_verified: 'false' }]) {
      assert.equal(identityFromClaims(claims).ok, false, JSON.stringify(claims));
    }
  });

  test("an address signs in to its tenant's account only; an unknown one gets an account only with a default role", () => {
    assert.equal(decideSsoUser('acme', 'olga@acme.example', user('acme'), null).kind, 'sign-in');
    assert.equal(decideSsoUser('acme', 'olga@acme.example', user('globex'), null).kind, 'refuse');
    assert.equal(decideSsoUser('acme', 'olga@acme.example', user('globex'), 'viewer').kind, 'refuse', 'another tenant\'s account also blocks provisioning');
    assert.equal(decideSsoUser('acme', 'nina@acme.example', null, null).kind, 'refuse');
    assert.deepEqual(decideSsoUser('acme', 'nina@acme.example', null, 'viewer'), { kind: 'provision', role: 'viewer' });
    assert.ok(!SSO_DEFAULT_ROLES.includes('owner'));
  });

  test('a pending login lasts 10 minutes, a ticket 60 seconds', () => {
    const at = new Date('2026-12-07T08:00:00Z');
    const later = (ms: number) => new Date(at.getTime() + ms);
    assert.equal(pendingLoginValid({ createdAt: at }, later(599_999)), true);
    assert.equal(pendingLoginValid({ createdAt: at }, later(600_000)), false);
    assert.deepEqual(pendingLoginsExpiredBefore(later(600_000)), at);
    const expiresAt = ticketExpiry(at);
    assert.equal(ticketValid({ expiresAt }, later(59_999)), true);
    assert.equal(ticketValid({ expiresAt }, later(60_000)), false);
  });
});

describe("the console's single sign-on logic", () => {
  test('where to start, and where to come back to', () => {
    assert.equal(normalizeOrganisation('  ACME '), 'acme');
    assert.equal(returnPathOf('#/stations/CP-1'), '/stations/CP-1');
    for (const hash of ['', '#', '#/sso?ticket=x', '#//evil.example']) assert.equal(returnPathOf(hash), '/', hash);
    assert.equal(ssoStartUrl('acme', '/stations/CP 1', 'b1nd1ng'), '/api/v1/auth/oidc/acme/start?returnTo=%2Fstations%2FCP+1&binding=b1nd1ng');
    assert.equal(ssoStartUrl('a/b', '/', 'x'), '/api/v1/auth/oidc/a%2Fb/start?returnTo=%2F&binding=x');
    assert.equal(encodeBinding(new Uint8Array([251, 255, 0, 1])), '-_8AAQ', 'base64url, unpadded');
    assert.match(encodeBinding(new Uint8Array(32)), /^[A-Za-z0-9_-]{43}$/, 'as long as the CSMS wants');
  });

  test('the landing: the ticket and the route, from the fragment the CSMS sends the browser to', () => {
    assert.deepEqual(ssoLanding(`#${ssoLandingUrl('cbt_x', '/tokens').slice(2)}`), { ticket: 'cbt_x', returnTo: '/tokens' });
    assert.deepEqual(ssoLanding('#/sso?ticket=cbt_x&returnTo=%2F%2Fevil.example'), { ticket: 'cbt_x', returnTo: '/' });
    assert.equal(ssoLanding('#/sso?returnTo=%2F'), null);
    assert.equal(ssoLanding('#/stations/CP-1'), null);
  });

  test('what a refused ticket tells the person', () => {
    assert.match(ssoProblem({ status: 401, retryAfter: null, detail: null }), /Sign in again/);
    assert.match(ssoProblem('unreachable'), /cannot be reached/);
    assert.match(ssoProblem({ status: 500, retryAfter: null, detail: 'boom' }), /HTTP 500.*boom/);
  });
});
