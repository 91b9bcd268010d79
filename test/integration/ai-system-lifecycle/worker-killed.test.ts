/**
 * A worker killed mid-lifecycle: the first worker runs in a child process that the test kills with SIGKILL
 * while an update is in flight; a second worker, in this process, finishes the lifecycle. The evidence must
 * hold every event exactly once (event ids are made in the workflow, so a retried append writes nothing)
 * and the hash chain must still verify.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import {
  completeDecommissioningUpdate,
  decideTaskUpdate,
  proposeModelVersionUpdate,
  recordDataQualityCheckUpdate,
  recordDatasetUpdate,
  recordDeploymentCompletedUpdate,
  recordValidationResultsUpdate,
  requestDecommissioningUpdate,
  requestDeploymentUpdate,
  submitImpactAssessmentUpdate,
} from '../../../workflows/ai-system-lifecycle.workflow';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import {
  dataset,
  DIGEST_A,
  expectEvidenceMatchesDomain,
  goodMetrics,
  iaContent,
  LifecycleDriver,
  passingQuality,
  people,
  recordHistoryFixture,
  registration,
  startLifecycle,
} from './lifecycle-harness';

const TS_REGISTER = path.resolve(__dirname, '../event-store/ts-register.cjs');
const WORKER_CHILD = path.resolve(__dirname, '../../support/lifecycle-worker.child.ts');

function startChildWorker(env: TestWorkflowEnvironment, taskQueue: string, storeUrl: string): ChildProcess {
  return spawn(process.execPath, ['-r', TS_REGISTER, WORKER_CHILD, env.address, 'default', taskQueue, storeUrl], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().split('\n').includes('ready')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`worker child exited (${signal ?? code}) before it was ready; stderr: ${stderr}`)));
  });
}

describe('a worker killed mid-lifecycle', () => {
  let env: TestWorkflowEnvironment;
  let store: EventStore;
  let dir: string;
  let storeUrl: string;

  beforeAll(async () => {
    env = await startTemporal();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-lifecycle-crash-'));
    storeUrl = `sqlite:${path.join(dir, 'evidence.db')}`;
    store = await openEventStore(storeUrl);
  });

  afterAll(async () => {
    await store?.close();
    await env?.teardown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('given a lifecycle half-way on a worker process, when it is killed with SIGKILL during an update, then a new worker finishes the lifecycle and every evidence event is there exactly once', async () => {
    // given: a worker in another process drives the system to a signed-off version
    const taskQueue = uniqueTaskQueue('lifecycle-crash');
    const child = startChildWorker(env, taskQueue, storeUrl);
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await waitForReady(child);

    const reg = registration('credit-crash');
    const handle = await startLifecycle(env, taskQueue, reg);
    const d = new LifecycleDriver(handle, store, reg.systemId);
    const ia = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
    await d.send(decideTaskUpdate, { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved' });
    await d.send(recordDatasetUpdate, { by: people.erin, ...dataset('DS-1') });
    await d.send(recordDataQualityCheckUpdate, { by: people.ci, ...passingQuality('DS-1') });
    await d.send(proposeModelVersionUpdate, { by: people.ci, modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first model' });
    const v = await d.send(recordValidationResultsUpdate, {
      by: people.ci,
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      datasetIds: ['DS-1'],
      metrics: goodMetrics,
    });
    await d.send(decideTaskUpdate, { by: people.victor, taskId: v.signOffTaskId as string, outcome: 'approved' });

    // when: the pipeline's deployment request is accepted, and the worker dies at once, mid-step
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
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // then: a new worker finishes the step the dead one started, and the rest of the lifecycle
    const worker = await createAimsWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      eventStore: store,
      workflows: 'source',
      commandKeys: TEST_COMMAND_KEYS,
      identity: 'lifecycle-successor',
    });
    await worker.runUntil(async () => {
      const gate = await inFlight.result();
      expect(gate).toMatchObject({ outcome: 'pending', requestId: 'deploy-1' });
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

      // Both workers really took part: the dead one's workflow tasks before the kill, the successor's after.
      const history = await handle.fetchHistory();
      const identities = new Set(
        (history.events ?? []).map((e) => e.workflowTaskCompletedEventAttributes?.identity).filter((x): x is string => !!x),
      );
      expect([...identities].some((i) => i.startsWith('lifecycle-child-'))).toBe(true);
      expect(identities.has('lifecycle-successor')).toBe(true);
      await recordHistoryFixture(handle, 'worker-killed');
    });
  });
});
