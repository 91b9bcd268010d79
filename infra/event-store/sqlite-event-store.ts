/**
 * The embedded evidence store: one SQLite file (better-sqlite3), WAL journal, synchronous=FULL so that a
 * commit is on disk before append returns.
 *
 * Why readers never miss an event: every append runs in a BEGIN IMMEDIATE transaction, which takes SQLite's
 * single write lock before it reads the chain's tip; so appends (from any connection or process) are
 * serialised, each allocates positions right after the last committed one, and a commit makes the whole
 * batch visible at once. Positions therefore become visible strictly in order, with no gaps.
 * Appends issued concurrently on one instance share a transaction (group-commit-queue.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { AppendCommand, AppendDecision, decideAppendGroup, RecordedEventSummary, validateAppend } from '../../domain/evidence/evidence-append';
import { EVIDENCE_GENESIS_HASH } from '../../domain/evidence/evidence-envelope';
import type { EvidenceError } from '../../domain/evidence/evidence-errors';
import type { AppendOptions, AppendResult, ChainHead, NewEvidenceEvent } from '../ports/event-store.port';
import { chainEnvelopes } from './evidence-hashing';
import { EvidenceStoreBase } from './evidence-store-base';
import { GroupCommitQueue } from './group-commit-queue';
import { migrateSqlite } from './sqlite-migrations';
import type { AllPageQuery, EvidenceBound, StoredRow, StreamPageQuery } from './stored-row';

export interface SqliteEventStoreOptions {
  /** Path of the database file (its folder is created if missing). */
  path: string;
  /** How long an append waits for another process's write lock before failing (default 10 s). */
  busyTimeoutMs?: number;
  /** How often subscriptions look for appends by other processes (default 200 ms). */
  pollIntervalMs?: number;
}

const ROW_COLUMNS = `position, id, stream, revision, type, recorded_at AS recordedAt, data, metadata, prev_hash AS prevHash, hash`;

export class SqliteEventStore extends EvidenceStoreBase {
  readonly kind = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly commitTransaction: Database.Transaction<(commands: AppendCommand[]) => Array<AppendDecision | EvidenceError>>;
  private readonly queue: GroupCommitQueue;

  private constructor(
    private readonly db: Database.Database,
    pollIntervalMs: number,
  ) {
    super(pollIntervalMs);
    const insert = db.prepare(
      `INSERT INTO evidence_events (position, id, stream, revision, type, recorded_at, data, metadata, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const recordedWithIds = db.prepare(
      `SELECT id, stream, type, revision, position, data AS dataJson, metadata AS metadataJson
       FROM evidence_events WHERE id IN (SELECT value FROM json_each(?))`,
    );
    // One max() per stream, so each is answered from the end of the (stream, revision) index.
    const streamRevisions = db.prepare(
      `SELECT s.value AS stream, (SELECT max(e.revision) FROM evidence_events e WHERE e.stream = s.value) AS revision
       FROM json_each(?) AS s`,
    );
    const tip = db.prepare('SELECT position, hash, recorded_at AS recordedAt FROM evidence_events ORDER BY position DESC LIMIT 1');

    this.commitTransaction = db.transaction((commands: AppendCommand[]) => {
      const chainTip = (tip.get() as ChainHead | undefined) ?? null;
      const group = decideAppendGroup(commands, {
        recorded: recordedWithIds.all(JSON.stringify(commands.flatMap((c) => c.events.map((e) => e.id)))) as RecordedEventSummary[],
        streamRevisions: new Map(
          (streamRevisions.all(JSON.stringify([...new Set(commands.map((c) => c.stream))])) as { stream: string; revision: number | null }[]).flatMap(
            (r): Array<[string, number]> => (r.revision === null ? [] : [[r.stream, r.revision]]),
          ),
        ),
        chainTip,
        nowMs: Date.now(),
      });
      for (const e of chainEnvelopes(group.envelopes, chainTip?.hash ?? EVIDENCE_GENESIS_HASH)) {
        insert.run(e.position, e.id, e.stream, e.revision, e.type, e.recordedAt, e.dataJson, e.metadataJson, e.prevHash, e.hash);
      }
      return group.outcomes;
    });
    this.queue = new GroupCommitQueue(async (commands) => {
      // IMMEDIATE: take the write lock before reading the tip (see the header comment).
      const outcomes = this.commitTransaction.immediate(commands);
      if (outcomes.some((o) => !(o instanceof Error) && o.kind === 'append')) this.appendSignal.emit('appended');
      return outcomes;
    });
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (options.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 10_000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrateSqlite(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteEventStore(db, options.pollIntervalMs ?? 200);
  }

  async append(stream: string, events: NewEvidenceEvent[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const decision = await this.queue.submit(validateAppend(stream, events, options));
    return {
      stream: decision.stream,
      nextExpectedRevision: decision.nextExpectedRevision,
      lastPosition: decision.lastPosition,
      alreadyRecorded: decision.kind === 'already-recorded',
    };
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private static boundClause(bound: EvidenceBound | undefined, params: unknown[]): string {
    if (bound === undefined) return '';
    if ('position' in bound) {
      params.push(bound.position);
      return ' AND position <= ?';
    }
    params.push(bound.recordedAt);
    return ' AND recorded_at <= ?';
  }

  protected async selectStreamPage(query: StreamPageQuery): Promise<StoredRow[]> {
    this.assertOpen();
    const forwards = query.direction === 'forwards';
    const params: unknown[] = [query.stream, query.fromRevision];
    const bound = SqliteEventStore.boundClause(query.bound, params);
    params.push(query.limit);
    const sql = `SELECT ${ROW_COLUMNS} FROM evidence_events WHERE stream = ? AND revision ${forwards ? '>=' : '<='} ?${bound}
                 ORDER BY revision ${forwards ? 'ASC' : 'DESC'} LIMIT ?`;
    return this.statement(sql).all(...params) as StoredRow[];
  }

  protected async selectAllPage(query: AllPageQuery): Promise<StoredRow[]> {
    this.assertOpen();
    const params: unknown[] = [query.afterPosition];
    let where = 'position > ?';
    if (query.toPosition !== undefined) {
      where += ' AND position <= ?';
      params.push(query.toPosition);
    }
    if (query.categories) {
      // A stream is in category C when its name starts with "C-" (domain/evidence/stream-name.ts).
      where += ' AND EXISTS (SELECT 1 FROM json_each(?) c WHERE substr(stream, 1, length(c.value)) = c.value)';
      params.push(JSON.stringify(query.categories.map((c) => `${c}-`)));
    }
    if (query.types) {
      where += ' AND type IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(query.types));
    }
    params.push(query.limit);
    return this.statement(`SELECT ${ROW_COLUMNS} FROM evidence_events WHERE ${where} ORDER BY position LIMIT ?`).all(...params) as StoredRow[];
  }

  protected async selectRowAt(position: number): Promise<StoredRow | undefined> {
    this.assertOpen();
    return this.statement(`SELECT ${ROW_COLUMNS} FROM evidence_events WHERE position = ?`).get(position) as StoredRow | undefined;
  }

  protected async selectPositionLinkingTo(prevHash: string, exceptPosition: number): Promise<number | undefined> {
    this.assertOpen();
    const row = this.statement('SELECT position FROM evidence_events WHERE prev_hash = ? AND position <> ? ORDER BY position LIMIT 1').get(
      prevHash,
      exceptPosition,
    ) as { position: number } | undefined;
    return row?.position;
  }

  protected async selectHead(): Promise<ChainHead | null> {
    this.assertOpen();
    const row = this.statement('SELECT position, hash, recorded_at AS recordedAt FROM evidence_events ORDER BY position DESC LIMIT 1').get() as
      | ChainHead
      | undefined;
    return row ?? null;
  }

  protected async selectStreamRevision(stream: string, bound: EvidenceBound | undefined): Promise<number | null> {
    this.assertOpen();
    const params: unknown[] = [stream];
    const clause = SqliteEventStore.boundClause(bound, params);
    const row = this.statement(`SELECT max(revision) AS revision FROM evidence_events WHERE stream = ?${clause}`).get(...params) as {
      revision: number | null;
    };
    return row.revision;
  }

  protected async closeConnections(): Promise<void> {
    await this.queue.idle();
    this.db.close();
  }
}
