/**
 * `npm run bench:api`: the HTTP API under load (autocannon's programmatic API), beside two baselines
 * measured in the same run on the same processes:
 *  - task decisions (POST /v1/tasks/:id/decision) at 1, 16 and 64 connections: decisions/s (2xx only,
 *    other answers and socket errors counted apart) and p50/p99 latency; baseline for the HTTP stack:
 *    GET /health on the same app at the same connections; baseline for the workflow: the same decision
 *    sent as the raw `decideTask` Workflow Update (client.workflow handle.executeUpdate, no HTTP) by as
 *    many concurrent callers;
 *  - the CI/CD gate's round trip (POST /v1/ai-systems/:id/deployments, one pipeline at a time), its
 *    retry with the same Idempotency-Key (answered from the record; the repeat is recorded), and the raw `requestDeployment`
 *    Update as its baseline.
 *
 * A decided task is closed, so every decision needs an open task of its own: before each load the driver
 * registers that many AI systems over HTTP and submits each one's impact assessment, leaving one open
 * impact-assessment review per system; autocannon's setupRequest hands each request the next task id.
 *
 * Processes: the Temporal dev server (the CLI from infra/temporal/temporal-cli), the production worker
 * (dist/apps/worker/src/main.js, prebuilt bundle) and the API app (createApiApp, listening on port 0) each
 * in a child process of its own, so the driver's CPU (this process: autocannon, the raw-update client)
 * does not count against the server. One real SQLite store (evidence, tokens, projections) in a temp dir.
 *
 * Environment: BENCH_API_DECISIONS (connections:requests pairs, default 1:30,16:160,64:256),
 * BENCH_API_GATE (gate requests, default 20), BENCH_API_HEALTH_S (seconds per /health level, default 3),
 * BENCH_API_WARMUP (decisions of each kind before measuring, default 10), BENCH_ROUNDS (rounds of every
 * measurement, default 3, rotating which side goes first), BENCH_SHARED (bench-report.ts).
 */
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import 'reflect-metadata';
import type { WorkflowClient } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApiApp } from '../apps/api/src/create-app';
import { lifecycleWorkflowId } from '../domain/ai-system';
import { AIMS_ROLES, type Actor, type AimsRole } from '../domain/shared/roles';
import { openTokenStore } from '../infra/auth/open-token-store';
import { loadConfig } from '../infra/config/config';
import { openEventStore } from '../infra/event-store/open-event-store';
import { resolveTemporalCli, TEMPORAL_CLI_VERSION } from '../infra/temporal/temporal-cli';
import { decideTaskUpdate, requestDeploymentUpdate } from '../workflows/ai-system-lifecycle.workflow';
import {
  datasetBody,
  DIGEST_A,
  goodMetrics,
  impactAssessmentBody,
  passingQualityBody,
  registrationBody,
} from '../test/support/credit-scoring-requests';
import { TEST_COMMAND_KEYS_TEXT, TEST_SIGNING } from '../test/support/command-keys';
import { fmt, log, machineDescription, machineLoad, sqliteStoreDurability, writeSection } from './bench-report';
import { formatSpread, spread, type Spread } from './rounds';

// autocannon ships no types; this is the part of its programmatic API the bench uses.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  amount?: number;
  duration?: number;
  /** Milliseconds between autocannon's samples; a run of `amount` requests ends only at a sample. */
  sampleInt?: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { total: number };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS module, typed just above
const autocannon = require('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

function levels(raw: string): { connections: number; requests: number }[] {
  return raw.split(',').map((pair) => {
    const [c, n] = pair.split(':').map((s) => Number(s.trim()));
    if (!Number.isInteger(c) || !Number.isInteger(n) || c < 1 || n < c)
      throw new Error(`BENCH_API_DECISIONS: "${pair}" is not connections:requests with requests ≥ connections ≥ 1`);
    return { connections: c, requests: n };
  });
}

const LEVELS = levels(process.env.BENCH_API_DECISIONS ?? '1:30,16:160,64:256');
const GATE = Number(process.env.BENCH_API_GATE ?? 20);
const HEALTH_S = Number(process.env.BENCH_API_HEALTH_S ?? 3);
const WARMUP = Number(process.env.BENCH_API_WARMUP ?? 10);
/** Rounds of every measurement, rotating which side goes first (BENCH_ROUNDS). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Concurrency of the preparation (registrations, assessments): enough to be quick, not a measurement. */
const PREP_CONCURRENCY = 16;
/** Per-request timeout: a decision at 64 connections on two busy cores may queue for seconds. */
const REQUEST_TIMEOUT_S = 120;
const NAMESPACE = 'default';

// ---------------------------------------------------------------------------------------------------------
// The API in a child process

interface StartApi {
  type: 'start';
  dataDir: string;
  storeUrl: string;
  temporalAddress: string;
  taskQueue: string;
}
type FromApi = { type: 'listening'; port: number } | { type: 'error'; message: string };

async function runApiChild(task: StartApi): Promise<void> {
  const config = loadConfig({
    AIMS_DATA_DIR: task.dataDir,
    AIMS_COMMAND_KEYS: TEST_COMMAND_KEYS_TEXT,
    AIMS_EVENT_STORE_URL: task.storeUrl,
    TEMPORAL_ADDRESS: task.temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    AIMS_TASK_QUEUE: task.taskQueue,
    AIMS_LOG_LEVEL: 'error',
  });
  const app = await createApiApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
  process.send?.({ type: 'listening', port: address.port } satisfies FromApi);
  process.once('message', () => {
    void app.close().then(() => process.exit(0));
  });
}

function startApi(task: StartApi): Promise<{ proc: ChildProcess; port: number }> {
  const proc = fork(__filename, ['--bench-api'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code, signal) => reject(new Error(`the API child exited (${signal ?? code}) before listening`)));
    proc.once('message', (m: FromApi) => (m.type === 'listening' ? resolve({ proc, port: m.port }) : reject(new Error(m.message))));
    proc.send(task);
  });
}

/** The production worker (apps/worker/src/main.ts as built), configured by environment like in production. */
function startWorker(env: Record<string, string>): ChildProcess {
  const main = path.resolve(__dirname, '..', 'apps', 'worker', 'src', 'main.js');
  return fork(main, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

// ---------------------------------------------------------------------------------------------------------
// Driving systems over HTTP, with the bodies the HTTP e2e tests send

class UnexpectedAnswerError extends Error {
  constructor(what: string, status: number, body: unknown) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
    this.name = 'UnexpectedAnswerError';
  }
}

class Api {
  constructor(
    readonly base: string,
    readonly tokens: Record<AimsRole, string>,
  ) {}

  async post<T = Record<string, unknown>>(role: AimsRole, urlPath: string, body: unknown, expected: number[]): Promise<T> {
    const response = await fetch(`${this.base}${urlPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.tokens[role]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as T;
    if (!expected.includes(response.status)) throw new UnexpectedAnswerError(`POST ${urlPath} as ${role}`, response.status, answer);
    return answer;
  }

  /** Registered and assessed: one open impact-assessment review; returns its task id. */
  async toReviewOpen(systemId: string): Promise<string> {
    // 202: the workflow started but the worker had not recorded the registration yet; the next step queues behind it.
    await this.post('engineer', '/v1/ai-systems', registrationBody(systemId), [201, 202]);
    const ia = await this.post<{ reviewTaskId: string }>(
      'engineer',
      `/v1/ai-systems/${systemId}/impact-assessments`,
      impactAssessmentBody(),
      [201],
    );
    return ia.reviewTaskId;
  }

  /** Assessment approved, dataset checked, version validated and signed off: ready for the gate. */
  async toSignedOff(systemId: string): Promise<void> {
    const review = await this.toReviewOpen(systemId);
    await this.post('approver', `/v1/tasks/${review}/decision`, { outcome: 'approve', riskTier: 'high' }, [200]);
    await this.post('engineer', `/v1/ai-systems/${systemId}/datasets`, datasetBody('DS-1'), [201]);
    await this.post('ci', `/v1/ai-systems/${systemId}/datasets/DS-1/quality-checks`, passingQualityBody(), [201]);
    await this.post(
      'ci',
      `/v1/ai-systems/${systemId}/versions`,
      { modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first model' },
      [201],
    );
    const v = await this.post<{ signOffTaskId: string }>(
      'ci',
      `/v1/ai-systems/${systemId}/validations`,
      { modelVersion: '1.0.0', artifactDigest: DIGEST_A, datasetIds: ['DS-1'], metrics: goodMetrics },
      [201],
    );
    await this.post('validator', `/v1/tasks/${v.signOffTaskId}/decision`, { outcome: 'approve' }, [200]);
  }
}

/** Runs `work` over `items`, `concurrency` at a time, in order of start; answers in item order. */
async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Measurements

interface Measured {
  label: string;
  connections: number;
  requests: number;
  ok: number;
  /** Answers other than 2xx, by status. */
  other: Record<string, number>;
  /** Socket errors and timeouts. */
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  mean: number;
}

const perSecond = (m: Measured): number => m.ok / m.seconds;

function fromAutocannon(label: string, connections: number, r: AutocannonResult): Measured {
  const other: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(r.statusCodeStats)) if (!status.startsWith('2')) other[status] = count;
  return {
    label,
    connections,
    requests: r.requests.total,
    ok: r['2xx'],
    other,
    errors: r.errors + r.timeouts,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
  };
}

/** POSTs walking a list of paths, one distinct path per request, `connections` at a time. */
async function postEach(
  api: Api,
  role: AimsRole,
  paths: string[],
  connections: number,
  body: unknown,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<AutocannonResult> {
  let next = 0;
  return autocannon({
    url: api.base,
    connections,
    amount: paths.length,
    // autocannon notices that the last of `amount` requests is answered only at its next sample, every
    // 1,000 ms by default, so the run's duration was rounded up to whole seconds (30 decisions at 77 ms
    // each "took" 3.0 s): sampling every 10 ms keeps the duration, and so the rate, within 10 ms.
    sampleInt: 10,
    timeout: REQUEST_TIMEOUT_S,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const i = next++;
          // Past the list (autocannon never asks, but if it did): a task that does not exist, so a 404 shows.
          const target = paths[i] ?? '/v1/tasks/bench-no-such-task/decision';
          return {
            ...request,
            path: target,
            headers: { authorization: `Bearer ${api.tokens[role]}`, 'content-type': 'application/json', ...headers(i) },
            body: JSON.stringify(body),
          };
        },
      },
    ],
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** The raw Update baseline: `connections` callers in a closed loop, like autocannon's connections. */
async function rawUpdates(label: string, connections: number, count: number, send: (i: number) => Promise<void>): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        try {
          await send(i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors += 1;
          if (errors === 1) log(`${label}: first failure: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    connections,
    requests: count,
    ok: latencies.length,
    other: {},
    errors,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The run

/** One connection level's rounds: each side's measurement per round, in round order. */
interface LevelRounds {
  connections: number;
  requests: number;
  health: Measured[];
  http: Measured[];
  raw: Measured[];
  /** Evidence events appended per decision in each round, by HTTP and by the raw Update. */
  eventsPerHttpDecision: number[];
  eventsPerRawDecision: number[];
}

interface Results {
  levels: LevelRounds[];
  gate: Measured[];
  gateRetry: Measured[];
  rawGate: Measured[];
  prep: { systems: number; seconds: number };
  evidenceEvents: number;
  chainIntact: boolean;
  durability: string;
}

async function run(): Promise<Results> {
  const cli = await resolveTemporalCli({ log });
  if (cli.kind !== 'existing-path') throw new Error('the benchmark needs a local Temporal CLI');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-api-'));
  const storeUrl = `sqlite:${path.join(dir, 'evidence.db')}`;
  const runTag = Math.random().toString(36).slice(2, 8);
  const taskQueue = `bench-api-${runTag}`;
  log('starting the Temporal dev server…');
  const env = await TestWorkflowEnvironment.createLocal({
    // Signs Updates and starts as the API does; the worker verifies with the same (bench-only) key.
    client: { interceptors: { workflow: [TEST_SIGNING] } },
    server: { executable: { type: 'existing-path', path: cli.path }, ip: '127.0.0.1', log: { format: 'pretty', level: 'error' } },
  });
  let worker: ChildProcess | null = null;
  let apiProc: ChildProcess | null = null;
  try {
    // Tokens first, through the token store as `aims tokens create` does; the API reads the same database.
    const tokenStore = await openTokenStore(storeUrl);
    const tokens = {} as Record<AimsRole, string>;
    for (const role of AIMS_ROLES) tokens[role] = (await tokenStore.issue({ name: `${role}-token`, roles: [role] })).token;
    await tokenStore.close();

    worker = startWorker({
      AIMS_DATA_DIR: dir,
      AIMS_COMMAND_KEYS: TEST_COMMAND_KEYS_TEXT,
      AIMS_EVENT_STORE_URL: storeUrl,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      AIMS_TASK_QUEUE: taskQueue,
      AIMS_LOG_LEVEL: 'error',
    });
    worker.once('exit', (code, signal) => log(`the worker exited (${signal ?? code})`));
    const started = await startApi({ type: 'start', dataDir: dir, storeUrl, temporalAddress: env.address, taskQueue });
    apiProc = started.proc;
    const api = new Api(`http://127.0.0.1:${started.port}`, tokens);
    const client: WorkflowClient = env.client.workflow;
    const approver: Actor = { id: 'approver-token', roles: ['approver'] };
    const ci: Actor = { id: 'ci-token', roles: ['ci'] };

    // Preparation: open reviews for every decision to come, signed-off systems for every gate request.
    const prepStarted = performance.now();
    const need = LEVELS.reduce((a, l) => a + l.requests, 0) * ROUNDS + WARMUP;
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${runTag}-${i}`);
    const httpSystems = ids('bench-http', need);
    const rawSystems = ids('bench-raw', need);
    const gateSystems = ids('bench-gate', GATE * ROUNDS + 1);
    const rawGateSystems = ids('bench-rawgate', GATE * ROUNDS + 1);
    log(`preparing ${need * 2} systems with an open review and ${(GATE * ROUNDS + 1) * 2} signed-off systems over HTTP…`);
    const httpTasks = await pool(httpSystems, PREP_CONCURRENCY, (id) => api.toReviewOpen(id));
    const rawTasks = await pool(rawSystems, PREP_CONCURRENCY, (id) => api.toReviewOpen(id));
    await pool([...gateSystems, ...rawGateSystems], PREP_CONCURRENCY, (id) => api.toSignedOff(id));
    const prep = {
      systems: httpSystems.length + rawSystems.length + gateSystems.length + rawGateSystems.length,
      seconds: (performance.now() - prepStarted) / 1000,
    };
    log(`prepared ${prep.systems} systems in ${prep.seconds.toFixed(1)} s`);

    const decisionPath = (taskId: string) => `/v1/tasks/${taskId}/decision`;
    const rawDecide = (systemId: string, taskId: string) =>
      client
        .getHandle(lifecycleWorkflowId(systemId))
        .executeUpdate(decideTaskUpdate, { args: [{ by: approver, taskId, outcome: 'approved', riskTier: 'high' }] });

    // Warm-up of both paths (JIT, connections, sticky cache), not counted.
    const warmHttp = await postEach(api, 'approver', httpTasks.slice(0, WARMUP).map(decisionPath), 1, {
      outcome: 'approve',
      riskTier: 'high',
    });
    if (warmHttp['2xx'] !== WARMUP)
      throw new Error(`warm-up decisions: ${warmHttp['2xx']} of ${WARMUP} succeeded (${JSON.stringify(warmHttp.statusCodeStats)})`);
    for (let i = 0; i < WARMUP; i++) await rawDecide(rawSystems[i], rawTasks[i]);
    await autocannon({ url: `${api.base}/health`, connections: 1, duration: 1 });

    // The evidence store, read beside the worker and the API: after every round the chain must verify and
    // each decision must have appended evidence.
    const store = await openEventStore(storeUrl);
    try {
      const durability = sqliteStoreDurability(store);
      const head = async (): Promise<number> => (await store.head())?.position ?? 0;
      const verified = async (what: string): Promise<void> => {
        const report = await store.verify();
        if (!report.intact) throw new Error(`the evidence chain does not verify after ${what}`);
      };

      const levels: LevelRounds[] = [];
      let offset = WARMUP;
      for (const level of LEVELS) {
        const c = level.connections;
        const rounds: LevelRounds = {
          connections: c,
          requests: level.requests,
          health: [],
          http: [],
          raw: [],
          eventsPerHttpDecision: [],
          eventsPerRawDecision: [],
        };
        for (let round = 1; round <= ROUNDS; round++) {
          const slice = [offset, offset + level.requests] as const;
          const sides = [
            async (): Promise<void> => {
              log(`${c} connection(s), round ${round}: GET /health for ${HEALTH_S} s…`);
              rounds.health.push(
                fromAutocannon(
                  'GET /health',
                  c,
                  await autocannon({ url: `${api.base}/health`, connections: c, duration: HEALTH_S, timeout: REQUEST_TIMEOUT_S }),
                ),
              );
            },
            async (): Promise<void> => {
              log(`${c} connection(s), round ${round}: ${level.requests} decisions over HTTP…`);
              const before = await head();
              const http = fromAutocannon(
                'POST /v1/tasks/:id/decision',
                c,
                await postEach(api, 'approver', httpTasks.slice(...slice).map(decisionPath), c, { outcome: 'approve', riskTier: 'high' }),
              );
              rounds.http.push(http);
              rounds.eventsPerHttpDecision.push(((await head()) - before) / Math.max(1, http.ok));
              log(
                `  ${http.ok} ok, ${perSecond(http).toFixed(1)}/s, p50 ${http.p50} ms, p99 ${http.p99} ms, other ${JSON.stringify(http.other)}, errors ${http.errors}`,
              );
            },
            async (): Promise<void> => {
              log(`${c} connection(s), round ${round}: ${level.requests} raw decideTask Updates…`);
              const before = await head();
              const raw = await rawUpdates('decideTask Update', c, level.requests, async (i) => {
                await rawDecide(rawSystems[slice[0] + i], rawTasks[slice[0] + i]);
              });
              rounds.raw.push(raw);
              rounds.eventsPerRawDecision.push(((await head()) - before) / Math.max(1, raw.ok));
              log(
                `  ${raw.ok} ok, ${perSecond(raw).toFixed(1)}/s, p50 ${raw.p50.toFixed(0)} ms, p99 ${raw.p99.toFixed(0)} ms, errors ${raw.errors}`,
              );
            },
          ];
          // Round r starts with side r - 1: each side goes first once in three rounds.
          for (let k = 0; k < sides.length; k++) await sides[(round - 1 + k) % sides.length]();
          if ((rounds.eventsPerHttpDecision.at(-1) ?? 0) < 1 || (rounds.eventsPerRawDecision.at(-1) ?? 0) < 1)
            throw new Error(`${c} connection(s), round ${round}: decisions appended less than one evidence event each`);
          await verified(`${c} connection(s), round ${round}`);
          offset += level.requests;
        }
        levels.push(rounds);
      }

      // The gate: one pipeline at a time, each request a new one (202 pending: high risk needs an approver).
      const gateBody = { version: '1.0.0', artifactDigest: DIGEST_A, environment: 'production', commit: '9f2c1e7' };
      const gatePaths = gateSystems.map((id) => `/v1/ai-systems/${id}/deployments`);
      const key = (i: number) => ({ 'idempotency-key': `bench-deploy-${runTag}-${i}` });
      await postEach(api, 'ci', gatePaths.slice(0, 1), 1, gateBody, key);
      const rawRequest = (systemId: string, requestId: string) =>
        client.getHandle(lifecycleWorkflowId(systemId)).executeUpdate(requestDeploymentUpdate, {
          args: [{ by: ci, requestId, modelVersion: '1.0.0', artifactDigest: DIGEST_A, environment: 'production', commit: '9f2c1e7' }],
        });
      await rawRequest(rawGateSystems[0], `bench-deploy-${runTag}-raw-0`);
      const gate: Measured[] = [];
      const gateRetry: Measured[] = [];
      const rawGate: Measured[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const from = 1 + (round - 1) * GATE;
        const paths = gatePaths.slice(from, from + GATE);
        const viaHttp = async (): Promise<void> => {
          log(`the gate, round ${round}: ${GATE} deployment requests, then the same ${GATE} retried with their Idempotency-Key…`);
          gate.push(
            fromAutocannon('POST /v1/ai-systems/:id/deployments', 1, await postEach(api, 'ci', paths, 1, gateBody, (i) => key(from + i))),
          );
          gateRetry.push(
            fromAutocannon(
              'the same, retried (same Idempotency-Key)',
              1,
              await postEach(api, 'ci', paths, 1, gateBody, (i) => key(from + i)),
            ),
          );
        };
        const viaUpdate = async (): Promise<void> => {
          log(`the gate, round ${round}: ${GATE} raw requestDeployment Updates…`);
          rawGate.push(
            await rawUpdates('requestDeployment Update', 1, GATE, async (i) => {
              const answer = await rawRequest(rawGateSystems[from + i], `bench-deploy-${runTag}-raw-${from + i}`);
              if (answer.outcome !== 'pending') throw new Error(`raw gate ${from + i}: ${answer.outcome}`);
            }),
          );
        };
        if (round % 2 === 1) {
          await viaHttp();
          await viaUpdate();
        } else {
          await viaUpdate();
          await viaHttp();
        }
        await verified(`the gate's round ${round}`);
      }

      const report = await store.verify();
      return {
        levels,
        gate,
        gateRetry,
        rawGate,
        prep,
        evidenceEvents: await head(),
        chainIntact: report.intact,
        durability,
      };
    } finally {
      await store.close();
    }
  } finally {
    apiProc?.send({ type: 'stop' });
    apiProc?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    await env.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The report

const ms = (v: number) => (v < 10 ? v.toFixed(1) : fmt(v));
const others = (m: Measured) => {
  const parts = Object.entries(m.other).map(([s, n]) => `${n}× ${s}`);
  if (m.errors > 0) parts.push(`${m.errors} socket errors/timeouts`);
  return parts.length === 0 ? '0' : parts.join(', ');
};

const two = (v: number): string => v.toFixed(2);
const sum = (ms: Measured[], f: (m: Measured) => number): number => ms.reduce((a, m) => a + f(m), 0);
const otherAll = (ms: Measured[]): string => {
  const merged: Measured = { ...ms[0], other: {}, errors: sum(ms, (m) => m.errors) };
  for (const m of ms) for (const [st, n] of Object.entries(m.other)) merged.other[st] = (merged.other[st] ?? 0) + n;
  return others(merged);
};
/** A figure of each round's measurement, as median (min–max). */
const per = (ms: Measured[], f: (m: Measured) => number, format: (n: number) => string): string => formatSpread(spread(ms.map(f)), format);
/** The ratio of two sides' figures within each round, as median (min–max). */
const ratioPer = (a: Measured[], b: Measured[], f: (m: Measured) => number): Spread => spread(a.map((m, i) => f(m) / f(b[i])));

function report(startedAt: Date, r: Results): string {
  const lines: string[] = [];
  const cmd = `BENCH_API_DECISIONS=${LEVELS.map((l) => `${l.connections}:${l.requests}`).join(',')} BENCH_API_GATE=${GATE} BENCH_ROUNDS=${ROUNDS} npm run bench:api`;
  lines.push('## HTTP API (`npm run bench:api`)');
  lines.push('');
  lines.push(`- Date: ${startedAt.toISOString()}`);
  lines.push(`- Machine: ${machineDescription()}; ${machineLoad()}`);
  lines.push(`- Command: \`${cmd}\``);
  lines.push(
    `- Setup: Temporal dev server (CLI ${TEMPORAL_CLI_VERSION}, in-memory), the production worker (\`dist/apps/worker/src/main.js\`, prebuilt bundle, default sticky cache) and the API app (\`createApiApp\`, Express) each in a child process; one real SQLite store (evidence, tokens, read models) in a temp dir, durability read back on a connection the store adapter opened: ${r.durability}. The driver (autocannon's programmatic API, and the Temporal client for the raw baselines) is the parent process. Every system high-risk, so each decision is a person's (API token of role approver) and each gate request answers 202 pending.`,
  );
  lines.push(
    `- Each decision decides a distinct open impact-assessment review (a decided task is closed): ${fmt(r.prep.systems)} systems were registered and assessed (or driven to signed-off, for the gate) over HTTP beforehand in ${r.prep.seconds.toFixed(0)} s, not counted; ${WARMUP} warm-up decisions of each kind first. A decision over HTTP = bearer-token check, body validation, task lookup in the read model, the \`decideTask\` Update (evidence appended by the worker's activity), then waiting until the read models include that evidence.`,
  );
  lines.push(
    '- Baselines, same run, same processes: GET /health on the same app (the HTTP stack: Express, Nest, the auth guard skipped as public) for as long at the same connections; and the raw `decideTask` Workflow Update (`handle.executeUpdate`, no HTTP, no read model) on other systems prepared the same way, by as many concurrent callers in a closed loop.',
  );
  lines.push(
    `- ${ROUNDS} rounds at each connection level, each on tasks of its own; round r starts with a different one of the three (HTTP decisions, raw Updates, /health), so each goes first once in three rounds; the gate's rounds alternate HTTP and raw Update. The processes are the same for every round. Figures are median (min–max) over the rounds; each ratio is taken within a round. After every round the evidence chain verifies intact and every decision appended evidence (else the run fails). Evidence after the run: ${fmt(r.evidenceEvents)} events, hash chain ${r.chainIntact ? 'verified intact' : '**broken**'}.`,
  );
  lines.push('- Only 2xx answers count as successes; anything else is listed under "not 2xx".');
  lines.push('');
  lines.push('### Task decisions');
  lines.push('');
  lines.push(
    '| connections | what | requests per round | 2xx (all rounds) | not 2xx | per second (2xx) | p50 (ms) | p99 (ms) | HTTP decision ÷ this (per second) | HTTP decision ÷ this (p50) |',
  );
  lines.push('|---:|---|---:|---:|---|---:|---:|---:|---:|---:|');
  const fixed1 = (v: number): string => v.toFixed(1);
  for (const l of r.levels) {
    lines.push(
      `| ${l.connections} | POST /v1/tasks/:id/decision | ${fmt(l.requests)} | ${fmt(sum(l.http, (m) => m.ok))} | ${otherAll(l.http)} | ${per(l.http, perSecond, fixed1)} | ${per(l.http, (m) => m.p50, ms)} | ${per(l.http, (m) => m.p99, ms)} | — | — |`,
    );
    lines.push(
      `| ${l.connections} | raw \`decideTask\` Update (workflow baseline) | ${fmt(l.requests)} | ${fmt(sum(l.raw, (m) => m.ok))} | ${otherAll(l.raw)} | ${per(l.raw, perSecond, fixed1)} | ${per(l.raw, (m) => m.p50, ms)} | ${per(l.raw, (m) => m.p99, ms)} | ${formatSpread(ratioPer(l.http, l.raw, perSecond), two)} | ${formatSpread(
        ratioPer(l.http, l.raw, (m) => m.p50),
        two,
      )} |`,
    );
    const healthP50 = l.health.every((h) => h.p50 > 0)
      ? formatSpread(
          ratioPer(l.http, l.health, (m) => m.p50),
          (v) => fmt(v),
        )
      : '—';
    lines.push(
      `| ${l.connections} | GET /health (HTTP-stack baseline, ${HEALTH_S} s) | — | ${fmt(sum(l.health, (m) => m.ok))} | ${otherAll(l.health)} | ${per(l.health, perSecond, fmt)} | ${per(l.health, (m) => m.p50, ms)} | ${per(l.health, (m) => m.p99, ms)} | ${formatSpread(ratioPer(l.http, l.health, perSecond), (v) => v.toFixed(3))} | ${healthP50} |`,
    );
  }
  lines.push('');
  lines.push(...decisionNarrative(r));
  lines.push('');
  lines.push('### The CI/CD gate (one pipeline at a time)');
  lines.push('');
  lines.push(
    '| what | requests per round | 2xx (all rounds) | not 2xx | p50 (ms) | p99 (ms) | mean (ms) | ÷ raw Update (mean, per round) |',
  );
  lines.push('|---|---:|---:|---|---:|---:|---:|---:|');
  for (const [label, ms_] of [
    ['POST /v1/ai-systems/:id/deployments', r.gate],
    ['the same, retried (same Idempotency-Key)', r.gateRetry],
    ['raw `requestDeployment` Update (baseline)', r.rawGate],
  ] as const) {
    lines.push(
      `| ${label} | ${GATE} | ${sum(ms_, (m) => m.ok)} | ${otherAll(ms_)} | ${per(ms_, (m) => m.p50, ms)} | ${per(ms_, (m) => m.p99, ms)} | ${per(ms_, (m) => m.mean, ms)} | ${formatSpread(
        ratioPer(ms_, r.rawGate, (m) => m.mean),
        two,
      )} |`,
    );
  }
  lines.push('');
  const gateRatio = ratioPer(r.gate, r.rawGate, (m) => m.mean);
  const retryRatio = ratioPer(r.gateRetry, r.gate, (m) => m.mean);
  lines.push(
    `- The gate over HTTP took ${two(gateRatio.median)}× the raw Update's mean time (${two(gateRatio.min)}–${two(gateRatio.max)} over ${ROUNDS} rounds); a retry with the same Idempotency-Key took ${two(retryRatio.median)}× the first request's (${two(retryRatio.min)}–${two(retryRatio.max)}).`,
  );
  lines.push('');
  lines.push(
    'Ratios are the HTTP figure divided by its baseline\'s in the same round: below 1 in "per second" (or above 1 in latency) is what the API adds on top of the workflow (authentication, validation, the read-model lookup, waiting for the projection) or on top of the bare HTTP stack. autocannon reports latency in whole milliseconds; the raw baselines are timed with `performance.now()`.',
  );
  lines.push('');
  return lines.join('\n');
}

/** Per connection level, from the figures: how much slower the HTTP decision was than the raw Update, and whether the spread hides it. */
function decisionNarrative(r: Results): string[] {
  const out: string[] = [];
  for (const l of r.levels) {
    const thr = ratioPer(l.http, l.raw, perSecond);
    const p50 = ratioPer(l.http, l.raw, (m) => m.p50);
    const slowerRounds = l.http.filter((h, i) => h.p50 > l.raw[i].p50).length;
    const events = (xs: number[]): string => [...new Set(xs.map((x) => x.toFixed(1)))].join(', ');
    out.push(
      `- ${l.connections} connection(s): HTTP decisions ran at ${two(thr.median)}× the raw Update's rate (${two(thr.min)}–${two(thr.max)}), p50 ${two(p50.median)}× (${two(p50.min)}–${two(p50.max)}); the HTTP p50 was above the raw Update's in ${slowerRounds} of ${l.http.length} rounds${slowerRounds < l.http.length ? ", so at this load the rounds' spread is as large as what the API adds" : ''}. Evidence events per decision: ${events(l.eventsPerHttpDecision)} over HTTP, ${events(l.eventsPerRawDecision)} by raw Update.`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  if (!(GATE >= 1) || !(HEALTH_S >= 1) || !(WARMUP >= 1) || !(ROUNDS >= 1))
    throw new Error('BENCH_API_GATE ≥ 1, BENCH_API_HEALTH_S ≥ 1, BENCH_API_WARMUP ≥ 1, BENCH_ROUNDS ≥ 1');
  const startedAt = new Date();
  const results = await run();
  const section = report(startedAt, results);
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## HTTP API', section);
}

if (process.argv.includes('--bench-api')) {
  process.once('message', (task: StartApi) => {
    runApiChild(task).catch((err: unknown) => {
      process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromApi);
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
