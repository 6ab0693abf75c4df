/** Process entry: load config, start, print where to point chargers, stop cleanly on signals. */
import { ConfigError, loadConfig } from './config.ts';
import { startChargebridge } from './app.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`chargebridge: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await startChargebridge(config);
  const base = `${config.publicHost}:${app.port}`;
  const token =
    app.adminToken.source === 'generated'
      ? `${app.adminToken.token}  (generated, saved in ${app.adminToken.path})`
      : app.adminToken.source === 'file'
        ? `stored in ${app.adminToken.path}`
        : 'from CHARGEBRIDGE_ADMIN_TOKEN';
  process.stdout.write(
    [
      '',
      `Chargebridge ${'0.1.0'} is running (${app.storage.describe})`,
      `  OCPP endpoint  ws://${base}/ocpp/{stationId}   (${config.ocpp.protocols.join(', ')}; auto-register ${config.autoRegister ? 'on' : 'off'})`,
      `  REST API       http://${base}/api/v1`,
      `  API docs       http://${base}/api/docs`,
      `  Admin token    ${token}`,
      '',
    ].join('\n') + '\n',
  );
  const shutdown = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`chargebridge failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
