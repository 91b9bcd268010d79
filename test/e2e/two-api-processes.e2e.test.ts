/**
 * Two whole API processes (apps/api/src/main.ts, each a `node` process of its own) in front of one
 * PostgreSQL store, with a real Temporal dev server and a real worker: both serve the same reads, exactly
 * one projects at a time (PostgreSQL's advisory lock), and when that one is killed the other takes over,
 * so what is appended afterwards still shows in the read models.
 */
import * as fs from 'node:fs';
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
import { TEST_COMMAND_KEYS } from '../support/command-keys';
import { call, startApiProcess, stopProcess as stopApiProcess, type ApiProcess } from '../support/engine-processes';
import { registrationBody } from './support/lifecycle-api-harness';

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
