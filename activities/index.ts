/** Every activity the worker registers, built from the adapters the worker owns. */
import type { EventStore } from '../infra/ports/event-store.port';
import { AcceptanceCriteriaActivities, createAcceptanceCriteriaActivities } from './acceptance-criteria.activities';
import { createEvidenceActivities, EvidenceActivities } from './evidence.activities';
import { createWorkerStatusActivities, WorkerStatusActivities } from './worker-status.activities';

export interface ActivityDependencies {
  identity: string;
  taskQueue: string;
  eventStore: EventStore;
}

export type AimsActivities = WorkerStatusActivities & EvidenceActivities & AcceptanceCriteriaActivities;

export function createActivities(deps: ActivityDependencies): AimsActivities {
  return {
    ...createWorkerStatusActivities({ identity: deps.identity, taskQueue: deps.taskQueue }),
    ...createEvidenceActivities(deps.eventStore),
    ...createAcceptanceCriteriaActivities(),
  };
}
