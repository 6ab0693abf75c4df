/**
 * Payments at OCPP 2.1 stations, over real sockets with an ocpp-rpc station in strict mode (every
 * answer of ours checked against the official 2.1 schemas): NotifySettlement is kept and
 * answered, a retry kept once, one cancelled before its transaction started names none; a session
 * cancelled after its start before any cost ends with total cost 0 on both sides and a settlement
 * of 0; VatNumberValidation is answered; a pay-page session at a 2.1 station that shows web
 * payments is announced (NotifyWebPaymentStarted) just before its remote start.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RPCClient } from 'ocpp-rpc';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { ocpp21Validator } from '../support/ocpp21-validator.ts';
import { FakeTime } from '../support/fake-time.ts';
import { startFakeStripe, type FakeStripe } from '../../sim/fake-stripe/index.ts';

const T0 = new Date('2026-12-11T08:00:00Z');
// Energy and charging time only: a session that never charged costs nothing.
const TARIFF = { id: 'SET-T1', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }, { type: 'TIME', price: 2.4, vat: 20, step_size: 1 }] }] };

describe('OCPP 2.1 payments at the station', () => {
  const time = new FakeTime(T0);
  let fake: FakeStripe;
  let server: TestServer;
  const clients: RPCClient[] = [];
  const now = () => time.clock().toISOString();
  const settlements = async (stationId: string) => (await server.api('GET', `/api/v1/stations/${stationId}/settlements`)).body;

  async function station(id: string, labels: Record<string, string> = {}): Promise<{ client: RPCClient; calls: Array<{ action: string; params: any }> }> {
    assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: 'SET-SITE', labels })).status, 201);
    const client = new RPCClient({ endpoint: server.ocppUrl, identity: id, protocols: ['ocpp2.1'], strictMode: true, strictModeValidators: [ocpp21Validator()], reconnect: false } as any);
    const calls: Array<{ action: string; params: any }> = [];
    client.handle('NotifyWebPaymentStarted', async ({ params }: any) => {
      calls.push({ action: 'NotifyWebPaymentStarted', params });
      return {};
    });
    client.handle('RequestStartTransaction', async ({ params }: any) => {
      calls.push({ action: 'RequestStartTransaction', params });
      return { status: 'Accepted' };
    });
    await client.connect();
    clients.push(client);
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'Terminal', vendorName: 'V' } });
    return { client, calls };
  }

  before(async () => {
    fake = await startFakeStripe({ clock: () => time.clock().getTime() });
    server = await startTestServer(
      {
        stuck: { enabled: false },
        billing: { costUpdateIntervalSec: 0 },
        payments: { gateway: 'stripe', fastPath: { enabled: false }, stripe: { secretKey: fake.secretKey, webhookSecret: fake.webhookSecret, apiUrl: fake.url, timeoutSec: 2 } },
      },
      { time },
    );
    fake.setWebhook(`${server.httpUrl}/api/v1/payments/webhook`);
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'SET-T1', siteId: 'SET-SITE' })).status, 201);
    await server.api('POST', '/api/v1/tokens', { idToken: 'PSP-CANCEL-1' });
  });
  after(async () => {
    for (const c of clients) await c.close({ force: true });
    await server.stop();
    await fake.close();
  });

  test('NotifySettlement is kept and answered per schema; a retry is kept once; one cancelled before the start names no transaction', async () => {
    const { client } = await station('SET-A');
    const settlement = {
      transactionId: 'TX-NOT-SEEN',
      pspRef: 'psp_123',
      status: 'Settled',
      settlementAmount: 12.34,
      settlementTime: now(),
      receiptId: 'R-1',
      vatNumber: 'NL123456789B01',
      vatCompany: { name: 'Fleet BV', address1: 'Main 1', city: 'Arnhem', country: 'NL' },
    };
    assert.deepEqual(await client.call('NotifySettlement', settlement), {});
    assert.deepEqual(await client.call('NotifySettlement', settlement), {}, 'the station retried');
    assert.deepEqual(await client.call('NotifySettlement', { pspRef: 'psp_124', status: 'Canceled', settlementAmount: 0, settlementTime: now(), statusInfo: 'driver walked away' }), {});
    const listed = await settlements('SET-A');
    assert.equal(listed.total, 2, 'the retry is kept once');
    const [cancelled, settled] = [listed.items.find((s: any) => s.pspRef === 'psp_124'), listed.items.find((s: any) => s.pspRef === 'psp_123')];
    assert.deepEqual(
      [settled.status, settled.amount, settled.ocppTransactionId, settled.transactionId, settled.receiptId, settled.vatNumber, settled.vatCompany.name],
      ['settled', '12.34', 'TX-NOT-SEEN', null, 'R-1', 'NL123456789B01', 'Fleet BV'],
    );
    assert.deepEqual([cancelled.status, cancelled.amount, cancelled.ocppTransactionId, cancelled.transactionId, cancelled.statusInfo], ['canceled', '0', null, null, 'driver walked away']);
  });

  test('a session cancelled after its start before any cost: total cost 0 on both sides, the CDR 0, a settlement of 0 linked to it', async () => {
    const { client } = await station('SET-B');
    const id = randomUUID();
    const reading = (context: string) => [{ timestamp: now(), sampledValue: [{ value: 0, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh', multiplier: 0 } }] }];
    await client.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: now(),
      triggerReason: 'Authorized',
      seqNo: 0,
      idToken: { idToken: 'PSP-CANCEL-1', type: 'DirectPayment' },
      evse: { id: 1, connectorId: 1 },
      transactionInfo: { transactionId: id, chargingState: 'EVConnected' },
      meterValue: reading('Transaction.Begin'),
    });
    await time.advance(40_000);
    const ended: any = await client.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: now(),
      triggerReason: 'StopAuthorized',
      seqNo: 1,
      transactionInfo: { transactionId: id, stoppedReason: 'Local', chargingState: 'EVConnected' },
      meterValue: reading('Transaction.End'),
      costDetails: { totalCost: { currency: 'EUR', typeOfCost: 'NormalCost', total: { exclTax: 0, inclTax: 0 } }, totalUsage: { energy: 0, chargingTime: 40, idleTime: 40 } },
    });
    assert.equal(ended.totalCost, 0, 'free, said with 0 (TransactionEventResponse.totalCost: absence would not mean free)');
    assert.deepEqual(await client.call('NotifySettlement', { transactionId: id, pspRef: 'PSP-CANCEL-1', status: 'Canceled', settlementAmount: 0, settlementTime: now() }), {});
    await server.app.billing.idle();

    const ours = (await server.api('GET', '/api/v1/transactions?stationId=SET-B')).body.items[0];
    const [cdr] = (await server.api('GET', '/api/v1/cdrs?stationId=SET-B')).body.items;
    assert.deepEqual([ours.state, cdr.totalCost.inclTax], ['completed', '0.00']);
    const [settled] = (await settlements('SET-B')).items;
    assert.deepEqual([settled.transactionId, settled.ocppTransactionId, settled.status, settled.amount], [ours.id, id, 'canceled', '0']);
    const check = await eventually(async () => (await server.api('GET', '/api/v1/station-costs?stationId=SET-B')).body.items[0], 'the station cost checked');
    assert.deepEqual([check.status, check.flagged, check.station.totalInclTax, check.ours.totalInclTax], ['agrees', false, '0', '0.00']);
  });

  test('VatNumberValidation is answered per schema: this CSMS keeps no VAT register', async () => {
    const { client } = await station('SET-C');
    assert.deepEqual(await client.call('VatNumberValidation', { vatNumber: 'NL123456789B01', evseId: 1 }), {
      vatNumber: 'NL123456789B01',
      evseId: 1,
      status: 'Rejected',
      statusInfo: { reasonCode: 'UnsupportedRequest', additionalInfo: 'this CSMS does not validate VAT numbers' },
    });
  });

  test('a pay-page session at a 2.1 station that shows web payments: NotifyWebPaymentStarted, then the remote start', async () => {
    const { calls } = await station('SET-WEB', { webPaymentDisplay: 'true' });
    const { calls: plain } = await station('SET-PLAIN');
    const paid = await server.api('POST', '/api/v1/pay/sessions', { stationId: 'SET-WEB', evseId: 1, paymentMethod: 'pm_card_visa' }, null);
    assert.deepEqual([paid.status, paid.body.state], [201, 'authorized'], JSON.stringify(paid.body));
    await eventually(() => calls.length === 2, 'both calls received');
    assert.deepEqual(calls[0], { action: 'NotifyWebPaymentStarted', params: { evseId: 1, timeout: 60 } });
    assert.equal(calls[1]!.action, 'RequestStartTransaction');
    const notice = (await server.api('GET', '/api/v1/stations/SET-WEB/commands')).body.items.find((c: any) => c.type === 'notifyWebPaymentStarted');
    assert.equal(notice.state, 'accepted');

    const other = await server.api('POST', '/api/v1/pay/sessions', { stationId: 'SET-PLAIN', evseId: 1, paymentMethod: 'pm_card_visa' }, null);
    assert.equal(other.status, 201);
    await eventually(() => plain.length === 1, 'the remote start');
    assert.deepEqual(plain.map((c) => c.action), ['RequestStartTransaction'], 'no label: no notice');

    const byRest = await server.api('POST', '/api/v1/stations/SET-PLAIN/commands?wait=5', { type: 'notifyWebPaymentStarted', evseId: 2, timeout: 120 });
    assert.deepEqual([byRest.status, byRest.body.state], [200, 'accepted']);
    assert.deepEqual(plain.at(-1), { action: 'NotifyWebPaymentStarted', params: { evseId: 2, timeout: 120 } });
  });
});
