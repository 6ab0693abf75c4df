/** Id tokens over REST, and their effect on Authorize at once (no cache to wait for). */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { openRaw } from '../support/raw-client.ts';

describe('tokens REST API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('create with defaults, conflict on a duplicate, bad input refused', async () => {
    const created = await server.api('POST', '/api/v1/tokens', { idToken: '04A2B3C4D5' });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.type, created.body.status, created.body.expiresAt], ['ISO14443', 'Accepted', null]);
    assert.equal((await server.api('POST', '/api/v1/tokens', { idToken: '04A2B3C4D5' })).body.code, 'already-exists');
    assert.equal((await server.api('POST', '/api/v1/tokens', { idToken: 'X', type: 'Bogus' })).body.code, 'invalid-input');
    assert.equal((await server.api('POST', '/api/v1/tokens', { idToken: 'X', expiresAt: 'tomorrow' })).body.code, 'invalid-input');
  });

  test('block, expire and delete take effect on the next Authorize, for 1.6 and 2.0.1', async () => {
    await server.api('POST', '/api/v1/tokens', { idToken: 'CARD-1', type: 'ISO14443' });
    const s16 = await openRaw(`${server.ocppUrl}/TOK-16`, 'ocpp1.6');
    const s201 = await openRaw(`${server.ocppUrl}/TOK-201`, 'ocpp2.0.1');
    const ask = async () => [
      (await s16.call('Authorize', { idTag: 'CARD-1' }))[2].idTagInfo.status,
      (await s201.call('Authorize', { idToken: { idToken: 'CARD-1', type: 'ISO14443' } }))[2].idTokenInfo.status,
    ];
    assert.deepEqual(await ask(), ['Accepted', 'Accepted']);
    await server.api('PATCH', '/api/v1/tokens/CARD-1', { status: 'Blocked' });
    assert.deepEqual(await ask(), ['Blocked', 'Blocked']);
    await server.api('PATCH', '/api/v1/tokens/CARD-1', { status: 'Accepted', expiresAt: new Date(Date.now() - 1000).toISOString() });
    assert.deepEqual(await ask(), ['Expired', 'Expired']);
    await server.api('DELETE', '/api/v1/tokens/CARD-1');
    assert.deepEqual(await ask(), ['Invalid', 'Unknown'], '1.6 has no Unknown');
    await s16.close();
    await s201.close();
  });

  test('a blocked group blocks its members', async () => {
    await server.api('POST', '/api/v1/tokens', { idToken: 'FLEET-G', type: 'Central' });
    await server.api('POST', '/api/v1/tokens', { idToken: 'FLEET-1', groupId: 'FLEET-G' });
    const s = await openRaw(`${server.ocppUrl}/TOK-G`, 'ocpp1.6');
    assert.deepEqual((await s.call('Authorize', { idTag: 'FLEET-1' }))[2].idTagInfo, { status: 'Accepted', parentIdTag: 'FLEET-G' });
    await server.api('PATCH', '/api/v1/tokens/FLEET-G', { status: 'Blocked' });
    assert.equal((await s.call('Authorize', { idTag: 'FLEET-1' }))[2].idTagInfo.status, 'Blocked');
    await s.close();
  });

  test('import JSON and CSV, then list and filter', async () => {
    const json = await server.api('POST', '/api/v1/tokens/import', [{ idToken: 'IMP-1' }, { idToken: 'IMP-2', status: 'Blocked' }]);
    assert.deepEqual(json.body, { created: 2, updated: 0 });
    const csv = await fetch(`${server.httpUrl}/api/v1/tokens/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'text/csv' },
      body: 'status,idToken,type,expiresAt\nAccepted,IMP-2,,\n"Blocked","IMP-3",eMAID,2030-01-01T00:00:00Z\n',
    });
    assert.deepEqual(await csv.json(), { created: 1, updated: 1 });
    const blocked = (await server.api('GET', '/api/v1/tokens?search=IMP-&status=Blocked')).body;
    assert.deepEqual(blocked.items.map((t: any) => [t.idToken, t.type]), [['IMP-3', 'eMAID']]);
    const bad = await fetch(`${server.httpUrl}/api/v1/tokens/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'text/csv' },
      body: 'idToken,status\nOK-1,Accepted\nOK-2,Maybe\n',
    });
    const problem = (await bad.json()) as any;
    assert.deepEqual([bad.status, problem.code], [400, 'invalid-input']);
    assert.match(problem.detail, /line 3/);
    assert.equal((await server.api('GET', '/api/v1/tokens/OK-1')).status, 404, 'nothing written when a row is bad');
  });

  test('a token repeated in one import counts once and keeps its last line', async () => {
    const result = await server.api('POST', '/api/v1/tokens/import', [
      { idToken: 'DUP-1', status: 'Accepted' },
      { idToken: 'DUP-2' },
      { idToken: 'DUP-1', status: 'Blocked' },
    ]);
    assert.deepEqual([result.status, result.body], [200, { created: 2, updated: 0 }]);
    assert.equal((await server.api('GET', '/api/v1/tokens/DUP-1')).body.status, 'Blocked');
  });
});
