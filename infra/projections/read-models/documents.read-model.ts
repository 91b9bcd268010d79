/**
 * Controlled documents (7.5): one row per `document-<id>` stream, folded with the document domain's own
 * `evolve`. Filter columns answer the API's list (kind, owner, where it stands, when its review is due).
 */
import { DOCUMENT_CATEGORY, evolve, type DocumentEvent, type DocumentRecord, type DocumentState } from '../../../domain/document';
import type { RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../ports/read-model-store.port';

export interface DocumentRow {
  documentId: string;
  stream: string;
  kind: DocumentRecord['kind'];
  title: string;
  owner: string;
  classification: DocumentRecord['classification'];
  /** Where it stands without the clock: published once a version is, else the stage of its last version. */
  stage: 'draft' | 'in_review' | 'awaiting_approval' | 'published';
  publishedVersion: number | null;
  reviewDueAt: string | null;
  versions: number;
  acknowledgementsOutstanding: number;
  createdPosition: number;
  updatedAt: string;
  lastPosition: number;
}

const PREFIX = `${DOCUMENT_CATEGORY}-`;

export function documentRow(d: DocumentRecord, event: RecordedEvidenceEvent, before: DocumentRow | undefined): DocumentRow {
  const last = d.versions.at(-1);
  const stage: DocumentRow['stage'] =
    d.publishedVersion !== null
      ? 'published'
      : last?.status === 'in_review' || last?.status === 'awaiting_approval'
        ? last.status
        : 'draft';
  return {
    documentId: d.documentId,
    stream: event.stream,
    kind: d.kind,
    title: d.title,
    owner: d.owner,
    classification: d.classification,
    stage,
    publishedVersion: d.publishedVersion,
    reviewDueAt: d.reviewDueAt,
    versions: d.versions.length,
    acknowledgementsOutstanding: d.acknowledgements.filter((a) => a.version === d.publishedVersion && a.acknowledgedAt === null).length,
    createdPosition: before?.createdPosition ?? event.position,
    updatedAt: event.recordedAt,
    lastPosition: event.position,
  };
}

export const DOCUMENTS: ReadModelDefinition<DocumentRow, DocumentState> = {
  name: 'documents',
  version: 1,
  columns: [
    { name: 'kind', type: 'text', value: (r) => r.kind },
    { name: 'owner', type: 'text', value: (r) => r.owner.toLowerCase() },
    { name: 'stage', type: 'text', value: (r) => r.stage },
    { name: 'review_due_at', type: 'text', value: (r) => r.reviewDueAt },
    { name: 'created_position', type: 'integer', orderable: true, value: (r) => r.createdPosition },
  ],
  indexes: [['kind'], ['owner'], ['review_due_at']],
  keyOf: (event) => (event.stream.startsWith(PREFIX) ? event.stream.slice(PREFIX.length) : null),
  apply(current: Projected<DocumentRow, DocumentState> | null, event: RecordedEvidenceEvent) {
    // A stream that does not begin with its creation is not a document's.
    if (current === null && event.type !== 'DocumentCreated') return null;
    const state = evolve(current?.state ?? null, { ...event.data, type: event.type } as unknown as DocumentEvent);
    if (state === null || state === current?.state) return current;
    return { row: documentRow(state, event, current?.row), state };
  },
};
