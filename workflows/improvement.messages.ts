/**
 * The messages of workflow `improvement` (improvement.workflow.ts): one opportunity for improvement in the
 * register (10.1), id and stream `improvement-<id>`. Callers import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ImprovementEventType, ImprovementSource, ImprovementState } from '../domain/improvement/improvement';
import type { Actor, ActorRef } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';

/** Proposed by a person (`by`, the signed start vouches), an internal audit's OFI finding or a management review's decision. */
export interface ImprovementInput {
  improvementId: string;
  source: ImprovementSource;
  description: string;
  owner: string;
  by?: Actor;
  /** Set when an internal audit proposes it: the auditor who recorded the finding, and that evidence. */
  openedBy?: ActorRef;
  internalAuditId?: string;
  findingId?: string;
  triggeringEvidenceEventId?: string;
  /** Set when a management review's decision starts it (its evidence is `triggeringEvidenceEventId`). */
  managementReviewId?: string;
  decisionId?: string;
  /** Set when an AI objective measured off target opens it: that objective; its ObjectiveOffTargetActionOpened is the cause. */
  objectiveId?: string;
}

export type DecideImprovementInput = { by: Actor; outcome: 'accepted' | 'rejected'; rationale: string };
export type RecordImprovementOutcomeInput = { by: Actor; text: string; evidenceRefs: string[] };

export interface ImprovementStepResult {
  recorded: RecordedEvidence<ImprovementEventType>[];
  improvement: ImprovementState;
  lastPosition: number | null;
}

export const decideImprovementUpdate = defineUpdate<ImprovementStepResult, [DecideImprovementInput]>('decideImprovement');
export const recordImprovementOutcomeUpdate = defineUpdate<ImprovementStepResult, [RecordImprovementOutcomeInput]>(
  'recordImprovementOutcome',
);
export const improvementStateQuery = defineQuery<ImprovementState>('state');
