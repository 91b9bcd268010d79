/**
 * The nonconformity record (ISO/IEC 42001 clause 10.2) as the domain holds it. Everything is plain JSON
 * (strings, numbers, booleans, null, arrays, plain objects; absent values are null, never undefined): the
 * state travels through Temporal payloads and is shown to auditors as evidence. Who did something is an
 * `ActorRef`: the person's id and the one role they acted under (chosen by `decide`, see authority.ts).
 */
import type { ActorRef } from '../shared/roles';

export const NONCONFORMITY_SOURCES = ['monitoring_breach', 'incident', 'internal_audit_finding', 'control_failure', 'complaint'] as const;
export type NonconformitySource = (typeof NONCONFORMITY_SOURCES)[number];

export const NONCONFORMITY_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type NonconformitySeverity = (typeof NONCONFORMITY_SEVERITIES)[number];

/**
 * Where a nonconformity stands. A phase begins with its first record:
 * - `raised`: recorded; the immediate reaction (containment) is awaited.
 * - `containment`: containment recorded; the root-cause analysis of the current round is awaited.
 * - `root_cause_analysis`: the round's analysis and corrective action plan are being worked out (entered by
 *   submitting an analysis, by a plan rejection, or by a reopening, which starts a round with no analysis).
 * - `plan_approval`: a corrective action plan awaits its decision.
 * - `actions_in_progress`: the approved plan's actions are being carried out.
 * - `effectiveness_review`: every action is complete; the review falls due a configured period later.
 * - `closed`: the review found the correction effective. Terminal.
 */
export const NONCONFORMITY_STATUSES = [
  'raised',
  'containment',
  'root_cause_analysis',
  'plan_approval',
  'actions_in_progress',
  'effectiveness_review',
  'closed',
] as const;
export type NonconformityStatus = (typeof NONCONFORMITY_STATUSES)[number];

export const ROOT_CAUSE_ANALYSIS_METHODS = ['five_whys', 'fishbone', 'fault_tree', 'other'] as const;
export type RootCauseAnalysisMethod = (typeof ROOT_CAUSE_ANALYSIS_METHODS)[number];

export const EFFECTIVENESS_OUTCOMES = ['effective', 'ineffective'] as const;
export type EffectivenessOutcome = (typeof EFFECTIVENESS_OUTCOMES)[number];

export type ContainmentRecord = {
  recordedAt: string;
  recordedBy: ActorRef;
  /** What was done at once to contain the nonconformity and deal with its consequences. */
  actions: string[];
  /** Why nothing (more) was needed; required when `actions` is empty. */
  justification: string | null;
  evidenceRefs: string[];
};

export type RootCauseAnalysis = {
  submittedAt: string;
  author: ActorRef;
  method: RootCauseAnalysisMethod;
  /** Which method, when `method` is `other`; otherwise null. */
  methodDescription: string | null;
  causes: string[];
  contributingFactors: string[];
  /** Other nonconformities that are similar or could occur for the same causes (clause 10.2 b). */
  similarNonconformityIds: string[];
  evidenceRefs: string[];
};

export type CorrectiveActionCompletion = {
  completedAt: string;
  completedBy: ActorRef;
  evidenceRefs: string[];
  note: string | null;
};

export type CorrectiveActionEscalation = { escalatedAt: string; escalatedTo: string; level: number };

export type CorrectiveAction = {
  actionId: string;
  description: string;
  /** Actor id of the person who must carry the action out. */
  owner: string;
  /** An instant, or a calendar date meaning "by the end of that day, UTC" (see `dueInstant`). */
  dueDate: string;
  completion: CorrectiveActionCompletion | null;
  remindersIssuedAt: string[];
  /** When the action was recorded as overdue; null while it is not (or was completed in time). */
  overdueSince: string | null;
  escalations: CorrectiveActionEscalation[];
};

export type PlanDecision =
  | { outcome: 'approved'; decidedAt: string; decidedBy: ActorRef; comment: string | null }
  | { outcome: 'rejected'; decidedAt: string; decidedBy: ActorRef; reasons: string[] };

export type CorrectiveActionPlan = {
  planId: string;
  submittedAt: string;
  author: ActorRef;
  actions: CorrectiveAction[];
  /** null while the plan awaits its decision. */
  decision: PlanDecision | null;
};

export type EffectivenessReviewResult = {
  reviewedAt: string;
  reviewedBy: ActorRef;
  outcome: EffectivenessOutcome;
  findings: string;
  evidenceRefs: string[];
};

export type EffectivenessReview = {
  scheduledAt: string;
  dueAt: string;
  /** When the review was announced as due (by the workflow's timer); null before. */
  dueNotifiedAt: string | null;
  result: EffectivenessReviewResult | null;
};

/**
 * One pass of analysis → plan → actions → effectiveness review. A reopening starts a new round; earlier
 * rounds stay as they were, so the history of every attempt is kept.
 */
export type CorrectionRound = {
  round: number;
  openedAt: string;
  /** For rounds after the first: the findings of the review that found the previous round ineffective. */
  reopenedBecause: string | null;
  /** Every analysis submitted in this round, oldest first; the last one is current. */
  rootCauseAnalyses: RootCauseAnalysis[];
  /** Every plan submitted in this round, oldest first; at most one is approved, and it is the last. */
  plans: CorrectiveActionPlan[];
  effectivenessReview: EffectivenessReview | null;
};

export type Nonconformity = {
  id: string;
  status: NonconformityStatus;
  title: string;
  description: string;
  source: NonconformitySource;
  /** The record that gave rise to it (monitoring report, incident, audit finding id …), when there is one. */
  sourceReference: string | null;
  severity: NonconformitySeverity;
  aiSystemIds: string[];
  annexAControlIds: string[];
  clauseIds: string[];
  raisedAt: string;
  raisedBy: ActorRef;
  /** Fixed-length ISO 8601 duration between the last action's completion and the effectiveness review. */
  effectivenessReviewDelay: string;
  containment: ContainmentRecord[];
  /** Oldest first; the last is the current round. Never empty once raised. */
  rounds: CorrectionRound[];
  reopenCount: number;
  closedAt: string | null;
  /** The time of the latest event: commands may not be dated before it. */
  lastEventAt: string;
};

/** The state `decide` and `evolve` work on: null until the nonconformity is raised. */
export type NonconformityState = Nonconformity | null;

export const initialNonconformityState: NonconformityState = null;

export function currentRound(nc: Nonconformity): CorrectionRound {
  return nc.rounds[nc.rounds.length - 1];
}

/** The plan of the current round that awaits a decision, if any. */
export function pendingPlan(nc: Nonconformity): CorrectiveActionPlan | null {
  const last = currentRound(nc).plans.at(-1);
  return last !== undefined && last.decision === null ? last : null;
}

/** The approved plan of the current round, if any. */
export function approvedPlan(round: CorrectionRound): CorrectiveActionPlan | null {
  const last = round.plans.at(-1);
  return last !== undefined && last.decision?.outcome === 'approved' ? last : null;
}
