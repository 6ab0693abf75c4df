/** REST contract for commands: validation, problem+json codes, listing, paging, OpenAPI. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { submit } from './command-support.ts';

describe('commands REST API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ commands: { defaultExpirySec: 120 } } as any);
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'API-CMD' })).status, 201);
  });
  after(() => server.stop());

  test('a submitted command is returned whole with 202', async () => {
    const res = await submit(server, 'API-CMD', { type: 'start', idToken: 'TAG-1', evseId: 1 });
    assert.equal(res.status, 202);
    const c = res.body;
    assert.deepEqual(Object.keys(c).sort(), ['answeredAt', 'attempts', 'createdAt', 'error', 'expiresAt', 'id', 'params', 'response', 'sentAt', 'state', 'stationId', 'type']);
    assert.match(c.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual([c.stationId, c.type, c.state, c.sentAt, c.answeredAt, c.response, c.error, c.attempts], ['API-CMD', 'start', 'queued', null, null, null, null, 0]);
    assert.equal(c.params.idToken, 'TAG-1');
    assert.equal(c.params.evseId, 1);
    assert.ok(Number.isInteger(c.params.remoteStartId), 'remoteStartId generated');
    assert.equal(Date.parse(c.expiresAt) - Date.parse(c.createdAt), 120_000, 'commands.defaultExpirySec applies');
    assert.ok(!('expiresInSec' in c.params) && !('type' in c.params));
    const stop = await submit(server, 'API-CMD', { type: 'stop', transactionId: '17' });
    assert.deepEqual(stop.body.params, { transactionId: '17', ocppTransactionId: '17' }, 'the resolved OCPP id is kept');
  });

  test('unknown station -> 404 not-found; unknown command -> 404', async () => {
    const res = await submit(server, 'NO-SUCH-STATION', { type: 'clearCache' });
    assert.deepEqual([res.status, res.body.code], [404, 'not-found']);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const list = await server.api('GET', '/api/v1/stations/NO-SUCH-STATION/commands');
    assert.deepEqual([list.status, list.body.code], [404, 'not-found']);
    const missing = await server.api('GET', `/api/v1/commands/${randomUUID()}`);
    assert.deepEqual([missing.status, missing.body.code], [404, 'not-found']);
    const malformed = await server.api('GET', '/api/v1/commands/not-a-uuid');
    assert.deepEqual([malformed.status, malformed.body.code], [400, 'invalid-input']);
  });

  test('invalid parameters -> 400 invalid-input', async () => {
    const bad: Array<Record<string, unknown>> = [
      {},
      { type: 'launch' },
      { type: 'reset' },
      { type: 'reset', mode: 'medium' },
      { type: 'reset', mode: 'soft', extra: 1 },
      { type: 'start' },
      { type: 'start', idToken: '' },
      { type: 'start', idToken: 'T', connectorId: 1 },
      { type: 'unlock' },
      { type: 'unlock', evseId: 0 },
      { type: 'changeAvailability', evseId: 1 },
      { type: 'trigger', message: 'Teleport' },
      { type: 'getConfiguration', keys: [''] },
      { type: 'setConfiguration', key: 'A' },
      { type: 'dataTransfer' },
      { type: 'clearCache', expiresInSec: 0 },
      { type: 'clearCache', expiresInSec: 'soon' },
    ];
    for (const body of bad) {
      const res = await submit(server, 'API-CMD', body);
      assert.deepEqual([res.status, res.body.code], [400, 'invalid-input'], JSON.stringify(body));
    }
    const explained = await submit(server, 'API-CMD', { type: 'reset', mode: 'medium' });
    assert.equal(explained.body.detail, 'invalid reset command: /mode: must be one of: soft, hard, onIdle', 'explained against the named type');
    const unknownType = await submit(server, 'API-CMD', { type: 'launch' });
    assert.match(unknownType.body.detail, /^type must be one of: start, stop, /);
    const negativeWait = await submit(server, 'API-CMD', { type: 'clearCache' }, -1);
    assert.deepEqual([negativeWait.status, negativeWait.body.code], [400, 'invalid-input']);
  });

  test('list: newest first, paged, filtered by state', async () => {
    await server.api('POST', '/api/v1/stations', { id: 'API-LIST' });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await submit(server, 'API-LIST', { type: 'dataTransfer', vendorId: 'v', messageId: `m${i}`, expiresInSec: i === 0 ? 1 : 600 })).body.id);
    const page = await server.api('GET', '/api/v1/stations/API-LIST/commands?limit=3');
    assert.equal(page.status, 200);
    assert.deepEqual([page.body.total, page.body.limit, page.body.offset], [4, 3, 0]);
    assert.deepEqual(page.body.items.map((c: any) => c.id), [ids[3], ids[2], ids[1]]);
    const rest = await server.api('GET', '/api/v1/stations/API-LIST/commands?limit=3&offset=3');
    assert.deepEqual(rest.body.items.map((c: any) => c.id), [ids[0]]);
    const queued = await server.api('GET', '/api/v1/stations/API-LIST/commands?state=queued');
    assert.ok(queued.body.items.every((c: any) => c.state === 'queued'));
    assert.equal((await server.api('GET', '/api/v1/stations/API-LIST/commands?state=limbo')).status, 400);
    const one = await server.api('GET', `/api/v1/commands/${ids[2]}`);
    assert.deepEqual([one.status, one.body.params], [200, { vendorId: 'v', messageId: 'm2' }]);
  });

  test('the commands API is in the OpenAPI document', async () => {
    const doc = await server.api('GET', '/api/docs/json', undefined, null);
    assert.equal(doc.status, 200);
    const post = doc.body.paths['/api/v1/stations/{id}/commands']?.post;
    assert.ok(post, 'POST /stations/{id}/commands documented');
    assert.ok(post.requestBody.content['application/json'].schema.anyOf.length >= 10, 'one schema per command type');
    assert.ok(doc.body.paths['/api/v1/stations/{id}/commands'].get);
    assert.ok(doc.body.paths['/api/v1/commands/{commandId}'].get);
  });
});
