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
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { aiSystemStreamName } from '../domain/ai-system';
import { openEventStore } from '../infra/event-store/open-event-store';
import type { RecordedEvidenceEvent } from '../infra/ports/event-store.port';
import { resolveTemporalCli } from '../infra/temporal/temporal-cli';
import { TEST_SIGNING } from '../test/support/command-keys';
import { fmt, log, writeSection } from './bench-report';
import { BareLoop, DrivenLifecycle, PHASE_TIMEOUT_MS, POLICY_MS, ROUNDS, SIZES, TIMER_EVIDENCE, WARMUP } from './lifecycle-bench-drive';
import { report, type ActivityShape, type LifecycleRunResult, type RunResult, type SizeRuns } from './lifecycle-bench-report';
import { WorkerProcess, type WorkerMemory } from './lifecycle-bench-worker';

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

const sumCalls = (m: WorkerMemory) => Object.values(m.activityCalls).reduce((a, b) => a + b, 0);

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

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
