/**
 * How a status looks: always a word and a symbol, colour only as a third
 * cue, so the console reads the same in greyscale or to a colour-blind eye.
 */

export type Tone = 'ok' | 'busy' | 'warn' | 'bad' | 'muted';

export interface StatusLook {
  label: string;
  symbol: string;
  tone: Tone;
}

const LOOKS: Record<string, StatusLook> = {
  Available: { label: 'Available', symbol: '✓', tone: 'ok' },
  Occupied: { label: 'In use', symbol: '⚡', tone: 'busy' },
  Charging: { label: 'Charging', symbol: '⚡', tone: 'busy' },
  Reserved: { label: 'Reserved', symbol: '◷', tone: 'busy' },
  Unavailable: { label: 'Unavailable', symbol: '⊘', tone: 'warn' },
  Faulted: { label: 'Faulted', symbol: '✕', tone: 'bad' },
  Offline: { label: 'Offline', symbol: '○', tone: 'muted' },
  Online: { label: 'Online', symbol: '●', tone: 'ok' },
  Unknown: { label: 'No status yet', symbol: '?', tone: 'muted' },
  // Commands
  queued: { label: 'Queued', symbol: '…', tone: 'muted' },
  sent: { label: 'Sent, waiting for answer', symbol: '→', tone: 'busy' },
  accepted: { label: 'Answered: accepted', symbol: '✓', tone: 'ok' },
  rejected: { label: 'Answered: rejected', symbol: '✕', tone: 'warn' },
  failed: { label: 'Failed', symbol: '!', tone: 'bad' },
  expired: { label: 'Expired (never sent)', symbol: '⌛', tone: 'warn' },
  // Transactions and tokens
  active: { label: 'Running', symbol: '⚡', tone: 'busy' },
  completed: { label: 'Completed', symbol: '■', tone: 'muted' },
  Accepted: { label: 'Accepted', symbol: '✓', tone: 'ok' },
  Blocked: { label: 'Blocked', symbol: '✕', tone: 'bad' },
  Invalid: { label: 'Invalid', symbol: '!', tone: 'warn' },
};

export function statusLook(status: string | null | undefined): StatusLook {
  if (!status) return LOOKS.Unknown as StatusLook;
  return LOOKS[status] ?? { label: status, symbol: '•', tone: 'muted' };
}
