/**
 * The messages of workflows `risk` (risk.workflow.ts: one risk, id and stream `risk-<id>`) and
 * `riskCriteria` (the organisation's risk criteria, `risk-criteria-organisation`). Callers import these,
 * never the workflow code. The signals between a risk and its system's lifecycle are in risk-signals.ts.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Risk, RiskEventType, RiskSource, Score, TreatmentAction, TreatmentOption } from '../domain/risk';
import type { RiskCriteriaContent, RiskCriteriaEventType, RiskCriteriaSnapshot, RiskCriteriaState } from '../domain/risk-criteria';
import type { HumanTaskOutcome } from '../domain/shared/human-task';
import type { Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

/** Action follow-ups as fixed-length ISO 8601 durations (tests give seconds). */
export interface RiskTiming {
  reminderLeadTime: string;
  escalationDelay: string;
}
export const DEFAULT_RISK_TIMING: RiskTiming = { reminderLeadTime: 'P2D', escalationDelay: 'P3D' };

/** The start input identifies the risk (the first step, vouched for by the signed start). */
export interface RiskWorkflowInput {
  riskId: string;
  systemId: string | null;
  source: RiskSource;
  description: string;
  owner: string;
  by: Actor;
  timing?: RiskTiming;
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<Risk>;
}

export interface AssessRiskInput {
  by: Actor;
  inherent: Score;
  rationale: string;
  /** The criteria version in force, as the caller read it from its evidence; the assessment records it. */
  criteria: RiskCriteriaSnapshot;
}
export interface DecideRiskTaskInput {
  by: Actor;
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
}
export interface PlanRiskTreatmentInput {
  by: Actor;
  option: TreatmentOption;
  annexAControlIds: string[];
  ownControls: string[];
  actions: TreatmentAction[];
}
export interface CompleteTreatmentActionInput {
  by: Actor;
  actionId: string;
  evidenceRefs: string[];
  note?: string | null;
}
export interface RecordResidualRiskInput {
  by: Actor;
  residual: Score;
  rationale: string;
}

export interface RiskStepResult {
  recorded: RecordedEvidence<RiskEventType>[];
  risk: Risk;
  lastPosition: number | null;
}

export const assessRiskUpdate = defineUpdate<RiskStepResult, [AssessRiskInput]>('assessRisk');
export const decideRiskTaskUpdate = defineUpdate<RiskStepResult, [DecideRiskTaskInput]>('decideRiskTask');
export const planRiskTreatmentUpdate = defineUpdate<RiskStepResult, [PlanRiskTreatmentInput]>('planRiskTreatment');
export const completeTreatmentActionUpdate = defineUpdate<RiskStepResult, [CompleteTreatmentActionInput]>('completeTreatmentAction');
export const recordResidualRiskUpdate = defineUpdate<RiskStepResult, [RecordResidualRiskInput]>('recordResidualRisk');
export const riskStateQuery = defineQuery<Risk | null>('state');

// ----- riskCriteria -----

export interface RiskCriteriaInput {
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<RiskCriteriaState>;
}
export interface DraftRiskCriteriaInput {
  by: Actor;
  content: RiskCriteriaContent;
  justification: string;
}
export interface DecideRiskCriteriaTaskInput {
  by: Actor;
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
}
export interface RiskCriteriaStepResult {
  recorded: RecordedEvidence<RiskCriteriaEventType>[];
  draftId: string;
  /** The version in force after the step (0 before the first approval). */
  version: number;
  lastPosition: number | null;
}
export const draftRiskCriteriaUpdate = defineUpdate<RiskCriteriaStepResult, [DraftRiskCriteriaInput]>('draftRiskCriteria');
export const decideRiskCriteriaTaskUpdate = defineUpdate<RiskCriteriaStepResult, [DecideRiskCriteriaTaskInput]>('decideRiskCriteriaTask');
export const riskCriteriaStateQuery = defineQuery<RiskCriteriaState>('state');
