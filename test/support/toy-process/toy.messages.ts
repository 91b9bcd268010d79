/**
 * The messages of the toy workflow `documentReview` (toy.workflow.ts): its input, the Updates people send
 * with their arguments and answers, and its query. Callers import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../../domain/shared/roles';
import type { RecordedEvidence } from '../../../workflows/runtime/decider';
import type { CarriedState } from '../../../workflows/runtime/process';
import type { DocumentEventType, DocumentRecord, DocumentState } from './domain';

/** The first draft, as its author submits it (the workflow stamps the time). */
export interface DocumentReviewInput {
  documentId: string;
  title: string;
  text: string;
  by: Actor;
  /** Continue as new past this many history events even before Temporal suggests it (tests set it low). */
  continueAsNewAfterHistoryLength?: number;
  /** Set by the workflow itself when it continues as new; callers leave it out. */
  carried?: CarriedState<DocumentState>;
}

export type SubmitRevisionInput = { by: Actor; title: string; text: string };
export type RequestReviewInput = { by: Actor; reviewPeriodMs: number };
export type ApproveDocumentInput = { by: Actor; comment?: string | null };
export type RejectDocumentInput = { by: Actor; reasons: string[] };

/** Every answer: what was recorded (with evidence ids), the document after it, and where it landed. */
export interface DocumentStepResult {
  recorded: RecordedEvidence<DocumentEventType>[];
  document: DocumentRecord;
  lastPosition: number | null;
}

export const submitRevisionUpdate = defineUpdate<DocumentStepResult, [SubmitRevisionInput]>('submitRevision');
export const requestReviewUpdate = defineUpdate<DocumentStepResult, [RequestReviewInput]>('requestReview');
export const approveDocumentUpdate = defineUpdate<DocumentStepResult, [ApproveDocumentInput]>('approveDocument');
export const rejectDocumentUpdate = defineUpdate<DocumentStepResult, [RejectDocumentInput]>('rejectDocument');

export const documentStateQuery = defineQuery<DocumentState>('state');
