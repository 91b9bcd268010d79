/**
 * Corrective-action rules (clause 10.2) written with the decider spec helper: a history of events, one
 * command, and exactly the events it records or the refusal it earns. Commands come from the fixtures.
 */
import { decide, evolve, initialNonconformityState } from '../../../../domain/nonconformity';
import { deciderSpec, expectError } from '../../../support/decider-spec';
import { analyse, approve, complete, contain, day, engineer, history, NC, omar, plan, raise, review } from './nonconformity-fixtures';

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

  describe('segregation of duties compares identities, not raw strings (issue 11, finding 4)', () => {
    /** Every action completed by its owner (erin, omar) and the review period passed. */
    const reviewDue = () =>
      history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(5)), complete('act-drift-alert', day(5.5)));

    it("given a plan awaiting a decision, when its author approves it under another spelling of their name ('ERIN'), then SEGREGATION_OF_DUTIES", () => {
      given(planAwaitingDecision())
        .when(approve({ by: { id: 'ERIN', roles: ['risk_owner'] } }))
        .then(expectError('SEGREGATION_OF_DUTIES', { planId: 'plan-1', actorId: 'ERIN', conflict: 'plan_author' }));
    });

    it('given a plan awaiting a decision, when its author approves it under a full-width spelling of their name, then SEGREGATION_OF_DUTIES', () => {
      given(planAwaitingDecision())
        .when(approve({ by: { id: 'ｅｒｉｎ', roles: ['aims_owner'] } }))
        .then(expectError('SEGREGATION_OF_DUTIES', { conflict: 'plan_author' }));
    });

    it('given the review is due, when whoever completed a corrective action judges its effectiveness, then REVIEWER_NOT_INDEPENDENT names the action (10.2 d)', () => {
      given(reviewDue())
        .when(review('effective', day(40), { by: { id: omar.id, roles: ['risk_owner'] } }))
        .then(
          expectError('REVIEWER_NOT_INDEPENDENT', {
            actorId: 'omar',
            conflict: 'corrective_action_completer',
            actionIds: ['act-drift-alert'],
          }),
        );
    });

    it("given the review is due, when the plan's author reviews under another spelling of their name, then REVIEWER_NOT_INDEPENDENT", () => {
      given(reviewDue())
        .when(review('effective', day(40), { by: { id: ' Erin ', roles: ['validator'] } }))
        .then(expectError('REVIEWER_NOT_INDEPENDENT', { planAuthorId: 'erin', conflict: 'plan_author' }));
    });

    it('given the review is due, when someone who neither wrote the plan nor did an action judges it, then it is recorded', () => {
      given(reviewDue())
        .when(review('effective', day(40)))
        .then([
          expect.objectContaining({ type: 'EffectivenessReviewRecorded', reviewedBy: { id: 'rolf', role: 'risk_owner' } }),
          expect.objectContaining({ nonconformityId: NC }),
        ]);
    });

    it("given an approved plan, when the action's owner completes it under another spelling of their name, then it is their action", () => {
      given(history(raise(), contain(), analyse(), plan(), approve()))
        .when(complete('act-drift-alert', day(5), { by: { id: 'OMAR', roles: ['engineer'] } }))
        .then([expect.objectContaining({ type: 'CorrectiveActionCompleted', actionId: 'act-drift-alert' })]);
    });
  });
});
