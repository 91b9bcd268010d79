/**
 * The worker preloads workflows/runtime/stack-frames.ts into the workflow sandbox before the SDK freezes it
 * (WORKFLOW_BUNDLER_OPTIONS, used for every bundle the worker makes or loads): stack traces in workflow
 * code keep WORKFLOW_STACK_FRAMES frames, so the SDK's per-promise stack capture stays cheap on the gate's
 * path. A worker without the preload keeps V8's default, so the test tells the two apart.
 */
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../../apps/worker/src/create-worker';
import { WORKFLOW_STACK_FRAMES } from '../../../workflows/runtime/stack-frames';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';

const WORKFLOWS = require.resolve('../../support/stack-depth');
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});

afterAll(async () => {
  await env?.teardown();
});

async function framesKept(bundlerOptions: { preloadModules?: string[] }): Promise<number> {
  const taskQueue = uniqueTaskQueue('stack-frames');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, ...bundlerOptions, logger: undefined });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { code } });
  return worker.runUntil(env.client.workflow.execute('stackDepth', { taskQueue, workflowId: taskQueue, args: [40] }));
}

test('given the preload the worker bundles with, when workflow code makes a stack trace 40 calls deep, then it keeps the preloaded number of frames', async () => {
  await expect(framesKept(WORKFLOW_BUNDLER_OPTIONS)).resolves.toBe(WORKFLOW_STACK_FRAMES);
});

test('given a bundle without the preload, when the same trace is made, then it keeps more frames (the default the preload lowers)', async () => {
  await expect(framesKept({})).resolves.toBeGreaterThan(WORKFLOW_STACK_FRAMES);
});
