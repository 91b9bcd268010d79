/**
 * AI-system lifecycle rules written with the decider spec helper: a history of events, one command, and
 * exactly the events it records or the refusal it earns. Commands come from the scenario's builders.
 */
import {
  DEFAULT_LIFECYCLE_POLICY,
  decide,
  evolve,
  INITIAL_AI_SYSTEM_STATE,
  isRegistered,
  type AiSystemEvent,
} from '../../../../domain/ai-system';
import { deciderSpec, expectError } from '../../../support/decider-spec';
import { approver, at, auditor, decideTask, givenScenario, iaContent, register, submitIa } from './scenario';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_AI_SYSTEM_STATE });

const olivia = { id: 'olivia', role: 'engineer' } as const;
const criteria: Extract<AiSystemEvent, { type: 'AiSystemRegistered' }>['acceptanceCriteria'] = [
  { metric: 'auc', direction: 'higher_is_better', threshold: 0.8 },
  { metric: 'false_positive_rate', direction: 'lower_is_better', threshold: 0.1 },
];

describe('AI-system lifecycle specs', () => {
  it('given nothing, when an engineer registers a system, then it is registered under the default policy, monitored against its acceptance criteria', () => {
    const { state } = given([])
      .when(register())
      .then([
        {
          type: 'AiSystemRegistered',
          systemId: 'credit-scoring',
          name: 'Credit scoring assistant',
          purpose: 'Rank loan applications for human review',
          intendedUse: 'Decision support for credit officers; never automatic refusal',
          owner: 'olivia',
          provider: { kind: 'in_house', supplier: null },
          riskTier: 'high',
          acceptanceCriteria: criteria,
          monitoringThresholds: criteria,
          policy: DEFAULT_LIFECYCLE_POLICY,
          by: olivia,
          at: at(0),
        },
      ]);
    expect(isRegistered(state) && state.stage).toBe('registered');
  });

  it('given nothing, when an auditor registers a system, then MISSING_ROLE names the roles that may (clause 5.3)', () => {
    given([])
      .when(register({ by: auditor }))
      .then(
        expectError('MISSING_ROLE', {
          command: 'RegisterAiSystem',
          actorId: 'audrey',
          actorRoles: ['auditor'],
          requiredRoles: ['aims_owner', 'engineer'],
        }),
      );
  });

  it('given a registered system, when it is registered again, then AI_SYSTEM_ALREADY_REGISTERED', () => {
    given(givenScenario(register()).events).when(register()).then(expectError('AI_SYSTEM_ALREADY_REGISTERED'));
  });

  it('given a registered system, when an impact assessment is submitted, then a review task opens for approvers and risk owners, due in five days (6.1.4)', () => {
    given(givenScenario(register()).events)
      .when(submitIa())
      .then([
        {
          type: 'ImpactAssessmentSubmitted',
          assessmentId: 'IA-1',
          revision: 1,
          content: iaContent(),
          reviewTaskId: 'task-IA-1',
          by: olivia,
          at: at(1),
        },
        {
          type: 'HumanTaskOpened',
          taskId: 'task-IA-1',
          kind: 'impact_assessment_review',
          requiredRoles: ['approver', 'risk_owner'],
          subject: { type: 'impact_assessment', assessmentId: 'IA-1', revision: 1 },
          requestedBy: 'olivia',
          dueAt: '2025-03-06T09:01:00.000Z',
          by: olivia,
          at: at(1),
        },
        {
          type: 'LifecycleStageChanged',
          from: 'registered',
          to: 'impact_assessment',
          cause: 'ImpactAssessmentSubmitted',
          by: olivia,
          at: at(1),
        },
      ]);
  });

  it('given an assessment under review, when an approver approves it, then it is approved and the system moves to validation', () => {
    const alice = { id: 'alice', role: 'approver' } as const;
    const { state } = given(givenScenario(register(), submitIa()).events)
      .when(decideTask('task-IA-1', 'approved', approver, 2))
      .then([
        {
          type: 'HumanTaskDecided',
          taskId: 'task-IA-1',
          kind: 'impact_assessment_review',
          outcome: 'approved',
          reasons: [],
          comment: null,
          evidenceRefs: [],
          by: alice,
          at: at(2),
        },
        { type: 'ImpactAssessmentApproved', assessmentId: 'IA-1', revision: 1, by: alice, at: at(2) },
        {
          type: 'LifecycleStageChanged',
          from: 'impact_assessment',
          to: 'validation',
          cause: 'ImpactAssessmentApproved',
          by: alice,
          at: at(2),
        },
      ]);
    expect(isRegistered(state) && state.approvedImpactAssessmentId).toBe('IA-1');
  });

  it('given an assessment its author could also approve, when the author approves it, then SEGREGATION_OF_DUTIES', () => {
    const authorApprover = { id: 'alice', roles: ['approver' as const, 'engineer' as const] };
    given(givenScenario(register(), submitIa('IA-1', 'task-IA-1', 1, authorApprover)).events)
      .when(decideTask('task-IA-1', 'approved', authorApprover, 2))
      .then(expectError('SEGREGATION_OF_DUTIES', { taskId: 'task-IA-1', actorId: 'alice', requestedBy: 'alice' }));
  });
});
