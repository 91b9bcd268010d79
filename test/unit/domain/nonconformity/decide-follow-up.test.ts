/** Deciding on the follow-up: reminders, overdue actions and escalation, and the effectiveness review. */
import { awaitedSteps, commandsAllowed } from '../../../../domain/nonconformity';
import {
  NC,
  analyse,
  approve,
  approvedPlanHistory,
  complete,
  contain,
  day,
  given,
  history,
  plan,
  raise,
  recorded,
  review,
  riskOwner,
  stateOf,
} from './nonconformity-fixtures';

describe('reminders, overdue and escalation', () => {
  it('given an open action, when reminders are issued, then they are numbered', () => {
    const first = given(approvedPlanHistory())
      .when({ type: 'IssueCorrectiveActionReminder', nonconformityId: NC, at: day(8), actionId: 'act-retrain' })
      .thenEvents();
    expect(first).toEqual([
      {
        type: 'CorrectiveActionReminderIssued',
        nonconformityId: NC,
        at: day(8),
        round: 1,
        planId: 'plan-1',
        actionId: 'act-retrain',
        owner: 'erin',
        dueDate: day(10),
        reminderNumber: 1,
      },
    ]);
    const second = given([...approvedPlanHistory(), ...first])
      .when({ type: 'IssueCorrectiveActionReminder', nonconformityId: NC, at: day(9), actionId: 'act-retrain' })
      .thenEvents();
    expect(second[0]).toMatchObject({ reminderNumber: 2 });
  });

  it('given an action due at an instant, when it is marked overdue before then, then CORRECTIVE_ACTION_NOT_YET_DUE', () => {
    const error = given(approvedPlanHistory())
      .when({ type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(9.99), actionId: 'act-retrain' })
      .thenError('CORRECTIVE_ACTION_NOT_YET_DUE');
    expect(error.details).toMatchObject({ actionId: 'act-retrain', dueDate: day(10) });
  });

  it('given an action due on a calendar date, when marked overdue on that day, then NOT_YET_DUE; from the next midnight UTC, overdue', () => {
    given(approvedPlanHistory())
      .when({ type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: '2025-03-20T23:59:59.999Z', actionId: 'act-drift-alert' })
      .thenError('CORRECTIVE_ACTION_NOT_YET_DUE');
    const events = given(approvedPlanHistory())
      .when({ type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: '2025-03-21T00:00:00.000Z', actionId: 'act-drift-alert' })
      .thenEvents();
    expect(events[0]).toMatchObject({ type: 'CorrectiveActionOverdue', actionId: 'act-drift-alert', owner: 'omar', dueDate: '2025-03-20' });
  });

  it('given an open action, when escalated before it is recorded as overdue, then CORRECTIVE_ACTION_NOT_OVERDUE', () => {
    given(approvedPlanHistory())
      .when({ type: 'EscalateCorrectiveAction', nonconformityId: NC, at: day(11), actionId: 'act-retrain', escalatedTo: 'aims_owner' })
      .thenError('CORRECTIVE_ACTION_NOT_OVERDUE');
  });

  it('given an overdue action, when it is marked overdue again, then CORRECTIVE_ACTION_ALREADY_OVERDUE', () => {
    const overdue = history(raise(), contain(), analyse(), plan(), approve(), {
      type: 'MarkCorrectiveActionOverdue',
      nonconformityId: NC,
      at: day(10),
      actionId: 'act-retrain',
    });
    const error = given(overdue)
      .when({ type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(11), actionId: 'act-retrain' })
      .thenError('CORRECTIVE_ACTION_ALREADY_OVERDUE');
    expect(error.details.overdueSince).toBe(day(10));
  });

  it('given an overdue action, when escalated twice, then the levels rise and the state keeps both', () => {
    const overdue = history(
      raise(),
      contain(),
      analyse(),
      plan(),
      approve(),
      { type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(10), actionId: 'act-retrain' },
      { type: 'EscalateCorrectiveAction', nonconformityId: NC, at: day(11), actionId: 'act-retrain', escalatedTo: 'ana' },
    );
    const events = given(overdue)
      .when({ type: 'EscalateCorrectiveAction', nonconformityId: NC, at: day(13), actionId: 'act-retrain', escalatedTo: 'aims_owner' })
      .thenEvents();
    expect(events[0]).toMatchObject({ type: 'CorrectiveActionEscalated', escalatedTo: 'aims_owner', level: 2 });
    const action = stateOf([...overdue, ...events]).rounds[0].plans[0].actions[0];
    expect(action.overdueSince).toBe(day(10));
    expect(action.escalations).toEqual([
      { escalatedAt: day(11), escalatedTo: 'ana', level: 1 },
      { escalatedAt: day(13), escalatedTo: 'aims_owner', level: 2 },
    ]);
  });

  it('given a completed action, when it is marked overdue, then CORRECTIVE_ACTION_ALREADY_COMPLETED', () => {
    given(history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(5))))
      .when({ type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(11), actionId: 'act-retrain' })
      .thenError('CORRECTIVE_ACTION_ALREADY_COMPLETED');
  });

  it('given an effectiveness review pending, when a reminder comes for an action, then INVALID_TRANSITION', () => {
    const done = history(
      raise(),
      contain(),
      analyse(),
      plan(),
      approve(),
      complete('act-retrain', day(5)),
      complete('act-drift-alert', day(6)),
    );
    given(done)
      .when({ type: 'IssueCorrectiveActionReminder', nonconformityId: NC, at: day(7), actionId: 'act-retrain' })
      .thenError('INVALID_TRANSITION');
  });
});

describe('effectiveness review', () => {
  const allDone = () =>
    history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(5)), complete('act-drift-alert', day(6)));

  it('given the review due on day 36, when it is announced earlier, then EFFECTIVENESS_REVIEW_NOT_DUE', () => {
    const error = given(allDone())
      .when({ type: 'MarkEffectivenessReviewDue', nonconformityId: NC, at: day(35) })
      .thenError('EFFECTIVENESS_REVIEW_NOT_DUE');
    expect(error.details.dueAt).toBe(day(36));
  });

  it('given the review due on day 36, when announced on time and then again, then EffectivenessReviewDue once and ALREADY_DUE after', () => {
    const events = given(allDone())
      .when({ type: 'MarkEffectivenessReviewDue', nonconformityId: NC, at: day(36) })
      .thenEvents();
    expect(events).toEqual([{ type: 'EffectivenessReviewDue', nonconformityId: NC, at: day(36), round: 1, dueAt: day(36) }]);
    given([...allDone(), ...events])
      .when({ type: 'MarkEffectivenessReviewDue', nonconformityId: NC, at: day(37) })
      .thenError('EFFECTIVENESS_REVIEW_ALREADY_DUE');
  });

  it('given the review due on day 36, when it is recorded earlier, then EFFECTIVENESS_REVIEW_NOT_DUE', () => {
    given(allDone())
      .when(review('effective', day(20)))
      .thenError('EFFECTIVENESS_REVIEW_NOT_DUE');
  });

  it('given the review is due, when it finds the correction effective, then the nonconformity is closed', () => {
    const events = given(allDone())
      .when(review('effective', day(36)))
      .thenEvents();
    expect(events).toEqual([
      {
        type: 'EffectivenessReviewRecorded',
        nonconformityId: NC,
        at: day(36),
        round: 1,
        reviewedBy: recorded(riskOwner),
        outcome: 'effective',
        findings: 'Recall stayed above 0.80 for 30 days',
        evidenceRefs: ['monitoring-report-91'],
      },
      { type: 'NonconformityClosed', nonconformityId: NC, at: day(36), round: 1, closedBy: recorded(riskOwner) },
    ]);
    const state = given(allDone())
      .when(review('effective', day(36)))
      .thenState();
    expect(state).toMatchObject({ status: 'closed', closedAt: day(36), reopenCount: 0 });
    expect(awaitedSteps(state)).toEqual([]);
    expect(commandsAllowed(state)).toEqual([]);
  });

  it('given the review is due, when it finds the correction ineffective, then it reopens into round 2 awaiting a new analysis', () => {
    const events = given(allDone())
      .when(review('ineffective', day(36)))
      .thenEvents();
    expect(events.map((e) => e.type)).toEqual(['EffectivenessReviewRecorded', 'NonconformityReopened']);
    expect(events[1]).toEqual({
      type: 'NonconformityReopened',
      nonconformityId: NC,
      at: day(36),
      previousRound: 1,
      round: 2,
      reason: 'Recall fell to 0.76 again in week 3',
      reopenCount: 1,
    });
    const state = given(allDone())
      .when(review('ineffective', day(36)))
      .thenState();
    expect(state).toMatchObject({ status: 'root_cause_analysis', reopenCount: 1, closedAt: null });
    expect(state?.rounds[1]).toEqual({
      round: 2,
      openedAt: day(36),
      reopenedBecause: 'Recall fell to 0.76 again in week 3',
      rootCauseAnalyses: [],
      plans: [],
      effectivenessReview: null,
    });
    expect(awaitedSteps(state)).toEqual([{ step: 'root_cause_analysis', round: 2 }]);
  });

  it('given a reopened nonconformity, when a plan is submitted before a new analysis, then ROOT_CAUSE_ANALYSIS_MISSING', () => {
    const reopened = history(
      raise(),
      contain(),
      analyse(),
      plan(),
      approve(),
      complete('act-retrain', day(5)),
      complete('act-drift-alert', day(6)),
      review('ineffective', day(36)),
    );
    const error = given(reopened)
      .when(plan({ at: day(37), planId: 'plan-2' }))
      .thenError('ROOT_CAUSE_ANALYSIS_MISSING');
    expect(error.details.round).toBe(2);
  });

  it('given a closed nonconformity, when anything is asked of it, then NONCONFORMITY_CLOSED', () => {
    const closed = [
      ...allDone(),
      ...given(allDone())
        .when(review('effective', day(36)))
        .thenEvents(),
    ];
    given(closed)
      .when(contain({ at: day(40) }))
      .thenError('NONCONFORMITY_CLOSED');
    given(closed)
      .when(review('ineffective', day(40)))
      .thenError('NONCONFORMITY_CLOSED');
  });
});
