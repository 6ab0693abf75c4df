/**
 * Start many SimStations at once with bounded concurrency, so a boot storm does not open
 * thousands of sockets in the same tick.
 */
import { SimStation } from './sim-station.ts';
import type { SimBootResult, SimOcppVersion, SimStationOptions } from './sim-types.ts';

export type SimFleetVersion = SimOcppVersion | 'mixed';

export interface SimFleetOptions {
  url: string;
  count: number;
  /** 'mixed' cycles 1.6, 2.0.1, 2.1 by station number. */
  version: SimFleetVersion;
  /** Station ids are `${prefix}-${n}` with n zero-padded to 5 digits, from 1. Default 'SIM'. */
  prefix?: string;
  password?: string;
  evses?: number;
  connectorsPerEvse?: number;
  /** Stations connecting at the same time, default 50. */
  concurrency?: number;
  /** Extra options for every station (timeouts, reconnect policy, log, ...). */
  station?: Partial<Omit<SimStationOptions, 'url' | 'id' | 'version'>>;
  /** Called once per station as soon as its start() settled. */
  onStarted?: (station: SimStation, outcome: { result?: SimBootResult | undefined; error?: Error }) => void;
  /** Abort to stop launching further stations (already started ones keep running until stop()). */
  signal?: AbortSignal;
}

export interface SimFleet {
  /** Every station created, in id order; failed ones are stopped. */
  stations: SimStation[];
  failures: Array<{ id: string; error: Error }>;
  /** Stop every station (graceful close, no reconnect). */
  stop(): Promise<void>;
}

const MIXED: SimOcppVersion[] = ['1.6', '2.0.1', '2.1'];

export function fleetStationId(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(5, '0')}`;
}

/** Version of station number n (1-based). */
export function fleetVersion(version: SimFleetVersion, n: number): SimOcppVersion {
  return version === 'mixed' ? MIXED[(n - 1) % MIXED.length]! : version;
}

export async function startFleet(options: SimFleetOptions): Promise<SimFleet> {
  const count = Math.max(0, Math.floor(options.count));
  const prefix = options.prefix ?? 'SIM';
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 50));
  const stations: SimStation[] = [];
  for (let n = 1; n <= count; n++) {
    stations.push(new SimStation({
      ...options.station,
      url: options.url,
      id: fleetStationId(prefix, n),
      version: fleetVersion(options.version, n),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.evses === undefined ? {} : { evses: options.evses }),
      ...(options.connectorsPerEvse === undefined ? {} : { connectorsPerEvse: options.connectorsPerEvse }),
    }));
  }

  const failures: SimFleet['failures'] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < stations.length && !options.signal?.aborted) {
      const station = stations[next++]!;
      try {
        const result = await station.start();
        options.onStarted?.(station, { result });
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        await station.stop(); // e.g. the first BootNotification timed out: do not keep retrying
        failures.push({ id: station.id, error });
        options.onStarted?.(station, { error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, stations.length) }, () => worker()));

  return {
    stations,
    failures,
    stop: async () => {
      await Promise.all(stations.map((s) => s.stop()));
    },
  };
}
