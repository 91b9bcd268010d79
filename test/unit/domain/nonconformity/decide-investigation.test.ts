/** Deciding on the investigation: containment, root-cause analysis and the corrective action plan. */
import { awaitedSteps } from '../../../../domain/nonconformity';
import { NC, analyse, approvedPlanHistory, contain, day, engineer, given, history, plan, raise, recorded } from './nonconformity-fixtures';

describe('containment', () => {
  it('given a raised nonconformity, when containment is recorded, then the status becomes containment', () => {
    const events = given(history(raise())).when(contain()).thenEvents();
    expect(events).toEqual([
      {
        type: 'ContainmentRecorded',
        nonconformityId: NC,
        at: day(0.1),
        recordedBy: recorded(engineer),
        actions: ['Routed low-confidence decisions to manual review'],
        justification: null,
        evidenceRefs: ['ticket-9001'],
      },
    ]);
    const state = given(history(raise())).when(contain()).thenState();
    expect(state?.status).toBe('containment');
    expect(awaitedSteps(state)).toEqual([{ step: 'root_cause_analysis', round: 1 }]);
  });

  it('given a raised nonconformity, when no action is recorded and no reason given, then VALIDATION_FAILED on justification', () => {
    const error = given(history(raise()))
      .when(contain({ actions: [] }))
      .thenError('VALIDATION_FAILED');
    expect(error.details.issues).toEqual([{ field: 'justification', problem: expect.any(String) }]);
  });

  it('given a raised nonconformity, when containment is judged unnecessary with a reason, then it is recorded', () => {
    const state = given(history(raise()))
      .when(contain({ actions: [], justification: 'The system was already switched off' }))
      .thenState();
    expect(state?.containment).toEqual([
      {
        recordedAt: day(0.1),
        recordedBy: recorded(engineer),
        actions: [],
        justification: 'The system was already switched off',
        evidenceRefs: ['ticket-9001'],
      },
    ]);
  });

  it('given actions in progress, when more containment is recorded, then it is added and the status stays', () => {
    const state = given(approvedPlanHistory())
      .when(contain({ at: day(4), actions: ['Paused automated approvals'] }))
      .thenState();
    expect(state?.status).toBe('actions_in_progress');
    expect(state?.containment.map((c) => c.actions)).toEqual([
      ['Routed low-confidence decisions to manual review'],
      ['Paused automated approvals'],
    ]);
  });
});

describe('root-cause analysis', () => {
  it('given a raised nonconformity without containment, when an analysis is submitted, then INVALID_TRANSITION', () => {
    const error = given(history(raise())).when(analyse()).thenError('INVALID_TRANSITION');
    expect(error.details).toMatchObject({
      commandType: 'SubmitRootCauseAnalysis',
      status: 'raised',
      allowedIn: ['containment', 'root_cause_analysis'],
    });
  });

  it('given containment, when a five-whys analysis is submitted, then it is recorded for round 1 and the plan is awaited', () => {
    const events = given(history(raise(), contain()))
      .when(analyse({ similarNonconformityIds: ['nc-2024-017'] }))
      .thenEvents();
    expect(events).toEqual([
      {
        type: 'RootCauseAnalysisSubmitted',
        nonconformityId: NC,
        at: day(1),
        round: 1,
        author: recorded(engineer),
        method: 'five_whys',
        methodDescription: null,
        causes: ['Training data predates the 2024 product change'],
        contributingFactors: ['No drift alert on input distribution'],
        similarNonconformityIds: ['nc-2024-017'],
        evidenceRefs: [],
      },
    ]);
    const state = given(history(raise(), contain())).when(analyse()).thenState();
    expect(state?.status).toBe('root_cause_analysis');
    expect(awaitedSteps(state)).toEqual([{ step: 'corrective_action_plan', round: 1 }]);
  });

  it('given containment, when the method is "other" without saying which, then VALIDATION_FAILED on methodDescription', () => {
    const error = given(history(raise(), contain()))
      .when(analyse({ method: 'other' }))
      .thenError('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.field)).toEqual(['methodDescription']);
  });

  it('given containment, when no cause is named or the method is unknown, then VALIDATION_FAILED', () => {
    const error = given(history(raise(), contain()))
      .when(analyse({ causes: [], method: 'guesswork' as unknown as 'other' })) // deliberately invalid
      .thenError('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.field).sort()).toEqual(['causes', 'method']);
  });

  it('given an analysis, when a revised fault-tree analysis is submitted before any plan, then both are kept, the last current', () => {
    const state = given(history(raise(), contain(), analyse()))
      .when(analyse({ at: day(1.5), method: 'fault_tree', causes: ['Feature pipeline silently dropped a column'] }))
      .thenState();
    expect(state?.rounds[0].rootCauseAnalyses.map((a) => a.method)).toEqual(['five_whys', 'fault_tree']);
  });
});

describe('corrective action plan', () => {
  it('given containment only, when a plan is submitted, then INVALID_TRANSITION', () => {
    given(history(raise(), contain())).when(plan()).thenError('INVALID_TRANSITION');
  });

  it('given an analysis, when a plan is submitted, then it awaits a decision by someone else', () => {
    const events = given(history(raise(), contain(), analyse()))
      .when(plan())
      .thenEvents();
    expect(events).toEqual([
      {
        type: 'CorrectiveActionPlanSubmitted',
        nonconformityId: NC,
        at: day(2),
        round: 1,
        planId: 'plan-1',
        author: recorded(engineer),
        actions: [
          { actionId: 'act-retrain', description: 'Retrain on data from 2024 onwards', owner: 'erin', dueDate: day(10) },
          { actionId: 'act-drift-alert', description: 'Add an input drift alert', owner: 'omar', dueDate: '2025-03-20' },
        ],
      },
    ]);
    const state = given(history(raise(), contain(), analyse()))
      .when(plan())
      .thenState();
    expect(state?.status).toBe('plan_approval');
    expect(awaitedSteps(state)).toEqual([{ step: 'plan_decision', round: 1, planId: 'plan-1', planAuthor: recorded(engineer) }]);
  });

  it('given an analysis, when a plan has no action, then VALIDATION_FAILED', () => {
    given(history(raise(), contain(), analyse()))
      .when(plan({ actions: [] }))
      .thenError('VALIDATION_FAILED');
  });

  it('given an analysis, when a plan repeats an action id, then DUPLICATE_ID names it', () => {
    const twice = { actionId: 'act-x', description: 'Do it', owner: 'erin', dueDate: day(9) };
    const error = given(history(raise(), contain(), analyse()))
      .when(plan({ actions: [twice, twice] }))
      .thenError('DUPLICATE_ID');
    expect(error.details).toMatchObject({ kind: 'corrective_action', ids: ['act-x'] });
  });

  it('given an analysis on day 1, when an action is due before the plan is submitted, then DUE_DATE_NOT_AFTER_SUBMISSION', () => {
    const error = given(history(raise(), contain(), analyse()))
      .when(
        plan({ actions: [{ actionId: 'act-late', description: 'Too late already', owner: 'erin', dueDate: '2025-03-04' }], at: day(2) }),
      )
      .thenError('DUE_DATE_NOT_AFTER_SUBMISSION');
    expect(error.details.actionIds).toEqual(['act-late']);
  });

  it('given an analysis, when a due date is not a date, then VALIDATION_FAILED on that action', () => {
    const error = given(history(raise(), contain(), analyse()))
      .when(plan({ actions: [{ actionId: 'act-1', description: 'Retrain', owner: 'erin', dueDate: 'next week' }] }))
      .thenError('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.field)).toEqual(['actions[0].dueDate']);
  });
});
