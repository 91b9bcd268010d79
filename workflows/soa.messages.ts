/**
 * The messages of workflow `statementOfApplicability` (soa.workflow.ts): the organisation's SoA, one run
 * per organisation. Callers (the API, tests) import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AttestedStatus, SoaEntryInput, SoaEventType, SoaRevisionCause, SoaState } from '../domain/soa/model';
import type { HumanTaskOutcome } from '../domain/shared/human-task';
import type { Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

export interface ProposeSoaRevisionInput {
  by: Actor;
  summary: string;
  entries: SoaEntryInput[];
  answersRequestIds?: string[];
}

export interface DecideSoaTaskInput {
  by: Actor;
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
}

export interface RequestSoaRevisionInput {
  by: Actor;
  reason: string;
  cause: SoaRevisionCause;
}

export interface DismissSoaRevisionRequestInput {
  by: Actor;
  taskId: string;
  reasons: string[];
}

export interface AttestControlInput {
  by: Actor;
  controlId: string;
  status: AttestedStatus;
  evidenceRefs: string[];
  note: string;
  reviewBy: string;
}

/** The run starts empty (started before its first command) and never ends: it continues as new. */
export interface SoaInput {
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<SoaState>;
}

export interface SoaStepResult {
  recorded: RecordedEvidence<SoaEventType>[];
  /** The revision, request or control the step concerned. */
  subjectId: string;
  /** The task opened by the step, if any. */
  taskId: string | null;
  /** The SoA version in force after the step. */
  version: number;
  lastPosition: number | null;
}

export const proposeSoaRevisionUpdate = defineUpdate<SoaStepResult, [ProposeSoaRevisionInput]>('proposeSoaRevision');
export const reviewSoaRevisionUpdate = defineUpdate<SoaStepResult, [DecideSoaTaskInput]>('reviewSoaRevision');
export const approveSoaRevisionUpdate = defineUpdate<SoaStepResult, [DecideSoaTaskInput]>('approveSoaRevision');
export const requestSoaRevisionUpdate = defineUpdate<SoaStepResult, [RequestSoaRevisionInput]>('requestSoaRevision');
export const dismissSoaRevisionRequestUpdate = defineUpdate<SoaStepResult, [DismissSoaRevisionRequestInput]>('dismissSoaRevisionRequest');
export const attestControlUpdate = defineUpdate<SoaStepResult, [AttestControlInput]>('attestControl');
export const soaStateQuery = defineQuery<SoaState>('state');
