/**
 * Customer information with ocpp-rpc in strict mode as a 2.0.1 station: every CALL we send and
 * every answer we give passes the official schemas. 2.0.1 only: ocpp-rpc cannot judge 2.1 (ADR 0003).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { submit } from '../commands/command-support.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any);
});
after(() => server.stop());

test('report by certificate and by customer identifier; a refusal; parts answered {}', async () => {
  const id = 'CI-RPC-201';
  const client = await strictRpcClient(server.ocppUrl, id, 'ocpp2.0.1');
  const received: any[] = [];
  const answers: unknown[] = [];
  client.handle('CustomerInformation', async ({ params }: any) => {
    received.push(params);
    if (params.customerIdentifier === 'nobody') return { status: 'Invalid', statusInfo: { reasonCode: 'UnknownCustomer' } };
    setImmediate(async () => {
      const generatedAt = '2026-03-01T10:00:00.000Z';
      answers.push(await client.call('NotifyCustomerInformation', { requestId: params.requestId, seqNo: 0, tbc: true, data: 'first half, ', generatedAt }));
      answers.push(await client.call('NotifyCustomerInformation', { requestId: params.requestId, seqNo: 1, data: 'second half', generatedAt }));
    });
    return { status: 'Accepted' };
  });
  try {
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'RpcVendor', model: 'RpcModel' } });
    const certificate = { hashAlgorithm: 'SHA256', issuerNameHash: 'a1'.repeat(32), issuerKeyHash: 'b2'.repeat(32), serialNumber: '0123456789' };
    const byCert = await submit(server, id, { type: 'customerInformation', report: true, clear: true, customerCertificate: certificate }, 5);
    assert.equal(byCert.body.state, 'accepted', JSON.stringify(byCert.body));
    const refused = await submit(server, id, { type: 'customerInformation', report: true, clear: false, customerIdentifier: 'nobody' }, 5);
    assert.deepEqual([refused.body.state, refused.body.response], ['rejected', { status: 'Invalid', reason: { code: 'UnknownCustomer' } }]);

    assert.deepEqual(received, [
      { requestId: 1, report: true, clear: true, customerCertificate: certificate },
      { requestId: 2, report: true, clear: false, customerIdentifier: 'nobody' },
    ]);
    const items = await eventually(async () => {
      const body = (await server.api('GET', `/api/v1/stations/${id}/customer-information`)).body;
      return body.items.find((i: any) => i.requestId === 1)?.state === 'complete' ? body.items : null;
    }, 'report complete');
    assert.deepEqual(
      items.map((i: any) => [i.requestId, i.state, i.data, i.stationStatus]),
      [
        [2, 'refused', '', 'Invalid'],
        [1, 'complete', 'first half, second half', 'Accepted'],
      ],
    );
    assert.equal(items[1].generatedAt, '2026-03-01T10:00:00.000Z');
    assert.deepEqual(answers, [{}, {}]);
  } finally {
    await client.close({ code: 1000 });
  }
});
