/**
 * Inclusion and consistency proofs as the API and the CLI hand them out (docs/evidence-format.md §9): the
 * event's leaf, the RFC 6962 audit path or consistency proof, the roots, and the signed checkpoint that
 * vouches for the tree size when one is stored. Also the check of such an answer, so the CLI verifies
 * exactly what it prints. The store's tree is derived data: a proof is only as good as the checkpoint
 * (signature verified by the caller) whose root it leads to.
 */
import { MerkleRangeError, verifyConsistency, verifyInclusion } from '../../domain/evidence/merkle';
import type { EventStore, RecordedEvidenceEvent, StoredCheckpoint } from '../ports/event-store.port';
import { RFC6962_SHA256 } from './rfc6962-hasher';
import { recordedLeafData } from './tlog-tiles';
import { storedEvidence } from '../personal-data/personal-data-event-store';

export type ProofErrorCode = 'EVENT_NOT_FOUND' | 'CHECKPOINT_NOT_FOUND' | 'PROOF_RANGE';

/** A proof that cannot be given: what was asked is not in the store (404) or not in the tree asked for (400). */
export class ProofRequestError extends Error {
  constructor(
    readonly code: ProofErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProofRequestError';
  }
}

export interface InclusionAnswer {
  eventId: string;
  position: number;
  /** 0-based: position - 1. */
  leafIndex: number;
  treeSize: number;
  leafHash: Buffer;
  rootHash: Buffer;
  auditPath: Buffer[];
  /** The stored signed checkpoint of `treeSize`, when there is one. */
  checkpoint: StoredCheckpoint | null;
}

export interface ConsistencyAnswer {
  first: number;
  second: number;
  firstRootHash: Buffer;
  secondRootHash: Buffer;
  proof: Buffer[];
  firstCheckpoint: StoredCheckpoint | null;
  secondCheckpoint: StoredCheckpoint | null;
}

/** The tree size a proof is for: the one asked, else the latest checkpoint's, else the whole tree. */
async function sizeAndCheckpoint(
  store: EventStore,
  treeSize: number | undefined,
): Promise<{ size: number; checkpoint: StoredCheckpoint | null }> {
  if (treeSize === undefined) {
    const latest = await store.latestCheckpoint();
    if (latest) return { size: latest.treeSize, checkpoint: latest };
    return { size: (await store.treeHead()).size, checkpoint: null };
  }
  await treeHeadOrRange(store, treeSize, 'treeSize');
  return { size: treeSize, checkpoint: await store.checkpoint({ treeSize }) };
}

async function treeHeadOrRange(store: EventStore, size: number, what: string): Promise<Buffer> {
  try {
    return (await store.treeHead(size)).rootHash;
  } catch (error) {
    if (error instanceof MerkleRangeError) throw new ProofRequestError('PROOF_RANGE', `${what}: ${error.message}`);
    throw error;
  }
}

export async function proveInclusion(
  store: EventStore,
  target: { eventId: string } | { position: number },
  treeSize?: number,
): Promise<InclusionAnswer> {
  let event: RecordedEvidenceEvent | null;
  // The leaf is the stored event (personal fields sealed), not a reader's opened view of it.
  const stored = storedEvidence(store);
  if ('eventId' in target) {
    event = await stored.eventById(target.eventId);
    if (!event) throw new ProofRequestError('EVENT_NOT_FOUND', `there is no event ${target.eventId}`);
  } else {
    [event = null] = await collectAll(stored.readAll({ fromPosition: target.position, toPosition: target.position, maxCount: 1 }));
    if (!event) throw new ProofRequestError('EVENT_NOT_FOUND', `there is no event at position ${target.position}`);
  }
  const { size, checkpoint } = await sizeAndCheckpoint(store, treeSize);
  if (event.position > size) {
    throw new ProofRequestError('PROOF_RANGE', `the event at position ${event.position} is not in the tree of size ${size}`);
  }
  const rootHash = await treeHeadOrRange(store, size, 'treeSize');
  return {
    eventId: event.id,
    position: event.position,
    leafIndex: event.position - 1,
    treeSize: size,
    leafHash: Buffer.from(RFC6962_SHA256.hashLeaf(recordedLeafData(event))),
    rootHash,
    auditPath: await store.inclusionProof(event.position, size),
    checkpoint,
  };
}

export async function proveConsistency(store: EventStore, first: number, second?: number): Promise<ConsistencyAnswer> {
  const { size, checkpoint } = await sizeAndCheckpoint(store, second);
  if (first > size) throw new ProofRequestError('PROOF_RANGE', `first (${first}) is larger than second (${size})`);
  const firstRootHash = await treeHeadOrRange(store, first, 'first');
  return {
    first,
    second: size,
    firstRootHash,
    secondRootHash: await treeHeadOrRange(store, size, 'second'),
    proof: await store.consistencyProof(first, size),
    firstCheckpoint: await store.checkpoint({ treeSize: first }),
    secondCheckpoint: checkpoint,
  };
}

/** Whether the audit path leads from the leaf to the root (RFC 9162 §2.1.3.2). */
export function checkInclusion(a: Pick<InclusionAnswer, 'leafIndex' | 'treeSize' | 'leafHash' | 'auditPath'>, rootHash: Buffer): boolean {
  return verifyInclusion(RFC6962_SHA256, a.leafIndex, a.treeSize, a.leafHash, a.auditPath, rootHash);
}

/** Whether the proof shows the first tree is a prefix of the second (RFC 9162 §2.1.4.2). */
export function checkConsistency(a: Pick<ConsistencyAnswer, 'first' | 'second' | 'proof'>, firstRoot: Buffer, secondRoot: Buffer): boolean {
  return verifyConsistency(RFC6962_SHA256, a.first, a.second, firstRoot, secondRoot, a.proof);
}

export type HashEncoding = 'base64' | 'hex';

export function encodeHash(hash: Buffer, encoding: HashEncoding): string {
  return hash.toString(encoding);
}

async function collectAll<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
