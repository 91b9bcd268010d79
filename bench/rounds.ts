/**
 * Shared round and statistics code for the benches: rounds alternate which side runs first (so neither
 * always gets the warmer or the quieter machine), and every figure is reported as median with min–max.
 */

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The nearest-rank percentile of ascending values: the smallest value with at least p% of them at or below it. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error('spread of no values');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** "median (min–max)" with the given formatter. */
export function formatSpread(s: Spread, format: (n: number) => string): string {
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

/**
 * Runs `rounds` rounds of an engine-versus-baseline comparison. Odd rounds run the engine first, even
 * rounds the baseline first; `fresh` gives each round its own state, disposed of after it.
 */
export async function alternatingRounds<S>(
  rounds: number,
  fresh: (round: number) => Promise<S & { drop(): Promise<void> }>,
  engine: (state: S, round: number) => Promise<number>,
  baseline: (state: S, round: number) => Promise<number>,
): Promise<{ engine: number[]; baseline: number[]; ratios: number[] }> {
  const e: number[] = [];
  const b: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const state = await fresh(round);
    try {
      if (round % 2 === 1) {
        e.push(await engine(state, round));
        b.push(await baseline(state, round));
      } else {
        b.push(await baseline(state, round));
        e.push(await engine(state, round));
      }
    } finally {
      await state.drop();
    }
  }
  return { engine: e, baseline: b, ratios: e.map((x, i) => x / b[i]) };
}

/**
 * Like `alternatingRounds` for any number of sides: round r starts with side r - 1 (mod the number of
 * sides) and goes on in order, so over as many rounds as there are sides each side runs first once (and in
 * each position once). Returns each side's figures in round order.
 */
export async function rotatingRounds<S, K extends string>(
  rounds: number,
  fresh: (round: number) => Promise<S & { drop(): Promise<void> }>,
  sides: Record<K, (state: S, round: number) => Promise<number>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const results = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 1; round <= rounds; round++) {
    const state = await fresh(round);
    try {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round - 1 + k) % names.length];
        results[name].push(await sides[name](state, round));
      }
    } finally {
      await state.drop();
    }
  }
  return results;
}
