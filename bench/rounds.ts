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
