/**
 * The messages of workflow `objective` (objective.workflow.ts): one AI objective (6.2), id and stream
 * `objective-<id>`, measured on its interval (9.1). Callers import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ObjectiveDefinition, ObjectiveEventType, ObjectiveState } from '../domain/objective/model';
import type { Actor } from '../domain/shared/roles';
import type { CarriedState } from './runtime/process';
import type { RecordedEvidence } from './runtime/decider';

/** Set by a person (the signed start vouches). */
export type ObjectiveInput = ObjectiveDefinition & {
  objectiveId: string;
  by: Actor;
  /** Set by the workflow itself when it continues as new; callers leave it out. */
  carried?: CarriedState<ObjectiveState>;
};

export type ReviseObjectiveInput = ObjectiveDefinition & { by: Actor };
export type WithdrawObjectiveInput = { by: Actor; reason: string };
export type RecordManualMeasurementInput = { by: Actor; value: number; note?: string | null; evidenceRefs?: string[] };

export interface ObjectiveStepResult {
  recorded: RecordedEvidence<ObjectiveEventType>[];
  objective: ObjectiveState;
  lastPosition: number | null;
}

export const reviseObjectiveUpdate = defineUpdate<ObjectiveStepResult, [ReviseObjectiveInput]>('reviseObjective');
export const withdrawObjectiveUpdate = defineUpdate<ObjectiveStepResult, [WithdrawObjectiveInput]>('withdrawObjective');
export const recordManualMeasurementUpdate = defineUpdate<ObjectiveStepResult, [RecordManualMeasurementInput]>('recordManualMeasurement');
export const objectiveStateQuery = defineQuery<ObjectiveState>('state');
