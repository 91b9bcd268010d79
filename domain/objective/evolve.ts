/** Folds what happened to an objective; decides nothing. */
import { openedHumanTask, withHumanTaskDecided, withHumanTaskSuperseded } from '../shared/human-task';
import { addMilliseconds, parseFixedDuration } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import type { ActorRef } from '../shared/roles';
import { KEPT_MEASUREMENTS, type ObjectiveEvent, type ObjectiveEventType, type ObjectiveState } from './model';

const after = (at: string, interval: string): string => addMilliseconds(at, parseFixedDuration(interval) ?? 0);

export function evolveObjective(s: ObjectiveState, e: ObjectiveEvent): ObjectiveState {
  if (e.type === 'AiObjectiveSet') {
    const { type: _t, objectiveId, revision, by, at, ...definition } = e;
    // First set: measured at once, so the objective has a figure from the day it is set. A revision keeps
    // the schedule it had (a manual one waiting for its task stays waiting).
    if (s === null)
      return {
        objectiveId,
        status: 'active',
        revision,
        definition,
        setBy: by,
        setAt: at,
        nextMeasurementAt: at,
        measurementCount: 0,
        measurements: [],
        offTarget: false,
        actions: [],
        tasks: [],
        withdrawn: null,
      };
    return { ...s, revision, definition, setBy: by, setAt: at };
  }
  if (s === null) return s;
  switch (e.type) {
    case 'ObjectiveMeasured': {
      const { type: _t, objectiveId: _o, note: _n, ...measurement } = e;
      return {
        ...s,
        measurementCount: e.sequence,
        measurements: [...s.measurements, measurement].slice(-KEPT_MEASUREMENTS),
        offTarget: e.value === null ? s.offTarget : !e.onTarget,
        nextMeasurementAt: after(e.at, s.definition.interval),
      };
    }
    case 'ObjectiveOffTargetActionOpened':
      return { ...s, actions: [...s.actions, { kind: e.kind, actionId: e.actionId, sequence: e.sequence, at: e.at }] };
    case 'AiObjectiveWithdrawn':
      return { ...s, status: 'withdrawn', nextMeasurementAt: null, withdrawn: { reason: e.reason, by: e.by, at: e.at } };
    case 'HumanTaskOpened':
      // Until the owner answers, there is nothing to measure on the timer.
      return { ...s, tasks: [...s.tasks.filter((t) => t.status === 'open'), openedHumanTask(e)], nextMeasurementAt: null };
    case 'HumanTaskDecided':
      return { ...s, tasks: withHumanTaskDecided(s.tasks, { ...e, reasons: e.reasons }) };
    case 'HumanTaskSuperseded':
      return { ...s, tasks: withHumanTaskSuperseded(s.tasks, e) };
  }
}

export const objectiveEventData = (e: ObjectiveEvent): JsonObject => {
  const { type: _t, ...data } = e;
  return data;
};
export const objectiveEventActor = (e: ObjectiveEvent): ActorRef => e.by;

/** Objectives (6.2) serve the policy's commitments (A.2.2 via 5.2) and are set by top management (5.1); measuring is 9.1. */
export const OBJECTIVE_ISO_42001_REFERENCES: Record<ObjectiveEventType, string[]> = {
  AiObjectiveSet: ['6.2', 'A.6.1.2', 'A.9.3'],
  ObjectiveMeasured: ['9.1', '6.2'],
  ObjectiveOffTargetActionOpened: ['9.1', '10.1'],
  AiObjectiveWithdrawn: ['6.2'],
  HumanTaskOpened: ['9.1'],
  HumanTaskDecided: ['9.1'],
  HumanTaskSuperseded: ['9.1'],
};
export const objectiveEventReferences = (e: ObjectiveEvent): readonly string[] => OBJECTIVE_ISO_42001_REFERENCES[e.type];

/** Timer rules for the workflow: when the process next acts, and whether it is done. */
export const nextObjectiveStep = (s: ObjectiveState): string | null => (s === null || s.status !== 'active' ? null : s.nextMeasurementAt);
export const isObjectiveFinished = (s: ObjectiveState): boolean => s !== null && s.status === 'withdrawn';
