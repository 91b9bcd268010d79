/**
 * Notifications end to end on real components: a Temporal dev server and the aims worker, the SQLite
 * evidence store, the notifier following it, a real SMTP server and a real HTTP server. Source events are
 * appended to the evidence as the lifecycle and nonconformity workflows record them.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import { Notifier } from '../../../apps/worker/src/notifier';
import { loadNotificationSettings } from '../../../infra/config/notification-config';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { SqliteNotifierPositionStore } from '../../../infra/notifications/notifier-position-store';
import type { EventStore, JsonObject, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import { eventually } from '../../support/eventually';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { notificationWorkflowId } from '../../../domain/notifications';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { startSmtpReceiver, startWebhookReceiver, type ReceivedWebhook } from './notification-receivers';
import { LIFECYCLE_POLICY_STREAM, LIFECYCLE_POLICY_WORKFLOW_ID } from '../../../domain/lifecycle-policy';
import { proposePolicyChangeUpdate } from '../../../workflows/lifecycle-policy.messages';

const OPS_SECRET = 'whsec_15i9vIpDfeTD07BeW/UMvOdQMBqLINBb7ruGjnm2JSQ=';
const FLAKY_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SMTP = { user: 'notifier', pass: 'smtp-pass-9f3c1a' };
const SECRETS = [OPS_SECRET, OPS_SECRET.slice(6), FLAKY_SECRET, FLAKY_SECRET.slice(6), SMTP.pass];

/** A Standard Webhooks check written here from the specification, independent of the code under test. */
function verifiesIndependently(request: ReceivedWebhook, secret: string): boolean {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return (
    fresh &&
    String(request.headers['webhook-signature'])
      .split(' ')
      .some((entry) => {
        const [version, sig] = entry.split(',');
        const given = Buffer.from(sig ?? '', 'base64');
        return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
      })
  );
}

describe('notifications on a real Temporal dev server, SMTP server and webhook receiver', () => {
  let env: TestWorkflowEnvironment;
  let store: EventStore;
  let positions: SqliteNotifierPositionStore;
  let dir: string;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let worker: Worker;
  let running: Promise<void>;
  let notifier: Notifier;
  let taskQueue: string;

  const append = async (stream: string, type: string, data: JsonObject): Promise<RecordedEvidenceEvent> => {
    const id = randomUUID();
    await store.append(stream, [{ id, type, data, metadata: { actor: { id: 'aims:lifecycle', role: 'system' } } }]);
    for await (const event of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event;
    throw new Error('not appended');
  };
  const evidenceOf = async (source: RecordedEvidenceEvent): Promise<RecordedEvidenceEvent[]> => {
    const events: RecordedEvidenceEvent[] = [];
    for await (const event of store.readStream(`notification-${source.id}`)) events.push(event);
    return events;
  };
  /** Waits for the run to finish and keeps its history as a replay fixture (AIMS_RECORD_HISTORIES=1). */
  const recordHistory = async (source: RecordedEvidenceEvent, name: string): Promise<void> => {
    const handle = env.client.workflow.getHandle(notificationWorkflowId(source.id));
    await handle.result();
    writeHistoryFixture('notification', name, await handle.fetchHistory());
  };
  const startNotifier = (): Notifier => {
    const n = new Notifier({
      store,
      positions,
      client: env.client.workflow,
      taskQueue,
      pollIntervalMs: 100,
      retryDelayMs: 200,
      retry: { maxAttempts: 4, initialIntervalMs: 200, backoffCoefficient: 2, maxIntervalMs: 1_000 },
    });
    n.start();
    return n;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-notify-'));
    const dbFile = path.join(dir, 'evidence.db');
    store = await openEventStore(`sqlite:${dbFile}`);
    positions = SqliteNotifierPositionStore.open({ path: dbFile });
    smtp = await startSmtpReceiver(SMTP);
    hooks = await startWebhookReceiver({ '/ops/in?token=abc': [204], '/flaky': [500, 500, 200], '/down': [503] });
    const directoryFile = path.join(dir, 'directory.json');
    fs.writeFileSync(
      directoryFile,
      JSON.stringify({
        people: [
          { id: 'alice', email: 'alice@example.org', roles: ['approver'] },
          { id: 'bob', email: 'bob@example.org', roles: ['aims_owner'], preferences: { nonconformity_raised: [] } },
          { id: 'erin', email: 'erin@example.org', roles: ['engineer'] },
          { id: 'tara', email: 'tara@example.org', roles: ['top_management'], preferences: { task_opened: ['email'] } },
        ],
        webhooks: [
          { id: 'ops', url: `${hooks.url}/ops/in?token=abc`, secret: OPS_SECRET, kinds: ['task_opened'] },
          { id: 'flaky', url: `${hooks.url}/flaky`, secret: FLAKY_SECRET, kinds: ['nonconformity_raised'] },
          { id: 'down', url: `${hooks.url}/down`, secret: FLAKY_SECRET, kinds: ['task_escalated'] },
        ],
      }),
    );
    const settings = loadNotificationSettings({
      directoryFile,
      publicUrl: 'https://aims.example.org',
      smtp: { url: `smtp://${SMTP.user}:${SMTP.pass}@127.0.0.1:${smtp.port}`, from: 'AIMS <aims@example.org>' },
      webhookTimeoutMs: 5_000,
    });
    env = await startTemporal();
    taskQueue = uniqueTaskQueue('notify');
    worker = await createAimsWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      eventStore: store,
      workflows: 'source',
      commandKeys: TEST_COMMAND_KEYS,
      notifications: settings,
    });
    running = worker.run();
    notifier = startNotifier();
  });

  afterAll(async () => {
    await notifier?.stop();
    worker?.shutdown();
    await running;
    await env?.teardown();
    await smtp?.close();
    await hooks?.close();
    await positions?.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given a task opened for approvers, when notified, then the approver gets an e-mail and the endpoint a signed webhook, both recorded', async () => {
    const opened = await append('ai-system-credit-scoring', 'HumanTaskOpened', {
      taskId: 'task-1',
      kind: 'deployment_approval',
      requiredRoles: ['approver'],
      subject: { type: 'deployment', requestId: 'r1', modelVersion: '1.0.0', artifactDigest: 'sha256:00', environment: 'prod' },
      requestedBy: 'erin',
      dueAt: '2026-12-10T09:00:00.000Z',
      by: { id: 'erin', role: 'engineer' },
      at: '2026-12-05T09:00:00.000Z',
    });

    const evidence = await eventually(
      () => evidenceOf(opened),
      (events) => events.filter((e) => e.type === 'NotificationDelivered').length === 2,
      'two deliveries recorded',
    );

    const [mail] = smtp.mails;
    expect(smtp.mails).toHaveLength(1);
    expect(mail?.to).toEqual(['alice@example.org']);
    expect(mail?.subject).toBe('[AIMS] Task for you: deployment approval task-1 (credit-scoring)');
    expect(mail?.text).toContain('Open: https://aims.example.org/tasks/task-1');
    const webhook = hooks.requests.find((r) => r.path === '/ops/in?token=abc');
    expect(webhook).toBeDefined();
    expect(verifiesIndependently(webhook!, OPS_SECRET)).toBe(true);
    expect(verifiesIndependently(webhook!, FLAKY_SECRET)).toBe(false);
    expect(JSON.parse(webhook!.body)).toMatchObject({
      type: 'aims.task_opened',
      data: { kind: 'task_opened', source: { eventId: opened.id, position: opened.position } },
    });

    const byChannel = Object.fromEntries(evidence.map((e) => [e.data.channel as string, e.data]));
    expect(byChannel.email).toMatchObject({
      recipient: { type: 'person', id: 'alice' },
      destination: 'alice@example.org',
      attempt: 1,
      kind: 'task_opened',
      source: { eventId: opened.id, position: opened.position },
    });
    expect(byChannel.email?.messageId).toBe(mail?.headers['message-id']);
    expect(byChannel.webhook).toMatchObject({
      recipient: { type: 'webhook', id: 'ops' },
      destination: hooks.url,
      httpStatus: 204,
      deliveryId: webhook!.headers['webhook-id'],
    });
    // The endpoint's query (a token) is not evidence.
    expect(JSON.stringify(evidence)).not.toContain('token=abc');
    await recordHistory(opened, 'task-opened-delivered');
  });

  it('given an endpoint failing twice, when a breach raises a nonconformity, then two failed attempts and one delivery are recorded', async () => {
    const raised = await append('nonconformity-aims:nc-breach-1', 'NonconformityRaised', {
      nonconformityId: 'aims:nc-breach-1',
      at: '2026-12-05T09:05:00.000Z',
      raisedBy: { id: 'aims:lifecycle', role: 'system' },
      title: 'AUC below its floor',
      description: 'Monitoring breach',
      source: 'monitoring_breach',
      sourceReference: null,
      severity: 'major',
      aiSystemIds: ['credit-scoring'],
      annexAControlIds: [],
      clauseIds: [],
      effectivenessReviewDelay: 'P30D',
    });

    const evidence = await eventually(
      () => evidenceOf(raised),
      (events) => events.some((e) => e.type === 'NotificationDelivered'),
      'the delivery after two failures',
    );

    expect(evidence.map((e) => [e.type, e.data.attempt, e.data.httpStatus])).toEqual([
      ['NotificationAttemptFailed', 1, 500],
      ['NotificationAttemptFailed', 2, 500],
      ['NotificationDelivered', 3, 200],
    ]);
    expect(evidence[0]?.data).toMatchObject({
      recipient: { type: 'webhook', id: 'flaky' },
      error: 'Error: HTTP 500',
      retryAt: expect.any(String),
    });
    const attempts = hooks.requests.filter((r) => r.path === '/flaky');
    expect(attempts).toHaveLength(3);
    // One webhook id across the retries, so the receiver can deduplicate; each attempt signed afresh.
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(attempts.every((r) => verifiesIndependently(r, FLAKY_SECRET))).toBe(true);
    // bob opted out of this kind; the aims owner's e-mail is therefore not sent.
    expect(smtp.mails.filter((m) => m.to.includes('bob@example.org'))).toEqual([]);
    await recordHistory(raised, 'delivered-after-failures');
  });

  it('given an endpoint that never answers 2xx, when a task is escalated, then every attempt and the abandonment are recorded', async () => {
    const escalated = await append('ai-system-credit-scoring', 'HumanTaskEscalated', {
      taskId: 'task-1',
      escalatedTo: 'aims_owner',
      at: '2026-12-05T09:10:00.000Z',
    });
    const evidence = await eventually(
      () => evidenceOf(escalated),
      (events) => events.some((e) => e.type === 'NotificationAbandoned'),
      'the abandonment',
    );
    const hook = evidence.filter((e) => (e.data.recipient as JsonObject).id === 'down');
    expect(hook.map((e) => [e.type, e.data.attempt ?? e.data.attempts])).toEqual([
      ['NotificationAttemptFailed', 1],
      ['NotificationAttemptFailed', 2],
      ['NotificationAttemptFailed', 3],
      ['NotificationAttemptFailed', 4],
      ['NotificationAbandoned', 4],
    ]);
    expect(hook[3]?.data.retryAt).toBeNull();
    // bob holds the escalation role and still wants this kind by e-mail.
    await eventually(
      async () => evidence.concat(await evidenceOf(escalated)),
      (events) => events.some((e) => e.type === 'NotificationDelivered' && e.data.destination === 'bob@example.org'),
      'the e-mail to the AIMS owner',
    );
    await recordHistory(escalated, 'abandoned-after-bound');
  });

  it('given a reminder for a role nobody holds and no endpoint takes, when notified, then the gap is recorded as unaddressed', async () => {
    const opened = await append('ai-system-credit-scoring', 'HumanTaskReminderSent', {
      taskId: 'task-2',
      dueAt: '2026-12-10T09:00:00.000Z',
      notifiedRoles: ['validator'],
    });
    const evidence = await eventually(
      () => evidenceOf(opened),
      (events) => events.length > 0,
      'the unaddressed record',
    );
    expect(evidence.map((e) => e.type)).toEqual(['NotificationUnaddressed']);
    expect(evidence[0]?.data).toMatchObject({ kind: 'task_due', audience: { roles: ['validator'] } });
  });

  it('given a restart, when the notifier resumes from its saved position, then it skips nothing and repeats nothing', async () => {
    await notifier.stop();
    const before = smtp.mails.length;
    const whileDown = await append('ai-system-fraud', 'HumanTaskOpened', {
      taskId: 'task-3',
      kind: 'impact_assessment_approval',
      requiredRoles: ['approver'],
      dueAt: '2026-12-11T09:00:00.000Z',
    });
    notifier = startNotifier();
    await eventually(
      () => evidenceOf(whileDown),
      (events) => events.filter((e) => e.type === 'NotificationDelivered').length === 2,
      'the event appended while stopped',
    );
    expect([notifier.handed, notifier.started]).toEqual([1, 1]);
    expect(smtp.mails.length).toBe(before + 1);
    expect(await positions.get('notifier')).toBeGreaterThanOrEqual(whileDown.position);
  });

  it('given a workflow started with a forged source, when it plans, then it fails and nothing is sent', async () => {
    const outcome = env.client.workflow.execute('notification', {
      taskQueue,
      workflowId: `notify-forged-${taskQueue}`,
      args: [{ sourceEventId: randomUUID(), sourcePosition: 1 }],
    });
    await expect(outcome).rejects.toThrow(/Workflow execution failed/);
  });

  it('given the real lifecycle-policy workflow, when a governor proposes a change, then the governors are e-mailed about the approval task', async () => {
    const handle = await env.client.workflow.start('lifecyclePolicy', { taskQueue, workflowId: LIFECYCLE_POLICY_WORKFLOW_ID, args: [{}] });
    await handle.executeUpdate(proposePolicyChangeUpdate, {
      args: [
        {
          by: { id: 'amara', roles: ['aims_owner'] },
          scope: { kind: 'organisation' },
          tiers: { limited: { autoApproveDeployment: true } },
          justification: 'faster releases',
        },
      ],
    });
    let opened: RecordedEvidenceEvent | undefined;
    for await (const event of store.readStream(LIFECYCLE_POLICY_STREAM)) if (event.type === 'HumanTaskOpened') opened = event;
    expect(opened).toBeDefined();
    const evidence = await eventually(
      () => evidenceOf(opened!),
      (events) => events.filter((e) => e.type === 'NotificationDelivered').length === 3,
      'e-mails to tara and bob and the ops webhook',
    );
    expect(evidence.map((e) => e.data.destination).sort()).toEqual(['bob@example.org', hooks.url, 'tara@example.org']);
    const mail = smtp.mails.find((m) => m.to.includes('tara@example.org'));
    expect(mail?.subject).toMatch(/^\[AIMS\] Task for you: lifecycle policy change approval /);
    await handle.terminate('test done');
  });

  it('given everything sent and recorded, when searched, then no secret appears in any message or evidence', async () => {
    const texts: string[] = [...smtp.mails.map((m) => m.raw), ...hooks.requests.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`)];
    for await (const event of store.readAll()) texts.push(JSON.stringify(event));
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
