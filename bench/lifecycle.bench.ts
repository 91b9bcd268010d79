/**
 * `npm run bench:lifecycle`: N AI systems driven through the whole lifecycle (registered → impact
 * assessment → validation → deployment approval → in production → decommissioning → decommissioned) with
 * automated decisions, beside a baseline measured in the same run: a bare workflow making the same number
 * of no-op activity calls. Reports workflows/s, evidence events/s, the overhead ratio, and the worker's
 * memory with all N workflows open at once, at each N of BENCH_LIFECYCLES (default 50,200), so a per-system
 * cost shows as growth between the two.
 *
 * One Temporal dev server (the CLI from infra/temporal/temporal-cli) serves the whole run. Each measurement
 * gets a fresh worker in a child process of its own, so its RSS is that worker's alone and neither run
 * inherits the other's high-water mark; the lifecycle worker writes to a real SQLite evidence store in a
 * temporary folder. The driver (this process) holds every workflow at the same point — the lifecycles in
 * production, the baselines after as many calls — asks the worker to collect garbage and weigh itself,
 * then lets them all finish. With --write the section goes into docs/benchmarks.md.
 *
 * Environment: BENCH_LIFECYCLES (sizes, default 50,200), BENCH_ROUNDS (rounds at each size, default 3,
 * alternating which side runs first), BENCH_WARMUP (workflows of each kind before measuring, default 4),
 * BENCH_POLICY_MS (every policy duration, default 1 h), BENCH_PHASE_TIMEOUT_MS, BENCH_SHARED (bench-report.ts).
 */
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowClient, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import {
  aiSystemStreamName,
  lifecycleWorkflowId,
  type Actor,
  type ImpactAssessmentContent,
  type LifecyclePolicyOverrides,
  type MetricValue,
} from '../domain/ai-system';
import { openEventStore } from '../infra/event-store/open-event-store';
import type { RecordedEvidenceEvent } from '../infra/ports/event-store.port';
import { resolveTemporalCli, TEMPORAL_CLI_VERSION } from '../infra/temporal/temporal-cli';
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
import { fmt, log, machineDescription, machineLoad, sqliteStoreDurability, writeSection } from './bench-report';
import { formatSpread, spread, type Spread } from './rounds';
import type { aiSystemLifecycle, bareActivityLoop } from './workflows';
import { TEST_COMMAND_KEYS, TEST_SIGNING } from '../test/support/command-keys';
import { reachedHoldUpdate, releaseSignal, type BareActivities } from './workflows/bare-activity-loop.workflow';

const SIZES = (process.env.BENCH_LIFECYCLES ?? '50,200').split(',').map((s) => Number(s.trim()));
/** Rounds at each N, alternating which of the lifecycle and the baseline runs first (BENCH_ROUNDS). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 4);
/** Every policy duration: far longer than a run, so no reminder, escalation or review falls due (checked). */
const POLICY_MS = Number(process.env.BENCH_POLICY_MS ?? 3_600_000);
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 600_000);
const NAMESPACE = 'default';
const MiB = 2 ** 20;

// ---------------------------------------------------------------------------------------------------------
// The lifecycle as people and pipelines drive it (after test/integration/ai-system-lifecycle/lifecycle-harness)

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
const TIMER_EVIDENCE = new Set(['HumanTaskReminderSent', 'HumanTaskEscalated', 'MonitoringReviewDue']);

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
class DrivenLifecycle {
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
class BareLoop {
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

// ---------------------------------------------------------------------------------------------------------
// The bench worker, in a child process

interface StartWorker {
  type: 'start';
  address: string;
  taskQueue: string;
  storeUrl: string;
  bundlePath: string;
}

type ToWorker = StartWorker | { type: 'measure' } | { type: 'stop' };

/** The worker's weight: after a full GC of the main isolate (the workflow thread's heap is only in RSS). */
interface WorkerMemory {
  rssMiB: number;
  heapUsedMiB: number;
  maxRssMiB: number;
  cachedWorkflows: number;
  maxCachedWorkflows: number;
  /** Activity executions so far, by activity name. */
  activityCalls: Record<string, number>;
}

type FromWorker =
  | { type: 'ready'; durability: string }
  | ({ type: 'memory' } & WorkerMemory)
  | ({ type: 'stopped' } & WorkerMemory)
  | { type: 'error'; message: string };

const noOpActivities: BareActivities = {
  async noOp(): Promise<void> {
    // Nothing: the baseline measures the call, not the work.
  },
};

/** Every activity, counting its executions (the baseline must make as many calls as the lifecycle did). */
function counted<T extends object>(activities: T, calls: Record<string, number>): T {
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    calls[name] = 0;
    wrapped[name] = (...args: unknown[]) => {
      calls[name] += 1;
      return fn(...args);
    };
  }
  return wrapped as T;
}

async function runBenchWorker(task: StartWorker): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const eventStore = await openEventStore(task.storeUrl);
  const connection = await NativeConnection.connect({ address: task.address });
  const identity = `aims-bench-worker@${os.hostname()}:${process.pid}`;
  const calls: Record<string, number> = {};
  // As apps/worker/src/create-worker.ts builds the production worker (prebuilt bundle, the same
  // activities), plus the baseline's no-op: createAimsWorker bundles only the product's workflows.
  const worker = await Worker.create({
    connection,
    namespace: NAMESPACE,
    taskQueue: task.taskQueue,
    identity,
    workflowBundle: { codePath: task.bundlePath },
    activities: counted(
      {
        ...createActivities({
          identity,
          taskQueue: task.taskQueue,
          eventStore,
          commandVouching: { keys: TEST_COMMAND_KEYS, maxAgeMs: 600_000 },
        }),
        ...noOpActivities,
      },
      calls,
    ),
  });
  const running = worker.run();

  const weigh = async (): Promise<WorkerMemory> => {
    // Exposed by --expose-gc, which the parent passes; several rounds so finalisers' garbage goes too.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) throw new Error('the bench worker needs --expose-gc');
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const usage = process.memoryUsage();
    const status = worker.getStatus();
    return {
      rssMiB: usage.rss / MiB,
      heapUsedMiB: usage.heapUsed / MiB,
      // maxRSS is in kilobytes.
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      cachedWorkflows: status.numCachedWorkflows,
      maxCachedWorkflows: worker.options.maxCachedWorkflows,
      activityCalls: { ...calls },
    };
  };
  const reply = (message: FromWorker) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

  process.on('message', (message: ToWorker) => {
    const answer = async (): Promise<void> => {
      if (message.type === 'measure') return reply({ type: 'memory', ...(await weigh()) });
      if (message.type === 'stop') {
        const last = await weigh();
        worker.shutdown();
        await running;
        await connection.close();
        await eventStore.close();
        await reply({ type: 'stopped', ...last });
        process.exit(0);
      }
    };
    answer().catch((err: unknown) => reply({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  });
  running.catch((err: unknown) => {
    process.stderr.write(`[bench worker] ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
  await reply({ type: 'ready', durability: sqliteStoreDurability(eventStore) });
}

/** The parent's side of a bench worker: one request, one reply, and a clear error if the child dies. */
class WorkerProcess {
  /** journal_mode and synchronous on the worker's own store connection, as it reported them. */
  durability = '';
  private readonly inbox: FromWorker[] = [];
  private readonly waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void }[] = [];
  private exited: Error | null = null;
  private readonly exit: Promise<void>;

  private constructor(private readonly proc: ChildProcess) {
    proc.on('message', (m: FromWorker) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(m);
      else this.inbox.push(m);
    });
    this.exit = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exited = new Error(`the bench worker exited (${signal ?? code})`);
        for (const w of this.waiting.splice(0)) w.reject(this.exited);
        resolve();
      });
    });
  }

  static async start(task: StartWorker): Promise<WorkerProcess> {
    const proc = fork(__filename, ['--bench-worker'], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker = new WorkerProcess(proc);
    proc.send(task);
    worker.durability = (await worker.expect('ready')).durability;
    return worker;
  }

  private next(): Promise<FromWorker> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private async expect<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    const reply = await this.next();
    if (reply.type === 'error') throw new Error(`the bench worker failed: ${reply.message}`);
    if (reply.type !== type) throw new Error(`the bench worker answered ${reply.type}, expected ${type}`);
    return reply as Extract<FromWorker, { type: T }>;
  }

  async measure(): Promise<WorkerMemory> {
    this.proc.send({ type: 'measure' } satisfies ToWorker);
    return this.expect('memory');
  }

  async stop(): Promise<WorkerMemory> {
    this.proc.send({ type: 'stop' } satisfies ToWorker);
    const last = await this.expect('stopped');
    await this.exit;
    return last;
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Measurements

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${PHASE_TIMEOUT_MS} ms (BENCH_PHASE_TIMEOUT_MS)`)),
      PHASE_TIMEOUT_MS,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Runs `work` on every item at once; returns the seconds it took for all of them. */
async function timed<T>(items: T[], work: (item: T) => Promise<void>, what: string): Promise<number> {
  const started = performance.now();
  await withDeadline(Promise.all(items.map(work)), what);
  return (performance.now() - started) / 1000;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const sumCalls = (m: WorkerMemory) => Object.values(m.activityCalls).reduce((a, b) => a + b, 0);

interface ActivityShape {
  /** Activity calls a lifecycle makes up to the production hold, and after it. */
  beforeHold: number;
  afterHold: number;
}

interface RunResult {
  n: number;
  seconds: number;
  activityCalls: number;
  idle: WorkerMemory;
  open: WorkerMemory;
  last: WorkerMemory;
}

interface LifecycleRunResult extends RunResult {
  shape: ActivityShape;
  updates: number;
  latenciesMs: number[];
  evidenceEvents: number;
  evidencePerLifecycle: number;
  chainIntact: boolean;
  /** journal_mode and synchronous on the worker's store connection. */
  durability: string;
}

interface Context {
  env: TestWorkflowEnvironment;
  dir: string;
  bundlePath: string;
  runTag: string;
}

async function startWorker(ctx: Context, label: string): Promise<{ worker: WorkerProcess; taskQueue: string; storeUrl: string }> {
  // A fresh store and task queue each round (label carries N and the round).
  const taskQueue = `bench-${label}-${ctx.runTag}`;
  const storeUrl = `sqlite:${path.join(ctx.dir, `evidence-${label}.db`)}`;
  const worker = await WorkerProcess.start({ type: 'start', address: ctx.env.address, taskQueue, storeUrl, bundlePath: ctx.bundlePath });
  return { worker, taskQueue, storeUrl };
}

async function runLifecycles(ctx: Context, n: number, round: number): Promise<LifecycleRunResult> {
  const { worker, taskQueue, storeUrl } = await startWorker(ctx, `lifecycle-${n}-r${round}`);
  const client = ctx.env.client.workflow;
  const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-r${round}-${ctx.runTag}-${i}`);
  let systems: DrivenLifecycle[] = [];
  let result: Omit<LifecycleRunResult, 'evidenceEvents' | 'evidencePerLifecycle' | 'chainIntact' | 'durability'>;
  try {
    // Warm-up, also measuring how many activity calls a lifecycle makes on each side of the hold.
    const warm = ids(`bench-warmup-n${n}`, WARMUP).map((id) => new DrivenLifecycle(client, taskQueue, id));
    const c0 = await worker.measure();
    await withDeadline(Promise.all(warm.map((s) => s.toProduction())), 'the warm-up');
    const c1 = await worker.measure();
    await withDeadline(Promise.all(warm.map((s) => s.toDecommissioned())), 'the warm-up');
    const idle = await worker.measure();
    const shape = { beforeHold: (sumCalls(c1) - sumCalls(c0)) / WARMUP, afterHold: (sumCalls(idle) - sumCalls(c1)) / WARMUP };
    if (!Number.isInteger(shape.beforeHold) || !Number.isInteger(shape.afterHold))
      throw new Error(`lifecycles made uneven activity calls: ${JSON.stringify(shape)}`);

    systems = ids(`bench-n${n}`, n).map((id) => new DrivenLifecycle(client, taskQueue, id));
    log(`lifecycles: driving ${n} systems to production…`);
    const toProduction = await timed(systems, (s) => s.toProduction(), `${n} lifecycles to production`);
    const open = await worker.measure();
    log(
      `lifecycles: ${n} open in production, worker RSS ${open.rssMiB.toFixed(0)} MiB after GC (${open.cachedWorkflows} cached); decommissioning…`,
    );
    const toEnd = await timed(systems, (s) => s.toDecommissioned(), `${n} lifecycles to decommissioned`);
    const last = await worker.stop();
    result = {
      n,
      seconds: toProduction + toEnd,
      activityCalls: sumCalls(last) - sumCalls(idle),
      idle,
      open,
      last,
      shape,
      updates: systems.reduce((a, s) => a + s.latenciesMs.length, 0),
      latenciesMs: systems.flatMap((s) => s.latenciesMs),
    };
    if (result.activityCalls !== n * (shape.beforeHold + shape.afterHold)) {
      throw new Error(`${n} lifecycles made ${result.activityCalls} activity calls, not ${n} × ${shape.beforeHold + shape.afterHold}`);
    }
  } finally {
    worker.kill();
  }
  return { ...result, durability: worker.durability, ...(await checkEvidence(storeUrl, systems)) };
}

/**
 * The run is only worth reporting if the evidence is right: every answered step's events stored, the same
 * count for every system, no timer evidence (no reminder fired), and the hash chain intact.
 */
async function checkEvidence(
  storeUrl: string,
  systems: DrivenLifecycle[],
): Promise<Pick<LifecycleRunResult, 'evidenceEvents' | 'evidencePerLifecycle' | 'chainIntact'>> {
  const store = await openEventStore(storeUrl);
  try {
    const streams = new Map(systems.map((s) => [aiSystemStreamName(s.systemId), s]));
    const byStream = new Map<string, RecordedEvidenceEvent[]>();
    for await (const e of store.readAll({ pageSize: 5000 })) {
      if (TIMER_EVIDENCE.has(e.type)) throw new Error(`a timer fired during the run (${e.type} in ${e.stream}): raise BENCH_POLICY_MS`);
      if (!streams.has(e.stream)) continue;
      const list = byStream.get(e.stream) ?? [];
      list.push(e);
      byStream.set(e.stream, list);
    }
    const counts = new Set<number>();
    let total = 0;
    for (const [stream, system] of streams) {
      const events = byStream.get(stream) ?? [];
      const stored = new Set(events.map((e) => e.id));
      const missing = system.answers.flatMap((a) => a.recorded).filter((r) => !stored.has(r.evidenceId));
      if (missing.length > 0) throw new Error(`${stream}: ${missing.length} answered evidence events are not in the store`);
      if (events.at(-1)?.type !== 'LifecycleStageChanged' || events.some((e) => e.type === 'AiSystemDecommissioned') === false) {
        throw new Error(`${stream} does not end decommissioned`);
      }
      counts.add(events.length);
      total += events.length;
    }
    if (counts.size !== 1) throw new Error(`systems have different evidence counts: ${[...counts].join(', ')}`);
    const report = await store.verify();
    if (!report.intact) throw new Error(`the evidence chain does not verify: ${JSON.stringify(report)}`);
    return { evidenceEvents: total, evidencePerLifecycle: [...counts][0], chainIntact: report.intact };
  } finally {
    await store.close();
  }
}

async function runBaseline(ctx: Context, n: number, shape: ActivityShape, round: number): Promise<RunResult> {
  const { worker, taskQueue } = await startWorker(ctx, `bare-${n}-r${round}`);
  const client = ctx.env.client.workflow;
  const calls = shape.beforeHold + shape.afterHold;
  const loops = (prefix: string, count: number) =>
    Array.from(
      { length: count },
      (_, i) => new BareLoop(client, taskQueue, `${prefix}-r${round}-${ctx.runTag}-${i}`, calls, shape.beforeHold),
    );
  try {
    const warm = loops(`bench-bare-warmup-n${n}`, WARMUP);
    await withDeadline(
      Promise.all(
        warm.map(async (w) => {
          await w.toHold();
          await w.toEnd();
        }),
      ),
      'the warm-up',
    );
    const idle = await worker.measure();
    const bare = loops(`bench-bare-n${n}`, n);
    log(`baseline: ${n} bare workflows of ${calls} no-op calls, held after ${shape.beforeHold}…`);
    const toHold = await timed(bare, (b) => b.toHold(), `${n} bare workflows to the hold`);
    const open = await worker.measure();
    const toEnd = await timed(bare, (b) => b.toEnd(), `${n} bare workflows to the end`);
    const last = await worker.stop();
    const activityCalls = sumCalls(last) - sumCalls(idle);
    if (activityCalls !== n * calls) throw new Error(`${n} bare workflows made ${activityCalls} activity calls, not ${n * calls}`);
    return { n, seconds: toHold + toEnd, activityCalls, idle, open, last };
  } finally {
    worker.kill();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The report

interface SizeRuns {
  n: number;
  lifecycles: LifecycleRunResult[];
  baselines: RunResult[];
}

const two = (v: number): string => v.toFixed(2);
const one = (v: number): string => v.toFixed(1);
const mb = (m: number): string => m.toFixed(0);
const across = <T>(runs: T[], figure: (r: T) => number): Spread => spread(runs.map(figure));
const wps = (r: RunResult): number => r.n / r.seconds;

function report(startedAt: Date, sizes: SizeRuns[], maxCached: number): string {
  const first = sizes[0].lifecycles[0];
  const perLifecycleCalls = first.shape.beforeHold + first.shape.afterHold;
  const durabilities = [...new Set(sizes.flatMap((s) => s.lifecycles.map((l) => l.durability)))];
  const lines: string[] = [];
  lines.push('## AI system lifecycle (`npm run bench:lifecycle`)');
  lines.push('');
  lines.push(`- Date: ${startedAt.toISOString()}`);
  lines.push(`- Machine: ${machineDescription()}; ${machineLoad()}`);
  lines.push(`- Command: \`BENCH_LIFECYCLES=${SIZES.join(',')} BENCH_ROUNDS=${ROUNDS} npm run bench:lifecycle\``);
  lines.push(
    `- Setup: one Temporal dev server (CLI ${TEMPORAL_CLI_VERSION}, \`server start-dev\`, in-memory) for the run; for each measurement a fresh worker in a child process (prebuilt workflow bundle, the production activities, SDK default cache of ${fmt(maxCached)} workflows) on a task queue of its own; the lifecycles' evidence in a fresh SQLite store per round in a temp dir, durability read back from the worker's own store connection: ${durabilities.join('; ')}; the driver is the parent process, all N workflows in flight at once; ${WARMUP} warm-up workflows of each kind first, not counted.`,
  );
  lines.push(
    `- ${ROUNDS} rounds at each N; odd rounds run the lifecycles first, even rounds the baseline first. Figures are median (min–max) over the rounds; each ratio is taken within a round, then its median and min–max given.`,
  );
  lines.push(
    `- Each lifecycle: ${first.updates / first.n} Workflow Updates (every gate decided by a person with the right role, none by policy: risk tier high), ${perLifecycleCalls} activity calls (${first.shape.beforeHold} before the production hold, ${first.shape.afterHold} after), ${first.evidencePerLifecycle} evidence events. After every lifecycle round: every answered event found in the store, the same count for every system, ${fmt(first.evidenceEvents)} events for ${first.n} systems at N=${first.n}, chain verified intact (else the run fails). Policy durations ${fmt(POLICY_MS / 60_000)} min (days in production): no reminder, escalation or review fired (checked).`,
  );
  lines.push(
    `- Baseline, same run, same worker build: \`bareActivityLoop\` (bench/workflows/) making the same ${perLifecycleCalls} no-op activity calls with the evidence recorder's activity options, held open after ${first.shape.beforeHold} as the lifecycles are held in production.`,
  );
  lines.push(
    `- Time excludes the hold (garbage collection and weighing). Ratio = lifecycle workflows/s ÷ baseline workflows/s in the same round; overhead = its inverse. Update calls re-sent after the client's RPC deadline (same update id): ${updateRpcRetries}.`,
  );
  lines.push('');
  lines.push(
    '| N | workflow | wall time (s) | workflows/s | activity calls/s | evidence events/s | updates/s | update p50 / p95 (ms) | ratio to baseline (workflows/s) | overhead |',
  );
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { n, lifecycles: ls, baselines: bs } of sizes) {
    const ratios = across(
      ls.map((l, i) => [l, bs[i]] as const),
      ([l, b]) => wps(l) / wps(b),
    );
    const overheads = across(
      ls.map((l, i) => [l, bs[i]] as const),
      ([l, b]) => wps(b) / wps(l),
    );
    lines.push(
      `| ${n} | bare activity loop (baseline) | ${formatSpread(
        across(bs, (b) => b.seconds),
        one,
      )} | ${formatSpread(across(bs, wps), two)} | ${formatSpread(
        across(bs, (b) => b.activityCalls / b.seconds),
        fmt,
      )} | — | — | — | — | — |`,
    );
    lines.push(
      `| ${n} | AI system lifecycle | ${formatSpread(
        across(ls, (l) => l.seconds),
        one,
      )} | ${formatSpread(across(ls, wps), two)} | ${formatSpread(
        across(ls, (l) => l.activityCalls / l.seconds),
        fmt,
      )} | ${formatSpread(
        across(ls, (l) => l.evidenceEvents / l.seconds),
        fmt,
      )} | ${formatSpread(
        across(ls, (l) => l.updates / l.seconds),
        fmt,
      )} | ${fmt(across(ls, (l) => percentile(l.latenciesMs, 50)).median)} / ${fmt(across(ls, (l) => percentile(l.latenciesMs, 95)).median)} | ${formatSpread(ratios, two)} | ${formatSpread(overheads, two)}× |`,
    );
  }
  lines.push('');
  lines.push(
    "Worker memory (the worker child alone), with all N workflows open at the hold, after a full GC of its main isolate; the workflow thread's heap is in RSS only. Median (min–max) over the rounds:",
  );
  lines.push('');
  lines.push(
    '| N | workflow | cached workflows | RSS idle (MiB) | RSS, N open (MiB) | heapUsed, N open (MiB) | peak RSS, maxRSS (MiB) | (RSS open − idle) ÷ N (KiB) |',
  );
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const { n, lifecycles, baselines } of sizes) {
    for (const [name, rs] of [
      ['bare activity loop (baseline)', baselines],
      ['AI system lifecycle', lifecycles],
    ] as const) {
      lines.push(
        `| ${n} | ${name} | ${fmt(across(rs, (r) => r.open.cachedWorkflows).median)} | ${formatSpread(
          across(rs, (r) => r.idle.rssMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => r.open.rssMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => r.open.heapUsedMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => r.open.maxRssMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => ((r.open.rssMiB - r.idle.rssMiB) * 1024) / r.n),
          fmt,
        )} |`,
      );
    }
  }
  lines.push('');
  lines.push(...narrative(sizes, maxCached));
  lines.push('');
  return lines.join('\n');
}

/** Every sentence from the figures above: which side was faster, by how much and how steadily, and how memory grew. */
function narrative(sizes: SizeRuns[], maxCached: number): string[] {
  const out: string[] = [];
  for (const { n, lifecycles: ls, baselines: bs } of sizes) {
    const ratios = ls.map((l, i) => wps(l) / wps(bs[i]));
    const r = spread(ratios);
    const below = ratios.filter((x) => x < 1).length;
    out.push(
      `- N=${n}: the lifecycles ran at ${two(r.median)}× the baseline's workflows/s (median; ${two(r.min)}–${two(r.max)} over ${ratios.length} rounds); ${below === ratios.length ? 'slower than the baseline in every round' : below === 0 ? 'not slower than the baseline in any round' : `slower in ${below} of ${ratios.length} rounds, so at this N the spread is as large as the difference`}.`,
    );
  }
  if (sizes.length >= 2) {
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    const rssOpen = (rs: RunResult[]): number => spread(rs.map((r) => r.open.rssMiB)).median;
    const heap = (rs: RunResult[]): number => spread(rs.map((r) => r.open.heapUsedMiB)).median;
    const growth = (a: RunResult[], b: RunResult[]): number => ((rssOpen(b) - rssOpen(a)) * 1024) / (hi.n - lo.n);
    const lGrowth = growth(lo.lifecycles, hi.lifecycles);
    const bGrowth = growth(lo.baselines, hi.baselines);
    const heapLo = Math.min(heap(lo.lifecycles), heap(hi.lifecycles));
    const heapHi = Math.max(heap(lo.lifecycles), heap(hi.lifecycles));
    out.push(
      `- From N=${lo.n} to N=${hi.n} open (medians), the worker's RSS after GC grows by ${fmt(lGrowth)} KiB per extra open lifecycle and by ${fmt(bGrowth)} KiB per extra open bare workflow${bGrowth > 0 ? ` (ratio ${two(lGrowth / bGrowth)})` : ''}, while the lifecycle worker's main heap is ${mb(heapLo)}–${mb(heapHi)} MiB at the two sizes.`,
    );
    // The mechanism is said only when the figures fit it: RSS grows with N while the main heap does not.
    if (lGrowth > 0 && (heapHi - heapLo) * 1024 < lGrowth * (hi.n - lo.n) * 0.5)
      out.push(
        `- So what grows with N is outside the main heap: the SDK's sticky cache in the workflow thread keeps every open workflow's state, lifecycle or bare alike, until it holds \`maxCachedWorkflows\` (${fmt(maxCached)} by default here), then evicts and replays a workflow's history on its next update. The difference between the two growths is the lifecycle's own state per system.`,
      );
  }
  return out;
}

async function main(): Promise<void> {
  if (SIZES.some((n) => !Number.isInteger(n) || n < 1) || !(WARMUP >= 1) || !(POLICY_MS > 0) || !(ROUNDS >= 1)) {
    throw new Error('BENCH_LIFECYCLES must list positive integers (e.g. 50,200); BENCH_WARMUP ≥ 1; BENCH_POLICY_MS > 0; BENCH_ROUNDS ≥ 1');
  }
  const startedAt = new Date();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await resolveTemporalCli({ log });
  if (cli.kind !== 'existing-path') throw new Error('the benchmark needs a local Temporal CLI');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-lifecycle-'));
  const bundlePath = path.join(dir, 'bench-workflow-bundle.js');
  log('bundling the bench workflows (lifecycle and baseline)…');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: new DefaultLogger('WARN') });
  fs.writeFileSync(bundlePath, code);
  log('starting the Temporal dev server…');
  const env = await TestWorkflowEnvironment.createLocal({
    // Signs Updates and starts as the API does; the worker verifies with the same (bench-only) key.
    client: { interceptors: { workflow: [TEST_SIGNING] } },
    server: { executable: { type: 'existing-path', path: cli.path }, ip: '127.0.0.1', log: { format: 'pretty', level: 'error' } },
  });
  const runTag = Math.random().toString(36).slice(2, 8);
  const ctx: Context = { env, dir, bundlePath, runTag };
  const sizes: SizeRuns[] = [];
  try {
    for (const n of SIZES) {
      const runs: SizeRuns = { n, lifecycles: [], baselines: [] };
      // Odd rounds run the lifecycles first, even rounds the baseline first (which needs the lifecycle's
      // activity shape: round 1, lifecycles first, measures it).
      for (let round = 1; round <= ROUNDS; round++) {
        const lifecycle = async (): Promise<void> => {
          const l = await runLifecycles(ctx, n, round);
          log(`round ${round}, lifecycles: ${n} in ${l.seconds.toFixed(1)} s, ${fmt(l.evidenceEvents)} evidence events, chain intact`);
          runs.lifecycles.push(l);
        };
        const baseline = async (): Promise<void> => {
          const b = await runBaseline(ctx, n, runs.lifecycles[0].shape, round);
          log(`round ${round}, baseline: ${n} in ${b.seconds.toFixed(1)} s`);
          runs.baselines.push(b);
        };
        if (round % 2 === 1) {
          await lifecycle();
          await baseline();
        } else {
          await baseline();
          await lifecycle();
        }
      }
      sizes.push(runs);
    }
  } finally {
    await env.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const section = report(startedAt, sizes, sizes[0].lifecycles[0].open.maxCachedWorkflows);
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## AI system lifecycle', section);
}

if (process.argv.includes('--bench-worker')) {
  process.once('message', (task: StartWorker) => {
    runBenchWorker(task).catch((err: unknown) => {
      process.stderr.write(`[bench worker] ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
  });
} else if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
