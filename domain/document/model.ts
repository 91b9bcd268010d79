/**
 * Controlled documents (ISO/IEC 42001 7.5.2, 7.5.3): the AI policy (5.2, A.2.2–A.2.4), the AIMS scope
 * (4.3), the risk criteria as documented information (6.1.2), procedures, information for the users of an
 * AI system (A.8.2) and other documents. One document per stream and workflow, `document-<id>`.
 *
 * A version is submitted by its author, reviewed by someone else, approved by the role the document's kind
 * requires (never the author), then published: the version published before it becomes obsolete (kept,
 * never deleted). Publication opens an acknowledgement task for each person in the roles the document
 * names (7.3), and the document falls due for review after its kind's interval; a review is closed by a
 * new version or by confirming the one in force. Planned changes to the AIMS (6.3: policy, scope, risk
 * criteria) carry their reason and consequences. Commands, events and state are plain JSON.
 */
import type { HumanTask, HumanTaskOutcome } from '../shared/human-task';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';

export const DOCUMENT_CATEGORY = 'document';
export const DOCUMENT_SYSTEM_ACTOR: ActorRef = { id: 'aims:document', role: 'system' };

export const DOCUMENT_KINDS = ['ai_policy', 'aims_scope', 'risk_criteria', 'procedure', 'ai_system_user_information', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type DocumentClassification = (typeof DOCUMENT_CLASSIFICATIONS)[number];

export const DOCUMENT_TASK_KINDS = [
  'document_review',
  'document_approval',
  'document_acknowledgement',
  'document_periodic_review',
  /** A version sent back (changes requested or rejected): its author's, answered by the next version. */
  'document_revision',
] as const;
export type DocumentTaskKind = (typeof DOCUMENT_TASK_KINDS)[number];

/** An attachment of a version: its bytes are in the content store under their digest. */
export type DocumentAttachment = { name: string; digest: string; contentType: string; size: number };

/** Why a planned change to the AIMS is made and what it entails (6.3). */
export type PlannedChange = { reason: string; consequences: string };

export type DocumentVersionStatus =
  'in_review' | 'awaiting_approval' | 'changes_requested' | 'rejected' | 'published' | 'obsolete' | 'withdrawn';

export type DocumentApproval = { by: ActorRef; at: string; reasons: string[] };

export type DocumentVersion = {
  version: number;
  /** Markdown text (or null when the version is only attachments), and its SHA-256 digest. */
  markdown: string | null;
  markdownDigest: string | null;
  attachments: DocumentAttachment[];
  changeSummary: string;
  change: PlannedChange | null;
  submittedBy: ActorRef;
  submittedAt: string;
  status: DocumentVersionStatus;
  review: DocumentApproval | null;
  approval: DocumentApproval | null;
  /** Reasons it went back to its author (changes requested or rejected). */
  returned: (DocumentApproval & { stage: 'review' | 'approval'; outcome: HumanTaskOutcome }) | null;
  publishedAt: string | null;
  obsoleteAt: string | null;
};

/** A task of the document: acknowledgements name the one person who must do them. */
export type DocumentTask = HumanTask<DocumentTaskKind, DocumentTaskSubject> & { assignee: string | null };

export type DocumentAcknowledgement = {
  version: number;
  identity: string;
  taskId: string;
  requestedAt: string;
  acknowledgedAt: string | null;
};

export type DocumentReviewRecord = { version: number; confirmedBy: ActorRef; at: string; note: string };

export type DocumentRecord = {
  documentId: string;
  kind: DocumentKind;
  title: string;
  /** Actor id of the person answerable for the document. */
  owner: string;
  classification: DocumentClassification;
  /** How long superseded versions are kept, as an ISO 8601 duration (P7Y) or text; never deleted before. */
  retention: string;
  /** Roles whose holders must acknowledge each published version (7.3); may be empty. */
  acknowledgementRoles: AimsRole[];
  /** How long a published version stays in force before its review falls due (P12M, P30D, PT5S). */
  reviewInterval: string;
  /** How long a review or approval, and an acknowledgement, may take before the task is overdue (ISO 8601, fixed units). */
  decisionTime: string;
  acknowledgementTime: string;
  createdBy: ActorRef;
  createdAt: string;
  versions: DocumentVersion[];
  /** The version in force, or null before the first publication. */
  publishedVersion: number | null;
  /** When the version in force falls due for review (null before publication). */
  reviewDueAt: string | null;
  reviews: DocumentReviewRecord[];
  acknowledgements: DocumentAcknowledgement[];
  tasks: DocumentTask[];
};

/** Null before the document exists. */
export type DocumentState = DocumentRecord | null;
export const INITIAL_DOCUMENT_STATE: DocumentState = null;

// ---------- commands ----------

export type CreateDocument = {
  type: 'CreateDocument';
  documentId: string;
  kind: DocumentKind;
  title: string;
  owner: string;
  classification: DocumentClassification;
  retention: string;
  acknowledgementRoles: AimsRole[];
  reviewInterval?: string | null;
  /** Defaults: P10D to review or approve, P14D to acknowledge. */
  decisionTime?: string | null;
  acknowledgementTime?: string | null;
  by: Actor;
  at: string;
};

export type DocumentAttachmentInput = { name: string; digest: string; contentType: string; size: number };

export type SubmitDocumentVersion = {
  type: 'SubmitDocumentVersion';
  /** Given by the workflow: the next version number and its review task. */
  version: number;
  reviewTaskId: string;
  markdown?: string | null;
  /** The digest of the Markdown as stored (the workflow computes it; the domain checks its form). */
  markdownDigest?: string | null;
  attachments?: DocumentAttachmentInput[];
  changeSummary: string;
  change?: PlannedChange | null;
  by: Actor;
  at: string;
};

/** A review, an approval or a periodic review, decided by a person from the inbox. */
export type DecideDocumentTask = {
  type: 'DecideDocumentTask';
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
  note?: string | null;
  by: Actor;
  at: string;
};

export type AcknowledgeDocument = { type: 'AcknowledgeDocument'; taskId: string; by: Actor; at: string };

/** The process's own: an acknowledgement task for each person in the named roles. */
export type RequestAcknowledgements = {
  type: 'RequestAcknowledgements';
  version: number;
  people: { id: string; roles: AimsRole[] }[];
  /** Where the list of people came from (the token store until there is a person register). */
  source: string;
  at: string;
};
export type SendDocumentTaskReminder = { type: 'SendDocumentTaskReminder'; taskId: string; at: string };
export type EscalateDocumentTask = { type: 'EscalateDocumentTask'; taskId: string; escalationAfterMs: number; at: string };
export type OpenPeriodicReview = { type: 'OpenPeriodicReview'; at: string };

export type DocumentCommand =
  | CreateDocument
  | SubmitDocumentVersion
  | DecideDocumentTask
  | AcknowledgeDocument
  | RequestAcknowledgements
  | SendDocumentTaskReminder
  | EscalateDocumentTask
  | OpenPeriodicReview;

// ---------- events ----------

type Base = { by: ActorRef; at: string };
export type DocumentCreated = Base & {
  type: 'DocumentCreated';
  documentId: string;
  kind: DocumentKind;
  title: string;
  owner: string;
  classification: DocumentClassification;
  retention: string;
  acknowledgementRoles: AimsRole[];
  reviewInterval: string;
  decisionTime: string;
  acknowledgementTime: string;
};
export type DocumentVersionSubmitted = Base & {
  type: 'DocumentVersionSubmitted';
  documentId: string;
  version: number;
  markdown: string | null;
  markdownDigest: string | null;
  attachments: DocumentAttachment[];
  changeSummary: string;
  change: PlannedChange | null;
  /** The version sent back to its author that this one answers, if any. */
  replacesVersion: number | null;
};
export type DocumentTaskSubject = { type: 'document_version'; documentId: string; version: number };
export type DocumentTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: DocumentTaskKind;
  requiredRoles: AimsRole[];
  subject: DocumentTaskSubject;
  requestedBy: string | null;
  /** The one person who must do it (acknowledgements), or null: any holder of the roles. */
  assignee: string | null;
  dueAt: string;
};
export type DocumentTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: DocumentTaskKind;
  outcome: HumanTaskOutcome;
  reasons: string[];
};
export type DocumentTaskReminderSent = Base & {
  type: 'HumanTaskReminderSent';
  taskId: string;
  dueAt: string;
  /** Whoever may decide it; empty when the task names its one person (notifiedPeople). */
  notifiedRoles: AimsRole[];
  notifiedPeople: string[];
};
export type DocumentTaskEscalated = Base & { type: 'HumanTaskEscalated'; taskId: string; escalatedTo: AimsRole };
export type DocumentTaskSuperseded = Base & { type: 'HumanTaskSuperseded'; taskId: string; reason: string };
export type DocumentVersionReviewed = Base & { type: 'DocumentVersionReviewed'; documentId: string; version: number };
export type DocumentVersionReturned = Base & {
  type: 'DocumentVersionReturned';
  documentId: string;
  version: number;
  stage: 'review' | 'approval';
  outcome: HumanTaskOutcome;
  reasons: string[];
};
export type DocumentVersionPublished = Base & {
  type: 'DocumentVersionPublished';
  documentId: string;
  version: number;
  /** The version it replaces, now obsolete (kept, never deleted). */
  obsoletes: number | null;
  reviewDueAt: string;
};
export type DocumentAcknowledgementsRequested = Base & {
  type: 'DocumentAcknowledgementsRequested';
  documentId: string;
  version: number;
  people: string[];
  source: string;
};
export type DocumentAcknowledged = Base & { type: 'DocumentAcknowledged'; documentId: string; version: number; taskId: string };
export type DocumentReviewDue = Base & { type: 'DocumentReviewDue'; documentId: string; version: number; dueAt: string };
export type DocumentReviewConfirmed = Base & {
  type: 'DocumentReviewConfirmed';
  documentId: string;
  version: number;
  note: string;
  reviewDueAt: string;
};

export type DocumentEvent =
  | DocumentCreated
  | DocumentVersionSubmitted
  | DocumentTaskOpened
  | DocumentTaskDecided
  | DocumentTaskReminderSent
  | DocumentTaskEscalated
  | DocumentTaskSuperseded
  | DocumentVersionReviewed
  | DocumentVersionReturned
  | DocumentVersionPublished
  | DocumentAcknowledgementsRequested
  | DocumentAcknowledged
  | DocumentReviewDue
  | DocumentReviewConfirmed;
export type DocumentEventType = DocumentEvent['type'];
