/** Rows as the read-model tables hold them: JSON text for the row and for its fold state. */
import type { Projected } from '../ports/read-model-store.port';

export interface StoredReadModelRow {
  rm_key: string;
  rm_doc: string;
  rm_state: string;
}

export function fromStored(row: StoredReadModelRow): Projected<unknown, unknown> {
  return { row: JSON.parse(row.rm_doc) as unknown, state: JSON.parse(row.rm_state) as unknown };
}

export function serialize(projected: Projected<unknown, unknown>): { doc: string; state: string } {
  // `?? null`: a fold state of undefined would not survive JSON; null reads back the same.
  return { doc: JSON.stringify(projected.row), state: JSON.stringify(projected.state ?? null) };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
