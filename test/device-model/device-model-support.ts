/** Helpers of the device-model scenarios: a registered simulated station with the device-model handlers, REST shortcuts. */
import { SimStation } from '../../sim/index.ts';
import { deviceModelHandlers, type SimDeviceModelOptions } from '../../sim/sim-device-model.ts';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';
import { eventually, type TestServer } from '../support/harness.ts';

export async function registerStation(server: TestServer, id: string): Promise<void> {
  const created = await server.api('POST', '/api/v1/stations', { id });
  if (created.status !== 201) throw new Error(`station ${id} not created: ${created.status} ${JSON.stringify(created.body)}`);
}

/** A registered, connected, booted simulated station that answers the device-model messages. */
export async function deviceModelStation(server: TestServer, id: string, version: OcppVersion, options: SimDeviceModelOptions = {}): Promise<SimStation> {
  await registerStation(server, id);
  const station = new SimStation({ url: server.ocppUrl, id, version, heartbeats: false, reconnect: false, callTimeoutMs: 5000 });
  if (version !== '1.6') {
    const ctl = { version, settings: station.settings, send: (action: string, payload: Record<string, unknown>, force: boolean) => station.call(action, payload, { force }), log: () => undefined };
    for (const [action, handler] of Object.entries(deviceModelHandlers(ctl, options))) station.handle(action, handler);
  }
  await station.start();
  await eventually(() => server.app.cluster.locate(id), `${id} connected`);
  return station;
}

/** Submits a command and waits up to 5 s for its outcome. */
export async function command(server: TestServer, stationId: string, body: Record<string, unknown>) {
  const response = await server.api('POST', `/api/v1/stations/${encodeURIComponent(stationId)}/commands?wait=5`, body);
  if (response.status !== 200) throw new Error(`command not finished: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function reports(server: TestServer, stationId: string, query = '') {
  return (await server.api('GET', `/api/v1/stations/${encodeURIComponent(stationId)}/reports${query}`)).body;
}

export async function configuration(server: TestServer, stationId: string, query = '') {
  return (await server.api('GET', `/api/v1/stations/${encodeURIComponent(stationId)}/configuration${query}`)).body;
}

export async function monitors(server: TestServer, stationId: string) {
  return (await server.api('GET', `/api/v1/stations/${encodeURIComponent(stationId)}/monitors`)).body;
}

/** Waits until the station's latest report of `kind` is in `state`. */
export async function reportIn(server: TestServer, stationId: string, state: string, kind = 'inventory') {
  return eventually(async () => {
    const list = await reports(server, stationId, `?kind=${kind}`);
    const latest = list.items[0];
    return latest?.state === state ? latest : null;
  }, `${stationId}'s ${kind} report ${state}`);
}
