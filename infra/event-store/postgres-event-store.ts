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
 * VOLATILE PL/pgSQL function (evidence_append_chained), whose later statements each take a new snapshot.
 * The chain needs this serialisation anyway (each prevHash is the previous head's hash); its cost is one
 * writer at a time, so the lock is held as briefly as possible: one statement and its commit. Appends
 * issued concurrently on one instance also share one transaction (group commit: group-commit-queue.ts).
 * The concurrent tests in test/integration/event-store/ check it with many writers and polling readers.
 *
 * Appends take one of two paths (commitGroup); the domain decides either way (decideAppendGroup):
 *   - fast, the usual one: decide BEFORE taking the lock, on the stream revisions this instance remembers
 *     (it wrote or read them last) or reads without the lock (one round trip that waits for no one). Then
 *     one round trip under the lock, evidence_append_chained (postgres-migrations.ts): it places the events
 *     after the tip as it is under the lock (positions, recordedAt never before the tip's, prevHash and
 *     hash), inserts and notifies; the unique indexes refuse the insert unless every stream is still at
 *     the revision decided on and every id is new (the function's comment says why). No decision
 *     depends on the tip, only those placements do, so appends by other instances to other streams never
 *     make the decision stale; the results are re-decided on the tip the function reports.
 *   - slow, when a stream moved since it was read or an id turns out to be recorded already: two round
 *     trips in one transaction, deciding on the state read under the lock.
 */
import { createHash } from 'node:crypto';
import { Client, Pool, PoolConfig, QueryResult } from 'pg';
import {
  AppendCommand,
  AppendDecision,
  AppendGroupDecision,
  AppendGroupState,
  ChainTip,
  decideAppendGroup,
  RecordedEventSummary,
  validateAppend,
} from '../../domain/evidence/evidence-append';
import { EVIDENCE_GENESIS_HASH, formatRecordedAt } from '../../domain/evidence/evidence-envelope';
import { EvidenceError, InvalidReadOptionsError } from '../../domain/evidence/evidence-errors';
import type { NodeId, TreeNode } from '../../domain/evidence/merkle';
import type {
  AppendOptions,
  AppendResult,
  ChainHead,
  NewEvidenceEvent,
  NewStoredCheckpoint,
  StoredCheckpoint,
  NewCosignature,
  StoredCosignature,
  TreeHead,
} from '../ports/event-store.port';
import { chainEnvelopes, HashedEnvelope } from './evidence-hashing';
import { EvidenceStoreBase } from './evidence-store-base';
import { GroupCommitQueue } from './group-commit-queue';
import { APPEND_LOCK_CLASS, POSTGRES_MIGRATIONS, preparePostgresSchema } from './postgres-migrations';
import { grantAppendRole } from './postgres-roles';
import * as pgTree from './postgres-tree';
import type { AllPageQuery, CheckpointQuery, EvidenceBound, StoredRow, StreamPageQuery } from './stored-row';

export interface PostgresEventStoreOptions {
  /** postgres://user@host:port/database (other libpq parameters such as sslmode are passed to pg). */
  connectionString: string;
  /** Schema holding the evidence tables (created if missing). Default `public`. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Safety-net polling for subscriptions, besides LISTEN/NOTIFY (default 1000 ms). */
  pollIntervalMs?: number;
  /**
   * Migrate a schema that is behind (default true). false: only check that it is current, and refuse
   * to open otherwise (a process whose role may not change the schema: docs/database-roles.md).
   */
  migrate?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** In this order: rows are fetched as arrays (rowMode 'array'), which spares pg building an object per row. */
const ROW_COLUMNS = `position, id, stream, revision, type, recorded_at, data, metadata, prev_hash, hash`;

/** One row as pg hands it over in array mode; bigint arrives as text. */
type PgRow = [string, string, string, string, string, string, string, string, string, string];

function toStoredRow(row: PgRow): StoredRow {
  // Positions and revisions stay far below 2^53.
  return {
    position: Number(row[0]),
    id: row[1],
    stream: row[2],
    revision: Number(row[3]),
    type: row[4],
    recordedAt: row[5],
    data: row[6],
    metadata: row[7],
    prevHash: row[8],
    hash: row[9],
  };
}

/** What stateQuery returns. */
interface GroupState {
  tip?: (ChainTip & { hash: string }) | null;
  streams: Array<[string, number]>;
  recorded: RecordedEventSummary[];
}

/** What evidence_append_chained (postgres-migrations.ts) returns. */
interface ChainedResult {
  tip_position: string | null;
  tip_recorded_at: string | null;
  recorded_at: string | null;
}

const MAX_REMEMBERED_STREAMS = 10_000;
/** unique_violation: an id already recorded (or a position or revision taken) when the chained insert ran. */
const UNIQUE_VIOLATION = '23505';

/** A stable int32 per schema name, so stores in different schemas do not serialise each other. */
export function postgresAppendLockKey(schema: string): number {
  return createHash('sha256').update(schema).digest().readInt32BE(0);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/**
 * evidence_append_chained placed events where the domain would not have (positions or recordedAt): the SQL
 * and decideAppend have drifted apart, a defect. The events are recorded and verify still checks their
 * hashes; a retry of the append answers alreadyRecorded.
 */
export class EvidenceChainPlacementMismatchError extends Error {
  constructor(readonly detail: string) {
    super(`evidence_append_chained placed the events differently from the domain's decision: ${detail}`);
    this.name = 'EvidenceChainPlacementMismatchError';
  }
}

export class PostgresEventStore extends EvidenceStoreBase {
  readonly kind = 'postgres' as const;
  private readonly table: string;
  private readonly channel: string;
  private listener: Client | undefined;
  private listenerStarting: Promise<void> | undefined;
  private readonly queue = new GroupCommitQueue((commands) => this.commitGroup(commands));
  /**
   * Stream revisions (null: the stream had no events) as this instance last wrote or read them. A cache
   * for deciding before the lock is taken: evidence_append_chained checks them under the lock.
   */
  private readonly knownRevisions = new Map<string, number | null>();

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

  private static schemaName(schema: string): string {
    if (!SCHEMA_NAME.test(schema)) {
      throw new InvalidReadOptionsError(
        'schema',
        schema,
        'must be lower-case letters, digits and _, starting with a letter or _, at most 48 characters',
      );
    }
    return schema;
  }

  /**
   * `aims evidence migrate`: brings the schema to the current version and, given an appending role, grants
   * it what appends need and nothing more (postgres-roles.ts). Run with the URL of the tables' owner.
   */
  static async migrate(options: {
    connectionString: string;
    schema?: string;
    appRole?: string;
  }): Promise<{ applied: number[]; version: number }> {
    const schema = PostgresEventStore.schemaName(options.schema ?? 'public');
    const pool = new Pool({ connectionString: options.connectionString, application_name: 'aims-evidence-migrate', max: 1 });
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        const applied = await preparePostgresSchema(client, `"${schema}"`, postgresAppendLockKey(schema), { migrate: true });
        if (options.appRole !== undefined) await grantAppendRole(client, schema, options.appRole);
        return { applied, version: Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version)) };
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = PostgresEventStore.schemaName(options.schema ?? 'public');
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
        await preparePostgresSchema(client, `"${schema}"`, key, { migrate: options.migrate ?? true });
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
   * Commits a group of appends (header comment): decided before the lock on remembered or freshly read
   * stream revisions and written in one round trip under it; or, when that state turns out to be stale,
   * by the slow path. Either way the decision is the domain's (decideAppendGroup) on state that is current
   * under the write lock.
   */
  private async commitGroup(commands: AppendCommand[]): Promise<Array<AppendDecision | EvidenceError>> {
    const streams = [...new Set(commands.map((c) => c.stream))];
    let state = this.rememberedState(streams);
    let group = state && decideAppendGroup(commands, state);
    // A remembered revision may be older than an append another instance has finished, so a refusal (or a
    // retry, which assumes nothing recorded) is only answered from state read during this call.
    if (!state || !group || group.outcomes.some((o) => o instanceof Error || o.kind === 'already-recorded')) {
      state = await this.readStateUnlocked(commands, streams);
      group = decideAppendGroup(commands, state);
    }
    // Nothing to write: the answer holds as of that read, within this call, as it would under the lock
    // (committed revisions only grow and recorded events never go away).
    if (group.envelopes.length === 0) return group.outcomes;
    const written = await this.writeChained(commands, streams, state, group);
    return written ?? this.slowPath(commands);
  }

  /** The state to decide on from memory, or undefined when a stream of the group is not remembered. */
  private rememberedState(streams: string[]): AppendGroupState | undefined {
    const streamRevisions = new Map<string, number>();
    for (const stream of streams) {
      const revision = this.knownRevisions.get(stream);
      if (revision === undefined) return undefined;
      if (revision !== null) streamRevisions.set(stream, revision);
    }
    // The tip is provisional: evidence_append_chained places the events after the real one.
    return { recorded: [], streamRevisions, chainTip: null, nowMs: Date.now() };
  }

  /** One round trip without the lock: committed state, which only moves forwards. */
  private async readStateUnlocked(commands: AppendCommand[], streams: string[]): Promise<AppendGroupState> {
    this.assertOpen();
    const ids = commands.flatMap((c) => c.events.map((e) => e.id));
    const result = await this.pool.query<{ state: GroupState }>(this.stateQuery('$1::text[]', '$2::text[]', false), [streams, ids]);
    const state = result.rows[0].state;
    for (const stream of streams) this.knownRevisions.set(stream, null);
    for (const [stream, revision] of state.streams) this.knownRevisions.set(stream, revision);
    return { recorded: state.recorded, streamRevisions: new Map(state.streams), chainTip: null, nowMs: Date.now() };
  }

  /**
   * What deciding needs: each stream's revision (one max() per stream, answered from the end of the
   * (stream, revision) index) and the events already recorded under the group's ids; with the chain tip
   * for the slow path. Sent as SQL rather than called in a PL/pgSQL function, so each run is planned for
   * the table as it is (a plan cached while the table was small would scan it whole).
   */
  private stateQuery(streamsSql: string, idsSql: string, withTip: boolean): string {
    const t = this.table;
    const tip = withTip
      ? `'tip', (SELECT json_build_object('position', e.position, 'hash', e.hash, 'recordedAt', e.recorded_at)
                 FROM ${t} e ORDER BY e.position DESC LIMIT 1),`
      : '';
    return `SELECT json_build_object(${tip}
      'streams', (SELECT coalesce(json_agg(json_build_array(r.stream, r.revision)), '[]'::json)
                  FROM (SELECT a.stream, (SELECT max(e.revision) FROM ${t} e WHERE e.stream = a.stream) AS revision
                        FROM unnest(${streamsSql}) AS a(stream)) AS r
                  WHERE r.revision IS NOT NULL),
      'recorded', (SELECT coalesce(json_agg(json_build_object('id', e.id, 'stream', e.stream, 'type', e.type,
                     'revision', e.revision, 'position', e.position, 'dataJson', e.data, 'metadataJson', e.metadata)), '[]'::json)
                   FROM ${t} e WHERE e.id = ANY(${idsSql}))) AS state`;
  }

  /**
   * The fast path's one round trip under the lock (evidence_append_chained). Undefined: the state decided
   * on was stale (a unique index refused the insert) and nothing was written. Otherwise the outcomes, re-decided on the chain tip the
   * function found, which gives the positions and recordedAt it wrote.
   */
  private async writeChained(
    commands: AppendCommand[],
    streams: string[],
    state: AppendGroupState,
    group: AppendGroupDecision,
  ): Promise<Array<AppendDecision | EvidenceError> | undefined> {
    this.assertOpen();
    const envelopes = group.envelopes;
    let result: ChainedResult;
    try {
      result = (
        await this.pool.query<ChainedResult>({
          // One pool per store instance and schema, so a fixed statement name cannot clash.
          name: 'aims-evidence-append-chained',
          text: `SELECT tip_position, tip_recorded_at, recorded_at
                 FROM "${this.schema}".evidence_append_chained($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          values: [
            APPEND_LOCK_CLASS,
            this.lockKey,
            this.channel,
            EVIDENCE_GENESIS_HASH,
            // recordedAt as decided on no tip; the function keeps the tip's when that is later, as decideAppend does.
            formatRecordedAt(state.nowMs),
            envelopes.map((e) => e.id),
            envelopes.map((e) => e.stream),
            envelopes.map((e) => e.revision),
            envelopes.map((e) => e.type),
            envelopes.map((e) => e.dataJson),
            envelopes.map((e) => e.metadataJson),
          ],
        })
      ).rows[0];
    } catch (error) {
      // Forget these streams: the slow path reads them again.
      for (const stream of streams) this.knownRevisions.delete(stream);
      // A stream moved on since it was read, or an id is recorded already (see evidence_append_chained).
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    const tipPosition = Number(result.tip_position);
    const tip: ChainTip | null = tipPosition === 0 ? null : { position: tipPosition, recordedAt: result.tip_recorded_at as string };
    const final = decideAppendGroup(commands, { ...state, chainTip: tip });
    const last = final.envelopes[final.envelopes.length - 1];
    if (!last || last.position !== tipPosition + envelopes.length || last.recordedAt !== result.recorded_at) {
      throw new EvidenceChainPlacementMismatchError(
        `it wrote up to position ${tipPosition + envelopes.length} at ${String(result.recorded_at)}, the domain decided ${String(last?.position)} at ${String(last?.recordedAt)}`,
      );
    }
    this.remember(final.envelopes);
    this.appendSignal.emit('appended');
    return final.outcomes;
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
         ${this.stateQuery(`ARRAY[${streams.map(literal).join(',')}]::text[]`, `ARRAY[${ids.join(',')}]::text[]`, true)}`,
      )) as unknown as QueryResult[];
      state = (results[2] as QueryResult<{ state: GroupState }>).rows[0].state;
      const tip = state.tip ?? null;
      group = decideAppendGroup(commands, {
        recorded: state.recorded,
        streamRevisions: new Map(state.streams),
        chainTip: tip,
        nowMs: Date.now(),
      });
      // Round trip 2: write the group, notify listeners (delivered only if and when it commits), commit.
      if (group.envelopes.length === 0) {
        await client.query('ROLLBACK');
      } else {
        const rows = chainEnvelopes(group.envelopes, tip?.hash ?? EVIDENCE_GENESIS_HASH);
        last = rows[rows.length - 1];
        const values = rows.map(
          (e) =>
            `(${e.position}, ${literal(e.id)}, ${literal(e.stream)}, ${e.revision}, ${literal(e.type)}, ${literal(e.recordedAt)}, ` +
            `${literal(e.dataJson)}, ${literal(e.metadataJson)}, ${literal(e.prevHash)}, ${literal(e.hash)})`,
        );
        await client.query(
          `INSERT INTO ${this.table} (${ROW_COLUMNS}) VALUES ${values.join(',\n')};
           SELECT pg_notify(${literal(this.channel)}, '${last.position}');
           COMMIT;`,
        );
      }
      client.release();
    } catch (error) {
      this.knownRevisions.clear();
      // A broken connection is discarded rather than returned to the pool.
      const broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      client.release(broken ? (error as Error) : undefined);
      throw error;
    }
    // Remember what was read and written, for the next group's fast path.
    for (const stream of streams) this.knownRevisions.set(stream, null);
    for (const [stream, revision] of state.streams) this.knownRevisions.set(stream, revision);
    this.remember(group.envelopes);
    if (last) this.appendSignal.emit('appended');
    return group.outcomes;
  }

  /** Updates the remembered revisions after a committed write (bounded: it is a cache, not a record). */
  private remember(written: ReadonlyArray<{ stream: string; revision: number }>): void {
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
    const result = await this.pool.query<PgRow>({ text: sql, values: params, rowMode: 'array' });
    return result.rows.map(toStoredRow);
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

  /**
   * The upper bound (toPosition) is applied here rather than in SQL. With both bounds in SQL, a table with
   * no statistics yet (a new or bulk-loaded store before autovacuum analyses it) gets an estimate of a
   * few rows for the range, and the planner sorts every remaining row for each page instead of walking the
   * primary key: quadratic over a whole read or verify. An open range with LIMIT always walks the key.
   * Positions are unique integers, so at most toPosition - afterPosition rows can qualify.
   */
  protected async selectAllPage(query: AllPageQuery): Promise<StoredRow[]> {
    const to = query.toPosition;
    const filtered = query.categories !== undefined || query.types !== undefined;
    if (to !== undefined && to <= query.afterPosition) return [];
    const limit = to === undefined || filtered ? query.limit : Math.min(query.limit, to - query.afterPosition);
    const params: unknown[] = [query.afterPosition];
    let where = 'position > $1';
    if (query.categories) {
      // A stream is in category C when its name starts with "C-" (domain/evidence/stream-name.ts).
      params.push(query.categories.map((c) => `${c}-`));
      where += ` AND stream ^@ ANY($${params.length}::text[])`;
    }
    if (query.types) {
      params.push(query.types);
      where += ` AND type = ANY($${params.length}::text[])`;
    }
    params.push(limit);
    const rows = await this.rows(
      `SELECT ${ROW_COLUMNS} FROM ${this.table} WHERE ${where} ORDER BY position LIMIT $${params.length}`,
      params,
    );
    if (to === undefined) return rows;
    // Rows past the bound come only with filters, or where positions have holes (a tampered store).
    let keep = rows.length;
    while (keep > 0 && rows[keep - 1].position > to) keep--;
    return keep === rows.length ? rows : rows.slice(0, keep);
  }

  protected async selectRowAt(position: number): Promise<StoredRow | undefined> {
    return (await this.rows(`SELECT ${ROW_COLUMNS} FROM ${this.table} WHERE position = $1`, [position]))[0];
  }

  protected async selectRowById(id: string): Promise<StoredRow | undefined> {
    return (await this.rows(`SELECT ${ROW_COLUMNS} FROM ${this.table} WHERE id = $1`, [id]))[0];
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

  protected async selectTreeSize(): Promise<number> {
    this.assertOpen();
    return pgTree.pgTreeSize(this.pool, this.schema);
  }

  protected async selectTreeNodes(ids: NodeId[]): Promise<TreeNode[]> {
    this.assertOpen();
    return pgTree.pgTreeNodes(this.pool, this.schema, ids);
  }

  async rebuildTree(): Promise<TreeHead> {
    this.assertOpen();
    await pgTree.pgRebuildTree(this.pool, this.schema, this.lockKey);
    return this.treeHead();
  }

  async addCheckpoint(checkpoint: NewStoredCheckpoint): Promise<StoredCheckpoint> {
    this.assertOpen();
    return pgTree.pgAddCheckpoint(this.pool, this.schema, checkpoint);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    this.assertOpen();
    return pgTree.pgLatestCheckpoint(this.pool, this.schema);
  }

  protected async insertCosignature(c: NewCosignature, addedAt: string): Promise<boolean> {
    this.assertOpen();
    return pgTree.pgInsertCosignature(this.pool, this.schema, c, addedAt);
  }

  protected async selectCosignatures(checkpointId: number): Promise<StoredCosignature[]> {
    this.assertOpen();
    return pgTree.pgSelectCosignatures(this.pool, this.schema, checkpointId);
  }

  protected async selectCheckpoints(query: CheckpointQuery): Promise<StoredCheckpoint[]> {
    this.assertOpen();
    return pgTree.pgSelectCheckpoints(this.pool, this.schema, query);
  }

  protected async closeConnections(): Promise<void> {
    await this.queue.idle();
    await this.listenerStarting;
    const listener = this.listener;
    this.listener = undefined;
    await Promise.all([listener?.end().catch(() => undefined), this.pool.end()]);
  }
}
