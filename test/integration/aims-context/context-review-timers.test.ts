/**
 * The review dates of the context registers on a real Temporal server with a real SQLite evidence store:
 * a durable timer opens an entry's review task for its owner when the review date comes within the notice
 * period (an entry whose date is far off gets none), the task is reminded when due and escalated to the
 * AIMS owner, and the owner's review answers it. The evidence folds to the workflow's state and the run
 * carries the patch marker. With AIMS_RECORD_HISTORIES=1 the run is a replay fixture.
 */
import {
  AIMS_CONTEXT_STREAM,
  AIMS_CONTEXT_WORKFLOW_ID,
  entriesDueForReview,
  evolveRecorded,
  INITIAL_AIMS_CONTEXT_STATE,
  reviewTasksOf,
  type ContextContent,
} from '../../../domain/aims-context';
import type { Actor } from '../../../domain/shared/roles';
import type { aimsContext } from '../../../workflows';
import {
  aimsContextStateQuery,
  recordContextEntryUpdate,
  reviewContextEntryUpdate,
  type AimsContextInput,
} from '../../../workflows/aims-context.messages';
import { eventually } from '../../support/eventually';
import { recordHistoryFixture } from '../ai-system-lifecycle/lifecycle-harness';
import { startHarness, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const rita: Actor = { id: 'rita', roles: ['risk_owner'] };

const obligation: ContextContent = {
  register: 'obligation',
  source: 'legal',
  title: 'High-risk AI system',
  description: 'Credit scoring is high-risk (Annex III 5(b))',
  references: ['EU AI Act Art.9'],
  appliesTo: ['credit-scoring'],
};
const party: ContextContent = {
  register: 'interested_party',
  name: 'Loan applicants',
  description: 'People whose applications are scored',
  requirements: ['An explanation of a refusal'],
  addressedThrough: null,
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('a review date within the notice period opens the owner’s task on a timer; unanswered it is reminded and escalated; the review answers it', async () => {
  // The review date two days ahead; the notice set so the task opens seconds after the entry is recorded.
  const reviewBy = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  // Ten seconds: time enough for both entries to be recorded first, even on a busy machine.
  const noticeSeconds = Math.floor((Date.parse(`${reviewBy}T00:00:00.000Z`) - Date.now()) / 1000) - 10;
  const input: AimsContextInput = { timing: { reviewNotice: `PT${noticeSeconds}S`, reviewTime: 'PT3S', escalationDelay: 'PT3S' } };
  const handle = await h.env.client.workflow.start<typeof aimsContext>('aimsContext', {
    taskQueue: h.taskQueue,
    workflowId: AIMS_CONTEXT_WORKFLOW_ID,
    args: [input],
  });
  const o1 = await handle.executeUpdate(recordContextEntryUpdate, {
    args: [{ by: amara, content: obligation, owner: 'rita', reviewBy, reason: 'EU AI Act' }],
  });
  await handle.executeUpdate(recordContextEntryUpdate, {
    args: [{ by: amara, content: party, owner: 'amara', reviewBy: '2099-01-01', reason: 'Initial register' }],
  });
  // Not yet: the timer has not fired.
  expect(reviewTasksOf(await handle.query(aimsContextStateQuery))).toEqual([]);

  const escalated = await eventually(
    () => handle.query(aimsContextStateQuery),
    (s) => reviewTasksOf(s).some((t) => t.escalatedAt !== null),
    'the review task opened, reminded and escalated',
  );
  const [task] = reviewTasksOf(escalated);
  expect(task).toMatchObject({
    taskId: `context-review-1-${o1.entryId}`,
    kind: 'context_entry_review',
    assignee: 'rita',
    status: 'open',
    subject: { type: 'context_entry', entryId: 'obligation-1', version: 1, reviewBy },
    escalatedTo: 'aims_owner',
  });
  expect(Date.parse(task.reminderSentAt ?? '')).toBeGreaterThanOrEqual(Date.parse(task.dueAt));
  expect(reviewTasksOf(escalated)).toHaveLength(1);
  expect(entriesDueForReview(escalated, new Date().toISOString()).map((e) => e.entryId)).toEqual(['obligation-1']);

  const reviewed = await handle.executeUpdate(reviewContextEntryUpdate, {
    args: [{ by: rita, entryId: 'obligation-1', reviewBy: '2099-06-01', note: 'Still applies; Art.9 unchanged' }],
  });
  expect(reviewed.recorded.map((r) => r.type)).toEqual(['ContextEntryReviewed', 'HumanTaskDecided']);

  const recorded = [];
  let state = INITIAL_AIMS_CONTEXT_STATE;
  for await (const e of h.store.readStream(AIMS_CONTEXT_STREAM)) {
    recorded.push(e);
    state = evolveRecorded(state, e);
  }
  expect(recorded.map((e) => e.type)).toEqual([
    'ContextEntryRecorded',
    'ContextEntryRecorded',
    'HumanTaskOpened',
    'HumanTaskReminderSent',
    'HumanTaskEscalated',
    'ContextEntryReviewed',
    'HumanTaskDecided',
  ]);
  expect(recorded[2].data).toMatchObject({ assignee: 'rita', by: { id: 'aims:context', role: 'system' } });
  expect(recorded[3].data).toMatchObject({ notifiedPeople: ['rita'] });
  expect(recorded[6].data).toMatchObject({ outcome: 'approved', reasons: ['Still applies; Art.9 unchanged'], by: { id: 'rita' } });
  expect(await handle.query(aimsContextStateQuery)).toEqual(state);
  expect(reviewTasksOf(state).map((t) => t.status)).toEqual(['decided']);
  expect(entriesDueForReview(state, new Date().toISOString())).toEqual([]);

  const history = await handle.fetchHistory();
  const patches = (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => Buffer.from(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? []).toString());
  expect(patches.filter((p) => p.includes('"aims-context-review-timers"'))).toHaveLength(1);
  expect((await h.store.verify()).intact).toBe(true);
  await recordHistoryFixture(handle, 'review-due-reminded-escalated-reviewed', 'aims-context');
  await handle.terminate('test finished');
});
