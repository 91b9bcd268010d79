/**
 * The worker of `npm run bench:lifecycle` (lifecycle.bench.ts), in a child process of its own so that its
 * RSS is its alone: built as apps/worker builds the production worker, plus the baseline's no-op activity,
 * counting every activity execution and weighing itself when asked.
 */
import { ChildProcess, fork } from 'node:child_process';
import * as os from 'node:os';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { openEventStore } from '../infra/event-store/open-event-store';
import { TEST_COMMAND_KEYS } from '../test/support/command-keys';
import { sqliteStoreDurability } from './bench-report';
import type { BareActivities } from './workflows/bare-activity-loop.workflow';

const NAMESPACE = 'default';
const MiB = 2 ** 20;

export interface StartWorker {
  type: 'start';
  address: string;
  taskQueue: string;
  storeUrl: string;
  bundlePath: string;
}

type ToWorker = StartWorker | { type: 'measure' } | { type: 'stop' };

/** The worker's weight: after a full GC of the main isolate (the workflow thread's heap is only in RSS). */
export interface WorkerMemory {
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
export class WorkerProcess {
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

// WorkerProcess.start forks this module, so the worker's entry is here.
if (process.argv.includes('--bench-worker') && require.main === module) {
  process.once('message', (task: StartWorker) => {
    runBenchWorker(task).catch((err: unknown) => {
      process.stderr.write(`[bench worker] ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
  });
}
