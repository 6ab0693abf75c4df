/**
 * Rule 1's other half: no OCPP action name is decided on outside the version adapters. Every
 * capability, REST, kernel and composition file that is not a `-ocpp16/-ocpp201/-ocpp21` adapter is scanned for a string
 * literal naming an action of any version ('BootNotification', 'TransactionEvent', ...);
 * such a literal means a service, route or core file speaks the wire.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSource, sourceFiles, withoutComments } from '../support/source-code.ts';
import { schemasFor } from '../../src/ocpp/ocpp-schemas.ts';
import { OCPP_VERSIONS } from '../../src/kernel/protocol-version.ts';

const ADAPTER = /-ocpp(16|201|21)\.ts$/;

test('no file outside the version adapters and the transport names an OCPP action in code', () => {
  const actions = new Set(OCPP_VERSIONS.flatMap((version) => schemasFor(version).actions()));
  assert.ok(actions.has('BootNotification') && actions.has('TransactionEvent') && actions.has('StartTransaction'), 'the action lists are loaded');
  const files = sourceFiles('src/capabilities', 'src/http', 'src/kernel', 'src/app.ts', 'src/capability-module.ts', 'src/main.ts', 'src/config.ts').filter((f) => !ADAPTER.test(f));
  assert.ok(files.length > 30, `found the capability files (${files.length})`);
  const offences: string[] = [];
  for (const file of files) {
    const code = withoutComments(readSource(file));
    for (const match of code.matchAll(/['"`]([A-Z][A-Za-z0-9]+)['"`]/g)) {
      if (actions.has(match[1] as string)) offences.push(`${file}: '${match[1]}'`);
    }
  }
  assert.deepEqual(offences, []);
});
