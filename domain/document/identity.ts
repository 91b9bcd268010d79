/** A document's stream and workflow id, and the ids the workflow gives its tasks (unique across the inbox). */
import { DOCUMENT_CATEGORY } from './model';

export function documentWorkflowId(documentId: string): string {
  return `${DOCUMENT_CATEGORY}-${documentId}`;
}

/** The document id of a `document-<id>` stream, or null. */
export function documentIdOfStream(stream: string): string | null {
  return stream.startsWith(`${DOCUMENT_CATEGORY}-`) ? stream.slice(DOCUMENT_CATEGORY.length + 1) : null;
}

export function reviewTaskIdOf(documentId: string, version: number): string {
  return `doc-${documentId}-v${version}-review`;
}
export function approvalTaskIdOf(documentId: string, version: number): string {
  return `doc-${documentId}-v${version}-approval`;
}
export function acknowledgementTaskId(documentId: string, version: number, n: number): string {
  return `doc-${documentId}-v${version}-ack-${n}`;
}
export function revisionTaskIdOf(documentId: string, version: number): string {
  return `doc-${documentId}-v${version}-revision`;
}
export function periodicReviewTaskId(documentId: string, n: number): string {
  return `doc-${documentId}-periodic-review-${n}`;
}
