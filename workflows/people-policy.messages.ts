/**
 * The messages of workflow `peoplePolicy` (people-policy.workflow.ts): the organisation's switch that makes
 * role appointments count, one run per organisation. Callers import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PeoplePolicyState } from '../domain/people/enforcement';
import type { Actor } from '../domain/shared/roles';
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

export interface PeoplePolicyStepResult {
  recorded: RecordedEvidence<'AppointmentEnforcementSet'>[];
  policy: PeoplePolicyState;
  lastPosition: number | null;
}

export const setAppointmentEnforcementUpdate = defineUpdate<PeoplePolicyStepResult, [SetAppointmentEnforcementInput]>(
  'setAppointmentEnforcement',
);
export const peoplePolicyStateQuery = defineQuery<PeoplePolicyState>('state');
