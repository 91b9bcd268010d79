/**
 * The read-model (projection) store port. Read models are tables in the evidence store's own database,
 * built from the evidence by one projector at a time (infra/projections/projection-runner.ts), each batch
 * of row changes committed in the same transaction as the checkpoint, so a crash never leaves rows and
 * checkpoint disagreeing and a rebuild from position 0 gives the same rows.
 *
 * A read model is declared once (ReadModelDefinition: pure functions from an event to row changes plus the
 * columns it can be filtered on); both adapters (SQLite, PostgreSQL) store any definition the same way:
 * key, the row as JSON, the fold state as JSON, and one SQL column per declared column.
 */
import type { JsonValue, RecordedEvidenceEvent } from './event-store.port';

/**
 * `text` and `integer` are plain columns; `json-list` holds a list of strings and answers `overlaps`.
 * An `orderable` column is never null (the projector refuses rows where it is), so it can order pages.
 */
export interface ReadModelColumn<Row> {
  name: string;
  type: 'text' | 'integer' | 'json-list';
  orderable?: boolean;
  value(row: Row): string | number | null | string[];
}

/** A row and the fold state it was derived from (the state is never served, only folded further). */
export interface Projected<Row, State> {
  row: Row;
  state: State;
}

export interface ReadModelDefinition<Row, State> {
  /** Lower-case identifier; the table is `rm_<name>`. */
  name: string;
  /** Bump when rows or columns change meaning: the projector then rebuilds every read model from 0. */
  version: number;
  columns: ReadModelColumn<Row>[];
  /** Extra indexes, each a list of column names. */
  indexes?: string[][];
  /** The row this event concerns, or null when it concerns none. Pure. */
  keyOf(event: RecordedEvidenceEvent): string | null;
  /** The row after the event (null: delete / no row). Pure and deterministic: rebuilds depend on it. */
  apply(current: Projected<Row, State> | null, event: RecordedEvidenceEvent): Projected<Row, State> | null;
  /**
   * Rows this model serves besides its own, derived from another model's fold (one stream, many rows:
   * the open tasks a nonconformity's state implies, say). Stored in this model's table, filtered and
   * paged with its own rows.
   */
  derived?: readonly DerivedRows<Row>[];
}

/**
 * Rows derived from the rows of another read model of the same store (`from`). Once a batch is folded,
 * every row derived from a row of `from` that the batch changed is replaced by `rowsOf(it)` (and removed
 * when it is removed). Derived rows keep no fold state of their
 * own: `from` holds it. Their keys must not collide with the model's own keys or other sources' rows
 * (prefix them with the source key).
 */
export interface DerivedRows<Row> {
  from: AnyReadModel;
  /** The rows one source row (and its fold state) implies. Pure and deterministic. */
  rowsOf(source: Projected<unknown, unknown>, sourceKey: string): Array<{ key: string; row: Row }>;
}

/** Any read model, whatever its row and state types (methods are bivariant, so every definition fits). */
export type AnyReadModel = ReadModelDefinition<unknown, unknown>;

export type ReadModelCondition =
  | { column: string; op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { column: string; op: 'in'; values: Array<string | number> }
  | { column: string; op: 'isNull' | 'notNull' }
  /** A json-list column shares at least one element with `values`. */
  | { column: string; op: 'overlaps'; values: string[] }
  | { op: 'or'; conditions: ReadModelCondition[] };

export interface ReadModelQuery {
  where?: ReadModelCondition[];
  /** An orderable column; default: the key. Ties are broken by the key. */
  orderBy?: string;
  descending?: boolean;
  /** 1..1000. */
  limit: number;
  /** The `nextCursor` of the previous page. */
  after?: string;
}

export interface ReadModelScan {
  where?: ReadModelCondition[];
  /** Rows fetched per round trip (1..1000, default 500): memory is bounded by it, not by the table. */
  pageSize?: number;
}

export interface ReadModelPage<Row> {
  items: Row[];
  /** null when this is the last page. */
  nextCursor: string | null;
}

export interface ProjectionStatus {
  /** Last global position folded into the read models. */
  checkpoint: number;
  /** Which definitions (name@version) the rows were built with. */
  fingerprint: string;
  updatedAt: string | null;
}

/** Summary of one committed batch. */
export interface AppliedBatch {
  checkpoint: number;
  rowsChanged: number;
  /** Events a read model could not fold (malformed data): skipped for that model, deterministically. */
  skipped: Array<{ position: number; model: string; error: string }>;
}

/**
 * The right to project, held by one projector per store: a PostgreSQL session advisory lock (released
 * by the server if the process dies) or, on SQLite, a lease row that expires unless renewed.
 */
export interface ProjectorLease {
  readonly holder: string;
  /**
   * Makes the stored read models match the definitions (recreating them and resetting the checkpoint to
   * 0 when a definition was added, removed or changed version); returns the checkpoint to resume from.
   */
  prepare(): Promise<number>;
  /**
   * Folds events (in position order, right after `expectedCheckpoint`) into the rows and moves the
   * checkpoint, in one transaction. Errors: ProjectionCheckpointMovedError (someone reset the
   * projections: resume from the stored checkpoint), ProjectorLeaseLostError.
   */
  applyBatch(expectedCheckpoint: number, events: RecordedEvidenceEvent[]): Promise<AppliedBatch>;
  /** false when the lease was lost (expired and taken, or the connection is gone). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

export interface ReadModelStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly models: readonly AnyReadModel[];
  status(): Promise<ProjectionStatus>;
  get<Row>(model: ReadModelDefinition<Row, unknown>, key: string): Promise<Row | null>;
  /** Errors: InvalidReadModelQueryError (unknown column, bad cursor, limit out of range). */
  query<Row>(model: ReadModelDefinition<Row, unknown>, query: ReadModelQuery): Promise<ReadModelPage<Row>>;
  /**
   * Every matching row with its fold state, in key order, fetched a page at a time (for aggregates such as
   * the clause 9.1 measures, which need the whole state rather than the served row). Each page is read on
   * its own, so a scan that runs while the projector writes may see some rows before and others after a
   * batch. Errors: InvalidReadModelQueryError (unknown column, page size out of range).
   */
  scan<Row, State>(model: ReadModelDefinition<Row, State>, options?: ReadModelScan): AsyncIterable<Projected<Row, State>>;
  /** Empties every read model and sets the checkpoint to 0, in one transaction; the projector rebuilds. */
  reset(): Promise<void>;
  /** The lease, or null when another projector holds it. */
  tryLead(holder: string, options?: { leaseMs?: number }): Promise<ProjectorLease | null>;
  /**
   * Resolves true once the read models, built with this store's definitions, include `position`; false
   * after `timeoutMs`.
   */
  waitForCheckpoint(position: number, timeoutMs: number): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type { JsonValue };
