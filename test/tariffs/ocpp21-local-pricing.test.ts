/**
 * OCPP 2.1 stations that price locally, over real sockets, with an ocpp-rpc station in strict mode
 * (every CALL we send checked against the official 2.1 schemas): setDefaultTariff sends the
 * version in force now with the tariff's own prices; a tariff 2.1 cannot state exactly is a 400
 * naming the field; a station that does not price locally is a 409; getTariffs names our versions,
 * clearTariffs and changeTransactionTariff reach the station; and the station's own total at the
 * end is checked against the CDR, a difference beyond one minor unit flagged.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RPCClient } from 'ocpp-rpc';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { ocpp21Validator } from '../support/ocpp21-validator.ts';
import { FakeTime } from '../support/fake-time.ts';

const T0 = new Date('2026-12-10T08:00:00Z');
const MIN = 60_000;
// 0.30/kWh and 2.40/h of charging (0.04 a minute), 1.00 per session, 20 % VAT; 0.50/kWh at night.
const TARIFF = {
  id: 'LP-T1',
  currency: 'EUR',
  elements: [
    { price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00' } },
    { price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }, { type: 'TIME', price: 2.4, vat: 20, step_size: 1 }, { type: 'FLAT', price: 1, vat: 20 }] },
  ],
};

type Call = { action: string; params: any };

describe('OCPP 2.1 tariffs to stations that price locally', () => {
  const time = new FakeTime(T0);
  let server: TestServer;
  const clients: RPCClient[] = [];
  const now = () => time.clock().toISOString();
  const command = (stationId: string, body: Record<string, unknown>) => server.api('POST', `/api/v1/stations/${stationId}/commands?wait=5`, body);

  /** A strict 2.1 station that records every tariff CALL and answers as told. */
  async function station(id: string, answers: Record<string, unknown> = {}): Promise<{ client: RPCClient; calls: Call[] }> {
    const client = new RPCClient({ endpoint: server.ocppUrl, identity: id, protocols: ['ocpp2.1'], strictMode: true, strictModeValidators: [ocpp21Validator()], reconnect: false } as any);
    const calls: Call[] = [];
    const defaults: Record<string, Record<string, unknown>> = {
      SetDefaultTariff: { status: 'Accepted' },
      ChangeTransactionTariff: { status: 'Accepted' },
      GetTariffs: { status: 'Accepted', tariffAssignments: [{ tariffId: 'LP-T1-v1', tariffKind: 'DefaultTariff', evseIds: [1, 2] }, { tariffId: 'VENDOR-X', tariffKind: 'DriverTariff', idTokens: ['ABC'] }] },
      ClearTariffs: { clearTariffsResult: [{ tariffId: 'LP-T1-v1', status: 'Accepted' }] },
      ...answers,
    };
    for (const [action, answer] of Object.entries(defaults)) {
      client.handle(action, async ({ params }: any) => {
        calls.push({ action, params });
        return answer;
      });
    }
    await client.connect();
    clients.push(client);
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'LP', vendorName: 'V' } });
    return { client, calls };
  }

  before(async () => {
    server = await startTestServer({ stuck: { enabled: false }, billing: { costUpdateIntervalSec: 0 } }, { time });
    await server.api('POST', '/api/v1/tokens', { idToken: 'LP-TAG' });
    assert.equal((await server.api('POST', '/api/v1/tariffs', TARIFF)).status, 201);
    for (const [id, labels] of [['LP-21', { localPricing: 'true' }], ['LP-CENTRAL', {}], ['LP-TX', { localPricing: 'true' }]] as const) {
      assert.equal((await server.api('POST', '/api/v1/stations', { id, siteId: 'LP-SITE', labels })).status, 201);
    }
    assert.equal((await server.api('POST', '/api/v1/tariff-assignments', { tariffId: 'LP-T1', siteId: 'LP-SITE' })).status, 201);
  });
  after(async () => {
    for (const c of clients) await c.close({ force: true });
    await server.stop();
  });

  test('setDefaultTariff: the version in force now, with the tariff\'s own prices, schema-valid', async () => {
    const { calls } = await station('LP-21');
    const sent = await command('LP-21', { type: 'setDefaultTariff', evseId: 0, tariffId: 'LP-T1' });
    assert.deepEqual([sent.status, sent.body.state, sent.body.response], [200, 'accepted', { status: 'Accepted', stationTariffId: 'LP-T1-v1' }], JSON.stringify(sent.body));
    assert.deepEqual(calls[0], {
      action: 'SetDefaultTariff',
      params: {
        evseId: 0,
        tariff: {
          tariffId: 'LP-T1-v1',
          currency: 'EUR',
          energy: { prices: [{ priceKwh: 0.5, conditions: { startTimeOfDay: '22:00', endTimeOfDay: '06:00' } }, { priceKwh: 0.3 }], taxRates: [{ type: 'VAT', tax: 20 }] },
          chargingTime: { prices: [{ priceMinute: 0.04 }], taxRates: [{ type: 'VAT', tax: 20 }] },
          fixedFee: { prices: [{ priceFixed: 1 }], taxRates: [{ type: 'VAT', tax: 20 }] },
        },
      },
    });
    // The prices are the tariff's, as the API shows it: per kWh as is, per hour = per minute x 60.
    const shown = (await server.api('GET', '/api/v1/stations/LP-21/tariff')).body.tariff;
    const energy = shown.elements[1].price_components;
    const sentTariff: any = calls[0]!.params.tariff;
    assert.deepEqual([sentTariff.energy.prices[1].priceKwh, sentTariff.chargingTime.prices[0].priceMinute * 60], [energy[0].price, energy[1].price]);

    // A change is a new version, and a new id on the station.
    assert.equal((await server.api('PUT', '/api/v1/tariffs/LP-T1', { ...TARIFF, elements: [TARIFF.elements[1]] })).status, 200);
    const again = await command('LP-21', { type: 'setDefaultTariff', evseId: 1, tariffId: 'LP-T1' });
    assert.equal(again.body.state, 'accepted');
    assert.deepEqual([calls[1]!.params.evseId, calls[1]!.params.tariff.tariffId, calls[1]!.params.tariff.energy.prices], [1, 'LP-T1-v2', [{ priceKwh: 0.3 }]]);
    assert.deepEqual(again.body.params.tariffVersion, 2, 'the version sent is kept with the command');
  });

  test('a tariff 2.1 cannot state exactly: 400 naming the field; a station that does not price locally: 409; nothing queued', async () => {
    const steps = { id: 'LP-STEPS', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }, { type: 'TIME', price: 2, step_size: 60 }] }] };
    assert.equal((await server.api('POST', '/api/v1/tariffs', steps)).status, 201);
    const refused = await command('LP-21', { type: 'setDefaultTariff', evseId: 0, tariffId: 'LP-STEPS' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'invalid-input');
    assert.match(refused.body.detail, /^\/elements\/0\/price_components\/1\/step_size: OCPP 2\.1 has no step size: a station bills the exact time, the CDR rounds it up to steps of 60 s \(tariff LP-STEPS version 1 cannot be sent to an OCPP 2\.1 station\)$/);
    assert.equal(refused.body.details.path, '/elements/0/price_components/1/step_size');

    const central = await command('LP-CENTRAL', { type: 'setDefaultTariff', evseId: 0, tariffId: 'LP-T1' });
    assert.deepEqual([central.status, central.body.code], [409, 'conflict']);
    assert.match(central.body.detail, /does not price locally: set its label localPricing=true/);
    const unknown = await command('LP-21', { type: 'setDefaultTariff', evseId: 0, tariffId: 'LP-NOPE' });
    assert.deepEqual([unknown.status, unknown.body.code], [404, 'not-found']);
    const queued = (await server.api('GET', '/api/v1/stations/LP-21/commands?limit=100')).body.items.filter((c: { type: string }) => c.type === 'setDefaultTariff');
    assert.equal(queued.length, 2, 'only the two accepted ones of the test before');
  });

  test('a station that reports TariffCostCtrlr.Enabled[Tariff] = true prices locally without a label', async () => {
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'LP-DM', siteId: 'LP-SITE' })).status, 201);
    const { client, calls } = await station('LP-DM');
    client.handle('GetVariables', async ({ params }: any) => ({
      getVariableResult: params.getVariableData.map((d: any) => ({ attributeStatus: 'Accepted', attributeType: 'Actual', attributeValue: 'true', component: d.component, variable: d.variable })),
    }));
    assert.deepEqual((await command('LP-DM', { type: 'setDefaultTariff', evseId: 0, tariffId: 'LP-T1' })).body.code, 'conflict', 'unknown until the station says so');
    const read = await command('LP-DM', { type: 'getConfiguration', keys: ['TariffCostCtrlr/Enabled[Tariff]'] });
    assert.equal(read.body.state, 'accepted');
    const sent = await command('LP-DM', { type: 'setDefaultTariff', evseId: 0, tariffId: 'LP-T1' });
    assert.deepEqual([sent.status, sent.body.state, calls.at(-1)?.action], [200, 'accepted', 'SetDefaultTariff']);
  });

  test('getTariffs names our versions; clearTariffs reports per tariff', async () => {
    const got = await command('LP-21', { type: 'getTariffs' });
    assert.equal(got.body.state, 'accepted');
    assert.deepEqual(got.body.response.tariffs, [
      { tariffId: 'LP-T1-v1', kind: 'default', evseIds: [1, 2], ours: { tariffId: 'LP-T1', version: 1 } },
      { tariffId: 'VENDOR-X', kind: 'driver', idTokens: ['ABC'] },
    ]);
    const cleared = await command('LP-21', { type: 'clearTariffs', tariffIds: ['LP-T1-v1'], evseId: 1 });
    assert.deepEqual([cleared.body.state, cleared.body.response], ['accepted', { status: 'Accepted', results: [{ status: 'Accepted', tariffId: 'LP-T1-v1' }] }]);
    const twice = await server.api('POST', '/api/v1/stations/LP-21/commands', { type: 'clearTariffs', tariffIds: ['A', 'A'] });
    assert.deepEqual([twice.status, twice.body.code], [400, 'invalid-input']);
  });

  test('changeTransactionTariff resolves our transaction id; the station\'s differing total is flagged beside the CDR, an equal one is not', async () => {
    const { client, calls } = await station('LP-TX');
    const kWh = (value: number, context = 'Sample.Periodic') => [{ timestamp: now(), sampledValue: [{ value, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh', multiplier: 0 } }] }];
    const costDetails = (inclTax: number, exclTax: number) => ({
      totalCost: { currency: 'EUR', typeOfCost: 'NormalCost', total: { exclTax, inclTax } },
      totalUsage: { energy: 5000, chargingTime: 600, idleTime: 0 },
      chargingPeriods: [{ startPeriod: now(), tariffId: 'LP-T1-v2' }],
    });
    async function session(stationTotal: number): Promise<string> {
      const id = randomUUID();
      const evse = { id: 1, connectorId: 1 };
      await client.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0, idToken: { idToken: 'LP-TAG', type: 'ISO14443' }, evse, transactionInfo: { transactionId: id, chargingState: 'Charging' }, meterValue: kWh(0, 'Transaction.Begin') });
      await time.advance(10 * MIN);
      const ended: any = await client.call('TransactionEvent', {
        eventType: 'Ended',
        timestamp: now(),
        triggerReason: 'EVCommunicationLost',
        seqNo: 1,
        transactionInfo: { transactionId: id, stoppedReason: 'EVDisconnected' },
        meterValue: kWh(5, 'Transaction.End'),
        costDetails: costDetails(stationTotal, 2.9),
      });
      // 5 kWh x 0.36 + 10 min x 2.88/h + 1.20 = 1.80 + 0.48 + 1.20 (tariff version 2, 20 % VAT)
      assert.equal(ended.totalCost, 3.48, 'our own final cost in the answer');
      await server.app.billing.idle();
      return (await server.api('GET', `/api/v1/transactions?stationId=LP-TX&limit=100`)).body.items.find((t: { ocppTransactionId: string }) => t.ocppTransactionId === id).id;
    }

    const id = randomUUID();
    await client.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0, idToken: { idToken: 'LP-TAG', type: 'ISO14443' }, evse: { id: 2, connectorId: 1 }, transactionInfo: { transactionId: id, chargingState: 'Charging' } });
    const ours = (await server.api('GET', '/api/v1/transactions?stationId=LP-TX')).body.items[0].id as string;
    const changed = await command('LP-TX', { type: 'changeTransactionTariff', transactionId: ours, tariffId: 'LP-T1' });
    assert.deepEqual([changed.body.state, changed.body.params.ocppTransactionId], ['accepted', id]);
    assert.deepEqual([calls[0]!.action, calls[0]!.params.transactionId, calls[0]!.params.tariff.tariffId], ['ChangeTransactionTariff', id, 'LP-T1-v2']);
    await client.call('TransactionEvent', { eventType: 'Ended', timestamp: now(), triggerReason: 'StopAuthorized', seqNo: 1, transactionInfo: { transactionId: id, stoppedReason: 'Local' } });

    const differing = await session(3.98);
    const agreeing = await session(3.49);
    const costs = async (query: string) => (await server.api('GET', `/api/v1/station-costs?stationId=LP-TX${query}`)).body;
    const all = await eventually(async () => ((await costs('')).total === 2 ? costs('') : null), 'both sessions checked');
    const byTx = new Map(all.items.map((item: { transactionId: string }) => [item.transactionId, item]));
    const flagged: any = byTx.get(differing);
    const [cdr] = (await server.api('GET', `/api/v1/cdrs?stationId=LP-TX&limit=100`)).body.items.filter((c: { transactionId: string }) => c.transactionId === differing);
    assert.deepEqual(
      [flagged.status, flagged.flagged, flagged.compared, flagged.differenceMinor, flagged.cdrId, flagged.ours.totalInclTax, flagged.station.totalInclTax, flagged.station.tariffIds],
      ['differs', true, 'inclTax', '50', cdr.id, '3.48', '3.98', ['LP-T1-v2']],
    );
    assert.equal(cdr.totalCost.inclTax, '3.48', 'the CDR stays our own pricing');
    const ok: any = byTx.get(agreeing);
    assert.deepEqual([ok.status, ok.flagged, ok.differenceMinor], ['agrees', false, '1'], 'one cent is tolerated');
    const onlyFlagged = await costs('&flagged=true');
    assert.deepEqual(onlyFlagged.items.map((item: { transactionId: string }) => item.transactionId), [differing]);
    // The session without the station's cost (the one whose tariff was changed) has no check at all.
    assert.ok(!byTx.has(ours));
  });
});
