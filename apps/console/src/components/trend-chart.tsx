/**
 * A measure's trend drawn with recharts: the recorded values over time, each point marked on or off
 * target, with the target as a reference line. Loaded only through components/trend.tsx (a lazy chunk),
 * so recharts stays out of the console's first download. The chart is a picture (role="img" with a
 * summary for its name); the same figures are in the table each page shows beside it.
 */
import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrendChartProps, TrendPoint } from './trend';

const INK = '#1b1f24';
const MUTED = '#4a5561';
const LINE = '#c9d1d9';
const ACCENT = '#0b5cad';
const OK = '#17602d';
const DANGER = '#a4161a';

const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const MOMENT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

type Row = { t: number; value: number | null; onTarget: boolean | null };

/** On target: a filled circle; off target: a hollow square (told apart by shape as well as colour). */
function Mark({ cx, cy, row, index }: { cx?: number; cy?: number; row: Row; index: number }): ReactNode {
  if (cx === undefined || cy === undefined || row.value === null) return <g key={index} />;
  if (row.onTarget === false)
    return <rect key={index} x={cx - 5} y={cy - 5} width={10} height={10} fill="#ffffff" stroke={DANGER} strokeWidth={2} />;
  return <circle key={index} cx={cx} cy={cy} r={5} fill={row.onTarget === true ? OK : ACCENT} stroke="#ffffff" strokeWidth={1} />;
}

export default function TrendChart({ points, target, label, format, wholeNumbers = false }: TrendChartProps) {
  const rows: Row[] = points.map((p: TrendPoint) => ({ t: new Date(p.at).getTime(), value: p.value, onTarget: p.onTarget }));
  const first = rows[0]?.t ?? 0;
  const last = rows[rows.length - 1]?.t ?? 0;
  // Ticks as days when the points span more than a day, else with the time of day.
  const tick = (t: number) => (last - first > 86_400_000 ? DAY : MOMENT).format(new Date(t));
  const shown = (v: unknown) => (typeof v === 'number' ? format(v) : 'no value');
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={rows} role="img" aria-label={label} accessibilityLayer={false} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid stroke={LINE} strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={first === last ? [first - 3_600_000, last + 3_600_000] : ['dataMin', 'dataMax']}
          tickFormatter={tick}
          stroke={MUTED}
          tick={{ fill: INK }}
        />
        {/* Padded, so a target on the domain's edge is not hidden under the axis line. */}
        <YAxis
          tickFormatter={(v: number) => format(v)}
          allowDecimals={!wholeNumbers}
          padding={{ top: 12, bottom: 12 }}
          stroke={MUTED}
          tick={{ fill: INK }}
          width={64}
        />
        {target !== null && (
          <ReferenceLine
            y={target}
            stroke={DANGER}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{ value: `target ${format(target)}`, position: 'insideBottomRight', fill: INK }}
          />
        )}
        <Tooltip
          labelFormatter={(t: unknown) => (typeof t === 'number' ? MOMENT.format(new Date(t)) : '')}
          formatter={(v) => [shown(v), 'value']}
        />
        <Line
          type="linear"
          dataKey="value"
          stroke={ACCENT}
          strokeWidth={2}
          isAnimationActive={false}
          connectNulls={false}
          dot={(p) => <Mark key={p.index} cx={p.cx} cy={p.cy} row={rows[p.index]} index={p.index} />}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
