import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { openEventStore } from '../../infra/event-store/open-event-store';
import type { EventStore } from '../../infra/ports/event-store.port';
import { createAimsWorker } from '../../apps/worker/src/create-worker';
import { TEST_COMMAND_KEYS } from '../support/command-keys';
import { startTemporal, uniqueTaskQueue } from '../support/temporal';

describe('worker round trip on a real Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let eventStore: EventStore;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-round-trip-'));
    eventStore = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
    env = await startTemporal();
  });

  afterAll(async () => {
    await env?.teardown();
    await eventStore?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given a running worker, when a client starts workerRoundTrip, then the real activity answers from that worker', async () => {
    // given
    const taskQueue = uniqueTaskQueue('round-trip');
    const worker = await createAimsWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      identity: 'round-trip-test-worker',
      eventStore,
      workflows: 'source',
      commandKeys: TEST_COMMAND_KEYS,
    });

    // when
    const result = await worker.runUntil(
      env.client.workflow.execute('workerRoundTrip', { taskQueue, workflowId: `round-trip-${taskQueue}`, args: ['probe-1'] }),
    );

    // then
    expect(result).toMatchObject({
      probe: 'probe-1',
      worker: { probe: 'probe-1', identity: 'round-trip-test-worker', taskQueue, pid: process.pid, activityAttempt: 1 },
    });
  });

  it('given an empty probe, when the activity rejects it, then the workflow fails after bounded retries', async () => {
    const taskQueue = uniqueTaskQueue('round-trip');
    const worker = await createAimsWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      eventStore,
      workflows: 'source',
      commandKeys: TEST_COMMAND_KEYS,
    });

    const outcome = worker.runUntil(
      env.client.workflow.execute('workerRoundTrip', { taskQueue, workflowId: `round-trip-empty-${taskQueue}`, args: [' '] }),
    );

    await expect(outcome).rejects.toThrow(/Workflow execution failed/);
  });
});
