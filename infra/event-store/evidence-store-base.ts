/**
 * Everything both adapters do the same way on top of a few paged queries: stream and global reads,
 * catch-up subscriptions, as-of folds, verification. Each adapter adds its own append (with its own
 * write lock) and the SQL of the queries. Every read pages by key (revision or position) so memory is
 * bounded by the page size whatever the size of the store (readAll and verify keep one more page in
 * flight, so the database reads it while the previous one is processed).
 */
import { EventEmitter } from 'node:events';
import { EvidenceStoreClosedError, InvalidReadOptionsError } from '../../domain/evidence/evidence-errors';
import { assertValidStreamName } from '../../domain/evidence/stream-name';
import type {
  AppendOptions,
  AppendResult,
  AsOf,
  ChainHead,
  EventStore,
  EvidenceSubscription,
  NewEvidenceEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvidenceEvent,
  StreamReducer,
  StreamState,
  SubscribeOptions,
  VerifyOptions,
  NewStoredCheckpoint,
  StoredCheckpoint,
  ListCheckpointsOptions,
  NewCosignature,
  StoredCosignature,
  TreeHead,
  VerifyReport,
} from '../ports/event-store.port';
import {
  consistencyProof,
  inclusionProof,
  lookupIn,
  MerkleRangeError,
  NodeId,
  nodesForConsistency,
  nodesForInclusion,
  nodesForRoot,
  rootAt,
  TreeNode,
} from '../../domain/evidence/merkle';
import { RFC6962_SHA256 } from './rfc6962-hasher';
import { CatchUpSubscription } from './catch-up-subscription';
import { boundOf, categoriesOf, maxCountOf, pageSizeOf, typesOf, wholeNumber } from './read-options';
import { AllPageQuery, CheckpointQuery, EvidenceBound, StoredRow, StreamPageQuery, toRecordedEvent } from './stored-row';
import { verifyChain } from './verify-chain';

export abstract class EvidenceStoreBase implements EventStore {
  abstract readonly kind: 'sqlite' | 'postgres';
  protected closed = false;
  /** Emits 'appended' after a commit in this process (and, on PostgreSQL, on NOTIFY from others). */
  protected readonly appendSignal = new EventEmitter().setMaxListeners(0);
  private readonly subscriptions = new Set<CatchUpSubscription>();

  constructor(protected readonly defaultPollIntervalMs: number) {}

  abstract append(stream: string, events: NewEvidenceEvent[], options?: AppendOptions): Promise<AppendResult>;
  protected abstract selectStreamPage(query: StreamPageQuery): Promise<StoredRow[]>;
  protected abstract selectAllPage(query: AllPageQuery): Promise<StoredRow[]>;
  protected abstract selectRowAt(position: number): Promise<StoredRow | undefined>;
  protected abstract selectRowById(id: string): Promise<StoredRow | undefined>;
  protected abstract selectPositionLinkingTo(prevHash: string, exceptPosition: number): Promise<number | undefined>;
  protected abstract selectHead(): Promise<ChainHead | null>;
  protected abstract selectStreamRevision(stream: string, bound: EvidenceBound | undefined): Promise<number | null>;
  protected abstract closeConnections(): Promise<void>;
  /** Number of events the stored tree covers. */
  protected abstract selectTreeSize(): Promise<number>;
  /** The stored complete-subtree hashes among `ids` (one query). */
  protected abstract selectTreeNodes(ids: NodeId[]): Promise<TreeNode[]>;
  abstract rebuildTree(): Promise<TreeHead>;
  abstract addCheckpoint(checkpoint: NewStoredCheckpoint): Promise<StoredCheckpoint>;
  abstract latestCheckpoint(): Promise<StoredCheckpoint | null>;
  /** Stored checkpoints matching the query, in its direction, at most `limit`. */
  protected abstract selectCheckpoints(query: CheckpointQuery): Promise<StoredCheckpoint[]>;
  /** Inserts the cosignature unless the same line is stored for the checkpoint; true when inserted. */
  protected abstract insertCosignature(c: NewCosignature, addedAt: string): Promise<boolean>;
  protected abstract selectCosignatures(checkpointId: number): Promise<StoredCosignature[]>;

  protected assertOpen(): void {
    if (this.closed) throw new EvidenceStoreClosedError();
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvidenceEvent> {
    this.assertOpen();
    assertValidStreamName(stream);
    const direction = options.direction ?? 'forwards';
    if (direction !== 'forwards' && direction !== 'backwards') {
      throw new InvalidReadOptionsError('direction', direction, "must be 'forwards' or 'backwards'");
    }
    const pageSize = pageSizeOf(options.pageSize);
    let remaining = maxCountOf(options.maxCount);
    const bound = boundOf(options.asOf);
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    let next = from === 'start' ? 0 : from === 'end' ? Number.MAX_SAFE_INTEGER : wholeNumber('fromRevision', from, 0, 0);
    while (remaining > 0 && next >= 0) {
      const limit = Math.min(pageSize, remaining);
      const rows = await this.selectStreamPage({ stream, direction, fromRevision: next, limit, bound });
      for (const row of rows) yield toRecordedEvent(row);
      remaining -= rows.length;
      if (rows.length < limit) return;
      const last = rows[rows.length - 1];
      next = direction === 'forwards' ? last.revision + 1 : last.revision - 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvidenceEvent> {
    this.assertOpen();
    const fromPosition = wholeNumber('fromPosition', options.fromPosition, 1, 1);
    const categories = categoriesOf(options.categories);
    const types = typesOf(options.types);
    const pageSize = pageSizeOf(options.pageSize);
    let remaining = maxCountOf(options.maxCount);
    const toPosition =
      options.toPosition === undefined ? ((await this.selectHead())?.position ?? 0) : wholeNumber('toPosition', options.toPosition, 0, 0);
    let after = fromPosition - 1;
    let limit = Math.min(pageSize, remaining);
    let next =
      after < toPosition && remaining > 0 ? this.selectAllPage({ afterPosition: after, toPosition, categories, types, limit }) : undefined;
    try {
      while (next) {
        const rows = await next;
        next = undefined;
        remaining -= rows.length;
        const full = rows.length === limit;
        if (full) after = rows[rows.length - 1].position;
        // Ask for the next page before handing this one out, so the database works while the caller does.
        if (full && remaining > 0 && after < toPosition) {
          limit = Math.min(pageSize, remaining);
          next = this.selectAllPage({ afterPosition: after, toPosition, categories, types, limit });
        }
        for (const row of rows) yield toRecordedEvent(row);
      }
    } finally {
      // A caller that stops early leaves at most one page in flight; its outcome no longer matters.
      next?.catch(() => undefined);
    }
  }

  subscribe(options: SubscribeOptions = {}): EvidenceSubscription {
    this.assertOpen();
    const fromCheckpoint = wholeNumber('fromCheckpoint', options.fromCheckpoint, 0, 0);
    const categories = categoriesOf(options.categories);
    const types = typesOf(options.types);
    const pageSize = pageSizeOf(options.pageSize);
    const pollIntervalMs = wholeNumber('pollIntervalMs', options.pollIntervalMs, 1, this.defaultPollIntervalMs);
    const subscription = new CatchUpSubscription(
      {
        readPage: async (afterPosition, limit) => {
          this.assertOpen();
          return (await this.selectAllPage({ afterPosition, categories, types, limit })).map(toRecordedEvent);
        },
        onAppended: (listener) => {
          this.appendSignal.on('appended', listener);
          return () => this.appendSignal.off('appended', listener);
        },
      },
      fromCheckpoint,
      pageSize,
      pollIntervalMs,
      options.signal,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    this.onSubscriptionStarted();
    return subscription;
  }

  appendedElsewhere(): void {
    if (!this.closed) this.appendSignal.emit('appended');
  }

  /** Hook for adapters that listen for other processes' appends (PostgreSQL LISTEN). */
  protected onSubscriptionStarted(): void {}

  async streamRevision(stream: string, asOf?: AsOf): Promise<number | null> {
    this.assertOpen();
    assertValidStreamName(stream);
    return this.selectStreamRevision(stream, boundOf(asOf));
  }

  async aggregateStream<S>(stream: string, reducer: StreamReducer<S>, options: { asOf?: AsOf } = {}): Promise<StreamState<S>> {
    let state = reducer.initial;
    let last: RecordedEvidenceEvent | undefined;
    for await (const event of this.readStream(stream, { asOf: options.asOf })) {
      state = reducer.evolve(state, event);
      last = event;
    }
    return { stream, state, revision: last?.revision ?? null, position: last?.position ?? null, recordedAt: last?.recordedAt ?? null };
  }

  async head(): Promise<ChainHead | null> {
    this.assertOpen();
    return this.selectHead();
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    this.assertOpen();
    return verifyChain(
      {
        headPosition: async () => (await this.selectHead())?.position ?? 0,
        rowAt: (position) => this.selectRowAt(position),
        rowsAfter: (afterPosition, toPosition, limit) => this.selectAllPage({ afterPosition, toPosition, limit }),
        positionLinkingTo: (prevHash, exceptPosition) => this.selectPositionLinkingTo(prevHash, exceptPosition),
      },
      options,
    );
  }

  private async treeSizeAtMost(size: number | undefined, what: string): Promise<number> {
    const stored = await this.selectTreeSize();
    if (size === undefined) return stored;
    if (!Number.isSafeInteger(size) || size < 0 || size > stored) {
      throw new MerkleRangeError(`${what} ${size} is not a tree size between 0 and ${stored} (the events in the tree)`);
    }
    return size;
  }

  async treeHead(size?: number): Promise<TreeHead> {
    this.assertOpen();
    const n = await this.treeSizeAtMost(size, 'size');
    const lookup = lookupIn(await this.selectTreeNodes(nodesForRoot(n)));
    return { size: n, rootHash: Buffer.from(rootAt(RFC6962_SHA256, lookup, n)) };
  }

  async inclusionProof(position: number, size: number): Promise<Buffer[]> {
    this.assertOpen();
    const n = await this.treeSizeAtMost(size, 'size');
    const lookup = lookupIn(await this.selectTreeNodes(nodesForInclusion(position - 1, n)));
    return inclusionProof(RFC6962_SHA256, lookup, position - 1, n).map((d) => Buffer.from(d));
  }

  async consistencyProof(first: number, second: number): Promise<Buffer[]> {
    this.assertOpen();
    const n = await this.treeSizeAtMost(second, 'second size');
    const lookup = lookupIn(await this.selectTreeNodes(nodesForConsistency(first, n)));
    return consistencyProof(RFC6962_SHA256, lookup, first, n).map((d) => Buffer.from(d));
  }

  async eventById(id: string): Promise<RecordedEvidenceEvent | null> {
    this.assertOpen();
    if (typeof id !== 'string' || id === '') throw new InvalidReadOptionsError('id', id, 'must be a non-empty event id');
    const row = await this.selectRowById(id);
    return row ? toRecordedEvent(row) : null;
  }

  async checkpoint(by: { id: number } | { treeSize: number }): Promise<StoredCheckpoint | null> {
    this.assertOpen();
    const query: CheckpointQuery =
      'id' in by
        ? { id: wholeNumber('id', by.id, 1, 1), direction: 'backwards', limit: 1 }
        : { treeSize: wholeNumber('treeSize', by.treeSize, 0, 0), direction: 'backwards', limit: 1 };
    return (await this.selectCheckpoints(query))[0] ?? null;
  }

  async *listCheckpoints(options: ListCheckpointsOptions = {}): AsyncIterable<StoredCheckpoint> {
    this.assertOpen();
    const direction = options.direction ?? 'forwards';
    if (direction !== 'forwards' && direction !== 'backwards') {
      throw new InvalidReadOptionsError('direction', direction, "must be 'forwards' or 'backwards'");
    }
    const pageSize = pageSizeOf(options.pageSize);
    let remaining = maxCountOf(options.maxCount);
    let afterId = options.afterId === undefined ? undefined : wholeNumber('afterId', options.afterId, 0, 0);
    while (remaining > 0) {
      const limit = Math.min(pageSize, remaining);
      const rows = await this.selectCheckpoints({ afterId, direction, limit });
      for (const row of rows) yield row;
      remaining -= rows.length;
      if (rows.length < limit) return;
      afterId = rows[rows.length - 1].id;
    }
  }

  async addCosignature(c: NewCosignature): Promise<{ cosignature: StoredCosignature; alreadyStored: boolean }> {
    this.assertOpen();
    wholeNumber('checkpointId', c.checkpointId, 1, 1);
    const inserted = await this.insertCosignature(c, new Date().toISOString());
    const stored = (await this.selectCosignatures(c.checkpointId)).find((s) => s.line === c.line);
    if (!stored) throw new Error(`the cosignature of checkpoint ${c.checkpointId} was not stored`);
    return { cosignature: stored, alreadyStored: !inserted };
  }

  async cosignatures(checkpointId: number): Promise<StoredCosignature[]> {
    this.assertOpen();
    return this.selectCosignatures(wholeNumber('checkpointId', checkpointId, 1, 1));
  }

  async treeNodeHashes(level: number, fromIndex: number, count: number): Promise<Buffer[]> {
    this.assertOpen();
    for (const [name, value] of [
      ['level', level],
      ['fromIndex', fromIndex],
      ['count', count],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) throw new MerkleRangeError(`${name} must be a whole number ≥ 0, not ${value}`);
    }
    const size = await this.selectTreeSize();
    if ((fromIndex + count) * 2 ** level > size) {
      throw new MerkleRangeError(`the tree of ${size} events has no complete subtree at level ${level}, index ${fromIndex + count - 1}`);
    }
    const ids = Array.from({ length: count }, (_, i) => ({ level, index: fromIndex + i }));
    const lookup = lookupIn(await this.selectTreeNodes(ids));
    return ids.map((id) => Buffer.from(lookup(id.level, id.index)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.closed = true;
    await this.closeConnections();
  }
}
