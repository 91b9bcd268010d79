/**
 * Management review (ISO/IEC 42001 9.3): top management reviews the AIMS at planned intervals. One process
 * per review, id and stream `management-review-<id>`:
 *
 *   planned → inputs compiled → minuted → signed off      (or cancelled before sign-off)
 *
 * The input pack (9.3.2) is compiled from the evidence up to a stated log position and frozen: the position
 * and the SHA-256 of the pack's canonical JSON are recorded with it, so anyone can recompute it from the
 * evidence and compare (inputs.ts). The minutes name the attendees; each decision (9.3.3) becomes an owned,
 * timed action on the improvement register (10.1). Top management signs the review off; the AIMS owner alone
 * may not. Signing off schedules the next review of the series one interval after this one's planned date.
 * Commands, events and state are plain JSON.
 */
import type { HumanTask } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';
import type { ReviewInputPack } from './inputs';

export { MANAGEMENT_REVIEW_CATEGORY, managementReviewStream, managementReviewWorkflowId } from './identity';
/** Short enough that `<reviewId>.<decisionId>` is still an improvement id (128 characters at most). */
export const REVIEW_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const MANAGEMENT_REVIEW_SYSTEM_ACTOR: ActorRef = { id: 'aims:management-review', role: 'system' };

/** What a review may decide (9.3.3): an opportunity for continual improvement, a change to the AIMS, a resource need. */
export const DECISION_KINDS = ['continual_improvement_opportunity', 'change_to_the_aims', 'resource_need'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Who plans, compiles on demand, or cancels a review. */
export const REVIEW_PLANNER_ROLES: readonly AimsRole[] = ['top_management', 'aims_owner'];
/** Who takes the minutes (the AIMS owner often acts as the review's secretary). */
export const MINUTES_ROLES: readonly AimsRole[] = ['top_management', 'aims_owner'];
/** Who decides and who signs off: top management only (9.3.1, 9.3.3). */
export const DECISION_ROLES: readonly AimsRole[] = ['top_management'];
export const SIGN_OFF_ROLES: readonly AimsRole[] = ['top_management'];

/**
 * Top management's steps as tasks of the one inbox (5.3): the minutes once the pack is compiled, then the
 * decisions and sign-off once the minutes are recorded. Each is reminded when due and escalated to the AIMS
 * owner after that (tasks.ts); the step itself closes its task.
 */
export const REVIEW_TASK_KINDS = ['management_review_minutes', 'management_review_sign_off'] as const;
export type ReviewTaskKind = (typeof REVIEW_TASK_KINDS)[number];
export type ReviewTaskSubject = { type: 'management_review'; reviewId: string; title: string };
export type ReviewTask = HumanTask<ReviewTaskKind, ReviewTaskSubject>;

export type ReviewStatus = 'planned' | 'inputs_compiled' | 'minuted' | 'signed_off' | 'cancelled';

export interface ReviewPlan {
  title: string;
  /** The instant the review is due: its input pack is compiled then (or earlier, on demand). */
  plannedFor: string;
  /** The person who chairs the review; they must attend. */
  chair: string;
  /** Fixed-length ISO 8601 duration to the next review (`P90D`, `P52W`). */
  interval: string;
  /** The series the review belongs to and its number in it: the next review is `<series>-<sequence + 1>`. */
  series: string;
  sequence: number;
  previousReviewId: string | null;
}

export interface ReviewDecision {
  decisionId: string;
  kind: DecisionKind;
  owner: string;
  /** The date (YYYY-MM-DD or instant) the action is due by. */
  dueDate: string;
  text: string;
  /** The improvement (10.1) that carries the action: workflow and stream `improvement-<actionId>`. */
  actionId: string;
  by: ActorRef;
  at: string;
}

export interface ManagementReview {
  reviewId: string;
  status: ReviewStatus;
  plan: ReviewPlan;
  plannedBy: ActorRef;
  plannedAt: string;
  inputs: { position: number; packHash: string; pack: ReviewInputPack; by: ActorRef; at: string } | null;
  minutes: { attendees: string[]; minutes: string; by: ActorRef; at: string } | null;
  decisions: ReviewDecision[];
  signedOff: { by: ActorRef; at: string } | null;
  nextReview: { reviewId: string; plannedFor: string } | null;
  cancelled: { reason: string; by: ActorRef; at: string } | null;
  /** The review's inbox tasks (absent in a state carried from a run before they existed). */
  tasks?: ReviewTask[];
}
export type ManagementReviewState = ManagementReview | null;

// ---------- commands ----------

export type PlanManagementReview = {
  type: 'PlanManagementReview';
  reviewId: string;
  title: string;
  plannedFor: string;
  chair: string;
  interval: string;
  series?: string;
  sequence?: number;
  previousReviewId?: string | null;
  /** A person plans it; a signed-off review schedules its successor (then no `by`: the process acts). */
  by?: Actor;
  at: string;
};
/** The pack as the activity computed it from the evidence at `position`; `by` absent when the timer asked. */
export type CompileReviewInputs = {
  type: 'CompileReviewInputs';
  position: number;
  packHash: string;
  pack: ReviewInputPack;
  by?: Actor;
  at: string;
};
export type RecordReviewMinutes = { type: 'RecordReviewMinutes'; attendees: string[]; minutes: string; by: Actor; at: string };
export type RecordReviewDecision = {
  type: 'RecordReviewDecision';
  kind: DecisionKind;
  owner: string;
  dueDate: string;
  text: string;
  by: Actor;
  at: string;
};
export type SignOffReview = { type: 'SignOffReview'; by: Actor; at: string };
export type CancelReview = { type: 'CancelReview'; reason: string; by: Actor; at: string };
/** The process's own steps on its timer: a task past its due date is reminded, then escalated. */
export type SendReviewTaskReminder = { type: 'SendReviewTaskReminder'; taskId: string; at: string };
export type EscalateReviewTask = { type: 'EscalateReviewTask'; taskId: string; escalationAfterMs: number; at: string };

export type ManagementReviewCommand =
  | PlanManagementReview
  | CompileReviewInputs
  | RecordReviewMinutes
  | RecordReviewDecision
  | SignOffReview
  | CancelReview
  | SendReviewTaskReminder
  | EscalateReviewTask;

// ---------- events (their shape never changes: they are evidence) ----------

type Base = { by: ActorRef; at: string };
export type ManagementReviewPlanned = Base & { type: 'ManagementReviewPlanned'; reviewId: string } & ReviewPlan;
export type ManagementReviewInputsCompiled = Base & {
  type: 'ManagementReviewInputsCompiled';
  reviewId: string;
  position: number;
  packHash: string;
  pack: ReviewInputPack;
};
export type ManagementReviewMinutesRecorded = Base & { type: 'ManagementReviewMinutesRecorded'; attendees: string[]; minutes: string };
export type ManagementReviewDecisionRecorded = Base & {
  type: 'ManagementReviewDecisionRecorded';
  decisionId: string;
  kind: DecisionKind;
  owner: string;
  dueDate: string;
  text: string;
  actionId: string;
};
export type ManagementReviewSignedOff = Base & { type: 'ManagementReviewSignedOff'; reviewId: string; decisionCount: number };
export type ManagementReviewNextScheduled = Base & { type: 'ManagementReviewNextScheduled'; nextReviewId: string; plannedFor: string };
export type ManagementReviewCancelled = Base & { type: 'ManagementReviewCancelled'; reason: string };
/** The inbox's task events, named and shaped as every process records them (the human-task read model folds them). */
export type ReviewTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: ReviewTaskKind;
  requiredRoles: AimsRole[];
  subject: ReviewTaskSubject;
  requestedBy: null;
  assignee: null;
  dueAt: string;
};
/** The step the task asked for was taken: the task is done (`approved`, as other processes close work items). */
export type ReviewTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: ReviewTaskKind;
  outcome: 'approved';
  reasons: string[];
};
export type ReviewTaskReminderSent = Base & {
  type: 'HumanTaskReminderSent';
  taskId: string;
  dueAt: string;
  notifiedRoles: AimsRole[];
  notifiedPeople: string[];
};
export type ReviewTaskEscalated = Base & { type: 'HumanTaskEscalated'; taskId: string; escalatedTo: AimsRole };
export type ReviewTaskSuperseded = Base & { type: 'HumanTaskSuperseded'; taskId: string; reason: string };

export type ManagementReviewEvent =
  | ManagementReviewPlanned
  | ManagementReviewInputsCompiled
  | ManagementReviewMinutesRecorded
  | ManagementReviewDecisionRecorded
  | ManagementReviewSignedOff
  | ManagementReviewNextScheduled
  | ManagementReviewCancelled
  | ReviewTaskOpened
  | ReviewTaskDecided
  | ReviewTaskReminderSent
  | ReviewTaskEscalated
  | ReviewTaskSuperseded;
export type ManagementReviewEventType = ManagementReviewEvent['type'];

export const managementReviewEventData = (e: ManagementReviewEvent): JsonObject => {
  const { type: _t, ...data } = e;
  return data as unknown as JsonObject;
};
export const managementReviewEventActor = (e: ManagementReviewEvent): ActorRef => e.by;

/** The improvement that carries a decision's action (an improvement id: letters, digits, ".", "_", "-"). */
export const decisionActionId = (reviewId: string, decisionId: string): string => `${reviewId}.${decisionId}`;
export const nextDecisionId = (s: ManagementReview): string => `decision-${s.decisions.length + 1}`;
export const nextReviewIdOf = (plan: ReviewPlan): string => `${plan.series}-${plan.sequence + 1}`;
