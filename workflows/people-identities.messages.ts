/**
 * The messages of workflow `peopleIdentities` (people-identities.workflow.ts): the organisation's register
 * of which person each identity acts for, one run per organisation. Callers import these, never the
 * workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { IdentityRegisterEvent, IdentityRegisterState } from '../domain/people/identity-register';
import type { Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

/** The run starts empty (started before its first command) and never ends: it continues as new. */
export interface PeopleIdentitiesInput {
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<IdentityRegisterState>;
}

export interface ReserveIdentitiesInput {
  by: Actor;
  personId: string;
  identities: string[];
}

export interface ReleaseIdentitiesInput extends ReserveIdentitiesInput {
  reason: string;
}

export interface PeopleIdentitiesStepResult {
  recorded: RecordedEvidence<IdentityRegisterEvent['type']>[];
  lastPosition: number | null;
}

export const reserveIdentitiesUpdate = defineUpdate<PeopleIdentitiesStepResult, [ReserveIdentitiesInput]>('reserveIdentities');
export const releaseIdentitiesUpdate = defineUpdate<PeopleIdentitiesStepResult, [ReleaseIdentitiesInput]>('releaseIdentities');
export const peopleIdentitiesStateQuery = defineQuery<IdentityRegisterState>('state');
