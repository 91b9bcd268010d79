/**
 * The context of the organisation (ISO/IEC 42001 4.1, 4.2): three registers kept as evidence, one stream
 * `aims-context-organisation`, one workflow.
 *   - issues: internal and external issues that shape the AIMS, including the organisation's roles towards
 *     AI (4.1 note: provider, producer, user, customer, partner, subject, relevant authority);
 *   - interested parties and their relevant requirements (4.2);
 *   - legal, regulatory and contractual obligations (4.2 c, e.g. EU AI Act articles).
 * Each entry has an owner and a review date; every change is a new version (nothing is overwritten or
 * deleted; a retired entry stays in the record). A management review (9.3 b) reads the changes since its last
 * one (queries.ts). Commands, events and state are plain JSON.
 */
import type { HumanTask, HumanTaskOutcome } from '../shared/human-task';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';

export const AIMS_CONTEXT_CATEGORY = 'aims-context';
export const AIMS_CONTEXT_STREAM = `${AIMS_CONTEXT_CATEGORY}-organisation`;
export const AIMS_CONTEXT_WORKFLOW_ID = AIMS_CONTEXT_STREAM;
/** Who acts in the process's own steps (the review timers). */
export const AIMS_CONTEXT_SYSTEM_ACTOR: ActorRef = { id: 'aims:context', role: 'system' };

/** Who keeps the registers: the AIMS owner, top management, and risk owners (who meet the obligations). */
export const CONTEXT_EDITOR_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management', 'risk_owner'];

export const CONTEXT_REGISTERS = ['issue', 'interested_party', 'obligation'] as const;
export type ContextRegister = (typeof CONTEXT_REGISTERS)[number];

/** The organisation's roles towards AI (ISO/IEC 22989 5.19, as 42001 4.1 lists them). */
export const AI_ROLES = ['provider', 'producer', 'user', 'customer', 'partner', 'subject', 'relevant_authority'] as const;
export type AiRole = (typeof AI_ROLES)[number];

export type IssueContent = {
  register: 'issue';
  origin: 'internal' | 'external';
  title: string;
  description: string;
  /** The organisation's roles towards AI this issue records (empty for other issues). */
  aiRoles: AiRole[];
};

export type InterestedPartyContent = {
  register: 'interested_party';
  name: string;
  description: string;
  /** Their requirements relevant to the AIMS (4.2 b). */
  requirements: string[];
  /** Which of them the AIMS addresses, and how (4.2 c), if said. */
  addressedThrough: string | null;
};

export type ObligationContent = {
  register: 'obligation';
  source: 'legal' | 'regulatory' | 'contractual' | 'other';
  title: string;
  description: string;
  /** Where it comes from, e.g. `EU AI Act Art.9`, a contract clause. */
  references: string[];
  /** The AI systems it applies to (empty: the organisation as a whole). */
  appliesTo: string[];
};

export type ContextContent = IssueContent | InterestedPartyContent | ObligationContent;

export type ContextEntry = {
  entryId: string;
  register: ContextRegister;
  version: number;
  content: ContextContent;
  /** Actor id of the person who answers for the entry. */
  owner: string;
  /** The date (YYYY-MM-DD) by which it must be reviewed. */
  reviewBy: string;
  status: 'active' | 'retired';
  recordedBy: ActorRef;
  recordedAt: string;
  lastReviewedAt: string | null;
};

export const CONTEXT_REVIEW_TASK_KIND = 'context_entry_review';

/** What a review task concerns: one entry at the version and review date that made it fall due. */
export type ContextReviewSubject = { type: 'context_entry'; entryId: string; register: ContextRegister; version: number; reviewBy: string };

/** The review of an entry that fell due: assigned to its owner, reminded and escalated like every task. */
export type ContextReviewTask = HumanTask<typeof CONTEXT_REVIEW_TASK_KIND, ContextReviewSubject> & { assignee: string };

export type AimsContextState = {
  entries: Record<string, ContextEntry>;
  /** How many entries each register has ever had (ids are derived from it). */
  counts: Record<ContextRegister, number>;
  /**
   * Review tasks opened by the review-date timers (patch `aims-context-review-timers`). Absent in a state
   * carried from a run before them: read it through `reviewTasksOf`.
   */
  tasks?: ContextReviewTask[];
};

export const INITIAL_AIMS_CONTEXT_STATE: AimsContextState = {
  entries: {},
  counts: { issue: 0, interested_party: 0, obligation: 0 },
  tasks: [],
};

// ---------- commands ----------

export type RecordContextEntry = {
  type: 'RecordContextEntry';
  /** A new id for a new entry, or the id of the entry this revises. */
  entryId: string;
  /** For a revision: the version the change was made against (refused if the entry moved on). */
  expectedVersion: number | null;
  content: ContextContent;
  owner: string;
  reviewBy: string;
  /** Why it is recorded or changed. */
  reason: string;
  by: Actor;
  at: string;
};

export type ReviewContextEntry = {
  type: 'ReviewContextEntry';
  entryId: string;
  /** The next review date. */
  reviewBy: string;
  note: string;
  by: Actor;
  at: string;
};

export type RetireContextEntry = { type: 'RetireContextEntry'; entryId: string; reason: string; by: Actor; at: string };

/** The process's own: an entry's review date comes within the notice period, so its review task opens. */
export type OpenContextEntryReview = {
  type: 'OpenContextEntryReview';
  entryId: string;
  taskId: string;
  /** How long before the review date the task opens, and how long the owner has once it is open (ms). */
  noticeMs: number;
  reviewTimeMs: number;
  at: string;
};
export type SendContextReviewReminder = { type: 'SendContextReviewReminder'; taskId: string; at: string };
export type EscalateContextReview = { type: 'EscalateContextReview'; taskId: string; escalationAfterMs: number; at: string };

export type AimsContextCommand =
  RecordContextEntry | ReviewContextEntry | RetireContextEntry | OpenContextEntryReview | SendContextReviewReminder | EscalateContextReview;

// ---------- events ----------

type Base = { by: ActorRef; at: string };
export type ContextEntryRecorded = Base & {
  type: 'ContextEntryRecorded';
  entryId: string;
  register: ContextRegister;
  version: number;
  content: ContextContent;
  owner: string;
  reviewBy: string;
  reason: string;
};
export type ContextEntryReviewed = Base & {
  type: 'ContextEntryReviewed';
  entryId: string;
  version: number;
  reviewBy: string;
  note: string;
};
export type ContextEntryRetired = Base & { type: 'ContextEntryRetired'; entryId: string; version: number; reason: string };

/** The review task of an entry, in the one inbox; its owner is the assignee (told, and reminded). */
export type ContextReviewTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: typeof CONTEXT_REVIEW_TASK_KIND;
  requiredRoles: AimsRole[];
  assignee: string;
  subject: ContextReviewSubject;
  requestedBy: null;
  dueAt: string;
};
export type ContextReviewTaskReminderSent = Base & {
  type: 'HumanTaskReminderSent';
  taskId: string;
  dueAt: string;
  notifiedRoles: AimsRole[];
  notifiedPeople: string[];
};
export type ContextReviewTaskEscalated = Base & { type: 'HumanTaskEscalated'; taskId: string; escalatedTo: AimsRole };
/** A review or a new version of the entry answered its review task. */
export type ContextReviewTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: typeof CONTEXT_REVIEW_TASK_KIND;
  outcome: HumanTaskOutcome;
  reasons: string[];
};
/** The entry was retired: nothing left to review. */
export type ContextReviewTaskSuperseded = Base & { type: 'HumanTaskSuperseded'; taskId: string; reason: string };

export type ContextReviewTaskEvent =
  | ContextReviewTaskOpened
  | ContextReviewTaskReminderSent
  | ContextReviewTaskEscalated
  | ContextReviewTaskDecided
  | ContextReviewTaskSuperseded;

export type AimsContextEvent = ContextEntryRecorded | ContextEntryReviewed | ContextEntryRetired | ContextReviewTaskEvent;
export type AimsContextEventType = AimsContextEvent['type'];
