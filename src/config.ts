/**
 * One typed schema for every setting, defaults included (the schema's
 * `default` annotations are the only place a default is written). Sources,
 * later wins: defaults -> JSON file named by CHARGEBRIDGE_CONFIG ->
 * environment variables (-> overrides given by a test or benchmark).
 * The result is validated once at boot; a bad setting stops the process with
 * a message naming the setting.
 */
import { readFileSync } from 'node:fs';
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const OcppProtocol = Type.Union([Type.Literal('ocpp1.6'), Type.Literal('ocpp2.0.1'), Type.Literal('ocpp2.1')]);

const LadderStepName = Type.Union([
  Type.Literal('ask'),
  Type.Literal('stop'),
  Type.Literal('unlock'),
  Type.Literal('reset-soft'),
  Type.Literal('reset-hard'),
  Type.Literal('close'),
]);

/**
 * Thresholds and remediation policy of stuck-transaction handling; `stuck.sites` overrides them per site.
 * The defaults sit on `stuck.defaults` as one object, not on these fields: a site's partial
 * settings must stay partial (whatever a site leaves out comes from `stuck.defaults`).
 */
const StuckSiteSettings = Type.Object({
  samplingIntervalSec: Type.Number({ minimum: 0, description: 'Expected seconds between meter values of a running session; 0 disables the silence rule' }),
  silenceFactor: Type.Number({ minimum: 1, description: 'Silent after this many sampling intervals without any event while online' }),
  connectorFreeGraceSec: Type.Number({ minimum: 0, description: 'Connector Available/Finishing this long with the transaction open: stuck' }),
  rebootGraceSec: Type.Number({ minimum: 0, description: 'After a boot, this long for the transaction to show up again' }),
  offlineThresholdSec: Type.Number({ minimum: 0, description: 'Offline this long with a transaction open: stuck' }),
  maxDurationSec: Type.Number({ minimum: 0, description: 'Longest plausible session; 0 disables' }),
  maxPowerW: Type.Number({ minimum: 0, description: 'Highest power a connector of the site delivers; more energy than this x time is implausible; 0 disables' }),
  stepTimeoutSec: Type.Number({ exclusiveMinimum: 0, description: 'How long each remediation step waits for its answer and its effect' }),
  resetWithOtherTransactions: Type.Boolean({ description: 'Reset a station although another of its transactions is healthy' }),
  automaticSteps: Type.Array(LadderStepName, { uniqueItems: true, description: 'Steps that run without an operator; the others wait for approval' }),
});

const STUCK_DEFAULTS: Static<typeof StuckSiteSettings> = {
  samplingIntervalSec: 60,
  silenceFactor: 5,
  connectorFreeGraceSec: 60,
  rebootGraceSec: 180,
  offlineThresholdSec: 4 * 3600,
  maxDurationSec: 48 * 3600,
  maxPowerW: 400_000,
  stepTimeoutSec: 60,
  resetWithOtherTransactions: false,
  automaticSteps: ['ask', 'stop', 'unlock', 'reset-soft', 'reset-hard', 'close'],
};

export const ConfigSchema = Type.Object({
  host: Type.String({ default: '0.0.0.0', description: 'Address the HTTP/WebSocket server binds to' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'One port for OCPP, REST and docs' }),
  publicHost: Type.String({ default: 'localhost', description: 'Host name printed in the banner' }),
  dataDir: Type.String({ default: './data', description: 'Embedded database and generated secrets' }),
  databaseUrl: Type.Optional(Type.String({ description: 'postgres://... ; when absent the embedded PGlite database is used' })),
  adminToken: Type.Optional(Type.String({ minLength: 16, description: 'REST admin bearer token; generated on first start when absent' })),
  autoRegister: Type.Boolean({ default: true, description: 'Accept unknown stations and register them on first connection' }),
  autoRegisterStatus: Type.Union([Type.Literal('Accepted'), Type.Literal('Pending'), Type.Literal('Rejected')], {
    default: 'Accepted',
    description: 'Registration status given to auto-registered stations',
  }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  ocpp: Type.Object({
    protocols: Type.Array(OcppProtocol, {
      minItems: 1,
      uniqueItems: true,
      default: ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'],
      description: 'Accepted subprotocols, most preferred first',
    }),
    heartbeatIntervalSec: Type.Integer({ minimum: 1, default: 300 }),
    bootRetryIntervalSec: Type.Integer({ minimum: 1, default: 60, description: 'Interval sent with Pending/Rejected boots' }),
    callTimeoutSec: Type.Number({ exclusiveMinimum: 0, default: 30 }),
    maxFrameBytes: Type.Integer({ minimum: 1024, default: 65536 }),
    pingIntervalSec: Type.Integer({ minimum: 0, default: 60, description: 'WebSocket ping interval; 0 disables' }),
    maxQueuedCalls: Type.Integer({ minimum: 1, default: 100, description: 'Outgoing calls waiting behind the outstanding one' }),
    floodMessagesPerSec: Type.Integer({ minimum: 1, default: 50, description: 'Sustained inbound rate per station' }),
    floodBurst: Type.Integer({ minimum: 1, default: 200 }),
    presenceFlushMs: Type.Integer({ minimum: 10, default: 1000, description: 'How often last-seen times are written' }),
    presenceWriteEverySec: Type.Number({
      minimum: 0,
      default: 30,
      description: "A connected station's stored last-seen time is refreshed once it is this old (the API shows the exact time from memory)",
    }),
  }, { default: {} }),
  authorization: Type.Object({
    autochargeConcurrentWindowSec: Type.Integer({ minimum: 0, default: 120, description: 'Autocharge id seen on another station within this many seconds: flagged' }),
    autochargeTravelWindowSec: Type.Integer({ minimum: 0, default: 1800, description: 'Autocharge id seen on another site within this many seconds: flagged' }),
    localListEntriesPerMessage: Type.Integer({
      minimum: 1,
      default: 250,
      description: 'Local list entries per SendLocalList for a station that does not report SendLocalListMaxLength / ItemsPerMessage',
    }),
  }, { default: {} }),
  commands: Type.Object({
    defaultExpirySec: Type.Integer({ minimum: 1, default: 3600, description: 'How long a command waits for its station when the request sets no expiresInSec' }),
    maxWaitSec: Type.Integer({ minimum: 0, default: 60, description: 'Upper bound of ?wait= when submitting a command' }),
    sweepIntervalSec: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'How often expired commands are marked and connected stations with queued commands are retried' }),
    connectGraceSec: Type.Number({ minimum: 0, default: 1, description: 'A station that reconnects without BootNotification gets queued commands this long after connecting' }),
  }, { default: {} }),
  console: Type.Object({
    enabled: Type.Boolean({ default: true, description: 'Serve the operator console (web/dist) at /' }),
    messageLogSize: Type.Integer({ minimum: 0, default: 50, description: 'Recent OCPP messages kept in memory per station for the console; 0 keeps none' }),
  }, { default: {} }),
  cluster: Type.Object({
    natsUrl: Type.Optional(Type.String({ minLength: 1, description: 'nats://host:4222 (comma-separated for several servers; JetStream on). Absent: this node runs alone' })),
    nodeId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Unique per node; default <hostname>-<pid>' })),
    heartbeatSec: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'How often a node tells the others it is alive' }),
    nodeTtlSec: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'A node unheard of this long is dead: its stations count as offline, calls in flight to it fail' }),
  }, { default: {} }),
  access: Type.Object({
    passwordCost: Type.Integer({
      minimum: 1024,
      default: 131072,
      description: 'scrypt cost N for user passwords (a power of two; 2^17 with r=8, p=1 is the OWASP minimum). Lower only for tests',
    }),
    sessionTtlSec: Type.Integer({ minimum: 60, default: 43200, description: 'How long a console sign-in lasts' }),
    loginMaxFailures: Type.Integer({ minimum: 1, default: 5, description: 'Failed sign-ins for one e-mail (or from one address) before it is locked out for a while' }),
    loginLockoutSec: Type.Integer({ minimum: 1, default: 300, description: 'How long the lock-out after too many failed sign-ins lasts' }),
    rateLimitPerMinute: Type.Integer({ minimum: 0, default: 600, description: 'REST requests per minute per API key / user / admin token, and per client address for unauthenticated calls; 0 disables' }),
  }, { default: {} }),
  stuck: Type.Object({
    enabled: Type.Boolean({ default: true, description: 'Detect and remediate stuck transactions' }),
    sweepIntervalSec: Type.Number({ exclusiveMinimum: 0, default: 15, description: 'How often every open transaction is checked' }),
    defaults: Type.Object(StuckSiteSettings.properties, { default: STUCK_DEFAULTS }),
    sites: Type.Record(Type.String(), Type.Partial(StuckSiteSettings), { default: {}, description: 'Per site id: settings that differ from the defaults' }),
  }, { default: {} }),
  billing: Type.Object({
    defaultTimeZone: Type.String({ default: 'UTC', description: 'IANA time zone a tariff\'s wall-clock restrictions are read in, for tenants and sites that set none (PUT /billing-settings)' }),
    booksSweepIntervalSec: Type.Number({ exclusiveMinimum: 0, default: 60, description: 'How often closed transactions without an up-to-date CDR are looked for (the net under lost events)' }),
    costUpdateIntervalSec: Type.Number({ minimum: 0, default: 60, description: 'Least time between two running costs sent to the station of one session (2.x CostUpdated, 1.6 California pricing RunningCost); 0: none are sent' }),
  }, { default: {} }),
  payments: Type.Object({
    gateway: Type.Union([Type.Literal('none'), Type.Literal('stripe')], { default: 'none', description: 'Card holds for paid sessions: none, or stripe (docs/payments.md)' }),
    stripe: Type.Object({
      secretKey: Type.Optional(Type.String({ minLength: 1, description: 'Secret API key (STRIPE_SECRET_KEY); never logged' })),
      publishableKey: Type.Optional(Type.String({ minLength: 1, description: 'Publishable key the pay page tokenises cards with (STRIPE_PUBLISHABLE_KEY)' })),
      webhookSecret: Type.Optional(Type.String({ minLength: 1, description: 'Signing secret of the webhook endpoint (STRIPE_WEBHOOK_SECRET); never logged' })),
      apiUrl: Type.Optional(Type.String({ pattern: '^https?://', description: 'A Stripe-compatible server instead of api.stripe.com (the project\'s fake: npm run fake-stripe)' })),
      timeoutSec: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'How long one gateway call may take before it counts as unanswered (retried with the same idempotency key)' }),
      browserTokenisation: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('stripe-js')], {
        description: 'How the pay page turns a card into a payment method: raw (the page posts the card to apiUrl; for the fake) or stripe-js (Stripe.js Elements from js.stripe.com). Default: raw when apiUrl is set, else stripe-js',
      })),
    }, { default: {} }),
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s?#]+$', description: 'Public base URL of this CSMS (https://charge.example.com, or with the path a proxy serves it under) that pay-page QR codes and short links point to. Default: http://<publicHost>:<port>' })),
    holdMinor: Type.Integer({ minimum: 50, default: 5000, description: 'Held on the card at the start, in minor units of the tariff\'s currency' }),
    incrementAtShare: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.8, description: 'Ask for more when the running cost reaches this share of the hold' }),
    incrementMinor: Type.Integer({ minimum: 1, default: 2500, description: 'Each increment raises the hold by at least this much' }),
    unusedHoldSec: Type.Integer({ minimum: 1, default: 900, description: 'A hold that no session used after this long is released' }),
    sweepIntervalSec: Type.Number({ exclusiveMinimum: 0, default: 30, description: 'How often holds are repaired (unanswered calls repeated), released when unused, settled when their CDR event was lost' }),
    fastPath: Type.Object({
      enabled: Type.Boolean({ default: true, description: 'Start a paid session at once, before the gateway answers, under an exposure bound' }),
      maxExposureMinor: Type.Integer({ minimum: 0, default: 1000, description: 'While the hold is not placed, a session is stopped when its cost reaches this (minor units)' }),
      sites: Type.Record(Type.String(), Type.Partial(Type.Object({ enabled: Type.Boolean(), maxExposureMinor: Type.Integer({ minimum: 0 }) })), { default: {}, description: 'Per site id: fast-path settings that differ from the defaults' }),
    }, { default: {} }),
  }, { default: {} }),
  reconciliation: Type.Object({
    daily: Type.Boolean({ default: true, description: 'Reconcile the previous UTC day once a day and store its summary (GET /api/v1/reconciliation/runs)' }),
    dailyAtHour: Type.Integer({ minimum: 0, maximum: 23, default: 3, description: 'UTC hour after which the previous day is reconciled (late CDRs and captures of the day have landed by then)' }),
    holdOverdueHours: Type.Number({ exclusiveMinimum: 0, default: 6, description: 'A hold still open this many hours after its session ended (or, without a session, after it was placed) is listed as hold-never-released' }),
  }, { default: {} }),
});

export type Config = Static<typeof ConfigSchema>;

type Env = Record<string, string | undefined>;

/** Environment variable -> config path. Values are parsed by the schema's type. */
const ENV_MAP: Array<[string, string[]]> = [
  ['CHARGEBRIDGE_HOST', ['host']],
  ['CHARGEBRIDGE_PORT', ['port']],
  ['CHARGEBRIDGE_PUBLIC_HOST', ['publicHost']],
  ['CHARGEBRIDGE_DATA_DIR', ['dataDir']],
  ['DATABASE_URL', ['databaseUrl']],
  ['CHARGEBRIDGE_ADMIN_TOKEN', ['adminToken']],
  ['CHARGEBRIDGE_AUTO_REGISTER', ['autoRegister']],
  ['CHARGEBRIDGE_AUTO_REGISTER_STATUS', ['autoRegisterStatus']],
  ['CHARGEBRIDGE_LOG_LEVEL', ['logLevel']],
  ['CHARGEBRIDGE_OCPP_PROTOCOLS', ['ocpp', 'protocols']],
  ['CHARGEBRIDGE_HEARTBEAT_INTERVAL', ['ocpp', 'heartbeatIntervalSec']],
  ['CHARGEBRIDGE_OCPP_CALL_TIMEOUT', ['ocpp', 'callTimeoutSec']],
  ['CHARGEBRIDGE_OCPP_MAX_FRAME_BYTES', ['ocpp', 'maxFrameBytes']],
  ['CHARGEBRIDGE_OCPP_PING_INTERVAL', ['ocpp', 'pingIntervalSec']],
  ['NATS_URL', ['cluster', 'natsUrl']],
  ['CHARGEBRIDGE_NODE_ID', ['cluster', 'nodeId']],
  ['CHARGEBRIDGE_PAYMENTS_GATEWAY', ['payments', 'gateway']],
  ['STRIPE_SECRET_KEY', ['payments', 'stripe', 'secretKey']],
  ['STRIPE_PUBLISHABLE_KEY', ['payments', 'stripe', 'publishableKey']],
  ['STRIPE_WEBHOOK_SECRET', ['payments', 'stripe', 'webhookSecret']],
  ['CHARGEBRIDGE_STRIPE_API_URL', ['payments', 'stripe', 'apiUrl']],
  ['CHARGEBRIDGE_STRIPE_BROWSER_TOKENISATION', ['payments', 'stripe', 'browserTokenisation']],
  ['CHARGEBRIDGE_PAYMENTS_PUBLIC_URL', ['payments', 'publicUrl']],
  ['CHARGEBRIDGE_RECONCILIATION_DAILY', ['reconciliation', 'daily']],
];

export class ConfigError extends Error {}

/** The JSON schema type of the setting at `path`; unions of literals (no `type`) read as strings. */
function typeAt(path: string[]): string {
  let schema: TSchema | undefined = ConfigSchema;
  for (const key of path) schema = (schema as TObject | undefined)?.properties?.[key];
  return typeof schema?.type === 'string' ? schema.type : 'string';
}

function parseEnvValue(raw: string, type: string): unknown {
  if (type === 'array') return raw.split(',').map((part) => part.trim()).filter(Boolean);
  if (type === 'number' || type === 'integer') return raw.trim() === '' ? Number.NaN : Number(raw);
  if (type === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    return raw;
  }
  return raw;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets one setting, creating the sections above it; a section that is not an object is left for validation to name. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined) node[key] = {};
    const next = node[key];
    if (!isPlainObject(next)) return;
    node = next;
  }
  node[path[path.length - 1] as string] = value;
}

/**
 * Lays `extra` over `base`: sections merge, anything else (numbers, strings, lists) replaces.
 * Both are sparse values of one schema, so this is all the merging there is; defaults
 * come afterwards from the schema.
 */
function layer(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (key === '__proto__') continue; // JSON.parse makes it an own key; assigning it would swap the prototype
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? layer(current, value) : value;
  }
  return out;
}

function readConfigFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`CHARGEBRIDGE_CONFIG: cannot read ${file}: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`CHARGEBRIDGE_CONFIG: ${file} must hold a JSON object`);
  return parsed;
}

/** Settings whose value is a credential or may carry one (a database URL's password): never echoed in an error. */
const SECRET_SETTING = /token|password|secret|key|url/i;

function shown(path: string, value: unknown): string {
  if (!SECRET_SETTING.test(path)) return JSON.stringify(value);
  return typeof value === 'string' ? `${value.length} characters, not shown` : `a ${typeof value}, not shown`;
}

/** Builds the config from defaults, an optional file and the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const file = env.CHARGEBRIDGE_CONFIG;
  const sources = file ? layer({}, readConfigFile(file)) : {};
  for (const [name, path] of ENV_MAP) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(sources, path, parseEnvValue(raw, typeAt(path)));
  }
  // Every setting a source left out gets the schema's default (Value.Default fills, never overwrites).
  const merged = Value.Default(ConfigSchema, layer(sources, structuredClone(overrides) as Record<string, unknown>));
  const problems = [...Value.Errors(ConfigSchema, merged)].map((e) => `${e.path || '/'}: ${e.message} (got ${shown(e.path, e.value)})`);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return merged as Config;
}
