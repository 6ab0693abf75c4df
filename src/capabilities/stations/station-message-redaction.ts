/**
 * Takes secrets out of OCPP frames before they are kept in the recent-message
 * log: passwords and keys a CSMS sets on a station (1.6 ChangeConfiguration
 * `AuthorizationKey`, 2.0.1 `SecurityCtrlr.BasicAuthPassword` by SetVariables,
 * network profile passwords) and any station answer that echoes them; and personal data
 * of a customer-information request and report (the identifiers asked about, the data the
 * station reports), which the log must not keep. Pure.
 */

export const REDACTED = '***';

/** Property and variable names that hold secrets. */
const SECRET_NAME = /pass(word)?|secret|authorizationkey|private.?key|apikey/i;
/** Cheap test on the raw frame: most frames mention none of these and are kept as they are. */
const MAY_HOLD_SECRET = /pass|secret|authorizationkey|private.?key|apikey/i;

function nameOf(node: Record<string, unknown>): string | null {
  if (typeof node.key === 'string') return node.key;
  if (typeof node.name === 'string') return node.name;
  const variable = node.variable as Record<string, unknown> | undefined;
  if (variable && typeof variable.name === 'string') return variable.name;
  return null;
}

const VALUE_FIELDS = ['value', 'attributeValue'];

/** Cheap test for personal data: a customer-information request names `clear`, its report carries `"data"`. */
const MAY_HOLD_PERSONAL = /customer|"clear"|"data"/;
/** Who a customer-information request asks about. */
const CUSTOMER_FIELDS = ['idToken', 'customerIdentifier', 'customerCertificate'];

/** A customer-information request (report/clear flags) or a part of its report (data with seqNo and generatedAt). */
function personalFields(node: Record<string, unknown>): readonly string[] {
  if (typeof node.report === 'boolean' && typeof node.clear === 'boolean') return CUSTOMER_FIELDS;
  if (typeof node.data === 'string' && typeof node.seqNo === 'number' && typeof node.generatedAt === 'string') return ['data'];
  return [];
}

function redactNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(redactNode);
  if (!node || typeof node !== 'object') return node;
  const source = node as Record<string, unknown>;
  // A key/value pair whose key names a secret: { key: "AuthorizationKey", value } or
  // { variable: { name: "BasicAuthPassword" }, attributeValue }.
  const named = nameOf(source);
  const secretPair = named !== null && SECRET_NAME.test(named);
  const personal = personalFields(source);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (personal.includes(key)) out[key] = REDACTED;
    else if (secretPair && VALUE_FIELDS.includes(key)) out[key] = REDACTED;
    else if (SECRET_NAME.test(key) && (typeof value === 'string' || typeof value === 'number')) out[key] = REDACTED;
    else out[key] = redactNode(value);
  }
  return out;
}

/**
 * Returns the frame with every secret replaced by `***`. Frames that mention
 * no secret-like word are returned unchanged (no parse); a frame that cannot be
 * parsed but mentions one is not kept verbatim.
 */
export function redactFrame(frame: string): string {
  if (!MAY_HOLD_SECRET.test(frame) && !MAY_HOLD_PERSONAL.test(frame)) return frame;
  try {
    return JSON.stringify(redactNode(JSON.parse(frame)));
  } catch {
    return JSON.stringify(['unparsable frame withheld: it may hold a secret']);
  }
}
