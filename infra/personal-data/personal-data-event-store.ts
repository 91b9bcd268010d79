/**
 * Crypto-shredding over any evidence store (docs/personal-data.md). A decorator of the EventStore port:
 *  - append seals every personal field (domain/personal-data/personal-fields.ts) with its subject's data
 *    key before the inner store canonicalises and hashes: the chain and the Merkle tree commit to the
 *    ciphertext, so destroying a key later changes no hashed byte;
 *  - reads (readStream, readAll, subscribe, aggregateStream, eventById) open sealed fields whose key
 *    exists and give "[erased]" for the others; hashes, positions and everything else are as stored;
 *  - the tree, proofs, checkpoints and verify are the inner store's, over the stored bytes.
 * Export, packs and tlog entry bundles must carry the stored bytes (the tree's leaves): they read through
 * `storedEvidence(store)`, which unwraps this decorator.
 * Sealing is deterministic (subject-cipher.ts), so a retried append stores identical bytes.
 */
import type { JsonObject, JsonValue } from '../../domain/shared/json';
import {
  ERASED,
  formatSealed,
  mapPersonalFields,
  mapSealedFields,
  sealedFieldAad,
  sealedSubjects,
  UNREADABLE,
  type PersonalField,
} from '../../domain/personal-data/personal-fields';
import type {
  AppendOptions,
  AppendResult,
  AsOf,
  EventStore,
  EvidenceSubscription,
  NewEvidenceEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvidenceEvent,
  StreamReducer,
  StreamState,
  SubscribeOptions,
} from '../ports/event-store.port';
import { canonicalize } from '../../domain/evidence/canonical-json';
import {
  identityDigest,
  newDataKey,
  newSubjectId,
  openText,
  PersonalDataKeyError,
  sealText,
  unwrapDataKey,
  wrapDataKey,
  type Kek,
} from './subject-cipher';
import type { SubjectKeyRow, SubjectKeyStore } from './subject-key-store';

/** The stored form of the evidence: the store under any crypto-shredding decorator. */
export function storedEvidence(store: EventStore): EventStore {
  return store instanceof PersonalDataEventStore ? store.stored : store;
}

function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A subject's data key, or null when the subject is erased (or its erasure has begun). */
type KeyCache = Map<string, Buffer | null>;

export class PersonalDataEventStore implements EventStore {
  constructor(
    readonly stored: EventStore,
    readonly keys: SubjectKeyStore,
    private readonly kek: Kek,
  ) {}

  get kind(): EventStore['kind'] {
    return this.stored.kind;
  }

  /** The key-table lookup value of a normalised identity. */
  identityDigestOf(identity: string): string {
    return identityDigest(this.kek, identity);
  }

  // ---- sealing -------------------------------------------------------------------------------------

  /** The live subject (and its data key) of a normalised identity, created on first use. */
  async subjectOf(identity: string): Promise<{ row: SubjectKeyRow; key: Buffer }> {
    const digest = identityDigest(this.kek, identity);
    const existing = await this.keys.byIdentityDigest(digest);
    let row = existing;
    let key: Buffer | null = null;
    if (row === null) {
      const subjectId = newSubjectId();
      const fresh = newDataKey();
      row = await this.keys.subjectFor({
        subjectId,
        identityDigest: digest,
        keyId: fresh.keyId,
        wrappedKey: wrapDataKey(this.kek, subjectId, fresh.keyId, fresh.key),
        kekId: this.kek.id,
        createdAt: new Date().toISOString(),
        erasure: null,
        erasedAt: null,
      });
      if (row.subjectId === subjectId) key = fresh.key;
    }
    if (key === null) key = this.unwrap(row);
    if (key === null) throw new PersonalDataKeyError(`bug: the live subject ${row.subjectId} has no data key`);
    return { row, key };
  }

  private unwrap(row: SubjectKeyRow): Buffer | null {
    if (row.wrappedKey === null || row.erasure !== null) return null;
    if (row.kekId !== this.kek.id) {
      throw new PersonalDataKeyError(
        `subject ${row.subjectId}'s data key was wrapped by personal-data key ${row.kekId}, not the configured one (${this.kek.id})`,
      );
    }
    return unwrapDataKey(this.kek, row.subjectId, row.keyId, row.wrappedKey);
  }

  /** The event as it will be stored: every personal field sealed. Input the store would refuse is passed on as is. */
  async seal(event: NewEvidenceEvent): Promise<NewEvidenceEvent> {
    if (!isPlainObject(event) || typeof event.id !== 'string' || !isPlainObject(event.data)) return event;
    const metadata = isPlainObject(event.metadata) ? event.metadata : undefined;
    const identities = new Set<string>();
    mapPersonalFields(event.data, metadata ?? {}, (f) => {
      identities.add(f.identity);
      return null;
    });
    if (identities.size === 0) return event;
    const subjects = new Map<string, { row: SubjectKeyRow; key: Buffer }>();
    for (const identity of identities) subjects.set(identity, await this.subjectOf(identity));
    const eventId = event.id.toLowerCase();
    const sealOne = (f: PersonalField): JsonValue => {
      const { row, key } = subjects.get(f.identity) as { row: SubjectKeyRow; key: Buffer };
      const aad = sealedFieldAad(eventId, f.path, row.subjectId, row.keyId);
      const { iv, ciphertext } = sealText(key, aad, canonicalize(f.value));
      return formatSealed({ subjectId: row.subjectId, keyId: row.keyId, iv, ciphertext });
    };
    const sealed = mapPersonalFields(event.data, metadata ?? {}, sealOne);
    return { ...event, data: sealed.data, ...(metadata === undefined ? {} : { metadata: sealed.metadata }) };
  }

  async append(stream: string, events: NewEvidenceEvent[], options?: AppendOptions): Promise<AppendResult> {
    const sealed = Array.isArray(events) ? await Promise.all(events.map((e) => this.seal(e))) : events;
    return this.stored.append(stream, sealed, options);
  }

  // ---- opening -------------------------------------------------------------------------------------

  private async loadKeys(subjectIds: Iterable<string>, cache: KeyCache): Promise<void> {
    const missing = [...subjectIds].filter((s) => !cache.has(s));
    if (missing.length === 0) return;
    const rows = await this.keys.bySubjectIds(missing);
    for (const id of missing) cache.set(id, null);
    for (const row of rows) cache.set(row.subjectId, this.unwrap(row));
  }

  /** The event as a reader sees it: sealed fields opened, or "[erased]". */
  async reveal(event: RecordedEvidenceEvent, cache: KeyCache = new Map()): Promise<RecordedEvidenceEvent> {
    // One walk when every subject's key is already in the read's cache (the usual case); a second after
    // loading the keys of subjects it had not met.
    let opened = this.open(event, cache);
    if (opened === null) {
      await this.loadKeys(sealedSubjects(event.data, event.metadata as JsonObject), cache);
      opened = this.open(event, cache);
      // Every subject is in the cache now (null for the erased ones).
      if (opened === null) throw new Error('bug: a sealed field whose subject was just loaded is still missing');
    }
    if (opened.data === event.data && opened.metadata === event.metadata) return event;
    return { ...event, data: opened.data, metadata: opened.metadata };
  }

  /** The event's fields opened with the cached keys; null when a sealed field's subject is not in the cache. */
  private open(event: RecordedEvidenceEvent, cache: KeyCache): { data: JsonObject; metadata: JsonObject } | null {
    let sealedSeen = false;
    let missing = false;
    const opened = mapSealedFields(event.data, event.metadata as JsonObject, (sealed, path) => {
      sealedSeen = true;
      if (!cache.has(sealed.subjectId)) {
        missing = true;
        return null;
      }
      const key = cache.get(sealed.subjectId);
      if (key === null || key === undefined) return ERASED;
      const text = openText(key, sealedFieldAad(event.id, path, sealed.subjectId, sealed.keyId), sealed.iv, sealed.ciphertext);
      if (text === null) return UNREADABLE;
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return UNREADABLE;
      }
    });
    if (missing) return null;
    return sealedSeen ? opened : { data: event.data, metadata: event.metadata as JsonObject };
  }

  private async *revealAll(source: AsyncIterable<RecordedEvidenceEvent>): AsyncIterable<RecordedEvidenceEvent> {
    // One cache per read: an erasure that happens while a long read runs shows from the next read on.
    const cache: KeyCache = new Map();
    for await (const event of source) yield this.reveal(event, cache);
  }

  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvidenceEvent> {
    return this.revealAll(this.stored.readStream(stream, options));
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvidenceEvent> {
    return this.revealAll(this.stored.readAll(options));
  }

  subscribe(options?: SubscribeOptions): EvidenceSubscription {
    const inner = this.stored.subscribe(options);
    const reveal = (e: RecordedEvidenceEvent, cache: KeyCache): Promise<RecordedEvidenceEvent> => this.reveal(e, cache);
    return {
      get checkpoint() {
        return inner.checkpoint;
      },
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        const cache: KeyCache = new Map();
        for await (const event of inner) {
          // A subscription lives long: an erasure it delivers forgets that subject's key from then on.
          if (event.type === 'PersonalDataErased' && typeof event.data.subjectId === 'string') cache.set(event.data.subjectId, null);
          yield reveal(event, cache);
        }
      },
    };
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

  async eventById(id: string): Promise<RecordedEvidenceEvent | null> {
    const event = await this.stored.eventById(id);
    return event === null ? null : this.reveal(event);
  }

  // ---- the rest is the stored evidence's -----------------------------------------------------------

  streamRevision: EventStore['streamRevision'] = (stream, asOf) => this.stored.streamRevision(stream, asOf);
  head: EventStore['head'] = () => this.stored.head();
  verify: EventStore['verify'] = (options) => this.stored.verify(options);
  treeHead: EventStore['treeHead'] = (size) => this.stored.treeHead(size);
  inclusionProof: EventStore['inclusionProof'] = (position, size) => this.stored.inclusionProof(position, size);
  consistencyProof: EventStore['consistencyProof'] = (first, second) => this.stored.consistencyProof(first, second);
  rebuildTree: EventStore['rebuildTree'] = () => this.stored.rebuildTree();
  addCheckpoint: EventStore['addCheckpoint'] = (checkpoint) => this.stored.addCheckpoint(checkpoint);
  latestCheckpoint: EventStore['latestCheckpoint'] = () => this.stored.latestCheckpoint();
  checkpoint: EventStore['checkpoint'] = (by) => this.stored.checkpoint(by);
  listCheckpoints: EventStore['listCheckpoints'] = (options) => this.stored.listCheckpoints(options);
  treeNodeHashes: EventStore['treeNodeHashes'] = (level, fromIndex, count) => this.stored.treeNodeHashes(level, fromIndex, count);
  addCosignature: EventStore['addCosignature'] = (cosignature) => this.stored.addCosignature(cosignature);
  cosignatures: EventStore['cosignatures'] = (checkpointId) => this.stored.cosignatures(checkpointId);

  async close(): Promise<void> {
    try {
      await this.keys.close();
    } finally {
      await this.stored.close();
    }
  }
}
