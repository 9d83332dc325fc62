// The Spend view's two small charts, drawn as plain SVG (no chart library): what was spent each
// day of the last 30 (bars, each with its figure on hover), and the balance as GenQueue read it
// over time (a line). Coloured by the theme's tokens, so both themes read alike.
import type { ReactNode } from 'react';
import type { BalanceReading, SpendLine } from '../../../main/contract/money.ts';
import { formatUsd } from '../../../main/contract/money.ts';
import { plural } from '../lib/format.ts';

/** Each chart's own width in viewBox units, near its width on screen, so labels keep their size. */
const DAYS_W = 600;
const BALANCE_W = 400;
const H = 170;
const PAD = { top: 12, right: 8, bottom: 22, left: 48 };
const innerH = H - PAD.top - PAD.bottom;

/** "3 May" from "2026-05-03". */
function dayLabel(key: string): string {
  const [year, month, day] = key.split('-').map(Number);
  return new Date(year ?? 0, (month ?? 1) - 1, day ?? 1).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
  });
}

/** A chart's frame: the SVG at its own width, the baseline, and the top and bottom figures. */
function Chart(props: {
  width: number;
  label: string;
  top: string;
  bottom?: string;
  children: ReactNode;
}) {
  const { width, label, top, bottom = '$0', children } = props;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${H}`} role="img" aria-label={label}>
      <line
        className="chart-axis"
        x1={PAD.left}
        x2={width - PAD.right}
        y1={H - PAD.bottom}
        y2={H - PAD.bottom}
      />
      <text className="chart-label" x={PAD.left - 6} y={PAD.top + 4} textAnchor="end">
        {top}
      </text>
      <text className="chart-label" x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end">
        {bottom}
      </text>
      {children}
    </svg>
  );
}

/** A reading's moment, short: "07/12/2026, 06:20". */
function moment(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export function DayBars({ days }: { days: readonly SpendLine[] }) {
  const most = Math.max(...days.map((day) => day.usd), 0);
  const step = (DAYS_W - PAD.left - PAD.right) / Math.max(1, days.length);
  return (
    <Chart width={DAYS_W} label="Spend per day, last 30 days" top={formatUsd(most)}>
      {days.map((day, i) => {
        // A day that spent anything stays visible, however small beside the most.
        const height = Math.max(most > 0 ? (day.usd / most) * innerH : 0, day.usd > 0 ? 1 : 0);
        const x = PAD.left + i * step + step * 0.15;
        return (
          <rect
            key={day.key}
            className={day.usd > 0 ? 'chart-bar' : 'chart-bar empty'}
            x={x}
            y={H - PAD.bottom - height}
            width={step * 0.7}
            height={height}
          >
            <title>{`${dayLabel(day.key)}: ${formatUsd(day.usd)} (${plural(day.tasks, 'task')})`}</title>
          </rect>
        );
      })}
      {days.map((day, i) =>
        (i % 7 === 0 && i < days.length - 4) || i === days.length - 1 ? (
          <text
            key={day.key}
            className="chart-label"
            x={PAD.left + (i + 0.5) * step}
            y={H - 6}
            textAnchor="middle"
          >
            {dayLabel(day.key)}
          </text>
        ) : null,
      )}
    </Chart>
  );
}

/** The readings that say an amount: what the balance line draws (it needs two). */
export function chartedReadings(history: readonly BalanceReading[]): BalanceReading[] {
  return history.filter((reading) => reading.remaining !== null);
}

export function BalanceLine({ history }: { history: readonly BalanceReading[] }) {
  const points = chartedReadings(history);
  if (points.length < 2) return null;
  const first = points[0]!.at;
  const span = Math.max(1, points.at(-1)!.at - first);
  const values = points.map((reading) => reading.remaining ?? 0);
  // Between the lowest and highest reading, so a few cents spent still show as a slope.
  const high = Math.max(...values);
  const low = Math.min(...values);
  const range = high - low || Math.max(0.01, high * 0.01);
  const xy = points.map((reading) => {
    const x = PAD.left + ((reading.at - first) / span) * (BALANCE_W - PAD.left - PAD.right);
    const y = H - PAD.bottom - (((reading.remaining ?? 0) - low) / range) * innerH;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return (
    <Chart
      width={BALANCE_W}
      label="Balance over time"
      top={formatUsd(high)}
      bottom={formatUsd(low)}
    >
      <polyline className="chart-line" points={xy.join(' ')} />
      <text className="chart-label" x={PAD.left} y={H - 6}>
        {moment(first)}
      </text>
      <text className="chart-label" x={BALANCE_W - PAD.right} y={H - 6} textAnchor="end">
        {moment(points.at(-1)!.at)}
      </text>
    </Chart>
  );
}
