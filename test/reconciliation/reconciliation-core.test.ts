/** The pure core of reconciliation: periods, amounts, detail sentences, totals, the gateway's judgement, CSV. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addRows, amountText, detailOf, duePeriod, emptyTotals, requestedPeriod, rowsOf, sitesKey, type Discrepancy } from '../../src/capabilities/reconciliation/reconciliation.ts';
import { GatewayCaptures, holdOf, judgeRecord, missingAtGateway, type GatewayRecord, type HoldFacts } from '../../src/capabilities/reconciliation/reconciliation-gateway.ts';
import { csvField, reconciliationCsv } from '../../src/capabilities/reconciliation/reconciliation-csv.ts';

const d = (iso: string) => new Date(iso);
const PERIOD = { from: d('2026-12-07T00:00:00Z'), to: d('2026-12-08T00:00:00Z') };

function item(overrides: Partial<Discrepancy>): Discrepancy {
  return { kind: 'uncollected', tenantId: 't', transactionId: 'tx', holdId: 'h', cdrId: null, stationId: 'S', stoppedAt: d('2026-12-07T10:00:00Z'), currency: 'EUR', amountMinor: 100, amountKnown: true, facts: {}, ...overrides };
}

describe('reconciliation core: periods', () => {
  test('no period asked: the previous UTC day; one end alone, a reversed or an over-long period is invalid input', () => {
    assert.deepEqual(requestedPeriod(undefined, undefined, d('2026-12-08T13:45:00Z')), PERIOD);
    assert.deepEqual(requestedPeriod(d('2026-12-07T08:00:00Z'), d('2026-12-07T09:00:00Z'), d('2030-01-01T00:00:00Z')), { from: d('2026-12-07T08:00:00Z'), to: d('2026-12-07T09:00:00Z') });
    for (const [from, to] of [[d('2026-12-07T00:00:00Z'), undefined], [undefined, d('2026-12-07T00:00:00Z')], [PERIOD.to, PERIOD.from], [PERIOD.from, PERIOD.from], [d('2025-01-01T00:00:00Z'), d('2026-12-07T00:00:00Z')]] as const) {
      assert.throws(() => requestedPeriod(from, to, PERIOD.to), (error: { code?: string }) => error.code === 'invalid-input');
    }
  });

  test('the daily run owes yesterday once its hour has passed, else the day before', () => {
    assert.deepEqual(duePeriod(d('2026-12-08T03:00:00Z'), 3), PERIOD);
    assert.deepEqual(duePeriod(d('2026-12-08T23:59:00Z'), 3), PERIOD);
    assert.deepEqual(duePeriod(d('2026-12-08T02:59:59Z'), 3), { from: d('2026-12-06T00:00:00Z'), to: d('2026-12-07T00:00:00Z') });
    assert.deepEqual(duePeriod(d('2026-12-08T00:00:00Z'), 0), PERIOD);
  });

  test('a run remembers the sites of a caller limited to them, sorted', () => {
    assert.equal(sitesKey({ all: true }), null);
    assert.equal(sitesKey({ tenantId: 't' }), null);
    assert.deepEqual(sitesKey({ tenantId: 't', siteIds: ['b', 'a'] }), ['a', 'b']);
  });
});

describe('reconciliation core: amounts, details, totals', () => {
  test('amounts in the currency\'s minor units; unknown currency: the units as they are', () => {
    assert.deepEqual([amountText(50, 'EUR'), amountText(123_456, 'EUR'), amountText(500, 'JPY'), amountText(1234, 'KWD'), amountText(12, 'XXX'), amountText(0, null)], ['0.50', '1234.56', '500', '1.234', '12', '0']);
  });

  test('every kind reads as a sentence with its money', () => {
    const cases: Array<[Partial<Discrepancy>, RegExp]> = [
      [{ kind: 'delivered-not-billed', currency: null, amountMinor: 0, amountKnown: false, facts: { reason: 'no-cdr', energyWh: 2000 } }, /^2000 Wh delivered and no CDR in force: not priced yet/],
      [{ kind: 'delivered-not-billed', currency: null, amountMinor: 0, amountKnown: false, facts: { reason: 'no-tariff', energyWh: 7000 } }, /^7000 Wh delivered, the CDR in force has no price \(no tariff applied\): amount unknown$/],
      [{ kind: 'billed-not-delivered', amountMinor: 500, facts: { reason: 'no-energy', energyWh: 0 } }, /bills 5\.00 EUR for 0 Wh metered, and no time, parking or flat component explains it/],
      [{ kind: 'billed-not-delivered', amountMinor: 400, facts: { reason: 'transaction-open' } }, /bills 4\.00 EUR for a transaction that is not completed/],
      [{ kind: 'billed-not-delivered', amountMinor: 400, facts: { reason: 'no-transaction' } }, /for a transaction that does not exist/],
      [{ kind: 'hold-never-released', amountMinor: 5000, facts: { state: 'authorized', endedAt: '2026-12-07T21:25:00.000Z' } }, /still authorized \(50\.00 EUR held\) though its session ended at 2026-12-07T21:25/],
      [{ kind: 'hold-never-released', amountMinor: 5000, facts: { state: 'capturing', endedAt: null, createdAt: '2026-12-07T21:30:00.000Z' } }, /no session used it since 2026-12-07T21:30/],
      [{ kind: 'capture-mismatch', amountMinor: 50, facts: { captureMinor: 250, shortfallMinor: 0, owedMinor: 300, cdrCurrency: 'EUR', hasCdr: true } }, /captured 2\.50 EUR \+ not collected 0\.00 EUR, the CDR in force is 3\.00 EUR: 0\.50 EUR apart/],
      [{ kind: 'capture-mismatch', amountMinor: 250, facts: { captureMinor: 250, shortfallMinor: 0, owedMinor: null, cdrCurrency: null, hasCdr: false } }, /no CDR in force: 2\.50 EUR apart/],
      [{ kind: 'capture-mismatch', amountMinor: 250, facts: { captureMinor: 250, shortfallMinor: 0, owedMinor: 300, cdrCurrency: 'GBP', hasCdr: true } }, /but the CDR in force is in GBP/],
      [{ kind: 'uncollected', amountMinor: 100, facts: { state: 'expired', shortfallMinor: 100 } }, /^1\.00 EUR owed beyond what the hold could collect \(hold expired\)$/],
      [{ kind: 'duplicate-capture', amountMinor: 300, facts: { source: 'holds', captures: 2 } }, /^2 captured holds for this session: 3\.00 EUR captured more than once$/],
      [{ kind: 'duplicate-capture', amountMinor: 300, facts: { source: 'gateway', captures: 2, refs: ['pi_1', 'pi_2'] } }, /2 captured authorizations for this session \(pi_1, pi_2\)/],
      [{ kind: 'gateway-mismatch', amountMinor: 700, facts: { reason: 'unknown-authorization', gatewayRef: 'pi_x' } }, /captured 7\.00 EUR on pi_x, which no hold of ours names/],
      [{ kind: 'gateway-mismatch', amountMinor: 20, facts: { reason: 'amount-differs', gatewayRef: 'pi_x', ourCaptureMinor: 300, gatewayCapturedMinor: 320 } }, /we captured 3\.00 EUR, the gateway says 3\.20 EUR on pi_x/],
      [{ kind: 'gateway-mismatch', amountMinor: 300, facts: { reason: 'missing-at-gateway', gatewayRef: 'pi_x', ourCaptureMinor: 300 } }, /lists no authorization pi_x/],
    ];
    for (const [overrides, expected] of cases) assert.match(detailOf(item(overrides)), expected);
  });

  test('totals per kind and currency, every kind present; a tenant\'s share of a platform run', () => {
    const rows = [
      ...rowsOf([item({ tenantId: 'a', amountMinor: 100 }), item({ tenantId: 'a', amountMinor: 50, currency: 'GBP' }), item({ tenantId: 'b', amountMinor: 7 })]),
      { tenantId: 'a', kind: 'delivered-not-billed' as const, currency: null, count: 3, amountMinor: 0 },
    ];
    const all = addRows(emptyTotals(), rows);
    assert.equal(all.count, 6);
    assert.deepEqual(all.byKind.uncollected, { count: 3, byCurrency: { EUR: 107, GBP: 50 } });
    assert.deepEqual(all.byKind['delivered-not-billed'], { count: 3, byCurrency: {} });
    assert.deepEqual(all.byKind['gateway-mismatch'], { count: 0, byCurrency: {} });
    assert.deepEqual(addRows(emptyTotals(), rows, 'b').byKind.uncollected, { count: 1, byCurrency: { EUR: 7 } });
  });
});

describe('reconciliation core: the gateway\'s record against our holds', () => {
  const hold = (overrides: Partial<HoldFacts> = {}): HoldFacts => ({ id: 'h1', tenantId: 't', stationId: 'S', transactionId: 'tx1', state: 'captured', currency: 'EUR', captureMinor: 300, gatewayRef: 'pi_1', stoppedAt: d('2026-12-07T10:00:00Z'), inPeriod: true, ...overrides });
  const record = (overrides: Partial<GatewayRecord> = {}): GatewayRecord => ({ ref: 'pi_1', state: 'captured', authorizedMinor: 5000, capturedMinor: 300, currency: 'EUR', holdId: 'h1', createdAt: d('2026-12-07T09:00:00Z'), ...overrides });
  const judged = (r: GatewayRecord, h: HoldFacts | null, all = true) => {
    const found = judgeRecord(r, h, PERIOD, all);
    return found ? [found.kind, found.facts.reason, found.amountMinor, found.currency] : null;
  };

  test('agreement is silent; each disagreement is named with the money at stake', () => {
    assert.equal(judged(record(), hold()), null);
    assert.deepEqual(judged(record({ capturedMinor: 320 }), hold()), ['gateway-mismatch', 'amount-differs', 20, 'EUR']);
    assert.deepEqual(judged(record({ currency: 'GBP' }), hold()), ['gateway-mismatch', 'amount-differs', 300, 'GBP']);
    assert.deepEqual(judged(record({ state: 'canceled', capturedMinor: 0 }), hold()), ['gateway-mismatch', 'gateway-canceled', 300, 'EUR']);
    assert.deepEqual(judged(record({ state: 'authorized', capturedMinor: 0 }), hold()), ['gateway-mismatch', 'gateway-not-captured', 300, 'EUR']);
    assert.deepEqual(judged(record({ capturedMinor: 120 }), hold({ state: 'released', captureMinor: null })), ['gateway-mismatch', 'not-captured-here', 120, 'EUR']);
    assert.equal(judged(record({ state: 'authorized', capturedMinor: 0 }), hold({ state: 'authorized', captureMinor: null })), null, 'both say held, not captured');
    assert.deepEqual(judged(record({ ref: 'pi_2', capturedMinor: 500 }), hold()), ['gateway-mismatch', 'second-authorization', 500, 'EUR']);
    assert.equal(judged(record({ ref: 'pi_2', state: 'canceled', capturedMinor: 0 }), hold()), null, 'a second authorization that took nothing');
    assert.equal(judged(record({ capturedMinor: 999 }), hold({ inPeriod: false })), null, 'judged in its own period');
  });

  test('a record no hold names: listed to who sees every tenant, when it took money in the period', () => {
    assert.deepEqual(judged(record({ holdId: null, capturedMinor: 700 }), null), ['gateway-mismatch', 'unknown-authorization', 700, 'EUR']);
    assert.equal(judged(record({ holdId: null, capturedMinor: 700 }), null, false), null);
    assert.equal(judged(record({ holdId: null, state: 'authorized', capturedMinor: 0 }), null), null);
    assert.equal(judged(record({ holdId: null, capturedMinor: 700, createdAt: d('2026-12-06T23:59:59Z') }), null), null);
  });

  test('matching: by reference first, else by the hold id given as metadata', () => {
    const a = hold({ id: 'h1', gatewayRef: 'pi_1' });
    const b = hold({ id: 'h2', gatewayRef: 'pi_2' });
    const byRef = new Map([['pi_1', a], ['pi_2', b]]);
    const byId = new Map([['h1', a], ['h2', b]]);
    assert.equal(holdOf(record({ ref: 'pi_2', holdId: 'h1' }), byRef, byId), b);
    assert.equal(holdOf(record({ ref: 'pi_9', holdId: 'h1' }), byRef, byId), a);
    assert.equal(holdOf(record({ ref: 'pi_9', holdId: null }), byRef, byId), null);
  });

  test('a session the gateway charged more than once: what went beyond the largest capture', () => {
    const captures = new GatewayCaptures();
    captures.add(record({ ref: 'pi_1', capturedMinor: 300 }), hold());
    captures.add(record({ ref: 'pi_2', capturedMinor: 200 }), hold());
    captures.add(record({ ref: 'pi_3', capturedMinor: 0 }), hold());
    captures.add(record({ ref: 'pi_4', capturedMinor: 900 }), hold({ transactionId: 'tx2', inPeriod: false }));
    assert.deepEqual(captures.sessions(), ['tx1']);
    const dup = captures.duplicate('tx1')!;
    assert.deepEqual([dup.kind, dup.amountMinor, dup.facts.refs, dup.facts.capturedMinor], ['duplicate-capture', 200, ['pi_1', 'pi_2'], 500]);
    assert.equal(captures.duplicate('tx2'), null);
    const missing = missingAtGateway(hold());
    assert.deepEqual([missing.kind, missing.facts.reason, missing.amountMinor], ['gateway-mismatch', 'missing-at-gateway', 300]);
  });
});

describe('reconciliation core: CSV', () => {
  test('RFC 4180 quoting, and nothing a spreadsheet would run as a formula', () => {
    assert.deepEqual([csvField(null), csvField('a,b'), csvField('say "x"'), csvField('=HYPERLINK("x")'), csvField('-5'), csvField(-5), csvField(true)], ['', '"a,b"', '"say ""x"""', `"'=HYPERLINK(""x"")"`, "'-5", '-5', 'true']);
  });

  test('one line per item under the header, CRLF, with the amount as decimal text and the detail', () => {
    const csv = reconciliationCsv([item({ kind: 'uncollected', stationId: '=ST', facts: { state: 'captured' } })]);
    const [header, line, end] = csv.split('\r\n');
    assert.equal(header, 'kind,transactionId,holdId,cdrId,stationId,tenantId,stoppedAt,currency,amount,amountMinor,amountKnown,detail');
    assert.equal(line, "uncollected,tx,h,,'=ST,t,2026-12-07T10:00:00.000Z,EUR,1.00,100,true,1.00 EUR owed beyond what the hold could collect (hold captured)");
    assert.equal(end, '');
  });
});
