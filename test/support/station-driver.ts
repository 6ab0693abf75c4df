/**
 * One interface over two independent charger implementations, so every
 * station scenario runs with our simulator AND with ocpp-rpc in strict mode
 * (which validates every frame the CSMS sends against the official schemas).
 */
import { RPCClient } from 'ocpp-rpc';
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
