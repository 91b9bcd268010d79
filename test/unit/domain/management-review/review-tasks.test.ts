/**
 * A management review's steps as inbox tasks (9.3, 5.3): compiling the pack opens the minutes task, the
 * minutes close it and open the sign-off task, sign-off closes that, a cancellation supersedes what is open;
 * an open task is reminded once due and escalated to the AIMS owner after an unanswered reminder.
 */
import { createHash } from 'node:crypto';
import {
  compileReviewInputs,
  decide,
  decideWithTasks,
  evolve,
  nextReviewTaskFollowUp,
  packHashOf,
  reviewTaskId,
  type ManagementReviewCommand,
  type ManagementReviewEvent,
  type ManagementReviewState,
} from '../../../../domain/management-review';
import type { Actor, ActorRef } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const DAY = 86_400_000;
const { given } = deciderSpec({ decide: decideWithTasks(14 * DAY), evolve, initialState: null as ManagementReviewState });
const tess: Actor = { id: 'tess', roles: ['top_management'] };
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const sha = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');
const SYSTEM: ActorRef = { id: 'aims:management-review', role: 'system' };

const plan: ManagementReviewCommand = {
  type: 'PlanManagementReview',
  reviewId: 'MR-2026',
  title: 'Management review 2026',
  plannedFor: '2026-05-01T09:00:00Z',
  chair: 'tess',
  interval: 'P182D',
  by: olivia,
  at: '2026-04-01T10:00:00.000Z',
};
const pack = compileReviewInputs([], { reviewId: 'MR-2026' });
const compile = (at: string, by?: Actor): ManagementReviewCommand => ({
  type: 'CompileReviewInputs',
  position: 0,
  packHash: packHashOf(pack, sha),
  pack,
  ...(by === undefined ? {} : { by }),
  at,
});
const minutes: ManagementReviewCommand = {
  type: 'RecordReviewMinutes',
  attendees: ['tess', 'olivia'],
  minutes: 'Reviewed the pack.',
  by: olivia,
  at: '2026-05-02T11:00:00.000Z',
};

/** The history the commands record, each accepted (whatever its events). */
function history(...commands: ManagementReviewCommand[]): ManagementReviewEvent[] {
  const events: ManagementReviewEvent[] = [];
  for (const c of commands) {
    const state = given(events).state;
    const decided = decideWithTasks(14 * DAY)(c, state);
    if (!decided.ok) throw new Error(`${c.type} refused: ${decided.error.code}`);
    events.push(...decided.value);
  }
  return events;
}

test('the pack compiled on the timer opens the minutes task for top management or the AIMS owner, due two weeks after the planned date', () => {
  given(history(plan))
    .when(compile('2026-05-01T09:00:00.000Z'))
    .then([
      expect.objectContaining({ type: 'ManagementReviewInputsCompiled' }),
      {
        type: 'HumanTaskOpened',
        taskId: 'MR-2026.minutes',
        kind: 'management_review_minutes',
        requiredRoles: ['top_management', 'aims_owner'],
        subject: { type: 'management_review', reviewId: 'MR-2026', title: 'Management review 2026' },
        requestedBy: null,
        assignee: null,
        dueAt: '2026-05-15T09:00:00.000Z',
        by: SYSTEM,
        at: '2026-05-01T09:00:00.000Z',
      },
    ]);
});

test('compiled early on demand, the minutes are still due after the planned date; compiled again, no second task opens', () => {
  const early = given(history(plan))
    .when(compile('2026-04-20T09:00:00.000Z', olivia))
    .then([expect.anything(), expect.objectContaining({ type: 'HumanTaskOpened', dueAt: '2026-05-15T09:00:00.000Z' })]);
  given([...history(plan), ...early.events])
    .when(compile('2026-04-25T09:00:00.000Z', olivia))
    .then([expect.objectContaining({ type: 'ManagementReviewInputsCompiled' })]);
});

test('the minutes close their task (by whoever recorded them) and open the sign-off task for top management', () => {
  const done = given(history(plan, compile('2026-05-01T09:00:00.000Z')))
    .when(minutes)
    .then([
      expect.objectContaining({ type: 'ManagementReviewMinutesRecorded' }),
      {
        type: 'HumanTaskDecided',
        taskId: 'MR-2026.minutes',
        kind: 'management_review_minutes',
        outcome: 'approved',
        reasons: [],
        by: { id: 'olivia', role: 'aims_owner' },
        at: minutes.at,
      },
      expect.objectContaining({
        type: 'HumanTaskOpened',
        taskId: reviewTaskId('MR-2026', 'management_review_sign_off'),
        kind: 'management_review_sign_off',
        requiredRoles: ['top_management'],
        dueAt: '2026-05-16T11:00:00.000Z',
      }),
    ]);
  expect(done.state?.tasks?.map((t) => [t.kind, t.status])).toEqual([
    ['management_review_minutes', 'decided'],
    ['management_review_sign_off', 'open'],
  ]);
});

test('a decision leaves the sign-off task open; signing off closes it; a refused sign-off records nothing', () => {
  const minuted = history(plan, compile('2026-05-01T09:00:00.000Z'), minutes, {
    type: 'RecordReviewDecision',
    kind: 'resource_need',
    owner: 'olivia',
    dueDate: '2026-07-31',
    text: 'A second validator',
    by: tess,
    at: '2026-05-02T11:30:00.000Z',
  });
  expect(given(minuted).state?.tasks?.find((t) => t.kind === 'management_review_sign_off')?.status).toBe('open');
  given(minuted)
    .when({ type: 'SignOffReview', by: olivia, at: '2026-05-03T09:00:00.000Z' })
    .then(expectError('SIGN_OFF_NEEDS_TOP_MANAGEMENT'));
  const signed = given(minuted)
    .when({ type: 'SignOffReview', by: tess, at: '2026-05-03T09:00:00.000Z' })
    .then([
      expect.objectContaining({ type: 'ManagementReviewSignedOff' }),
      expect.objectContaining({ type: 'ManagementReviewNextScheduled' }),
      expect.objectContaining({ type: 'HumanTaskDecided', taskId: 'MR-2026.sign-off', by: { id: 'tess', role: 'top_management' } }),
    ]);
  expect(signed.state?.tasks?.every((t) => t.status === 'decided')).toBe(true);
  expect(nextReviewTaskFollowUp(signed.state, 5 * DAY)).toBeNull();
});

test('a cancelled review supersedes its open task', () => {
  const cancelled = given(history(plan, compile('2026-05-01T09:00:00.000Z')))
    .when({ type: 'CancelReview', reason: 'merged into the next one', by: olivia, at: '2026-05-02T09:00:00.000Z' })
    .then([
      expect.objectContaining({ type: 'ManagementReviewCancelled' }),
      {
        type: 'HumanTaskSuperseded',
        taskId: 'MR-2026.minutes',
        reason: 'review cancelled: merged into the next one',
        by: { id: 'olivia', role: 'aims_owner' },
        at: '2026-05-02T09:00:00.000Z',
      },
    ]);
  expect(cancelled.state?.tasks?.[0]?.status).toBe('superseded');
});

test('an open task is reminded once due, then escalated to the AIMS owner after an unanswered reminder, each once', () => {
  const open = history(plan, compile('2026-05-01T09:00:00.000Z'));
  const state = given(open).state;
  const first = nextReviewTaskFollowUp(state, 5 * DAY);
  expect(first).toMatchObject({ at: Date.parse('2026-05-15T09:00:00.000Z'), summary: 'reminder for task MR-2026.minutes' });
  given(open)
    .when({ type: 'SendReviewTaskReminder', taskId: 'MR-2026.minutes', at: '2026-05-14T09:00:00.000Z' })
    .then(expectError('HUMAN_TASK_NOT_OVERDUE'));
  const reminded = given(open)
    .when(first!.command('2026-05-15T09:00:00.000Z'))
    .then([
      {
        type: 'HumanTaskReminderSent',
        taskId: 'MR-2026.minutes',
        dueAt: '2026-05-15T09:00:00.000Z',
        notifiedRoles: ['top_management', 'aims_owner'],
        notifiedPeople: [],
        by: SYSTEM,
        at: '2026-05-15T09:00:00.000Z',
      },
    ]);
  const afterReminder = [...open, ...reminded.events];
  given(afterReminder)
    .when({ type: 'SendReviewTaskReminder', taskId: 'MR-2026.minutes', at: '2026-05-16T09:00:00.000Z' })
    .then(expectError('HUMAN_TASK_REMINDER_ALREADY_SENT'));
  const second = nextReviewTaskFollowUp(reminded.state, 5 * DAY);
  expect(second).toMatchObject({ at: Date.parse('2026-05-20T09:00:00.000Z'), summary: 'escalation of task MR-2026.minutes' });
  const escalated = given(afterReminder)
    .when(second!.command('2026-05-20T09:00:00.000Z'))
    .then([
      { type: 'HumanTaskEscalated', taskId: 'MR-2026.minutes', escalatedTo: 'aims_owner', by: SYSTEM, at: '2026-05-20T09:00:00.000Z' },
    ]);
  expect(nextReviewTaskFollowUp(escalated.state, 5 * DAY)).toBeNull();
  given([...afterReminder, ...escalated.events])
    .when({ type: 'EscalateReviewTask', taskId: 'MR-2026.minutes', escalationAfterMs: 5 * DAY, at: '2026-05-21T09:00:00.000Z' })
    .then(expectError('HUMAN_TASK_ALREADY_ESCALATED'));
  // the minutes, once recorded, close the escalated task as any other
  const closed = given([...afterReminder, ...escalated.events])
    .when({ ...minutes, at: '2026-05-21T09:00:00.000Z' })
    .then([expect.anything(), expect.objectContaining({ type: 'HumanTaskDecided', taskId: 'MR-2026.minutes' }), expect.anything()]);
  expect(nextReviewTaskFollowUp(closed.state, 5 * DAY)).toMatchObject({ summary: 'reminder for task MR-2026.sign-off' });
});

test('without tasks (a review started before them), the plain rules record none and have no task to remind', () => {
  const { given: plain } = deciderSpec({ decide, evolve, initialState: null as ManagementReviewState });
  const planned = plain()
    .when(plan)
    .then([expect.objectContaining({ type: 'ManagementReviewPlanned' })]).events;
  const compiled = plain(planned)
    .when(compile('2026-05-01T09:00:00.000Z'))
    .then([expect.objectContaining({ type: 'ManagementReviewInputsCompiled' })]);
  expect(nextReviewTaskFollowUp(compiled.state, 5 * DAY)).toBeNull();
  plain([...planned, ...compiled.events])
    .when({ type: 'SendReviewTaskReminder', taskId: 'MR-2026.minutes', at: '2026-06-01T09:00:00.000Z' })
    .then(expectError('HUMAN_TASK_UNKNOWN'));
});
