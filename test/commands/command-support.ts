/** Helpers shared by the command scenarios: a recording simulated station and REST shortcuts. */
import pino from 'pino';
import { SimStation } from '../../sim/index.ts';
import { CommandService, SqlCommandRepository, commandTranslators } from '../../src/capabilities/commands/index.ts';
import { InProcessEventBus } from '../../src/cluster/event-bus.ts';
import { systemClock } from '../../src/kernel/time.ts';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';
import { eventually, type TestServer } from '../support/harness.ts';

export interface RecordedCall {
  action: string;
  payload: Record<string, unknown>;
}

export interface RecordingStation {
  station: SimStation;
  /** Every CSMS-initiated CALL the station received, in order. */
  calls: RecordedCall[];
  stop(): Promise<void>;
}

/** A simulated station that records the CALLs it receives; not yet started. */
export function recordingStation(server: TestServer, id: string, version: OcppVersion): RecordingStation {
  const station = new SimStation({
    url: server.ocppUrl,
    id,
    version,
    evses: 2,
    heartbeats: false,
    reconnect: false,
    resetDelayMs: 50,
    callTimeoutMs: 5000,
  });
  const calls: RecordedCall[] = [];
  station.on('call', (action: string, payload: Record<string, unknown>) => calls.push({ action, payload }));
  return { station, calls, stop: () => station.stop() };
}

export async function startRecording(server: TestServer, id: string, version: OcppVersion): Promise<RecordingStation> {
  const recording = recordingStation(server, id, version);
  await recording.station.start();
  await eventually(() => server.app.cluster.locate(id), `${id} connected`);
  return recording;
}

export async function submit(server: TestServer, stationId: string, body: Record<string, unknown>, wait?: number) {
  const query = wait === undefined ? '' : `?wait=${wait}`;
  return server.api('POST', `/api/v1/stations/${encodeURIComponent(stationId)}/commands${query}`, body);
}

export async function commandById(server: TestServer, id: string) {
  const response = await server.api('GET', `/api/v1/commands/${id}`);
  return response.body;
}

export async function finalCommand(server: TestServer, id: string, timeoutMs = 5000) {
  return eventually(async () => {
    const command = await commandById(server, id);
    return command.state !== 'queued' && command.state !== 'sent' ? command : null;
  }, `command ${id} to finish`, timeoutMs);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A second CommandService over the test server's database: what the next start of a CSMS that
 * stopped would be (start() fails what was on the wire), while the first one still runs.
 */
export function restartedCommandService(server: TestServer): CommandService {
  return new CommandService(
    {
      repo: new SqlCommandRepository(server.app.storage.db),
      cluster: server.app.cluster,
      events: new InProcessEventBus(),
      clock: systemClock,
      log: pino({ level: 'silent' }),
      stations: { exists: async () => true },
      transactions: { resolve: async () => null },
      translators: commandTranslators,
    },
    { defaultExpirySec: 60, maxWaitSec: 1, sweepIntervalMs: 60_000, connectGraceMs: 0 },
  );
}
