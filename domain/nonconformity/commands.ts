/**
 * What callers ask of a nonconformity. Every command carries its own time (`at`, an ISO 8601 instant) and
 * every id it introduces (made by the caller), because the domain never reads a clock or makes ids.
 *
 * A command a person issues carries `by`: who they are and every AIMS role they hold (from their token).
 * `decide` chooses the role they act under (domain/nonconformity/authority.ts) and records `{ id, role }`
 * in the event. Commands issued by the workflow's timers (reminder, overdue, escalation, review due) carry
 * no actor: the evidence envelope records the workflow as their source.
 */
import type { Actor, ActorRef } from '../shared/roles';
import type { EffectivenessOutcome, NonconformitySeverity, NonconformitySource, RootCauseAnalysisMethod } from './nonconformity';

/**
 * Raised either by a person (`by`), or by another process of the AIMS on a record of its own (an AI
 * system's lifecycle, on a monitoring breach or a serious incident): then `openedBy` names whoever that
 * record names, under the role recorded there, and is recorded as given, because that process has already
 * judged their authority. Exactly one of the two.
 */
export type RaiseNonconformity = {
  type: 'RaiseNonconformity';
  nonconformityId: string;
  at: string;
  by?: Actor;
  openedBy?: ActorRef;
  title: string;
  description: string;
  source: NonconformitySource;
  sourceReference?: string | null;
  severity: NonconformitySeverity;
  aiSystemIds: string[];
  /** Annex A control ids, e.g. `A.6.2.6`; checked against the catalogue. */
  annexAControlIds: string[];
  /** Clause ids of 4–10, e.g. `10.2`; checked against the catalogue. */
  clauseIds: string[];
  /** Fixed-length ISO 8601 duration (`P30D`, `PT12H`) from the last action's completion to the review. */
  effectivenessReviewDelay: string;
};

export type RecordContainment = {
  type: 'RecordContainment';
  nonconformityId: string;
  at: string;
  by: Actor;
  actions: string[];
  /** Required when `actions` is empty: why no containment is needed. */
  justification?: string | null;
  evidenceRefs?: string[];
};

export type SubmitRootCauseAnalysis = {
  type: 'SubmitRootCauseAnalysis';
  nonconformityId: string;
  at: string;
  by: Actor;
  method: RootCauseAnalysisMethod;
  /** Required when `method` is `other`. */
  methodDescription?: string | null;
  causes: string[];
  contributingFactors: string[];
  similarNonconformityIds?: string[];
  evidenceRefs?: string[];
};

export type CorrectiveActionInput = { actionId: string; description: string; owner: string; dueDate: string };

export type SubmitCorrectiveActionPlan = {
  type: 'SubmitCorrectiveActionPlan';
  nonconformityId: string;
  at: string;
  by: Actor;
  planId: string;
  actions: CorrectiveActionInput[];
};

export type ApproveCorrectiveActionPlan = {
  type: 'ApproveCorrectiveActionPlan';
  nonconformityId: string;
  at: string;
  by: Actor;
  /** The plan being approved: a decision on a plan that is no longer pending is refused. */
  planId: string;
  comment?: string | null;
};

export type RejectCorrectiveActionPlan = {
  type: 'RejectCorrectiveActionPlan';
  nonconformityId: string;
  at: string;
  by: Actor;
  planId: string;
  reasons: string[];
};

export type CompleteCorrectiveAction = {
  type: 'CompleteCorrectiveAction';
  nonconformityId: string;
  at: string;
  by: Actor;
  actionId: string;
  /** At least one reference to the evidence that the action was done. */
  evidenceRefs: string[];
  note?: string | null;
};

export type IssueCorrectiveActionReminder = {
  type: 'IssueCorrectiveActionReminder';
  nonconformityId: string;
  at: string;
  actionId: string;
};

export type MarkCorrectiveActionOverdue = {
  type: 'MarkCorrectiveActionOverdue';
  nonconformityId: string;
  at: string;
  actionId: string;
};

export type EscalateCorrectiveAction = {
  type: 'EscalateCorrectiveAction';
  nonconformityId: string;
  at: string;
  actionId: string;
  /** To whom: an actor id or a role (e.g. `aims_owner`). */
  escalatedTo: string;
};

export type MarkEffectivenessReviewDue = { type: 'MarkEffectivenessReviewDue'; nonconformityId: string; at: string };

export type RecordEffectivenessReview = {
  type: 'RecordEffectivenessReview';
  nonconformityId: string;
  at: string;
  by: Actor;
  outcome: EffectivenessOutcome;
  findings: string;
  evidenceRefs?: string[];
};

/** The commands people issue (each carries `by`; a raise may carry `openedBy` instead). */
export type PersonCommand =
  | RaiseNonconformity
  | RecordContainment
  | SubmitRootCauseAnalysis
  | SubmitCorrectiveActionPlan
  | ApproveCorrectiveActionPlan
  | RejectCorrectiveActionPlan
  | CompleteCorrectiveAction
  | RecordEffectivenessReview;

/** The commands the workflow's timers issue (no actor). */
export type TimerCommand =
  IssueCorrectiveActionReminder | MarkCorrectiveActionOverdue | EscalateCorrectiveAction | MarkEffectivenessReviewDue;

export type NonconformityCommand = PersonCommand | TimerCommand;

export type NonconformityCommandType = NonconformityCommand['type'];
export type PersonCommandType = PersonCommand['type'];
export type TimerCommandType = TimerCommand['type'];

/**
 * The name a person's step travels under: the command type in lowerCamelCase (`recordContainment`). The
 * workflow's Updates carry these names, and refusals name the step in their details as `update`.
 */
export type NonconformityStepName = Uncapitalize<PersonCommandType>;

export function stepNameOf<T extends PersonCommandType>(type: T): Uncapitalize<T> {
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}` as Uncapitalize<T>;
}

export const TIMER_COMMAND_TYPES = [
  'IssueCorrectiveActionReminder',
  'MarkCorrectiveActionOverdue',
  'EscalateCorrectiveAction',
  'MarkEffectivenessReviewDue',
] as const satisfies readonly TimerCommandType[];

/** True for the commands the workflow's timers issue, which no person may be refused (a refusal is a bug). */
export function isTimerCommand(command: NonconformityCommand): command is TimerCommand {
  return (TIMER_COMMAND_TYPES as readonly string[]).includes(command.type);
}

export const NONCONFORMITY_COMMAND_TYPES = [
  'RaiseNonconformity',
  'RecordContainment',
  'SubmitRootCauseAnalysis',
  'SubmitCorrectiveActionPlan',
  'ApproveCorrectiveActionPlan',
  'RejectCorrectiveActionPlan',
  'CompleteCorrectiveAction',
  'IssueCorrectiveActionReminder',
  'MarkCorrectiveActionOverdue',
  'EscalateCorrectiveAction',
  'MarkEffectivenessReviewDue',
  'RecordEffectivenessReview',
] as const satisfies readonly NonconformityCommandType[];

// Compile-time check that the list above names every command type.
const everyCommandTypeListed: [Exclude<NonconformityCommandType, (typeof NONCONFORMITY_COMMAND_TYPES)[number]>] extends [never]
  ? true
  : false = true;
void everyCommandTypeListed;
const everyTimerCommandTypeListed: [Exclude<TimerCommandType, (typeof TIMER_COMMAND_TYPES)[number]>] extends [never] ? true : false = true;
void everyTimerCommandTypeListed;
