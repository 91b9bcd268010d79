/** Deciding on a plan's approval (segregation of duties) and on completing its corrective actions. */
import { awaitedSteps } from '../../../../domain/nonconformity';
import {
  NC,
  analyse,
  approve,
  aimsOwner,
  approvedPlanHistory,
  complete,
  contain,
  day,
  engineer,
  given,
  history,
  plan,
  raise,
  recorded,
  reject,
} from './nonconformity-fixtures';

describe('plan approval (segregation of duties)', () => {
  const submitted = () => history(raise(), contain(), analyse(), plan());

  it('given a submitted plan, when its author (who also holds a deciding role) approves it, then SEGREGATION_OF_DUTIES', () => {
    const error = given(submitted())
      .when(approve({ by: { id: engineer.id, roles: ['engineer', 'aims_owner'] } }))
      .thenError('SEGREGATION_OF_DUTIES');
    expect(error.details).toEqual({ planId: 'plan-1', actorId: engineer.id, conflict: 'plan_author' });
    expect(error.message).toBe('erin wrote plan plan-1 and so cannot decide on it');
  });

  it('given a submitted plan, when its author rejects it, then SEGREGATION_OF_DUTIES', () => {
    given(submitted())
      .when(reject({ by: { id: engineer.id, roles: ['risk_owner'] } }))
      .thenError('SEGREGATION_OF_DUTIES');
  });

  it('given a submitted plan, when its author names a plan that is not pending, then PLAN_NOT_PENDING comes before segregation', () => {
    given(submitted())
      .when(approve({ planId: 'plan-0', by: { id: engineer.id, roles: ['aims_owner'] } }))
      .thenError('PLAN_NOT_PENDING');
  });

  it('given a submitted plan, when a decision names another plan, then PLAN_NOT_PENDING', () => {
    const error = given(submitted())
      .when(approve({ planId: 'plan-0' }))
      .thenError('PLAN_NOT_PENDING');
    expect(error.details).toMatchObject({ planId: 'plan-0', pendingPlanId: 'plan-1' });
  });

  it('given a submitted plan, when the AIMS owner approves it, then the actions are in progress, one task each', () => {
    const events = given(submitted())
      .when(approve({ comment: 'Fine' }))
      .thenEvents();
    expect(events).toEqual([
      {
        type: 'CorrectiveActionPlanApproved',
        nonconformityId: NC,
        at: day(3),
        round: 1,
        planId: 'plan-1',
        approvedBy: recorded(aimsOwner),
        comment: 'Fine',
      },
    ]);
    const state = given(submitted()).when(approve()).thenState();
    expect(state?.status).toBe('actions_in_progress');
    expect(awaitedSteps(state)).toEqual([
      { step: 'corrective_action', round: 1, planId: 'plan-1', actionId: 'act-retrain', owner: 'erin', dueDate: day(10) },
      { step: 'corrective_action', round: 1, planId: 'plan-1', actionId: 'act-drift-alert', owner: 'omar', dueDate: '2025-03-20' },
    ]);
  });

  it('given a submitted plan, when it is rejected without reasons, then VALIDATION_FAILED', () => {
    given(submitted())
      .when(reject({ reasons: [] }))
      .thenError('VALIDATION_FAILED');
  });

  it('given a submitted plan, when it is rejected with reasons, then it goes back to analysis with the reasons kept', () => {
    const events = given(submitted()).when(reject()).thenEvents();
    expect(events).toEqual([
      {
        type: 'CorrectiveActionPlanRejected',
        nonconformityId: NC,
        at: day(3),
        round: 1,
        planId: 'plan-1',
        rejectedBy: recorded(aimsOwner),
        reasons: ['No action addresses the missing drift alert'],
      },
    ]);
    const state = given(submitted()).when(reject()).thenState();
    expect(state?.status).toBe('root_cause_analysis');
    expect(state?.rounds[0].plans[0].decision).toEqual({
      outcome: 'rejected',
      decidedAt: day(3),
      decidedBy: recorded(aimsOwner),
      reasons: ['No action addresses the missing drift alert'],
    });
    expect(awaitedSteps(state)).toEqual([{ step: 'corrective_action_plan', round: 1 }]);
  });

  it('given a rejected plan, when a plan reuses the rejected plan id, then DUPLICATE_ID; with a new id and the same action ids, then accepted', () => {
    const rejected = history(raise(), contain(), analyse(), plan(), reject());
    expect(
      given(rejected)
        .when(plan({ at: day(4) }))
        .thenError('DUPLICATE_ID').details,
    ).toMatchObject({ kind: 'plan', ids: ['plan-1'] });
    const state = given(rejected)
      .when(plan({ at: day(4), planId: 'plan-2' }))
      .thenState();
    expect(state?.status).toBe('plan_approval');
    expect(state?.rounds[0].plans.map((p) => p.planId)).toEqual(['plan-1', 'plan-2']);
  });

  it('given actions in progress, when the plan is approved again, then INVALID_TRANSITION', () => {
    given(approvedPlanHistory())
      .when(approve({ at: day(4) }))
      .thenError('INVALID_TRANSITION');
  });
});

describe('completing corrective actions', () => {
  it('given an approved plan, when an action not in it is completed, then UNKNOWN_CORRECTIVE_ACTION', () => {
    const error = given(approvedPlanHistory())
      .when(complete('act-unknown', day(5)))
      .thenError('UNKNOWN_CORRECTIVE_ACTION');
    expect(error.details).toMatchObject({ actionId: 'act-unknown', round: 1 });
  });

  it('given an approved plan, when an action is completed without evidence, then VALIDATION_FAILED', () => {
    given(approvedPlanHistory())
      .when(complete('act-retrain', day(5), { evidenceRefs: [] }))
      .thenError('VALIDATION_FAILED');
  });

  it('given two open actions, when one is completed, then only that completion is recorded and the other is still awaited', () => {
    const events = given(approvedPlanHistory())
      .when(complete('act-retrain', day(5), { note: 'Model v7' }))
      .thenEvents();
    expect(events).toEqual([
      {
        type: 'CorrectiveActionCompleted',
        nonconformityId: NC,
        at: day(5),
        round: 1,
        planId: 'plan-1',
        actionId: 'act-retrain',
        completedBy: recorded(engineer),
        evidenceRefs: ['evidence-act-retrain'],
        note: 'Model v7',
      },
    ]);
    const state = given(approvedPlanHistory())
      .when(complete('act-retrain', day(5)))
      .thenState();
    expect(state?.status).toBe('actions_in_progress');
    expect(awaitedSteps(state).map((s) => (s.step === 'corrective_action' ? s.actionId : s.step))).toEqual(['act-drift-alert']);
  });

  it('given a completed action, when it is completed again, then CORRECTIVE_ACTION_ALREADY_COMPLETED', () => {
    const done = history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(5)));
    const error = given(done)
      .when(complete('act-retrain', day(6)))
      .thenError('CORRECTIVE_ACTION_ALREADY_COMPLETED');
    expect(error.details).toMatchObject({ actionId: 'act-retrain', completedAt: day(5) });
  });

  it('given one action left, when it is completed, then the effectiveness review is scheduled the configured period later', () => {
    const oneLeft = history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(5)));
    const events = given(oneLeft)
      .when(complete('act-drift-alert', day(6)))
      .thenEvents();
    expect(events.map((e) => e.type)).toEqual(['CorrectiveActionCompleted', 'EffectivenessReviewScheduled']);
    expect(events[1]).toEqual({ type: 'EffectivenessReviewScheduled', nonconformityId: NC, at: day(6), round: 1, dueAt: day(36) });
    const state = given(oneLeft)
      .when(complete('act-drift-alert', day(6)))
      .thenState();
    expect(state?.status).toBe('effectiveness_review');
    expect(awaitedSteps(state)).toEqual([{ step: 'effectiveness_review', round: 1, dueAt: day(36) }]);
  });

  it('given a review delay of PT12H, when the last action completes, then the review is due 12 hours later', () => {
    const events = given(
      history(raise({ effectivenessReviewDelay: 'PT12H' }), contain(), analyse(), plan(), approve(), complete('act-retrain', day(5))),
    )
      .when(complete('act-drift-alert', day(6)))
      .thenEvents();
    expect(events[1]).toMatchObject({ type: 'EffectivenessReviewScheduled', dueAt: day(6.5) });
  });
});
