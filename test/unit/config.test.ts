import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig } from '../../src/config.ts';

test('defaults give a working development setup', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.dataDir, './data');
  assert.equal(config.autoRegister, true);
  assert.deepEqual(config.ocpp.protocols, ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6']);
});

test('environment variables override the file, which overrides defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ port: 9000, autoRegister: false, ocpp: { heartbeatIntervalSec: 600 } }));
  const config = loadConfig({ CHARGEBRIDGE_CONFIG: file, CHARGEBRIDGE_PORT: '9100', CHARGEBRIDGE_OCPP_PROTOCOLS: 'ocpp1.6, ocpp2.0.1' });
  assert.equal(config.port, 9100);
  assert.equal(config.autoRegister, false);
  assert.equal(config.ocpp.heartbeatIntervalSec, 600);
  assert.equal(config.ocpp.callTimeoutSec, 30, 'untouched nested defaults survive the merge');
  assert.deepEqual(config.ocpp.protocols, ['ocpp1.6', 'ocpp2.0.1']);
});

test('bad settings are refused with the setting named', () => {
  assert.throws(() => loadConfig({ CHARGEBRIDGE_PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /\/port/.test(e.message));
  assert.throws(() => loadConfig({ CHARGEBRIDGE_AUTO_REGISTER: 'maybe' }), /autoRegister/);
  assert.throws(() => loadConfig({ CHARGEBRIDGE_OCPP_PROTOCOLS: 'ocpp1.5' }), /protocols/);
  assert.throws(() => loadConfig({ CHARGEBRIDGE_ADMIN_TOKEN: 'short' }), /adminToken/);
});

test('a file sets part of a section: lists replace, sibling defaults stay, site overrides stay partial', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-config-'));
  const file = join(dir, 'config.json');
  const settings = { ocpp: { protocols: ['ocpp1.6'] }, stuck: { defaults: { samplingIntervalSec: 120 }, sites: { 'site-a': { maxPowerW: 22_000 } } } };
  // Written as text: in an object literal __proto__ would set the prototype instead of a key.
  writeFileSync(file, JSON.stringify(settings).replace(/\}$/, ', "__proto__": { "polluted": true } }'));
  const config = loadConfig({ CHARGEBRIDGE_CONFIG: file, NATS_URL: 'nats://127.0.0.1:4222' });
  assert.deepEqual(config.ocpp.protocols, ['ocpp1.6'], 'a list from the file replaces the default list');
  assert.equal(config.ocpp.heartbeatIntervalSec, 300);
  assert.equal(config.stuck.defaults.samplingIntervalSec, 120);
  assert.equal(config.stuck.defaults.silenceFactor, 5, 'the other stuck defaults are kept');
  assert.deepEqual(config.stuck.sites, { 'site-a': { maxPowerW: 22_000 } }, 'a site keeps only what it overrides');
  assert.equal(config.cluster.natsUrl, 'nats://127.0.0.1:4222');
  assert.equal(config.cluster.heartbeatSec, 2, 'a section the environment touches still gets its defaults');
  assert.equal((config as unknown as { polluted?: boolean }).polluted, undefined, '__proto__ in a file is ignored');
  assert.equal(Object.getPrototypeOf(config), Object.prototype);

  const second = loadConfig({});
  assert.deepEqual(second.ocpp.protocols, ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'], 'defaults are copied, never shared between loads');
  second.ocpp.protocols.pop();
  assert.equal(loadConfig({}).ocpp.protocols.length, 3);
});

test('a config file that is not a JSON object is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, '[1, 2]');
  assert.throws(() => loadConfig({ CHARGEBRIDGE_CONFIG: file }), (e: unknown) => e instanceof ConfigError && /JSON object/.test(e.message));
  writeFileSync(file, '{ "port": ');
  assert.throws(() => loadConfig({ CHARGEBRIDGE_CONFIG: file }), /cannot read/);
});

test('a refused credential is named but never echoed', () => {
  const token = 'short-secret';
  try {
    loadConfig({ CHARGEBRIDGE_ADMIN_TOKEN: token });
    assert.fail('a 12-character admin token is refused');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /\/adminToken/);
    assert.match(error.message, /12 characters, not shown/);
    assert.ok(!error.message.includes(token), error.message);
  }
});
