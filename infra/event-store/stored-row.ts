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
