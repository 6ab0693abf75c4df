/**
 * Sessions priced and billed over real sockets (ocpp-rpc in strict mode, as an independent
 * station): the live cost in the transaction's view, the CDR written at the end with the same
 * engine, the tariff pinned at the start (a change mid-session is not retroactive), and a CSMS
 * estimate corrected by a credit and a new CDR when the station's real stop arrives.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { FakeTime } from '../support/fake-time.ts';

// 0.30/kWh, 2.00/h of charging, 1.00 per session; 20 % VAT on each.
const TARIFF = {
  id: 'BILL-T1',
  currency: 'EUR',
  elements: [{ price_components: [
    { type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 },
    { type: 'TIME', price: 2, vat: 20, step_size: 1 },
    { type: 'FLAT', price: 1, vat: 20, step_size: 1 },
  ] }],
};
const T0 = new Date('2026-12-08T08:00:00Z');
const MIN = 60_000;

describe('billing over real sockets', () => {
  const time = new FakeTime(T0);
  let server: TestServer;
  const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN).toISOString();
  const view = async (stationId: string) => (await server.api('GET', `/api/v1/transactions?stationId=${stationId}`)).body.items[0];
  const cdrs = async (stationId: string) => (await server.api('GET', `/api/v1/cdrs?stationId=${stationId}`)).body.items;

  before(async () => {
    // The stuck capability would close these sessions while the fake clock jumps half an hour without a message.
    server = await startTestServer({ stuck: { enabled: false } }, { time });
    await server.api('POST', '/api/v1/tokens', { idToken: 'BILL-TAG' });
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    for (const id of ['BILL-16', 'BILL-201', 'BILL-EST']) {
      assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: 'BILL-SITE' })).status, 201);
    }
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'BILL-T1', siteId: 'BILL-SITE' })).status, 201);
  });
  after(() => server.stop());

  test('1.6: live cost while charging, the same engine\'s CDR at the stop, and the view shows the CDR', async () => {
    const c = await strictRpcClient(server.ocppUrl, 'BILL-16', 'ocpp1.6');
    await c.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const start: any = await c.call('StartTransaction', { connectorId: 1, idTag: 'BILL-TAG', meterStart: 10_000, timestamp: at(0) });
    await c.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: at(30), sampledValue: [{ value: '15000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    await time.advance(30 * MIN);
    // 5 kWh x 0.30 + 0.5 h x 2.00 + 1.00 = 3.50, incl. 20 % VAT 4.20
    assert.deepEqual((await view('BILL-16')).cost, { currency: 'EUR', totalExclTax: '3.50', totalInclTax: '4.20' });

    // A tariff change mid-session is not retroactive: the session keeps the version it started under.
    const changed = { ...TARIFF, elements: [{ price_components: [{ type: 'ENERGY', price: 9, step_size: 1 }] }] };
    assert.equal((await server.api('PUT', '/api/v1/tariffs/BILL-T1', changed)).status, 200);

    await time.advance(30 * MIN);
    // The station's signed reading (OCMF, as calibration-law meters send it) travels with the stop.
    const signedValue = 'OCMF|{"FV":"1.0","RD":[{"RV":20.0,"RU":"kWh"}]}|{"SD":"3045022100ab"}';
    await c.call('StopTransaction', {
      transactionId: start.transactionId, meterStop: 20_000, timestamp: at(60), reason: 'Local',
      transactionData: [{ timestamp: at(60), sampledValue: [{ value: signedValue, format: 'SignedData', context: 'Transaction.End', measurand: 'Energy.Active.Import.Register' }] }],
    });
    await server.app.billing.idle();
    const [cdr] = await cdrs('BILL-16');
    // 10 kWh x 0.30 + 1 h x 2.00 + 1.00 = 6.00, incl. 7.20
    assert.deepEqual([cdr.kind, cdr.sequence, cdr.energyWh, cdr.tariffId, cdr.tariffVersion, cdr.estimated], ['debit', 1, '10000', 'BILL-T1', 1, false]);
    assert.deepEqual(cdr.totalCost, { currency: 'EUR', exclTax: '6.00', inclTax: '7.20', exclTaxMinor: 600, inclTaxMinor: 720 });
    assert.deepEqual([cdr.startedAt, cdr.stoppedAt], [at(0), at(60)]);
    assert.ok(cdr.periods.length >= 1 && cdr.periods[0].startDateTime === at(0), JSON.stringify(cdr.periods));
    assert.deepEqual(cdr.meter, {
      startWh: 10_000, stopWh: 20_000, highestWh: 20_000,
      signed: [{ timestamp: at(60), value: signedValue, format: 'SignedData', context: 'Transaction.End', measurand: 'Energy.Active.Import.Register' }],
    }, 'the signed data is kept verbatim');
    assert.deepEqual((await view('BILL-16')).cost, { currency: 'EUR', totalExclTax: '6.00', totalInclTax: '7.20' }, 'the view says what the CDR says');
    assert.equal((await server.api('GET', `/api/v1/cdrs/${cdr.id}`)).body.id, cdr.id);

    // Closing the books again (a doubled event, the sweep) writes nothing more.
    await server.app.billing.service.closeBooks(cdr.transactionId);
    assert.equal((await cdrs('BILL-16')).length, 1);
    await c.close();
    assert.equal((await server.api('PUT', '/api/v1/tariffs/BILL-T1', TARIFF)).status, 200);
  });

  test('2.0.1: a session priced from TransactionEvents, and a session without a tariff is recorded unbilled', async () => {
    const c = await strictRpcClient(server.ocppUrl, 'BILL-201', 'ocpp2.0.1');
    const id = randomUUID();
    const idToken = { idToken: 'BILL-TAG', type: 'ISO14443' };
    const energy = (kWh: number, minutes: number, context: string) => [{ timestamp: at(minutes), sampledValue: [{ value: kWh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh', multiplier: 0 } }] }];
    const base = time.clock().getTime();
    const rel = (m: number) => (base - T0.getTime()) / MIN + m;
    await c.call('TransactionEvent', { eventType: 'Started', timestamp: at(rel(0)), triggerReason: 'Authorized', seqNo: 0, idToken, evse: { id: 1, connectorId: 1 }, transactionInfo: { transactionId: id, chargingState: 'Charging' }, meterValue: energy(1, rel(0), 'Transaction.Begin') });
    const signedMeterValue = { signedMeterData: 'AAECAwQF', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'BgcICQ==' };
    const endValues = energy(21, rel(90), 'Transaction.End');
    endValues[0]!.sampledValue[0] = { ...endValues[0]!.sampledValue[0]!, signedMeterValue } as any;
    const ended: any = await c.call('TransactionEvent', { eventType: 'Ended', timestamp: at(rel(90)), triggerReason: 'EVCommunicationLost', seqNo: 1, transactionInfo: { transactionId: id, stoppedReason: 'EVDisconnected' }, meterValue: endValues });
    assert.equal(ended.totalCost, 12, 'the station is answered the final cost including taxes');
    await server.app.billing.idle();
    const [cdr] = await cdrs('BILL-201');
    // 20 kWh x 0.30 + 1.5 h x 2.00 + 1.00 = 10.00, incl. 12.00
    assert.deepEqual([cdr.energyWh, cdr.totalCost.exclTax, cdr.totalCost.inclTax], ['20000', '10.00', '12.00']);
    assert.deepEqual(cdr.meter.signed.map((s: any) => s.signedMeterValue), [signedMeterValue], '2.x signed meter values are kept verbatim');
    await c.close();

    // A station of no site and no tariff: its CDR says so (reconciliation lists it as delivered, not billed).
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'BILL-FREE' })).status, 201);
    const free = await strictRpcClient(server.ocppUrl, 'BILL-FREE', 'ocpp1.6');
    const s: any = await free.call('StartTransaction', { connectorId: 1, idTag: 'BILL-TAG', meterStart: 0, timestamp: at(rel(0)) });
    await free.call('StopTransaction', { transactionId: s.transactionId, meterStop: 1500, timestamp: at(rel(10)) });
    await server.app.billing.idle();
    const [unbilled] = await cdrs('BILL-FREE');
    assert.deepEqual([unbilled.energyWh, unbilled.totalCost, unbilled.tariffId], ['1500', null, null]);
    assert.equal((await view('BILL-FREE')).cost, null);
    await free.close();
  });

  test('a stuck session closed on an estimate is corrected by a credit and a new CDR when the real stop arrives', async () => {
    const c = await strictRpcClient(server.ocppUrl, 'BILL-EST', 'ocpp1.6');
    const base = (time.clock().getTime() - T0.getTime()) / MIN;
    const start: any = await c.call('StartTransaction', { connectorId: 1, idTag: 'BILL-TAG', meterStart: 0, timestamp: at(base) });
    await c.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: at(base + 60), sampledValue: [{ value: '4000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    const tx = await view('BILL-EST');
    await time.advance(61 * MIN);
    const closed = await server.app.transactions.forceClose(tx.id, { reason: 'test', endedAt: new Date(at(base + 60)), key: 'bill-est-close' });
    assert.ok(closed, 'closed by the CSMS');
    await server.app.billing.idle();
    const [estimate] = await cdrs('BILL-EST');
    assert.deepEqual([estimate.estimated, estimate.energyWh, estimate.totalCost.exclTax], [true, '4000', '4.20'], '4 kWh x 0.30 + 1 h x 2.00 + 1.00');

    // The station comes back with its real stop: 6 kWh, at 90 minutes.
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 6000, timestamp: at(base + 90) });
    await server.app.billing.idle();
    const records = (await cdrs('BILL-EST')).sort((a: any, b: any) => a.sequence - b.sequence);
    assert.deepEqual(records.map((r: any) => [r.sequence, r.kind, r.energyWh, r.totalCost.exclTax, r.estimated]), [
      [1, 'debit', '4000', '4.20', true],
      [2, 'credit', '-4000', '-4.20', true],
      [3, 'debit', '6000', '5.80', false],
    ]);
    assert.equal(records[1].corrects, records[0].id);
    assert.deepEqual((await view('BILL-EST')).cost, { currency: 'EUR', totalExclTax: '5.80', totalInclTax: '6.96' });
    await c.close();
  });

  test('a fleet\'s token is priced by its group\'s tariff, in the site\'s time zone', async () => {
    // Fleet price: 0.10/kWh from 09:00 to 18:00 on the site's wall clock, 0.20/kWh otherwise.
    const fleet = { id: 'BILL-FLEET', currency: 'EUR', elements: [
      { price_components: [{ type: 'ENERGY', price: 0.1, step_size: 1 }], restrictions: { start_time: '09:00', end_time: '18:00' } },
      { price_components: [{ type: 'ENERGY', price: 0.2, step_size: 1 }] },
    ] };
    assert.equal((await server.api('POST', '/api/v1/tariffs', fleet)).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'BILL-FLEET', tokenGroup: 'BILL-FLEET-GROUP' })).status, 201);
    await server.api('POST', '/api/v1/tokens', { idToken: 'BILL-FLEET-GROUP', type: 'Central' });
    await server.api('POST', '/api/v1/tokens', { idToken: 'BILL-VAN-1', groupId: 'BILL-FLEET-GROUP' });
    assert.equal((await server.api('PUT', '/api/v1/sites/BILL-TZ-SITE/billing-settings', { timeZone: 'Asia/Tokyo' })).status, 200);
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'BILL-TZ', siteId: 'BILL-TZ-SITE' })).status, 201);
    const c = await strictRpcClient(server.ocppUrl, 'BILL-TZ', 'ocpp1.6');
    // 10 kWh from 23:00 to 01:00 UTC: 08:00-10:00 in Tokyo, half of it in the fleet's day window.
    const start: any = await c.call('StartTransaction', { connectorId: 1, idTag: 'BILL-VAN-1', meterStart: 0, timestamp: '2026-12-08T23:00:00.000Z' });
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 10_000, timestamp: '2026-12-09T01:00:00.000Z' });
    await server.app.billing.idle();
    const [cdr] = await cdrs('BILL-TZ');
    // 5 kWh x 0.20 (before 09:00 Tokyo) + 5 kWh x 0.10 = 1.50 (in UTC it would be 2.00)
    assert.deepEqual([cdr.tariffId, cdr.totalCost.exclTax], ['BILL-FLEET', '1.50']);
    await c.close();
  });

  test('a CDR lost with its event is written by the books sweep', async () => {
    const [before] = await cdrs('BILL-201');
    // As if the node had stopped between the transaction's end and its CDR: no record, books not closed.
    await sql`delete from cdrs where transaction_id = ${before.transactionId}`.execute(server.app.storage.db);
    await sql`update transaction_pricing set billed_version = null where transaction_id = ${before.transactionId}`.execute(server.app.storage.db);
    assert.equal((await cdrs('BILL-201')).length, 0);
    await time.advance(60_000);
    await server.app.billing.idle();
    const [after] = await cdrs('BILL-201');
    assert.deepEqual([after?.transactionId, after?.totalCost.inclTax, after?.sequence], [before.transactionId, before.totalCost.inclTax, 1]);
  });

  test('billing settings: the site\'s time zone is checked and inherited', async () => {
    const bad = await server.api('PUT', '/api/v1/sites/BILL-SITE/billing-settings', { timeZone: 'Mars/Olympus' });
    assert.deepEqual([bad.status, bad.body.code], [400, 'invalid-input']);
    assert.equal((await server.api('PUT', '/api/v1/billing-settings', { timeZone: 'Europe/Amsterdam' })).status, 200);
    const site = (await server.api('GET', '/api/v1/sites/BILL-SITE/billing-settings')).body;
    assert.deepEqual([site.timeZone, site.effectiveTimeZone], [null, 'Europe/Amsterdam']);
    const set = (await server.api('PUT', '/api/v1/sites/BILL-SITE/billing-settings', { timeZone: 'America/New_York' })).body;
    assert.deepEqual([set.timeZone, set.effectiveTimeZone], ['America/New_York', 'America/New_York']);
  });
});
