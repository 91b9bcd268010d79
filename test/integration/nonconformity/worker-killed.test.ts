/**
 * Corrective action with a worker killed while an evidence append is in flight, on SQLite and on
 * PostgreSQL. The first worker runs in a child process whose store wrapper (test/support/
 * lifecycle-worker.child.ts) hangs right after the plan approval's append commits, before the activity can
 * complete; the test then kills it with SIGKILL. A second worker, in this process, must append again (the
 * append is a local activity since the `evidence-appended-by-local-activity` patch: the killed worker's
 * workflow task times out and the successor runs it again) and take the nonconformity to closure; the
 * retried append must store nothing twice, so the stream holds exactly the steps taken, each once.
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import * as fs from 'node:fs';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import { nonconformityStreamName, nonconformityWorkflowId } from '../../../domain/nonconformity';
import {
  approveCorrectiveActionPlanUpdate,
  completeCorrectiveActionUpdate,
  recordContainmentUpdate,
  recordEffectivenessReviewUpdate,
  submitCorrectiveActionPlanUpdate,
  submitRootCauseAnalysisUpdate,
} from '../../../workflows/nonconformity.workflow';
import type { nonconformity } from '../../../workflows';
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
import { expectEvidence, inSeconds, people, raisedInput, readStream, reviewAnnounced } from './nonconformity-harness';

/** The child bundles workflows, the killed attempt times out after its 30 s start-to-close: be generous. */
const TEST_BOUND_MS = 400_000;
const SUCCESSOR = 'nonconformity-successor';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});

afterAll(async () => {
  await env?.teardown();
});

describe.each(EVIDENCE_BACKENDS.map((b) => [b.name, b] as const))(
  'corrective action with a worker killed mid-append, on %s',
  (name, backend) => {
    test(
      'given a submitted plan on a worker process, when the worker is killed after the approval is stored and before its activity completes, then another worker retries that append, stores nothing twice and closes the nonconformity',
      async () => {
        const dir = tempDir('aims-nonconformity-killed-');
        const { url, store, dispose } = await backend.open(dir);
        try {
          // given: a worker in another process that will hang once the plan approval's append commits
          const taskQueue = uniqueTaskQueue('nonconformity-killed');
          const child = startChildWorker(env, taskQueue, url, 'CorrectiveActionPlanApproved', dir);
          await child.ready;
          const id = `nc-killed-${name.toLowerCase()}-${taskQueue.slice(-8)}`;
          const stream = nonconformityStreamName(id);
          await env.client.workflow.start('nonconformity', { taskQueue, workflowId: nonconformityWorkflowId(id), args: [raisedInput(id)] });
          const handle = env.client.workflow.getHandle<typeof nonconformity>(nonconformityWorkflowId(id));
          await handle.executeUpdate(recordContainmentUpdate, { args: [{ by: people.olga, actions: ['Manual review of every refusal'] }] });
          await handle.executeUpdate(submitRootCauseAnalysisUpdate, {
            args: [{ by: people.erin, method: 'five_whys', causes: ['Stale training data'], contributingFactors: ['No drift alert'] }],
          });
          await handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
            args: [
              {
                by: people.rolf,
                planId: 'plan-1',
                actions: [{ actionId: 'act-retrain', description: 'Retrain on recent data', owner: 'erin', dueDate: inSeconds(3600) }],
              },
            ],
          });

          // when: the AIMS owner approves; the child appends the approval, reports it, and hangs
          const inFlight = await handle.startUpdate(approveCorrectiveActionPlanUpdate, {
            args: [{ by: people.ava, planId: 'plan-1' }],
            updateId: 'approve-during-crash',
            waitForStage: WorkflowUpdateStage.ACCEPTED,
          });
          const paused = await waitForPause(child);
          expect(paused).toMatchObject({
            workflowId: handle.workflowId,
            attempt: 1,
            stream,
            eventTypes: ['CorrectiveActionPlanApproved'],
          });
          expect(paused.identity).toMatch(/^lifecycle-child-/);
          // The append really committed before the worker died: its event is already in the store.
          expect((await readStream(store, stream)).map((e) => e.id).slice(-1)).toEqual(paused.eventIds);
          await killChild(child);

          // then: a new worker runs the activity again and the corrective action goes on to closure
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
            const approved = await inFlight.result();
            // The answer names the first attempt's event: the retry stored no other.
            expect(approved.recorded.map((r) => r.evidenceId)).toEqual(paused.eventIds);
            await handle.executeUpdate(completeCorrectiveActionUpdate, {
              args: [{ by: people.erin, actionId: 'act-retrain', evidenceRefs: ['model-card-v9'] }],
            });
            await reviewAnnounced(handle);
            await handle.executeUpdate(recordEffectivenessReviewUpdate, {
              args: [{ by: people.vic, outcome: 'effective', findings: 'Recall back above 0.80', evidenceRefs: ['monitoring-report-92'] }],
            });
            expect(await handle.result()).toMatchObject({ status: 'closed' });

            expect(await expectAppendRetriedBy(handle, paused, SUCCESSOR)).toBe('local-activity');
            await expectStoredOnce(store, stream, paused.eventIds);
            await expectEvidence({ store }, handle, id, {
              correlationId: stream,
              steps: [
                'NonconformityRaised',
                'ContainmentRecorded',
                'RootCauseAnalysisSubmitted r1',
                'CorrectiveActionPlanSubmitted r1 plan-1',
                'CorrectiveActionPlanApproved r1 plan-1',
                'CorrectiveActionCompleted r1 act-retrain',
                'EffectivenessReviewScheduled r1',
                'EffectivenessReviewDue r1',
                'EffectivenessReviewRecorded r1',
                'NonconformityClosed r1',
              ],
            });
          });
        } finally {
          await dispose();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      TEST_BOUND_MS,
    );
  },
);
