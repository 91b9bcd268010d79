/**
 * The messages of workflow `nonconformity` (workflows/nonconformity.workflow.ts): its input, the Updates
 * people send with their arguments and answers, the closure signal it sends to lifecycles, and its
 * queries. Callers (the API, the CLI, tests) import these and never the workflow code itself.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CorrectiveActionInput,
  EffectivenessOutcome,
  Nonconformity,
  NonconformityEventType,
  NonconformityState,
  OpenTask,
  RaiseNonconformity,
  RootCauseAnalysisMethod,
} from '../domain/nonconformity';
import type { Actor, ActorRef } from '../domain/shared/roles';

/** Durations, as fixed-length ISO 8601 durations (`P30D`, `PT12H`, `PT2S`). */
export interface NonconformityTiming {
  /** From the last corrective action's completion to the effectiveness review (the domain's review delay). */
  effectivenessReviewDelay: string;
  /** How long before an action's due date its owner is reminded; `PT0S` sends no reminder. */
  reminderLeadTime: string;
  /** How long an action stays overdue before it is escalated to the AIMS owner (`PT0S`: at once). */
  escalationDelay: string;
}

/** A sensible default for callers (the API's configuration may override it). */
export const DEFAULT_NONCONFORMITY_TIMING: NonconformityTiming = {
  effectivenessReviewDelay: 'P30D',
  reminderLeadTime: 'P2D',
  escalationDelay: 'P3D',
};

/** What the workflow carries into its next run when it continues as new. */
export interface NonconformityCarriedState {
  state: Nonconformity;
  /** Evidence id of the last event recorded: the causation of the next one. */
  lastEvidenceId?: string | null;
}

/**
 * The nonconformity as raised (the domain's RaiseNonconformity without type, time and review delay: the
 * workflow stamps the time, the delay comes from `timing`): by a person (`by`), or by an AI system's
 * lifecycle (`openedBy`).
 */
export type NonconformityWorkflowInput = Omit<RaiseNonconformity, 'type' | 'at' | 'effectivenessReviewDelay'> & {
  /**
   * How inputs recorded before raises carried `by` named the raiser, under a role already chosen; read as
   * `openedBy`, so those histories replay and record what they recorded. New callers leave it out.
   */
  raisedBy?: ActorRef;
  timing: NonconformityTiming;
  /**
   * Set when an AI system's lifecycle raised it: evidence is correlated with `ai-system-<aiSystemId>` and
   * the raise names `triggeringEvidenceEventId` (the breach or incident event in that system's stream) as
   * its cause. The system is added to `aiSystemIds` when missing.
   */
  aiSystemId?: string;
  triggeringEvidenceEventId?: string;
  /**
   * Set when an internal audit's nonconformity finding raised it: evidence is correlated with
   * `internal-audit-<internalAuditId>`, the raise names `triggeringEvidenceEventId` (the AuditFindingRecorded
   * event) as its cause and is vouched for by it, and the audit hears of the plan's approval and of the
   * closure (`correctiveActionProgress`).
   */
  internalAuditId?: string;
  /**
   * Set when an AI objective measured off target raised it: evidence is correlated with
   * `objective-<objectiveId>`, and the raise names `triggeringEvidenceEventId` (the objective's
   * ObjectiveOffTargetActionOpened event for this very id) as its cause and is vouched for by it.
   */
  objectiveId?: string;
  /** Continue as new past this many history events even before Temporal suggests it (optional bound). */
  continueAsNewAfterHistoryLength?: number;
  /** Set by the workflow itself when it continues as new; callers leave it out. */
  carried?: NonconformityCarriedState;
};

/** Who acts: the actor id and every AIMS role they hold (from their token); the domain picks the role. */
type ActingPerson = { by: Actor };

export type RecordContainmentInput = ActingPerson & { actions: string[]; justification?: string | null; evidenceRefs?: string[] };

export type SubmitRootCauseAnalysisInput = ActingPerson & {
  method: RootCauseAnalysisMethod;
  methodDescription?: string | null;
  causes: string[];
  contributingFactors: string[];
  similarNonconformityIds?: string[];
  evidenceRefs?: string[];
};

/** `planId` and each `actionId` are made by the caller (ids never come from a validator). */
export type SubmitCorrectiveActionPlanInput = ActingPerson & { planId: string; actions: CorrectiveActionInput[] };

export type ApproveCorrectiveActionPlanInput = ActingPerson & { planId: string; comment?: string | null };

export type RejectCorrectiveActionPlanInput = ActingPerson & { planId: string; reasons: string[] };

export type CompleteCorrectiveActionInput = ActingPerson & { actionId: string; evidenceRefs: string[]; note?: string | null };

export type RecordEffectivenessReviewInput = ActingPerson & {
  outcome: EffectivenessOutcome;
  findings: string;
  evidenceRefs?: string[];
};

/** What an update answers: the events it recorded (with their evidence ids) and the state after them. */
export interface NonconformityStepResult {
  recorded: { type: NonconformityEventType; evidenceId: string }[];
  nonconformity: Nonconformity;
  /** Global evidence position of the last event recorded: callers wait for projections to reach it. */
  lastPosition: number | null;
}

export const recordContainmentUpdate = defineUpdate<NonconformityStepResult, [RecordContainmentInput]>('recordContainment');
export const submitRootCauseAnalysisUpdate = defineUpdate<NonconformityStepResult, [SubmitRootCauseAnalysisInput]>(
  'submitRootCauseAnalysis',
);
export const submitCorrectiveActionPlanUpdate = defineUpdate<NonconformityStepResult, [SubmitCorrectiveActionPlanInput]>(
  'submitCorrectiveActionPlan',
);
export const approveCorrectiveActionPlanUpdate = defineUpdate<NonconformityStepResult, [ApproveCorrectiveActionPlanInput]>(
  'approveCorrectiveActionPlan',
);
export const rejectCorrectiveActionPlanUpdate = defineUpdate<NonconformityStepResult, [RejectCorrectiveActionPlanInput]>(
  'rejectCorrectiveActionPlan',
);
export const completeCorrectiveActionUpdate = defineUpdate<NonconformityStepResult, [CompleteCorrectiveActionInput]>(
  'completeCorrectiveAction',
);
export const recordEffectivenessReviewUpdate = defineUpdate<NonconformityStepResult, [RecordEffectivenessReviewInput]>(
  'recordEffectivenessReview',
);

/**
 * What a closed nonconformity tells the lifecycle of each AI system it concerns (signal `nonconformityClosed`),
 * which holds it open until then: a later breach of the same metric must open a new nonconformity, not be
 * recorded against a closed one. `causationId` is the evidence id of NonconformityClosed.
 */
export interface NonconformityClosedNotice {
  nonconformityId: string;
  closedAt: string;
  round: number;
  causationId: string | null;
}
export const nonconformityClosedSignal = defineSignal<[NonconformityClosedNotice]>('nonconformityClosed');

export const nonconformityStateQuery = defineQuery<NonconformityState>('state');
export const openTasksQuery = defineQuery<OpenTask[]>('openTasks');

/**
 * What a nonconformity an internal audit's finding opened tells that audit (signal
 * `correctiveActionProgress`): its plan approved, or it closed. The audit closes only when each of its
 * nonconformities has one or the other (9.2.1, 10.2). `causationId` is the evidence id of the event.
 */
export interface CorrectiveActionProgressNotice {
  nonconformityId: string;
  progress: 'plan_approved' | 'closed';
  causationId: string | null;
}
export const correctiveActionProgressSignal = defineSignal<[CorrectiveActionProgressNotice]>('correctiveActionProgress');
