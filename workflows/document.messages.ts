/**
 * The messages of workflow `document` (document.workflow.ts): one controlled document, id and stream
 * `document-<id>`. Callers (the API, tests) import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  DocumentAttachmentInput,
  DocumentClassification,
  DocumentEventType,
  DocumentKind,
  DocumentRecord,
  PlannedChange,
} from '../domain/document/model';
import type { HumanTaskOutcome } from '../domain/shared/human-task';
import type { Actor, AimsRole } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

/** Task follow-ups as fixed-length ISO 8601 durations (tests give seconds). */
export interface DocumentTiming {
  /** After a task's due date passes and its reminder goes unanswered this long, it goes to the AIMS owner. */
  escalationDelay: string;
}
export const DEFAULT_DOCUMENT_TIMING: DocumentTiming = { escalationDelay: 'P5D' };

/** The start input creates the document (the first step, vouched for by the signed start). */
export interface DocumentWorkflowInput {
  documentId: string;
  kind: DocumentKind;
  title: string;
  owner: string;
  classification: DocumentClassification;
  retention: string;
  acknowledgementRoles: AimsRole[];
  /** The kind's default (12 months) when omitted. */
  reviewInterval?: string | null;
  /** How long a review or approval (default P10D), and an acknowledgement (P14D), may take before it is overdue. */
  decisionTime?: string | null;
  acknowledgementTime?: string | null;
  by: Actor;
  timing?: DocumentTiming;
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<DocumentRecord>;
}

export interface SubmitDocumentVersionInput {
  by: Actor;
  markdown?: string | null;
  /** The Markdown's sha256: digest as the content store keeps it (the caller stores it first). */
  markdownDigest?: string | null;
  attachments?: DocumentAttachmentInput[];
  changeSummary: string;
  change?: PlannedChange | null;
}

export interface DecideDocumentTaskInput {
  by: Actor;
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
  note?: string | null;
}

export interface AcknowledgeDocumentInput {
  by: Actor;
  taskId: string;
}

export interface DocumentStepResult {
  recorded: RecordedEvidence<DocumentEventType>[];
  document: DocumentRecord;
  /** The version the step concerned, if any. */
  version: number | null;
  /** Tasks the step opened. */
  taskIds: string[];
  lastPosition: number | null;
}

export const submitDocumentVersionUpdate = defineUpdate<DocumentStepResult, [SubmitDocumentVersionInput]>('submitDocumentVersion');
export const decideDocumentTaskUpdate = defineUpdate<DocumentStepResult, [DecideDocumentTaskInput]>('decideDocumentTask');
export const acknowledgeDocumentUpdate = defineUpdate<DocumentStepResult, [AcknowledgeDocumentInput]>('acknowledgeDocument');
export const documentStateQuery = defineQuery<DocumentRecord | null>('state');
