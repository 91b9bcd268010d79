/**
 * `evolve(state, event)`: the state after an event. Total: every event type has a fold, owned by its
 * feature (./features) and composed here into a table the compiler checks is complete; an event that
 * cannot apply to the state (only possible if the stream was not produced by `decide`), or of a type this
 * code does not know, leaves the state unchanged rather than throwing, so replaying evidence never crashes.
 * Immutable: returns new objects and never mutates its input.
 */
import type { AiSystemEvent } from './events';
import { isRegistered, type AiSystemState } from './model';
import { changeAndVersions } from './features/change-and-versions';
import { dataAndValidation } from './features/data-and-validation';
import { decommissioning } from './features/decommissioning';
import { deployment } from './features/deployment';
import { ownEntry, type EventFold, type EventFolds, type RegisteredEventType } from './features/feature';
import { humanTasks } from './features/human-tasks';
import { impactAssessment } from './features/impact-assessment';
import { monitoring } from './features/monitoring';
import { registeredRecord, registration } from './features/registration';
import { policyGovernance } from './features/policy-governance';
import { riskPosture } from './features/risk-posture';
import { aimsScope } from './features/aims-scope';
import { resources } from './features/resources';
import { aiPolicyAtGate } from './features/ai-policy-at-gate';

const FOLDS: EventFolds = {
  ...registration.evolve,
  ...policyGovernance.evolve,
  ...impactAssessment.evolve,
  ...dataAndValidation.evolve,
  ...changeAndVersions.evolve,
  ...deployment.evolve,
  ...monitoring.evolve,
  ...decommissioning.evolve,
  ...riskPosture.evolve,
  ...aimsScope.evolve,
  ...resources.evolve,
  ...aiPolicyAtGate.evolve,
  ...humanTasks.evolve,
};

export function evolve(state: AiSystemState, event: AiSystemEvent): AiSystemState {
  if (event.type === 'AiSystemRegistered') return isRegistered(state) ? state : registeredRecord(event);
  if (!isRegistered(state)) return state;
  const fold = ownEntry<EventFold<RegisteredEventType>>(FOLDS, event.type);
  // An unknown event type (not produced by this decider) leaves the state as it was.
  return fold ? fold(state, event) : state;
}

/** The state after a sequence of events, from `initial` (default: not yet registered). */
export function replay(events: Iterable<AiSystemEvent>, initial: AiSystemState = { stage: 'unregistered' }): AiSystemState {
  let state = initial;
  for (const e of events) state = evolve(state, e);
  return state;
}
