/**
 * Corrective-action rules (clause 10.2) written with the decider spec helper: a history of events, one
 * command, and exactly the events it records or the refusal it earns. Commands come from the fixtures.
 */
import { decide, evolve, initialNonconformityState } from '../../../../domain/nonconformity';
import { deciderSpec, expectError } from '../../../support/decider-spec';
import { analyse, approve, complete, contain, day, engineer, history, NC, plan, raise, review } from './nonconformity-fixtures';

const { given } = deciderSpec({ decide, evolve, initialState: initialNonconformityState });

/** Raised, contained, analysed, and a plan by erin awaiting a decision. */
const planAwaitingDecision = () => history(raise(), contain(), analyse(), plan());

describe('corrective action specs', () => {
  it('given nothing, when a monitoring breach is raised, then the nonconformity is recorded with what it concerns', () => {
    given([])
      .when(raise())
      .then([
        {
          type: 'NonconformityRaised',
          nonconformityId: NC,
          at: day(0),
          raisedBy: { id: 'ci-monitoring', role: 'ci' },
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

  it('given a raised nonconformity, when it is raised again, then NONCONFORMITY_ALREADY_RAISED', () => {
    given(history(raise()))
      .when(raise())
      .then(expectError('NONCONFORMITY_ALREADY_RAISED', { nonconformityId: NC }));
  });

  it('given a plan awaiting a decision, when someone other than its author approves it, then it is approved and the actions are under way', () => {
    const { state } = given(planAwaitingDecision())
      .when(approve())
      .then([
        {
          type: 'CorrectiveActionPlanApproved',
          nonconformityId: NC,
          at: day(3),
          round: 1,
          planId: 'plan-1',
          approvedBy: { id: 'ana', role: 'aims_owner' },
          comment: null,
        },
      ]);
    expect(state?.status).toBe('actions_in_progress');
  });

  it('given a plan awaiting a decision, when its author approves it, then SEGREGATION_OF_DUTIES: nobody approves their own plan', () => {
    given(planAwaitingDecision())
      .when(approve({ by: { id: engineer.id, roles: ['risk_owner'] } }))
      .then(expectError('SEGREGATION_OF_DUTIES', { planId: 'plan-1', actorId: 'erin' }));
  });

  it('given only containment so far, when a plan is approved, then INVALID_TRANSITION says where it may happen', () => {
    given(history(raise(), contain()))
      .when(approve())
      .then(
        expectError('INVALID_TRANSITION', {
          commandType: 'ApproveCorrectiveActionPlan',
          status: 'containment',
          allowedIn: ['plan_approval'],
        }),
      );
  });

  it('given every action completed, when the effectiveness review comes before its period has passed, then EFFECTIVENESS_REVIEW_NOT_DUE', () => {
    const done = history(
      raise(),
      contain(),
      analyse(),
      plan(),
      approve(),
      complete('act-retrain', day(5)),
      complete('act-drift-alert', day(5.5)),
    );
    given(done)
      .when(review('effective', day(6)))
      .then(expectError('EFFECTIVENESS_REVIEW_NOT_DUE', { dueAt: day(5.5 + 30) }));
  });
});
