/**
 * AIMS_LOG_FORMAT=json on a real worker process (apps/worker/src/main.ts) behind a real API process: every
 * line the worker writes is one JSON object, and the activity that records a command's evidence logs the
 * caller's request id beside the workflow it ran for, so an operator follows one command from the API's
 * access log through the workflow to its evidence (issue 13 item 5).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { eventually } from '../../support/eventually';
import { startApiProcess, startWorkerProcess, stopProcess, type ApiProcess, type EngineProcess } from '../../support/engine-processes';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { registrationBody } from '../../e2e/support/lifecycle-api-harness';

describe('the worker log in JSON', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-worker-log-'));
  const storeUrl = `sqlite:${path.join(dir, 'evidence.db')}`;
  let temporal: TestWorkflowEnvironment;
  let api: ApiProcess | undefined;
  let worker: EngineProcess | undefined;

  beforeAll(async () => {
    temporal = await startTemporal();
  });

  afterAll(async () => {
    await stopProcess(api);
    await stopProcess(worker);
    await temporal?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given AIMS_LOG_FORMAT=json, when a command arrives through the API, then the worker logs its evidence as JSON with the request id and the workflow', async () => {
    const env = {
      AIMS_EVENT_STORE_URL: storeUrl,
      AIMS_DATA_DIR: dir,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      AIMS_TASK_QUEUE: uniqueTaskQueue('worker-log'),
    };
    const tokens = await openTokenStore(storeUrl);
    const engineer = (await tokens.issue({ name: 'erin', roles: ['engineer'] })).token;
    await tokens.close();
    worker = await startWorkerProcess('json', { ...env, AIMS_LOG_FORMAT: 'json', AIMS_LOG_LEVEL: 'info' }, '"message":"polling task queue');
    api = await startApiProcess('for the worker log', env);

    const answer = await fetch(`${api.baseUrl}/v1/ai-systems`, {
      method: 'POST',
      headers: { authorization: `Bearer ${engineer}`, 'content-type': 'application/json', 'X-Request-Id': 'pipeline-77:register' },
      body: JSON.stringify(registrationBody('logged-1')),
    });
    expect(answer.status).toBe(201);

    const lines = await eventually(
      async () =>
        worker!.output
          .join('')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      (ls) => ls.some((l) => l.includes('pipeline-77:register')),
      'the worker to log the recorded evidence',
    );
    // Every line is one JSON object with the common fields, whichever part of the process wrote it.
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed)
      expect(p).toMatchObject({ time: expect.any(String), level: expect.any(String), context: 'worker', message: expect.any(String) });
    expect(parsed.filter((p) => String(p.message).startsWith('polling task queue "worker-log-'))).toHaveLength(1);

    const recorded = parsed.find((p) => p.httpRequestId === 'pipeline-77:register');
    expect(recorded).toMatchObject({
      level: 'info',
      message: 'evidence recorded',
      stream: 'ai-system-logged-1',
      workflowId: 'ai-system-logged-1',
      activityType: 'recordEvidence',
      eventTypes: expect.arrayContaining(['AiSystemRegistered']),
    });
    // The ids it logs are the evidence's own: the event is in the store under that id.
    const store = await openEventStore(storeUrl);
    try {
      const ids = recorded!.eventIds as string[];
      for (const id of ids) expect((await store.eventById(id))?.stream).toBe('ai-system-logged-1');
    } finally {
      await store.close();
    }
    // No person's name, token or free text reaches the log line.
    expect(JSON.stringify(recorded)).not.toContain('erin');
  });
});
