/** Numbers and times as operators read them. */

export function formatEnergy(wh: number | null | undefined): string {
  if (wh === null || wh === undefined) return '—';
  if (Math.abs(wh) < 1000) return `${Math.round(wh)} Wh`;
  if (Math.abs(wh) < 1_000_000) return `${(wh / 1000).toFixed(wh < 100_000 ? 2 : 1)} kWh`;
  return `${(wh / 1_000_000).toFixed(2)} MWh`;
}

export function formatPower(w: number | null | undefined): string {
  if (w === null || w === undefined) return '—';
  if (Math.abs(w) < 1000) return `${Math.round(w)} W`;
  return `${(w / 1000).toFixed(1)} kW`;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "—" for no time. */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 0) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Local date and time, to the second, in a fixed sortable shape. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(fromIso: string | null, toIso: string | null, now: number = Date.now()): string {
  if (!fromIso) return '—';
  const ms = (toIso ? Date.parse(toIso) : now) - Date.parse(fromIso);
  if (ms < 0) return '—';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
