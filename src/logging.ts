/**
 * pino JSON logs. Secrets are redacted by path so that a careless log call
 * with a request or a config object cannot leak them.
 */
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'chargebridge' },
    redact: {
      paths: ['adminToken', 'password', '*.password', 'req.headers.authorization', 'headers.authorization', 'databaseUrl', 'config.adminToken', 'config.databaseUrl', 'secretKey', 'webhookSecret', '*.secretKey', '*.webhookSecret', 'config.payments.stripe.secretKey', 'config.payments.stripe.webhookSecret', 'headers["stripe-signature"]', 'req.headers["stripe-signature"]'],
      censor: '[redacted]',
    },
  });
}
