/**
 * Command line for the fake Stripe gateway (tests and demos only):
 *   npm run fake-stripe -- --port 12111
 *   tsx sim/fake-stripe/cli.ts --port 12111 --latency 2000 --webhook-url http://127.0.0.1:8080/api/v1/payments/webhook
 */
import { parseArgs } from 'node:util';
import { DEFAULT_WEBHOOK_SECRET } from './fake-stripe-webhooks.ts';
import { DEFAULT_PUBLISHABLE_KEY, DEFAULT_SECRET_KEY, startFakeStripe } from './fake-stripe-start.ts';

const USAGE = `Chargebridge fake Stripe gateway (a Stripe-compatible test double; never use it for real payments)

Usage: npm run fake-stripe -- [options]
       tsx sim/fake-stripe/cli.ts [options]

Options:
  --port N                  port to listen on; 0 picks a free one          (default 12111)
  --host H                  address to bind                                (default 127.0.0.1)
  --secret-key K            secret API key                                 (default ${DEFAULT_SECRET_KEY})
  --publishable-key K       publishable API key                            (default ${DEFAULT_PUBLISHABLE_KEY})
  --latency MS              delay every API answer by MS milliseconds      (default 0)
  --webhook-url URL         POST signed events to URL                      (default: none)
  --webhook-secret S        signing secret for webhooks                    (default ${DEFAULT_WEBHOOK_SECRET})
  --duplicate-webhooks      send every event twice (same event id)
  --authorization-expiry-minutes M
                            cancel uncaptured authorizations after M minutes (default 10080 = 7 days)
  --quiet                   do not print a line per request
  --help                    show this help

Faults can be armed at run time without a key: POST /_fake/faults (see docs/fake-stripe.md).
Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'secret-key': { type: 'string' },
        'publishable-key': { type: 'string' },
        latency: { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
        'duplicate-webhooks': { type: 'boolean', default: false },
        'authorization-expiry-minutes': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const webhookUrl = values['webhook-url'];
  if (webhookUrl !== undefined) {
    try {
      const u = new URL(webhookUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      fail(`--webhook-url must be an http(s) URL, got '${webhookUrl}'`);
    }
  }
  if (values['webhook-secret'] !== undefined && webhookUrl === undefined) fail('--webhook-secret needs --webhook-url');
  const expiryMinutes = wholeNumber('authorization-expiry-minutes', values['authorization-expiry-minutes'], 7 * 24 * 60, 1);

  const fake = await startFakeStripe({
    port: wholeNumber('port', values.port, 12111, 0),
    host: values.host ?? '127.0.0.1',
    ...(values['secret-key'] !== undefined ? { secretKey: values['secret-key'] } : {}),
    ...(values['publishable-key'] !== undefined ? { publishableKey: values['publishable-key'] } : {}),
    latencyMs: wholeNumber('latency', values.latency, 0, 0),
    ...(webhookUrl !== undefined ? { webhook: { url: webhookUrl, ...(values['webhook-secret'] !== undefined ? { secret: values['webhook-secret'] } : {}) } } : {}),
    duplicateWebhooks: values['duplicate-webhooks'],
    authorizationExpiryMs: expiryMinutes * 60_000,
    log: values.quiet ? () => {} : (line) => console.log(`${new Date().toISOString()} ${line}`),
  });

  console.log([
    `fake Stripe listening on ${fake.url} (test double: never use it for real payments)`,
    `  secret key       ${fake.secretKey}`,
    `  publishable key  ${fake.publishableKey}`,
    `  webhook          ${webhookUrl ?? '(none)'}${values['duplicate-webhooks'] ? ' (every event twice)' : ''}`,
    `  webhook secret   ${fake.webhookSecret}`,
    `  stripe client    new Stripe('${fake.secretKey}', { host: '${fake.host}', port: ${fake.port}, protocol: 'http' })`,
    `  faults           POST ${fake.url}/_fake/faults (no key; test networks only)`,
    'Press Ctrl+C to stop.',
  ].join('\n'));

  const shutdown = async (signal: string) => {
    console.log(`\n${signal}: stopping`);
    await fake.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
