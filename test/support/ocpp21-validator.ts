/**
 * ocpp-rpc 2.2.1 ships the official 2.1 schemas with ids like "urn:BootNotificationRequest" but looks
 * them up as "urn:BootNotification.req", so its built-in 2.1 strict mode rejects everything. This
 * validator re-keys them so ocpp-rpc can judge 2.1 traffic in tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createValidator } from 'ocpp-rpc';

export function ocpp21Validator() {
  const root = dirname(createRequire(import.meta.url).resolve('ocpp-rpc'));
  const schemas = JSON.parse(readFileSync(join(root, 'lib', 'schemas', 'ocpp2_1.json'), 'utf8')) as Array<any>;
  for (const schema of schemas) {
    schema.$id = schema.$id.replace(/^urn:(\w+)Request$/, 'urn:$1.req').replace(/^urn:(\w+)Response$/, 'urn:$1.conf');
    // The 2.1 enum definitions carry a meaningless additionalProperties that makes Ajv warn.
    for (const def of Object.values<any>(schema.definitions ?? {})) if (def.type === 'string') delete def.additionalProperties;
  }
  return createValidator('ocpp2.1', schemas as any);
}
