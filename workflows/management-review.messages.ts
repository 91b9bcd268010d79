/**
 * The messages of workflow `managementReview` (management-review.workflow.ts): one management review (9.3),
 * id and stream `management-review-<id>`. Callers (the API, the CLI, tests) import these, never the workflow.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DecisionKind, ManagementReviewEventType, ManagementReviewState } from '../domain/management-review/model';
import type { ReviewTaskTiming } from '../domain/management-review/tasks';
import type { Actor } from '../domain/shared/roles';
import type { CarriedState } from './runtime/process';
import type { RecordedEvidence } from './runtime/decider';

/**
 * The start input plans the review. A person plans it (`by`; the signed start vouches), or a signed-off
 * review schedules its successor (`scheduledFrom`: that review and the evidence of its scheduling).
 */
export interface ManagementReviewInput {
  reviewId: string;
  title: string;
  /** ISO 8601 instant: the input pack is compiled then, unless someone compiles it earlier. */
  plannedFor: string;
  chair: string;
  /** Fixed ISO 8601 duration to the next review (`P182D`). */
  interval: string;
  series?: string;
  sequence?: number;
  previousReviewId?: string | null;
  by?: Actor;
  scheduledFrom?: { reviewId: string; evidenceId: string };
  /** How long top management has for each inbox task, and when an unanswered reminder escalates (default P14D, P5D); the series keeps it. */
  timing?: ReviewTaskTiming;
  /** Set when a run continues as new. */
  carried?: CarriedState<ManagementReviewState>;
}

type Acting = { by: Actor };
export type CompileReviewInputsInput = Acting;
export type RecordReviewMinutesInput = Acting & { attendees: string[]; minutes: string };
export type RecordReviewDecisionInput = Acting & { kind: DecisionKind; owner: string; dueDate: string; text: string };
export type SignOffReviewInput = Acting;
export type CancelReviewInput = Acting & { reason: string };

export interface ManagementReviewStepResult {
  recorded: RecordedEvidence<ManagementReviewEventType>[];
  review: ManagementReviewState;
  /** The improvement a decision started (its id: workflow `improvement-<id>`), or null. */
  actionId: string | null;
  /** The next review a sign-off scheduled, or null. */
  nextReviewId: string | null;
  lastPosition: number | null;
}

export const compileReviewInputsUpdate = defineUpdate<ManagementReviewStepResult, [CompileReviewInputsInput]>('compileReviewInputs');
export const recordReviewMinutesUpdate = defineUpdate<ManagementReviewStepResult, [RecordReviewMinutesInput]>('recordReviewMinutes');
export const recordReviewDecisionUpdate = defineUpdate<ManagementReviewStepResult, [RecordReviewDecisionInput]>('recordReviewDecision');
export const signOffReviewUpdate = defineUpdate<ManagementReviewStepResult, [SignOffReviewInput]>('signOffReview');
export const cancelReviewUpdate = defineUpdate<ManagementReviewStepResult, [CancelReviewInput]>('cancelReview');
export const managementReviewStateQuery = defineQuery<ManagementReviewState>('state');
