/**
 * What the AI-system lifecycle tests share: a real Temporal dev server, a real worker, a real SQLite
 * evidence store in a temporary folder, the people who act (with the roles their tokens would carry), a
 * driver that sends updates and checks each answer's evidence is already stored, and the check every run
 * ends with: the stream holds exactly the steps the test lists, folds to the workflow's own state, and the
 * hash chain verifies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { WorkflowUpdateFailedError, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import {
  aiSystemStreamName,
  lifecycleWorkflowId,
  replay,
  type Actor,
  type AiSystemEvent,
  type AiSystemRecord,
  type AiSystemState,
  type AiSystemTask,
  type ImpactAssessmentContent,
  type LifecyclePolicyOverrides,
  type MetricValue,
} from '../../../domain/ai-system';
import {
  decideTaskUpdate,
  openTasksQuery,
  proposeModelVersionUpdate,
  recordDataQualityCheckUpdate,
  recordDatasetUpdate,
  recordValidationResultsUpdate,
  stateQuery,
  submitImpactAssessmentUpdate,
  type AiSystemLifecycleInput,
  type LifecycleStepResult,
} from '../../../workflows/ai-system-lifecycle.workflow';
import type { aiSystemLifecycle } from '../../../workflows';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { writeHistoryFixture, type RecordedWorkflow } from '../../support/history-fixtures';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import { eventually } from '../../support/eventually';

export type LifecycleHandle = WorkflowHandle<typeof aiSystemLifecycle>;

/** The people of the tests. */
export const people = {
  erin: { id: 'erin', roles: ['engineer'] },
  ed: { id: 'ed', roles: ['engineer'] },
  ci: { id: 'ci-pipeline', roles: ['ci'] },
  alice: { id: 'alice', roles: ['approver'] },
  bob: { id: 'bob', roles: ['approver'] },
  rita: { id: 'rita', roles: ['risk_owner'] },
  victor: { id: 'victor', roles: ['validator'] },
  amara: { id: 'amara', roles: ['aims_owner'] },
  audrey: { id: 'audrey', roles: ['auditor'] },
  /** An engineer who is also an approver: the segregation-of-duties cases. */
  sam: { id: 'sam', roles: ['engineer', 'approver'] },
  /** A pipeline token that (wrongly) also carries the approver role. */
  robo: { id: 'robo-deployer', roles: ['ci', 'approver'] },
} satisfies Record<string, Actor>;

export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const DIGEST_DATA = `sha256:${'d'.repeat(64)}`;

/** Long enough that no timer fires during a test that is not about timers. */
const DAY = 86_400_000;
export const QUIET_POLICY: LifecyclePolicyOverrides = {
  taskResponseTimeMs: {
    impact_assessment_review: 30 * DAY,
    validation_sign_off: 30 * DAY,
    deployment_approval: 30 * DAY,
    decommissioning_approval: 30 * DAY,
    monitoring_review: 30 * DAY,
  },
  escalationAfterMs: 30 * DAY,
  monitoringReviewIntervalMs: 90 * DAY,
};

export function registration(
  systemId: string,
  overrides: Partial<AiSystemLifecycleInput['registration']> = {},
): AiSystemLifecycleInput['registration'] {
  return {
    systemId,
    name: 'Credit scoring assistant',
    purpose: 'Rank loan applications for human review',
    intendedUse: 'Decision support for credit officers; never automatic refusal',
    owner: people.erin.id,
    provider: { kind: 'in_house', supplier: null },
    riskTier: 'high',
    acceptanceCriteria: [
      { metric: 'auc', direction: 'higher_is_better', threshold: 0.8 },
      { metric: 'false_positive_rate', direction: 'lower_is_better', threshold: 0.1 },
    ],
    policy: QUIET_POLICY,
    by: people.erin,
    ...overrides,
  };
}

export const iaContent = (): ImpactAssessmentContent => ({
  affectedParties: {
    individuals: 'Loan applicants',
    groups: 'Applicants from protected groups',
    society: 'Access to credit in the region',
  },
  impacts: [
    { impactId: 'I1', affects: 'individuals', description: 'Unfair refusal', severity: 'major', likelihood: 'possible' },
    { impactId: 'I2', affects: 'groups', description: 'Disparate impact', severity: 'moderate', likelihood: 'unlikely' },
    { impactId: 'I3', affects: 'society', description: 'Credit concentration', severity: 'minor', likelihood: 'rare' },
  ],
  mitigations: [{ mitigationId: 'M1', description: 'Human review of every refusal', addressesImpactIds: ['I1', 'I2'], owner: 'erin' }],
});

export const dataset = (datasetId: string) => ({
  datasetId,
  name: 'Applications 2020-2024',
  purpose: 'validation' as const,
  provenance: { source: 'core banking export', custodian: 'data office', licence: null, contentDigest: DIGEST_DATA },
  acquisition: { method: 'internal export', acquiredAt: null, notes: null },
  preparation: { steps: ['deduplicated', 'pseudonymised'] },
});

export const passingQuality = (datasetId: string) => ({
  datasetId,
  results: [
    { dimension: 'completeness', measure: 'non-null ratio', value: 0.99, passed: true, notes: null },
    { dimension: 'representativeness', measure: 'population stability', value: 0.05, passed: true, notes: null },
  ],
});

export const goodMetrics: MetricValue[] = [
  { metric: 'auc', value: 0.86 },
  { metric: 'false_positive_rate', value: 0.07 },
];

// ---------------------------------------------------------------------------------------------------------

export interface Harness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  store: EventStore;
  storeUrl: string;
  dir: string;
  stop(): Promise<void>;
}

/** A dev server, a SQLite store and one worker for the whole test file. */
export async function startHarness(): Promise<Harness> {
  const env = await startTemporal();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-lifecycle-'));
  const storeUrl = `sqlite:${path.join(dir, 'evidence.db')}`;
  const store = await openEventStore(storeUrl);
  const taskQueue = uniqueTaskQueue('lifecycle');
  const worker = await createAimsWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    eventStore: store,
    workflows: 'source',
    commandKeys: TEST_COMMAND_KEYS,
  });
  const running = worker.run();
  return {
    env,
    worker,
    taskQueue,
    store,
    storeUrl,
    dir,
    async stop() {
      worker.shutdown();
      await running;
      await store.close();
      await env.teardown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startLifecycle(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  reg: AiSystemLifecycleInput['registration'],
  extra: Omit<AiSystemLifecycleInput, 'registration'> = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof aiSystemLifecycle>> {
  return env.client.workflow.start<typeof aiSystemLifecycle>('aiSystemLifecycle', {
    taskQueue,
    workflowId: lifecycleWorkflowId(reg.systemId),
    args: [{ registration: reg, ...extra }],
  });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * Sends updates as people would and keeps every answer: each answer's evidence must already be in the
 * store when it arrives (a caller told "approved" can always find the record).
 */
export class LifecycleDriver {
  readonly answers: LifecycleStepResult[] = [];
  readonly stream: string;

  constructor(
    readonly handle: LifecycleHandle,
    readonly store: EventStore,
    readonly systemId: string,
  ) {
    this.stream = aiSystemStreamName(systemId);
  }

  async send<R extends LifecycleStepResult, A>(update: UpdateDefinition<R, [A]>, arg: A, updateId?: string): Promise<R> {
    const answer = await this.handle.executeUpdate(update, { args: [arg], ...(updateId ? { updateId } : {}) });
    const stored = new Map((await collect(this.store.readStream(this.stream))).map((e) => [e.id, e.type]));
    for (const r of answer.recorded) expect([r.type, stored.get(r.evidenceId)]).toEqual([r.type, r.type]);
    this.answers.push(answer);
    return answer;
  }

  /**
   * Sends an update the validator must refuse with `code`: the caller gets the typed failure, the stream
   * gains nothing and the history shows no trace of the update (a validator's refusal is never recorded).
   */
  async refused<R, A>(update: UpdateDefinition<R, [A]>, arg: A, code: string, updateId: string): Promise<ApplicationFailure> {
    const before = await this.store.streamRevision(this.stream);
    const error = await this.handle.executeUpdate(update, { args: [arg], updateId }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect([(cause as ApplicationFailure).type, (cause as ApplicationFailure).message]).toEqual([code, expect.any(String)]);
    expect(await this.store.streamRevision(this.stream)).toBe(before);
    expect(await updateIdsInHistory(this.handle)).not.toContain(updateId);
    return cause as ApplicationFailure;
  }

  async openTasks(): Promise<AiSystemTask[]> {
    return this.handle.query(openTasksQuery);
  }
}

/** Impact assessment approved, a dataset with a passing check, version 1.0.0 (DIGEST_A) proposed. */
export async function driveToValidation(d: LifecycleDriver): Promise<void> {
  const ia = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
  await d.send(decideTaskUpdate, { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved' });
  await d.send(recordDatasetUpdate, { by: people.erin, ...dataset('DS-1') });
  await d.send(recordDataQualityCheckUpdate, { by: people.ci, ...passingQuality('DS-1') });
  await d.send(proposeModelVersionUpdate, { by: people.ci, modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first model' });
}

/** ... and 1.0.0 validated by the pipeline with `metrics` and signed off by the validator. */
export async function driveToSignedOff(d: LifecycleDriver, metrics: MetricValue[] = goodMetrics): Promise<void> {
  await driveToValidation(d);
  const v = await d.send(recordValidationResultsUpdate, {
    by: people.ci,
    modelVersion: '1.0.0',
    artifactDigest: DIGEST_A,
    datasetIds: ['DS-1'],
    metrics,
  });
  await d.send(decideTaskUpdate, { by: people.victor, taskId: v.signOffTaskId as string, outcome: 'approved' });
}

/** The evidence driveToValidation records, step by step (written out here, not read from the code under test). */
export const EVIDENCE_TO_VALIDATION = [
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
] as const;

/** ... and what driveToSignedOff records after it: the results, the criteria's verdict, the sign-off. */
export const EVIDENCE_TO_SIGNED_OFF = [
  ...EVIDENCE_TO_VALIDATION,
  'ValidationResultsRecorded',
  'AcceptanceCriteriaEvaluated',
  'HumanTaskOpened',
  'HumanTaskDecided',
  'ValidationSignedOff',
  'LifecycleStageChanged',
] as const;

/** ... and then a deployment requested, approved by an approver and completed: the version in production. */
export const EVIDENCE_TO_PRODUCTION = [
  ...EVIDENCE_TO_SIGNED_OFF,
  'DeploymentRequested',
  'HumanTaskOpened',
  'HumanTaskDecided',
  'DeploymentApproved',
  'AiPolicyAtGateNoted',
  'DeploymentCompleted',
  'LifecycleStageChanged',
] as const;

/** The pipeline's request to deploy version 1.0.0 (with DIGEST_A unless told otherwise). */
export const deploymentRequest = (requestId: string, artifactDigest = DIGEST_A) => ({
  by: people.ci,
  requestId,
  modelVersion: '1.0.0',
  artifactDigest,
  environment: 'production',
  commit: '9f2c1e7',
});

/** Starts a lifecycle on the harness's worker and returns its driver. */
export async function beginLifecycle(
  h: Harness,
  reg: AiSystemLifecycleInput['registration'],
  extra: Omit<AiSystemLifecycleInput, 'registration'> = {},
): Promise<LifecycleDriver> {
  const handle = await startLifecycle(h.env, h.taskQueue, reg, extra);
  return new LifecycleDriver(handle, h.store, reg.systemId);
}

export function registeredRecord(state: AiSystemState): AiSystemRecord {
  if (state.stage === 'unregistered') throw new Error('not registered');
  return state;
}

/** Update ids the history records as accepted: a refused update must not be among them. */
export async function updateIdsInHistory(handle: LifecycleHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId)
    .filter((id): id is string => typeof id === 'string');
}

/** Polls a query until it holds (timers fire on the server's clock, not the test's). */
export { eventually };

export function asDomainEvent(e: RecordedEvidenceEvent): AiSystemEvent {
  return { type: e.type, ...e.data } as AiSystemEvent;
}

/**
 * The evidence check every run ends with:
 *  - the stream holds exactly `expectedTypes`, in order: the test states every step it expects, so a step
 *    recorded twice, or one missing, fails here (it is not derived from the code under test);
 *  - each event written by this workflow (metadata: workflowId, runId, actor);
 *  - every answer's evidence in the stream, in the order answered, with the types answered;
 *  - the stream, read back as domain events, folds to exactly the workflow's state;
 *  - the store's hash chain verifies.
 */
export async function expectEvidenceMatchesDomain(driver: LifecycleDriver, expectedTypes: string[]): Promise<RecordedEvidenceEvent[]> {
  const events = await collect(driver.store.readStream(driver.stream));
  expect(events.map((e) => e.type)).toEqual(expectedTypes);
  for (const e of events) {
    expect(e.metadata).toMatchObject({
      workflowId: lifecycleWorkflowId(driver.systemId),
      runId: expect.any(String),
      actor: { id: expect.any(String), role: expect.any(String) },
    });
  }
  const index = new Map(events.map((e, i) => [e.id, i]));
  let last = -1;
  for (const r of driver.answers.flatMap((a) => a.recorded)) {
    const i = index.get(r.evidenceId);
    expect(i).toBeDefined();
    expect(events[i as number].type).toBe(r.type);
    expect(i as number).toBeGreaterThan(last);
    last = i as number;
  }
  expect(replay(events.map(asDomainEvent))).toEqual(await driver.handle.query(stateQuery));
  const report = await driver.store.verify();
  expect(report.intact).toBe(true);
  return events;
}

/**
 * With AIMS_RECORD_HISTORIES=1, keeps the run's history as a replay fixture (committed; replayed in CI) in
 * test/fixtures/histories/<workflow>/<era of today's code>/<name>.json.
 */
export async function recordHistoryFixture(
  handle: WorkflowHandle,
  name: string,
  workflow: RecordedWorkflow = 'ai-system-lifecycle',
): Promise<void> {
  if (process.env.AIMS_RECORD_HISTORIES !== '1') return;
  writeHistoryFixture(workflow, name, await handle.fetchHistory());
}
