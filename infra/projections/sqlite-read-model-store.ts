/**
 * Read models in the evidence store's SQLite file, on a connection of their own (WAL lets the evidence
 * store, the token store and this share the file). better-sqlite3 is synchronous, so each transaction
 * runs without interleaving with anything else in this process; across processes SQLite's write lock
 * serialises, and the lease row plus the checkpoint check keep a second projector from writing.
 */
import { SqliteStatementCache } from '../sql/sqlite-statement-cache';
import type Database from 'better-sqlite3';
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
import { migrateSqliteSchema, openSqliteFile } from '../sql/sqlite-schema';
import { keysTouched, LoadedRows, modelNamesIn, modelsFingerprint, projectBatch } from './project-batch';
import { ProjectionCheckpointMovedError, ProjectorLeaseLostError } from './projection-errors';
import { CHECKPOINT_NAME, PROJECTION_MIGRATIONS_TABLE, SQLITE_PROJECTION_MIGRATIONS } from './projection-migrations';
import {
  batchWrites,
  createTableStatements,
  scanPages,
  selectPage,
  SQLITE_DIALECT,
  tableOf,
  toPage,
  validateDefinitions,
} from './read-model-sql';
import { CheckpointSignal } from './checkpoint-signal';
import { fromStored, StoredReadModelRow } from './read-model-serialization';

const DEFAULT_LEASE_MS = 15_000;

export class SqliteReadModelStore implements ReadModelStore {
  private readonly fingerprint: string;
  /** Wakes checkpoint waiters when this process's projector commits (another process's: the next look). */
  private readonly checkpointMoved = new CheckpointSignal();
  readonly kind = 'sqlite' as const;
  private closed = false;
  private readonly sql: SqliteStatementCache;

  private constructor(
    private readonly db: Database.Database,
    readonly models: readonly AnyReadModel[],
  ) {
    this.fingerprint = modelsFingerprint(models);
    this.sql = new SqliteStatementCache(db);
  }

  static open(options: { path: string; models: readonly AnyReadModel[] }): SqliteReadModelStore {
    validateDefinitions(options.models);
    // NORMAL, not FULL: read models are rebuilt from the evidence, and WAL keeps them consistent anyway.
    const db = openSqliteFile(options.path, { synchronous: 'NORMAL' });
    try {
      migrateSqliteSchema(db, 'projection', PROJECTION_MIGRATIONS_TABLE, SQLITE_PROJECTION_MIGRATIONS);
      db.transaction(() => {
        for (const model of options.models) for (const sql of createTableStatements(SQLITE_DIALECT, model, '')) db.exec(sql);
      }).immediate();
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteReadModelStore(db, options.models);
  }

  async status(): Promise<ProjectionStatus> {
    const row = this.sql
      .get('SELECT position, fingerprint, updated_at AS updatedAt FROM projection_checkpoints WHERE name = ?')
      .get(CHECKPOINT_NAME) as { position: number; fingerprint: string; updatedAt: string | null } | undefined;
    return { checkpoint: row?.position ?? 0, fingerprint: row?.fingerprint ?? '', updatedAt: row?.updatedAt ?? null };
  }

  async get<Row>(model: ReadModelDefinition<Row, unknown>, key: string): Promise<Row | null> {
    const row = this.sql.get(`SELECT rm_doc FROM ${tableOf(model)} WHERE rm_key = ?`).get(key) as { rm_doc: string } | undefined;
    return row ? (JSON.parse(row.rm_doc) as Row) : null;
  }

  async query<Row>(model: ReadModelDefinition<Row, unknown>, query: ReadModelQuery): Promise<ReadModelPage<Row>> {
    const statement = selectPage(SQLITE_DIALECT, model, query, '');
    const rows = this.sql.get(statement.sql).all(...statement.params) as Array<{
      rm_key: string;
      rm_doc: string;
      rm_order?: string | number | null;
    }>;
    return toPage<Row>(statement, rows);
  }

  scan<Row, State>(model: ReadModelDefinition<Row, State>, options: ReadModelScan = {}): AsyncIterable<Projected<Row, State>> {
    return scanPages(
      SQLITE_DIALECT,
      model,
      options,
      '',
      async (statement) => this.sql.get(statement.sql).all(...statement.params) as StoredReadModelRow[],
    ) as AsyncIterable<Projected<Row, State>>;
  }

  async reset(): Promise<void> {
    this.db
      .transaction(() => {
        for (const model of this.models) this.db.exec(`DELETE FROM ${tableOf(model)}`);
        // An empty fingerprint makes the leading projector recreate the tables before it rebuilds.
        this.sql
          .get("UPDATE projection_checkpoints SET position = 0, fingerprint = '', updated_at = ? WHERE name = ?")
          .run(new Date().toISOString(), CHECKPOINT_NAME);
      })
      .immediate();
  }

  async tryLead(holder: string, options: { leaseMs?: number } = {}): Promise<ProjectorLease | null> {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const acquired = this.db
      .transaction((): boolean => {
        const now = Date.now();
        const current = this.sql
          .get('SELECT holder, expires_at AS expiresAt FROM projection_leases WHERE name = ?')
          .get(CHECKPOINT_NAME) as { holder: string; expiresAt: number } | undefined;
        if (current && current.holder !== holder && current.expiresAt > now) return false;
        this.sql
          .get(
            'INSERT INTO projection_leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at',
          )
          .run(CHECKPOINT_NAME, holder, now + leaseMs);
        return true;
      })
      .immediate();
    return acquired ? new SqliteProjectorLease(this, holder, leaseMs) : null;
  }

  async waitForCheckpoint(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) return false;
      const status = await this.status();
      // Rows built with other definitions (before the projector rebuilt them) are not "at" any position.
      if (status.checkpoint >= position && status.fingerprint === this.fingerprint) return true;
      if (Date.now() >= deadline) return false;
      await this.checkpointMoved.wait(Math.min(25, Math.max(1, deadline - Date.now())));
    }
  }

  async ping(): Promise<void> {
    this.sql.get('SELECT position FROM projection_checkpoints LIMIT 1').get();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.db.open) this.db.close();
  }

  // ---- used by the lease, inside its transactions ----

  /** @internal */
  holdsLease(holder: string): boolean {
    const row = this.sql.get('SELECT holder, expires_at AS expiresAt FROM projection_leases WHERE name = ?').get(CHECKPOINT_NAME) as
      { holder: string; expiresAt: number } | undefined;
    return row !== undefined && row.holder === holder && row.expiresAt > Date.now();
  }

  /** @internal */
  renewLease(holder: string, leaseMs: number): boolean {
    const now = Date.now();
    const result = this.sql
      .get('UPDATE projection_leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?')
      .run(now + leaseMs, CHECKPOINT_NAME, holder, now);
    return result.changes === 1;
  }

  /** @internal */
  releaseLease(holder: string): void {
    if (this.db.open) this.sql.get('DELETE FROM projection_leases WHERE name = ? AND holder = ?').run(CHECKPOINT_NAME, holder);
  }

  /** @internal */
  prepareAs(holder: string): number {
    return this.db
      .transaction((): number => {
        if (!this.holdsLease(holder)) throw new ProjectorLeaseLostError(holder);
        const status = this.sql.get('SELECT position, fingerprint FROM projection_checkpoints WHERE name = ?').get(CHECKPOINT_NAME) as {
          position: number;
          fingerprint: string;
        };
        const fingerprint = modelsFingerprint(this.models);
        if (status.fingerprint === fingerprint) return status.position;
        const names = new Set([...modelNamesIn(status.fingerprint), ...this.models.map((m) => m.name)]);
        for (const name of names) if (/^[a-z][a-z0-9_]{0,40}$/.test(name)) this.db.exec(`DROP TABLE IF EXISTS rm_${name}`);
        for (const model of this.models) for (const sql of createTableStatements(SQLITE_DIALECT, model, '')) this.db.exec(sql);
        this.sql
          .get('UPDATE projection_checkpoints SET position = 0, fingerprint = ?, updated_at = ? WHERE name = ?')
          .run(fingerprint, new Date().toISOString(), CHECKPOINT_NAME);
        return 0;
      })
      .immediate();
  }

  /** @internal */
  applyBatchAs(holder: string, expectedCheckpoint: number, events: RecordedEvidenceEvent[]): AppliedBatch {
    const applied = this.applyInTransaction(holder, expectedCheckpoint, events);
    this.checkpointMoved.moved();
    return applied;
  }

  private applyInTransaction(holder: string, expectedCheckpoint: number, events: RecordedEvidenceEvent[]): AppliedBatch {
    return this.db
      .transaction((): AppliedBatch => {
        if (!this.holdsLease(holder)) throw new ProjectorLeaseLostError(holder);
        const { position } = this.sql.get('SELECT position FROM projection_checkpoints WHERE name = ?').get(CHECKPOINT_NAME) as {
          position: number;
        };
        if (position !== expectedCheckpoint) throw new ProjectionCheckpointMovedError(expectedCheckpoint, position);
        const loaded: LoadedRows = new Map();
        for (const [name, keys] of keysTouched(this.models, events)) {
          const rows = new Map([...keys].map((k) => [k, null] as [string, null | ReturnType<typeof fromStored>]));
          if (keys.size > 0) {
            const stored = this.sql
              .get(`SELECT rm_key, rm_doc, rm_state FROM rm_${name} WHERE ${SQLITE_DIALECT.keyIn('?')}`)
              .all(JSON.stringify([...keys])) as StoredReadModelRow[];
            for (const row of stored) rows.set(row.rm_key, fromStored(row));
          }
          loaded.set(name, rows);
        }
        const outcome = projectBatch(this.models, events, loaded, expectedCheckpoint);
        const { statements, rowsChanged } = batchWrites(SQLITE_DIALECT, this.models, outcome, '');
        const prepared = new Map<string, Database.Statement>();
        for (const { sql, params } of statements) {
          let statement = prepared.get(sql);
          if (statement === undefined) prepared.set(sql, (statement = this.sql.get(sql)));
          statement.run(...params);
        }
        this.sql
          .get('UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = ?')
          .run(outcome.lastPosition, new Date().toISOString(), CHECKPOINT_NAME);
        return { checkpoint: outcome.lastPosition, rowsChanged, skipped: outcome.skipped };
      })
      .immediate();
  }
}

class SqliteProjectorLease implements ProjectorLease {
  constructor(
    private readonly store: SqliteReadModelStore,
    readonly holder: string,
    private readonly leaseMs: number,
  ) {}

  async prepare(): Promise<number> {
    return this.store.prepareAs(this.holder);
  }

  async applyBatch(expectedCheckpoint: number, events: RecordedEvidenceEvent[]): Promise<AppliedBatch> {
    return this.store.applyBatchAs(this.holder, expectedCheckpoint, events);
  }

  async renew(): Promise<boolean> {
    return this.store.renewLease(this.holder, this.leaseMs);
  }

  async release(): Promise<void> {
    this.store.releaseLease(this.holder);
  }
}
