/** An ocpp-rpc station in strict mode (every CALL and answer checked against the official schemas), connected. */
import { RPCClient } from 'ocpp-rpc';

export async function strictRpcClient(ocppUrl: string, identity: string, protocol: string): Promise<RPCClient> {
  const client = new RPCClient({ endpoint: ocppUrl, identity, protocols: [protocol], strictMode: true, reconnect: false } as any);
  await client.connect();
  return client;
}
