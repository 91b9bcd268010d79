/**
 * The worker process itself (apps/worker/src/main.ts) with notifications configured: a bad directory stops
 * it before anything starts, naming each problem and no secret; a good one makes it notify.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { SqliteNotifierPositionStore } from '../../../infra/notifications/notifier-position-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { startWorkerProcess, stopProcess, type EngineProcess } from '../../support/engine-processes';
import { eventually } from '../../support/eventually';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { startSmtpReceiver } from './notification-receivers';

const SECRET = 'whsec_15i9vIpDfeTD07BeW/UMvOdQMBqLINBb7ruGjnm2JSQ=';

describe('the worker process with notifications configured', () => {
  let env: TestWorkflowEnvironment;
  let dir: string;
  let store: EventStore;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let worker: EngineProcess | undefined;
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-notify-worker-'));
    const dbFile = path.join(dir, 'evidence.db');
    store = await openEventStore(`sqlite:${dbFile}`);
    // As if the notifier had run before: it resumes from here, so the event appended below is not
    // mistaken for history that predates notifications.
    const positions = SqliteNotifierPositionStore.open({ path: dbFile });
    await positions.save('notifier', 0);
    await positions.close();
    smtp = await startSmtpReceiver({ user: 'u', pass: 'p-4d1f9e' });
    env = await startTemporal();
    baseEnv = {
      TEMPORAL_ADDRESS: env.address,
      AIMS_TASK_QUEUE: uniqueTaskQueue('notify-process'),
      AIMS_EVENT_STORE_URL: `sqlite:${dbFile}`,
      AIMS_DATA_DIR: dir,
      AIMS_PUBLIC_URL: 'https://aims.example.org',
      AIMS_SMTP_URL: `smtp://u:p-4d1f9e@127.0.0.1:${smtp.port}`,
      AIMS_SMTP_FROM: 'aims@example.org',
    };
  });

  afterAll(async () => {
    await stopProcess(worker);
    await env?.teardown();
    await smtp?.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given a directory with mistakes, when the worker starts, then it exits naming each one and no secret', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        people: [{ id: 'alice', email: 'not-an-address', roles: ['approver'] }],
        webhooks: [{ id: 'ops', url: 'https://h.example.org', secret: `${SECRET}x` }],
      }),
    );
    const started = startWorkerProcess('bad', { ...baseEnv, AIMS_NOTIFY_DIRECTORY_FILE: file });
    const error = await started.then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/exited \(1\)/);
    expect(error?.message).toContain('people[0].email: must be one e-mail address');
    expect(error?.message).toContain('webhooks[0].secret: must be whsec_');
    expect(error?.message).not.toContain(SECRET.slice(6, 30));
  });

  it('given a good directory, when a task opens for approvers, then the worker process e-mails the approver', async () => {
    const file = path.join(dir, 'people.json');
    fs.writeFileSync(file, JSON.stringify({ people: [{ id: 'alice', email: 'alice@example.org', roles: ['approver'] }] }));
    worker = await startWorkerProcess('good', { ...baseEnv, AIMS_NOTIFY_DIRECTORY_FILE: file });
    await store.append('ai-system-s1', [
      {
        id: randomUUID(),
        type: 'HumanTaskOpened',
        data: { taskId: 'task-9', kind: 'deployment_approval', requiredRoles: ['approver'], dueAt: '2026-12-12T09:00:00.000Z' },
      },
    ]);
    const mails = await eventually(
      async () => smtp.mails,
      (m) => m.length > 0,
      'the e-mail',
    );
    expect(mails[0]?.to).toEqual(['alice@example.org']);
    expect(mails[0]?.subject).toBe('[AIMS] Task for you: deployment approval task-9 (s1)');
    await stopProcess(worker);
    expect(worker.child.exitCode).toBe(0);
  });
});
