/**
 * A LIMIT clause with its row count written into the SQL, never bound as a parameter. SQLite (3.53, as
 * better-sqlite3 12 bundles it) plans with a bound LIMIT's value and marks the statement to be compiled
 * again whenever that parameter is bound, which is on every run: a cached statement with `LIMIT ?` was
 * compiled anew each time it ran (`sqlite3Reprepare` under `sqlite3_step`, seen in `perf` of the API under
 * `bench:api`): a stream's last event took 25 µs with it, 15 µs without. The count is checked to be a whole
 * number, so the text cannot carry anything else; each count is its own statement in the caches, which are
 * bounded.
 */
export function sqlLimit(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`a LIMIT must be a whole number of rows, not ${String(rows)}`);
  return `LIMIT ${rows}`;
}
