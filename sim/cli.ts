/**
 * Command line for the charging-station simulator:
 *   npm run sim -- --stations 20 --version mixed
 *   tsx sim/cli.ts --url ws://csms.example.com/ocpp --stations 5 --version 2.0.1 --password secret
 */
import { parseArgs } from 'node:util';
import { startFleet, type SimFleet, type SimFleetVersion } from './sim-fleet.ts';
import { runSessionLoop } from './sim-session-loop.ts';
import type { SimStation } from './sim-station.ts';
import { SIM_FAULT_NAMES, type SimFaultName } from './sim-faults.ts';
import { CONNECTOR_STATUS_2X, STATUS_16, type SimBootResult, type SimConnectorStatus, type SimMeterHabits } from './sim-types.ts';

const USAGE = `Chargebridge charging-station simulator (OCPP-J 1.6 / 2.0.1 / 2.1 client)

Usage: npm run sim -- [options]
       tsx sim/cli.ts [options]

Options:
  --url URL             CSMS endpoint; the station id is appended as /ID   (default ws://127.0.0.1:8080/ocpp)
  --stations N          number of stations                                 (default 1)
  --version V           1.6 | 2.0.1 | 2.1 | mixed                          (default mixed)
  --prefix P            station ids are P-00001, P-00002, ...              (default SIM)
  --password S          HTTP Basic auth password (security profile 1)
  --evses N             EVSEs per station (1.6: connectors)                (default 1)
  --connectors N        connectors per EVSE, 2.x only                      (default 1)
  --status-churn SEC    every SEC seconds a random station changes a random connector status
  --sessions            stations charge now and then: plug in, Authorize, start, meter values, stop, unplug
  --meter-interval SEC  with --sessions: seconds between meter values                (default 10)
  --session-length SEC  with --sessions: mean charging time per session              (default 60)
  --session-gap SEC     with --sessions: mean idle time between sessions of a station (default 30)
  --tokens LIST         with --sessions: comma-separated idTokens to use             (default random)
  --faults LIST         with --sessions: faults that make sessions stuck, comma-separated:
                        drop-stop, available-without-stop, reboot-mid-session, offline,
                        meter-backwards, reject-stop, unlock-fails               (default none)
  --fault-rate P        with --faults: share of sessions that get one of them    (default 0.05)
  --fault-offline SEC   with --faults offline: how long the station stays offline (default 3600)
  --meter-unit U        energy readings in Wh or kWh                       (default Wh)
  --meter-decimals N    decimals of energy readings in that unit           (default 0)
  --meter-stop-decimals N  decimals of the Transaction.End reading         (default: --meter-decimals)
  --meter-multiplier N  2.x unitOfMeasure.multiplier of energy readings    (default 0)
  --meter-truncate      drop digits by truncating (also 1.6 meterStart/meterStop), not rounding
  --concurrency N       stations connecting at the same time               (default 50)
  --verbose             print every OCPP-J frame
  --help                show this help

Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

function wholeNumber(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

function meterHabitsOf(values: { 'meter-unit': string; 'meter-decimals': string; 'meter-stop-decimals'?: string; 'meter-multiplier': string; 'meter-truncate': boolean }): SimMeterHabits {
  const unit = values['meter-unit'];
  if (unit !== 'Wh' && unit !== 'kWh') fail(`--meter-unit must be Wh or kWh, got '${unit}'`);
  const stop = values['meter-stop-decimals'];
  return {
    energyUnit: unit,
    decimals: wholeNumber('meter-decimals', values['meter-decimals'], 0),
    stopDecimals: stop === undefined ? null : wholeNumber('meter-stop-decimals', stop, 0),
    multiplier: wholeNumber('meter-multiplier', values['meter-multiplier'], -9),
    rounding: values['meter-truncate'] ? 'truncate' : 'round',
  };
}

function bootLine(station: SimStation, result: SimBootResult): string {
  return `${station.id.padEnd(12)} ocpp${station.version.padEnd(6)} boot ${result.status.padEnd(8)} interval=${result.interval}s`;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** Move one random connector of one random Accepted station to a random status. */
async function churnOnce(fleet: SimFleet): Promise<void> {
  const candidates = fleet.stations.filter((s) => s.state === 'accepted');
  if (candidates.length === 0) return;
  const station = pick(candidates);
  const evseId = 1 + Math.floor(Math.random() * station.evses);
  const connectorId = 1 + Math.floor(Math.random() * station.connectorsPerEvse);
  const statuses: readonly SimConnectorStatus[] = station.version === '1.6'
    ? STATUS_16.filter((s) => s !== 'Reserved')
    : CONNECTOR_STATUS_2X.filter((s) => s !== 'Reserved');
  const status = pick(statuses);
  try {
    await station.setStatus(evseId, connectorId, status);
    const where = station.version === '1.6' ? `connector ${evseId}` : `evse ${evseId}/${connectorId}`;
    console.log(`${station.id.padEnd(12)} ${where} -> ${status}`);
  } catch (err) {
    console.log(`${station.id.padEnd(12)} status change failed: ${(err as Error).message}`);
  }
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string', default: 'ws://127.0.0.1:8080/ocpp' },
        stations: { type: 'string' },
        version: { type: 'string', default: 'mixed' },
        prefix: { type: 'string', default: 'SIM' },
        password: { type: 'string' },
        evses: { type: 'string' },
        connectors: { type: 'string' },
        'status-churn': { type: 'string' },
        sessions: { type: 'boolean', default: false },
        'meter-interval': { type: 'string' },
        'session-length': { type: 'string' },
        'session-gap': { type: 'string' },
        tokens: { type: 'string' },
        faults: { type: 'string' },
        'fault-rate': { type: 'string' },
        'fault-offline': { type: 'string' },
        concurrency: { type: 'string' },
        'meter-unit': { type: 'string', default: 'Wh' },
        'meter-decimals': { type: 'string', default: '0' },
        'meter-stop-decimals': { type: 'string' },
        'meter-multiplier': { type: 'string', default: '0' },
        'meter-truncate': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const version = values.version as SimFleetVersion;
  if (!['1.6', '2.0.1', '2.1', 'mixed'].includes(version)) fail(`--version must be 1.6, 2.0.1, 2.1 or mixed`);
  const count = positive('stations', values.stations, 1);
  const churnSec = values['status-churn'] === undefined ? undefined : Number(values['status-churn']);
  if (churnSec !== undefined && !(churnSec > 0)) fail(`--status-churn must be a number of seconds > 0`);
  const seconds = (name: 'meter-interval' | 'session-length' | 'session-gap' | 'fault-offline', fallback: number): number => {
    const raw = values[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!(n > 0)) fail(`--${name} must be a number of seconds > 0, got '${raw}'`);
    return n;
  };
  const faultNames = values.faults?.split(',').map((f) => f.trim()).filter(Boolean) ?? [];
  const unknownFault = faultNames.find((f) => !(SIM_FAULT_NAMES as readonly string[]).includes(f));
  if (unknownFault) fail(`--faults: unknown fault '${unknownFault}' (one of ${SIM_FAULT_NAMES.join(', ')})`);
  const faultRate = values['fault-rate'] === undefined ? 0.05 : Number(values['fault-rate']);
  if (!(faultRate >= 0 && faultRate <= 1)) fail(`--fault-rate must be between 0 and 1`);
  const loopOptions = {
    ...(faultNames.length === 0
      ? {}
      : { faults: { names: faultNames as SimFaultName[], rate: faultRate, offlineSec: values['fault-offline'] === undefined ? 3600 : seconds('fault-offline', 3600) } }),
    meterIntervalSec: seconds('meter-interval', 10),
    sessionSec: seconds('session-length', 60),
    gapSec: seconds('session-gap', 30),
    tokens: values.tokens?.split(',').map((t) => t.trim()).filter(Boolean) ?? [],
    log: (line: string) => console.log(line),
  };
  const stopLoops: Array<() => void> = [];

  let shuttingDown = false;
  let churnTimer: NodeJS.Timeout | undefined;
  let fleet: SimFleet | undefined;
  const abort = new AbortController();
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    abort.abort();
    clearInterval(churnTimer);
    for (const stopLoop of stopLoops) stopLoop();
    console.log(`\n${signal}: stopping ${fleet?.stations.length ?? 0} stations...`);
    await fleet?.stop();
    console.log('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  console.log(`Starting ${count} station(s), version ${version}, against ${values.url}`);
  fleet = await startFleet({
    url: values.url,
    count,
    version,
    prefix: values.prefix,
    ...(values.password === undefined ? {} : { password: values.password }),
    evses: positive('evses', values.evses, 1),
    connectorsPerEvse: positive('connectors', values.connectors, 1),
    concurrency: positive('concurrency', values.concurrency, 50),
    signal: abort.signal,
    station: { ...(values.verbose ? { log: (line: string) => console.log(line) } : {}), meterHabits: meterHabitsOf(values) },
    onStarted: (station, outcome) => {
      if (outcome.error) {
        console.log(`${station.id.padEnd(12)} ocpp${station.version.padEnd(6)} FAILED ${outcome.error.message}`);
        return;
      }
      // Later boots (retries after Pending/Rejected, reconnects, resets) are printed as they happen.
      station.on('boot', (result: SimBootResult) => console.log(bootLine(station, result)));
      station.on('close', (code: number) => {
        if (!shuttingDown) console.log(`${station.id.padEnd(12)} disconnected (${code}), will reconnect`);
      });
      if (outcome.result) console.log(bootLine(station, outcome.result));
      if (values.sessions) stopLoops.push(runSessionLoop(station, loopOptions));
    },
  });
  if (shuttingDown) return;

  const byState = (state: string): number => fleet!.stations.filter((s) => s.state === state).length;
  const allFailed = count > 0 && fleet.failures.length === count;
  console.log(
    `Started ${count - fleet.failures.length}/${count} stations: ${byState('accepted')} accepted, ` +
    `${byState('pending')} pending, ${byState('rejected')} rejected, ${fleet.failures.length} failed.` +
    (allFailed ? '' : ' Press Ctrl+C to stop.'),
  );
  if (allFailed) {
    await fleet.stop();
    process.exit(1);
  }
  if (churnSec !== undefined) {
    churnTimer = setInterval(() => void churnOnce(fleet!), churnSec * 1000);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
