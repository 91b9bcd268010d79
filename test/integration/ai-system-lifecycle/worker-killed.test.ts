/**
 * A worker killed with an evidence append in flight, on SQLite and on PostgreSQL. The first worker runs in
 * a child process whose store wrapper (test/support/lifecycle-worker.child.ts) hangs right after the
 * append of the deployment request commits, before the activity can complete; the test then kills it with
 * SIGKILL. A second worker, in this process, must append again (a local activity since the
 * `evidence-appended-by-local-activity` patch: the killed worker's workflow task times out and the
 * successor runs it again on a later workflow clock, folding what the first attempt recorded when the
 * content differs) and finish the lifecycle; the retried append must store nothing twice (event ids are
 * made in the workflow), so the stream holds exactly the steps taken, each once, and the hash chain verifies.
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import * as fs from 'node:fs';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import {
  completeDecommissioningUpdate,
  decideTaskUpdate,
  recordDeploymentCompletedUpdate,
  requestDecommissioningUpdate,
  requestDeploymentUpdate,
} from '../../../workflows/ai-system-lifecycle.workflow';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import {
  EVIDENCE_BACKENDS,
  expectAppendRetriedBy,
  expectStoredOnce,
  killChild,
  startChildWorker,
  tempDir,
  waitForPause,
} from '../../support/killed-worker';
import {
  collect,
  DIGEST_A,
  driveToSignedOff,
  expectEvidenceMatchesDomain,
  LifecycleDriver,
  people,
  recordHistoryFixture,
  registration,
  startLifecycle,
} from './lifecycle-harness';

/** The child bundles workflows, the killed attempt times out after its 30 s start-to-close: be generous. */
const TEST_BOUND_MS = 400_000;
const SUCCESSOR = 'lifecycle-successor';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});

afterAll(async () => {
  await env?.teardown();
});

describe.each(EVIDENCE_BACKENDS.map((b) => [b.name, b] as const))('a worker killed mid-append, on %s', (name, backend) => {
  test(
    'given a signed-off version on a worker process, when the worker is killed after the deployment request is stored and before its activity completes, then another worker retries that append, stores nothing twice and finishes the lifecycle',
    async () => {
      const dir = tempDir('aims-lifecycle-killed-');
      const { url, store, dispose } = await backend.open(dir);
      try {
        // given: a worker in another process that will hang once the deployment request's append commits
        const taskQueue = uniqueTaskQueue('lifecycle-killed');
        const child = startChildWorker(env, taskQueue, url, 'DeploymentRequested', dir);
        await child.ready;
        const reg = registration(`credit-killed-${name.toLowerCase()}-${taskQueue.slice(-8)}`);
        const handle = await startLifecycle(env, taskQueue, reg);
        const d = new LifecycleDriver(handle, store, reg.systemId);
        await driveToSignedOff(d);

        // when: the pipeline asks for deployment; the child appends the request, reports it, and hangs
        const inFlight = await handle.startUpdate(requestDeploymentUpdate, {
          args: [
            {
              by: people.ci,
              requestId: 'deploy-1',
              modelVersion: '1.0.0',
              artifactDigest: DIGEST_A,
              environment: 'production',
              commit: '9f2c1e7',
            },
          ],
          updateId: 'deploy-during-crash',
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        });
        const paused = await waitForPause(child);
        expect(paused).toMatchObject({
          workflowId: handle.workflowId,
          attempt: 1,
          stream: d.stream,
          eventTypes: ['DeploymentRequested', 'HumanTaskOpened'],
        });
        expect(paused.identity).toMatch(/^lifecycle-child-/);
        // The append really committed before the worker died: its events are already in the store.
        const before = (await collect(store.readStream(d.stream))).map((e) => e.id);
        expect(before.slice(-2)).toEqual(paused.eventIds);
        await killChild(child);

        // then: a new worker runs the activity again and the lifecycle goes on to the end
        const worker = await createAimsWorker({
          connection: env.nativeConnection,
          namespace: 'default',
          taskQueue,
          eventStore: store,
          workflows: 'source',
          commandKeys: TEST_COMMAND_KEYS,
          identity: SUCCESSOR,
        });
        await worker.runUntil(async () => {
          const gate = await inFlight.result();
          expect(gate).toMatchObject({ outcome: 'pending', requestId: 'deploy-1' });
          // The answer names the first attempt's events: the retry stored no others.
          expect(gate.recorded.map((r) => r.evidenceId)).toEqual(paused.eventIds);
          d.answers.push(gate);
          await d.send(decideTaskUpdate, { by: people.alice, taskId: gate.approvalTaskId as string, outcome: 'approved' });
          await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' });
          const decommissioning = await d.send(requestDecommissioningUpdate, { by: people.erin, reason: 'Retired after the crash drill' });
          await d.send(decideTaskUpdate, { by: people.bob, taskId: decommissioning.approvalTaskId, outcome: 'approved' });
          await d.send(completeDecommissioningUpdate, {
            by: people.erin,
            dataRetention: { decision: 'delete', retainUntil: null, justification: 'Drill data only' },
          });
          expect(await handle.result()).toMatchObject({ stage: 'decommissioned' });

          expect(await expectAppendRetriedBy(handle, paused, SUCCESSOR)).toBe('local-activity');
          await expectStoredOnce(store, d.stream, paused.eventIds);
          await expectEvidenceMatchesDomain(d, [
            'AiSystemRegistered',
            'ImpactAssessmentSubmitted',
            'HumanTaskOpened',
            'LifecycleStageChanged',
            'HumanTaskDecided',
            'ImpactAssessmentApproved',
            'LifecycleStageChanged',
            'DatasetRecorded',
            'DataQualityCheckRecorded',
            'ModelVersionProposed',
            'ValidationResultsRecorded',
            'AcceptanceCriteriaEvaluated',
            'HumanTaskOpened',
            'HumanTaskDecided',
            'ValidationSignedOff',
            'LifecycleStageChanged',
            'DeploymentRequested',
            'HumanTaskOpened',
            'HumanTaskDecided',
            'DeploymentApproved',
            'AiPolicyAtGateNoted',
            'DeploymentCompleted',
            'LifecycleStageChanged',
            'DecommissioningRequested',
            'HumanTaskOpened',
            'LifecycleStageChanged',
            'HumanTaskDecided',
            'DecommissioningApproved',
            'AiSystemDecommissioned',
            'LifecycleStageChanged',
          ]);
          if (name === 'SQLite') await recordHistoryFixture(handle, 'worker-killed');
        });
      } finally {
        await dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    TEST_BOUND_MS,
  );
});
