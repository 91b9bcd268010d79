/**
 * Read models in the evidence store's PostgreSQL schema. Reads use a small pool; the projector holds a
 * session-level advisory lock (PROJECTOR_LOCK_CLASS, schema key) on a dedicated connection and writes every
 * batch through that connection, so when its process dies the server releases the lock and another API
 * process takes over. Each batch also checks (FOR UPDATE) that the checkpoint is where it left it, so even a
 * projector that lost its connection mid-way can never write over another's work.
 */
import { Client, Pool, PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import type { RecordedEvidenceEvent } from '../ports/event-store.port';
import type {
  AnyReadModel,
  AppliedBatch,
  Projected,
  ProjectionStatus,
  ProjectorLease,
  ReadModelDefinition,
  ReadModelPage,
  ReadModelQuery,
  ReadModelScan,
  ReadModelStore,
} from '../ports/read-model-store.port';
import { migratePostgresSchema, quoteSchema, schemaLockKey } from '../sql/postgres-schema';
import { keysTouched, LoadedRows, modelNamesIn, modelsFingerprint, projectBatch } from './project-batch';
import { ProjectionCheckpointMovedError, ProjectorLeaseLostError } from './projection-errors';
import {
  CHECKPOINT_NAME,
  POSTGRES_PROJECTION_MIGRATIONS,
  PROJECTION_MIGRATIONS_TABLE,
  PROJECTOR_LOCK_CLASS,
} from './projection-migrations';
import {
  batchWrites,
  createTableStatements,
  POSTGRES_DIALECT,
  scanPages,
  selectPage,
  tableOf,
  toPage,
  validateDefinitions,
} from './read-model-sql';
import { CheckpointSignal } from './checkpoint-signal';
import { fromStored, StoredReadModelRow } from './read-model-serialization';

type Queryable = Pick<PoolClient, 'query'>;

export class PostgresReadModelStore implements ReadModelStore {
  private readonly fingerprint: string;
  readonly kind = 'postgres' as const;
  private readonly prefix: string;
  private readonly lockKey: number;
  private closed = false;
  private readonly leases = new Set<PostgresProjectorLease>();
  /** NOTIFY'd with every committed batch, so checkpoint waiters in every process wake at once. */
  readonly channel: string;
  /** @internal Woken by this process's projector and by the LISTEN connection. */
  readonly checkpointMoved = new CheckpointSignal();
  private listener: Client | undefined;
  private listenerStarting: Promise<void> | undefined;

  private constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
    readonly schema: string,
    readonly models: readonly AnyReadModel[],
  ) {
    this.prefix = `${quoteSchema(schema)}.`;
    this.lockKey = schemaLockKey(schema);
    this.fingerprint = modelsFingerprint(models);
    this.channel = `aims_projection_${schema}`;
  }

  static async open(options: {
    connectionString: string;
    schema: string;
    models: readonly AnyReadModel[];
    poolSize?: number;
  }): Promise<PostgresReadModelStore> {
    validateDefinitions(options.models);
    const s = quoteSchema(options.schema);
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4, application_name: 'aims-projections' });
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgresSchema(client, {
          family: 'projection',
          schema: options.schema,
          table: PROJECTION_MIGRATIONS_TABLE,
          migrations: POSTGRES_PROJECTION_MIGRATIONS,
        });
        // Same lock as migrations, so two processes creating the tables at once cannot collide.
        await client.query('BEGIN');
        try {
          await client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [PROJECTOR_LOCK_CLASS + 1, schemaLockKey(options.schema)]);
          for (const model of options.models)
            for (const sql of createTableStatements(POSTGRES_DIALECT, model, `${s}.`)) await client.query(sql);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresReadModelStore(pool, options.connectionString, options.schema, options.models);
  }

  async status(): Promise<ProjectionStatus> {
    return statusOn(this.pool, this.prefix);
  }

  async get<Row>(model: ReadModelDefinition<Row, unknown>, key: string): Promise<Row | null> {
    const result = await this.pool.query<{ rm_doc: string }>(`SELECT rm_doc FROM ${this.prefix}${tableOf(model)} WHERE rm_key = $1`, [key]);
    const row = result.rows[0];
    return row ? (JSON.parse(row.rm_doc) as Row) : null;
  }

  async query<Row>(model: ReadModelDefinition<Row, unknown>, query: ReadModelQuery): Promise<ReadModelPage<Row>> {
    const statement = selectPage(POSTGRES_DIALECT, model, query, this.prefix);
    const result = await this.pool.query<{ rm_key: string; rm_doc: string; rm_order?: string | number | null }>(
      statement.sql,
      statement.params,
    );
    return toPage<Row>(statement, result.rows);
  }

  scan<Row, State>(model: ReadModelDefinition<Row, State>, options: ReadModelScan = {}): AsyncIterable<Projected<Row, State>> {
    return scanPages(
      POSTGRES_DIALECT,
      model,
      options,
      this.prefix,
      async (statement) => (await this.pool.query<StoredReadModelRow>(statement.sql, statement.params)).rows,
    ) as AsyncIterable<Projected<Row, State>>;
  }

  async reset(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The checkpoint row first, as the projector does: the same lock order, so no deadlock.
      await client.query(`SELECT position FROM ${this.prefix}projection_checkpoints WHERE name = $1 FOR UPDATE`, [CHECKPOINT_NAME]);
      for (const model of this.models) await client.query(`DELETE FROM ${this.prefix}${tableOf(model)}`);
      await client.query(
        `UPDATE ${this.prefix}projection_checkpoints SET position = 0, fingerprint = '', updated_at = $2 WHERE name = $1`,
        [CHECKPOINT_NAME, new Date().toISOString()],
      );
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(error as Error);
      throw error;
    }
  }

  async tryLead(holder: string): Promise<ProjectorLease | null> {
    if (this.closed) return null;
    const client = new Client({ connectionString: this.connectionString, application_name: `aims-projector ${holder}`.slice(0, 63) });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS locked', [
        PROJECTOR_LOCK_CLASS,
        this.lockKey,
      ]);
      if (result.rows[0]?.locked !== true) {
        await client.end();
        return null;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    const lease = new PostgresProjectorLease(this, client, holder, this.prefix);
    this.leases.add(lease);
    return lease;
  }

  async waitForCheckpoint(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) return false;
      const status = await this.status();
      // Rows built with other definitions (before the projector rebuilt them) are not "at" any position.
      if (status.checkpoint >= position && status.fingerprint === this.fingerprint) return true;
      if (Date.now() >= deadline) return false;
      this.listen();
      await this.checkpointMoved.wait(Math.min(25, Math.max(1, deadline - Date.now())));
    }
  }

  /** Starts (once) the LISTEN connection that wakes checkpoint waiters on other processes' batches. */
  private listen(): void {
    if (this.listener || this.listenerStarting || this.closed) return;
    const client = new Client({ connectionString: this.connectionString, application_name: 'aims-projection-listener' });
    client.on('error', () => {
      // Waiters still look every 25 ms; the next wait listens again.
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    this.listenerStarting = (async () => {
      try {
        await client.connect();
        client.on('notification', () => this.checkpointMoved.moved());
        await client.query(`LISTEN "${this.channel}"`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.listener = client;
      } catch {
        await client.end().catch(() => undefined);
      } finally {
        this.listenerStarting = undefined;
      }
    })();
  }

  async ping(): Promise<void> {
    await this.pool.query(`SELECT position FROM ${this.prefix}projection_checkpoints LIMIT 1`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.leases].map((l) => l.release()));
    await this.listenerStarting;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    await this.pool.end().catch(() => undefined);
  }

  /** @internal */
  forget(lease: PostgresProjectorLease): void {
    this.leases.delete(lease);
  }
}

async function statusOn(db: Queryable, prefix: string): Promise<ProjectionStatus> {
  const result = await db.query<{ position: string; fingerprint: string; updated_at: string | null }>(
    `SELECT position, fingerprint, updated_at FROM ${prefix}projection_checkpoints WHERE name = $1`,
    [CHECKPOINT_NAME],
  );
  const row = result.rows[0];
  return { checkpoint: row ? Number(row.position) : 0, fingerprint: row?.fingerprint ?? '', updatedAt: row?.updated_at ?? null };
}

class PostgresProjectorLease implements ProjectorLease {
  private lost = false;
  private released = false;

  constructor(
    private readonly store: PostgresReadModelStore,
    private readonly client: Client,
    readonly holder: string,
    private readonly prefix: string,
  ) {
    // The lock lives and dies with this session.
    client.on('error', () => (this.lost = true));
    client.on('end', () => (this.lost = true));
  }

  /**
   * One transaction on the lock's session. `opening` statements go with BEGIN and `work`'s `closing` ones
   * with COMMIT, each as one simple query (several statements, no parameters: only our own constants,
   * integers and timestamps, quoted by the driver), so a batch costs no more round trips than it must.
   */
  private async transaction<T>(
    opening: readonly string[],
    work: (opened: readonly QueryResult[]) => Promise<{ value: T; closing?: string }>,
  ): Promise<T> {
    if (this.lost || this.released) throw new ProjectorLeaseLostError(this.holder);
    let opened: QueryResult | QueryResult[];
    try {
      opened = await this.client.query<QueryResultRow>(['BEGIN', ...opening].join('; '));
    } catch (error) {
      // BEGIN may have run before a later statement failed: leave no transaction open on the lock's session.
      await this.client.query('ROLLBACK').catch(() => (this.lost = true));
      if (this.lost) throw new ProjectorLeaseLostError(this.holder);
      throw error;
    }
    try {
      const { value, closing } = await work(Array.isArray(opened) ? opened.slice(1) : []);
      await this.client.query(closing === undefined ? 'COMMIT' : `${closing}; COMMIT`);
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => (this.lost = true));
      throw error;
    }
  }

  private async lockedCheckpoint(): Promise<{ position: number; fingerprint: string }> {
    const result = await this.client.query<{ position: string; fingerprint: string }>(
      `SELECT position, fingerprint FROM ${this.prefix}projection_checkpoints WHERE name = $1 FOR UPDATE`,
      [CHECKPOINT_NAME],
    );
    const row = result.rows[0];
    return { position: Number(row.position), fingerprint: row.fingerprint };
  }

  prepare(): Promise<number> {
    const models = this.store.models;
    return this.transaction([], async () => {
      const current = await this.lockedCheckpoint();
      const fingerprint = modelsFingerprint(models);
      if (current.fingerprint === fingerprint) return { value: current.position };
      const names = new Set([...modelNamesIn(current.fingerprint), ...models.map((m) => m.name)]);
      for (const name of names)
        if (/^[a-z][a-z0-9_]{0,40}$/.test(name)) await this.client.query(`DROP TABLE IF EXISTS ${this.prefix}rm_${name}`);
      for (const model of models)
        for (const sql of createTableStatements(POSTGRES_DIALECT, model, this.prefix)) await this.client.query(sql);
      await this.client.query(
        `UPDATE ${this.prefix}projection_checkpoints SET position = 0, fingerprint = $2, updated_at = $3 WHERE name = $1`,
        [CHECKPOINT_NAME, fingerprint, new Date().toISOString()],
      );
      return { value: 0 };
    });
  }

  async applyBatch(expectedCheckpoint: number, events: RecordedEvidenceEvent[]): Promise<AppliedBatch> {
    const applied = await this.applyInTransaction(expectedCheckpoint, events);
    this.store.checkpointMoved.moved();
    return applied;
  }

  /**
   * One batch in 3 round trips and one per row written (it was 6 and one per model touched, besides):
   * every command's answer waits for this commit, and on the cluster each round trip is PostgreSQL's work
   * and the projector's. BEGIN carries the lock, COMMIT the checkpoint and its notice.
   */
  private applyInTransaction(expectedCheckpoint: number, events: RecordedEvidenceEvent[]): Promise<AppliedBatch> {
    const models = this.store.models;
    const checkpoints = `${this.prefix}projection_checkpoints`;
    const name = this.client.escapeLiteral(CHECKPOINT_NAME);
    // The read models are rebuilt from the evidence, so their commit need not wait for the WAL flush (as
    // SQLite's read models run with synchronous=NORMAL): a crash loses at most the last batches, rows and
    // checkpoint together, and the projector projects them again.
    const opening = ['SET LOCAL synchronous_commit = off', `SELECT position FROM ${checkpoints} WHERE name = ${name} FOR UPDATE`];
    return this.transaction(opening, async (opened) => {
      const position = Number((opened[1]?.rows[0] as { position: string } | undefined)?.position);
      if (position !== expectedCheckpoint) throw new ProjectionCheckpointMovedError(expectedCheckpoint, position);
      const loaded = await this.loadRows(keysTouched(models, events));
      const outcome = projectBatch(models, events, loaded, expectedCheckpoint);
      const { statements, rowsChanged } = batchWrites(POSTGRES_DIALECT, models, outcome, this.prefix);
      for (const { sql, params } of statements) await this.client.query(sql, params);
      if (!Number.isSafeInteger(outcome.lastPosition)) throw new RangeError(`checkpoint ${outcome.lastPosition} is not an integer`);
      const at = this.client.escapeLiteral(new Date().toISOString());
      const notice = `${this.client.escapeLiteral(this.store.channel)}, ${this.client.escapeLiteral(String(outcome.lastPosition))}`;
      return {
        value: { checkpoint: outcome.lastPosition, rowsChanged, skipped: outcome.skipped },
        // The notice is delivered with the commit (never before it): waiters in other processes read the new checkpoint.
        closing: `UPDATE ${checkpoints} SET position = ${outcome.lastPosition}, updated_at = ${at} WHERE name = ${name}; SELECT pg_notify(${notice})`,
      };
    });
  }

  /** The stored rows of every key the batch touches, every model in one query. */
  private async loadRows(touched: Map<string, Set<string>>): Promise<LoadedRows> {
    const loaded: LoadedRows = new Map();
    const selects: string[] = [];
    const params: string[][] = [];
    const names: string[] = [];
    for (const [name, keys] of touched) {
      loaded.set(name, new Map([...keys].map((k) => [k, null])));
      if (keys.size === 0) continue;
      params.push([...keys]);
      names.push(name);
      // The model's index, not its name, tells the rows apart: only our own integers enter the SQL.
      selects.push(
        `SELECT ${names.length - 1} AS rm_model, rm_key, rm_doc, rm_state FROM ${this.prefix}rm_${name} WHERE ${POSTGRES_DIALECT.keyIn(`$${params.length}`)}`,
      );
    }
    if (selects.length === 0) return loaded;
    const stored = await this.client.query<StoredReadModelRow & { rm_model: number }>(selects.join(' UNION ALL '), params);
    for (const row of stored.rows) loaded.get(names[row.rm_model])?.set(row.rm_key, fromStored(row));
    return loaded;
  }

  async renew(): Promise<boolean> {
    if (this.lost || this.released) return false;
    try {
      await this.client.query('SELECT 1');
      return true;
    } catch {
      this.lost = true;
      return false;
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.store.forget(this);
    // Ending the session releases the advisory lock.
    await this.client.end().catch(() => undefined);
  }
}
