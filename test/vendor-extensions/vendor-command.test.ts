/**
 * Outbound: the vendorCommand renders a profile's command template into a DataTransfer that
 * reaches the simulated station (1.6: data as a JSON string; 2.0.1: as an object), with the
 * station's answer on the command. Wrong parameters, unknown profiles and commands are refused
 * at submission with invalid-input, before anything is queued.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { recordingStation, submit, type RecordingStation } from '../commands/command-support.ts';
import { screenHandler, type ScreenContent } from '../../sim/sim-vendor.ts';
import { exampleProfile } from './vendor-support.ts';

describe('vendorCommand', () => {
  let server: TestServer;
  const recordings: RecordingStation[] = [];

  before(async () => {
    server = await startTestServer({ ocpp: { callTimeoutSec: 3 } } as any);
    assert.equal((await server.api('POST', '/api/v1/vendor-profiles', exampleProfile('advertising-screen'))).status, 201);
  });
  after(async () => {
    await Promise.allSettled(recordings.map((r) => r.stop()));
    await server?.stop();
  });

  async function screen(id: string, version: '1.6' | '2.0.1'): Promise<{ rec: RecordingStation; shown: ScreenContent[] }> {
    const rec = recordingStation(server, id, version);
    recordings.push(rec);
    const shown: ScreenContent[] = [];
    rec.station.handle('DataTransfer', screenHandler((content) => shown.push(content)));
    await rec.station.start();
    return { rec, shown };
  }

  const body = { type: 'vendorCommand', profileId: 'example-advertising-screen', command: 'setScreenContent', parameters: { url: 'https://ads.example/spring.mp4', duration: 30, slot: 2 } };

  for (const version of ['1.6', '2.0.1'] as const) {
    test(`${version}: the rendered DataTransfer reaches the station and its answer settles the command`, async () => {
      const { rec, shown } = await screen(`VX-CMD-${version.replace(/\./g, '')}`, version);
      const answer = await submit(server, rec.station.id, body, 5);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual([answer.body.state, answer.body.response.status], ['accepted', 'Accepted']);
      const expected = { url: 'https://ads.example/spring.mp4', durationSec: 30, slot: 2 };
      assert.deepEqual(shown, [expected]);
      const call = rec.calls.find((c) => c.action === 'DataTransfer');
      assert.deepEqual(call?.payload, {
        vendorId: 'com.example.screens',
        messageId: 'SetScreenContent',
        data: version === '1.6' ? JSON.stringify(expected) : expected,
      });
    });
  }

  test('a station that does not know the vendor rejects it; the command says so', async () => {
    const rec = recordingStation(server, 'VX-CMD-PLAIN', '2.0.1');
    recordings.push(rec);
    await rec.station.start();
    const answer = await submit(server, rec.station.id, body, 5);
    assert.deepEqual([answer.body.state, answer.body.response.status], ['rejected', 'UnknownVendorId']);
  });

  test('refused at submission: unknown profile, unknown command, parameters failing their schema, missing parameters', async () => {
    const { rec } = await screen('VX-CMD-BAD', '2.0.1');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...body, profileId: 'nope' }, /no vendor profile nope/],
      [{ ...body, command: 'explode' }, /no outbound command explode/],
      [{ ...body, parameters: { ...body.parameters, slot: 99 } }, /slot must be <= 15/],
      [{ ...body, parameters: { url: 'https://ads.example/x.mp4' } }, /must have required property/],
      [{ ...body, parameters: { ...body.parameters, url: 'not a uri' } }, /must match format/],
      [{ ...body, profileId: '../etc' }, /profileId/],
    ];
    for (const [request, message] of cases) {
      const answer = await submit(server, rec.station.id, request);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.match(answer.body.detail ?? JSON.stringify(answer.body.errors), message);
    }
    assert.equal(rec.calls.filter((c) => c.action === 'DataTransfer').length, 0, 'nothing was sent');
    assert.equal((await server.api('GET', `/api/v1/stations/${rec.station.id}/commands`)).body.total, 0, 'nothing was queued');
  });

  test("another tenant's profile cannot be used for a station", async () => {
    assert.equal((await server.api('POST', '/api/v1/tenants', { id: 'vc', name: 'C' })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/stations', { id: 'VX-CMD-C', tenantId: 'vc' })).status, 201);
    const answer = await submit(server, 'VX-CMD-C', body);
    assert.equal(answer.status, 400);
    assert.match(answer.body.detail, /no vendor profile/);
  });
});
