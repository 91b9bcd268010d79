/**
 * `npm run bench:lifecycle` (lifecycle.bench.ts): its settings, and the lifecycle as people and pipelines
 * drive it (after test/integration/ai-system-lifecycle/lifecycle-harness), beside the baseline's bare loop.
 */
import { WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowClient, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  lifecycleWorkflowId,
  type Actor,
  type ImpactAssessmentContent,
  type LifecyclePolicyOverrides,
  type MetricValue,
} from '../domain/ai-system';
import {
  completeDecommissioningUpdate,
  decideTaskUpdate,
  proposeModelVersionUpdate,
  recordDataQualityCheckUpdate,
  recordDatasetUpdate,
  recordDeploymentCompletedUpdate,
  recordMonitoringReportUpdate,
  recordValidationResultsUpdate,
  requestDecommissioningUpdate,
  requestDeploymentUpdate,
  submitImpactAssessmentUpdate,
  type AiSystemLifecycleInput,
  type LifecycleStepResult,
} from '../workflows/ai-system-lifecycle.workflow';
import type { aiSystemLifecycle, bareActivityLoop } from './workflows';
import { reachedHoldUpdate, releaseSignal } from './workflows/bare-activity-loop.workflow';

export const SIZES = (process.env.BENCH_LIFECYCLES ?? '50,200').split(',').map((s) => Number(s.trim()));
/** Rounds at each N, alternating which of the lifecycle and the baseline runs first (BENCH_ROUNDS). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const WARMUP = Number(process.env.BENCH_WARMUP ?? 4);
/** Every policy duration: far longer than a run, so no reminder, escalation or review falls due (checked). */
export const POLICY_MS = Number(process.env.BENCH_POLICY_MS ?? 3_600_000);
export const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 600_000);

const people = {
  erin: { id: 'erin', roles: ['engineer'] },
  ci: { id: 'ci-pipeline', roles: ['ci'] },
  alice: { id: 'alice', roles: ['approver'] },
  bob: { id: 'bob', roles: ['approver'] },
  victor: { id: 'victor', roles: ['validator'] },
} satisfies Record<string, Actor>;

const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_DATA = `sha256:${'d'.repeat(64)}`;

const POLICY: LifecyclePolicyOverrides = {
  taskResponseTimeMs: {
    impact_assessment_review: POLICY_MS,
    validation_sign_off: POLICY_MS,
    deployment_approval: POLICY_MS,
    decommissioning_approval: POLICY_MS,
    monitoring_review: POLICY_MS,
  },
  escalationAfterMs: POLICY_MS,
  monitoringReviewIntervalMs: POLICY_MS,
  impactAssessmentValidityMs: POLICY_MS,
};

/** Evidence that only a timer writes: in this benchmark any of it would be a reminder firing spuriously. */
export const TIMER_EVIDENCE = new Set(['HumanTaskReminderSent', 'HumanTaskEscalated', 'MonitoringReviewDue']);

function registration(systemId: string): AiSystemLifecycleInput['registration'] {
  return {
    systemId,
    name: 'Credit scoring assistant',
    purpose: 'Rank loan applications for human review',
    intendedUse: 'Decision support for credit officers; never automatic refusal',
    owner: people.erin.id,
    provider: { kind: 'in_house', supplier: null },
    // High risk: every gate needs a person, so each lifecycle takes every decision there is to take.
    riskTier: 'high',
    acceptanceCriteria: [
      { metric: 'auc', direction: 'higher_is_better', threshold: 0.8 },
      { metric: 'false_positive_rate', direction: 'lower_is_better', threshold: 0.1 },
    ],
    policy: POLICY,
    by: people.erin,
  };
}

const iaContent = (): ImpactAssessmentContent => ({
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

const dataset = (datasetId: string) => ({
  datasetId,
  name: 'Applications 2020-2024',
  purpose: 'validation' as const,
  provenance: { source: 'core banking export', custodian: 'data office', licence: null, contentDigest: DIGEST_DATA },
  acquisition: { method: 'internal export', acquiredAt: null, notes: null },
  preparation: { steps: ['deduplicated', 'pseudonymised'] },
});

const passingQuality = (datasetId: string) => ({
  datasetId,
  results: [
    { dimension: 'completeness', measure: 'non-null ratio', value: 0.99, passed: true, notes: null },
    { dimension: 'representativeness', measure: 'population stability', value: 0.05, passed: true, notes: null },
  ],
});

const goodMetrics: MetricValue[] = [
  { metric: 'auc', value: 0.86 },
  { metric: 'false_positive_rate', value: 0.07 },
];

/** Update calls sent again after the RPC deadline passed before the update was accepted (reported). */
let updateRpcRetries = 0;
export const updateRpcRetryCount = (): number => updateRpcRetries;

/**
 * A Workflow Update that outlives the client's RPC deadline: under a saturated task queue acceptance can
 * take longer than the call may wait, and the same update id sent again joins the same update (the
 * server deduplicates by id), so nothing runs twice. `send` must name its update id.
 */
async function surely<R>(send: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) || attempt >= 10) throw err;
      updateRpcRetries += 1;
    }
  }
}

class UnexpectedAnswerError extends Error {
  constructor(systemId: string, step: string, answer: unknown) {
    super(`${systemId}: unexpected answer to ${step}: ${JSON.stringify(answer)}`);
    this.name = 'UnexpectedAnswerError';
  }
}

/** One AI system driven by the bench: every answer and every update's round trip are kept. */
export class DrivenLifecycle {
  readonly answers: LifecycleStepResult[] = [];
  readonly latenciesMs: number[] = [];
  private handle: WorkflowHandle<typeof aiSystemLifecycle> | null = null;

  constructor(
    private readonly client: WorkflowClient,
    private readonly taskQueue: string,
    readonly systemId: string,
  ) {}

  private async send<R extends LifecycleStepResult, A>(update: UpdateDefinition<R, [A]>, arg: A): Promise<R> {
    if (this.handle === null) throw new Error(`${this.systemId}: not started`);
    const started = performance.now();
    const handle = this.handle;
    const updateId = `${this.systemId}-step-${this.answers.length + 1}`;
    const answer = await surely(() => handle.executeUpdate(update, { args: [arg], updateId }));
    this.latenciesMs.push(performance.now() - started);
    this.answers.push(answer);
    return answer;
  }

  /** Registered, assessed, validated, signed off, deployed with approval, one monitoring report in. */
  async toProduction(): Promise<void> {
    this.handle = await this.client.start<typeof aiSystemLifecycle>('aiSystemLifecycle', {
      taskQueue: this.taskQueue,
      workflowId: lifecycleWorkflowId(this.systemId),
      args: [{ registration: registration(this.systemId) }],
    });
    const ia = await this.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
    await this.send(decideTaskUpdate, { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved' });
    await this.send(recordDatasetUpdate, { by: people.erin, ...dataset('DS-1') });
    await this.send(recordDataQualityCheckUpdate, { by: people.ci, ...passingQuality('DS-1') });
    await this.send(proposeModelVersionUpdate, {
      by: people.ci,
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      description: 'first model',
    });
    const v = await this.send(recordValidationResultsUpdate, {
      by: people.ci,
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      datasetIds: ['DS-1'],
      metrics: goodMetrics,
    });
    if (v.signOffTaskId === null) throw new UnexpectedAnswerError(this.systemId, 'recordValidationResults', v);
    await this.send(decideTaskUpdate, { by: people.victor, taskId: v.signOffTaskId, outcome: 'approved' });
    const gate = await this.send(requestDeploymentUpdate, {
      by: people.ci,
      requestId: 'deploy-1',
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      environment: 'production',
      commit: '9f2c1e7',
    });
    if (gate.outcome !== 'pending' || gate.approvalTaskId === null)
      throw new UnexpectedAnswerError(this.systemId, 'requestDeployment', gate);
    await this.send(decideTaskUpdate, { by: people.alice, taskId: gate.approvalTaskId, outcome: 'approved' });
    const deployed = await this.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' });
    if (deployed.stage !== 'in_production') throw new UnexpectedAnswerError(this.systemId, 'recordDeploymentCompleted', deployed);
    const window = { from: '2025-01-01T00:00:00.000Z', to: '2025-01-08T00:00:00.000Z' };
    const report = await this.send(recordMonitoringReportUpdate, { by: people.ci, window, metrics: goodMetrics });
    if (report.breaches.length > 0 || report.stage !== 'in_production')
      throw new UnexpectedAnswerError(this.systemId, 'recordMonitoringReport', report);
  }

  /** Decommissioning requested, approved and completed; the workflow's own result says decommissioned. */
  async toDecommissioned(): Promise<void> {
    const request = await this.send(requestDecommissioningUpdate, { by: people.erin, reason: 'Replaced by the group-wide model' });
    await this.send(decideTaskUpdate, { by: people.bob, taskId: request.approvalTaskId, outcome: 'approved' });
    await this.send(completeDecommissioningUpdate, {
      by: people.erin,
      dataRetention: { decision: 'archive', retainUntil: '2032-12-31T00:00:00.000Z', justification: 'Credit files are kept seven years' },
    });
    const final = await (this.handle as WorkflowHandle<typeof aiSystemLifecycle>).result();
    if (final.stage !== 'decommissioned') throw new UnexpectedAnswerError(this.systemId, 'the workflow result', final);
  }
}

/** One baseline workflow: no-op calls up to the hold, held, then the rest. */
export class BareLoop {
  private handle: WorkflowHandle<typeof bareActivityLoop> | null = null;

  constructor(
    private readonly client: WorkflowClient,
    private readonly taskQueue: string,
    readonly workflowId: string,
    private readonly calls: number,
    private readonly holdAfter: number,
  ) {}

  async toHold(): Promise<void> {
    this.handle = await this.client.start<typeof bareActivityLoop>('bareActivityLoop', {
      taskQueue: this.taskQueue,
      workflowId: this.workflowId,
      args: [{ calls: this.calls, holdAfter: this.holdAfter }],
    });
    const handle = this.handle;
    const done = await surely(() => handle.executeUpdate(reachedHoldUpdate, { updateId: `${this.workflowId}-hold` }));
    if (done !== this.holdAfter) throw new UnexpectedAnswerError(this.workflowId, 'reachedHold', done);
  }

  async toEnd(): Promise<void> {
    const handle = this.handle as WorkflowHandle<typeof bareActivityLoop>;
    await handle.signal(releaseSignal);
    const done = await handle.result();
    if (done !== this.calls) throw new UnexpectedAnswerError(this.workflowId, 'the workflow result', done);
  }
}
