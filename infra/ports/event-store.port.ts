/**
 * The audit-evidence event store port. Every adapter (SQLite, PostgreSQL) implements it and passes the
 * one contract suite in test/integration/event-store/. There is deliberately no update or delete.
 */

import type { JsonObject, JsonValue } from '../../domain/shared/json';
import type { VerifyScope } from '../../domain/evidence/verify-scope';

export type { VerifyScope, VerifyTrustSource } from '../../domain/evidence/verify-scope';

// The project's one JSON type (domain/shared/json.ts), re-exported as the vocabulary of this port.
export type { JsonObject, JsonPrimitive, JsonValue } from '../../domain/shared/json';

/** Who did it and on whose behalf: carried on every envelope. */
export interface EvidenceMetadata {
  actor?: { id: string; role: string };
  workflowId?: string;
  runId?: string;
  correlationId?: string;
  causationId?: string;
  source?: string;
  [key: string]: JsonValue | undefined;
}

/** An event as a caller proposes it. `id` is a UUID chosen by the caller so retries are idempotent. */
export interface NewEvidenceEvent {
  id: string;
  type: string;
  data: JsonObject;
  metadata?: EvidenceMetadata;
}

/** The envelope as stored and hashed (see docs/evidence-format.md). */
export interface RecordedEvidenceEvent {
  id: string;
  stream: string;
  type: string;
  /** 0-based revision within the stream. */
  revision: number;
  /** 1-based global position over all streams, gap-free. */
  position: number;
  /** ISO-8601 UTC timestamp with millisecond precision, set by the store. */
  recordedAt: string;
  data: JsonObject;
  metadata: EvidenceMetadata;
  prevHash: string;
  hash: string;
}

/** Optimistic concurrency: what the caller believes the stream's current revision is. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  stream: string;
  /** Revision of the last event of the batch (the stream's revision after the append). */
  nextExpectedRevision: number;
  /** Global position of the last event of the batch. */
  lastPosition: number;
  /** true when every event of the batch was already stored (an idempotent retry): nothing was written. */
  alreadyRecorded: boolean;
}

/** A point in the evidence: a global position, or a time (ISO-8601 text or a Date), both inclusive. */
export type AsOf = { position: number } | { time: string | Date };

export interface ReadStreamOptions {
  /** Default 'forwards'. */
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Default: 'start' forwards, 'end' backwards. */
  fromRevision?: number | 'start' | 'end';
  /** Rows fetched per round-trip (1..10000, default 500): memory is bounded by it, not by the stream. */
  pageSize?: number;
  /** Stop after this many events. */
  maxCount?: number;
  /** Only the events recorded at or before this point, as the stream was then. */
  asOf?: AsOf;
}

export interface ReadAllOptions {
  /** Inclusive; default 1. */
  fromPosition?: number;
  /** Inclusive; default: the last position when reading starts (later appends are left to subscribe). */
  toPosition?: number;
  /** Only streams of these categories (a stream is in category C when its name begins with `C-`). */
  categories?: string[];
  /** Only events of these types. */
  types?: string[];
  pageSize?: number;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** The last position already processed; delivery starts after it. Default 0: from the first event. */
  fromCheckpoint?: number;
  categories?: string[];
  types?: string[];
  pageSize?: number;
  /** How often to look for appends made by other processes (PostgreSQL is also woken by NOTIFY). */
  pollIntervalMs?: number;
  /** Aborting ends the iteration, like close(). */
  signal?: AbortSignal;
}

/**
 * A catch-up subscription: `for await (const event of subscription)` delivers every event after the
 * checkpoint in global order, then keeps delivering live appends until close() (or a break).
 * Iterate it once.
 */
export interface EvidenceSubscription extends AsyncIterable<RecordedEvidenceEvent> {
  /** Position of the last event delivered (the checkpoint to resume from). */
  readonly checkpoint: number;
  close(): Promise<void>;
}

/** Folds a stream's events into a state, for "the state of a stream as of …". */
export interface StreamReducer<S> {
  initial: S;
  evolve(state: S, event: RecordedEvidenceEvent): S;
}

export interface StreamState<S> {
  stream: string;
  state: S;
  /** Revision of the last event folded, null when the stream had no events at that point. */
  revision: number | null;
  position: number | null;
  recordedAt: string | null;
}

/** The last event of the global chain: what an auditor writes down to detect later truncation. */
export interface ChainHead {
  position: number;
  hash: string;
  recordedAt: string;
}

export interface VerifyProgress {
  eventsChecked: number;
  /** Last position checked. */
  position: number;
  /** Last position this verification will check. */
  toPosition: number;
}

export interface VerifyOptions {
  /** Inclusive; default 1. Checking starts from the stored hash of fromPosition - 1. */
  fromPosition?: number;
  /** Inclusive; default: the last position when verification starts. */
  toPosition?: number;
  /** A head noted earlier: it must still be in the chain, unchanged (detects truncation of the tail). */
  anchor?: { position: number; hash: string };
  /**
   * A signed checkpoint whose signature the caller has verified (evidence-checkpoints.ts): verify
   * recomputes the tree root at its size from the events and compares (checkpoint-mismatch otherwise).
   * Needs fromPosition 1; checking runs at least to its size.
   */
  checkpoint?: {
    origin: string;
    size: number;
    keyName: string;
    rootHash: string;
    /** Witnesses whose cosignatures of it verified (reported in the scope). */
    cosignedBy?: Array<{ witness: string; timestamp: number }>;
  };
  onProgress?: (progress: VerifyProgress) => void;
  /** Call onProgress every this many events (default 10000) and once at the end. */
  progressInterval?: number;
}

/**
 * What is wrong at the first broken position:
 *  - content-changed: the event there no longer hashes to its recorded hash, or its prevHash was altered;
 *  - event-missing: no event at that position (deleted), or the tail before an anchor is gone;
 *  - order-changed: the event there belongs at another position (its prevHash links elsewhere and the
 *    event that does link to the previous one is found at `foundAtPosition`);
 *  - not-canonical: the event hashes and links as recorded, but its stored data or metadata text is not
 *    its RFC 8785 canonical form (e.g. a duplicated member, which JSON parsers resolve differently): the
 *    store never writes such text, so it was written around the store;
 *  - checkpoint-mismatch: every event hashes and links, but the Merkle root of the first N events is not
 *    the one a signed checkpoint of size N vouches for: the chain was consistently rewritten after it.
 */
export type ChainProblem = 'content-changed' | 'event-missing' | 'order-changed' | 'not-canonical' | 'checkpoint-mismatch';

/** A plain, JSON-serialisable report (the CLI prints it with --json). */
export type VerifyReport =
  | {
      intact: true;
      fromPosition: number;
      toPosition: number;
      eventsChecked: number;
      /** Hash of the event at toPosition (the genesis value when nothing was checked). */
      lastHash: string;
      genesisHash: string;
      /** What this verification proves and what it cannot exclude, and against which trust source. */
      scope: VerifyScope;
    }
  | {
      intact: false;
      fromPosition: number;
      toPosition: number;
      eventsChecked: number;
      /** The first broken position. */
      position: number;
      problem: ChainProblem;
      detail: string;
      /** Last position whose event and link are intact (fromPosition - 1 when none). */
      lastIntactPosition: number;
      expectedPrevHash?: string;
      recordedHash?: string;
      recomputedHash?: string;
      foundAtPosition?: number;
      genesisHash: string;
      scope: VerifyScope;
    };

export interface EventStore {
  /** Which adapter this is (for reports). */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Appends the batch atomically at the end of `stream` and of the global chain. Errors (all typed, see
   * domain/evidence/evidence-errors.ts): InvalidStreamNameError, InvalidEvidenceEventError, EmptyAppendError,
   * InvalidExpectedRevisionError, WrongExpectedRevisionError (carries actualRevision), EventIdConflictError.
   */
  append(stream: string, events: NewEvidenceEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** A stream's events by revision, paged; nothing when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvidenceEvent>;
  /** Every event in global order from a position, filtered, paged. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvidenceEvent>;
  /** Catch-up subscription from a checkpoint, continuing with live appends. */
  subscribe(options?: SubscribeOptions): EvidenceSubscription;
  /**
   * Told that another process appended (a worker's answer named the position): this store's subscriptions
   * read now instead of at their next poll. Optional: a store without subscriptions ignores it.
   */
  appendedElsewhere?(): void;
  /**
   * Another process has been asked for an append whose evidence this one will wait for (a command in flight
   * to a worker): until the returned release is called, this store's subscriptions look for other
   * processes' appends often, so the read models can take the evidence up while the answer travels back.
   * Optional: a store told of other processes' appends anyway (PostgreSQL's NOTIFY) has no need of it.
   */
  expectAppendsElsewhere?(): () => void;
  /** The stream's current revision (or as of a point); null when it has no events (then). */
  streamRevision(stream: string, asOf?: AsOf): Promise<number | null>;
  /** The state of a stream as of a position or a time (default: now), folded while streaming. */
  aggregateStream<S>(stream: string, reducer: StreamReducer<S>, options?: { asOf?: AsOf }): Promise<StreamState<S>>;
  /** The event with this id (any stream), null when there is none. */
  eventById(id: string): Promise<RecordedEvidenceEvent | null>;
  /** The last event of the chain, null when the store is empty. */
  head(): Promise<ChainHead | null>;
  /** Recomputes the hash chain, streaming; answers intact or the first broken position and why. */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** Root of the Merkle tree over the first `size` events (default: all in the tree). O(log n) reads. */
  treeHead(size?: number): Promise<TreeHead>;
  /** RFC 6962 audit path of the event at `position` in the tree of `size` events. */
  inclusionProof(position: number, size: number): Promise<Buffer[]>;
  /** RFC 6962 consistency proof between trees of `first` and `second` events. */
  consistencyProof(first: number, second: number): Promise<Buffer[]>;
  /** Drops the stored tree and recomputes it from the events, under the write lock. */
  rebuildTree(): Promise<TreeHead>;
  /** Stores a signed checkpoint (append-only table). */
  addCheckpoint(checkpoint: NewStoredCheckpoint): Promise<StoredCheckpoint>;
  /** The most recently stored checkpoint, or null. */
  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  /** One stored checkpoint: by its id, or the most recent one of a tree size; null when there is none. */
  checkpoint(by: { id: number } | { treeSize: number }): Promise<StoredCheckpoint | null>;
  /** The stored checkpoints in id order, paged (memory bounded by the page, not the table). */
  listCheckpoints(options?: ListCheckpointsOptions): AsyncIterable<StoredCheckpoint>;
  /**
   * Stored hashes of the complete subtrees at `level` with indexes [fromIndex, fromIndex + count): what a
   * C2SP tlog-tiles hash tile holds. Each must be complete within the stored tree (MerkleRangeError).
   */
  treeNodeHashes(level: number, fromIndex: number, count: number): Promise<Buffer[]>;
  /**
   * Stores a witness's cosignature of a stored checkpoint (append-only table), which the caller has
   * verified (cosignature.ts). The same line again for the same checkpoint stores nothing.
   */
  addCosignature(cosignature: NewCosignature): Promise<{ cosignature: StoredCosignature; alreadyStored: boolean }>;
  /** The cosignatures stored for a checkpoint, in the order they were added. */
  cosignatures(checkpointId: number): Promise<StoredCosignature[]>;
  close(): Promise<void>;
}

/** The Merkle tree over the log (docs/evidence-format.md §7): its size in events and its root hash. */
export interface TreeHead {
  size: number;
  rootHash: Buffer;
}

export interface NewStoredCheckpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  keyName: string;
  /** The whole signed note (tlog-checkpoint body, blank line, signature lines). */
  note: string;
}

export interface NewCosignature {
  checkpointId: number;
  /** The witness's key name and key ID (C2SP tlog-cosignature). */
  witness: string;
  keyId: number;
  /** POSIX seconds, as signed. */
  timestamp: number;
  /** The signature line, without its line feed. */
  line: string;
}

export interface StoredCosignature extends NewCosignature {
  id: number;
  addedAt: string;
}

export interface ListCheckpointsOptions {
  /** Default 'forwards' (oldest first). */
  direction?: 'forwards' | 'backwards';
  /** Start after this id (exclusive), in the direction of reading; default: the start. */
  afterId?: number;
  /** Rows fetched per round-trip (1..10000, default 500). */
  pageSize?: number;
  maxCount?: number;
}

export interface StoredCheckpoint extends NewStoredCheckpoint {
  id: number;
  signedAt: string;
}

export { EVIDENCE_GENESIS_HASH, MAX_EVENT_BYTES } from '../../domain/evidence/evidence-envelope';
export * from '../../domain/evidence/evidence-errors';
