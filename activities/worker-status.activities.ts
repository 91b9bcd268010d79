import * as os from 'node:os';
import { ApplicationFailure, Context } from '@temporalio/activity';

export interface WorkerStatus {
  probe: string;
  identity: string;
  taskQueue: string;
  pid: number;
  hostname: string;
  node: string;
  activityAttempt: number;
}

export interface WorkerStatusActivities {
  reportWorkerStatus(probe: string): Promise<WorkerStatus>;
}

/** Reports which worker process ran the activity, so a round trip shows the real worker answered. */
export function createWorkerStatusActivities(deps: { identity: string; taskQueue: string }): WorkerStatusActivities {
  return {
    async reportWorkerStatus(probe: string): Promise<WorkerStatus> {
      if (probe.trim() === '') throw ApplicationFailure.nonRetryable('probe must not be empty', 'InvalidProbe');
      return {
        probe,
        identity: deps.identity,
        taskQueue: deps.taskQueue,
        pid: process.pid,
        hostname: os.hostname(),
        node: process.version,
        activityAttempt: Context.current().info.attempt,
      };
    },
  };
}
