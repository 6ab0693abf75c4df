/**
 * The ClusterPort contract, run against the in-process implementation and
 * (when a NATS server is configured) the NATS one with two nodes in this
 * process. Whatever a capability sees must not depend on where the station's
 * socket is.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OcppRemoteError } from '../../src/ocpp/ocpp-error-codes.ts';
import type { DomainEvent, EventOrigin } from '../../src/cluster/event-bus.ts';
import { clusterTargets, FakeLink, NODE_TTL_MS, uniqueStation, type ClusterNode } from '../support/cluster-targets.ts';
import { eventually } from '../support/harness.ts';

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OcppRemoteError, `expected an OcppRemoteError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected the call to fail');
};

for (const target of clusterTargets) {
  describe(`ClusterPort on ${target.name}`, { skip: target.skip ?? false }, () => {
    let a: ClusterNode;
    let b: ClusterNode;
    before(async () => {
      [a, b] = await target.pair();
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    test('an attached station is located from every node and listed only where it is held', async () => {
      const link = new FakeLink(uniqueStation(), '1.6');
      await b.cluster.attach(link);
      for (const node of [a, b]) {
        const location = await node.cluster.locate(link.stationId);
        assert.equal(location?.nodeId, b.cluster.nodeId);
        assert.equal(location?.version, '1.6');
        assert.equal(location?.connectedAt.getTime(), link.connectedAt.getTime());
      }
      assert.ok(b.cluster.localStationIds().includes(link.stationId));
      if (target.distinct) assert.ok(!a.cluster.localStationIds().includes(link.stationId));
      for (const node of [a, b]) assert.ok((await node.cluster.connectedStationIds()).includes(link.stationId));
      assert.equal(await b.cluster.detach(link), true);
      assert.equal(await a.cluster.locate(link.stationId), null);
      assert.ok(!(await a.cluster.connectedStationIds()).includes(link.stationId));
    });

    test('a call from any node reaches the station and returns its answer', async () => {
      const link = new FakeLink(uniqueStation());
      await b.cluster.attach(link);
      assert.deepEqual(await a.cluster.call(link.stationId, 'Reset', { type: 'Immediate' }), { echoed: 'Reset' });
      assert.deepEqual(await b.cluster.call(link.stationId, 'GetLocalListVersion', {}), { echoed: 'GetLocalListVersion' });
      assert.deepEqual(link.calls, [
        { action: 'Reset', payload: { type: 'Immediate' } },
        { action: 'GetLocalListVersion', payload: {} },
      ]);
      await b.cluster.detach(link);
    });

    test('the station-side failure keeps its code wherever the caller is', async () => {
      const link = new FakeLink(uniqueStation(), '2.0.1', async (action) => {
        throw new OcppRemoteError('NotSupported', `${action} is not supported`, { hint: 1 });
      });
      await b.cluster.attach(link);
      try {
        await a.cluster.call(link.stationId, 'Reset', {});
        assert.fail('expected a failure');
      } catch (error) {
        assert.ok(error instanceof OcppRemoteError);
        assert.equal(error.code, 'NotSupported');
        assert.equal(error.message, 'Reset is not supported');
        assert.deepEqual(error.details, { hint: 1 });
      }
      await b.cluster.detach(link);
    });

    test('a call timeout of the station is a Timeout on every node', async () => {
      const link = new FakeLink(uniqueStation(), '2.0.1', (action, _payload, timeoutMs) =>
        new Promise((_resolve, reject) => setTimeout(() => reject(new OcppRemoteError('Timeout', `${action} got no answer within ${timeoutMs} ms`)), timeoutMs)),
      );
      await b.cluster.attach(link);
      assert.equal(await codeOf(a.cluster.call(link.stationId, 'Reset', {}, { timeoutMs: 50 })), 'Timeout');
      await b.cluster.detach(link);
    });

    test('a station nobody holds is StationOffline', async () => {
      assert.equal(await codeOf(a.cluster.call(uniqueStation(), 'Reset', {})), 'StationOffline');
      assert.equal(await a.cluster.locate(uniqueStation()), null);
    });

    test('the newest connection wins, across nodes, and the old one is closed', async () => {
      const stationId = uniqueStation();
      const first = new FakeLink(stationId);
      const second = new FakeLink(stationId);
      await a.cluster.attach(first);
      await b.cluster.attach(second);
      await eventually(() => first.closed, 'the older connection to close');
      assert.equal(first.closed?.code, 1000);
      assert.equal(second.closed, null);
      assert.equal((await a.cluster.locate(stationId))?.nodeId, b.cluster.nodeId);
      // The replaced socket's close is not the station going offline.
      assert.equal(await a.cluster.detach(first), false);
      assert.equal((await a.cluster.locate(stationId))?.nodeId, b.cluster.nodeId);
      await a.cluster.call(stationId, 'Reset', {});
      assert.equal(second.calls.length, 1);
      assert.equal(first.calls.length, 0);
      assert.equal(await b.cluster.detach(second), true);
      assert.equal(await a.cluster.locate(stationId), null);
    });

    test('a newer connection on the same node replaces the older one there', async () => {
      const stationId = uniqueStation();
      const first = new FakeLink(stationId);
      const second = new FakeLink(stationId);
      await b.cluster.attach(first);
      await b.cluster.attach(second);
      assert.equal(first.closed?.code, 1000);
      assert.equal(await b.cluster.detach(first), false);
      assert.equal((await a.cluster.locate(stationId))?.nodeId, b.cluster.nodeId);
      assert.equal(await b.cluster.detach(second), true);
    });

    test('disconnect from any node closes the connection with the reason', async () => {
      const link = new FakeLink(uniqueStation());
      await b.cluster.attach(link);
      await a.cluster.disconnect(link.stationId, 'station deleted');
      await eventually(() => link.closed, 'the connection to close');
      assert.deepEqual(link.closed, { code: 1008, reason: 'station deleted' });
      await b.cluster.detach(link);
      // Nobody holds it: nothing to do, no error.
      await a.cluster.disconnect(link.stationId, 'again');
    });

    test('station events reach local subscribers on the publishing node only, cluster subscribers everywhere', async () => {
      const seen: Record<string, Array<{ type: string; origin: EventOrigin }>> = { aLocal: [], bLocal: [], bCluster: [], bTyped: [] };
      const record = (name: string) => (event: DomainEvent, origin: EventOrigin) => void seen[name]?.push({ type: event.type, origin });
      const offs = [
        a.events.subscribe(record('aLocal')),
        b.events.subscribe(record('bLocal'), { scope: 'local' }),
        b.events.subscribe(record('bCluster'), { scope: 'cluster' }),
        b.events.subscribe(record('bTyped'), { scope: 'cluster', types: ['station.booted'] }),
      ];
      await (b.events as { flush?: () => Promise<void> }).flush?.();
      const stationId = uniqueStation();
      a.events.publish({ type: 'station.connected', stationId, at: new Date().toISOString(), ocppVersion: '2.0.1' });
      a.events.publish({ type: 'station.booted', stationId, at: new Date().toISOString(), registrationStatus: 'Accepted', reason: null });
      await eventually(() => seen.bCluster?.length === 2 && seen.bTyped?.length === 1, 'cluster subscribers to get both events');
      assert.deepEqual(seen.aLocal?.map((e) => [e.type, e.origin.local]), [['station.connected', true], ['station.booted', true]]);
      assert.deepEqual(seen.bCluster?.map((e) => [e.type, e.origin.local]), [['station.connected', !target.distinct], ['station.booted', !target.distinct]]);
      assert.deepEqual(seen.bTyped?.map((e) => e.type), ['station.booted']);
      // Per-station work subscribed locally on another node must not run: the socket is not there.
      assert.equal(seen.bLocal?.length, target.distinct ? 0 : 2);
      for (const off of offs) off();
    });

    if (!target.distinct) return;

    test('a node that dies: its stations are offline, calls in flight fail with StationOffline, a reconnect elsewhere wins', async () => {
      const [c, spare] = await target.pair();
      await spare.close();
      const silent = new FakeLink(uniqueStation(), '2.0.1', () => new Promise(() => undefined));
      await c.cluster.attach(silent);
      assert.equal((await a.cluster.locate(silent.stationId))?.nodeId, c.cluster.nodeId);
      const inFlight = a.cluster.call(silent.stationId, 'Reset', {}, { timeoutMs: 30_000 });
      const started = Date.now();
      await c.crash();
      assert.equal(await codeOf(inFlight), 'StationOffline');
      assert.ok(Date.now() - started < 10_000, 'the call failed because the node died, not because its timeout ran out');
      await eventually(async () => (await a.cluster.locate(silent.stationId)) === null, 'the dead node to be forgotten', NODE_TTL_MS * 10);
      const moved = new FakeLink(silent.stationId);
      await a.cluster.attach(moved);
      assert.equal((await b.cluster.locate(silent.stationId))?.nodeId, a.cluster.nodeId);
      assert.deepEqual(await b.cluster.call(silent.stationId, 'Reset', {}), { echoed: 'Reset' });
      assert.equal(await a.cluster.detach(moved), true);
    });
  });
}
