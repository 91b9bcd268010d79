/**
 * The messages of workflow `aimsScope` (aims-scope.workflow.ts): the organisation's AIMS scope, one run per
 * organisation. Callers (the API, tests) import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AimsScopeEventType, AimsScopeState, ScopeDocumentRef, ScopeStatementInput } from '../domain/aims-scope/model';
import type { HumanTaskOutcome } from '../domain/shared/human-task';
import type { Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

export interface ProposeScopeStatementInput {
  by: Actor;
  summary: string;
  statement: ScopeStatementInput;
  /** The published version of the controlled scope document (kind aims_scope) it rests on, as the API resolved it. */
  document?: ScopeDocumentRef | null;
}

export interface DecideScopeStatementInput {
  by: Actor;
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
}

export interface DecideAiSystemScopeInput {
  by: Actor;
  systemId: string;
  inScope: boolean;
  justification: string;
}

/**
 * How long a scope task is open before it is due (and reminded), and how long after an unanswered reminder
 * a system's scope decision goes to top management: fixed-length ISO 8601 durations.
 */
export interface AimsScopeTiming {
  taskTime: string;
  escalationDelay: string;
}
export const DEFAULT_AIMS_SCOPE_TIMING: AimsScopeTiming = { taskTime: 'P10D', escalationDelay: 'P5D' };

/** The run starts empty (started before its first command) and never ends: it continues as new. */
export interface AimsScopeInput {
  /** Absent: the defaults, and the tasks' due dates as before the reminders (SCOPE_TASK_TIME_MS). */
  timing?: AimsScopeTiming;
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<AimsScopeState>;
}

export interface AimsScopeStepResult {
  recorded: RecordedEvidence<AimsScopeEventType>[];
  /** The proposal or system the step concerned. */
  subjectId: string;
  /** The task opened by the step, if any. */
  taskId: string | null;
  /** The statement version in force after the step. */
  version: number;
  lastPosition: number | null;
}

export const proposeScopeStatementUpdate = defineUpdate<AimsScopeStepResult, [ProposeScopeStatementInput]>('proposeScopeStatement');
export const decideScopeStatementUpdate = defineUpdate<AimsScopeStepResult, [DecideScopeStatementInput]>('decideScopeStatement');
export const decideAiSystemScopeUpdate = defineUpdate<AimsScopeStepResult, [DecideAiSystemScopeInput]>('decideAiSystemScope');
export const aimsScopeStateQuery = defineQuery<AimsScopeState>('state');
