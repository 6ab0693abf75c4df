/**
 * Tenant isolation (issue 13): two tenants with stations, tokens, transactions, commands, a stuck
 * case, users, keys and audit entries. Every route of the OpenAPI document is called by tenant B's
 * owner with tenant A's ids, so a route added later cannot escape: a route this file does not
 * classify fails the test. Reads answer 404 or lists without a trace of A; writes answer 404 (or
 * what the table below says) and change nothing of A. OCPP traffic of A's station never reaches B's
 * event stream, and a station never accepts another tenant's id token nor receives it in its list.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, eventually, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { openCase } from '../../src/capabilities/stuck/stuck-ladder.ts';
import { SqlStuckRepository } from '../../src/capabilities/stuck/index.ts';
import { SqlReservationRepository } from '../../src/capabilities/reservations/index.ts';
import { SqlBillingRepository } from '../../src/capabilities/billing/index.ts';
import { newReservation } from '../../src/capabilities/reservations/reservation.ts';
import { SqlStationEventsRepository } from '../../src/capabilities/station-events/station-event-repository-sql.ts';
import { SqlStationCostRepository } from '../../src/capabilities/tariffs/tariff-station-cost-repository-sql.ts';
import { SqlSettlementRepository } from '../../src/capabilities/payments/payment-settlement-repository-sql.ts';

const PASSWORD = 'isolation password 42';
const STUCK_CASE_ID = '00000000-0000-4000-8000-00000000a11a';
const RESERVATION_ID = 1_999_999_999;

interface TenantFixture {
  tenantId: string;
  siteId: string;
  stationId: string;
  idToken: string;
  owner: string;
  ownerId: string;
  keyId: string;
  transactionId: string;
  commandId: string;
  templateId: string;
  station: RPCClient;
  /** SendLocalList payloads the station received. */
  localLists: Array<{ localAuthorizationList?: Array<{ idTag: string }> }>;
}

describe('tenant isolation', () => {
  let server: TestServer;
  let a: TenantFixture;
  let b: TenantFixture;

  async function tenant(name: string): Promise<TenantFixture> {
    const tenantId = `iso-${name}`;
    const siteId = `site-${name}`;
    const stationId = `ST-ISO-${name.toUpperCase()}`;
    const idToken = `TAG-ISO-${name.toUpperCase()}`;
    assert.equal((await server.api('POST', '/api/v1/tenants', { id: tenantId, name })).status, 201);
    const user = await server.api('POST', '/api/v1/users', { email: `owner@${name}.example`, password: PASSWORD, role: 'owner', tenantId });
    assert.equal(user.status, 201);
    const owner = (await server.api('POST', '/api/v1/auth/login', { email: `owner@${name}.example`, password: PASSWORD }, null)).body.token as string;
    // From here on, everything is done as the tenant's own owner.
    const as = (method: string, path: string, body?: unknown) => server.api(method, path, body, owner);
    assert.equal((await as('POST', '/api/v1/stations', { id: stationId, siteId })).status, 201);
    assert.equal((await as('POST', '/api/v1/vendor-profiles', { id: `iso-profile-${name}`, vendorId: `com.iso.${name}`, messages: [] })).status, 201);
    assert.equal((await as('POST', '/api/v1/tariffs', { id: `iso-tariff-${name}`, currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] })).status, 201);
    assert.equal((await as('PUT', `/api/v1/stations/${stationId}/tariff`, { tariffId: `iso-tariff-${name}` })).status, 200);
    assert.equal((await as('POST', '/api/v1/tariff-assignments', { tariffId: `iso-tariff-${name}`, siteId })).status, 201);
    assert.equal((await as('POST', '/api/v1/tokens', { idToken, inLocalList: true })).status, 201);
    const key = await as('POST', '/api/v1/api-keys', { name: `${name} key`, scopes: ['stations:read'] });
    assert.equal(key.status, 201);

    const localLists: TenantFixture['localLists'] = [];
    const station = await strictRpcClient(server.ocppUrl, stationId, 'ocpp1.6');
    let listVersion = 0;
    station.handle('GetLocalListVersion', async () => ({ listVersion }));
    station.handle('SendLocalList', async ({ params }: any) => {
      localLists.push(params);
      listVersion = params.listVersion;
      return { status: 'Accepted' };
    });
    station.handle('ClearCache', async () => ({ status: 'Accepted' }));
    station.handle('GetConfiguration', async () => ({ configurationKey: [] }));
    station.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
    await station.call('BootNotification', { chargePointVendor: 'Iso', chargePointModel: name });
    assert.equal((await station.call('Authorize', { idTag: idToken }) as { idTagInfo: { status: string } }).idTagInfo.status, 'Accepted');
    const started = (await station.call('StartTransaction', { connectorId: 1, idTag: idToken, meterStart: 1000, timestamp: new Date().toISOString() })) as { transactionId: number };
    await station.call('MeterValues', {
      connectorId: 1,
      transactionId: started.transactionId,
      meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    const transactions = await as('GET', `/api/v1/transactions?stationId=${stationId}`);
    assert.equal(transactions.body.items.length, 1);
    const command = await as('POST', `/api/v1/stations/${stationId}/commands?wait=5`, { type: 'clearCache' });
    assert.equal(command.body.state, 'accepted');
    const template = await as('POST', '/api/v1/config-templates', { name: `${name} template`, match: { siteId }, settings: [{ key: 'HeartbeatInterval', value: '300' }] });
    assert.equal(template.status, 201);
    assert.equal((await as('POST', `/api/v1/stations/${stationId}/configuration-drift`)).status, 202);
    return {
      tenantId,
      siteId,
      stationId,
      idToken,
      owner,
      ownerId: user.body.id,
      keyId: key.body.id,
      transactionId: transactions.body.items[0].id,
      commandId: command.body.id,
      templateId: template.body.id,
      station,
      localLists,
    };
  }

  before(async () => {
    server = await startTestServer();
    a = await tenant('a');
    b = await tenant('b');
    // A stuck case of A's transaction (the sweep would need hours of silence; the row is what matters here).
    const stuck = new SqlStuckRepository(server.app.storage.db);
    assert.equal(await stuck.create(openCase(STUCK_CASE_ID, { id: a.transactionId, stationId: a.stationId, evseId: 1 }, ['silent'], new Date())), true);
    // A reservation and a raised problem of A's station, written directly (what matters here is the rows).
    const reservation = newReservation(RESERVATION_ID, a.stationId, a.tenantId, { evseId: 1, idToken: a.idToken, expiresAt: new Date(Date.now() + 3600_000).toISOString() }, new Date());
    await new SqlReservationRepository(server.app.storage.db).create(reservation);
    const events = new SqlStationEventsRepository(server.app.storage.db);
    const [event] = await events.append(a.stationId, a.tenantId, new Date(), [
      { kind: 'device', type: 'Delta', at: new Date(), problem: true, cleared: false, evseId: 1, connectorId: 1, device: { component: 'Connector', variable: 'Problem' }, summary: 'Connector/Problem = true', detail: {} },
    ]);
    // A CDR of A's transaction (its books close when it ends; the row is what matters here).
    const now = new Date();
    await new SqlBillingRepository(server.app.storage.db).addCdrs([
      { id: 'iso-cdr-a', tenantId: a.tenantId, transactionId: a.transactionId, sequence: 1, kind: 'debit', corrects: null, transactionVersion: 1, stationId: a.stationId, evseId: 1, connectorId: 1, idToken: a.idToken, startedAt: now, stoppedAt: now, energyWh: '0', currency: 'EUR', tariffId: 'iso-tariff-a', tariffVersion: 1, totalExclTax: '0.00', totalInclTax: '0.00', totalExclTaxMinor: 0, totalInclTaxMinor: 0, periods: [], meter: { startWh: 1000, stopWh: 1000, highestWh: 1000, signed: [] }, estimated: false, createdAt: now },
    ]);
    // A 2.1 station's own cost of A's transaction and a settlement of A's station (rows are what matter: GET /station-costs, /stations/{id}/settlements).
    await new SqlStationCostRepository(server.app.storage.db).save({
      transactionId: a.transactionId, tenantId: a.tenantId, stationId: a.stationId, cdrId: 'iso-cdr-a', status: 'differs', compared: 'inclTax', difference: '5', flagged: true,
      station: { currency: 'EUR', typeOfCost: 'NormalCost', totalExclTax: null, totalInclTax: '0.05', failureToCalculate: false, failureReason: null, tariffIds: ['iso-tariff-a-v1'], energyWh: null, durationSec: null, idleSec: null },
      ours: { currency: 'EUR', totalExclTax: '0.00', totalInclTax: '0.00' }, checkedAt: now,
    });
    await new SqlSettlementRepository(server.app.storage.db).add({
      id: '00000000-0000-4000-8000-00000000a5e7', tenantId: a.tenantId, stationId: a.stationId, ocppTransactionId: null, pspRef: 'iso-psp-a', status: 'settled', statusInfo: null, amount: '1.00',
      settledAt: now, receiptId: null, receiptUrl: null, vatNumber: null, vatCompany: null, receivedAt: now,
    });
    await events.raiseProblem({ stationId: a.stationId, tenantId: a.tenantId, key: 'iso-problem', device: null, evseId: 1, connectorId: 1, since: new Date(), eventId: event!.id, summary: 'iso problem' });
  });
  after(async () => {
    await Promise.allSettled([a?.station.close({ code: 1000 }), b?.station.close({ code: 1000 })]);
    await server?.stop();
  });

  /** The live event stream as a caller sees it: everything received so far, and a way to close it. */
  async function eventStream(token: string): Promise<{ text(): string; close(): Promise<void> }> {
    const controller = new AbortController();
    const response = await fetch(`${server.httpUrl}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    assert.equal(response.status, 200);
    let received = '';
    const reader = response.body!.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += decoder.decode(value);
      }
    })();
    return {
      text: () => received,
      close: async () => {
        controller.abort();
        await reading;
      },
    };
  }

  /** No gateway is configured here: a payment id is as unknown as any (payments' own isolation: test/payments). */
  const ISO_PAYMENT_ID = '00000000-0000-4000-8000-000000000001';

  /** Every way A's data could show up in an answer. */
  const tracesOfA = () => [a.tenantId, a.siteId, a.stationId, a.idToken, a.ownerId, a.keyId, a.transactionId, a.commandId, a.templateId, STUCK_CASE_ID, String(RESERVATION_ID), 'iso-problem', 'iso-profile-a', 'com.iso.a', 'iso-tariff-a', 'iso-cdr-a', 'iso-psp-a', 'owner@a.example'];

  /** A's URL for a route: its path filled with A's ids, and the query a route requires. */
  function fill(path: string): string {
    // The sticker routes (pay-qr.svg, pay-link) name the EVSE in a required query, checked before the station's tenant.
    const query = path.startsWith('/api/v1/stations/{id}/pay-') ? '?evseId=1' : '';
    return `${fillPath(path)}${query}`;
  }

  /** A's id for each path parameter, by the path it appears in. A parameter nobody maps fails the test. */
  function fillPath(path: string): string {
    return path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
      if (path.startsWith('/api/v1/stations/{id}')) return a.stationId;
      if (path.startsWith('/api/v1/tokens/{idToken}')) return a.idToken;
      if (path.startsWith('/api/v1/sites/{siteId}')) return a.siteId;
      if (path.startsWith('/api/v1/transactions/{id}')) return a.transactionId;
      if (path.startsWith('/api/v1/commands/{commandId}')) return a.commandId;
      if (path.startsWith('/api/v1/stuck-transactions/{id}')) return STUCK_CASE_ID;
      if (path.startsWith('/api/v1/tenants/{id}')) return a.tenantId;
      if (path.startsWith('/api/v1/users/{id}')) return a.ownerId;
      if (path.startsWith('/api/v1/api-keys/{id}')) return a.keyId;
      if (path.startsWith('/api/v1/config-templates/{templateId}')) return a.templateId;
      if (path.startsWith('/api/v1/vendor-profiles/{profileId}')) return 'iso-profile-a';
      if (path.startsWith('/api/v1/tariffs/{tariffId}')) return 'iso-tariff-a';
      if (path.startsWith('/api/v1/reservations/{reservationId}')) return String(RESERVATION_ID);
      if (path.startsWith('/api/v1/cdrs/{cdrId}')) return 'iso-cdr-a';
      if (path.startsWith('/api/v1/payments/{paymentId}') || path.startsWith('/api/v1/pay/sessions/{paymentId}')) return ISO_PAYMENT_ID;
      throw new Error(`${path}: no fixture for {${name}}; add the new route to the isolation suite`);
    });
  }

  /** Bodies that pass validation, so that what answers is the tenant check and not the schema. */
  const BODIES: Record<string, unknown> = {
    'PATCH /api/v1/stations/{id}': { labels: { by: 'b' } },
    'POST /api/v1/stations/{id}/commands': { type: 'clearCache' },
    'PUT /api/v1/stations/{id}/offline-authorization': { localAuthorizeOffline: true },
    'PATCH /api/v1/tokens/{idToken}': { status: 'Blocked' },
    'PUT /api/v1/sites/{siteId}/authorization': { autochargeEnabled: true },
    'PUT /api/v1/sites/{siteId}/offline-authorization': { localAuthorizeOffline: true },
    'PUT /api/v1/sites/{siteId}/billing-settings': { timeZone: 'Europe/Paris' },
    'PUT /api/v1/tenants/{id}/oidc': { issuer: 'https://idp.example', clientId: 'x' },
    'PUT /api/v1/tariffs/{tariffId}': { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 9, step_size: 1 }] }] },
    'PUT /api/v1/stations/{id}/tariff': { tariffId: 'iso-tariff-b' },
    'PUT /api/v1/vendor-profiles/{profileId}': { id: 'iso-profile-a', vendorId: 'com.spy', messages: [] },
    'PUT /api/v1/config-templates/{templateId}': { name: 'spy', match: {}, settings: [{ key: 'HeartbeatInterval', value: '1' }] },
    'POST /api/v1/stations/{id}/reservations': { idToken: 'TAG-SPY', expiresAt: new Date(Date.now() + 3600_000).toISOString() },
  };

  /** Routes without a resource in the path: what B gets when it tries to reach into A through them. */
  const COLLECTION_WRITES: Record<string, { body: unknown; status: number; why: string }> = {
    'POST /api/v1/tenants': { body: { id: 'iso-c', name: 'C' }, status: 403, why: 'creating tenants is for who administers the platform' },
    'POST /api/v1/stations': { body: { id: 'ST-ISO-B2', tenantId: 'iso-a' }, status: 404, why: "another tenant's id is as unknown as a missing one" },
    'POST /api/v1/tokens': { body: { idToken: 'TAG-ISO-B2', tenantId: 'iso-a' }, status: 404, why: 'same' },
    'POST /api/v1/tokens/import': { body: [{ idToken: 'TAG-ISO-A', status: 'Blocked' }], status: 409, why: "a token value is global: B cannot take over A's card" },
    'POST /api/v1/users': { body: { email: 'spy@b.example', password: PASSWORD, role: 'viewer', tenantId: 'iso-a' }, status: 404, why: 'same' },
    'POST /api/v1/api-keys': { body: { name: 'spy', scopes: ['stations:read'], tenantId: 'iso-a' }, status: 404, why: 'same' },
    'POST /api/v1/vendor-profiles': { body: { id: 'iso-b-own', vendorId: 'com.b', messages: [] }, status: 201, why: "a profile lands in the caller's own tenant (naming another with ?tenantId= is not-found: test/vendor-extensions)" },
    'POST /api/v1/vendor-profiles/import': { body: { profiles: [{ id: 'iso-b-import', vendorId: 'com.b', messages: [] }] }, status: 200, why: 'same' },
    'POST /api/v1/tariffs': { body: { id: 'iso-b-tariff', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 1, step_size: 1 }] }] }, status: 201, why: "a tariff lands in the caller's own tenant (naming another with ?tenantId= is not-found)" },
    'PUT /api/v1/billing-settings': { body: { timeZone: 'Europe/Paris' }, status: 200, why: "the caller's own tenant's settings (naming another with ?tenantId= is not-found)" },
    'POST /api/v1/pay/sessions': { body: { stationId: 'ST-ISO-A', evseId: 1, paymentMethod: 'pm_card_visa' }, status: 409, why: 'public (a driver at the charger); this CSMS has no gateway configured, so no hold is placed anywhere' },
    'POST /api/v1/payments/webhook': { body: { id: 'evt_x' }, status: 409, why: 'public (the gateway, signed); no gateway configured here' },
    'POST /api/v1/tariff-assignments': { body: { tariffId: 'iso-b-tariff', stationId: 'ST-ISO-A' }, status: 404, why: "A's station is as unknown as a missing one" },
    'POST /api/v1/config-templates': { body: { name: 'spy', tenantId: 'iso-a', match: {}, settings: [{ key: 'HeartbeatInterval', value: '1' }] }, status: 404, why: 'same' },
    'POST /api/v1/reconciliation/runs': { body: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }, status: 201, why: "a run over the caller's own tenant (its items and runs never show A: test/reconciliation)" },
  };

  /** Routes that are not about a tenant's data (sign-in and the like): called elsewhere. */
  const NOT_TENANT_DATA = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'GET /api/v1/auth/me', 'GET /api/v1/events']);
  const isOidcFlow = (key: string) => key.includes('/api/v1/auth/oidc/');

  test("every route, called by tenant B's owner with tenant A's ids, answers 404, an error, or a list without A", async () => {
    const doc = (await server.api('GET', '/api/docs/json', undefined, null)).body as { paths: Record<string, Record<string, unknown>> };
    const seen: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations).map((m) => m.toUpperCase())) {
        const key = `${method} ${path}`;
        if (NOT_TENANT_DATA.has(key) || isOidcFlow(key)) continue;
        seen.push(key);
        const asB = (url: string, body?: unknown) => server.api(method, url, body, b.owner);
        if (path.includes('{')) {
          const answer = await asB(fill(path), BODIES[key] ?? (method === 'GET' || method === 'DELETE' ? undefined : {}));
          assert.deepEqual([answer.status, answer.body?.code], [404, 'not-found'], `${key}: ${JSON.stringify(answer.body)}`);
          continue;
        }
        if (method !== 'GET') {
          const expected = COLLECTION_WRITES[key];
          assert.ok(expected, `${key}: unclassified write; add it to COLLECTION_WRITES`);
          const answer = await asB(path, expected.body);
          assert.equal(answer.status, expected.status, `${key}: ${expected.why}; got ${JSON.stringify(answer.body)}`);
          continue;
        }
        const answer = await asB(path);
        if (key === 'GET /api/v1/stuck-transactions/metrics') {
          assert.equal(answer.status, 403, 'process-wide counters are for who administers the platform');
          continue;
        }
        assert.equal(answer.status, 200, `${key}: ${JSON.stringify(answer.body)}`);
        let shown: unknown = answer.body;
        if (key === 'GET /api/v1/audit') {
          // B's trail holds B's own refused attempts, with the ids B typed; nothing else may name A.
          const items = answer.body.items as Array<{ tenantId: string; actor: { label: string } }>;
          assert.ok(items.every((entry) => entry.tenantId === b.tenantId), 'only B entries');
          shown = items.filter((entry) => entry.actor.label !== 'owner@b.example');
        }
        const text = JSON.stringify(shown);
        for (const trace of tracesOfA()) assert.ok(!text.includes(trace), `${key} shows ${trace}: ${text.slice(0, 400)}`);
      }
    }
    // The document was really walked: the routes of every capability are in it.
    for (const expected of ['GET /api/v1/stations/{id}', 'POST /api/v1/stations/{id}/commands', 'GET /api/v1/transactions', 'GET /api/v1/audit', 'DELETE /api/v1/api-keys/{id}']) {
      assert.ok(seen.includes(expected), `${expected} was called`);
    }
  });

  test("B's filters cannot name A's data either, and B's own counts are B's alone", async () => {
    const asB = (url: string) => server.api('GET', url, undefined, b.owner);
    assert.deepEqual((await asB(`/api/v1/stations?tenantId=${a.tenantId}`)).body.items, []);
    assert.deepEqual((await asB(`/api/v1/transactions?stationId=${a.stationId}`)).body.items, []);
    const attempts = (await asB(`/api/v1/audit?stationId=${a.stationId}`)).body.items as Array<{ tenantId: string; actor: { label: string }; outcome: { status: number } }>;
    assert.ok(attempts.length > 0, "B's refused attempts on A's station are on B's trail");
    for (const entry of attempts) assert.deepEqual([entry.tenantId, entry.actor.label, entry.outcome.status], [b.tenantId, 'owner@b.example', 404]);
    const ofA = (await server.api('GET', `/api/v1/audit?stationId=${a.stationId}`, undefined, a.owner)).body.items as Array<{ tenantId: string }>;
    assert.ok(ofA.length > 0 && ofA.every((entry) => entry.tenantId === a.tenantId), "A's trail has A's entries and none of B's attempts");
    assert.deepEqual((await asB(`/api/v1/stuck-transactions?stationId=${a.stationId}`)).body.items, []);
    const overview = (await asB('/api/v1/overview')).body;
    assert.equal(overview.stations.total, 1, JSON.stringify(overview));
    const admin = (await server.api('GET', '/api/v1/overview')).body;
    assert.ok(admin.stations.total >= 2, 'the admin token sees every tenant');
  });

  test("nothing of A changed: B's writes were all refused", async () => {
    const asA = (url: string) => server.api('GET', url, undefined, a.owner);
    const station = await asA(`/api/v1/stations/${a.stationId}`);
    assert.deepEqual([station.status, station.body.labels, station.body.tenantId], [200, {}, a.tenantId]);
    assert.equal((await asA(`/api/v1/tokens/${a.idToken}`)).body.status, 'Accepted');
    assert.equal((await asA(`/api/v1/api-keys/${a.keyId}`)).body.revokedAt, null);
    assert.equal((await asA(`/api/v1/stuck-transactions/${STUCK_CASE_ID}`)).body.status, 'open');
    assert.equal((await asA(`/api/v1/sites/${a.siteId}/authorization`)).body.autochargeEnabled, false);
    const commands = (await asA(`/api/v1/stations/${a.stationId}/commands`)).body.items;
    // Besides A's own command, only the reconciliation with A's own template ran (its commands are named in A's drift report).
    const reconciliation = (await asA(`/api/v1/stations/${a.stationId}/configuration-drift`)).body;
    const ofTemplate = new Set(reconciliation.items.map((i: { commandId?: string }) => i.commandId));
    assert.deepEqual(reconciliation.items.map((i: { templateId: string }) => i.templateId), [a.templateId]);
    const others = commands.filter((c: { id: string }) => c.id !== a.commandId);
    assert.ok(others.every((c: { type: string; id: string }) => c.type === 'getConfiguration' && ofTemplate.has(c.id)), `B sent no command to A: ${JSON.stringify(others)}`);
    assert.deepEqual((await asA(`/api/v1/config-templates/${a.templateId}`)).body.settings, [{ key: 'HeartbeatInterval', value: '300' }]);
    assert.equal((await asA(`/api/v1/reservations/${RESERVATION_ID}`)).body.state, 'requested');
    const tariff = (await asA(`/api/v1/stations/${a.stationId}/tariff`)).body;
    assert.deepEqual([tariff.id, tariff.version], ['iso-tariff-a', 1], "B neither changed A's tariff nor put its own on A's station");
    assert.equal((await asA(`/api/v1/stations/${a.stationId}/problems`)).body.items.length, 1);
  });

  test("a station knows only its tenant's id tokens, and its local list carries only them", async () => {
    const answer = (await a.station.call('Authorize', { idTag: b.idToken })) as { idTagInfo: { status: string } };
    assert.equal(answer.idTagInfo.status, 'Invalid', "B's card is unknown at A's station");
    await eventually(() => a.localLists.length > 0 && b.localLists.length > 0, 'both stations got their local list');
    const listed = (lists: TenantFixture['localLists']) => lists.flatMap((l) => (l.localAuthorizationList ?? []).map((e) => e.idTag));
    assert.deepEqual([...new Set(listed(a.localLists))], [a.idToken]);
    assert.deepEqual([...new Set(listed(b.localLists))], [b.idToken]);
  });

  test("a station id deleted by A and registered by B: B's traffic does not reach A's open event stream", async () => {
    const stream = await eventStream(a.owner);
    const boot = async (owner: string) => {
      const station = await strictRpcClient(server.ocppUrl, 'ST-ISO-MOVE', 'ocpp1.6');
      await station.call('BootNotification', { chargePointVendor: 'Iso', chargePointModel: owner });
      await station.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: new Date().toISOString() });
      return station;
    };
    try {
      assert.equal((await server.api('POST', '/api/v1/stations', { id: 'ST-ISO-MOVE' }, a.owner)).status, 201);
      const underA = await boot('a');
      await eventually(() => stream.text().includes('ST-ISO-MOVE'), "A sees its own station's events");
      await underA.close({ code: 1000 });
      assert.equal((await server.api('DELETE', '/api/v1/stations/ST-ISO-MOVE', undefined, a.owner)).status, 204);
      const seenBefore = stream.text().length;
      assert.equal((await server.api('POST', '/api/v1/stations', { id: 'ST-ISO-MOVE' }, b.owner)).status, 201);
      const underB = await boot('b');
      // B's own stream proves the events were published; A's must not have them.
      await eventually(async () => (await server.api('GET', '/api/v1/stations/ST-ISO-MOVE', undefined, b.owner)).body.connected === true, 'connected under B');
      await status(a.station, 'Available');
      await eventually(() => stream.text().slice(seenBefore).includes(a.stationId), "A's own later event (the stream is alive)");
      assert.ok(!stream.text().slice(seenBefore).includes('ST-ISO-MOVE'), `B's traffic leaked into A's stream: ${stream.text().slice(seenBefore)}`);
      await underB.close({ code: 1000 });
    } finally {
      await stream.close();
    }
  });

  const status = (station: RPCClient, status: string) =>
    station.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status, timestamp: new Date().toISOString() });

  test("OCPP traffic of A's station never appears in B's event stream", async () => {
    const stream = await eventStream(b.owner);
    try {
      await status(a.station, 'SuspendedEV');
      await status(b.station, 'SuspendedEV');
      await status(a.station, 'Charging');
      // B's own event arrives, so the stream works; A's, sent before and after it, never do.
      await eventually(() => stream.text().includes(b.stationId), "B's own status event");
      await status(b.station, 'Charging');
      await eventually(() => (stream.text().match(new RegExp(b.stationId, 'g')) ?? []).length >= 2, "B's second event");
      assert.ok(!stream.text().includes(a.stationId), `A's events leaked into B's stream: ${stream.text()}`);
    } finally {
      await stream.close();
    }
  });
});
