/**
 * The wire types are generated from the official schemas (tools/generate-wire-types.ts):
 * the committed files must be exactly what the generator renders from the installed
 * ocpp-rpc, and the generated action lists must be the validators' action lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WIRE_TYPE_TARGETS, renderWireTypes } from '../../tools/generate-wire-types.ts';
import { schemasFor } from '../../src/ocpp/ocpp-schemas.ts';
import { OCPP_VERSION_REGISTRY } from '../../src/ocpp/ocpp-versions.ts';
import { OCPP_VERSIONS } from '../../src/kernel/protocol-version.ts';

const root = new URL('../../', import.meta.url);

test('regenerating the wire types yields no diff', async () => {
  for (const target of WIRE_TYPE_TARGETS) {
    const committed = readFileSync(new URL(target.outFile, root), 'utf8');
    const rendered = await renderWireTypes(target);
    assert.ok(committed === rendered, `${target.outFile} differs from what tools/generate-wire-types.ts renders: run npm run generate:wire`);
  }
});

test('every version in the registry has a generated messages file naming the validators’ actions', () => {
  assert.deepEqual(Object.keys(OCPP_VERSION_REGISTRY).sort(), [...OCPP_VERSIONS].sort());
  for (const version of OCPP_VERSIONS) {
    const target = WIRE_TYPE_TARGETS.find((t) => t.schemaFile === OCPP_VERSION_REGISTRY[version].schemaFile);
    assert.ok(target, `no generated wire types for OCPP ${version}`);
    const text = readFileSync(new URL(target.outFile, root), 'utf8');
    const map = text.slice(text.indexOf(`export interface ${target.interfaceName} {`));
    const generated = [...map.matchAll(/^ {2}([A-Za-z0-9]+): \{ request:/gm)].map((m) => m[1]).sort();
    assert.deepEqual(generated, schemasFor(version).actions().sort(), `OCPP ${version}`);
  }
});
