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
