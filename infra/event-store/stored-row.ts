/** One row of the evidence table as both adapters hand it to the shared code (data/metadata still text). */
import type { EvidenceMetadata, JsonObject, RecordedEvidenceEvent } from '../ports/event-store.port';

export interface StoredRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  recordedAt: string;
  /** Canonical JSON text, exactly as hashed. */
  data: string;
  metadata: string;
  prevHash: string;
  hash: string;
}

export function toRecordedEvent(row: StoredRow): RecordedEvidenceEvent {
  return {
    id: row.id,
    stream: row.stream,
    type: row.type,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recordedAt,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as EvidenceMetadata,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** Rows bounded by a point in the evidence: by position, or by recordedAt (which never decreases along it). */
export type EvidenceBound = { position: number } | { recordedAt: string };

export interface StreamPageQuery {
  stream: string;
  direction: 'forwards' | 'backwards';
  /** Inclusive starting revision in the direction of reading. */
  fromRevision: number;
  limit: number;
  bound?: EvidenceBound;
}

export interface AllPageQuery {
  /** Exclusive. */
  afterPosition: number;
  /** Inclusive; undefined = no upper bound. */
  toPosition?: number;
  categories?: string[];
  types?: string[];
  limit: number;
}

/** Which stored checkpoints to read: by id, by tree size, or a page after an id. */
export interface CheckpointQuery {
  id?: number;
  treeSize?: number;
  /** Exclusive, in the direction of reading. */
  afterId?: number;
  direction: 'forwards' | 'backwards';
  limit: number;
}

/** The WHERE clause of a CheckpointQuery (`placeholder(n)` gives each adapter's parameter syntax). */
export function checkpointWhere(q: CheckpointQuery, placeholder: (n: number) => string): { where: string; params: number[] } {
  const clauses: string[] = [];
  const params: number[] = [];
  const add = (sql: string, value: number): void => {
    params.push(value);
    clauses.push(`${sql} ${placeholder(params.length)}`);
  };
  if (q.id !== undefined) add('id =', q.id);
  if (q.treeSize !== undefined) add('tree_size =', q.treeSize);
  if (q.afterId !== undefined) add(q.direction === 'forwards' ? 'id >' : 'id <', q.afterId);
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}
