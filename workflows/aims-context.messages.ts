/**
 * The messages of workflow `aimsContext` (aims-context.workflow.ts): the organisation's context registers,
 * one run per organisation. Callers (the API, tests) import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AimsContextEventType, AimsContextState, ContextContent } from '../domain/aims-context/model';
import type { Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

export interface RecordContextEntryInput {
  by: Actor;
  /** Absent: a new entry (its id derived); present: a revision of that entry, made against `expectedVersion`. */
  entryId?: string;
  expectedVersion?: number;
  content: ContextContent;
  owner: string;
  reviewBy: string;
  reason: string;
}

export interface ReviewContextEntryInput {
  by: Actor;
  entryId: string;
  reviewBy: string;
  note: string;
}

export interface RetireContextEntryInput {
  by: Actor;
  entryId: string;
  reason: string;
}

/**
 * When review tasks open and are reminded (fixed-length ISO 8601 durations): `reviewNotice` before an
 * entry's review date its task opens for the owner, due `reviewTime` later (by the end of the review date at
 * the latest), reminded then, escalated to the AIMS owner `escalationDelay` after an unanswered reminder.
 */
export interface ContextReviewTiming {
  reviewNotice: string;
  reviewTime: string;
  escalationDelay: string;
}
export const DEFAULT_CONTEXT_REVIEW_TIMING: ContextReviewTiming = { reviewNotice: 'P14D', reviewTime: 'P14D', escalationDelay: 'P5D' };

export interface AimsContextInput {
  timing?: ContextReviewTiming;
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<AimsContextState>;
}

export interface AimsContextStepResult {
  recorded: RecordedEvidence<AimsContextEventType>[];
  entryId: string;
  /** The entry's version after the step. */
  version: number;
  lastPosition: number | null;
}

export const recordContextEntryUpdate = defineUpdate<AimsContextStepResult, [RecordContextEntryInput]>('recordContextEntry');
export const reviewContextEntryUpdate = defineUpdate<AimsContextStepResult, [ReviewContextEntryInput]>('reviewContextEntry');
export const retireContextEntryUpdate = defineUpdate<AimsContextStepResult, [RetireContextEntryInput]>('retireContextEntry');
export const aimsContextStateQuery = defineQuery<AimsContextState>('state');
