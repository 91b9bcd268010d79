/**
 * The workflow runtime's guarantees (workflows/runtime), on a real Temporal dev server with a real worker
 * and the real evidence activities on a real SQLite store, through a toy process written the way every
 * process is (test/support/toy-process: a domain module, a message table, a line in the worker).
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import {
  approveDocumentUpdate,
  rejectDocumentUpdate,
  requestReviewUpdate,
  submitRevisionUpdate,
  type DocumentStepResult,
} from '../../support/toy-process/toy.messages';
import { replay, type DocumentEvent } from '../../support/toy-process/domain';
import { eventually } from '../../support/eventually';
import {
  expectEvidence,
  expectRefused,
  headPosition,
  people,
  readStream,
  runHistories,
  startDocument,
  startHarness,
  stateOf,
  SYSTEM_ACTOR,
  type DocumentHandle,
  type Harness,
} from './toy-harness';

/** Long enough that no reminder falls due during a test that is not about it. */
const HOUR = 3_600_000;

describe('the decider-workflow runtime, through a toy document-review process on a real Temporal dev server', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.stop();
  });

  /** The answer names exactly the events the step appended, and `lastPosition` is where the last one landed. */
  async function expectAnswerRecorded(handle: DocumentHandle, answer: DocumentStepResult, types: string[]): Promise<void> {
    const tail = (await readStream(h.store, handle.workflowId)).slice(-types.length);
    expect(answer.recorded).toEqual(tail.map((e) => ({ type: e.type, evidenceId: e.id })));
    expect(answer.recorded.map((r) => r.type)).toEqual(types);
    expect(answer.lastPosition).toBe(tail[tail.length - 1].position);
    // Nothing else writes meanwhile, so the step's last event is the head of the whole store.
    expect(answer.lastPosition).toBe(await headPosition(h.store));
  }

  it('given a document in review, when someone without the role or its own author approves it, then the Update is refused and leaves no trace in history or evidence; an approver’s answer carries the evidence ids and the store position', async () => {
    const handle = await startDocument(h, `policy-${h.runTag}-sod`, { by: people.sam });
    const review = await handle.executeUpdate(requestReviewUpdate, { args: [{ by: people.sam, reviewPeriodMs: HOUR }] });
    await expectAnswerRecorded(handle, review, ['ReviewRequested']);
    expect(review.document).toMatchObject({ status: 'in_review', review: { taskId: 'review-1', requestedBy: 'sam' } });

    const missingRole = await expectRefused(h, handle, approveDocumentUpdate, { by: people.audrey }, 'MISSING_ROLE');
    expect(missingRole.details?.[0]).toMatchObject({ details: { actorId: 'audrey', requiredRoles: ['approver', 'aims_owner'] } });
    await expectRefused(h, handle, approveDocumentUpdate, { by: people.sam }, 'REVIEWER_IS_AUTHOR');
    await expectRefused(h, handle, rejectDocumentUpdate, { by: people.sam, reasons: ['Too vague'] }, 'REVIEWER_IS_AUTHOR');
    await expectRefused(h, handle, rejectDocumentUpdate, { by: people.alice, reasons: [] }, 'VALIDATION_FAILED');

    const approval = await handle.executeUpdate(approveDocumentUpdate, { args: [{ by: people.alice, comment: 'Fit for purpose' }] });
    await expectAnswerRecorded(handle, approval, ['DocumentApproved']);
    expect(approval.document).toMatchObject({ status: 'approved', approvedBy: { id: 'alice', role: 'approver' } });

    const events = await expectEvidence(h, handle, ['DraftSubmitted', 'ReviewRequested', 'DocumentApproved']);
    expect(events.map((e) => e.metadata.actor)).toEqual([
      { id: 'sam', role: 'engineer' },
      { id: 'sam', role: 'engineer' },
      { id: 'alice', role: 'approver' },
    ]);
    expect(await handle.result()).toEqual(replay(events.map((e) => ({ type: e.type, ...e.data }) as DocumentEvent)));
  });

  it('given Updates sent while earlier commands are still being recorded, when each is legal only after those before it, then each is accepted, judged against the state the queued commands will leave', async () => {
    h.gate.hold();
    try {
      // Right after the start: the draft is only queued (its evidence held), yet a review may be asked for.
      const handle = await startDocument(h, `policy-${h.runTag}-queued`, { by: people.erin });
      const review = await handle.startUpdate(requestReviewUpdate, {
        args: [{ by: people.erin, reviewPeriodMs: HOUR }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      // And an approval, which is legal only once the review queued before it is requested.
      const approval = await handle.startUpdate(approveDocumentUpdate, {
        args: [{ by: people.alice }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      // A rejection is refused at once: the queued approval will have closed the review.
      await expectRefused(h, handle, rejectDocumentUpdate, { by: people.bob, reasons: ['Too late'] }, 'NOT_ALLOWED_NOW');
      // All three were judged while nothing at all was in the evidence.
      expect(await h.store.streamRevision(handle.workflowId)).toBeNull();

      h.gate.release();
      const [reviewed, approved] = await Promise.all([review.result(), approval.result()]);
      expect(reviewed.recorded.map((r) => r.type)).toEqual(['ReviewRequested']);
      expect(approved.document.status).toBe('approved');
      expect(approved.lastPosition).toBeGreaterThan(reviewed.lastPosition as number);
      await expectEvidence(h, handle, ['DraftSubmitted', 'ReviewRequested', 'DocumentApproved']);
    } finally {
      h.gate.release();
    }
  });

  it('given a review task, when it falls due with no decision, then the process records the reminder by itself, once, as the system’s act', async () => {
    const handle = await startDocument(h, `policy-${h.runTag}-reminder`, { by: people.erin });
    const review = await handle.executeUpdate(requestReviewUpdate, { args: [{ by: people.erin, reviewPeriodMs: 1500 }] });
    const dueAt = review.document.review?.dueAt as string;

    const reminded = await eventually(
      () => stateOf(handle),
      (s) => s?.review?.reminderSentAt != null,
      'the review reminder',
    );
    expect(Date.parse(reminded?.review?.reminderSentAt as string)).toBeGreaterThanOrEqual(Date.parse(dueAt));
    await handle.executeUpdate(approveDocumentUpdate, { args: [{ by: people.bob }] });

    const events = await expectEvidence(h, handle, ['DraftSubmitted', 'ReviewRequested', 'ReviewReminderSent', 'DocumentApproved']);
    const reminder = events[2];
    expect(reminder.metadata.actor).toEqual(SYSTEM_ACTOR);
    expect(reminder.data).toMatchObject({ taskId: 'review-1', dueAt });
    expect(Date.parse(reminder.recordedAt)).toBeGreaterThanOrEqual(Date.parse(dueAt));
  });

  it('given a bound on history length, when the process continues as new after its steps, then each run carries the state on and the evidence’s causation chain continues across runs', async () => {
    const handle = await startDocument(h, `policy-${h.runTag}-handover`, { by: people.erin, continueAsNewAfterHistoryLength: 8 });
    await handle.executeUpdate(requestReviewUpdate, { args: [{ by: people.erin, reviewPeriodMs: HOUR }] });
    await handle.executeUpdate(rejectDocumentUpdate, { args: [{ by: people.alice, reasons: ['Name the accountable role'] }] });
    const revised = await handle.executeUpdate(submitRevisionUpdate, {
      args: [{ by: people.erin, title: 'AI policy', text: 'Accountable: the AIMS owner.' }],
    });
    expect(revised.document).toMatchObject({ revision: 2, status: 'draft', reviews: 1 });
    // The reminder's timer is set in one run and fires in a later one.
    await handle.executeUpdate(requestReviewUpdate, { args: [{ by: people.erin, reviewPeriodMs: 1500 }] });
    await eventually(
      () => stateOf(handle),
      (s) => s?.review?.reminderSentAt != null,
      'the reminder after the handover',
    );
    await handle.executeUpdate(approveDocumentUpdate, { args: [{ by: people.bob }] });
    const finalState = await handle.result();

    const events = await expectEvidence(h, handle, [
      'DraftSubmitted',
      'ReviewRequested',
      'DocumentRejected',
      'DraftSubmitted',
      'ReviewRequested',
      'ReviewReminderSent',
      'DocumentApproved',
    ]);
    expect(finalState).toMatchObject({ status: 'approved', revision: 2, reviews: 2, approvedBy: { id: 'bob' } });
    const runs = await runHistories(h, handle.workflowId);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    // Evidence came from several runs, and each run's first event names the previous run's last as its cause.
    expect(new Set(events.map((e) => e.metadata.runId)).size).toBeGreaterThanOrEqual(4);
  });

  it('given Updates in flight when the run reaches its history bound, when it hands over, then they finish first and the next run carries their steps', async () => {
    const handle = await startDocument(h, `policy-${h.runTag}-inflight`, { by: people.erin, continueAsNewAfterHistoryLength: 12 });
    await eventually(
      () => stateOf(handle),
      (s) => s !== null,
      'the first draft',
    );
    h.gate.hold();
    try {
      const review = await handle.startUpdate(requestReviewUpdate, {
        args: [{ by: people.erin, reviewPeriodMs: HOUR }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      const approval = await handle.startUpdate(approveDocumentUpdate, {
        args: [{ by: people.alice }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      h.gate.release();
      await Promise.all([review.result(), approval.result()]);
      // A run that handed over the state it had before the approval would wait for a decision forever.
      await eventually(
        () => stateOf(handle),
        (s) => s?.status === 'approved',
        'the next run to carry the approval',
        10_000,
      );
      expect(await handle.result()).toMatchObject({ status: 'approved' });
      expect((await runHistories(h, handle.workflowId)).length).toBeGreaterThan(1);
      await expectEvidence(h, handle, ['DraftSubmitted', 'ReviewRequested', 'DocumentApproved']);
    } finally {
      h.gate.release();
    }
  });

  it('given a direct Update whose argument is not an object, or names no actor, then it is refused as VALIDATION_FAILED or INVALID_ACTOR with no trace', async () => {
    const handle = await startDocument(h, `policy-${h.runTag}-direct`, { by: people.erin });
    await eventually(
      () => stateOf(handle),
      (s) => s !== null,
      'the first draft',
    );
    for (const notAnObject of ['approve', 42, null, [people.alice]]) {
      const failure = await expectRefused(h, handle, 'approveDocument', notAnObject, 'VALIDATION_FAILED');
      expect(failure.details?.[0]).toMatchObject({ details: { issues: [{ field: '', problem: 'the argument must be an object' }] } });
    }
    await expectRefused(h, handle, 'requestReview', { reviewPeriodMs: HOUR }, 'INVALID_ACTOR');
    await expectRefused(h, handle, 'requestReview', { by: null, reviewPeriodMs: HOUR }, 'INVALID_ACTOR');
    // An actor that is not one (no id, no roles) is the domain's to refuse, the same way.
    await expectRefused(h, handle, 'requestReview', { by: { id: '', roles: [] }, reviewPeriodMs: HOUR }, 'INVALID_ACTOR');
    await expectRefused(h, handle, 'requestReview', { by: 'erin', reviewPeriodMs: HOUR }, 'INVALID_ACTOR');

    await handle.executeUpdate(requestReviewUpdate, { args: [{ by: people.erin, reviewPeriodMs: HOUR }] });
    await handle.executeUpdate(approveDocumentUpdate, { args: [{ by: people.alice }] });
    await handle.result();
    await expectEvidence(h, handle, ['DraftSubmitted', 'ReviewRequested', 'DocumentApproved']);
  });
});
