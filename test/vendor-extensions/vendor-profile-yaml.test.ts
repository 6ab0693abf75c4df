/** Vendor profiles as YAML: uploaded as application/yaml, read back and exported with ?format=yaml, the same document as JSON; bad or aliased YAML is refused precisely. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse, stringify } from 'yaml';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/harness.ts';
import { exampleProfile } from './vendor-support.ts';

describe('vendor profiles in YAML', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  const send = (method: string, path: string, body: string, type = 'application/yaml') =>
    fetch(`${server.httpUrl}/api/v1${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type }, body });
  const get = (path: string) => fetch(`${server.httpUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  test('a YAML upload is the same profile as its JSON; ?format=yaml answers YAML', async () => {
    const profile = exampleProfile('liquid-cooling');
    const created = await send('POST', '/vendor-profiles', stringify(profile));
    assert.equal(created.status, 201, await created.clone().text());
    assert.deepEqual(await created.json(), profile);
    const asJson = await (await get(`/vendor-profiles/${profile.id}`)).json();
    assert.deepEqual(asJson, profile);
    const asYaml = await get(`/vendor-profiles/${profile.id}?format=yaml`);
    assert.match(asYaml.headers.get('content-type') ?? '', /application\/yaml/);
    assert.deepEqual(parse(await asYaml.text()), profile);
    const bundle = await get('/vendor-profiles/export?format=yaml');
    assert.deepEqual(parse(await bundle.text()).profiles, [profile]);
  });

  test('unreadable YAML and YAML with aliases are invalid-input; nothing is stored', async () => {
    const bad = await send('POST', '/vendor-profiles', 'id: [unclosed\nvendorId: x');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).code, 'invalid-input');
    const aliases = await send('POST', '/vendor-profiles', 'a: &a [x, x, x]\nb: [*a, *a, *a]\nid: bomb\nvendorId: x\nmessages: []');
    assert.equal(aliases.status, 400, 'aliases are refused (no expansion bombs)');
    assert.equal((await get('/vendor-profiles/bomb')).status, 404);
  });
});
