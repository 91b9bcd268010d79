/**
 * The `document` workflow on a real Temporal server, with SQLite evidence and the token store beside it:
 * an AI policy reviewed by another, approved by top management (never its author), published, acknowledged
 * by each person in the roles it names (people from the token store), due for review by its timer (seconds
 * here), and replaced by a second version that makes the first obsolete, kept with both approvals.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { tokenStorePeople, TOKEN_STORE_SOURCE } from '../../../activities/people.activities';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import {
  acknowledgementTaskId,
  approvalTaskIdOf,
  documentWorkflowId,
  evolveRecorded,
  periodicReviewTaskId,
  reviewTaskIdOf,
  type DocumentState,
} from '../../../domain/document';
import type { Actor } from '../../../domain/shared/roles';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import type { TokenStore } from '../../../infra/ports/token-store.port';
import type { document } from '../../../workflows';
import {
  acknowledgeDocumentUpdate,
  decideDocumentTaskUpdate,
  documentStateQuery,
  submitDocumentVersionUpdate,
  type DocumentWorkflowInput,
} from '../../../workflows/document.messages';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import { eventually } from '../../support/eventually';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { expectRefused, readStream } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const alice: Actor = { id: 'alice', roles: ['aims_owner'] };
const rob: Actor = { id: 'rob', roles: ['risk_owner'] };
const tess: Actor = { id: 'tess', roles: ['top_management'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

const POLICY = (extra: string): string =>
  [
    '# AI policy',
    '## Purpose',
    `We develop and use AI responsibly. ${extra}`,
    '## Commitments',
    'We commit to satisfy applicable requirements and to continual improvement of the AIMS.',
    '## Framework for objectives',
    'Top management sets AI objectives each year.',
    '## Related policies',
    '- Information security policy v4',
  ].join('\n');
const digestOf = (text: string): string => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

let env: TestWorkflowEnvironment;
let store: EventStore;
let tokens: TokenStore;
let dir: string;
let taskQueue: string;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  env = await startTemporal();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-document-'));
  const url = `sqlite:${path.join(dir, 'evidence.db')}`;
  store = await openEventStore(url);
  tokens = await openTokenStore(url);
  for (const a of [alice, rob, tess, erin]) await tokens.issue({ name: a.id, roles: a.roles });
  await tokens.issue({ name: 'retired', roles: ['engineer'] }).then((t) => tokens.revoke(t.record.id));
  taskQueue = uniqueTaskQueue('document');
  const worker = await createAimsWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    eventStore: store,
    workflows: 'source',
    commandKeys: TEST_COMMAND_KEYS,
    people: tokenStorePeople(tokens),
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
  };
});
afterAll(async () => {
  await stopWorker?.();
  await tokens?.close();
  await store?.close();
  await env?.teardown();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('an AI policy: reviewed, approved by top management, published, acknowledged, due for review by its timer, replaced by version 2', async () => {
  const documentId = `ai-policy-${taskQueue.slice(taskQueue.lastIndexOf('-') + 1)}`;
  const workflowId = documentWorkflowId(documentId);
  const input: DocumentWorkflowInput = {
    documentId,
    kind: 'ai_policy',
    title: 'AI policy',
    owner: 'alice',
    classification: 'internal',
    retention: 'P7Y',
    acknowledgementRoles: ['engineer', 'risk_owner'],
    reviewInterval: 'PT4S',
    by: alice,
    timing: { escalationDelay: 'PT1H' },
  };
  await env.client.workflow.start('document', { taskQueue, workflowId, args: [input] });
  const handle: WorkflowHandle<typeof document> = env.client.workflow.getHandle(workflowId);

  const md1 = POLICY('First issue.');
  const submitted = await handle.executeUpdate(submitDocumentVersionUpdate, {
    args: [
      {
        by: alice,
        markdown: md1,
        markdownDigest: digestOf(md1),
        changeSummary: 'First issue',
        change: { reason: 'The AIMS needs a policy (5.2)', consequences: 'Every AI project follows it' },
      },
    ],
  });
  expect(submitted).toMatchObject({ version: 1, taskIds: [reviewTaskIdOf(documentId, 1)] });
  // An incomplete policy is refused, naming what is missing; nothing is recorded.
  const incomplete = await expectRefused(
    handle.executeUpdate(submitDocumentVersionUpdate, {
      args: [
        {
          by: alice,
          markdown: '# AI policy',
          markdownDigest: digestOf('# AI policy'),
          changeSummary: 'x',
          change: { reason: 'r', consequences: 'c' },
        },
      ],
    }),
    'VALIDATION_FAILED',
  );
  expect(incomplete.message).toContain('Purpose');

  await expectRefused(
    handle.executeUpdate(decideDocumentTaskUpdate, {
      args: [{ by: alice, taskId: reviewTaskIdOf(documentId, 1), outcome: 'approved', reasons: [] }],
    }),
    'SEGREGATION_OF_DUTIES',
  );
  await handle.executeUpdate(decideDocumentTaskUpdate, {
    args: [{ by: rob, taskId: reviewTaskIdOf(documentId, 1), outcome: 'approved', reasons: [] }],
  });
  await expectRefused(
    handle.executeUpdate(decideDocumentTaskUpdate, {
      args: [{ by: rob, taskId: approvalTaskIdOf(documentId, 1), outcome: 'approved', reasons: [] }],
    }),
    'MISSING_ROLE',
  );
  const published = await handle.executeUpdate(decideDocumentTaskUpdate, {
    args: [{ by: tess, taskId: approvalTaskIdOf(documentId, 1), outcome: 'approved', reasons: [] }],
  });
  // One acknowledgement per person in the named roles, from the token store (the revoked token left out).
  expect(published.taskIds).toEqual([acknowledgementTaskId(documentId, 1, 1), acknowledgementTaskId(documentId, 1, 2)]);
  expect(published.document.acknowledgements.map((a) => a.identity)).toEqual(['erin', 'rob']);
  expect(published.document.publishedVersion).toBe(1);

  await expectRefused(
    handle.executeUpdate(acknowledgeDocumentUpdate, { args: [{ by: rob, taskId: acknowledgementTaskId(documentId, 1, 1) }] }),
    'NOT_ACTION_OWNER',
  );
  await handle.executeUpdate(acknowledgeDocumentUpdate, { args: [{ by: erin, taskId: acknowledgementTaskId(documentId, 1, 1) }] });

  // The interval runs out: the timer opens the periodic review.
  const due = await eventually(
    async () => (await handle.query(documentStateQuery))?.tasks.find((t) => t.kind === 'document_periodic_review'),
    (task) => task !== undefined,
    'the periodic review to open',
  );
  expect(due).toMatchObject({ taskId: periodicReviewTaskId(documentId, 1), status: 'open', subject: { version: 1 } });

  // A new version answers the review: published, it makes version 1 obsolete.
  const md2 = POLICY('Second issue: generative AI included.');
  await handle.executeUpdate(submitDocumentVersionUpdate, {
    args: [
      {
        by: alice,
        markdown: md2,
        markdownDigest: digestOf(md2),
        changeSummary: 'Covers generative AI',
        change: { reason: 'Review found a gap', consequences: 'GenAI projects assessed' },
      },
    ],
  });
  await handle.executeUpdate(decideDocumentTaskUpdate, {
    args: [{ by: rob, taskId: reviewTaskIdOf(documentId, 2), outcome: 'approved', reasons: [] }],
  });
  const second = await handle.executeUpdate(decideDocumentTaskUpdate, {
    args: [{ by: tess, taskId: approvalTaskIdOf(documentId, 2), outcome: 'approved', reasons: [] }],
  });
  expect(second.document.versions.map((v) => [v.version, v.status, v.review?.by.id, v.approval?.by.id])).toEqual([
    [1, 'obsolete', 'rob', 'tess'],
    [2, 'published', 'rob', 'tess'],
  ]);
  expect(second.document.tasks.find((t) => t.taskId === periodicReviewTaskId(documentId, 1))?.status).toBe('superseded');
  expect(second.document.acknowledgements.map((a) => [a.version, a.identity, a.acknowledgedAt === null])).toEqual([
    [1, 'erin', false],
    [1, 'rob', true],
    [2, 'erin', true],
    [2, 'rob', true],
  ]);

  // The evidence is the record: every step once, tagged, and it folds to the workflow's state.
  const events = await readStream(store, workflowId);
  expect(events.filter((e) => e.type === 'DocumentVersionPublished').map((e) => e.data.obsoletes)).toEqual([null, 1]);
  const requested = events.find((e) => e.type === 'DocumentAcknowledgementsRequested');
  expect(requested?.data).toMatchObject({ people: ['erin', 'rob'], source: TOKEN_STORE_SOURCE });
  expect(events.find((e) => e.type === 'DocumentAcknowledged')?.metadata).toMatchObject({
    actor: { id: 'erin', role: 'engineer' },
    iso42001: { clauses: ['7.3'] },
  });
  expect(events.find((e) => e.type === 'DocumentReviewDue')?.metadata).toMatchObject({ actor: { id: 'aims:document', role: 'system' } });
  const folded = events.reduce<DocumentState>((s, e) => evolveRecorded(s, { type: e.type, data: e.data }), null);
  expect(folded).toEqual(await handle.query(documentStateQuery));

  writeHistoryFixture('document', 'policy-published-acknowledged-reviewed-replaced', await handle.fetchHistory());
});

test('an undecided review is reminded at its due date, then escalated to the AIMS owner, by the workflow’s timers', async () => {
  const documentId = `procedure-${taskQueue.slice(taskQueue.lastIndexOf('-') + 1)}`;
  const workflowId = documentWorkflowId(documentId);
  await env.client.workflow.start('document', {
    taskQueue,
    workflowId,
    args: [
      {
        documentId,
        kind: 'procedure',
        title: 'Incident procedure',
        owner: 'erin',
        classification: 'internal',
        retention: 'P3Y',
        acknowledgementRoles: [],
        decisionTime: 'PT2S',
        by: erin,
        timing: { escalationDelay: 'PT2S' },
      } satisfies DocumentWorkflowInput,
    ],
  });
  const handle: WorkflowHandle<typeof document> = env.client.workflow.getHandle(workflowId);
  await handle.executeUpdate(submitDocumentVersionUpdate, {
    args: [{ by: erin, markdown: '# Incident procedure', markdownDigest: digestOf('# Incident procedure'), changeSummary: 'First issue' }],
  });
  const task = await eventually(
    async () => (await handle.query(documentStateQuery))?.tasks.find((t) => t.taskId === reviewTaskIdOf(documentId, 1)),
    (t) => t?.escalatedTo === 'aims_owner',
    'the review task to be escalated',
  );
  expect(task?.reminderSentAt).not.toBeNull();
  const events = await readStream(store, workflowId);
  expect(events.map((e) => e.type)).toEqual([
    'DocumentCreated',
    'DocumentVersionSubmitted',
    'HumanTaskOpened',
    'HumanTaskReminderSent',
    'HumanTaskEscalated',
  ]);
  expect(events[3]?.data).toMatchObject({ notifiedRoles: ['aims_owner', 'top_management', 'risk_owner', 'approver'], notifiedPeople: [] });
  expect(events[4]?.metadata).toMatchObject({ actor: { id: 'aims:document', role: 'system' } });
  // The escalated task is still decided by people: the AIMS owner takes it.
  await handle.executeUpdate(decideDocumentTaskUpdate, {
    args: [{ by: alice, taskId: reviewTaskIdOf(documentId, 1), outcome: 'approved', reasons: [] }],
  });
  writeHistoryFixture('document', 'review-reminded-then-escalated', await handle.fetchHistory());
});
