/**
 * The gate's baseline (issue 13 item 6): a bare Temporal Update that appends one event and answers with
 * its position, through the evidence activity and the same store the engine uses, and nothing else (no
 * decider, no validator, no HTTP, no read model). `local` chooses a local activity (as the engine appends
 * since the `evidence-appended-by-local-activity` patch) or a scheduled activity (as it did before).
 */
import {
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { EvidenceActivities } from '../../activities/evidence.activities';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const scheduled = proxyActivities<EvidenceActivities>({ startToCloseTimeout: '30 seconds', retry });
const local = proxyLocalActivities<EvidenceActivities>({ startToCloseTimeout: '30 seconds', retry });

export const appendOneUpdate = defineUpdate<number, [{ local: boolean }]>('appendOne');
export const finishSignal = defineSignal('finish');

export async function bareUpdateAppend(): Promise<void> {
  let finished = false;
  let n = 0;
  const { workflowId, runId } = workflowInfo();
  setHandler(appendOneUpdate, async ({ local: inWorkflowTask }) => {
    n += 1;
    const input = {
      stream: `bench-${workflowId}`,
      events: [
        {
          id: uuid4(),
          type: 'BenchUpdateAppended',
          data: { n },
          metadata: { actor: { id: 'system', role: 'system' }, workflowId, runId, source: 'workflow:bareUpdateAppend' },
        },
      ],
    };
    const result = await (inWorkflowTask ? local : scheduled).recordEvidence(input);
    return result.lastPosition;
  });
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
}
