/**
 * Review dates that act: an entry's review task opens for its owner when its review date comes within the
 * notice period, is reminded when due and escalated to the AIMS owner; a review or a new version answers
 * it, retirement supersedes it, and each review date opens one task at most.
 */
import {
  decide,
  entriesDueForReview,
  eventReferences,
  evolve,
  INITIAL_AIMS_CONTEXT_STATE,
  nextContextFollowUp,
  reviewTasksOf,
  type AimsContextCommand,
  type AimsContextEvent,
  type AimsContextState,
  type ContextContent,
  type RecordContextEntry,
} from '../../../../domain/aims-context';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_AIMS_CONTEXT_STATE });
const DAY = 24 * 3_600_000;
const TIMING = { noticeMs: 14 * DAY, reviewTimeMs: 14 * DAY, escalationAfterMs: 5 * DAY };
const AT = '2026-01-05T10:00:00.000Z';
const owner: Actor = { id: 'amara', roles: ['aims_owner'] };
const riskOwner: Actor = { id: 'rui', roles: ['risk_owner'] };

const obligation: ContextContent = {
  register: 'obligation',
  source: 'legal',
  title: 'High-risk AI system requirements',
  description: 'Credit scoring is high-risk under Annex III',
  references: ['EU AI Act Art.9'],
  appliesTo: ['credit-scoring'],
};
const record = (reviewBy = '2026-03-01', expectedVersion: number | null = null, at = AT): RecordContextEntry => ({
  type: 'RecordContextEntry',
  entryId: 'obligation-1',
  expectedVersion,
  content: obligation,
  owner: 'rui',
  reviewBy,
  reason: expectedVersion === null ? 'Initial context' : 'Guidance changed',
  by: owner,
  at,
});

function run(...commands: AimsContextCommand[]): { events: AimsContextEvent[]; state: AimsContextState } {
  let state: AimsContextState = INITIAL_AIMS_CONTEXT_STATE;
  const events: AimsContextEvent[] = [];
  for (const c of commands) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    events.push(...r.value);
    state = r.value.reduce(evolve, state);
  }
  return { events, state };
}

/** The command the timer would take at `at`, checked to be due then. */
function dueAt(state: AimsContextState, at: string): AimsContextCommand {
  const f = nextContextFollowUp(state, TIMING);
  if (f === null) throw new Error('nothing is due');
  expect(f.at).toBeLessThanOrEqual(Date.parse(at));
  return f.command(at);
}

describe('context review tasks', () => {
  test('the review opens 14 days before the review date, for the owner, due by the end of the review date; evidence for 4.1, 4.2 and 5.3', () => {
    const { state } = run(record());
    const f = nextContextFollowUp(state, TIMING);
    expect(f).toEqual(
      expect.objectContaining({ at: Date.parse('2026-02-15T00:00:00.000Z'), summary: 'review of context entry obligation-1' }),
    );
    given(run(record()).events)
      .when({ ...dueAt(state, '2026-02-15T00:00:00.000Z'), at: '2026-02-14T23:59:59.000Z' })
      .then(expectError('CONTEXT_REVIEW_NOT_DUE'));
    const opened = given(run(record()).events)
      .when(dueAt(state, '2026-02-15T00:00:01.000Z'))
      .then([
        {
          type: 'HumanTaskOpened',
          taskId: 'context-review-1-obligation-1',
          kind: 'context_entry_review',
          requiredRoles: ['aims_owner', 'top_management', 'risk_owner'],
          assignee: 'rui',
          subject: { type: 'context_entry', entryId: 'obligation-1', register: 'obligation', version: 1, reviewBy: '2026-03-01' },
          requestedBy: null,
          dueAt: '2026-03-01T00:00:01.000Z',
          by: { id: 'aims:context', role: 'system' },
          at: '2026-02-15T00:00:01.000Z',
        },
      ]);
    expect(eventReferences(opened.events[0])).toEqual(['4.1', '4.2', '5.3']);
    expect(entriesDueForReview(opened.state, '2026-02-16T00:00:00.000Z').map((e) => e.entryId)).toEqual(['obligation-1']);
    expect(entriesDueForReview(state, '2026-02-16T00:00:00.000Z')).toEqual([]);
    expect(entriesDueForReview(state, '2026-03-01T08:00:00.000Z').map((e) => e.entryId)).toEqual(['obligation-1']);
  });

  test('opened late (inside the notice period), the task is due by the end of the review date, not later', () => {
    const { state } = run(record('2026-01-10'));
    const { events } = given(run(record('2026-01-10')).events)
      .when(dueAt(state, AT))
      .then([expect.objectContaining({ type: 'HumanTaskOpened', dueAt: '2026-01-11T00:00:00.000Z' })]);
    expect(events).toHaveLength(1);
  });

  test('unanswered, the owner is reminded when it is due, and the AIMS owner is told after the escalation delay; each once', () => {
    const opened = run(record('2026-01-10'));
    const withTask = run(record('2026-01-10'), dueAt(opened.state, AT));
    const reminded = given(withTask.events)
      .when(dueAt(withTask.state, '2026-01-11T00:00:00.000Z'))
      .then([
        expect.objectContaining({
          type: 'HumanTaskReminderSent',
          taskId: 'context-review-1-obligation-1',
          notifiedRoles: [],
          notifiedPeople: ['rui'],
        }),
      ]);
    given([...withTask.events, ...reminded.events])
      .when({ type: 'SendContextReviewReminder', taskId: 'context-review-1-obligation-1', at: '2026-01-12T00:00:00.000Z' })
      .then(expectError('HUMAN_TASK_REMINDER_ALREADY_SENT'));
    const escalated = given([...withTask.events, ...reminded.events])
      .when(dueAt(reminded.state, '2026-01-16T00:00:00.000Z'))
      .then([expect.objectContaining({ type: 'HumanTaskEscalated', escalatedTo: 'aims_owner' })]);
    expect(nextContextFollowUp(escalated.state, TIMING)).toBeNull();
  });

  test('a review answers the task (the note as its reason); the next review date opens the next task, never the same date twice', () => {
    const opened = run(record('2026-01-10'));
    const withTask = run(record('2026-01-10'), dueAt(opened.state, AT));
    const reviewed = given(withTask.events)
      .when({ type: 'ReviewContextEntry', entryId: 'obligation-1', reviewBy: '2027-01-10', note: 'Still applies', by: riskOwner, at: AT })
      .then([
        expect.objectContaining({ type: 'ContextEntryReviewed' }),
        {
          type: 'HumanTaskDecided',
          taskId: 'context-review-1-obligation-1',
          kind: 'context_entry_review',
          outcome: 'approved',
          reasons: ['Still applies'],
          by: { id: 'rui', role: 'risk_owner' },
          at: AT,
        },
      ]);
    expect(reviewTasksOf(reviewed.state).map((t) => t.status)).toEqual(['decided']);
    expect(nextContextFollowUp(reviewed.state, TIMING)?.at).toBe(Date.parse('2026-12-27T00:00:00.000Z'));
    expect(nextContextFollowUp(reviewed.state, TIMING)?.command('2026-12-27T00:00:00.000Z')).toEqual(
      expect.objectContaining({ type: 'OpenContextEntryReview', taskId: 'context-review-2-obligation-1' }),
    );
    // A revision that keeps the review date answers the task and opens none again for that date.
    const revised = given(withTask.events)
      .when(record('2026-01-10', 1))
      .then([
        expect.objectContaining({ type: 'ContextEntryRecorded', version: 2 }),
        expect.objectContaining({ type: 'HumanTaskDecided', reasons: ['revised as version 2: Guidance changed'] }),
      ]);
    expect(nextContextFollowUp(revised.state, TIMING)).toBeNull();
    given(withTask.events)
      .when({ type: 'OpenContextEntryReview', entryId: 'obligation-1', taskId: 'context-review-9-obligation-1', ...TIMING, at: AT })
      .then(expectError('CONTEXT_REVIEW_NOT_DUE'));
  });

  test('retiring the entry supersedes its task; a retired entry has no review to open', () => {
    const opened = run(record('2026-01-10'));
    const withTask = run(record('2026-01-10'), dueAt(opened.state, AT));
    const retired = given(withTask.events)
      .when({ type: 'RetireContextEntry', entryId: 'obligation-1', reason: 'Repealed', by: owner, at: AT })
      .then([
        expect.objectContaining({ type: 'ContextEntryRetired' }),
        expect.objectContaining({
          type: 'HumanTaskSuperseded',
          taskId: 'context-review-1-obligation-1',
          reason: 'entry retired: Repealed',
        }),
      ]);
    expect(nextContextFollowUp(retired.state, TIMING)).toBeNull();
    expect(entriesDueForReview(retired.state, '2026-02-01T00:00:00.000Z')).toEqual([]);
    const retiredEarly = run(record('2026-01-10'), {
      type: 'RetireContextEntry',
      entryId: 'obligation-1',
      reason: 'Repealed',
      by: owner,
      at: AT,
    });
    expect(nextContextFollowUp(retiredEarly.state, TIMING)).toBeNull();
  });

  test('a state carried from a run before the review tasks (no tasks field) reads as having none', () => {
    const { state } = run(record());
    const { tasks: _tasks, ...carried } = state;
    expect(reviewTasksOf(carried)).toEqual([]);
    expect(nextContextFollowUp(carried, TIMING)?.summary).toBe('review of context entry obligation-1');
  });
});
