/**
 * SQL for storing any read-model definition, in the two dialects. Identifiers come only from validated
 * definitions (never from callers); every caller-supplied value travels as a parameter.
 *
 * Each read model is a table `rm_<name>`: rm_key (primary key), rm_doc (the row as JSON, what readers get),
 * rm_state (the fold state as JSON, what the projector continues from) and one column per declared column.
 */
import type {
  AnyReadModel,
  Projected,
  ReadModelColumn,
  ReadModelCondition,
  ReadModelQuery,
  ReadModelScan,
} from '../ports/read-model-store.port';
import type { BatchOutcome } from './project-batch';
import { InvalidReadModelDefinitionError, InvalidReadModelQueryError } from './projection-errors';
import { serialize } from './read-model-serialization';
import { sqlLimit } from '../sql/sql-limit';

export const MAX_PAGE_LIMIT = 1000;
const IDENTIFIER = /^[a-z][a-z0-9_]{0,40}$/;
const RESERVED = new Set(['rm_key', 'rm_doc', 'rm_state', 'rm_group']);

export interface SqlDialect {
  readonly kind: 'sqlite' | 'postgres';
  /** The n-th (1-based) parameter. */
  param(n: number): string;
  /** The n-th parameter where a json-list column value is written. */
  listColumnParam(n: number): string;
  columnType(type: ReadModelColumn<unknown>['type']): string;
  keyType: string;
  docType: string;
  /** `column` shares an element with the list passed as parameter `param`. */
  overlaps(column: string, param: string): string;
  /** How a list of strings is passed as one parameter. */
  listValue(values: string[]): unknown;
  /** `rm_key` is one of the list passed as parameter `param`. */
  keyIn(param: string): string;
}

export const SQLITE_DIALECT: SqlDialect = {
  kind: 'sqlite',
  param: () => '?',
  listColumnParam: () => '?',
  columnType: (type) => (type === 'integer' ? 'INTEGER' : 'TEXT'),
  keyType: 'TEXT',
  docType: 'TEXT',
  overlaps: (column, param) => `EXISTS (SELECT 1 FROM json_each(${column}) AS l WHERE l.value IN (SELECT value FROM json_each(${param})))`,
  listValue: (values) => JSON.stringify(values),
  keyIn: (param) => `rm_key IN (SELECT value FROM json_each(${param}))`,
};

export const POSTGRES_DIALECT: SqlDialect = {
  kind: 'postgres',
  param: (n) => `$${n}`,
  listColumnParam: (n) => `$${n}::jsonb`,
  columnType: (type) => (type === 'integer' ? 'bigint' : type === 'json-list' ? 'jsonb' : 'text COLLATE "C"'),
  keyType: 'text COLLATE "C"',
  docType: 'text',
  overlaps: (column, param) => `${column} ?| ${param}::text[]`,
  listValue: (values) => values,
  keyIn: (param) => `rm_key = ANY(${param}::text[])`,
};

export function tableOf(model: AnyReadModel): string {
  return `rm_${model.name}`;
}

/** Refuses definitions whose names could not be used safely as SQL identifiers. */
export function validateDefinitions(models: readonly AnyReadModel[]): void {
  const names = new Set<string>();
  for (const model of models) {
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(model.name))
      throw new InvalidReadModelDefinitionError(model.name, 'name must be lower-case letters, digits and _');
    if (names.has(model.name)) throw new InvalidReadModelDefinitionError(model.name, 'defined twice');
    names.add(model.name);
    if (!Number.isSafeInteger(model.version) || model.version < 1)
      throw new InvalidReadModelDefinitionError(model.name, 'version must be a whole number from 1');
    const columns = new Set<string>();
    for (const column of model.columns) {
      if (!IDENTIFIER.test(column.name) || RESERVED.has(column.name)) {
        throw new InvalidReadModelDefinitionError(model.name, `column ${JSON.stringify(column.name)} is not a usable name`);
      }
      if (columns.has(column.name)) throw new InvalidReadModelDefinitionError(model.name, `column ${column.name} declared twice`);
      if (column.orderable && column.type === 'json-list')
        throw new InvalidReadModelDefinitionError(model.name, `a json-list column (${column.name}) cannot order pages`);
      columns.add(column.name);
    }
    for (const index of model.indexes ?? []) {
      const unknown = index.filter((c) => !columns.has(c));
      if (index.length === 0 || unknown.length > 0)
        throw new InvalidReadModelDefinitionError(model.name, `index on unknown columns ${unknown.join(', ')}`);
    }
    for (const derivation of model.derived ?? []) {
      if (derivation.from === model || !models.some((m) => m.name === derivation.from.name)) {
        throw new InvalidReadModelDefinitionError(
          model.name,
          `derives rows from ${derivation.from.name}, which is not another model of the store`,
        );
      }
    }
  }
}

/** CREATE TABLE / INDEX statements (idempotent) for one model; `prefix` is '' or a quoted schema and a dot. */
export function createTableStatements(dialect: SqlDialect, model: AnyReadModel, prefix: string): string[] {
  const table = tableOf(model);
  const columns = model.columns.map((c) => `${c.name} ${dialect.columnType(c.type)}${c.orderable ? ' NOT NULL' : ''}`);
  const strict = dialect.kind === 'sqlite' ? ' STRICT' : '';
  // Rows derived from another model's rows name their source group, so a batch can replace the group.
  const group = hasDerivedRows(model) ? [`rm_group ${dialect.keyType}`] : [];
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${prefix}${table} (rm_key ${dialect.keyType} PRIMARY KEY, rm_doc ${dialect.docType} NOT NULL, rm_state ${dialect.docType} NOT NULL${[
      ...group,
      ...columns,
    ]
      .map((c) => `, ${c}`)
      .join('')})${strict}`,
  ];
  const indexes = [
    ...(model.indexes ?? []),
    ...model.columns.filter((c) => c.orderable).map((c) => [c.name, 'rm_key']),
    ...(group.length > 0 ? [['rm_group']] : []),
  ];
  for (const index of indexes) {
    statements.push(`CREATE INDEX IF NOT EXISTS ${table}_${index.join('_')}_idx ON ${prefix}${table} (${index.join(', ')})`);
  }
  return statements;
}

function hasDerivedRows(model: AnyReadModel): boolean {
  return (model.derived?.length ?? 0) > 0;
}

export interface WriteStatement {
  upsertSql: string;
  deleteSql: string;
  /** Deletes every row derived from one source row (only for models with derived rows). */
  deleteGroupSql: string | null;
  /** Parameters of upsertSql for a row (`group`: its source group when it is a derived row). */
  upsertParams(key: string, doc: string, state: string, row: unknown, group?: string | null): unknown[];
}

export function writeStatements(dialect: SqlDialect, model: AnyReadModel, prefix: string): WriteStatement {
  const table = `${prefix}${tableOf(model)}`;
  const grouped = hasDerivedRows(model);
  const fixed = ['rm_key', 'rm_doc', 'rm_state', ...(grouped ? ['rm_group'] : [])];
  const names = [...fixed, ...model.columns.map((c) => c.name)];
  const placeholders = names.map((_, i) => {
    const column = model.columns[i - fixed.length];
    return column?.type === 'json-list' ? dialect.listColumnParam(i + 1) : dialect.param(i + 1);
  });
  const updates = names
    .slice(1)
    .map((n) => `${n} = excluded.${n}`)
    .join(', ');
  return {
    upsertSql: `INSERT INTO ${table} (${names.join(', ')}) VALUES (${placeholders.join(', ')}) ON CONFLICT (rm_key) DO UPDATE SET ${updates}`,
    deleteSql: `DELETE FROM ${table} WHERE rm_key = ${dialect.param(1)}`,
    deleteGroupSql: grouped ? `DELETE FROM ${table} WHERE rm_group = ${dialect.param(1)}` : null,
    upsertParams: (key, doc, state, row, group = null) => [
      key,
      doc,
      state,
      ...(grouped ? [group] : []),
      ...model.columns.map((column) => {
        const value = column.value(row);
        if (column.type === 'json-list') {
          if (!Array.isArray(value)) throw new InvalidReadModelDefinitionError(model.name, `column ${column.name} must be a list`);
          return JSON.stringify(value);
        }
        if (Array.isArray(value)) throw new InvalidReadModelDefinitionError(model.name, `column ${column.name} is not a list column`);
        if (value === null && column.orderable)
          throw new InvalidReadModelDefinitionError(model.name, `orderable column ${column.name} is null for ${key}`);
        return value;
      }),
    ],
  };
}

/**
 * Every statement that writes a batch's outcome, in order, for either store to run in its transaction:
 * each model's changed rows, then each replaced group of derived rows (deleted, then written again).
 */
export function batchWrites(
  dialect: SqlDialect,
  models: readonly AnyReadModel[],
  outcome: BatchOutcome,
  prefix: string,
): { statements: Array<{ sql: string; params: unknown[] }>; rowsChanged: number } {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  let rowsChanged = 0;
  for (const model of models) {
    const write = writeStatements(dialect, model, prefix);
    for (const [key, projected] of outcome.changes.get(model.name) ?? []) {
      rowsChanged++;
      if (projected === null) statements.push({ sql: write.deleteSql, params: [key] });
      else {
        const { doc, state } = serialize(projected);
        statements.push({ sql: write.upsertSql, params: write.upsertParams(key, doc, state, projected.row) });
      }
    }
    for (const [group, rows] of outcome.derived.get(model.name) ?? []) {
      if (write.deleteGroupSql === null)
        throw new InvalidReadModelDefinitionError(model.name, 'derived rows of a model that declares none');
      statements.push({ sql: write.deleteGroupSql, params: [group] });
      for (const { key, row } of rows) {
        rowsChanged++;
        statements.push({ sql: write.upsertSql, params: write.upsertParams(key, JSON.stringify(row), 'null', row, group) });
      }
    }
  }
  return { statements, rowsChanged };
}

type Cursor = [string | number | null, string];

export function encodeCursor(orderValue: string | number | null, key: string): string {
  return Buffer.from(JSON.stringify([orderValue, key] satisfies Cursor), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'string' || typeof value[0] === 'number' || value[0] === null) &&
      typeof value[1] === 'string'
    ) {
      return value as Cursor;
    }
  } catch {
    // reported below
  }
  throw new InvalidReadModelQueryError('cursor', 'is not a cursor this API returned');
}

export interface SelectStatement {
  sql: string;
  params: unknown[];
  /** The column the page is ordered by (rm_key when none), to build the next cursor. */
  orderColumn: ReadModelColumn<unknown> | null;
  limit: number;
}

/**
 * SELECT rm_key, rm_doc[, rm_state][, order column] … for one page; fetches limit + 1 rows to know whether
 * more follow. `withState` adds the fold state (for scans; never served as such).
 */
export function selectPage(
  dialect: SqlDialect,
  model: AnyReadModel,
  query: ReadModelQuery,
  prefix: string,
  options: { withState?: boolean } = {},
): SelectStatement {
  const columns = new Map(model.columns.map((c) => [c.name, c]));
  const params: unknown[] = [];
  const next = (value: unknown): string => {
    params.push(value);
    return dialect.param(params.length);
  };
  const column = (name: string): ReadModelColumn<unknown> => {
    const found = columns.get(name);
    if (!found) throw new InvalidReadModelQueryError('where', `read model ${model.name} has no column ${JSON.stringify(name)}`);
    return found;
  };
  const condition = (c: ReadModelCondition): string => {
    switch (c.op) {
      case 'or':
        return c.conditions.length === 0 ? '1 = 0' : `(${c.conditions.map(condition).join(' OR ')})`;
      case 'eq':
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const op = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' }[c.op];
        return `${column(c.column).name} ${op} ${next(c.value)}`;
      }
      case 'in':
        return c.values.length === 0 ? '1 = 0' : `${column(c.column).name} IN (${c.values.map((v) => next(v)).join(', ')})`;
      case 'isNull':
        return `${column(c.column).name} IS NULL`;
      case 'notNull':
        return `${column(c.column).name} IS NOT NULL`;
      case 'overlaps': {
        const col = column(c.column);
        if (col.type !== 'json-list') throw new InvalidReadModelQueryError('where', `column ${col.name} is not a list`);
        return dialect.overlaps(col.name, next(dialect.listValue(c.values)));
      }
      default: {
        const unreachable: never = c;
        throw new InvalidReadModelQueryError('where', `unknown condition ${JSON.stringify(unreachable)}`);
      }
    }
  };
  if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE_LIMIT) {
    throw new InvalidReadModelQueryError('limit', `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`);
  }
  const orderColumn = query.orderBy === undefined ? null : column(query.orderBy);
  if (orderColumn && !orderColumn.orderable)
    throw new InvalidReadModelQueryError('orderBy', `column ${orderColumn.name} cannot order pages`);
  const where = (query.where ?? []).map(condition);
  const descending = query.descending === true;
  const cmp = descending ? '<' : '>';
  if (query.after !== undefined) {
    const [orderValue, key] = decodeCursor(query.after);
    if (orderColumn) {
      if (orderValue === null) throw new InvalidReadModelQueryError('cursor', 'does not belong to this listing');
      const v1 = next(orderValue);
      const v2 = next(orderValue);
      where.push(`(${orderColumn.name} ${cmp} ${v1} OR (${orderColumn.name} = ${v2} AND rm_key ${cmp} ${next(key)}))`);
    } else {
      where.push(`rm_key ${cmp} ${next(key)}`);
    }
  }
  const direction = descending ? 'DESC' : 'ASC';
  const order = orderColumn ? `${orderColumn.name} ${direction}, rm_key ${direction}` : `rm_key ${direction}`;
  const selected = `rm_key, rm_doc${options.withState ? ', rm_state' : ''}${orderColumn ? `, ${orderColumn.name} AS rm_order` : ''}`;
  const sql = `SELECT ${selected} FROM ${prefix}${tableOf(model)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} ${sqlLimit(query.limit + 1)}`;
  return { sql, params, orderColumn, limit: query.limit };
}

/** Turns the fetched rows (limit + 1 at most) into a page. */
export function toPage<Row>(
  statement: SelectStatement,
  rows: Array<{ rm_key: string; rm_doc: string; rm_order?: string | number | null }>,
): { items: Row[]; nextCursor: string | null } {
  const more = rows.length > statement.limit;
  const page = more ? rows.slice(0, statement.limit) : rows;
  const last = page[page.length - 1];
  const nextCursor =
    more && last
      ? encodeCursor(
          statement.orderColumn
            ? statement.orderColumn.type === 'integer' && last.rm_order != null
              ? Number(last.rm_order)
              : (last.rm_order ?? null)
            : null,
          last.rm_key,
        )
      : null;
  return { items: page.map((r) => JSON.parse(r.rm_doc) as Row), nextCursor };
}

/** Default and largest page of a scan. */
export const DEFAULT_SCAN_PAGE_SIZE = 500;

/**
 * Walks a model's rows (with their fold states) in key order, one page per `fetch`, keeping only the page
 * in memory. `fetch` runs a statement built by `selectPage(..., { withState: true })`.
 */
export async function* scanPages(
  dialect: SqlDialect,
  model: AnyReadModel,
  options: ReadModelScan,
  prefix: string,
  fetch: (statement: SelectStatement) => Promise<Array<{ rm_key: string; rm_doc: string; rm_state: string }>>,
): AsyncGenerator<Projected<unknown, unknown>> {
  const pageSize = options.pageSize ?? DEFAULT_SCAN_PAGE_SIZE;
  let after: string | undefined;
  for (;;) {
    const statement = selectPage(dialect, model, { where: options.where, limit: pageSize, after }, prefix, { withState: true });
    const rows = await fetch(statement);
    const page = rows.slice(0, statement.limit);
    for (const row of page) yield { row: JSON.parse(row.rm_doc) as unknown, state: JSON.parse(row.rm_state) as unknown };
    const last = page[page.length - 1];
    if (rows.length <= statement.limit || last === undefined) return;
    after = encodeCursor(null, last.rm_key);
  }
}
