/** Every activity the worker registers, built from the adapters the worker owns. */
import { createWorkerStatusActivities, WorkerStatusActivities } from './worker-status.activities';

export interface ActivityDependencies {
  identity: string;
  taskQueue: string;
}

export type AimsActivities = WorkerStatusActivities;

export function createActivities(deps: ActivityDependencies): AimsActivities {
  return {
    ...createWorkerStatusActivities({ identity: deps.identity, taskQueue: deps.taskQueue }),
  };
}
