/**
 * The embedded evidence store: one SQLite file (better-sqlite3), WAL journal, synchronous=FULL so that a
 * commit is on disk before append returns.
 *
 * Why readers never miss an event: every append runs in a BEGIN IMMEDIATE transaction, which takes SQLite's
 * single write lock before it reads the chain's tip; so appends (from any connection or process) are
 * serialised, each allocates positions right after the last committed one, and a commit makes the whole
 * batch visible at once. Positions therefore become visible strictly in order, with no gaps.
 * Appends issued concurrently on one instance share a transaction (group-commit-queue.ts).
 *
 * What an append decides on (the chain tip, the streams' revisions, whether its ids are recorded) is read
 * inside that transaction, unless this connection knows it already: PRAGMA data_version, read under the
 * write lock, changes exactly when another connection has committed since this one last looked, so while
 * it is unchanged the tip and revisions this instance wrote last are still the store's. Ids are then left
 * to the UNIQUE constraint: if one is recorded already (a retry, usually), the transaction is rolled back
 * and run again on state read from the table. The decision is the domain's either way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import {
  AppendCommand,
  AppendDecision,
  AppendGroupDecision,
  decideAppendGroup,
  RecordedEventSummary,
  validateAppend,
} from '../../domain/evidence/evidence-append';
import { EVIDENCE_GENESIS_HASH } from '../../domain/evidence/evidence-envelope';
import type { EvidenceError } from '../../domain/evidence/evidence-errors';
import {
  appendLeaves,
  Digest,
  extendFrontier,
  Frontier,
  frontierFrom,
  MerkleNodeMissingError,
  NodeId,
  TreeNode,
} from '../../domain/evidence/merkle';
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
import { chainEnvelopes } from './evidence-hashing';
import { evidenceLeafHash, RFC6962_SHA256 } from './rfc6962-hasher';
import { EvidenceStoreBase } from './evidence-store-base';
import { GroupCommitQueue } from './group-commit-queue';
import { SqliteStatementCache } from '../sql/sqlite-statement-cache';
import { migrateSqlite } from './sqlite-migrations';
import type { AllPageQuery, CheckpointQuery, EvidenceBound, StoredRow, StreamPageQuery } from './stored-row';
import { checkpointWhere } from './stored-row';
import { sqlLimit } from '../sql/sql-limit';

export interface SqliteEventStoreOptions {
  /** Path of the database file (its folder is created if missing). */
  path: string;
  /** How long an append waits for another process's write lock before failing (default 10 s). */
  busyTimeoutMs?: number;
  /** How often subscriptions look for appends by other processes (default 200 ms). */
  pollIntervalMs?: number;
  /** Migrate a schema that is behind (default true); false: refuse to open it (AIMS_EVENT_STORE_MIGRATE). */
  migrate?: boolean;
  /**
   * Extend the Merkle tree with every append (default true). false is for benchmarks and tests only (the
   * tree-off baseline of `npm run bench:tree`): appends then write no tree node, and proofs and tree heads
   * see the tree as it was. Nothing is lost: the next open that maintains the tree catches it up from the
   * events (as for a store older than the tree), and `aims evidence tree rebuild` recomputes it. Not
   * reachable from a store URL or the environment, so a deployment cannot turn it off.
   */
  maintainTree?: boolean;
}

const ROW_COLUMNS = `position, id, stream, revision, type, recorded_at AS recordedAt, data, metadata, prev_hash AS prevHash, hash`;

/** The store as this connection last read or wrote it; valid while PRAGMA data_version still reads `dataVersion`. */
interface KnownState {
  dataVersion: number;
  tip: ChainHead | null;
  /** Revision of each stream seen (null: no events); a bounded cache, not a record. */
  revisions: Map<string, number | null>;
  /** The tree's right edge after `tip` (so an append reads no tree node). */
  tree: Frontier;
}

const MAX_KNOWN_STREAMS = 10_000;

/** The tree's size: one past the last leaf any node covers (the newest leaf's own node has the largest). */
const TREE_SIZE_SQL = 'SELECT coalesce(max(last_leaf) + 1, 0) FROM evidence_tree_nodes';

/** The key of node (level, index) in evidence_tree_nodes (migration 4): the last leaf it covers. */
function lastLeaf(level: number, index: number): number {
  return (index + 1) * 2 ** level - 1;
}
/** The edge an instance that does not maintain the tree carries (it matches no size, so it is never used). */
const NO_TREE: Frontier = { size: -1, levels: [] };

/** A constraint that an insert of an already-recorded id (or a taken revision or position) breaks. */
/** Thrown inside the commit transaction to roll it back when what this connection knew was not enough. */
class KnownStateStale extends Error {}

function isUniquenessViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The revisions after `group` is written, in `revisions` (mutated; emptied when it grows too large). */
function remember(revisions: Map<string, number | null>, group: AppendGroupDecision): Map<string, number | null> {
  for (const e of group.envelopes) revisions.set(e.stream, e.revision);
  if (revisions.size > MAX_KNOWN_STREAMS) revisions.clear();
  return revisions;
}

/**
 * How often, while another process is expected to append (expectAppendsElsewhere), this connection reads
 * PRAGMA data_version: a read of the WAL index in shared memory, no I/O, a few microseconds.
 */
const WATCH_INTERVAL_MS = 1;

/**
 * The watch runs only while at most this many appends elsewhere are expected. Under load every commit moves
 * the data version (the worker's appends, our own read-model commits), so the watch would wake the
 * subscriptions about every millisecond for reads that mostly find nothing, and its CPU on two cores cost
 * the gate more than it saved (bench:api, 16 pipelines: p50 1.69× the bare Update with it, 1.25× without);
 * with many commands in flight their answers (appendedElsewhere) come often enough to wake the projector.
 */
const WATCH_MAX_EXPECTED = 4;

export class SqliteEventStore extends EvidenceStoreBase {
  readonly kind = 'sqlite' as const;
  /** Appends other processes are expected to make (expectAppendsElsewhere); the watch runs while any are. */
  private expected = 0;
  private watch: NodeJS.Timeout | undefined;
  private readonly readDataVersion: () => number;
  private readonly statements: SqliteStatementCache;
  private readonly commitTransaction: Database.Transaction<
    (commands: AppendCommand[]) => [Array<AppendDecision | EvidenceError>, KnownState]
  >;
  private readonly queue: GroupCommitQueue;
  /** See the header comment: lets an append skip reading the tip, revisions and ids. */
  private known: KnownState | undefined;
  /** Extends the stored tree up to `position` from the events in the table (call inside a write transaction). */
  private readonly catchUpTree: (position: number) => void;
  private readonly rebuildTransaction: Database.Transaction<() => void>;

  private constructor(
    private readonly db: Database.Database,
    pollIntervalMs: number,
    maintainTree: boolean,
  ) {
    super(pollIntervalMs);
    this.statements = new SqliteStatementCache(db);
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
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.readDataVersion = () => dataVersion.get() as number;
    // The tree (docs/evidence-format.md §7) is extended in the same transaction as the events it covers,
    // so a crash leaves both or neither. Its size is the number of leaves (answered from the key's end).
    // Nodes are keyed by the last leaf they cover (migration 4), so the last one is the newest leaf.
    const treeSize = db.prepare(TREE_SIZE_SQL).pluck();
    const nodeAt = db.prepare('SELECT hash FROM evidence_tree_nodes WHERE last_leaf = ? AND level = ?').pluck();
    const insertNode = db.prepare('INSERT INTO evidence_tree_nodes (last_leaf, level, idx, hash) VALUES (?, ?, ?, ?)');
    const rowsAfter = db.prepare(
      `SELECT ${ROW_COLUMNS} FROM evidence_events WHERE position > ? AND position <= ? ORDER BY position LIMIT 1000`,
    );
    const storedNode = (level: number, index: number): Digest => {
      const hash = nodeAt.get(lastLeaf(level, index), level) as Buffer | undefined;
      if (!hash) throw new MerkleNodeMissingError(level, index);
      return hash;
    };
    const extendTree = (size: number, leaves: Digest[]): void => {
      for (const node of appendLeaves(RFC6962_SHA256, storedNode, size, leaves))
        insertNode.run(lastLeaf(node.level, node.index), node.level, node.index, node.hash);
    };
    /** The tree's right edge at `size` as stored, caught up with the events first when it is behind. */
    const readFrontier = (size: number): Frontier => {
      // A tree behind the events (a store older than the tree, or a rebuild cut short) is caught up first.
      if ((treeSize.get() as number) !== size) this.catchUpTree(size);
      return frontierFrom(storedNode, size);
    };
    this.catchUpTree = (position: number): void => {
      for (let size = treeSize.get() as number; size < position;) {
        const rows = rowsAfter.all(size, position) as StoredRow[];
        extendTree(
          size,
          rows.map((r) => evidenceLeafHash({ ...r, dataJson: r.data, metadataJson: r.metadata })),
        );
        size += rows.length;
      }
    };
    this.rebuildTransaction = db.transaction(() => {
      db.exec('DELETE FROM evidence_tree_nodes');
      this.catchUpTree((tip.get() as ChainHead | undefined)?.position ?? 0);
    });

    /**
     * Writes a decided group after `after`, with its tree nodes; returns the new tip (unchanged when nothing
     * is written) and the tree's new right edge. `tree`: the edge at `after` when known, else read.
     */
    const write = (group: AppendGroupDecision, after: ChainHead | null, known?: Frontier): [ChainHead | null, Frontier] => {
      let last: ChainHead | null = after;
      const before = after?.position ?? 0;
      // Tree off (bench/test only): the edge stays empty and no node is read or written.
      let tree = !maintainTree ? NO_TREE : known?.size === before ? known : readFrontier(before);
      const written = chainEnvelopes(group.envelopes, after?.hash ?? EVIDENCE_GENESIS_HASH);
      for (const e of written) {
        insert.run(e.position, e.id, e.stream, e.revision, e.type, e.recordedAt, e.dataJson, e.metadataJson, e.prevHash, e.hash);
        last = { position: e.position, hash: e.hash, recordedAt: e.recordedAt };
      }
      if (written.length > 0 && maintainTree) {
        const extended = extendFrontier(RFC6962_SHA256, tree, written.map(evidenceLeafHash));
        for (const node of extended.created) insertNode.run(lastLeaf(node.level, node.index), node.level, node.index, node.hash);
        tree = extended.frontier;
      }
      return [last, tree];
    };
    /** Decided on what this connection knows; undefined when that is not enough (nothing written). */
    const tryKnown = (
      commands: AppendCommand[],
      streams: string[],
      known: KnownState,
    ): [Array<AppendDecision | EvidenceError>, KnownState] | undefined => {
      const revisions = new Map<string, number>();
      for (const stream of streams) {
        const revision = known.revisions.get(stream);
        if (revision === undefined) return undefined;
        if (revision !== null) revisions.set(stream, revision);
      }
      const group = decideAppendGroup(commands, { recorded: [], streamRevisions: revisions, chainTip: known.tip, nowMs: Date.now() });
      // Refusals and retries depend on recorded ids, which were not read: decide those on the table.
      if (group.outcomes.some((o) => o instanceof Error || o.kind === 'already-recorded')) return undefined;
      let newTip: ChainHead | null;
      let tree: Frontier;
      try {
        [newTip, tree] = write(group, known.tip, known.tree);
      } catch (error) {
        // An id recorded already: roll back everything and decide again on the table (the queue's retry).
        if (isUniquenessViolation(error)) throw new KnownStateStale();
        throw error;
      }
      return [group.outcomes, { dataVersion: known.dataVersion, tip: newTip, revisions: remember(known.revisions, group), tree }];
    };

    this.commitTransaction = db.transaction((commands: AppendCommand[]) => {
      const version = dataVersion.get() as number;
      const streams = [...new Set(commands.map((c) => c.stream))];
      const known = this.known?.dataVersion === version ? this.known : undefined;
      const fast = known && tryKnown(commands, streams, known);
      if (fast) return fast;
      const chainTip = (tip.get() as ChainHead | undefined) ?? null;
      const read = streamRevisions.all(JSON.stringify(streams)) as { stream: string; revision: number | null }[];
      const group = decideAppendGroup(commands, {
        recorded: recordedWithIds.all(JSON.stringify(commands.flatMap((c) => c.events.map((e) => e.id)))) as RecordedEventSummary[],
        streamRevisions: new Map(read.flatMap((r): Array<[string, number]> => (r.revision === null ? [] : [[r.stream, r.revision]]))),
        chainTip,
        nowMs: Date.now(),
      });
      const [newTip, tree] = write(group, chainTip, known?.tree);
      const revisions = known?.revisions ?? new Map<string, number | null>();
      for (const r of read) revisions.set(r.stream, r.revision);
      return [group.outcomes, { dataVersion: version, tip: newTip, revisions: remember(revisions, group), tree }];
    });
    this.queue = new GroupCommitQueue(async (commands) => {
      let outcomes: Array<AppendDecision | EvidenceError>;
      try {
        // IMMEDIATE: take the write lock before reading anything (see the header comment).
        const [decided, known] = this.runCommitTransaction(commands);
        // Only once committed is the known state the store's.
        this.known = known;
        outcomes = decided;
      } catch (error) {
        this.known = undefined;
        throw error;
      }
      if (outcomes.some((o) => !(o instanceof Error) && o.kind === 'append')) this.appendSignal.emit('appended');
      return outcomes;
    });
  }

  /** Runs the commit transaction, once more on state read from the table if the known state fell short. */
  private runCommitTransaction(commands: AppendCommand[]): [Array<AppendDecision | EvidenceError>, KnownState] {
    try {
      return this.commitTransaction.immediate(commands);
    } catch (error) {
      if (!(error instanceof KnownStateStale)) throw error;
      this.known = undefined;
      return this.commitTransaction.immediate(commands);
    }
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (options.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 10_000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrateSqlite(db, undefined, { migrate: options.migrate ?? true });
    } catch (error) {
      db.close();
      throw error;
    }
    const maintainTree = options.maintainTree ?? true;
    const store = new SqliteEventStore(db, options.pollIntervalMs ?? 200, maintainTree);
    // Events recorded before the tree existed get their leaves now, once (a no-op when it is complete).
    if (maintainTree)
      db.transaction(() => {
        const head = db.prepare('SELECT max(position) FROM evidence_events').pluck().get() as number | null;
        store.catchUpTree(head ?? 0);
      }).immediate();
    return store;
  }

  protected async selectTreeSize(): Promise<number> {
    this.assertOpen();
    return this.statement(TREE_SIZE_SQL).pluck().get() as number;
  }

  protected async selectTreeNodes(ids: NodeId[]): Promise<TreeNode[]> {
    this.assertOpen();
    if (ids.length === 0) return [];
    const rows = this.statement(
      `SELECT n.level, n.idx AS "index", n.hash FROM json_each(?) AS q
       JOIN evidence_tree_nodes n ON n.last_leaf = json_extract(q.value, '$[0]') AND n.level = json_extract(q.value, '$[1]')`,
    ).all(JSON.stringify(ids.map((id) => [lastLeaf(id.level, id.index), id.level]))) as TreeNode[];
    return rows;
  }

  async rebuildTree(): Promise<TreeHead> {
    this.assertOpen();
    await this.queue.idle();
    this.rebuildTransaction.immediate();
    this.known = undefined;
    return this.treeHead();
  }

  async addCheckpoint(c: NewStoredCheckpoint): Promise<StoredCheckpoint> {
    this.assertOpen();
    const signedAt = new Date().toISOString();
    const result = this.statement(
      'INSERT INTO evidence_checkpoints (origin, tree_size, root_hash, key_name, note, signed_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(c.origin, c.treeSize, c.rootHash, c.keyName, c.note, signedAt);
    return { ...c, id: Number(result.lastInsertRowid), signedAt };
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    this.assertOpen();
    const row = this.statement(
      `SELECT id, origin, tree_size AS treeSize, root_hash AS rootHash, key_name AS keyName, note, signed_at AS signedAt
       FROM evidence_checkpoints ORDER BY id DESC LIMIT 1`,
    ).get() as StoredCheckpoint | undefined;
    return row ?? null;
  }

  protected async insertCosignature(c: NewCosignature, addedAt: string): Promise<boolean> {
    this.assertOpen();
    const result = this.statement(
      `INSERT INTO evidence_cosignatures (checkpoint_id, witness, key_id, timestamp, line, added_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (checkpoint_id, line) DO NOTHING`,
    ).run(c.checkpointId, c.witness, c.keyId, c.timestamp, c.line, addedAt);
    return result.changes === 1;
  }

  protected async selectCosignatures(checkpointId: number): Promise<StoredCosignature[]> {
    this.assertOpen();
    return this.statement(
      `SELECT id, checkpoint_id AS checkpointId, witness, key_id AS keyId, timestamp, line, added_at AS addedAt
       FROM evidence_cosignatures WHERE checkpoint_id = ? ORDER BY id`,
    ).all(checkpointId) as StoredCosignature[];
  }

  protected async selectCheckpoints(q: CheckpointQuery): Promise<StoredCheckpoint[]> {
    this.assertOpen();
    const { where, params } = checkpointWhere(q, () => '?');
    return this.statement(
      `SELECT id, origin, tree_size AS treeSize, root_hash AS rootHash, key_name AS keyName, note, signed_at AS signedAt
       FROM evidence_checkpoints ${where} ORDER BY id ${q.direction === 'forwards' ? 'ASC' : 'DESC'} ${sqlLimit(q.limit)}`,
    ).all(...params) as StoredCheckpoint[];
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
    return this.statements.get(sql);
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
    const sql = `SELECT ${ROW_COLUMNS} FROM evidence_events WHERE stream = ? AND revision ${forwards ? '>=' : '<='} ?${bound}
                 ORDER BY revision ${forwards ? 'ASC' : 'DESC'} ${sqlLimit(query.limit)}`;
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
    return this.statement(`SELECT ${ROW_COLUMNS} FROM evidence_events WHERE ${where} ORDER BY position ${sqlLimit(query.limit)}`).all(
      ...params,
    ) as StoredRow[];
  }

  protected async selectRowAt(position: number): Promise<StoredRow | undefined> {
    this.assertOpen();
    return this.statement(`SELECT ${ROW_COLUMNS} FROM evidence_events WHERE position = ?`).get(position) as StoredRow | undefined;
  }

  protected async selectRowById(id: string): Promise<StoredRow | undefined> {
    this.assertOpen();
    return this.statement(`SELECT ${ROW_COLUMNS} FROM evidence_events WHERE id = ?`).get(id) as StoredRow | undefined;
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
    const row = this.statement(
      'SELECT position, hash, recorded_at AS recordedAt FROM evidence_events ORDER BY position DESC LIMIT 1',
    ).get() as ChainHead | undefined;
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

  /**
   * SQLite tells no other process of a commit, so while an append elsewhere is expected (a command in flight
   * to a worker) this watches the file's data version, which moves whenever another connection commits, and
   * wakes the subscriptions at once; otherwise they would read at their next poll or when told the answer's
   * position (appendedElsewhere), after the answer's trip back. Our own read-model commits move it too; a
   * subscription woken by one reads nothing new, one indexed query.
   */
  expectAppendsElsewhere(): () => void {
    if (this.closed) return () => undefined;
    this.expected += 1;
    this.adjustWatch();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.expected -= 1;
      this.adjustWatch();
    };
  }

  /** Runs the watch while between one and WATCH_MAX_EXPECTED appends elsewhere are expected, never otherwise. */
  private adjustWatch(): void {
    const wanted = !this.closed && this.expected > 0 && this.expected <= WATCH_MAX_EXPECTED;
    if (!wanted) {
      this.stopWatch();
      return;
    }
    if (this.watch !== undefined) return;
    let seen = this.readDataVersion();
    this.watch = setInterval(() => {
      if (this.closed) return;
      const now = this.readDataVersion();
      if (now === seen) return;
      seen = now;
      this.appendedElsewhere();
    }, WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  private stopWatch(): void {
    if (this.watch !== undefined) clearInterval(this.watch);
    this.watch = undefined;
  }

  protected async closeConnections(): Promise<void> {
    this.stopWatch();
    await this.queue.idle();
    this.db.close();
  }
}
