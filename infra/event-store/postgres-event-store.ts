/**
 * The production evidence store on PostgreSQL (pg).
 *
 * WHY NO READER EVER MISSES AN EVENT. With a sequence, concurrent transactions take positions 10 and 11,
 * 11 commits first, a reader sees 11 and moves its checkpoint past 10, then 10 commits: the reader never
 * sees it (how Marten's gap-skipping lost events). Here positions come from no sequence. Every append
 * transaction first takes one transaction-level advisory lock (pg_advisory_xact_lock, one key per
 * evidence schema), and only then reads the chain's tip and writes positions tip+1…; the lock is released
 * by COMMIT or ROLLBACK, after the transaction's outcome is visible to new snapshots. So:
 *   - appends are serialised: position allocation, hashing and commit of one transaction happen entirely
 *     between the commit of the previous one and the start of the next;
 *   - hence positions commit in increasing order with no holes (a rolled-back append allocated nothing
 *     anyone else used), and every snapshot sees exactly the positions 1..N for some N;
 *   - hence a reader that has seen position P has a snapshot in which every position below P was
 *     already committed: nothing can later appear below P.
 * The reads that follow the lock must take their snapshot after it is granted. In READ COMMITTED (forced
 * on every connection below) each statement takes a new snapshot when it starts, so: on the slow path the
 * lock is a statement of its own, before the reads; on the fast path it is the first statement of a
 * VOLATILE PL/pgSQL function, whose later statements each take a new snapshot. The chain needs this
 * serialisation anyway (each prevHash is the previous head's hash); its cost is one writer at a time,
 * which group commit amortises (appends issued concurrently on one instance share one transaction:
 * group-commit-queue.ts). The concurrent tests in test/integration/event-store/ check it with many
 * writers and polling readers.
 *
 * Appends take one of two paths (commitGroup): a fast one, one round trip, when this instance remembers
 * the state to decide on (it wrote last), checked under the lock by evidence_append_if_current; or a
 * slow one, two round trips, that reads the state under the lock. The domain decides either way.
 */
import { createHash } from 'node:crypto';
import { Client, Pool, PoolConfig, QueryResult } from 'pg';
import {
  AppendCommand,
  AppendDecision,
  AppendGroupDecision,
  ChainTip,
  decideAppendGroup,
  RecordedEventSummary,
  UnhashedEnvelope,
  validateAppend,
} from '../../domain/evidence/evidence-append';
import { EVIDENCE_GENESIS_HASH } from '../../domain/evidence/evidence-envelope';
import { EvidenceError, InvalidReadOptionsError } from '../../domain/evidence/evidence-errors';
import type { AppendOptions, AppendResult, ChainHead, NewEvidenceEvent } from '../ports/event-store.port';
import { chainEnvelopes, HashedEnvelope } from './evidence-hashing';
import { EvidenceStoreBase } from './evidence-store-base';
import { GroupCommitQueue } from './group-commit-queue';
import { APPEND_LOCK_CLASS, migratePostgres } from './postgres-migrations';
import type { AllPageQuery, EvidenceBound, StoredRow, StreamPageQuery } from './stored-row';

export interface PostgresEventStoreOptions {
  /** postgres://user@host:port/database (other libpq parameters such as sslmode are passed to pg). */
  connectionString: string;
  /** Schema holding the evidence tables (created if missing). Default `public`. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Safety-net polling for subscriptions, besides LISTEN/NOTIFY (default 1000 ms). */
  pollIntervalMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

const ROW_COLUMNS = `position, id, stream, revision, type, recorded_at, data, metadata, prev_hash, hash`;

interface PgRow {
  position: string;
  id: string;
  stream: string;
  revision: string;
  type: string;
  recorded_at: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

function toStoredRow(row: PgRow): StoredRow {
  // bigint arrives as text; positions and revisions stay far below 2^53.
  return {
    position: Number(row.position),
    id: row.id,
    stream: row.stream,
    revision: Number(row.revision),
    type: row.type,
    recordedAt: row.recorded_at,
    data: row.data,
    metadata: row.metadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** What evidence_append_state (postgres-migrations.ts) returns. */
interface GroupState {
  tip: (ChainTip & { hash: string }) | null;
  streams: Array<[string, number]>;
  recorded: RecordedEventSummary[];
}

const MAX_REMEMBERED_STREAMS = 10_000;
/** Groups that go straight to the slow path after the fast path found the state stale. */
const FAST_PATH_PAUSE = 4;

/** A stable int32 per schema name, so stores in different schemas do not serialise each other. */
export function postgresAppendLockKey(schema: string): number {
  return createHash('sha256').update(schema).digest().readInt32BE(0);
}

export class PostgresEventStore extends EvidenceStoreBase {
  readonly kind = 'postgres' as const;
  private readonly table: string;
  private readonly channel: string;
  private listener: Client | undefined;
  private listenerStarting: Promise<void> | undefined;
  private readonly queue = new GroupCommitQueue((commands) => this.commitGroup(commands));
  /** The chain tip as of this instance's last read or write (undefined: unknown); see tryFastPath. */
  private knownTip: (ChainTip & { hash: string }) | null | undefined;
  /** Stream revisions as of the same moment (null: the stream had no events). */
  private readonly knownRevisions = new Map<string, number | null>();
  private fastPathPausedFor = 0;

  private constructor(
    private readonly pool: Pool,
    private readonly clientConfig: PoolConfig,
    readonly schema: string,
    private readonly lockKey: number,
    pollIntervalMs: number,
  ) {
    super(pollIntervalMs);
    this.table = `"${schema}".evidence_events`;
    this.channel = `aims_evidence_${schema}`;
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new InvalidReadOptionsError('schema', schema, 'must be lower-case letters, digits and _, starting with a letter or _, at most 48 characters');
    }
    const clientConfig: PoolConfig = {
      connectionString: options.connectionString,
      application_name: 'aims-evidence',
      // The ordering argument (header comment) relies on READ COMMITTED's per-statement snapshots, whatever
      // the server's default isolation is.
      options: '-c default_transaction_isolation=read\\ committed',
    };
    const pool = new Pool({ ...clientConfig, max: options.poolSize ?? 10 });
    // An idle client losing its server must not crash the process; the next query reports the problem.
    pool.on('error', () => undefined);
    const key = postgresAppendLockKey(schema);
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, `"${schema}"`, key);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresEventStore(pool, clientConfig, schema, key, options.pollIntervalMs ?? 1000);
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

  /**
   * Commits a group of appends: first by the fast path when this instance remembers the state to decide
   * on, else (or when that state turns out to be stale) by the slow path. Either way the decision is the
   * domain's (decideAppendGroup) on state that is current under the write lock.
   */
  private async commitGroup(commands: AppendCommand[]): Promise<Array<AppendDecision | EvidenceError>> {
    const fast = await this.tryFastPath(commands);
    const outcomes = fast ?? (await this.slowPath(commands));
    return outcomes;
  }

  /**
   * One round trip: decide and hash on the remembered state, and let evidence_append_if_current
   * (postgres-migrations.ts) write it only if that state is still current under the write lock: the chain
   * tip, each stream's revision, and that none of the ids is recorded. Since decideAppendGroup is a pure
   * function of exactly that state, the result is what the slow path would have decided. Undefined: not
   * taken, or stale (nothing written).
   */
  private async tryFastPath(commands: AppendCommand[]): Promise<Array<AppendDecision | EvidenceError> | undefined> {
    const tip = this.knownTip;
    if (tip === undefined || this.fastPathPausedFor > 0) {
      if (this.fastPathPausedFor > 0) this.fastPathPausedFor--;
      return undefined;
    }
    const streams = [...new Set(commands.map((c) => c.stream))];
    if (streams.some((stream) => !this.knownRevisions.has(stream))) return undefined;
    const streamRevisions = new Map<string, number>();
    for (const stream of streams) {
      const revision = this.knownRevisions.get(stream);
      if (revision !== undefined && revision !== null) streamRevisions.set(stream, revision);
    }
    const group = decideAppendGroup(commands, { recorded: [], streamRevisions, chainTip: tip, nowMs: Date.now() });
    // Refusals decided on remembered state are only trusted once that state is confirmed by a write.
    if (group.envelopes.length === 0) return undefined;
    const rows = chainEnvelopes(group.envelopes, tip?.hash ?? EVIDENCE_GENESIS_HASH);
    const result = await this.pool
      .query<{ written: boolean }>({
      // One pool per store instance and schema, so a fixed statement name cannot clash.
      name: 'aims-evidence-append-if-current',
      text: `SELECT "${this.schema}".evidence_append_if_current($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) AS written`,
      values: [
        APPEND_LOCK_CLASS,
        this.lockKey,
        this.channel,
        tip?.position ?? 0,
        tip?.hash ?? '',
        streams,
        streams.map((stream) => this.knownRevisions.get(stream) ?? -1),
        rows.map((r) => r.position),
        rows.map((r) => r.id),
        rows.map((r) => r.stream),
        rows.map((r) => r.revision),
        rows.map((r) => r.type),
        rows.map((r) => r.recordedAt),
        rows.map((r) => r.dataJson),
        rows.map((r) => r.metadataJson),
        rows.map((r) => r.prevHash),
        rows.map((r) => r.hash),
      ],
      })
      .catch((error: unknown) => {
        this.knownTip = undefined;
        throw error;
      });
    if (!result.rows[0]?.written) {
      // Someone else appended: forget, and leave the fast path alone for a while (under contention
      // between instances it would mostly cost an extra round trip).
      this.knownTip = undefined;
      this.knownRevisions.clear();
      this.fastPathPausedFor = FAST_PATH_PAUSE;
      return undefined;
    }
    this.remember(rows[rows.length - 1], group.envelopes);
    this.appendSignal.emit('appended');
    return group.outcomes;
  }

  /**
   * Two round trips in one transaction, each a simple-protocol script (several statements, no
   * parameters: values are inlined as literals escaped by pg's escapeLiteral, and ids, stream names and
   * types are already restricted to safe characters by validation).
   */
  private async slowPath(commands: AppendCommand[]): Promise<Array<AppendDecision | EvidenceError>> {
    const client = await this.pool.connect();
    const literal = (value: string): string => client.escapeLiteral(value);
    const ids = commands.flatMap((c) => c.events.map((e) => literal(e.id)));
    const streams = [...new Set(commands.map((c) => c.stream))];
    let group: AppendGroupDecision;
    let state: GroupState;
    let last: HashedEnvelope | undefined;
    try {
      // Round trip 1: begin, take the write lock (its own statement, before any read: see the header
      // comment), then read what deciding needs, in a statement that starts after the lock is granted.
      const results = (await client.query(
        `BEGIN ISOLATION LEVEL READ COMMITTED;
         SELECT pg_advisory_xact_lock(${APPEND_LOCK_CLASS}, ${this.lockKey});
         SELECT "${this.schema}".evidence_append_state(ARRAY[${streams.map(literal).join(',')}]::text[], ARRAY[${ids.join(',')}]::text[]) AS state`,
      )) as unknown as QueryResult[];
      state = ((results[2] as QueryResult<{ state: GroupState }>).rows[0] as { state: GroupState }).state;
      group = decideAppendGroup(commands, {
        recorded: state.recorded,
        streamRevisions: new Map(state.streams),
        chainTip: state.tip,
        nowMs: Date.now(),
      });
      // Round trip 2: write the group, notify listeners (delivered only if and when it commits), commit.
      if (group.envelopes.length === 0) {
        await client.query('ROLLBACK');
      } else {
        const rows = chainEnvelopes(group.envelopes, state.tip?.hash ?? EVIDENCE_GENESIS_HASH);
        last = rows[rows.length - 1];
        const values = rows.map(
          (e) =>
            `(${e.position}, ${literal(e.id)}, ${literal(e.stream)}, ${e.revision}, ${literal(e.type)}, ${literal(e.recordedAt)}, ` +
            `${literal(e.dataJson)}, ${literal(e.metadataJson)}, ${literal(e.prevHash)}, ${literal(e.hash)})`,
        );
        await client.query(
          `INSERT INTO ${this.table} (${ROW_COLUMNS}) VALUES ${values.join(',\n')};
           SELECT pg_notify(${literal(this.channel)}, '${(last as HashedEnvelope).position}');
           COMMIT;`,
        );
      }
      client.release();
    } catch (error) {
      this.knownTip = undefined;
      // A broken connection is discarded rather than returned to the pool.
      const broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      client.release(broken ? (error as Error) : undefined);
      throw error;
    }
    // Remember what was read and written, for the next group's fast path.
    this.knownTip = state.tip;
    for (const stream of streams) this.knownRevisions.set(stream, null);
    for (const [stream, revision] of state.streams) this.knownRevisions.set(stream, revision);
    this.remember(last, group.envelopes);
    if (last) this.appendSignal.emit('appended');
    return group.outcomes;
  }

  /** Updates the remembered state after a committed write (bounded: it is a cache, not a record). */
  private remember(last: HashedEnvelope | undefined, written: UnhashedEnvelope[]): void {
    if (last) this.knownTip = { position: last.position, hash: last.hash, recordedAt: last.recordedAt };
    for (const e of written) this.knownRevisions.set(e.stream, e.revision);
    if (this.knownRevisions.size > MAX_REMEMBERED_STREAMS) this.knownRevisions.clear();
  }

  /** Starts (once) the LISTEN connection that wakes subscriptions on other processes' appends. */
  protected override onSubscriptionStarted(): void {
    if (this.listener || this.listenerStarting) return;
    const client = new Client(this.clientConfig);
    this.listenerStarting = (async () => {
      try {
        await client.connect();
        client.on('notification', () => this.appendSignal.emit('appended'));
        await client.query(`LISTEN "${this.channel}"`);
        if (this.closed) {
          await client.end();
          return;
        }
        // If the connection drops, polling still delivers everything; the next subscription re-listens.
        client.on('error', () => {
          if (this.listener === client) this.listener = undefined;
          void client.end().catch(() => undefined);
        });
        this.listener = client;
      } catch {
        await client.end().catch(() => undefined);
      } finally {
        this.listenerStarting = undefined;
      }
    })();
  }

  private async rows(sql: string, params: unknown[]): Promise<StoredRow[]> {
    this.assertOpen();
    return (await this.pool.query<PgRow>(sql, params)).rows.map(toStoredRow);
  }

  private static boundClause(bound: EvidenceBound | undefined, params: unknown[]): string {
    if (bound === undefined) return '';
    if ('position' in bound) {
      params.push(bound.position);
      return ` AND position <= $${params.length}`;
    }
    params.push(bound.recordedAt);
    return ` AND recorded_at <= $${params.length}`;
  }

  protected selectStreamPage(query: StreamPageQuery): Promise<StoredRow[]> {
    const forwards = query.direction === 'forwards';
    const params: unknown[] = [query.stream, query.fromRevision];
    const bound = PostgresEventStore.boundClause(query.bound, params);
    params.push(query.limit);
    return this.rows(
      `SELECT ${ROW_COLUMNS} FROM ${this.table} WHERE stream = $1 AND revision ${forwards ? '>=' : '<='} $2${bound}
       ORDER BY revision ${forwards ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
  }

  protected selectAllPage(query: AllPageQuery): Promise<StoredRow[]> {
    const params: unknown[] = [query.afterPosition];
    let where = 'position > $1';
    if (query.toPosition !== undefined) {
      params.push(query.toPosition);
      where += ` AND position <= $${params.length}`;
    }
    if (query.categories) {
      // A stream is in category C when its name starts with "C-" (domain/evidence/stream-name.ts).
      params.push(query.categories.map((c) => `${c}-`));
      where += ` AND stream ^@ ANY($${params.length}::text[])`;
    }
    if (query.types) {
      params.push(query.types);
      where += ` AND type = ANY($${params.length}::text[])`;
    }
    params.push(query.limit);
    return this.rows(`SELECT ${ROW_COLUMNS} FROM ${this.table} WHERE ${where} ORDER BY position LIMIT $${params.length}`, params);
  }

  protected async selectRowAt(position: number): Promise<StoredRow | undefined> {
    return (await this.rows(`SELECT ${ROW_COLUMNS} FROM ${this.table} WHERE position = $1`, [position]))[0];
  }

  protected async selectPositionLinkingTo(prevHash: string, exceptPosition: number): Promise<number | undefined> {
    this.assertOpen();
    const result = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.table} WHERE prev_hash = $1 AND position <> $2 ORDER BY position LIMIT 1`,
      [prevHash, exceptPosition],
    );
    return result.rows[0] ? Number(result.rows[0].position) : undefined;
  }

  protected async selectHead(): Promise<ChainHead | null> {
    this.assertOpen();
    const result = await this.pool.query<{ position: string; hash: string; recorded_at: string }>(
      `SELECT position, hash, recorded_at FROM ${this.table} ORDER BY position DESC LIMIT 1`,
    );
    const row = result.rows[0];
    return row ? { position: Number(row.position), hash: row.hash, recordedAt: row.recorded_at } : null;
  }

  protected async selectStreamRevision(stream: string, bound: EvidenceBound | undefined): Promise<number | null> {
    this.assertOpen();
    const params: unknown[] = [stream];
    const clause = PostgresEventStore.boundClause(bound, params);
    const result = await this.pool.query<{ revision: string | null }>(
      `SELECT max(revision) AS revision FROM ${this.table} WHERE stream = $1${clause}`,
      params,
    );
    const revision = result.rows[0]?.revision ?? null;
    return revision === null ? null : Number(revision);
  }

  protected async closeConnections(): Promise<void> {
    await this.queue.idle();
    await this.listenerStarting;
    const listener = this.listener;
    this.listener = undefined;
    await Promise.all([listener?.end().catch(() => undefined), this.pool.end()]);
  }
}
