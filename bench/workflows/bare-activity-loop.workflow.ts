/**
 * The benchmark's baseline: a workflow that does nothing but call a no-op activity `calls` times, with the
 * same activity options as the evidence recorder. It pauses after `holdAfter` calls until released, so the
 * bench can hold N of them open at once and weigh the worker, exactly where it holds the lifecycles.
 */
import { condition, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface BareActivities {
  /** Does nothing: what remains is the cost of an activity call itself. */
  noOp(call: number): Promise<void>;
}

export interface BareActivityLoopInput {
  calls: number;
  holdAfter: number;
}

// As in workflows/evidence-recorder.ts, so the baseline's activity calls cost what the lifecycle's do.
const { noOp } = proxyActivities<BareActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Answers once `holdAfter` calls are done (the bench's "all open" barrier, as an update answer is the lifecycle's). */
export const reachedHoldUpdate = defineUpdate<number>('reachedHold');
export const releaseSignal = defineSignal('release');

export async function bareActivityLoop(input: BareActivityLoopInput): Promise<number> {
  let done = 0;
  let released = false;
  setHandler(reachedHoldUpdate, async () => {
    await condition(() => done >= input.holdAfter);
    return done;
  });
  setHandler(releaseSignal, () => {
    released = true;
  });
  for (; done < input.calls;) {
    if (done === input.holdAfter) await condition(() => released);
    await noOp(done);
    done += 1;
  }
  return done;
}
