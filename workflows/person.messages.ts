/**
 * The messages of workflow `person` (person.workflow.ts: one person, id and stream `person-<personId>`).
 * Callers (the API, tests) import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CompetenceKind } from '../domain/people/competence';
import type { CoverageInput, PersonEventType, PersonState } from '../domain/people/model';
import type { AimsRole, Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

/** The start input registers the person (the first step, vouched for by the signed start). */
export interface PersonWorkflowInput {
  personId: string;
  name: string;
  contact: string;
  unit: string;
  identities: string[];
  by: Actor;
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<PersonState>;
}

export interface ChangePersonIdentitiesInput {
  by: Actor;
  identities: string[];
  reason: string;
}

export interface AppointRoleInput {
  by: Actor;
  /** Optional: the engine gives `<personId>-<role>-<n>` when it is absent. */
  appointmentId?: string;
  role: AimsRole;
  covers: CoverageInput;
  from: string;
  until?: string | null;
  responsibilities: string;
}

export interface RevokeAppointmentInput {
  by: Actor;
  appointmentId: string;
  reason: string;
}

export interface RecordPersonLeftInput {
  by: Actor;
  reason: string;
}

export interface RecordCompetenceInput {
  by: Actor;
  recordId: string;
  competence: string;
  kind: CompetenceKind;
  obtainedAt: string;
  expiresAt?: string | null;
  evidenceRef: string;
}

export interface PersonStepResult {
  recorded: RecordedEvidence<PersonEventType>[];
  person: PersonState;
  /** The appointment the step concerned, if any. */
  appointmentId: string | null;
  lastPosition: number | null;
}

export const changePersonIdentitiesUpdate = defineUpdate<PersonStepResult, [ChangePersonIdentitiesInput]>('changePersonIdentities');
export const appointRoleUpdate = defineUpdate<PersonStepResult, [AppointRoleInput]>('appointRole');
export const revokeAppointmentUpdate = defineUpdate<PersonStepResult, [RevokeAppointmentInput]>('revokeAppointment');
export const recordPersonLeftUpdate = defineUpdate<PersonStepResult, [RecordPersonLeftInput]>('recordPersonLeft');
export const recordCompetenceUpdate = defineUpdate<PersonStepResult, [RecordCompetenceInput]>('recordCompetence');
export const personStateQuery = defineQuery<PersonState>('state');
