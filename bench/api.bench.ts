/**
 * `npm run bench:api` (the Temporal CLI's dev server, a SQLite store) and `npm run bench:topology` (the
 * Temporal server on PostgreSQL, the PostgreSQL store; bench/api-bench-cluster.ts): the HTTP API under load
 * (autocannon's programmatic API), beside baselines measured in the same run on the same processes, in
 * alternating rounds (odd rounds the engine first, even rounds the baselines first; bench/rounds.ts):
 *  - task decisions (POST /v1/tasks/:id/decision) at 1, 16 and 64 connections: decisions/s (2xx only,
 *    other answers and socket errors counted apart) and p50/p99 latency; baselines: GET /health on the same
 *    app at the same connections (the HTTP stack), and the same decision sent as the raw `decideTask`
 *    Workflow Update (client handle.executeUpdate, no HTTP) by as many concurrent callers (the workflow);
 *  - the CI/CD gate (POST /v1/ai-systems/:id/deployments) at 1 and 16 concurrent pipelines, its retry with
 *    the same Idempotency-Key (1 pipeline), the raw `requestDeployment` Update, and the gate's baseline
 *    (issue 13 item 6): a bare Temporal Update that appends one event (bench/workflows/
 *    bare-update-append.workflow.ts), by a local activity and by a scheduled activity.
 *
 * A decided task is closed and a gate request is one per system here, so every request needs a system of
 * its own: before the rounds the driver registers and prepares them all over HTTP (not counted); setupRequest
 * hands each request the next path.
 *
 * Environment: BENCH_API_DECISIONS (connections:requests per round, default 1:20,16:64,64:192),
 * BENCH_API_GATE (pipelines:requests per round, default 1:50,16:96), BENCH_API_ROUNDS (default 3),
 * BENCH_API_HEALTH_S (seconds per /health level, default 2), BENCH_API_WARMUP (default 10),
 * BENCH_API_MAX_CACHED (the worker's sticky cache, default 6000), BENCH_POSTGRES_URL (bench:topology; default AIMS_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test),
 * BENCH_STORE_POOL_SIZE (bench:topology: `pool_size` in the store URL of every process; default the stores' own).
 */
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { Client } from 'pg';
import { lifecycleWorkflowId } from '../domain/ai-system';
import { AIMS_ROLES, type Actor, type AimsRole } from '../domain/shared/roles';
import { openTokenStore } from '../infra/auth/open-token-store';
import { openEventStore } from '../infra/event-store/open-event-store';
import { decideTaskUpdate, requestDeploymentUpdate } from '../workflows/ai-system-lifecycle.workflow';
import { DIGEST_A } from '../test/support/credit-scoring-requests';
import { appendOneUpdate } from './workflows/bare-update-append.workflow';
import { devServerCluster, topologyCluster, type BenchCluster, type BenchTarget } from './api-bench-cluster';
import { WORKFLOW_STACK_FRAMES_MODULE } from '../apps/worker/src/create-worker';
import { CPU_PROFILE_DIR, startApi, startBareWorker, startWorker } from './api-bench-processes';
import { gatePathParts, summariseFolder } from './cpu-profile-summary';
import {
  Api,
  autocannon,
  IA_APPROVAL,
  fromAutocannon,
  perSecond,
  pool,
  postEach,
  rawUpdates,
  collectDriverGarbage,
  REQUEST_TIMEOUT_S,
  type Measured,
} from './api-bench-load';
import { meanUpdateTask } from './api-bench-history';
import { cpuPerRequest, cpuPerUpdate, cpuReading, machineCpu, threadCpu, totalMs, type CpuPerRequest } from './api-bench-cpu';
import { scrapeGateSeries, stagesBetween } from './api-bench-stages';
import { profileReport, report, type DecisionRound, type GateRound, type Results } from './api-bench-report';
import { log, sqliteStoreDurability, writeSection } from './bench-report';

function pairs(name: string, raw: string): { concurrency: number; requests: number }[] {
  return raw.split(',').map((pair) => {
    const [c, n] = pair.split(':').map((s) => Number(s.trim()));
    if (!Number.isInteger(c) || !Number.isInteger(n) || c < 1 || n < c)
      throw new Error(`${name}: "${pair}" is not concurrency:requests with requests ≥ concurrency ≥ 1`);
    return { concurrency: c, requests: n };
  });
}

const DECISIONS = pairs('BENCH_API_DECISIONS', process.env.BENCH_API_DECISIONS ?? '1:20,16:64,64:192');
const GATES = pairs('BENCH_API_GATE', process.env.BENCH_API_GATE ?? '1:50,16:96');
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 3);
const HEALTH_S = Number(process.env.BENCH_API_HEALTH_S ?? 2);
const WARMUP = Number(process.env.BENCH_API_WARMUP ?? 10);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The worker's sticky cache: more than the run prepares at the largest sizes used here. */
const MAX_CACHED_WORKFLOWS = Number(process.env.BENCH_API_MAX_CACHED ?? 6000);
const STORE_POOL_SIZE = process.env.BENCH_STORE_POOL_SIZE;
/** Concurrency of the preparation (registrations, assessments): enough to be quick, not a measurement. */
const PREP_CONCURRENCY = 16;

/** Hands out prepared items in order, each once. */
class Supply<T> {
  private next = 0;
  constructor(private readonly items: T[]) {}
  take(n: number): T[] {
    if (this.next + n > this.items.length) throw new Error(`bug: ${n} more wanted, ${this.items.length - this.next} prepared`);
    const taken = this.items.slice(this.next, this.next + n);
    this.next += n;
    return taken;
  }
}

async function run(target: BenchTarget): Promise<Results> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-api-'));
  const runTag = Math.random().toString(36).slice(2, 8);
  const cluster: BenchCluster =
    target === 'dev-server' ? await devServerCluster(dir) : await topologyCluster(POSTGRES_URL, runTag, STORE_POOL_SIZE);
  const settings = { dataDir: dir, storeUrl: cluster.storeUrl, temporalAddress: cluster.temporalAddress, taskQueue: `bench-api-${runTag}` };
  const bareQueue = `bench-bare-${runTag}`;
  const children: ChildProcess[] = [];
  try {
    // Tokens first, through the token store as `aims tokens create` does; the API reads the same database.
    const tokenStore = await openTokenStore(cluster.storeUrl);
    const tokens = {} as Record<AimsRole, string>;
    for (const role of AIMS_ROLES) tokens[role] = (await tokenStore.issue({ name: `${role}-token`, roles: [role] })).token;
    await tokenStore.close();

    // Every lifecycle the run prepares stays in the worker's sticky cache, as the bare workflows stay in
    // theirs (the same bound): a request to an evicted workflow would first replay its history (a cost of
    // its own, measured by no row here; the retry row shows a warm workflow's Update).
    const worker = startWorker({ ...settings, maxCachedWorkflows: MAX_CACHED_WORKFLOWS });
    worker.once('exit', (code, signal) => log(`the worker exited (${signal ?? code})`));
    children.push(worker);
    const bundlePath = path.join(dir, 'bench-workflow-bundle.js');
    // Bundled as the production worker bundles its own (WORKFLOW_BUNDLER_OPTIONS): the workflows module and
    // the stack-frame limit preloaded, shared by every workflow in the sandbox. Without it each of the
    // thousands of idle bare workflows held its own copy of the module graph (the bench's workflows import
    // the lifecycle's), and the baseline paid for a heap the production worker does not have.
    const benchWorkflows = require.resolve('./workflows');
    const { code } = await bundleWorkflowCode({
      workflowsPath: benchWorkflows,
      preloadModules: [WORKFLOW_STACK_FRAMES_MODULE, benchWorkflows],
      logger: new DefaultLogger('WARN'),
    });
    fs.writeFileSync(bundlePath, code);
    const bareWorker = await startBareWorker({ ...settings, taskQueue: bareQueue, bundlePath, maxCachedWorkflows: MAX_CACHED_WORKFLOWS });
    children.push(bareWorker);
    const started = await startApi(settings);
    children.push(started.proc);
    const pids = new Map<number, string>([
      [worker.pid ?? -1, 'worker'],
      [bareWorker.pid ?? -1, 'bare-Update worker'],
      [started.proc.pid ?? -1, 'API'],
    ]);
    const api = new Api(`http://127.0.0.1:${started.port}`, tokens);
    const client = cluster.client.workflow;
    const approver: Actor = { id: 'approver-token', roles: ['approver'] };
    const ci: Actor = { id: 'ci-token', roles: ['ci'] };

    // Preparation: a system of its own for every request to come, in every round.
    const prepStarted = performance.now();
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${runTag}-${i}`);
    const decisionsNeeded = ROUNDS * DECISIONS.reduce((a, l) => a + l.requests, 0) + WARMUP;
    const gatesNeeded = ROUNDS * GATES.reduce((a, l) => a + l.requests, 0) + WARMUP;
    const httpSystems = ids('bench-http', decisionsNeeded);
    const rawSystems = ids('bench-raw', decisionsNeeded);
    const gateSystems = ids('bench-gate', gatesNeeded);
    const rawGateSystems = ids('bench-rawgate', gatesNeeded);
    const autoGateSystems = ids('bench-autogate', gatesNeeded);
    // As many bare workflows as systems, the ones no request uses left idle: the Temporal core scans every
    // run its worker caches after each input of its workflow stream, so an Update costs a worker more the
    // more runs it caches (docs/benchmarks.md, "2026-12-07, night"). With equal caches the two workers pay
    // the same for theirs, and the gate's ratio is what the engine adds, not what the bench's cache sizes do.
    const systemsNeeded = 2 * decisionsNeeded + 3 * gatesNeeded;
    const bareWorkflows = ids('bench-bare', systemsNeeded); // the bare Updates need 2 × gatesNeeded of them
    if (bareWorkflows.length > MAX_CACHED_WORKFLOWS)
      throw new Error(
        `${bareWorkflows.length} workflows per worker: more than BENCH_API_MAX_CACHED (${MAX_CACHED_WORKFLOWS}) would be evicted from the cache`,
      );
    log(
      `preparing ${decisionsNeeded * 2} systems with an open review, ${gatesNeeded * 3} signed-off systems over HTTP, ${bareWorkflows.length} bare workflows…`,
    );
    // The bare workflows first: a start returns before the bare worker has run the workflow's first task,
    // and those thousands of first tasks must be done before the rounds, not during the first one.
    await pool(bareWorkflows, PREP_CONCURRENCY, (workflowId) =>
      client.start('bareUpdateAppend', { taskQueue: bareQueue, workflowId, args: [] }),
    );
    const httpTasks = await pool(httpSystems, PREP_CONCURRENCY, (id) => api.toReviewOpen(id));
    const rawTasks = await pool(rawSystems, PREP_CONCURRENCY, (id) => api.toReviewOpen(id));
    await pool([...gateSystems, ...rawGateSystems], PREP_CONCURRENCY, (id) => api.toSignedOff(id));
    await pool(autoGateSystems, PREP_CONCURRENCY, (id) => api.toSignedOff(id, 'minimal'));
    const prep = {
      systems: systemsNeeded,
      bareWorkflows: bareWorkflows.length,
      seconds: (performance.now() - prepStarted) / 1000,
    };
    log(`prepared ${prep.systems} systems and ${prep.bareWorkflows} bare workflows in ${prep.seconds.toFixed(1)} s`);

    const decisionPath = (taskId: string) => `/v1/tasks/${taskId}/decision`;
    const httpDecisions = new Supply(httpTasks.map(decisionPath));
    const rawDecisions = new Supply(rawSystems.map((id, i) => ({ id, task: rawTasks[i] })));
    const gatePaths = new Supply(
      gateSystems.map((id, i) => ({ path: `/v1/ai-systems/${id}/deployments`, key: `bench-deploy-${runTag}-${i}` })),
    );
    const rawGates = new Supply(rawGateSystems.map((id, i) => ({ id, requestId: `bench-rawdeploy-${runTag}-${i}` })));
    const autoGatePaths = new Supply(
      autoGateSystems.map((id, i) => ({ path: `/v1/ai-systems/${id}/deployments`, key: `bench-autodeploy-${runTag}-${i}` })),
    );
    const bares = new Supply(bareWorkflows);
    const gateBody = { version: '1.0.0', artifactDigest: DIGEST_A, environment: 'production', commit: '9f2c1e7' };

    const rawDecide = (r: { id: string; task: string }) =>
      client
        .getHandle(lifecycleWorkflowId(r.id))
        .executeUpdate(decideTaskUpdate, { args: [{ by: approver, taskId: r.task, outcome: 'approved', riskTier: 'high' }] });
    const rawRequest = async (r: { id: string; requestId: string }) => {
      const answer = await client.getHandle(lifecycleWorkflowId(r.id)).executeUpdate(requestDeploymentUpdate, {
        args: [
          { by: ci, requestId: r.requestId, modelVersion: '1.0.0', artifactDigest: DIGEST_A, environment: 'production', commit: '9f2c1e7' },
        ],
      });
      if (answer.outcome !== 'pending') throw new Error(`raw gate ${r.id}: ${answer.outcome}`);
    };
    const bareAppend = (workflowId: string, local: boolean) =>
      client.getHandle(workflowId).executeUpdate(appendOneUpdate, { args: [{ local }] });
    // `status`: what every answer must be (202 pending for a high-risk system, 200 approved for a minimal-risk one).
    // No CPU reading surrounds an HTTP gate phase, so the driver's heap is collected here, as each one starts.
    const httpGate = async (pipelines: number, items: { path: string; key: string }[], label: string, status = 202): Promise<Measured> => {
      collectDriverGarbage();
      const result = await postEach(
        api,
        'ci',
        items.map((g) => g.path),
        pipelines,
        gateBody,
        (i) => ({ 'idempotency-key': items[i].key }),
      );
      const wrong = Object.entries(result.statusCodeStats).filter(([code, { count }]) => code !== String(status) && count > 0);
      if (wrong.length > 0) throw new Error(`${label}: answers other than ${status}: ${JSON.stringify(Object.fromEntries(wrong))}`);
      return fromAutocannon(label, pipelines, result);
    };

    // Warm-up of every path (JIT, connections, sticky cache), not counted.
    const warm = await postEach(api, 'approver', httpDecisions.take(WARMUP), 1, IA_APPROVAL);
    if (warm['2xx'] !== WARMUP)
      throw new Error(`warm-up decisions: ${warm['2xx']} of ${WARMUP} succeeded (${JSON.stringify(warm.statusCodeStats)})`);
    for (const r of rawDecisions.take(WARMUP)) await rawDecide(r);
    await httpGate(1, gatePaths.take(WARMUP), 'warm-up');
    await httpGate(1, autoGatePaths.take(WARMUP), 'warm-up', 200);
    for (const r of rawGates.take(WARMUP)) await rawRequest(r);
    for (const [i, w] of bares.take(2 * WARMUP).entries()) await bareAppend(w, i % 2 === 0);
    await autocannon({ url: `${api.base}/health`, connections: 1, duration: 1 });

    // The evidence store, read beside the worker and the API: its durability read back, and after every
    // round its chain must verify and hold at least as many events as before.
    const store = await openEventStore(cluster.storeUrl);
    const durability = await storeDurability(store, cluster.storeUrl);
    let eventsBefore = (await store.head())?.position ?? 0;
    const checkRound = async (round: number) => {
      const verified = await store.verify();
      const events = (await store.head())?.position ?? 0;
      if (!verified.intact) throw new Error(`the evidence chain does not verify after round ${round}`);
      if (events <= eventsBefore) throw new Error(`round ${round} recorded no evidence (${events} events, ${eventsBefore} before)`);
      log(`  round ${round}: ${events - eventsBefore} events recorded, chain intact`);
      eventsBefore = events;
    };

    const cpuPids = { api: started.proc.pid ?? -1, worker: worker.pid ?? -1 };
    const decisionRounds: DecisionRound[][] = [];
    const gateRounds: GateRound[][] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const engineFirst = round % 2 === 1;
      log(`round ${round} of ${ROUNDS} (${engineFirst ? 'engine' : 'baselines'} first)`);
      const decisions: DecisionRound[] = [];
      for (const level of DECISIONS) {
        const c = level.concurrency;
        // The CPU each request costs every process it passes through: at 64 connections the two cores are
        // saturated, so the ratio of decisions per second is about the inverse ratio of these.
        const withCpu = async (send: () => Promise<Measured>): Promise<[Measured, CpuPerRequest]> => {
          collectDriverGarbage();
          const before = cpuReading(cpuPids);
          const measured = await send();
          return [measured, cpuPerRequest(before, cpuReading(cpuPids), level.requests)];
        };
        const http = () =>
          withCpu(async () =>
            fromAutocannon(
              'POST /v1/tasks/:id/decision',
              c,
              await postEach(api, 'approver', httpDecisions.take(level.requests), c, IA_APPROVAL),
            ),
          );
        const raw = () => {
          const items = rawDecisions.take(level.requests);
          return withCpu(() =>
            rawUpdates('decideTask Update', c, level.requests, async (i) => {
              await rawDecide(items[i]);
            }),
          );
        };
        const health = async () =>
          fromAutocannon(
            'GET /health',
            c,
            await autocannon({ url: `${api.base}/health`, connections: c, duration: HEALTH_S, timeout: REQUEST_TIMEOUT_S }),
          );
        const [[h, httpCpu], [r, rawCpu]] = engineFirst
          ? [await http(), await raw()]
          : await raw().then(async (r) => [await http(), r] as const);
        const measured: DecisionRound = { connections: c, http: h, raw: r, health: await health(), httpCpu, rawCpu };
        const cpu = (x: CpuPerRequest) =>
          `machine ${x.machine.toFixed(2)} ms (API ${x.api.toFixed(2)}, worker ${x.worker.toFixed(2)}, driver ${x.driver.toFixed(2)})`;
        log(
          `  ${c} connection(s): HTTP ${perSecond(h).toFixed(1)}/s p50 ${h.p50} ms, ${cpu(httpCpu)}; raw ${perSecond(r).toFixed(1)}/s p50 ${r.p50.toFixed(0)} ms, ${cpu(rawCpu)}`,
        );
        decisions.push(measured);
      }
      decisionRounds.push(decisions);
      const gates: GateRound[] = [];
      for (const level of GATES) {
        const p = level.concurrency;
        const n = level.requests;
        const engine = async () => {
          const items = gatePaths.take(n);
          const before = await scrapeGateSeries(started.metricsPort);
          const http = await httpGate(p, items, 'POST /v1/ai-systems/:id/deployments');
          const stages = stagesBetween(before, await scrapeGateSeries(started.metricsPort));
          const retry = p === 1 ? await httpGate(p, items, 'the same, retried (same Idempotency-Key)') : undefined;
          const rawItems = rawGates.take(n);
          collectDriverGarbage();
          const cpuBefore = threadCpu(worker.pid ?? -1);
          const apiBefore = threadCpu(started.proc.pid ?? -1);
          const machineBefore = machineCpu();
          const raw = await rawUpdates('requestDeployment Update', p, n, (i) => rawRequest(rawItems[i]));
          const rawCpu = cpuPerUpdate(cpuBefore, threadCpu(worker.pid ?? -1), n);
          const rawApiCpu = cpuPerUpdate(apiBefore, threadCpu(started.proc.pid ?? -1), n);
          const rawMachineCpu = (machineCpu() - machineBefore) / n;
          const rawTask = await meanUpdateTask(
            client,
            rawItems.map((r) => lifecycleWorkflowId(r.id)),
          );
          const autoApproved = await httpGate(p, autoGatePaths.take(n), 'POST /v1/ai-systems/:id/deployments, auto-approved', 200);
          return { http, stages, retry, raw, rawTask, rawCpu, rawApiCpu, rawMachineCpu, autoApproved };
        };
        const baselines = async () => {
          const local = bares.take(n);
          const scheduled = bares.take(n);
          collectDriverGarbage();
          const cpuBefore = threadCpu(bareWorker.pid ?? -1);
          const apiBefore = threadCpu(started.proc.pid ?? -1);
          const machineBefore = machineCpu();
          const bareLocal = await rawUpdates('bare Update, local activity', p, n, async (i) => {
            await bareAppend(local[i], true);
          });
          const bareCpu = cpuPerUpdate(cpuBefore, threadCpu(bareWorker.pid ?? -1), n);
          const bareApiCpu = cpuPerUpdate(apiBefore, threadCpu(started.proc.pid ?? -1), n);
          const bareMachineCpu = (machineCpu() - machineBefore) / n;
          collectDriverGarbage();
          const bareScheduled = await rawUpdates('bare Update, activity', p, n, async (i) => {
            await bareAppend(scheduled[i], false);
          });
          return { bareLocal, bareScheduled, bareCpu, bareApiCpu, bareMachineCpu, bareTask: await meanUpdateTask(client, local) };
        };
        const [e, b] = engineFirst
          ? [await engine(), await baselines()]
          : await baselines().then(async (b) => [await engine(), b] as const);
        gates.push({ pipelines: p, ...e, ...b });
        const threads = (cpu: Map<string, number>) => [...cpu].map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(', ');
        log(
          `  worker CPU per Update: requestDeployment ${totalMs(e.rawCpu).toFixed(2)} ms (${threads(e.rawCpu)}); bare ${totalMs(b.bareCpu).toFixed(2)} ms (${threads(b.bareCpu)}); the API meanwhile ${totalMs(e.rawApiCpu).toFixed(2)} / ${totalMs(b.bareApiCpu).toFixed(2)} ms; the machine ${e.rawMachineCpu.toFixed(2)} / ${b.bareMachineCpu.toFixed(2)} ms`,
        );
        log(
          `  the Update's workflow task (means): requestDeployment dispatch ${e.rawTask.dispatchMs.toFixed(2)} ms, worker ${e.rawTask.workerMs.toFixed(2)} ms, ${e.rawTask.events.toFixed(1)} events; bare dispatch ${b.bareTask.dispatchMs.toFixed(2)} ms, worker ${b.bareTask.workerMs.toFixed(2)} ms, ${b.bareTask.events.toFixed(1)} events`,
        );
        log(
          `  gate, ${p} pipeline(s): HTTP p50 ${e.http.p50} ms p99 ${e.http.p99} ms; bare local p50 ${b.bareLocal.p50.toFixed(0)} ms p99 ${b.bareLocal.p99.toFixed(0)} ms`,
        );
      }
      gateRounds.push(gates);
      await checkRound(round);
    }

    try {
      const head = await store.head();
      const verified = await store.verify();
      return {
        target,
        setup: cluster.description,
        decisionRounds,
        gateRounds,
        prep,
        evidenceEvents: head?.position ?? 0,
        chainIntact: verified.intact,
        durability,
        pids,
      };
    } finally {
      await store.close();
    }
  } finally {
    // Each child exits by itself (writing its profile, when asked for one) before the cluster goes.
    await Promise.all(children.reverse().map((child) => stopChild(child)));
    await cluster.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Asks a child to stop (message and SIGTERM: each shuts down gracefully) and waits for it; SIGKILL past the grace. */
async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'stop' });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The durability settings the evidence store runs with, read back rather than assumed. */
async function storeDurability(store: object, storeUrl: string): Promise<string> {
  if (storeUrl.startsWith('sqlite:')) return `SQLite ${sqliteStoreDurability(store)}`;
  const client = new Client({ connectionString: storeUrl.replace(/\?.*$/, '') });
  await client.connect();
  try {
    const values: string[] = [];
    for (const name of ['fsync', 'synchronous_commit', 'full_page_writes']) {
      const r = await client.query<Record<string, string>>(`SHOW ${name}`);
      values.push(`${name}=${r.rows[0][name]}`);
    }
    return `PostgreSQL ${values.join(', ')}`;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  if (!(ROUNDS >= 1) || !(HEALTH_S >= 1) || !(WARMUP >= 1))
    throw new Error('BENCH_API_ROUNDS ≥ 1, BENCH_API_HEALTH_S ≥ 1, BENCH_API_WARMUP ≥ 1');
  const target: BenchTarget = process.argv.includes('--topology') ? 'topology' : 'dev-server';
  const startedAt = new Date();
  const results = await run(target);
  const command = [
    `BENCH_API_DECISIONS=${DECISIONS.map((l) => `${l.concurrency}:${l.requests}`).join(',')}`,
    `BENCH_API_GATE=${GATES.map((l) => `${l.concurrency}:${l.requests}`).join(',')}`,
    `BENCH_API_ROUNDS=${ROUNDS}`,
    `npm run ${target === 'topology' ? 'bench:topology' : 'bench:api'}`,
  ].join(' ');
  if (CPU_PROFILE_DIR !== undefined) {
    // A profiled run is slower throughout: it reports where the CPU goes, never figures against the targets.
    const processes = summariseFolder(CPU_PROFILE_DIR, results.pids, gatePathParts);
    const { heading, section } = profileReport(startedAt, `BENCH_API_CPU_PROFILE=<folder> ${command}`, results, processes);
    process.stdout.write(`${section}\n`);
    if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', heading, section);
    return;
  }
  const { heading, section } = report(startedAt, command, { warmup: WARMUP, healthS: HEALTH_S }, results);
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', heading, section);
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
