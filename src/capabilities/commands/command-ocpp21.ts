/**
 * Neutral command <-> OCPP 2.1 CALL. The ten messages keep their 2.0.1 shape
 * in 2.1 (Part 2 F01, F03, F05, B11/B12, G03/G04, F06, B05, B06, C11, P01);
 * only limits widen: idToken up to 255 characters, IdTokenType.type a free
 * string of up to 20, attributeValue up to 2500, and TriggerMessage gains
 * SignV2G20Certificate. So the 2.0.1 translation serves with these limits.
 */
import type { CommandTranslator } from './command.ts';
import { DIALECT_201, commandTranslator2x, type Dialect2x } from './command-ocpp201.ts';

export const DIALECT_21: Dialect2x = {
  version: '2.1',
  idTokenMax: 255,
  idTokenTypes: { maxLength: 20 },
  attributeValueMax: 2500,
  triggers: { ...DIALECT_201.triggers, v2g20Certificate: 'SignV2G20Certificate' },
};

export const commandTranslator21: CommandTranslator = commandTranslator2x(DIALECT_21);
