/**
 * The warnings an operator needs on a session, in words: the server's flags
 * plus what the view can tell from the numbers. `estimated` is derived here
 * (the API has no such flag): the energy is not from a start and a stop
 * reading the station sent. `stuck` comes from the server when its
 * stuck-transaction detection flags a session.
 */
import type { Transaction } from './types.ts';

export interface Marker {
  key: string;
  label: string;
  explanation: string;
}

const SERVER_FLAGS: Record<string, [string, string]> = {
  'invalid-token-offline': ['invalid token (offline)', 'started while offline with a token that is not accepted now; kept and billed'],
  'unauthorized-token': ['unauthorized token', 'started with a token that was not accepted'],
  'missing-start': ['start missing', 'the start of this session was never received'],
  'seqno-gap': ['messages missing', 'sequence numbers are missing: the station may still hold queued messages'],
  'meter-went-backwards': ['meter went backwards', 'the stop or last reading is below the start reading'],
  stuck: ['stuck', 'no news from the station about this running session for too long'],
};

export function sessionMarkers(tx: Transaction): Marker[] {
  const out: Marker[] = [];
  if (tx.offline) out.push({ key: 'offline', label: 'offline', explanation: 'part of the session happened while the station was offline; its messages were replayed later' });
  const estimated =
    tx.meterStartWh === null
      ? 'no start reading: energy cannot be known exactly'
      : tx.state === 'completed' && tx.meterStopWh === null && tx.lastMeterWh !== null
        ? 'no stop reading: energy is up to the last meter value received'
        : null;
  if (estimated) out.push({ key: 'estimated', label: 'estimated', explanation: estimated });
  for (const flag of tx.flags) {
    const [label, explanation] = SERVER_FLAGS[flag] ?? [flag, flag];
    out.push({ key: flag, label, explanation });
  }
  return out;
}
