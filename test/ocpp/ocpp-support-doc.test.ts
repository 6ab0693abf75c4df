/**
 * docs/ocpp-support.md lists every action of every version with its direction and state.
 * This test holds the document to the schema bundles (every defined action is listed once),
 * to the specification's directions (listed here independently of the document), to the
 * router (what is `answered` is what a capability handles) and to the command API (every
 * command a row names exists).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { COMMAND_TYPES } from '../../src/capabilities/commands/command.ts';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';

const require = createRequire(import.meta.url);

/** Station-initiated actions per version, from the specifications (1.6 edition 2 ch. 4 and the security whitepaper; 2.0.1 and 2.1 Part 2). */
const FROM_STATION_16 = [
  'Authorize', 'BootNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues',
  'StartTransaction', 'StatusNotification', 'StopTransaction',
  'LogStatusNotification', 'SecurityEventNotification', 'SignCertificate', 'SignedFirmwareStatusNotification',
];
const FROM_STATION_201 = [
  'Authorize', 'BootNotification', 'ClearedChargingLimit', 'FirmwareStatusNotification', 'Get15118EVCertificate', 'GetCertificateStatus',
  'Heartbeat', 'LogStatusNotification', 'MeterValues', 'NotifyChargingLimit', 'NotifyCustomerInformation', 'NotifyDisplayMessages',
  'NotifyEVChargingNeeds', 'NotifyEVChargingSchedule', 'NotifyEvent', 'NotifyMonitoringReport', 'NotifyReport',
  'PublishFirmwareStatusNotification', 'ReportChargingProfiles', 'ReservationStatusUpdate', 'SecurityEventNotification',
  'SignCertificate', 'StatusNotification', 'TransactionEvent',
];
const FROM_STATION_21 = [
  ...FROM_STATION_201,
  'BatterySwap', 'ClosePeriodicEventStream', 'GetCertificateChainStatus', 'NotifyDERAlarm', 'NotifyDERStartStop', 'NotifyPeriodicEventStream',
  'NotifyPriorityCharging', 'NotifySettlement', 'OpenPeriodicEventStream', 'PullDynamicScheduleUpdate', 'ReportDERControl', 'VatNumberValidation',
];
/** Both sides may send it. */
const BOTH = ['DataTransfer'];

const VERSIONS: { version: OcppVersion; heading: string; bundle: string; fromStation: string[] }[] = [
  { version: '1.6', heading: '### OCPP 1.6', bundle: 'ocpp1_6', fromStation: FROM_STATION_16 },
  { version: '2.0.1', heading: '### OCPP 2.0.1', bundle: 'ocpp2_0_1', fromStation: FROM_STATION_201 },
  { version: '2.1', heading: '### OCPP 2.1', bundle: 'ocpp2_1', fromStation: FROM_STATION_21 },
];

interface Row {
  action: string;
  direction: string;
  state: string;
  capability: string;
  note: string;
}

function rowsOf(doc: string, heading: string): Row[] {
  const start = doc.split('\n').findIndex((line) => line.startsWith(heading));
  assert.ok(start >= 0, `docs/ocpp-support.md has a section "${heading}"`);
  const rows: Row[] = [];
  for (const line of doc.split('\n').slice(start + 1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 5 || cells[0] === 'action' || cells[0]?.startsWith('---')) continue;
    const [action, direction, state, capability, note] = cells as [string, string, string, string, string];
    rows.push({ action, direction, state, capability, note });
  }
  return rows;
}

function bundleActions(bundle: string): string[] {
  const schemas = require(`ocpp-rpc/lib/schemas/${bundle}.json`) as { $id: string }[];
  return [...new Set(schemas.map((s) => s.$id.replace(/^urn:/, '').replace(/(\.req|\.conf|Request|Response)$/, '')))].sort();
}

describe('docs/ocpp-support.md accounts for every action', () => {
  let server: TestServer;
  const doc = readFileSync(new URL('../../docs/ocpp-support.md', import.meta.url), 'utf8');
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const { version, heading, bundle, fromStation } of VERSIONS) {
    test(`OCPP ${version}: every action of the bundle is listed once, with the specification's direction`, () => {
      const rows = rowsOf(doc, heading);
      const listed = rows.map((r) => r.action);
      assert.deepEqual([...listed].sort(), bundleActions(bundle), 'the document lists exactly the actions the version defines');
      assert.equal(new Set(listed).size, listed.length, 'no action is listed twice');
      for (const row of rows) {
        const expected = BOTH.includes(row.action) ? 'both' : fromStation.includes(row.action) ? 'in' : 'out';
        assert.equal(row.direction, expected, `${row.action}: direction`);
        assert.match(row.state, /^(answered|sent|planned #\d+|not planned)$/, `${row.action}: state`);
        if (row.direction === 'out') assert.notEqual(row.state, 'answered', `${row.action}: a station never sends it`);
        if (row.direction === 'in') assert.notEqual(row.state, 'sent', `${row.action}: the CSMS never sends it`);
      }
    });

    test(`OCPP ${version}: what the document says is answered is what the router handles`, () => {
      const handled = server.app.ocppActions(version);
      const answered = rowsOf(doc, heading).filter((r) => r.state === 'answered').map((r) => r.action).sort();
      assert.deepEqual(answered, handled);
    });

    test(`OCPP ${version}: every command a row names exists`, () => {
      const known = new Set<string>([...COMMAND_TYPES, ...server.app.commands.registeredKinds().map((k) => k.type)]);
      for (const row of rowsOf(doc, heading)) {
        for (const [, type] of row.note.matchAll(/`(\w+)`/g)) {
          if (/command/.test(row.note)) assert.ok(known.has(type as string), `${row.action}: command ${type} is not a command type`);
        }
        if (row.state === 'sent') assert.ok(/command `\w+`|local list/.test(row.note), `${row.action}: a sent action names what sends it`);
      }
    });
  }
});
