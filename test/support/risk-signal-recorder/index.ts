/**
 * Stands in for a `risk` workflow in lifecycle tests: keeps every reassessment request its system's
 * lifecycle signals, for the test to read, and runs until terminated.
 */
import { condition, defineQuery, setHandler } from '@temporalio/workflow';
import type { RiskReassessmentRequest } from '../../../domain/shared/risk-links';
import { riskReassessmentRequestedSignal } from '../../../workflows/risk-signals';

export const reassessmentRequestsQuery = defineQuery<RiskReassessmentRequest[]>('reassessmentRequests');

export async function riskSignalRecorder(): Promise<void> {
  const received: RiskReassessmentRequest[] = [];
  setHandler(riskReassessmentRequestedSignal, (request) => {
    received.push(request);
  });
  setHandler(reassessmentRequestsQuery, () => received);
  await condition(() => false);
}
