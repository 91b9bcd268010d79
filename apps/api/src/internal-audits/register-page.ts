/**
 * One page of an audit process's register (internal audits, audit programmes, improvements): the read
 * model narrows and orders by its columns (in the order the records began), and each record on the page is
 * folded from its own stream, so the page shows its latest state and memory is bounded by the page.
 */
import type { ReadModelCondition, ReadModelDefinition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';

export type Page<T> = { items: T[]; nextCursor: string | null };
export type PageAsked = { limit: number; cursor?: string };

export async function registerPage<Row, T>(
  readModels: ReadModelStore,
  model: ReadModelDefinition<Row, unknown>,
  where: ReadModelCondition[],
  page: PageAsked,
  read: (row: Row) => Promise<T | null>,
): Promise<Page<T>> {
  const rows = await readModels
    .query<Row>(model, {
      where,
      orderBy: 'first_position',
      limit: page.limit,
      ...(page.cursor === undefined ? {} : { after: page.cursor }),
    })
    .catch(readModelQueryAsBadRequest);
  const items: T[] = [];
  for (const row of rows.items) {
    const record = await read(row);
    if (record !== null) items.push(record);
  }
  return { items, nextCursor: rows.nextCursor };
}

/** `column = value` for each filter given. */
export function equalTo(filters: Array<[column: string, value: string | undefined]>): ReadModelCondition[] {
  return filters.flatMap(([column, value]) => (value === undefined ? [] : [{ column, op: 'eq' as const, value }]));
}
