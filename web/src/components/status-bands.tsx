/** Connector statuses over the last hours as horizontal bands (SVG); each segment names its status on hover and in the text list below. */
import { statusBands } from '../lib/status-bands.ts';
import { statusLook } from '../lib/status.ts';
import type { StatusHistoryEntry } from '../lib/types.ts';

const ROW = 26;
const LABEL = 110;
const WIDTH = 760;

export function StatusBands({ history, hours = 6, now = Date.now() }: { history: StatusHistoryEntry[]; hours?: number; now?: number }) {
  // The window starts at the oldest report it has, at most `hours` back: a new station fills the width.
  const oldest = Math.min(...history.map((e) => Date.parse(e.reportedAt)));
  const from = Math.min(now - 60_000, Math.max(now - hours * 3_600_000, oldest));
  const bands = statusBands(history, from, now);
  if (bands.length === 0) return null;
  const x = (t: number) => LABEL + ((t - from) / (now - from)) * (WIDTH - LABEL - 4);
  const height = bands.length * ROW + 20;
  const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return (
    <svg className="bands" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`Connector statuses since ${time(from)}; the list below has every change`}>
      {bands.map((band, row) => (
        <g key={band.key} transform={`translate(0 ${row * ROW})`}>
          <text x={0} y={ROW / 2 + 4} className="chart-label">
            {band.label}
          </text>
          {band.segments.map((s, i) => {
            const look = statusLook(s.status);
            return (
              <rect key={i} x={x(s.start)} y={3} width={Math.max(1, x(s.end) - x(s.start))} height={ROW - 8} className={`band tone-${look.tone}`}>
                <title>{`${look.label}: ${time(s.start)} – ${time(s.end)}`}</title>
              </rect>
            );
          })}
        </g>
      ))}
      <text x={LABEL} y={height - 4} className="chart-label">
        {time(from)}
      </text>
      <text x={WIDTH - 4} y={height - 4} textAnchor="end" className="chart-label">
        now
      </text>
    </svg>
  );
}
