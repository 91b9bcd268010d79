/**
 * What callers ask of a nonconformity. Every command carries its own time (`at`, an ISO 8601 instant) and
 * every id it introduces (made by the caller), because the domain never reads a clock or makes ids.
 * Commands issued by the workflow's timers (reminder, overdue, escalation, review due) carry no actor:
 * the evidence envelope records the workflow as their source.
 */
import type { Actor, EffectivenessOutcome, NonconformitySeverity, NonconformitySource, RootCauseAnalysisMethod } from './nonconformity';

export type RaiseNonconformity = {
  type: 'RaiseNonconformity';
  nonconformityId: string;
  at: string;
  raisedBy: Actor;
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
  recordedBy: Actor;
  actions: string[];
  /** Required when `actions` is empty: why no containment is needed. */
  justification?: string | null;
  evidenceRefs?: string[];
};

export type SubmitRootCauseAnalysis = {
  type: 'SubmitRootCauseAnalysis';
  nonconformityId: string;
  at: string;
  author: Actor;
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
  author: Actor;
  planId: string;
  actions: CorrectiveActionInput[];
};

export type ApproveCorrectiveActionPlan = {
  type: 'ApproveCorrectiveActionPlan';
  nonconformityId: string;
  at: string;
  approvedBy: Actor;
  /** The plan being approved: a decision on a plan that is no longer pending is refused. */
  planId: string;
  comment?: string | null;
};

export type RejectCorrectiveActionPlan = {
  type: 'RejectCorrectiveActionPlan';
  nonconformityId: string;
  at: string;
  rejectedBy: Actor;
  planId: string;
  reasons: string[];
};

export type CompleteCorrectiveAction = {
  type: 'CompleteCorrectiveAction';
  nonconformityId: string;
  at: string;
  completedBy: Actor;
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
  reviewedBy: Actor;
  outcome: EffectivenessOutcome;
  findings: string;
  evidenceRefs?: string[];
};

export type NonconformityCommand =
  | RaiseNonconformity
  | RecordContainment
  | SubmitRootCauseAnalysis
  | SubmitCorrectiveActionPlan
  | ApproveCorrectiveActionPlan
  | RejectCorrectiveActionPlan
  | CompleteCorrectiveAction
  | IssueCorrectiveActionReminder
  | MarkCorrectiveActionOverdue
  | EscalateCorrectiveAction
  | MarkEffectivenessReviewDue
  | RecordEffectivenessReview;

export type NonconformityCommandType = NonconformityCommand['type'];

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
