/**
 * Two whole API processes (apps/api/src/main.ts, each a `node` process of its own) in front of one
 * PostgreSQL store, with a real Temporal dev server and a real worker: both serve the same reads, exactly
 * one projects at a time (PostgreSQL's advisory lock), and when that one is killed the other takes over,
 * so what is appended afterwards still shows in the read models.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { Client } from 'pg';
import { createAimsWorker } from '../../apps/worker/src/create-worker';
import { openTokenStore } from '../../infra/auth/open-token-store';
import { openEventStore } from '../../infra/event-store/open-event-store';
import type { EventStore } from '../../infra/ports/event-store.port';
import { PROJECTOR_LOCK_CLASS } from '../../infra/projections/projection-migrations';
import { schemaLockKey } from '../../infra/sql/postgres-schema';
import { eventually } from '../support/eventually';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../support/postgres';
import { startTemporal, uniqueTaskQueue } from '../support/temporal';
import { TEST_COMMAND_KEYS, TEST_COMMAND_KEYS_TEXT } from '../support/command-keys';
import { registrationBody } from './support/lifecycle-api-harness';

const ROOT = path.resolve(__dirname, '../..');
const TS_REGISTER = path.join(ROOT, 'test/integration/event-store/ts-register.cjs');

interface ApiProcess {
  name: string;
  child: ChildProcess;
  baseUrl: string;
  output: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node apps/api/src/main.ts` with the given settings; resolves once it listens. */
async function startApiProcess(name: string, env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', TS_REGISTER, path.join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      AIMS_COMMAND_KEYS: TEST_COMMAND_KEYS_TEXT,
      AIMS_API_HOST: '127.0.0.1',
      AIMS_API_PORT: String(port),
      AIMS_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const api: ApiProcess = { name, child, baseUrl: `http://127.0.0.1:${port}`, output };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API ${name} did not start within 60 s:\n${output.join('')}`)), 60_000);
    const watch = (chunk: Buffer): void => {
      output.push(chunk.toString());
      if (output.join('').includes('[api] listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`API ${name} exited (${String(code ?? signal)}) before listening:\n${output.join('')}`));
    });
  });
  return api;
}

async function stopApiProcess(api: ApiProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!api || api.child.exitCode !== null || api.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => api.child.once('exit', () => resolve()));
  api.child.kill(signal);
  await exited;
}

async function call(
  api: ApiProcess,
  token: string,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response body of whichever endpoint; each test reads the fields it expects
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  return { status: response.status, body: (await response.json()) as any };
}

describe('two API processes on one PostgreSQL store', () => {
  const schema = freshSchemaName('two_apis');
  const storeUrl = `${POSTGRES_URL}?schema=${schema}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-two-apis-'));
  let temporal: TestWorkflowEnvironment;
  let workerStore: EventStore;
  let worker: Worker;
  let running: Promise<void>;
  let a: ApiProcess | undefined;
  let b: ApiProcess | undefined;
  let admin: Client;
  /** The settings both API processes run with. */
  let env: Record<string, string>;

  /** The backends holding the projector's advisory lock in this schema (pg_locks shows int4 keys as oids). */
  const projectorLockHolders = async (): Promise<number[]> =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 2`,
        [PROJECTOR_LOCK_CLASS >>> 0, schemaLockKey(schema) >>> 0],
      )
    ).rows.map((r) => r.pid);

  beforeAll(async () => {
    temporal = await startTemporal();
    const taskQueue = uniqueTaskQueue('two-apis');
    workerStore = await openEventStore(storeUrl);
    worker = await createAimsWorker({
      connection: temporal.nativeConnection,
      namespace: 'default',
      taskQueue,
      eventStore: workerStore,
      workflows: 'source',
      commandKeys: TEST_COMMAND_KEYS,
    });
    running = worker.run();
    admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    env = {
      AIMS_EVENT_STORE_URL: storeUrl,
      AIMS_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      AIMS_TASK_QUEUE: taskQueue,
    };
  });

  afterAll(async () => {
    await stopApiProcess(a);
    await stopApiProcess(b);
    worker?.shutdown();
    await running;
    await workerStore?.close();
    await admin?.end();
    await temporal?.teardown();
    await dropSchema(schema);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('given two API processes, when the one that projects is killed, then the other serves the same reads and projects what comes next', async () => {
    // given: tokens in the shared store, and process A started first (its projector takes the lock)
    const tokens = await openTokenStore(storeUrl);
    const engineer = (await tokens.issue({ name: 'erin', roles: ['engineer'] })).token;
    const auditor = (await tokens.issue({ name: 'audrey', roles: ['auditor'] })).token;
    await tokens.close();
    a = await startApiProcess('A', env);
    const first = await call(a, engineer, 'POST', '/v1/ai-systems', registrationBody('two-apis-1'));
    expect(first.status).toBe(201);
    const leaderBefore = await eventually(projectorLockHolders, (pids) => pids.length === 1, 'one projector to hold the lock');

    // when: B starts beside it
    b = await startApiProcess('B', env);

    // then: B serves what A's projector wrote, and still only one projector holds the lock
    const seenByB = await eventually(
      () => call(b as ApiProcess, auditor, 'GET', '/v1/ai-systems/two-apis-1'),
      (r) => r.status === 200,
      'B to read the system',
    );
    expect(seenByB.body).toMatchObject({ systemId: 'two-apis-1', stage: 'registered' });
    expect(await projectorLockHolders()).toEqual(leaderBefore);

    // when: A, the projector, is killed outright
    await stopApiProcess(a, 'SIGKILL');

    // then: another backend (B's) takes the lock, and what is appended through B shows in its reads
    const leaderAfter = await eventually(
      projectorLockHolders,
      (pids) => pids.length === 1 && pids[0] !== leaderBefore[0],
      'B to take over projecting',
    );
    expect(leaderAfter).toHaveLength(1);
    const second = await call(b, engineer, 'POST', '/v1/ai-systems', registrationBody('two-apis-2'));
    expect(second.status).toBe(201);
    const listed = await eventually(
      () => call(b as ApiProcess, auditor, 'GET', '/v1/ai-systems'),
      (r) => r.status === 200 && (r.body.items as Array<{ systemId: string }>).length === 2,
      'B to list both systems',
    );
    expect((listed.body.items as Array<{ systemId: string }>).map((s) => s.systemId).sort()).toEqual(['two-apis-1', 'two-apis-2']);
    expect(await workerStore.verify()).toMatchObject({ intact: true });
  });
});
