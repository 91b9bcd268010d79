/** Deciding on raising a nonconformity, on commands before it is raised, and which commands a state allows. */
import { awaitedSteps, commandsAllowed, decide, type NonconformityCommand } from '../../../../domain/nonconformity';
import {
  NC,
  analyse,
  approvedPlanHistory,
  contain,
  day,
  given,
  history,
  monitoringPipeline,
  plan,
  raise,
  stateOf,
} from './nonconformity-fixtures';

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
