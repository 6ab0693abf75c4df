/**
 * The audit trail (issue 13): every change made over the API and every sign-in attempt is on the
 * trail with who, tenant, what, when, request id and outcome, before the caller has its answer;
 * reads are not. Every command's outcome is there too, whoever sent it. Queryable per station,
 * paged, exportable as CSV, and append-only.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, eventually, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { readSource, withoutComments } from '../support/source-code.ts';

const PASSWORD = 'audit password 1234';

interface Entry {
  id: string;
  at: string;
  tenantId: string | null;
  actor: { kind: string; id: string | null; label: string };
  action: string;
  path: string | null;
  stationId: string | null;
  requestId: string | null;
  outcome: { status: number | null; code: string | null };
  detail: Record<string, unknown> | null;
}

describe('audit trail', () => {
  let server: TestServer;
  let station: RPCClient;
  let operator: string;
  const logLines: string[] = [];

  const trail = async (query = '', token?: string): Promise<Entry[]> => (await server.api('GET', `/api/v1/audit${query}`, undefined, token)).body.items;

  before(async () => {
    server = await startTestServer({ logLevel: 'debug' } as never, { logLines });
    await server.api('POST', '/api/v1/tenants', { id: 'audited', name: 'Audited' });
    await server.api('POST', '/api/v1/users', { email: 'op@audited.example', password: PASSWORD, role: 'operator', tenantId: 'audited' });
    operator = (await server.api('POST', '/api/v1/auth/login', { email: 'op@audited.example', password: PASSWORD }, null)).body.token;
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'AUD-1', tenantId: 'audited' })).status, 201);
    station = await strictRpcClient(server.ocppUrl, 'AUD-1', 'ocpp1.6');
    station.handle('Reset', async () => ({ status: 'Rejected' }));
    await station.call('BootNotification', { chargePointVendor: 'Aud', chargePointModel: 'It' });
  });
  after(async () => {
    await station?.close({ code: 1000 });
    await server?.stop();
  });

  test('a change is on the trail when its answer arrives: who, tenant, what, request id, outcome; a read is not', async () => {
    const response = await fetch(`${server.httpUrl}/api/v1/stations/AUD-1`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json', 'x-request-id': 'ticket-4711' },
      body: JSON.stringify({ labels: { bay: '3' } }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'ticket-4711', 'the caller\'s request id is kept and echoed');
    await server.api('GET', '/api/v1/stations/AUD-1', undefined, operator);

    const [latest, ...rest] = await trail('?stationId=AUD-1', operator);
    assert.equal(latest?.action, 'PATCH /api/v1/stations/{id}');
    assert.deepEqual(
      [latest?.tenantId, latest?.actor.kind, latest?.actor.label, latest?.path, latest?.stationId, latest?.requestId, latest?.outcome],
      ['audited', 'user', 'op@audited.example', '/api/v1/stations/AUD-1', 'AUD-1', 'ticket-4711', { status: 200, code: null }],
    );
    assert.ok(Math.abs(Date.parse(latest?.at ?? '') - Date.now()) < 60_000);
    assert.ok(![latest, ...rest].some((e) => e?.action.startsWith('GET ')), 'reads are not recorded');
  });

  test('a refused change is recorded with its problem code; sign-in attempts too, never the password', async () => {
    const viewerMade = await server.api('POST', '/api/v1/users', { email: 'eve@audited.example', password: PASSWORD, role: 'viewer', tenantId: 'audited' });
    assert.equal(viewerMade.status, 201);
    const viewer = (await server.api('POST', '/api/v1/auth/login', { email: 'eve@audited.example', password: PASSWORD }, null)).body.token;
    assert.equal((await server.api('DELETE', '/api/v1/stations/AUD-1', undefined, viewer)).status, 403);
    await server.api('POST', '/api/v1/auth/login', { email: 'eve@audited.example', password: 'a wrong guess!' }, null);

    // The tenant's own trail shows sign-ins to its accounts, right or wrong, with the tenant they concern.
    const own = await trail('?limit=50', operator);
    assert.ok(own.some((e) => e.action === 'POST /api/v1/auth/login' && e.outcome.status === 401 && e.tenantId === 'audited'), 'a failed sign-in on its user');
    const entries = await trail('?limit=20');
    const refused = entries.find((e) => e.action === 'DELETE /api/v1/stations/{id}');
    assert.deepEqual([refused?.actor.label, refused?.outcome], ['eve@audited.example', { status: 403, code: 'forbidden' }]);
    const failed = entries.find((e) => e.action === 'POST /api/v1/auth/login' && e.outcome.status === 401);
    assert.deepEqual([failed?.actor.kind, failed?.actor.label, failed?.outcome.code], ['anonymous', 'sign-in as eve@audited.example', 'unauthorized']);
    assert.ok(entries.some((e) => e.action === 'POST /api/v1/auth/login' && e.outcome.status === 200));
    assert.ok(!JSON.stringify(entries).includes('a wrong guess!'), 'a password is never on the trail');
    assert.ok(!logLines.join('\n').includes('a wrong guess!'), 'nor in the log');
  });

  test("every command's outcome is on the trail, whoever sent it", async () => {
    const sent = await server.api('POST', '/api/v1/stations/AUD-1/commands?wait=5', { type: 'reset', mode: 'soft' }, operator);
    assert.equal(sent.body.state, 'rejected');
    const entries = await eventually(async () => {
      const found = await trail('?stationId=AUD-1', operator);
      return found.some((e) => e.action === 'command reset') ? found : null;
    }, 'the command outcome on the trail');
    const outcome = entries.find((e) => e.action === 'command reset');
    assert.deepEqual([outcome?.actor.kind, outcome?.tenantId, outcome?.outcome, outcome?.detail?.commandId], ['system', 'audited', { status: null, code: 'rejected' }, sent.body.id]);
    const submitted = entries.find((e) => e.action === 'POST /api/v1/stations/{id}/commands');
    assert.deepEqual([submitted?.actor.label, submitted?.outcome.status, submitted?.detail?.resourceId], ['op@audited.example', 200, sent.body.id], 'and who asked for it');
  });

  test('pages go back in time; the CSV holds the same entries, quoted, with no formula a spreadsheet would run', async () => {
    // A station id may start with @ or + (OCPP allows it), and a spreadsheet would run such a cell.
    assert.equal((await server.api('POST', '/api/v1/stations', { id: '@SUM-1', tenantId: 'audited' })).status, 201);
    const first = await server.api('GET', '/api/v1/audit?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.nextBefore);
    const second = await server.api('GET', `/api/v1/audit?limit=2&before=${first.body.nextBefore}`);
    assert.ok(Number(second.body.items[0].id) < Number(first.body.items[1].id), 'older entries on the next page');

    const formula = await fetch(`${server.httpUrl}/api/v1/audit?format=csv&stationId=${encodeURIComponent('@SUM-1')}`, { headers: { authorization: `Bearer ${operator}` } });
    const formulaLines = (await formula.text()).trimEnd().split('\r\n');
    assert.equal(formulaLines.length, 2, 'the registration of @SUM-1 is on the trail');
    assert.ok(formulaLines[1]?.includes(",'@SUM-1,"), `the cell is neutralised: ${formulaLines[1]}`);
    const csv = await fetch(`${server.httpUrl}/api/v1/audit?format=csv&stationId=AUD-1`, { headers: { authorization: `Bearer ${operator}` } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,at,tenantId,actorKind,actorId,actor,action,path,stationId,requestId,status,code');
    const json = await trail('?stationId=AUD-1', operator);
    assert.equal(lines.length - 1, json.length, 'one line per entry');
    assert.ok(lines.slice(1).every((line) => !/(^|,)[=+\-@]/.test(line)), 'no cell starts like a formula');
  });

  test('the trail is append-only: its storage port and adapter can only add and read', () => {
    const port = withoutComments(readSource('src/capabilities/audit/audit-repository.ts'));
    const adapter = withoutComments(readSource('src/capabilities/audit/audit-repository-sql.ts'));
    assert.deepEqual([...port.matchAll(/^\s+(\w+)\(/gm)].map((m) => m[1]), ['append', 'list']);
    assert.doesNotMatch(adapter, /updateTable|deleteFrom|\bupdate\b|\bdelete\b|truncate/i);
  });
});
