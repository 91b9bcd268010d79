/**
 * A trend over time, its chart loaded on first use (React.lazy: recharts is a chunk of its own, not part
 * of the first download), in a box of fixed height so nothing below moves when it arrives. The chart's
 * name summarises it; the figures themselves are in the table the page shows with it.
 */
import { lazy, Suspense } from 'react';

export type TrendPoint = { at: string; value: number | null; onTarget: boolean | null };

export type TrendChartProps = {
  points: TrendPoint[];
  /** The reference line, or null when there is none to draw (a measure several objectives share). */
  target: number | null;
  /** The chart's accessible name: what it shows and where it stands. */
  label: string;
  format: (value: number) => string;
  /** A count: the value axis ticks whole numbers only. */
  wholeNumbers?: boolean;
};

const TrendChart = lazy(() => import('./trend-chart'));

export function Trend(props: TrendChartProps & { caption: string }) {
  const { caption, ...chart } = props;
  return (
    <figure className="trend">
      <figcaption>{caption}</figcaption>
      <div className="trend-box">
        <Suspense
          fallback={
            <p className="muted" role="status">
              Loading the chart…
            </p>
          }
        >
          <TrendChart {...chart} />
        </Suspense>
      </div>
    </figure>
  );
}

/** A number as the page shows it: up to four significant decimals, no trailing zeros. */
export const plainNumber = (value: number): string => (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4))));

/** "at least 1" / "at most 0". */
export const targetWords = (direction: string, target: number, format: (value: number) => string = plainNumber): string =>
  `${direction === 'at_most' ? 'at most' : 'at least'} ${format(target)}`;

export const measurementsWord = (n: number): string => `${n} measurement${n === 1 ? '' : 's'}`;
