/** Offline authorization settings: a refusal is remembered, a push that never got an answer is sent again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { InProcessEventBus } from '../../src/cluster/event-bus.ts';
import { OfflineSettingsService, offlineSettingKeys16, offlineSettingKeys2x } from '../../src/capabilities/authorization/index.ts';
import type { OfflineSettingsRepository, StationOfflineState } from '../../src/capabilities/authorization/authorization-repository.ts';

test('an expired or failed push is sent again at the next reconcile; a rejected one only when an operator asks', async () => {
  const settings = new Map<string, object>([['site:S', { localAuthorizeOffline: true, offlineTxForUnknownId: false }]]);
  let state: StationOfflineState = { applied: {}, pending: {}, refused: {} };
  const repo: OfflineSettingsRepository = {
    scopes: async () => [{ scope: 'site', scopeId: 'S' }],
    settings: async (scope, id) => (settings.get(`${scope}:${id}`) as never) ?? null,
    saveSettings: async () => {},
    removeSettings: async () => true,
    stationState: async () => structuredClone(state),
    saveStationState: async (_id, next) => void (state = structuredClone(next)),
  };
  const outcomes = new Map<string, { state: string; status: string | null }>();
  const sent: string[] = [];
  const service = new OfflineSettingsService(
    repo,
    { siteOf: async () => 'S', versionOf: async () => '1.6', inSite: async () => ['CP'] },
    {
      setConfiguration: async (_station, key) => {
        sent.push(key);
        const id = `c${sent.length}`;
        outcomes.set(id, { state: 'queued', status: null });
        return { id };
      },
      outcome: async (id) => outcomes.get(id) ?? null,
    },
    { '1.6': offlineSettingKeys16, '2.0.1': offlineSettingKeys2x, '2.1': offlineSettingKeys2x },
    new InProcessEventBus(),
    () => new Date(),
    pino({ level: 'silent' }),
  );

  await service.reconcile('CP', false);
  assert.deepEqual(sent, ['LocalAuthorizeOffline', 'AllowOfflineTxForUnknownId']);
  await service.reconcile('CP', false);
  assert.equal(sent.length, 2, 'nothing sent twice while on its way');

  outcomes.set('c1', { state: 'expired', status: null }); // the station stayed offline past the expiry
  outcomes.set('c2', { state: 'rejected', status: 'NotSupported' });
  const view = await service.reconcile('CP', false);
  assert.deepEqual(sent.slice(2), ['LocalAuthorizeOffline'], 'the unanswered push is sent again, the refused one is not');
  assert.deepEqual(view.refused, [{ setting: 'offlineTxForUnknownId', value: false, status: 'NotSupported' }]);

  outcomes.set('c3', { state: 'accepted', status: 'Accepted' });
  const after = await service.reconcile('CP', true);
  assert.deepEqual(after.applied, { localAuthorizeOffline: true });
  assert.deepEqual(sent.slice(3), ['AllowOfflineTxForUnknownId'], 'an operator push retries the refusal');
});
