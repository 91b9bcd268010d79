/**
 * The processes `npm run bench:api` and `npm run bench:topology` run beside the driver, each a child of its
 * own so the driver's CPU (autocannon, the raw-Update client) does not count against them: the API app,
 * the production worker, and the bare worker that serves the gate's baseline (bench/workflows, the
 * production evidence activity on the same store). This file is also the children's entry point.
 */
import { ChildProcess, fork } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import 'reflect-metadata';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createEvidenceActivities } from '../activities/evidence.activities';
import { createApiApp } from '../apps/api/src/create-app';
import { ApiMetrics } from '../apps/api/src/metrics/api-metrics';
import { loadConfig } from '../infra/config/config';
import { openEventStore } from '../infra/event-store/open-event-store';
import { TEST_COMMAND_KEYS, TEST_COMMAND_KEYS_TEXT } from '../test/support/command-keys';

export const NAMESPACE = 'default';

export interface ProcessSettings {
  dataDir: string;
  storeUrl: string;
  temporalAddress: string;
  taskQueue: string;
}

type BareWorkerSettings = ProcessSettings & { bundlePath: string; maxCachedWorkflows: number };
type Task = ({ type: 'api' } & ProcessSettings) | ({ type: 'bare-worker' } & BareWorkerSettings);
type FromChild = { type: 'ready'; port?: number; metricsPort?: number } | { type: 'error'; message: string };

async function runApiChild(task: ProcessSettings): Promise<void> {
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
  // Its Prometheus metrics, as in production: the driver reads where each gate request's time went.
  const metrics = await app.get(ApiMetrics).listen('127.0.0.1', 0);
  process.send?.({ type: 'ready', port: address.port, metricsPort: metrics.port } satisfies FromChild);
  // Stopped by message or signal, the app closes and the process exits by itself (a profile is written then).
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= Promise.all([app.close(), metrics.close()]).then(() => process.exit(0));
  };
  process.once('message', stop);
  process.once('SIGTERM', stop);
}

async function runBareWorkerChild(task: BareWorkerSettings): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const store = await openEventStore(task.storeUrl);
  const connection = await NativeConnection.connect({ address: task.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: NAMESPACE,
    taskQueue: task.taskQueue,
    identity: `aims-bench-bare-worker@${os.hostname()}:${process.pid}`,
    workflowBundle: { codePath: task.bundlePath },
    maxCachedWorkflows: task.maxCachedWorkflows,
    activities: createEvidenceActivities(store, { keys: TEST_COMMAND_KEYS, maxAgeMs: 600_000 }),
  });
  const running = worker.run();
  process.send?.({ type: 'ready' } satisfies FromChild);
  process.once('message', () => worker.shutdown());
  await running;
  await store.close();
  await connection.close();
  process.exit(0);
}

/**
 * BENCH_API_CPU_PROFILE=<folder>: every child writes a V8 CPU profile there when it exits (its threads
 * too), for bench/cpu-profile-summary.ts.
 */
export const CPU_PROFILE_DIR = process.env.BENCH_API_CPU_PROFILE;
const childExecArgv = (): string[] =>
  CPU_PROFILE_DIR === undefined ? process.execArgv : [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`];

function startChild(task: Task): Promise<{ proc: ChildProcess; port: number; metricsPort: number }> {
  const proc = fork(__filename, ['--bench-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: childExecArgv() });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code, signal) => reject(new Error(`the ${task.type} child exited (${signal ?? code}) before it was ready`)));
    proc.once('message', (m: FromChild) =>
      m.type === 'ready' ? resolve({ proc, port: m.port ?? 0, metricsPort: m.metricsPort ?? 0 }) : reject(new Error(m.message)),
    );
    proc.send(task);
  });
}

export function startApi(settings: ProcessSettings): Promise<{ proc: ChildProcess; port: number; metricsPort: number }> {
  return startChild({ type: 'api', ...settings });
}

/**
 * The bare Update's worker: bench/workflows' bundle, the production evidence activity, its own task queue,
 * its sticky cache bounded like the production worker's.
 */
export async function startBareWorker(settings: BareWorkerSettings): Promise<ChildProcess> {
  return (await startChild({ type: 'bare-worker', ...settings })).proc;
}

/**
 * The production worker (apps/worker/src/main.ts as built), configured by environment like in production;
 * `maxCachedWorkflows` bounds its sticky cache (AIMS_WORKER_MAX_CACHED_WORKFLOWS).
 */
export function startWorker(settings: ProcessSettings & { maxCachedWorkflows: number }): ChildProcess {
  const main = path.resolve(__dirname, '..', 'apps', 'worker', 'src', 'main.js');
  const env = {
    AIMS_DATA_DIR: settings.dataDir,
    AIMS_COMMAND_KEYS: TEST_COMMAND_KEYS_TEXT,
    AIMS_EVENT_STORE_URL: settings.storeUrl,
    TEMPORAL_ADDRESS: settings.temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    AIMS_TASK_QUEUE: settings.taskQueue,
    AIMS_LOG_LEVEL: 'error',
    AIMS_WORKER_MAX_CACHED_WORKFLOWS: String(settings.maxCachedWorkflows),
  };
  return fork(main, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: childExecArgv() });
}

if (process.argv.includes('--bench-child')) {
  process.once('message', (task: Task) => {
    const started = task.type === 'api' ? runApiChild(task) : runBareWorkerChild(task);
    started.catch((err: unknown) => {
      process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromChild);
      process.exit(1);
    });
  });
}
