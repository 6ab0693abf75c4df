/**
 * An ocpp-rpc station (strict mode: it validates every SendLocalList we send)
 * that keeps a real local list: full replaces, differential patches, an entry
 * without info removes. With `maxEntries` it reports that limit
 * (1.6 SendLocalListMaxLength / 2.x LocalAuthListCtrlr.ItemsPerMessage) and
 * fails any message carrying more.
 */
import { RPCClient } from 'ocpp-rpc';

export function listStation(ocppUrl: string, id: string, version: '1.6' | '2.0.1', options: { maxEntries?: number } = {}) {
  const is16 = version === '1.6';
  const station = {
    listVersion: 0,
    list: new Map<string, string>(),
    received: [] as Array<{ updateType: string; size: number }>,
    /** The answer to the next SendLocalList (then back to Accepted). */
    answer: 'Accepted',
    /** Answers to the next SendLocalLists in turn ('' = handle normally), before `answer` applies. */
    script: [] as string[],
  };
  const client = new RPCClient({ endpoint: ocppUrl, identity: id, protocols: [is16 ? 'ocpp1.6' : 'ocpp2.0.1'], strictMode: true, reconnect: false } as any);
  if (options.maxEntries !== undefined) {
    const limit = String(options.maxEntries);
    client.handle('GetConfiguration', async ({ params }: any) => ({
      configurationKey: (params.key ?? []).filter((k: string) => k === 'SendLocalListMaxLength').map((key: string) => ({ key, readonly: true, value: limit })),
    }));
    client.handle('GetVariables', async ({ params }: any) => ({
      getVariableResult: params.getVariableData.map((d: any) => ({ attributeStatus: 'Accepted', attributeValue: limit, component: d.component, variable: d.variable })),
    }));
  }
  client.handle('GetLocalListVersion', async () => (is16 ? { listVersion: station.listVersion } : { versionNumber: station.listVersion }));
  client.handle('SendLocalList', async ({ params }: any) => {
    const entries: any[] = params.localAuthorizationList ?? [];
    station.received.push({ updateType: params.updateType, size: entries.length });
    if (entries.length > (options.maxEntries ?? Infinity)) return { status: 'Failed' };
    const scripted = station.script.shift();
    if (scripted) return { status: scripted };
    if (station.answer !== 'Accepted') {
      const answer = station.answer;
      station.answer = 'Accepted';
      return { status: answer };
    }
    if (params.updateType === 'Full') station.list.clear();
    for (const e of entries) {
      const token = is16 ? e.idTag : e.idToken.idToken;
      const info = is16 ? e.idTagInfo : e.idTokenInfo;
      if (info) station.list.set(token, info.status);
      else station.list.delete(token);
    }
    station.listVersion = is16 ? params.listVersion : params.versionNumber;
    return { status: 'Accepted' };
  });
  const boot = () =>
    client.call('BootNotification', is16 ? { chargePointVendor: 'V', chargePointModel: 'M' } : { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
  return { client, station, boot };
}

