/** Power and energy of a session over time, drawn as plain SVG (no chart library). */
import { niceMax, pathOf, type ChartSeries, type Frame } from '../lib/meter-chart.ts';
import { formatEnergy, formatPower } from '../lib/format.ts';

const FRAME: Frame = { width: 640, height: 220, padding: 36 };

export function MeterChart({ series }: { series: ChartSeries }) {
  const all = [...series.power, ...series.energy];
  if (all.length === 0) return <p className="muted">No meter values received for this session.</p>;
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const maxPower = niceMax(Math.max(0, ...series.power.map((p) => p.v)));
  const maxEnergy = niceMax(Math.max(0, ...series.energy.map((p) => p.v)));
  const { width, height, padding } = FRAME;
  const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  const lastPower = series.power.at(-1)?.v;
  const lastEnergy = series.energy.at(-1)?.v;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Power up to ${formatPower(maxPower)} and energy up to ${formatEnergy(lastEnergy ?? 0)} over the session`}>
        <rect x={padding} y={padding} width={width - 2 * padding} height={height - 2 * padding} className="chart-bg" />
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={padding} x2={width - padding} y1={padding + (height - 2 * padding) * f} y2={padding + (height - 2 * padding) * f} className="chart-grid" />
        ))}
        <path d={pathOf(series.power, t0, t1, maxPower, FRAME)} className="chart-power" />
        <path d={pathOf(series.energy, t0, t1, maxEnergy, FRAME)} className="chart-energy" />
        <text x={4} y={padding - 8} className="chart-label">
          {formatPower(maxPower)}
        </text>
        <text x={width - 4} y={padding - 8} textAnchor="end" className="chart-label">
          {formatEnergy(maxEnergy)}
        </text>
        <text x={padding} y={height - 10} className="chart-label">
          {time(t0)}
        </text>
        <text x={width - padding} y={height - 10} textAnchor="end" className="chart-label">
          {time(t1)}
        </text>
      </svg>
      <figcaption>
        <span className="legend legend-power">── power (left axis){lastPower !== undefined ? `, now ${formatPower(lastPower)}` : ''}</span>
        <span className="legend legend-energy">- - energy (right axis){lastEnergy !== undefined ? `, ${formatEnergy(lastEnergy)}` : ''}</span>
      </figcaption>
    </figure>
  );
}
