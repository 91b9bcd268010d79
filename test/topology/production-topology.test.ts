/**
 * The production topology, real: Temporal server v1.29.1 itself (not the dev server) on PostgreSQL, started
 * by `aims temporal-server up`, two worker processes and two API processes on the PostgreSQL evidence store.
 * `aims demo` drives three AI systems through their lifecycles (a deployment pending approval, a monitoring
 * breach that opens a nonconformity and its corrective action) through API A; API B serves the reads and
 * the approver's decision. Both workers take work; the chain verifies; every process stops cleanly.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { runDemo } from '../../apps/cli/src/commands/demo.command';
import { openEventStore } from '../../infra/event-store/open-event-store';
import { eventually } from '../support/eventually';
import {
  call,
  freePort,
  startApiProcess,
  startWorkerProcess,
  stopProcess,
  type ApiProcess,
  type EngineProcess,
} from '../support/engine-processes';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../support/postgres';
import { aims, freeServerPort } from './topology-support';

describe('the production topology: Temporal server on PostgreSQL, two workers, two APIs', () => {
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const temporalDatabase = `aims_topology_${suffix}`;
  const schema = freshSchemaName('topology');
  const storeUrl = `${POSTGRES_URL}?schema=${schema}`;
  const serverData = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-topology-temporal-'));
  const engineData = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-topology-engine-'));
  const taskQueue = `topology-${suffix}`;
  let address = '';
  const workers: EngineProcess[] = [];
  const apis: ApiProcess[] = [];
  const metricsPorts = { api: 0, workers: [] as number[], sdk: [] as number[] };

  beforeAll(async () => {
    const port = await freeServerPort();
    const up = aims([
      'temporal-server',
      'up',
      '--postgres',
      POSTGRES_URL,
      '--data',
      serverData,
      '--port',
      String(port),
      '--database',
      temporalDatabase,
    ]);
    if (up.status !== 0) throw new Error(`aims temporal-server up failed (${String(up.status)}):\n${up.stdout}\n${up.stderr}`);
    address = /TEMPORAL_ADDRESS=(\S+)/.exec(up.stdout)?.[1] ?? '';
    const env = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'default',
      AIMS_TASK_QUEUE: taskQueue,
      AIMS_EVENT_STORE_URL: storeUrl,
      AIMS_DATA_DIR: engineData,
    };
    // The first worker migrates the store; the others start once it exists.
    for (const name of ['1', '2']) {
      const [port, sdkPort] = [await freePort(), await freePort()];
      metricsPorts.workers.push(port);
      metricsPorts.sdk.push(sdkPort);
      workers.push(
        await startWorkerProcess(name, { ...env, AIMS_WORKER_METRICS_PORT: String(port), AIMS_WORKER_SDK_METRICS_PORT: String(sdkPort) }),
      );
    }
    metricsPorts.api = await freePort();
    apis.push(await startApiProcess('A', { ...env, AIMS_API_METRICS_PORT: String(metricsPorts.api) }));
    apis.push(await startApiProcess('B', env));
  }, 20 * 60_000);

  afterAll(async () => {
    for (const p of [...apis, ...workers]) await stopProcess(p);
    aims(['temporal-server', 'down', '--data', serverData]);
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    for (const db of [temporalDatabase, `${temporalDatabase}_visibility`])
      await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
    await dropSchema(schema);
    for (const dir of [serverData, engineData]) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('given the cluster, when the demo runs through API A, then B serves its state, both workers poll the cluster, and the evidence verifies', async () => {
    const [a, b] = apis;
    const status = aims(['temporal-server', 'status', '--data', serverData, '--postgres', POSTGRES_URL, '--json']);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, answering: true, namespaceRegistered: true, problems: [] });

    const out: string[] = [];
    const demo = await runDemo(
      { url: a.baseUrl, store: storeUrl },
      { stdout: (t) => out.push(t), stderr: () => undefined, env: { AIMS_DATA_DIR: engineData } },
    );

    // API B reads what went through A: the pending deployment in the approver's inbox, the breach's nonconformity.
    const approver = demo.tokens.approver.token;
    const auditor = demo.tokens.auditor.token;
    const inbox = await eventually(
      () => call(b, approver, 'GET', '/v1/tasks'),
      (r) => r.status === 200 && (r.body.items as Array<{ taskId: string }>).some((t) => t.taskId === demo.pendingDeployment.taskId),
      'the pending deployment in the approver inbox on B',
    );
    expect(inbox.status).toBe(200);
    const { systemId, requestId, taskId } = demo.pendingDeployment;
    expect((await call(b, approver, 'POST', `/v1/tasks/${taskId}/decision`, { outcome: 'approve', comment: 'through B' })).status).toBe(
      200,
    );
    const deployment = await call(a, auditor, 'GET', `/v1/ai-systems/${systemId}/deployments/${requestId}`);
    expect(deployment.body).toMatchObject({ outcome: 'allowed', requestStatus: 'approved' });
    expect(demo.breach.nonconformityIds.length).toBeGreaterThan(0);
    for (const id of demo.breach.nonconformityIds) {
      const nc = await eventually(
        () => call(b, auditor, 'GET', `/v1/nonconformities/${id}`),
        (r) => r.status === 200,
        `nonconformity ${id} on B`,
      );
      expect(nc.body).toMatchObject({ nonconformityId: id });
    }
    for (const systemId of Object.values(demo.systems)) {
      const system = await call(b, auditor, 'GET', `/v1/ai-systems/${systemId}`);
      expect(system.status).toBe(200);
    }

    // Both worker processes poll the task queue of this cluster.
    const connection = await Connection.connect({ address });
    try {
      const described = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: 1,
      });
      const identities = new Set(described.pollers.map((p) => p.identity));
      expect(identities.size).toBeGreaterThanOrEqual(2);
    } finally {
      await connection.close();
    }

    // Metrics: the gate's histogram on API A, the evidence appends on the workers, the SDK's task metrics.
    const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(await scrape(metricsPorts.api)).toMatch(/^aims_gate_duration_seconds_count\{outcome="pending"\} [1-9]/m);
    const appended = (await Promise.all(metricsPorts.workers.map(scrape))).map((text) =>
      Number(/^aims_evidence_events_appended_total (\d+)/m.exec(text)?.[1] ?? NaN),
    );
    expect(appended.every((n) => Number.isInteger(n))).toBe(true);
    expect(appended[0] + appended[1]).toBeGreaterThan(0);
    for (const port of metricsPorts.sdk) expect(await scrape(port)).toMatch(/^temporal_workflow_task_\w+\{/m);

    const store = await openEventStore(storeUrl);
    try {
      expect(await store.verify()).toMatchObject({ intact: true });
    } finally {
      await store.close();
    }
  });
});
