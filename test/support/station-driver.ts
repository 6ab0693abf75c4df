/**
 * One interface over two independent charger implementations, so every
 * station scenario runs with our simulator AND with ocpp-rpc in strict mode
 * (which validates every frame the CSMS sends against the official schemas).
 */
import { RPCClient } from 'ocpp-rpc';
import { SimStation } from '../../sim/index.ts';
import { ocpp21Validator } from './ocpp21-validator.ts';
import type { OcppVersion } from '../../src/kernel/protocol-version.ts';

export interface BootAnswer {
  status: string;
  interval: number;
  currentTime: string;
}

export interface StationDriver {
  readonly id: string;
  connect(): Promise<void>;
  boot(): Promise<BootAnswer>;
  heartbeat(): Promise<{ currentTime: string }>;
  /** `status` is a 1.6 ChargePointStatus for 1.6 and a ConnectorStatus for 2.x. */
  status(evseId: number, connectorId: number, status: string): Promise<void>;
  /** Resolves with the close code when the CSMS closes this connection. */
  closedByServer(): Promise<number>;
  close(): Promise<void>;
}

export interface DriverOptions {
  url: string;
  id: string;
  version: OcppVersion;
  password?: string;
}

export type DriverFactory = { name: string; create(options: DriverOptions): StationDriver };

const SUBPROTOCOL: Record<OcppVersion, string> = { '1.6': 'ocpp1.6', '2.0.1': 'ocpp2.0.1', '2.1': 'ocpp2.1' };

export const ocppRpcDriver: DriverFactory = {
  name: 'ocpp-rpc (strict)',
  create({ url, id, version, password }) {
    const client = new RPCClient({
      endpoint: url,
      identity: id,
      protocols: [SUBPROTOCOL[version]],
      strictMode: true,
      ...(version === '2.1' ? { strictModeValidators: [ocpp21Validator()] } : {}),
      reconnect: false,
      password: password ?? null,
      callTimeoutMs: 5000,
    } as any);
    let closeCode: Promise<number> = new Promise((resolve) => client.once('close', ({ code }: { code: number }) => resolve(code)));
    const is16 = version === '1.6';
    return {
      id,
      async connect() {
        closeCode = new Promise((resolve) => client.once('close', ({ code }: { code: number }) => resolve(code)));
        await client.connect();
      },
      async boot() {
        const payload = is16
          ? { chargePointVendor: 'RpcVendor', chargePointModel: 'RpcModel', chargePointSerialNumber: `SN-${id}`, firmwareVersion: '1.2.3', iccid: '8931000000000000001' }
          : { reason: 'PowerUp', chargingStation: { vendorName: 'RpcVendor', model: 'RpcModel', serialNumber: `SN-${id}`, firmwareVersion: '1.2.3', modem: { iccid: '8931000000000000001' } } };
        return (await client.call('BootNotification', payload)) as BootAnswer;
      },
      async heartbeat() {
        return (await client.call('Heartbeat', {})) as { currentTime: string };
      },
      async status(evseId, connectorId, status) {
        const timestamp = new Date().toISOString();
        const payload = is16
          ? { connectorId: evseId, errorCode: status === 'Faulted' ? 'GroundFailure' : 'NoError', status, timestamp }
          : { timestamp, connectorStatus: status, evseId, connectorId };
        await client.call('StatusNotification', payload);
      },
      closedByServer: () => closeCode,
      async close() {
        await client.close({ code: 1000 });
      },
    };
  },
};

/** Our own simulator (sim/), scripted step by step: no automatic boot, heartbeat or reconnect. */
export const simulatorDriver: DriverFactory = {
  name: 'the Chargebridge simulator',
  create({ url, id, version, password }) {
    const station = new SimStation({
      url,
      id,
      version,
      password,
      evses: 2,
      connectorsPerEvse: 1,
      vendor: 'SimVendor',
      model: 'SimModel',
      serialNumber: `SN-${id}`,
      firmwareVersion: '1.2.3',
      iccid: '8931000000000000001',
      autoBoot: false,
      heartbeats: false,
      reconnect: false,
      callTimeoutMs: 5000,
    });
    let closeCode: Promise<number> = Promise.resolve(0);
    // `force` sends even when the simulator thinks it may not, so the CSMS's own rules are what is tested.
    const force = { force: true };
    return {
      id,
      async connect() {
        closeCode = new Promise((resolve) => station.once('close', (code: number) => resolve(code)));
        await station.start();
      },
      boot: async () => (await station.boot()) as unknown as BootAnswer,
      heartbeat: async () => (await station.call('Heartbeat', {}, force)) as { currentTime: string },
      async status(evseId, connectorId, status) {
        if (version === '1.6') {
          await station.call(
            'StatusNotification',
            { connectorId: evseId, errorCode: status === 'Faulted' ? 'GroundFailure' : 'NoError', status, timestamp: new Date().toISOString() },
            force,
          );
        } else {
          await station.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: status, evseId, connectorId }, force);
        }
      },
      closedByServer: () => closeCode,
      close: () => station.stop(),
    };
  },
};
