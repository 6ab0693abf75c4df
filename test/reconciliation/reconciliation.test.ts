/**
 * Three-way reconciliation over the real stack: sessions from an independent 1.6 station (ocpp-rpc
 * in strict mode), CDRs written by the billing capability's own books, holds and the few records
 * the services cannot be made to produce (a CDR corrected into a wrong bill, a CDR of a session
 * still open, a completed session whose books never closed) written through the repositories.
 * Every ledger kind is found with its money, a clean period reports nothing, another tenant's
 * items never appear, the same answer comes as CSV, runs are stored on demand and daily.
 * No gateway here: the gateway's kinds are not checked (gatewayChecked false; see
 * reconciliation-gateway.test.ts for them).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, ADMIN_TOKEN, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { FakeTime } from '../support/fake-time.ts';
import { SqlBillingRepository } from '../../src/capabilities/billing/index.ts';
import { SqlReconciliationRepository } from '../../src/capabilities/reconciliation/index.ts';

const T0 = new Date('2026-12-07T19:00:00Z');
const DAY = { from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' };
const PASSWORD = 'reconciliation password 42';
const MIN = 60_000;
const at = (hhmm: string) => `2026-12-07T${hhmm}:00.000Z`;

describe('reconciliation over the real stack', () => {
  const time = new FakeTime(T0);
  let server: TestServer;
  const owners: Record<string, string> = {};
  const clients: RPCClient[] = [];
  type Named = 'c1' | 'c2' | 's1' | 's2' | 's3' | 's4' | 's5' | 's6' | 's7' | 's8' | 's9' | 's10' | 'h1' | 'h2' | 'h5' | 'unused' | 'cdr9';
  const ids = {} as Record<Named, string>;

  const as = (tenant: 'a' | 'b' | 'admin') => (method: string, path: string, body?: unknown) => server.api(method, path, body, tenant === 'admin' ? ADMIN_TOKEN : owners[tenant]);
  const db = () => server.app.storage.db;

  async function tenant(name: 'a' | 'b'): Promise<void> {
    const tenantId = `rec-${name}`;
    assert.equal((await server.api('POST', '/api/v1/tenants', { id: tenantId, name })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/users', { email: `owner@rec-${name}.example`, password: PASSWORD, role: 'owner', tenantId })).status, 201);
    owners[name] = (await server.api('POST', '/api/v1/auth/login', { email: `owner@rec-${name}.example`, password: PASSWORD }, null)).body.token;
    assert.equal((await as(name)('POST', '/api/v1/tokens', { idToken: `REC-TAG-${name.toUpperCase()}` })).status, 201);
  }

  async function station(owner: 'a' | 'b', id: string, siteId: string): Promise<RPCClient> {
    assert.equal((await as(owner)('POST', '/api/v1/stations', { id, siteId })).status, 201);
    const client = await strictRpcClient(server.ocppUrl, id, 'ocpp1.6');
    clients.push(client);
    await client.call('BootNotification', { chargePointVendor: 'Rec', chargePointModel: id });
    return client;
  }

  /** A whole 1.6 session; its CDR is written by the books before this returns. Our transaction id. */
  async function session(client: RPCClient, stationId: string, tag: string, start: string, stop: string, fromWh: number, toWh: number, connectorId = 1): Promise<string> {
    const started = (await client.call('StartTransaction', { connectorId, idTag: tag, meterStart: fromWh, timestamp: at(start) })) as { transactionId: number };
    await client.call('StopTransaction', { transactionId: started.transactionId, meterStop: toWh, timestamp: at(stop), reason: 'Local' });
    await server.app.billing.idle();
    return ourId(stationId, started.transactionId);
  }

  async function ourId(stationId: string, ocppId: number): Promise<string> {
    const row = await db().selectFrom('transactions').select('id').where('station_id', '=', stationId).where('ocpp_transaction_id', '=', String(ocppId)).executeTakeFirstOrThrow();
    return row.id;
  }

  /** A hold as the payments capability writes it (no gateway is configured here, so none of its services run). */
  async function hold(values: { tenantId: string; stationId: string; transactionId: string | null; state: string; authorizedMinor?: number; captureMinor?: number | null; shortfallMinor?: number; createdAt: string }): Promise<string> {
    const id = randomUUID();
    await db()
      .insertInto('payment_holds')
      .values({
        id,
        tenant_id: values.tenantId,
        station_id: values.stationId,
        evse_id: 1,
        id_token: `PAY${id.slice(0, 12).toUpperCase()}`,
        transaction_id: values.transactionId,
        currency: 'EUR',
        authorized_minor: values.authorizedMinor ?? 5000,
        capture_minor: values.captureMinor ?? null,
        shortfall_minor: values.shortfallMinor ?? 0,
        cdr_id: null,
        gateway: 'stripe',
        gateway_ref: `pi_${id.slice(0, 8)}`,
        state: values.state,
        increments: 0,
        last_error: null,
        created_at: values.createdAt,
        updated_at: values.createdAt,
        version: 1,
      })
      .execute();
    return id;
  }

  before(async () => {
    // The books sweep and the stuck sweep would act on the rows written by hand while the clock moves.
    server = await startTestServer({ stuck: { enabled: false }, billing: { booksSweepIntervalSec: 1e6 }, reconciliation: { dailyAtHour: 3, holdOverdueHours: 1 } }, { time });
    await tenant('a');
    await tenant('b');
    const energy = { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] };
    assert.equal((await as('a')('POST', '/api/v1/tariffs', { id: 'REC-ENERGY', ...energy })).status, 201);
    assert.equal((await as('a')('POST', '/api/v1/tariffs', { id: 'REC-FLAT', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 1, step_size: 1 }, { type: 'ENERGY', price: 0.3, step_size: 1 }] }] })).status, 201);
    const priced = await station('a', 'REC-A1', 'rec-a-priced');
    const free = await station('a', 'REC-A2', 'rec-a-free');
    const flat = await station('a', 'REC-A3', 'rec-a-flat');
    const ofB = await station('b', 'REC-B1', 'rec-b-free');
    assert.equal((await as('a')('POST', '/api/v1/tariff-assignments', { tariffId: 'REC-ENERGY', siteId: 'rec-a-priced' })).status, 201);
    assert.equal((await as('a')('POST', '/api/v1/tariff-assignments', { tariffId: 'REC-FLAT', siteId: 'rec-a-flat' })).status, 201);
    const A = 'REC-TAG-A';

    // A clean window (19:00-20:15): a paid session captured exactly, and one without a hold.
    ids.c1 = await session(priced, 'REC-A1', A, '19:30', '19:50', 0, 10_000);
    ids.c2 = await session(priced, 'REC-A1', A, '20:00', '20:10', 10_000, 15_000);
    await hold({ tenantId: 'rec-a', stationId: 'REC-A1', transactionId: ids.c1, state: 'captured', captureMinor: 300, createdAt: at('19:29') });

    // The rest of the day: one of each kind.
    ids.s1 = await session(priced, 'REC-A1', A, '20:20', '20:30', 20_000, 30_000);
    ids.h1 = await hold({ tenantId: 'rec-a', stationId: 'REC-A1', transactionId: ids.s1, state: 'captured', captureMinor: 250, createdAt: at('20:19') });
    ids.s2 = await session(priced, 'REC-A1', A, '20:35', '20:45', 30_000, 40_000);
    ids.h2 = await hold({ tenantId: 'rec-a', stationId: 'REC-A1', transactionId: ids.s2, state: 'captured', captureMinor: 200, shortfallMinor: 100, createdAt: at('20:34') });
    ids.s3 = await session(priced, 'REC-A1', A, '20:50', '21:00', 40_000, 50_000);
    await hold({ tenantId: 'rec-a', stationId: 'REC-A1', transactionId: ids.s3, state: 'captured', captureMinor: 300, createdAt: at('20:49') });
    await hold({ tenantId: 'rec-a', stationId: 'REC-A1', transactionId: ids.s3, state: 'captured', captureMinor: 300, createdAt: at('20:49') });
    ids.s4 = await session(priced, 'REC-A1', A, '21:05', '21:10', 50_000, 50_000);
    ids.s5 = await session(priced, 'REC-A1', A, '21:15', '21:25', 50_000, 60_000);
    ids.h5 = await hold({ tenantId: 'rec-a', stationId: 'REC-A1', transactionId: ids.s5, state: 'authorized', createdAt: at('21:14') });
    ids.unused = await hold({ tenantId: 'rec-a', stationId: 'REC-A1', transactionId: null, state: 'authorized', createdAt: at('21:30') });
    ids.s6 = await session(free, 'REC-A2', A, '20:20', '20:40', 0, 7_000);
    ids.s7 = await session(flat, 'REC-A3', A, '20:20', '20:25', 0, 0);
    ids.s10 = await session(ofB, 'REC-B1', 'REC-TAG-B', '20:20', '20:50', 0, 3_000);

    // S4 took no energy and its CDR billed nothing; a wrong correction now bills 5.00 for it.
    const billing = new SqlBillingRepository(db());
    const [first] = await billing.cdrsOf(ids.s4);
    assert.ok(first && first.totalInclTaxMinor === 0, 'the books billed the empty session nothing');
    const now = time.clock();
    const wrong = { totalExclTax: '5.00', totalInclTax: '5.00', totalExclTaxMinor: 500, totalInclTaxMinor: 500 };
    await billing.addCdrs([
      { ...first, id: randomUUID(), sequence: 2, kind: 'credit', corrects: first.id, createdAt: now },
      { ...first, ...wrong, id: randomUUID(), sequence: 3, kind: 'debit', corrects: null, createdAt: now },
    ]);
    // A CDR billed for a session that is still open (S9).
    const open = (await free.call('StartTransaction', { connectorId: 2, idTag: A, meterStart: 7_000, timestamp: at('21:00') })) as { transactionId: number };
    ids.s9 = await ourId('REC-A2', open.transactionId);
    ids.cdr9 = randomUUID();
    await billing.addCdrs([{ ...first, ...wrong, totalExclTax: '4.00', totalInclTax: '4.00', totalExclTaxMinor: 400, totalInclTaxMinor: 400, id: ids.cdr9, transactionId: ids.s9, stationId: 'REC-A2', sequence: 1, kind: 'debit', corrects: null, stoppedAt: new Date(at('21:30')), createdAt: now }]);
    // A completed session whose books never closed (its end event lost, the sweep not yet come by).
    ids.s8 = randomUUID();
    await db()
      .insertInto('transactions')
      .values({ id: ids.s8, station_id: 'REC-A1', tenant_id: 'rec-a', ocpp_version: '1.6', ocpp_transaction_id: '999001', evse_id: 1, connector_id: 1, id_token: A, id_token_type: null, state: 'completed', started_at: at('21:30'), stopped_at: at('21:40'), meter_start_wh: 60_000, meter_start_at: at('21:30'), meter_start_resolution_wh: 1, meter_stop_wh: 62_000, meter_stop_resolution_wh: 1, last_meter_wh: 62_000, last_meter_at: at('21:40'), last_meter_resolution_wh: 1, highest_meter_wh: 62_000, stop_reason: 'Local', charging_state: null, offline: false, flags: '[]', remote_start_id: null, reservation_id: null, max_seq_no: null, seq_no_count: 0, last_event_at: at('21:40'), created_at: at('21:40'), updated_at: at('21:40') })
      .execute();
    // Holds are overdue an hour after their session ended.
    await time.advance(4.5 * 60 * MIN);
  });
  after(async () => {
    for (const client of clients) await client.close({ force: true });
    await server?.stop();
  });

  const reconcile = async (who: 'a' | 'b' | 'admin', query = `from=${DAY.from}&to=${DAY.to}`) => {
    const answer = await as(who)('GET', `/api/v1/reconciliation?${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const itemsOf = (body: any, kind: string) => body.items.filter((i: any) => i.kind === kind);

  test('every ledger kind is found, with the money at stake', async () => {
    const body = await reconcile('a');
    assert.deepEqual([body.gatewayChecked, body.gateway, body.transactions, body.itemCount], [false, null, 10, 9]);
    const summary = body.items.map((i: any) => [i.kind, i.transactionId, i.holdId, i.amount, i.currency, i.amountKnown]);
    assert.deepEqual(summary, [
      ['delivered-not-billed', ids.s6, null, '0', null, false],
      ['delivered-not-billed', ids.s8, null, '0', null, false],
      ['billed-not-delivered', ids.s4, null, '5.00', 'EUR', true],
      ['billed-not-delivered', ids.s9, null, '4.00', 'EUR', true],
      ['hold-never-released', ids.s5, ids.h5, '50.00', 'EUR', true],
      ['hold-never-released', null, ids.unused, '50.00', 'EUR', true],
      ['capture-mismatch', ids.s1, ids.h1, '0.50', 'EUR', true],
      ['uncollected', ids.s2, ids.h2, '1.00', 'EUR', true],
      ['duplicate-capture', ids.s3, summary.find((s: any[]) => s[0] === 'duplicate-capture')[2], '3.00', 'EUR', true],
    ]);
    const [noTariff, noCdr] = itemsOf(body, 'delivered-not-billed');
    assert.match(noTariff.detail, /7000 Wh delivered, the CDR in force has no price/);
    assert.match(noCdr.detail, /2000 Wh delivered and no CDR in force/);
    assert.equal(noCdr.cdrId, null);
    assert.deepEqual(itemsOf(body, 'billed-not-delivered').map((i: any) => i.facts.reason), ['no-energy', 'transaction-open']);
    assert.equal(itemsOf(body, 'billed-not-delivered')[1].cdrId, ids.cdr9);
    assert.match(itemsOf(body, 'capture-mismatch')[0].detail, /captured 2\.50 EUR \+ not collected 0\.00 EUR, the CDR in force is 3\.00 EUR: 0\.50 EUR apart/);
    assert.equal(itemsOf(body, 'duplicate-capture')[0].facts.captures, 2);
    assert.match(itemsOf(body, 'hold-never-released')[1].detail, /no session used it since 2026-12-07T21:30:00.000Z/);
    assert.deepEqual(body.totals.byKind['billed-not-delivered'], { count: 2, byCurrency: { EUR: { amount: '9.00', amountMinor: 900 } } });
    assert.deepEqual(body.totals.byKind['delivered-not-billed'], { count: 2, byCurrency: {} }, 'an unknown amount is counted and adds nothing');
    assert.deepEqual(body.totals.byKind['gateway-mismatch'], { count: 0, byCurrency: {} });
    assert.equal(body.totals.count, 9);
    // S7 billed 1.00 for no energy: its flat fee explains it. C1, C2 and S7 are not listed.
    for (const clean of [ids.c1, ids.c2, ids.s7]) assert.ok(!JSON.stringify(body.items).includes(clean), clean);
  });

  test('a clean period reports nothing (reconciliation clean)', async () => {
    const body = await reconcile('a', `from=${at('19:00')}&to=${at('20:15')}`);
    assert.deepEqual([body.transactions, body.itemCount, body.items, body.totals.count], [2, 0, [], 0]);
  });

  test("another tenant's items never appear; a platform caller sees both", async () => {
    const b = await reconcile('b');
    assert.deepEqual(b.items.map((i: any) => [i.kind, i.transactionId, i.stationId, i.tenantId]), [['delivered-not-billed', ids.s10, 'REC-B1', 'rec-b']]);
    assert.equal(b.transactions, 1);
    const text = JSON.stringify(b);
    for (const trace of ['rec-a', 'REC-A1', 'REC-A2', ...Object.values(ids).filter((id) => id !== ids.s10)]) assert.ok(!text.includes(trace), `B sees ${trace}`);
    const all = await reconcile('admin');
    assert.deepEqual([all.itemCount, all.transactions], [10, 11]);
    const a = await reconcile('a');
    assert.ok(!JSON.stringify(a).includes(ids.s10), "A does not see B's session");
  });

  test('pages: every item counted, the page listed', async () => {
    const page = await reconcile('a', `from=${DAY.from}&to=${DAY.to}&limit=3&offset=2`);
    assert.deepEqual([page.itemCount, page.items.length, page.items[0].transactionId], [9, 3, ids.s4]);
  });

  test('the same as CSV, by Accept or by format', async () => {
    for (const [query, headers] of [[`from=${DAY.from}&to=${DAY.to}`, { accept: 'text/csv' }], [`from=${DAY.from}&to=${DAY.to}&format=csv`, {}]] as const) {
      const response = await fetch(`${server.httpUrl}/api/v1/reconciliation?${query}`, { headers: { authorization: `Bearer ${owners.a}`, ...headers } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
      const lines = (await response.text()).trimEnd().split('\r\n');
      assert.equal(lines[0], 'kind,transactionId,holdId,cdrId,stationId,tenantId,stoppedAt,currency,amount,amountMinor,amountKnown,detail');
      assert.equal(lines.length, 10);
      const mismatch = lines.find((line) => line.startsWith('capture-mismatch,'))!;
      assert.ok(mismatch.startsWith(`capture-mismatch,${ids.s1},${ids.h1},`), mismatch);
      assert.ok(mismatch.includes(',REC-A1,rec-a,2026-12-07T20:30:00.000Z,EUR,0.50,50,true,'), mismatch);
    }
  });

  test('a period must be whole and ordered', async () => {
    for (const query of [`from=${DAY.from}`, `from=${DAY.to}&to=${DAY.from}`, 'from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z']) {
      const answer = await as('a')('GET', `/api/v1/reconciliation?${query}`);
      assert.deepEqual([answer.status, answer.body.code], [400, 'invalid-input'], query);
    }
    // Without a period: the previous UTC day (the clock says the 7th, 23:30).
    const none = await reconcile('a', '');
    assert.equal(none.from, '2026-12-06T00:00:00.000Z');
  });

  test('a run on demand is stored, and listed to its tenant only', async () => {
    const created = await as('a')('POST', '/api/v1/reconciliation/runs', DAY);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.tenantId, created.body.trigger, created.body.transactions, created.body.itemCount, created.body.gatewayChecked], ['rec-a', 'on-demand', 10, 9, false]);
    assert.deepEqual(created.body.counts, { 'delivered-not-billed': 2, 'billed-not-delivered': 2, 'hold-never-released': 2, 'capture-mismatch': 1, uncollected: 1, 'duplicate-capture': 1, 'gateway-mismatch': 0 });
    assert.deepEqual(created.body.atStake['hold-never-released'], { EUR: { amount: '100.00', amountMinor: 10_000 } });
    const ofA = (await as('a')('GET', '/api/v1/reconciliation/runs')).body.items;
    assert.ok(ofA.some((r: any) => r.id === created.body.id));
    const ofB = (await as('b')('GET', '/api/v1/reconciliation/runs')).body.items;
    assert.ok(ofB.every((r: any) => r.tenantId === 'rec-b') && !ofB.some((r: any) => r.id === created.body.id), JSON.stringify(ofB));
    assert.deepEqual((await as('a')('POST', '/api/v1/reconciliation/runs', { from: DAY.to, to: DAY.from })).status, 400);
  });

  test('the daily run reconciles the previous day after its hour, once, per tenant and for the platform', async () => {
    // 23:30 -> 03:10 the next day: the run of the 7th is due at 03:00.
    await time.advance((3 * 60 + 40) * MIN);
    await server.app.reconciliation.idle();
    const daily = (who: 'a' | 'b' | 'admin') => as(who)('GET', '/api/v1/reconciliation/runs').then((r) => r.body.items.filter((run: any) => run.trigger === 'daily' && run.from === DAY.from));
    const [ofA] = await daily('a');
    assert.ok(ofA, 'stored for tenant A');
    assert.deepEqual([ofA.tenantId, ofA.to, ofA.transactions, ofA.itemCount, ofA.counts['capture-mismatch']], ['rec-a', DAY.to, 10, 9, 1]);
    const [ofB] = await daily('b');
    assert.deepEqual([ofB.tenantId, ofB.transactions, ofB.itemCount], ['rec-b', 1, 1]);
    const platform = (await daily('admin')).find((run: any) => run.tenantId === null);
    assert.deepEqual([platform.transactions, platform.itemCount], [11, 10]);
    // Checked again (another node, a restart): nothing more is stored.
    await time.advance(60 * MIN);
    await server.app.reconciliation.idle();
    assert.equal((await daily('a')).length, 1);
    const period = { from: new Date(DAY.from), to: new Date(DAY.to) };
    assert.equal(await server.app.reconciliation.service.runDaily(period), null, 'a day already stored is not run again');
    // Two nodes racing past that check: the second one's summaries are dropped by the unique index.
    const repo = new SqlReconciliationRepository(db());
    await repo.saveRuns([{ ...ofA, id: randomUUID(), period, siteIds: null, items: 0, atStake: {}, createdAt: new Date() }]);
    assert.deepEqual((await daily('a')).map((run: any) => run.id), [ofA.id]);
    // The day before was run when the server started (on an empty database, before these tenants existed): clean.
    const before = (await as('admin')('GET', '/api/v1/reconciliation/runs')).body.items.find((run: any) => run.trigger === 'daily' && run.tenantId === null && run.from === '2026-12-06T00:00:00.000Z');
    assert.deepEqual([before?.transactions, before?.itemCount], [0, 0]);
  });
});
