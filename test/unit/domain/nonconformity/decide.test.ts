import { awaitedSteps, commandsAllowed, decide, type NonconformityCommand, type Nonconformity } from '../../../../domain/nonconformity';
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
  monitoringPipeline,
  plan,
  raise,
  recorded,
  reject,
  review,
  riskOwner,
} from './nonconformity-fixtures';

function stateOf(events: ReturnType<typeof history>): Nonconformity {
  const state = given(events).state;
  if (state === null) throw new Error('expected a raised nonconformity');
  return state;
}

describe('raising a nonconformity', () => {
  it('given nothing, when a monitoring breach is raised, then NonconformityRaised carries everything about it', () => {
    const events = given([]).when(raise()).thenEvents();
    expect(events).toEqual([
      {
        type: 'NonconformityRaised',
        nonconformityId: NC,
        at: day(0),
        raisedBy: monitoringPipeline,
        title: 'Credit model recall below threshold',
        description: 'Weekly monitoring measured recall 0.71 against an acceptance threshold of 0.80.',
        source: 'monitoring_breach',
        sourceReference: 'monitoring-report-77',
        severity: 'major',
        aiSystemIds: ['credit-scoring'],
        annexAControlIds: ['A.6.2.6'],
        clauseIds: ['9.1'],
        effectivenessReviewDelay: 'P30D',
      },
    ]);
  });

  it('given nothing, when raised, then the state is raised, in round 1, awaiting containment', () => {
    const state = given([]).when(raise()).thenState();
    expect(state).toMatchObject({ id: NC, status: 'raised', reopenCount: 0, closedAt: null, raisedAt: day(0), lastEventAt: day(0) });
    expect(state?.rounds).toEqual([
      { round: 1, openedAt: day(0), reopenedBecause: null, rootCauseAnalyses: [], plans: [], effectivenessReview: null },
    ]);
    expect(awaitedSteps(state)).toEqual([{ step: 'containment' }]);
  });

  it('given nothing, when raised without a source reference, then the event says null rather than leaving it out', () => {
    const { sourceReference: _omitted, ...withoutReference } = raise({ source: 'complaint' });
    const [event] = given([]).when(withoutReference).thenEvents();
    expect(event).toHaveProperty('sourceReference', null);
  });

  it('given nothing, when it cites ids that are not Annex A controls, then UNKNOWN_ANNEX_A_CONTROL names them', () => {
    const error = given([])
      .when(raise({ annexAControlIds: ['A.6.2.6', 'A.6.2.9', 'A.2.1', 'a.7.4'] }))
      .thenError('UNKNOWN_ANNEX_A_CONTROL');
    expect(error.details.controlIds).toEqual(['A.6.2.9', 'A.2.1', 'a.7.4']);
  });

  it('given nothing, when it cites ids that are not clauses of 4–10, then UNKNOWN_CLAUSE names them', () => {
    const error = given([])
      .when(raise({ clauseIds: ['10.2', '10.3', '11', '3'] }))
      .thenError('UNKNOWN_CLAUSE');
    expect(error.details.clauseIds).toEqual(['10.3', '11', '3']);
  });

  it('given nothing, when it concerns no AI system, control or clause, then VALIDATION_FAILED', () => {
    const error = given([])
      .when(raise({ aiSystemIds: [], annexAControlIds: [], clauseIds: [] }))
      .thenError('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.field)).toEqual(['aiSystemIds']);
  });

  it('given nothing, when an internal audit finding concerns only a clause, then it is raised', () => {
    const events = given([])
      .when(raise({ source: 'internal_audit_finding', aiSystemIds: [], annexAControlIds: [], clauseIds: ['7.5.3'] }))
      .thenEvents();
    expect(events[0]).toMatchObject({ type: 'NonconformityRaised', source: 'internal_audit_finding', clauseIds: ['7.5.3'] });
  });

  it('given nothing, when every field is wrong, then VALIDATION_FAILED lists each field', () => {
    const bad = {
      ...raise(),
      nonconformityId: '../etc',
      at: '2025-02-30T10:00:00Z',
      openedBy: { id: '', role: 'ci' },
      title: ' ',
      source: 'rumour',
      severity: 'catastrophic',
      aiSystemIds: ['credit-scoring', 'credit-scoring'],
      effectivenessReviewDelay: 'P1M',
    } as unknown as NonconformityCommand; // deliberately malformed, as JSON from outside can be
    const error = given([]).when(bad).thenError('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.field).sort()).toEqual(
      ['aiSystemIds', 'at', 'effectivenessReviewDelay', 'nonconformityId', 'openedBy.id', 'severity', 'source', 'title'].sort(),
    );
  });

  it('given a raised nonconformity, when it is raised again, then NONCONFORMITY_ALREADY_RAISED', () => {
    given(history(raise()))
      .when(raise({ at: day(1) }))
      .thenError('NONCONFORMITY_ALREADY_RAISED');
  });
});

describe('commands that need a raised nonconformity', () => {
  it('given nothing, when containment is recorded, then NONCONFORMITY_NOT_RAISED', () => {
    const error = given([]).when(contain()).thenError('NONCONFORMITY_NOT_RAISED');
    expect(error.details.nonconformityId).toBe(NC);
  });

  it('given nonconformity A, when a command names nonconformity B, then NONCONFORMITY_ID_MISMATCH', () => {
    const error = given(history(raise()))
      .when(contain({ nonconformityId: 'nc-other' }))
      .thenError('NONCONFORMITY_ID_MISMATCH');
    expect(error.details).toMatchObject({ nonconformityId: NC, commandNonconformityId: 'nc-other' });
  });

  it('given events up to day 1, when a command is dated earlier, then TIME_BEFORE_LAST_EVENT', () => {
    const error = given(history(raise(), contain(), analyse()))
      .when(plan({ at: day(0.5) }))
      .thenError('TIME_BEFORE_LAST_EVENT');
    expect(error.details).toMatchObject({ at: day(0.5), lastEventAt: day(1) });
  });

  it('given any state, when the command type is unknown, then UNKNOWN_COMMAND', () => {
    const error = given(history(raise()))
      .when({ type: 'DeleteNonconformity', nonconformityId: NC, at: day(1) } as unknown as NonconformityCommand)
      .thenError('UNKNOWN_COMMAND');
    expect(error.details.commandType).toBe('DeleteNonconformity');
  });

  it('given any state, when the command is not even an object, then UNKNOWN_COMMAND rather than a crash', () => {
    const result = decide(null as unknown as NonconformityCommand, null);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
  });
});

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

describe('commandsAllowed', () => {
  it('given each status, when asked, then it lists exactly the commands decide accepts there', () => {
    expect(commandsAllowed(null)).toEqual(['RaiseNonconformity']);
    expect(commandsAllowed(stateOf(history(raise())))).toEqual(['RecordContainment']);
    expect(commandsAllowed(stateOf(history(raise(), contain())))).toEqual(['RecordContainment', 'SubmitRootCauseAnalysis']);
    expect(commandsAllowed(stateOf(approvedPlanHistory()))).toEqual([
      'RecordContainment',
      'CompleteCorrectiveAction',
      'IssueCorrectiveActionReminder',
      'MarkCorrectiveActionOverdue',
      'EscalateCorrectiveAction',
    ]);
  });
});
