/**
 * OCPP 2.1 stations enforce a limit themselves: a paid session's TransactionEvent answers carry
 * transactionLimit.maxCost = what the card hold covers (raised with the hold), never for an unpaid
 * session. The station is ocpp-rpc in strict mode with the 2.1 schemas.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { ocpp21Validator } from '../support/ocpp21-validator.ts';
import { FakeTime } from '../support/fake-time.ts';
import { startFakeStripe, type FakeStripe } from '../../sim/fake-stripe/index.ts';

const MIN = 60_000;

describe('payments: a 2.1 station is told the cost limit of a paid session', () => {
  const time = new FakeTime(new Date('2026-12-08T08:00:00Z'));
  let fake: FakeStripe;
  let server: TestServer;
  let client: RPCClient;

  before(async () => {
    fake = await startFakeStripe({ clock: () => time.clock().getTime() });
    server = await startTestServer(
      { stuck: { enabled: false }, payments: { gateway: 'stripe', holdMinor: 2000, incrementMinor: 2000, fastPath: { enabled: false }, stripe: { secretKey: fake.secretKey, apiUrl: fake.url, timeoutSec: 5 } } },
      { time },
    );
    await server.api('POST', '/api/v1/tariffs', { id: 'LIM-T', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 1, step_size: 1 }] }] });
    await server.api('POST', '/api/v1/stations', { id: 'LIM-21', siteId: 'LIM-SITE' });
    await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'LIM-T', siteId: 'LIM-SITE' });
    await server.api('POST', '/api/v1/tokens', { idToken: 'LIM-CARD' });
    client = new RPCClient({ endpoint: server.ocppUrl, identity: 'LIM-21', protocols: ['ocpp2.1'], strictMode: true, strictModeValidators: [ocpp21Validator()], reconnect: false } as any);
    await client.connect();
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  });
  after(async () => {
    await client.close({ force: true });
    await server.stop();
    await fake.close();
  });

  const energy = (wh: number) => [{ timestamp: time.clock().toISOString(), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register' }] }];
  const settle = async () => {
    await server.app.payments.idle();
    await server.app.billing.idle();
  };

  test('paid: the hold as maxCost, raised with the hold; unpaid: no limit', async () => {
    let token: { idToken: string; type: string } | null = null;
    const started = new Promise<void>((resolve) => {
      client.handle('RequestStartTransaction', (({ params }: any) => {
        token = params.idToken;
        resolve();
        return { status: 'Accepted' };
      }) as any);
    });
    const paid = await server.api('POST', '/api/v1/pay/sessions', { stationId: 'LIM-21', evseId: 1, paymentMethod: 'pm_card_visa' }, null);
    assert.equal(paid.body.state, 'authorized');
    await started;
    const id = randomUUID();
    const first: any = await client.call('TransactionEvent', { eventType: 'Started', timestamp: time.clock().toISOString(), triggerReason: 'RemoteStart', seqNo: 0, idToken: token, evse: { id: 1, connectorId: 1 }, transactionInfo: { transactionId: id }, meterValue: energy(0) });
    assert.deepEqual(first.transactionLimit, { maxCost: 20 }, 'the hold: 20.00 EUR');
    await settle();
    await time.advance(30 * MIN);
    await client.call('TransactionEvent', { eventType: 'Updated', timestamp: time.clock().toISOString(), triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId: id }, meterValue: energy(17_000) });
    await settle();
    const raised: any = await client.call('TransactionEvent', { eventType: 'Updated', timestamp: time.clock().toISOString(), triggerReason: 'MeterValuePeriodic', seqNo: 2, transactionInfo: { transactionId: id }, meterValue: energy(17_500) });
    assert.deepEqual(raised.transactionLimit, { maxCost: 40 }, '17.00 of 20.00 reached: the hold was raised to 40.00, and so is the limit');
    const ended: any = await client.call('TransactionEvent', { eventType: 'Ended', timestamp: time.clock().toISOString(), triggerReason: 'StopAuthorized', seqNo: 3, transactionInfo: { transactionId: id, stoppedReason: 'Local' }, meterValue: energy(18_000) });
    assert.equal(ended.transactionLimit, undefined, 'no limit once it ended');
    assert.equal(ended.totalCost, 18);

    const unpaid: any = await client.call('TransactionEvent', { eventType: 'Started', timestamp: time.clock().toISOString(), triggerReason: 'Authorized', seqNo: 0, idToken: { idToken: 'LIM-CARD', type: 'ISO14443' }, evse: { id: 1, connectorId: 1 }, transactionInfo: { transactionId: randomUUID() }, meterValue: energy(18_000) });
    assert.equal(unpaid.transactionLimit, undefined);
  });
});
