/**
 * A toy process, used only by the runtime's tests and as the worked example of docs/architecture.md: the
 * review and approval of one piece of documented information (ISO/IEC 42001 7.5.2, "review and approval
 * for suitability and adequacy"). Pure, decider style: time and ids come in on commands.
 *
 *   draft submitted → review requested (a task due after its review period) → approved, or changes
 *   requested (rejected) → a revised draft submitted → review requested again → …
 *
 * Once the review task falls due the process reminds its reviewers by itself, once per request.
 * A real process would split this file (commands, events, decide, evolve, authority, identity, follow-ups).
 */
import type { DomainError } from '../../../domain/shared/domain-error';
import type { JsonObject } from '../../../domain/shared/json';
import { addMilliseconds, isAtOrAfter } from '../../../domain/shared/iso-time';
import { assertNever, err, ok, type Result } from '../../../domain/shared/result';
import { actingAs, actorProblem, type Actor, type ActorRef, type AimsRole } from '../../../domain/shared/roles';
import { validationFailed, type ValidationFailed } from '../../../domain/shared/validation';

// ----- identity: the workflow and its evidence stream share one name -----

export function documentReviewId(documentId: string): string {
  return `document-review-${documentId}`;
}

// ----- state -----

export type DocumentStatus = 'draft' | 'in_review' | 'changes_requested' | 'approved';

export type ReviewTask = { taskId: string; requestedBy: string; openedAt: string; dueAt: string; reminderSentAt: string | null };

export type DocumentRecord = {
  documentId: string;
  title: string;
  /** Whoever submitted the first draft: the only one who may revise it, and never its reviewer. */
  author: string;
  revision: number;
  status: DocumentStatus;
  /** The current (or last) review task; ids count the reviews, so replay derives the same. */
  review: ReviewTask | null;
  reviews: number;
  approvedBy: ActorRef | null;
};

export type DocumentState = DocumentRecord | null;

// ----- commands: a person's carry `by`; the process's own (the reminder) carry none -----

export type SubmitDraft = { type: 'SubmitDraft'; documentId: string; title: string; text: string; by: Actor; at: string };
export type RequestReview = { type: 'RequestReview'; taskId: string; reviewPeriodMs: number; by: Actor; at: string };
export type ApproveDocument = { type: 'ApproveDocument'; comment: string | null; by: Actor; at: string };
export type RejectDocument = { type: 'RejectDocument'; reasons: string[]; by: Actor; at: string };
export type SendReviewReminder = { type: 'SendReviewReminder'; at: string };

export type DocumentCommand = SubmitDraft | RequestReview | ApproveDocument | RejectDocument | SendReviewReminder;
type PersonalCommand = Exclude<DocumentCommand, SendReviewReminder>;

// ----- events (never change their shape: they are evidence) -----

export type DraftSubmitted = {
  type: 'DraftSubmitted';
  documentId: string;
  revision: number;
  title: string;
  text: string;
  author: ActorRef;
  at: string;
};
export type ReviewRequested = {
  type: 'ReviewRequested';
  documentId: string;
  revision: number;
  taskId: string;
  requestedBy: ActorRef;
  dueAt: string;
  at: string;
};
export type ReviewReminderSent = { type: 'ReviewReminderSent'; documentId: string; taskId: string; dueAt: string; at: string };
export type DocumentApproved = {
  type: 'DocumentApproved';
  documentId: string;
  revision: number;
  taskId: string;
  approvedBy: ActorRef;
  comment: string | null;
  at: string;
};
export type DocumentRejected = {
  type: 'DocumentRejected';
  documentId: string;
  revision: number;
  taskId: string;
  rejectedBy: ActorRef;
  reasons: string[];
  at: string;
};

export type DocumentEvent = DraftSubmitted | ReviewRequested | ReviewReminderSent | DocumentApproved | DocumentRejected;
export type DocumentEventType = DocumentEvent['type'];

// ----- errors: details typed per code -----

type Err<Code extends string, Details> = DomainError<Code> & { details: Details };

export type DocumentReviewError =
  | ValidationFailed
  | Err<'INVALID_ACTOR', { command: string; problem: string }>
  | Err<'MISSING_ROLE', { command: string; actorId: string; requiredRoles: AimsRole[] }>
  | Err<'NOT_THE_AUTHOR', { actorId: string; author: string }>
  | Err<'REVIEWER_IS_AUTHOR', { actorId: string }>
  | Err<'NOT_ALLOWED_NOW', { command: string; status: DocumentStatus | 'not_submitted'; allowedIn: (DocumentStatus | 'not_submitted')[] }>
  | Err<'REVIEW_NOT_DUE', { taskId: string; dueAt: string; at: string }>
  | Err<'REMINDER_ALREADY_SENT', { taskId: string; reminderSentAt: string }>;

type DetailsOf<C extends DocumentReviewError['code']> = Extract<DocumentReviewError, { code: C }>['details'];

/** A refusal; the compiler checks the details against the code. */
function refusal<C extends DocumentReviewError['code']>(
  code: C,
  message: string,
  details: DetailsOf<C>,
): Result<never, DocumentReviewError> {
  return err({ kind: 'DomainError', code, message, details } as DocumentReviewError);
}

// ----- authority: who may act (a real domain keeps this in authority.ts) -----

export const COMMAND_ROLES: Readonly<Record<PersonalCommand['type'], readonly AimsRole[]>> = {
  SubmitDraft: ['engineer', 'risk_owner', 'aims_owner'],
  RequestReview: ['engineer', 'risk_owner', 'aims_owner'],
  ApproveDocument: ['approver', 'aims_owner'],
  RejectDocument: ['approver', 'aims_owner'],
};

/** The role `by` acts under, or why they may not issue the command at all. */
function authority(command: PersonalCommand): Result<ActorRef, DocumentReviewError> {
  const problem = actorProblem(command.by);
  if (problem !== null) return refusal('INVALID_ACTOR', problem, { command: command.type, problem });
  const roles = COMMAND_ROLES[command.type];
  if (!roles.some((r) => command.by.roles.includes(r))) {
    return refusal('MISSING_ROLE', `${command.by.id} cannot ${command.type}: it needs one of the roles ${roles.join(', ')}.`, {
      command: command.type,
      actorId: command.by.id,
      requiredRoles: [...roles],
    });
  }
  return ok(actingAs(command.by, roles));
}

// ----- decide -----

function notAllowed(
  command: DocumentCommand,
  state: DocumentState,
  allowedIn: (DocumentStatus | 'not_submitted')[],
): Result<never, DocumentReviewError> {
  const status = state === null ? 'not_submitted' : state.status;
  return refusal('NOT_ALLOWED_NOW', `${command.type} is not allowed while the document is ${status}.`, {
    command: command.type,
    status,
    allowedIn,
  });
}

/** Malformed input, the way every domain says it (domain/shared/validation.ts). */
function invalid(command: string, field: string, problem: string): Result<never, DocumentReviewError> {
  return err(validationFailed(command, [{ field, problem }]));
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export function decide(command: DocumentCommand, state: DocumentState): Result<DocumentEvent[], DocumentReviewError> {
  if (command.type === 'SendReviewReminder') return sendReminder(command, state);
  const acting = authority(command);
  if (!acting.ok) return acting;
  const by = acting.value;
  switch (command.type) {
    case 'SubmitDraft': {
      if (state !== null && state.status !== 'changes_requested') return notAllowed(command, state, ['not_submitted', 'changes_requested']);
      if (state !== null && state.author !== by.id) {
        return refusal('NOT_THE_AUTHOR', `Only ${state.author}, its author, may revise this document.`, {
          actorId: by.id,
          author: state.author,
        });
      }
      if (!isText(command.title)) return invalid(command.type, 'title', 'must be a non-empty string');
      if (typeof command.text !== 'string') return invalid(command.type, 'text', 'must be a string');
      const revision = state === null ? 1 : state.revision + 1;
      const documentId = state === null ? command.documentId : state.documentId;
      return ok([{ type: 'DraftSubmitted', documentId, revision, title: command.title, text: command.text, author: by, at: command.at }]);
    }
    case 'RequestReview': {
      if (state === null || state.status !== 'draft') return notAllowed(command, state, ['draft']);
      if (!Number.isInteger(command.reviewPeriodMs) || command.reviewPeriodMs <= 0) {
        return invalid(command.type, 'reviewPeriodMs', 'must be a positive whole number of milliseconds');
      }
      const dueAt = addMilliseconds(command.at, command.reviewPeriodMs);
      return ok([
        {
          type: 'ReviewRequested',
          documentId: state.documentId,
          revision: state.revision,
          taskId: command.taskId,
          requestedBy: by,
          dueAt,
          at: command.at,
        },
      ]);
    }
    case 'ApproveDocument':
    case 'RejectDocument': {
      if (state === null || state.status !== 'in_review' || state.review === null) return notAllowed(command, state, ['in_review']);
      // Segregation of duties: nobody approves (or sends back) their own document.
      if (by.id === state.author) {
        return refusal('REVIEWER_IS_AUTHOR', `${by.id} wrote this document and so cannot review it.`, { actorId: by.id });
      }
      const { documentId, revision } = state;
      const taskId = state.review.taskId;
      if (command.type === 'ApproveDocument') {
        return ok([{ type: 'DocumentApproved', documentId, revision, taskId, approvedBy: by, comment: command.comment, at: command.at }]);
      }
      if (!Array.isArray(command.reasons) || command.reasons.length === 0 || !command.reasons.every(isText)) {
        return invalid(command.type, 'reasons', 'must name at least one reason to send back');
      }
      return ok([{ type: 'DocumentRejected', documentId, revision, taskId, rejectedBy: by, reasons: command.reasons, at: command.at }]);
    }
    default:
      return assertNever(command, 'command');
  }
}

/** The process's own step: refused unless a review is open, due, and not yet reminded. */
function sendReminder(command: SendReviewReminder, state: DocumentState): Result<DocumentEvent[], DocumentReviewError> {
  if (state === null || state.status !== 'in_review' || state.review === null) return notAllowed(command, state, ['in_review']);
  const { taskId, dueAt, reminderSentAt } = state.review;
  if (reminderSentAt !== null)
    return refusal('REMINDER_ALREADY_SENT', `Task ${taskId} was reminded at ${reminderSentAt}.`, { taskId, reminderSentAt });
  if (!isAtOrAfter(command.at, dueAt))
    return refusal('REVIEW_NOT_DUE', `Task ${taskId} is not due until ${dueAt}.`, { taskId, dueAt, at: command.at });
  return ok([{ type: 'ReviewReminderSent', documentId: state.documentId, taskId, dueAt, at: command.at }]);
}

// ----- evolve -----

export function evolve(state: DocumentState, event: DocumentEvent): DocumentState {
  switch (event.type) {
    case 'DraftSubmitted':
      return {
        documentId: event.documentId,
        title: event.title,
        author: state?.author ?? event.author.id,
        revision: event.revision,
        status: 'draft',
        review: state?.review ?? null,
        reviews: state?.reviews ?? 0,
        approvedBy: null,
      };
    case 'ReviewRequested': {
      const s = required(state, event);
      const review = {
        taskId: event.taskId,
        requestedBy: event.requestedBy.id,
        openedAt: event.at,
        dueAt: event.dueAt,
        reminderSentAt: null,
      };
      return { ...s, status: 'in_review', review, reviews: s.reviews + 1 };
    }
    case 'ReviewReminderSent': {
      const s = required(state, event);
      return { ...s, review: s.review === null ? null : { ...s.review, reminderSentAt: event.at } };
    }
    case 'DocumentApproved':
      return { ...required(state, event), status: 'approved', approvedBy: event.approvedBy };
    case 'DocumentRejected':
      return { ...required(state, event), status: 'changes_requested' };
    default:
      return assertNever(event, 'event');
  }
}

function required(state: DocumentState, event: DocumentEvent): DocumentRecord {
  if (state === null) throw new Error(`bug: ${event.type} before any draft`);
  return state;
}

export function replay(events: DocumentEvent[]): DocumentState {
  return events.reduce(evolve, null);
}

/** The id of the next review task, derived from the state (never random: replay derives the same). */
export function nextReviewTaskId(state: DocumentState): string {
  return `review-${(state?.reviews ?? 0) + 1}`;
}

// ----- how events become evidence -----

export function eventData(event: DocumentEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

/** Who the event records as acting; null for the reminder, which the process sends by itself. */
export function eventActor(event: DocumentEvent): ActorRef | null {
  switch (event.type) {
    case 'DraftSubmitted':
      return event.author;
    case 'ReviewRequested':
      return event.requestedBy;
    case 'DocumentApproved':
      return event.approvedBy;
    case 'DocumentRejected':
      return event.rejectedBy;
    case 'ReviewReminderSent':
      return null;
    default:
      return assertNever(event, 'event');
  }
}

/** A document's review and approval is evidence for control of documented information (7.5.2, 7.5.3). */
export function eventReferences(event: DocumentEvent): readonly string[] {
  return event.type === 'ReviewReminderSent' ? ['7.5.3'] : ['7.5.2', '7.5.3'];
}

// ----- follow-ups: what the process does by itself, and when -----

/** The reminder of the open review task, due at its due date; null when there is none to send. */
export function nextReminder(state: DocumentState): { at: number; summary: string; command(at: string): SendReviewReminder } | null {
  if (state === null || state.status !== 'in_review' || state.review === null || state.review.reminderSentAt !== null) return null;
  return {
    at: Date.parse(state.review.dueAt),
    summary: `reminder for review ${state.review.taskId}`,
    command: (at) => ({ type: 'SendReviewReminder', at }),
  };
}
