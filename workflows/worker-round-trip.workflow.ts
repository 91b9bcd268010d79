/**
 * A one-step workflow that proves the whole chain works: client → Temporal → worker → activity and back.
 * `aims doctor` and the readiness tests run it; it records nothing.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { WorkerStatusActivities, WorkerStatus } from '../activities/worker-status.activities';

const { reportWorkerStatus } = proxyActivities<WorkerStatusActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

export interface WorkerRoundTripResult {
  probe: string;
  worker: WorkerStatus;
}

export async function workerRoundTrip(probe: string): Promise<WorkerRoundTripResult> {
  const worker = await reportWorkerStatus(probe);
  return { probe, worker };
}
