/**
 * Reservations with ocpp-rpc in strict mode as the station: an independent OCPP-J implementation
 * that validates every CALL we send (ReserveNow, CancelReservation) and every answer we give
 * (ReservationStatusUpdate, StartTransaction, TransactionEvent) against the official schemas.
 * 1.6 and 2.0.1 only: ocpp-rpc cannot judge 2.1 (ADR 0003).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { strictRpcClient } from '../support/rpc-client.ts';
import { inMinutes, reservation, reservationIn, reserve } from './reservation-support.ts';

describe('reservations with ocpp-rpc (strict) as the station', () => {
  let server: TestServer;
  const clients: RPCClient[] = [];
  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any);
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close({ code: 1000 })));
    await server.stop();
  });

  /** A strict station that holds the reservations it accepted and answers Occupied for a busy EVSE. */
  async function station(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1') {
    assert.equal((await server.api('POST', '/api/v1/stations', { id })).status, 201);
    const client = await strictRpcClient(server.ocppUrl, id, protocol);
    clients.push(client);
    const held = new Set<number>();
    const received: Array<{ method: string; params: any }> = [];
    client.handle('ReserveNow', async ({ method, params }: any) => {
      received.push({ method, params });
      const evse = protocol === 'ocpp1.6' ? params.connectorId : params.evseId;
      if (evse === 2) return { status: 'Occupied' };
      held.add(protocol === 'ocpp1.6' ? params.reservationId : params.id);
      return { status: 'Accepted' };
    });
    client.handle('CancelReservation', async ({ method, params }: any) => {
      received.push({ method, params });
      return { status: held.delete(params.reservationId) ? 'Accepted' : 'Rejected' };
    });
    const boot =
      protocol === 'ocpp1.6'
        ? await client.call('BootNotification', { chargePointVendor: 'RpcVendor', chargePointModel: 'RpcModel' })
        : await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'RpcVendor', model: 'RpcModel' } });
    assert.equal((boot as { status: string }).status, 'Accepted');
    return { client, received };
  }

  test('OCPP 1.6: ReserveNow accepted and refused, CancelReservation, StartTransaction with the reservation id', async () => {
    const { client, received } = await station('RES-RPC-16', 'ocpp1.6');
    const expiresAt = inMinutes(20);
    const active = (await reserve(server, 'RES-RPC-16', { evseId: 1, idToken: 'RPC-TAG', groupIdToken: 'RPC-PARENT', expiresAt })).body;
    assert.deepEqual([active.command.state, active.reservation.state], ['accepted', 'active']);
    assert.deepEqual(received[0], {
      method: 'ReserveNow',
      params: { connectorId: 1, expiryDate: new Date(expiresAt).toISOString(), idTag: 'RPC-TAG', parentIdTag: 'RPC-PARENT', reservationId: active.reservation.id },
    });
    const refused = (await reserve(server, 'RES-RPC-16', { evseId: 2, idToken: 'RPC-TAG', expiresAt })).body.reservation;
    assert.deepEqual([refused.state, refused.reason], ['refused', 'Occupied']);

    const toCancel = (await reserve(server, 'RES-RPC-16', { idToken: 'RPC-TAG-2', expiresAt })).body.reservation;
    assert.equal(received.at(-1)?.params.connectorId, 0, 'any connector is connector 0');
    const cancelled = (await server.api('DELETE', `/api/v1/reservations/${toCancel.id}?wait=5`)).body;
    assert.deepEqual([cancelled.command.state, cancelled.reservation.state], ['accepted', 'cancelled']);
    assert.deepEqual(received.at(-1), { method: 'CancelReservation', params: { reservationId: toCancel.id } });

    const started = (await client.call('StartTransaction', {
      connectorId: 1, idTag: 'RPC-TAG', meterStart: 100, timestamp: new Date().toISOString(), reservationId: active.reservation.id,
    })) as { transactionId: number };
    const used = await reservationIn(server, active.reservation.id, 'used');
    const tx = (await server.api('GET', `/api/v1/transactions/${used.transactionId}`)).body;
    assert.equal(tx.ocppTransactionId, String(started.transactionId));
  });

  test('OCPP 2.0.1: ReserveNow, ReservationStatusUpdate Expired, TransactionEvent with the reservation id, hostile updates', async () => {
    const { client, received } = await station('RES-RPC-201', 'ocpp2.0.1');
    const expiresAt = inMinutes(20);
    const first = (await reserve(server, 'RES-RPC-201', { evseId: 1, idToken: 'RPC-TOKEN', idTokenType: 'ISO14443', expiresAt })).body.reservation;
    assert.equal(first.state, 'active');
    assert.deepEqual(received[0], {
      method: 'ReserveNow',
      params: { id: first.id, expiryDateTime: new Date(expiresAt).toISOString(), idToken: { idToken: 'RPC-TOKEN', type: 'ISO14443' }, evseId: 1 },
    });
    assert.deepEqual(await client.call('ReservationStatusUpdate', { reservationId: first.id, reservationUpdateStatus: 'Expired' }), {});
    assert.deepEqual([(await reservation(server, first.id)).state, (await reservation(server, first.id)).reason], ['expired', 'Expired']);

    const byType = (await reserve(server, 'RES-RPC-201', { connectorType: 'cCCS2', idToken: 'RPC-TOKEN', expiresAt })).body.reservation;
    assert.equal(byType.state, 'active');
    assert.deepEqual(received.at(-1)?.params.connectorType, 'cCCS2');
    const now = new Date().toISOString();
    await client.call('TransactionEvent', {
      eventType: 'Started', timestamp: now, triggerReason: 'Authorized', seqNo: 0, reservationId: byType.id,
      transactionInfo: { transactionId: 'RPC-TX-1' }, evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'RPC-TOKEN', type: 'ISO14443' },
    });
    const used = await reservationIn(server, byType.id, 'used');
    assert.equal((await server.api('GET', `/api/v1/transactions/${used.transactionId}`)).body.ocppTransactionId, 'RPC-TX-1');

    // Hostile: ids nobody holds, including one at the schema's integer edge, are answered and change nothing.
    for (const reservationId of [0, 2_147_483_647, used.id]) {
      assert.deepEqual(await client.call('ReservationStatusUpdate', { reservationId, reservationUpdateStatus: 'Removed' }), {});
    }
    assert.equal((await reservation(server, used.id)).state, 'used', 'a used reservation is not removed afterwards');
  });
});
