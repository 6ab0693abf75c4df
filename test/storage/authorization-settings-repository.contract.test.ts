/**
 * The per-site and per-station authorization settings ports behave the same on PGlite and
 * PostgreSQL: Autocharge sites and the use log (SqlAutochargeRepository), offline authorization
 * settings and each station's push state (SqlOfflineSettingsRepository).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SqlAutochargeRepository, SqlOfflineSettingsRepository } from '../../src/capabilities/authorization/index.ts';
import type { Storage } from '../../src/storage/database.ts';
import { storageTargets } from '../support/storage-targets.ts';
import { ALL_TENANTS } from '../../src/kernel/tenant-scope.ts';

type AutochargeUse = Parameters<SqlAutochargeRepository['recordUses']>[0][number];
type StationOfflineState = Parameters<SqlOfflineSettingsRepository['saveStationState']>[1];

const t0 = new Date('2026-03-01T08:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const use = (idToken: string, seconds: number, extra: Partial<AutochargeUse> = {}): AutochargeUse => ({
  idToken,
  stationId: 'AC-S1',
  tenantId: 'default',
  siteId: 'site-1',
  at: at(seconds),
  accepted: true,
  suspicion: null,
  ...extra,
});
const scopeKey = (s: { scope: string; scopeId: string }) => `${s.scope}:${s.scopeId}`;

for (const target of storageTargets) {
  describe(`autocharge repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlAutochargeRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlAutochargeRepository(storage.db);
    });
    after(() => storage?.close());

    // Runs first: the tests below only add sites and uses.
    test('nothing stored yet: no sites and no uses', async () => {
      assert.deepEqual(await repo.sites(), []);
      assert.deepEqual(await repo.uses(ALL_TENANTS, { limit: 10 }), []);
      assert.deepEqual(await repo.uses(ALL_TENANTS, { idToken: 'VID:nobody', suspiciousOnly: true, limit: 10 }), []);
    });

    test('setSite creates a site once and switches it on and off', async () => {
      await repo.setSite('site-on', true, at(0));
      await repo.setSite('site-off', false, at(0));
      await repo.setSite('site-on', false, at(1));
      await repo.setSite('site-on', true, at(2));
      await repo.setSite('site-off', false, at(3));
      const mine = (await repo.sites()).filter((s) => s.siteId.startsWith('site-o')).sort((a, b) => a.siteId.localeCompare(b.siteId));
      assert.deepEqual(mine, [
        { siteId: 'site-off', autochargeEnabled: false },
        { siteId: 'site-on', autochargeEnabled: true },
      ]);
    });

    test('recordUses round-trips every field; an empty batch writes nothing', async () => {
      const written = [
        use('VID:RT1', 10, { stationId: 'AC-S2', siteId: null, accepted: false, suspicion: 'impossible-travel' }),
        use('VID:RT1', 5, { at: new Date('2026-03-01T08:00:05.250Z') }),
      ];
      await repo.recordUses(written);
      await repo.recordUses([]);
      assert.deepEqual(await repo.uses(ALL_TENANTS, { idToken: 'VID:RT1', limit: 10 }), written, 'newest first, every field as written, ms kept');
    });

    test('uses are listed newest first, the later recorded first at the same time, up to the limit', async () => {
      await repo.recordUses([use('VID:ORD', 100, { stationId: 'first' }), use('VID:ORD', 300), use('VID:ORD', 100, { stationId: 'second' })]);
      await repo.recordUses([use('VID:ORD', 200), use('VID:ORD', 100, { stationId: 'third' })]);
      const listed = await repo.uses(ALL_TENANTS, { idToken: 'VID:ORD', limit: 10 });
      assert.deepEqual(
        listed.map((u) => [u.at.getTime(), u.stationId]),
        [[at(300).getTime(), 'AC-S1'], [at(200).getTime(), 'AC-S1'], [at(100).getTime(), 'third'], [at(100).getTime(), 'second'], [at(100).getTime(), 'first']],
      );
      assert.deepEqual(await repo.uses(ALL_TENANTS, { idToken: 'VID:ORD', limit: 2 }), listed.slice(0, 2));
      assert.deepEqual(await repo.uses(ALL_TENANTS, { idToken: 'VID:ORD', limit: 0 }), []);
    });

    test('uses filter by token and by suspicion, alone and together', async () => {
      await repo.recordUses([
        use('VID:F-A', 1000),
        use('VID:F-A', 1001, { suspicion: 'seen-on-two-stations', accepted: false }),
        use('VID:F-B', 1002, { suspicion: 'impossible-travel' }),
        use('VID:F-B', 1003),
      ]);
      const keys = (uses: AutochargeUse[]) => uses.map((u) => `${u.idToken}@${u.at.getTime() - t0.getTime()}`);
      assert.deepEqual(keys(await repo.uses(ALL_TENANTS, { idToken: 'VID:F-A', limit: 10 })), ['VID:F-A@1001000', 'VID:F-A@1000000']);
      assert.deepEqual(keys(await repo.uses(ALL_TENANTS, { idToken: 'VID:F-A', suspiciousOnly: true, limit: 10 })), ['VID:F-A@1001000']);
      const suspicious = await repo.uses(ALL_TENANTS, { suspiciousOnly: true, limit: 100 });
      assert.ok(suspicious.length > 0 && suspicious.every((u) => u.suspicion !== null), 'only uses with a suspicion');
      assert.deepEqual(keys(suspicious.filter((u) => u.idToken.startsWith('VID:F-'))), ['VID:F-B@1002000', 'VID:F-A@1001000']);
      assert.deepEqual(keys((await repo.uses(ALL_TENANTS, { suspiciousOnly: false, limit: 100 })).filter((u) => u.idToken === 'VID:F-B')), ['VID:F-B@1003000', 'VID:F-B@1002000'], 'suspiciousOnly false filters nothing');
      assert.deepEqual(await repo.uses(ALL_TENANTS, { idToken: 'VID:F-none', limit: 10 }), []);
    });
  });

  describe(`offline settings repository on ${target.name}`, { skip: target.skip ?? false }, () => {
    let storage: Storage;
    let repo: SqlOfflineSettingsRepository;
    before(async () => {
      storage = await target.open();
      repo = new SqlOfflineSettingsRepository(storage.db);
    });
    after(() => storage?.close());

    // Runs first: the tests below only add settings.
    test('nothing stored yet: no scopes, no settings, nothing to remove, and a station holds nothing', async () => {
      assert.deepEqual(await repo.scopes(), []);
      assert.equal(await repo.settings('site', 'nowhere'), null);
      assert.equal(await repo.settings('station', 'nobody'), null);
      assert.equal(await repo.removeSettings('site', 'nowhere'), false);
      assert.deepEqual(await repo.stationState('nobody'), { applied: {}, pending: {}, refused: {} });
    });

    test('settings round-trip per scope; a site and a station with the same id are kept apart', async () => {
      await repo.saveSettings('site', 'SAME', { localAuthorizeOffline: true, offlineTxForUnknownId: false }, at(0));
      await repo.saveSettings('station', 'SAME', { authCacheEnabled: false }, at(1));
      assert.deepEqual(await repo.settings('site', 'SAME'), { localAuthorizeOffline: true, offlineTxForUnknownId: false });
      assert.deepEqual(await repo.settings('station', 'SAME'), { authCacheEnabled: false });
      const scopes = (await repo.scopes()).map(scopeKey).filter((k) => k.endsWith(':SAME')).sort();
      assert.deepEqual(scopes, ['site:SAME', 'station:SAME']);
    });

    test('saving settings again replaces them whole, never merges; empty settings are still settings', async () => {
      await repo.saveSettings('site', 'REPL', { localAuthorizeOffline: true, localPreAuthorize: true }, at(0));
      await repo.saveSettings('site', 'REPL', { localAuthListEnabled: false }, at(1));
      assert.deepEqual(await repo.settings('site', 'REPL'), { localAuthListEnabled: false });
      await repo.saveSettings('station', 'EMPTY', {}, at(2));
      assert.deepEqual(await repo.settings('station', 'EMPTY'), {});
      assert.equal((await repo.scopes()).filter((s) => s.scopeId === 'REPL' || s.scopeId === 'EMPTY').length, 2, 'each scope listed once');
    });

    test('removeSettings deletes one scope and says whether it existed', async () => {
      await repo.saveSettings('site', 'RM', { localPreAuthorize: true }, at(0));
      await repo.saveSettings('station', 'RM', { localPreAuthorize: false }, at(0));
      assert.equal(await repo.removeSettings('site', 'RM'), true);
      assert.equal(await repo.removeSettings('site', 'RM'), false, 'already gone');
      assert.equal(await repo.settings('site', 'RM'), null);
      assert.deepEqual(await repo.settings('station', 'RM'), { localPreAuthorize: false }, 'the station of the same id keeps its own');
      assert.deepEqual((await repo.scopes()).map(scopeKey).filter((k) => k.endsWith(':RM')), ['station:RM']);
    });

    test("a station's push state round-trips applied, pending and refused, is replaced whole and kept per station", async () => {
      const first: StationOfflineState = {
        applied: { localAuthorizeOffline: true, authCacheEnabled: false },
        pending: { offlineTxForUnknownId: { value: false, commandId: '00000000-0000-4000-8000-00000000000a' } },
        refused: { localAuthListEnabled: { value: true, status: 'NotSupported' } },
      };
      await repo.saveStationState('OFF-1', first, at(0));
      assert.deepEqual(await repo.stationState('OFF-1'), first);
      const second: StationOfflineState = { applied: { offlineTxForUnknownId: false }, pending: {}, refused: {} };
      await repo.saveStationState('OFF-1', second, at(1));
      assert.deepEqual(await repo.stationState('OFF-1'), second, 'the answered command left pending, nothing merged from before');
      assert.deepEqual(await repo.stationState('OFF-2'), { applied: {}, pending: {}, refused: {} }, 'another station is untouched');
    });
  });
}
