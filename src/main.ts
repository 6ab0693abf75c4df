/** Process entry: load config, start, print where to point chargers, stop cleanly on signals. */
import { ConfigError, loadConfig } from './config.ts';
import { startChargebridge, VERSION, type Chargebridge } from './app.ts';

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
  // Signal handlers go in before anything can be observed from outside: a
  // SIGTERM that arrives while starting (or right after the banner) must shut
  // down cleanly, not hit the default action and kill the process.
  let app: Chargebridge | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Still starting: main() stops the app as soon as it is up (no half-migrated database).
    if (!app) return;
    const stop = async () => {
      app?.log.info({ signal }, 'shutting down');
      await app?.stop();
    };
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  app = await startChargebridge(config);
  if (stopping) return shutdownAfterStart(app);
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
      `Chargebridge ${VERSION} is running (${app.storage.describe})`,
      `  OCPP endpoint  ws://${base}/ocpp/{stationId}   (${config.ocpp.protocols.join(', ')}; auto-register ${config.autoRegister ? 'on' : 'off'})`,
      ...(config.console.enabled ? [`  Console        http://${base}/${app.consoleBuilt ? '' : '   (not built: run npm run build)'}`] : []),
      `  REST API       http://${base}/api/v1`,
      `  API docs       http://${base}/api/docs`,
      `  Admin token    ${token}`,
      '',
    ].join('\n') + '\n',
  );
}

/** A signal came while starting: stop as soon as the start finished. */
async function shutdownAfterStart(app: Chargebridge): Promise<void> {
  await app.stop();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`chargebridge failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
