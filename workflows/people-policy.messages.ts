/**
 * The messages of workflow `peoplePolicy` (people-policy.workflow.ts): the organisation's switch that makes
 * role appointments count, one run per organisation. Callers import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PeoplePolicyEvent, PeoplePolicyState } from '../domain/people/enforcement';
import type { Actor, AimsRole } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

/** The run starts empty (started before its first command) and never ends: it continues as new. */
export interface PeoplePolicyInput {
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<PeoplePolicyState>;
}

export interface SetAppointmentEnforcementInput {
  by: Actor;
  enforced: boolean;
  reason: string;
}

export interface SetCompetenceRequirementInput {
  by: Actor;
  role: AimsRole;
  competence: string;
  /** null: a record of any age counts while it has not expired. */
  withinMonths: number | null;
  reason: string;
}

export interface RemoveCompetenceRequirementInput {
  by: Actor;
  role: AimsRole;
  competence: string;
  reason: string;
}

export interface SetCompetenceEnforcementInput {
  by: Actor;
  role: AimsRole;
  enforced: boolean;
  reason: string;
}

export interface PeoplePolicyStepResult {
  recorded: RecordedEvidence<PeoplePolicyEvent['type']>[];
  policy: PeoplePolicyState;
  lastPosition: number | null;
}

export const setAppointmentEnforcementUpdate = defineUpdate<PeoplePolicyStepResult, [SetAppointmentEnforcementInput]>(
  'setAppointmentEnforcement',
);
export const setCompetenceRequirementUpdate = defineUpdate<PeoplePolicyStepResult, [SetCompetenceRequirementInput]>(
  'setCompetenceRequirement',
);
export const removeCompetenceRequirementUpdate = defineUpdate<PeoplePolicyStepResult, [RemoveCompetenceRequirementInput]>(
  'removeCompetenceRequirement',
);
export const setCompetenceEnforcementUpdate = defineUpdate<PeoplePolicyStepResult, [SetCompetenceEnforcementInput]>(
  'setCompetenceEnforcement',
);
export const peoplePolicyStateQuery = defineQuery<PeoplePolicyState>('state');
