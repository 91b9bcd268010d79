/**
 * A risk through assessment, treatment and acceptance (6.1.2, 6.1.3, 8.2, 8.3): scoring by the criteria
 * version it records, segregation of duties at each decision, acceptance by the role the appetite names,
 * the posture it sends to the deployment gate, its timers and its reassessment.
 */
import {
  decide,
  evolve,
  hasOverdueAction,
  nextActionDueAt,
  nextRiskFollowUp,
  riskPosture,
  type Risk,
  type RiskCommand,
  type RiskEvent,
  type RiskState,
} from '../../../../domain/risk';
import { DEFAULT_RISK_CRITERIA, type RiskCriteriaSnapshot } from '../../../../domain/risk-criteria';
import type { AiPolicyVersionRef } from '../../../../domain/shared/policy-in-force';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: null as RiskState });
const AT = '2026-02-01T09:00:00.000Z';
const criteria: RiskCriteriaSnapshot = { version: 1, content: DEFAULT_RISK_CRITERIA };
const erin: Actor = { id: 'erin', roles: ['engineer'] };
const rita: Actor = { id: 'rita', roles: ['risk_owner'] };
const ravi: Actor = { id: 'ravi', roles: ['risk_owner'] };
const amara: Actor = { id: 'amara', roles: ['aims_owner'] };

const identify: RiskCommand = {
  type: 'IdentifyRisk',
  riskId: 'r1',
  systemId: 'credit-scoring',
  source: { kind: 'annex-c', id: 'machine-learning' },
  description: 'Scores drift against a protected group',
  owner: 'rita',
  by: erin,
  at: AT,
};
const assess = (likelihood: string, consequence: string, by: Actor = erin): RiskCommand => ({
  type: 'AssessRisk',
  inherent: { likelihood, consequence },
  rationale: 'bias audit 2026-01',
  criteria,
  by,
  at: AT,
});
const task = (taskId: string, by: Actor, outcome: 'approved' | 'rejected' | 'changes_requested' = 'approved'): RiskCommand => ({
  type: 'DecideRiskTask',
  taskId,
  outcome,
  reasons: outcome === 'approved' ? [] : ['not enough'],
  by,
  at: AT,
});
const plan: RiskCommand = {
  type: 'PlanRiskTreatment',
  option: 'modify',
  annexAControlIds: ['A.6.2.4'],
  ownControls: ['monthly fairness test'],
  actions: [{ actionId: 'a1', description: 'Add a fairness gate to validation', owner: 'erin', dueDate: '2026-02-10' }],
  by: rita,
  at: AT,
};
const complete: RiskCommand = { type: 'CompleteTreatmentAction', actionId: 'a1', evidenceRefs: ['PR-42'], note: null, by: erin, at: AT };
const residual = (likelihood: string, consequence: string): RiskCommand => ({
  type: 'RecordResidualRisk',
  residual: { likelihood, consequence },
  rationale: 'after the gate',
  by: erin,
  at: AT,
});

function history(...commands: RiskCommand[]): RiskEvent[] {
  let s: RiskState = null;
  const all: RiskEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    all.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return all;
}
const stateOf = (events: RiskEvent[]): Risk => events.reduce(evolve, null as RiskState) as Risk;
const treated = (l = 'likely', c = 'moderate'): RiskEvent[] =>
  history(
    identify,
    assess(l, c),
    task('r1-risk-assessment-review-1-1', rita),
    plan,
    task('r1-risk-treatment-plan-approval-1-1', ravi),
    complete,
  );

describe('scoring', () => {
  it('the level comes from the criteria version the assessment records', () => {
    given(history(identify))
      .when(assess('likely', 'moderate'))
      .then([
        {
          type: 'RiskAssessed',
          riskId: 'r1',
          assessment: 1,
          inherent: {
            likelihood: 'likely',
            consequence: 'moderate',
            level: 'high',
            aboveAppetite: true,
            acceptedBy: ['aims_owner'],
            reassessmentInterval: 'P90D',
          },
          rationale: 'bias audit 2026-01',
          criteria,
          by: { id: 'erin', role: 'engineer' },
          at: AT,
        },
        expect.objectContaining({
          type: 'HumanTaskOpened',
          taskId: 'r1-risk-assessment-review-1-1',
          kind: 'risk_assessment_review',
          requiredRoles: ['risk_owner'],
          requestedBy: 'erin',
        }),
      ]);
  });

  it('a step off the scale is refused by its field, nothing recorded', () => {
    given(history(identify))
      .when(assess('often', 'moderate'))
      .then(expectError('VALIDATION_FAILED', { issues: [expect.objectContaining({ field: 'inherent' })] }));
  });

  it("a risk id whose stream would read as the criteria's (criteria-…) is refused", () => {
    given([])
      .when({ ...identify, riskId: 'criteria-organisation' })
      .then(expectError('VALIDATION_FAILED', { issues: [expect.objectContaining({ field: 'riskId' })] }));
  });

  it('an unknown Annex C source or an AI system id that is not one is refused', () => {
    given()
      .when({ ...identify, source: { kind: 'annex-c', id: 'bad-luck' }, systemId: '' } as unknown as RiskCommand)
      .then(
        expectError('VALIDATION_FAILED', {
          issues: [expect.objectContaining({ field: 'systemId' }), expect.objectContaining({ field: 'source' })],
        }),
      );
  });
});

describe('segregation of duties', () => {
  it('the assessor does not review their own assessment', () => {
    const assessedByRita = history(identify, assess('likely', 'moderate', rita));
    given(assessedByRita).when(task('r1-risk-assessment-review-1-1', rita)).then(expectError('SEGREGATION_OF_DUTIES'));
    given(assessedByRita).when(task('r1-risk-assessment-review-1-1', erin)).then(expectError('MISSING_ROLE'));
  });

  it('the planner does not approve their own plan', () => {
    given(history(identify, assess('likely', 'moderate'), task('r1-risk-assessment-review-1-1', rita), plan))
      .when(task('r1-risk-treatment-plan-approval-1-1', rita))
      .then(expectError('SEGREGATION_OF_DUTIES'));
  });

  it('only the action owner (or the AIMS owner) completes an action, with evidence', () => {
    const approved = history(
      identify,
      assess('likely', 'moderate'),
      task('r1-risk-assessment-review-1-1', rita),
      plan,
      task('r1-risk-treatment-plan-approval-1-1', ravi),
    );
    given(approved)
      .when({ ...complete, by: ravi })
      .then(expectError('NOT_ACTION_OWNER'));
    given(approved)
      .when({ ...complete, evidenceRefs: [] })
      .then(expectError('VALIDATION_FAILED'));
    given(approved)
      .when({ ...complete, by: amara })
      .then([expect.objectContaining({ type: 'TreatmentActionCompleted', by: { id: 'amara', role: 'aims_owner' } })]);
  });

  it('a plan names only Annex A controls of the catalogue', () => {
    given(history(identify, assess('likely', 'moderate'), task('r1-risk-assessment-review-1-1', rita)))
      .when({ ...plan, annexAControlIds: ['A.99'] })
      .then(expectError('VALIDATION_FAILED', { issues: [{ field: 'annexAControlIds[0]', problem: 'is not an Annex A control' }] }));
  });
});

describe('acceptance by appetite', () => {
  it('a residual level above appetite is accepted by the AIMS owner only', () => {
    const { state } = given(treated())
      .when(residual('likely', 'moderate'))
      .then([
        expect.objectContaining({
          type: 'ResidualRiskAssessed',
          residual: expect.objectContaining({ level: 'high', aboveAppetite: true }),
        }),
        expect.objectContaining({ type: 'HumanTaskOpened', kind: 'risk_acceptance', requiredRoles: ['aims_owner'] }),
      ]);
    const withResidual = [
      ...treated(),
      ...(decide(residual('likely', 'moderate'), stateOf(treated())) as { ok: true; value: RiskEvent[] }).value,
    ];
    given(withResidual)
      .when(task('r1-risk-acceptance-1-1', rita))
      .then(expectError('MISSING_ROLE', { requiredRoles: ['aims_owner'] }));
    given(withResidual)
      .when(task('r1-risk-acceptance-1-1', amara))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'approved' }),
        expect.objectContaining({
          type: 'RiskAcceptanceDecided',
          outcome: 'approved',
          level: 'high',
          reassessmentDueAt: '2026-05-02T09:00:00.000Z',
        }),
      ]);
    expect((state as Risk).status).toBe('residual_assessed');
  });

  it('a residual level within appetite is accepted by the roles its level names', () => {
    const withResidual = [
      ...treated(),
      ...(decide(residual('unlikely', 'minor'), stateOf(treated())) as { ok: true; value: RiskEvent[] }).value,
    ];
    expect(withResidual.at(-1)).toMatchObject({ kind: 'risk_acceptance', requiredRoles: ['risk_owner'] });
    given(withResidual)
      .when(task('r1-risk-acceptance-1-1', ravi))
      .then([expect.anything(), expect.objectContaining({ type: 'RiskAcceptanceDecided', level: 'low' })]);
  });
});

describe('the posture the deployment gate hears', () => {
  it('above appetite blocks until the residual level is accepted; an overdue action blocks', () => {
    expect(riskPosture(stateOf(history(identify)))).toEqual({ level: 'not-assessed', blockers: [] });
    expect(riskPosture(stateOf(history(identify, assess('likely', 'moderate'))))).toEqual({
      level: 'high',
      blockers: ['above-appetite-not-accepted'],
    });
    expect(riskPosture(stateOf(history(identify, assess('rare', 'minor'))))).toEqual({ level: 'low', blockers: [] });
    const approved = history(
      identify,
      assess('likely', 'moderate'),
      task('r1-risk-assessment-review-1-1', rita),
      plan,
      task('r1-risk-treatment-plan-approval-1-1', ravi),
    );
    const overdue = [
      ...approved,
      { type: 'TreatmentActionOverdue', riskId: 'r1', actionId: 'a1', dueDate: '2026-02-10', at: '2026-02-11T00:00:00.000Z' } as RiskEvent,
    ];
    expect(riskPosture(stateOf(overdue)).blockers).toEqual(['above-appetite-not-accepted', 'treatment-action-overdue']);
    const accepted = history(
      identify,
      assess('likely', 'moderate'),
      task('r1-risk-assessment-review-1-1', rita),
      plan,
      task('r1-risk-treatment-plan-approval-1-1', ravi),
      complete,
      residual('likely', 'minor'),
      task('r1-risk-acceptance-1-1', amara),
    );
    expect(riskPosture(stateOf(accepted))).toEqual({ level: 'medium', blockers: [] });
  });
});

describe('overdue actions, as the register lists them', () => {
  it('an action of an approved plan due on a date falls overdue when that day is over, as its timer marks it; a plan not approved has none due', () => {
    const planned = stateOf(history(identify, assess('likely', 'moderate'), task('r1-risk-assessment-review-1-1', rita), plan));
    expect([nextActionDueAt(planned), hasOverdueAction(planned, Date.parse('2026-03-01T00:00:00Z'))]).toEqual([null, false]);
    const approved = stateOf(
      history(
        identify,
        assess('likely', 'moderate'),
        task('r1-risk-assessment-review-1-1', rita),
        plan,
        task('r1-risk-treatment-plan-approval-1-1', ravi),
      ),
    );
    expect(nextActionDueAt(approved)).toBe('2026-02-11T00:00:00.000Z');
    expect(hasOverdueAction(approved, Date.parse('2026-02-10T18:00:00Z'))).toBe(false);
    expect(hasOverdueAction(approved, Date.parse('2026-02-11T00:00:01Z'))).toBe(true);
    const done = stateOf(treated());
    expect([nextActionDueAt(done), hasOverdueAction(done, Date.parse('2026-03-01T00:00:00Z'))]).toEqual([null, false]);
  });
});

describe('timers and reassessment', () => {
  const timing = { reminderLeadMs: 86_400_000, escalationDelayMs: 2 * 86_400_000 };
  it('an open action is reminded, then overdue at its due date, then escalated', () => {
    const approved = stateOf(
      history(
        identify,
        assess('likely', 'moderate'),
        task('r1-risk-assessment-review-1-1', rita),
        plan,
        task('r1-risk-treatment-plan-approval-1-1', ravi),
      ),
    );
    const first = nextRiskFollowUp(approved, timing, Date.parse(AT));
    expect(first && { at: new Date(first.at).toISOString(), command: first.command('x') }).toEqual({
      at: '2026-02-10T00:00:00.000Z',
      command: { type: 'RemindTreatmentAction', actionId: 'a1', at: 'x' },
    });
    const overdue = evolve(approved, {
      type: 'TreatmentActionOverdue',
      riskId: 'r1',
      actionId: 'a1',
      dueDate: '2026-02-10',
      at: '2026-02-11T00:00:00.000Z',
    }) as Risk;
    expect(nextRiskFollowUp(overdue, timing, Date.parse(AT))?.command('x')).toEqual({
      type: 'EscalateTreatmentAction',
      actionId: 'a1',
      at: 'x',
    });
  });

  it('an accepted risk falls due for reassessment when its interval runs out, and is assessed again', () => {
    const accepted = history(
      ...[
        identify,
        assess('likely', 'moderate'),
        task('r1-risk-assessment-review-1-1', rita),
        plan,
        task('r1-risk-treatment-plan-approval-1-1', ravi),
        complete,
        residual('unlikely', 'minor'),
        task('r1-risk-acceptance-1-1', ravi),
      ],
    );
    const s = stateOf(accepted);
    expect(s.reassessmentDueAt).toBe('2027-02-01T09:00:00.000Z');
    given(accepted).when({ type: 'MarkReassessmentDue', at: '2026-06-01T00:00:00.000Z' }).then([]);
    given(accepted)
      .when({ type: 'MarkReassessmentDue', at: '2027-02-01T09:00:00.000Z' })
      .then([
        {
          type: 'RiskReassessmentDue',
          riskId: 'r1',
          cause: { kind: 'interval', dueAt: '2027-02-01T09:00:00.000Z' },
          at: '2027-02-01T09:00:00.000Z',
        },
      ]);
    const due = [
      ...accepted,
      { type: 'RiskReassessmentDue', riskId: 'r1', cause: { kind: 'interval', dueAt: s.reassessmentDueAt ?? '' }, at: AT } as RiskEvent,
    ];
    given(due)
      .when(assess('possible', 'moderate'))
      .then([
        expect.objectContaining({ type: 'RiskAssessed', assessment: 2 }),
        expect.objectContaining({ taskId: 'r1-risk-assessment-review-2-1' }),
      ]);
  });

  it("a lifecycle's request supersedes the open tasks and records the cause", () => {
    given(history(identify, assess('likely', 'moderate')))
      .when({ type: 'RequestRiskReassessment', cause: { eventId: 'ev-9', type: 'ChangeRecorded', summary: 'new model' }, at: AT })
      .then([
        expect.objectContaining({ type: 'HumanTaskSuperseded', taskId: 'r1-risk-assessment-review-1-1' }),
        {
          type: 'RiskReassessmentDue',
          riskId: 'r1',
          cause: { kind: 'lifecycle', eventId: 'ev-9', type: 'ChangeRecorded', summary: 'new model' },
          at: AT,
        },
      ]);
  });
});

describe('the AI policy in force at the acceptance (5.2, A.2.2)', () => {
  const policy: AiPolicyVersionRef = {
    documentId: 'ai-policy',
    title: 'AI policy',
    version: 2,
    markdownDigest: `sha256:${'c'.repeat(64)}`,
    attachmentDigests: [],
    publishedAt: '2026-01-15T09:00:00.000Z',
  };
  const note = (policies: AiPolicyVersionRef[], decisionEventId = 'ev-acceptance'): RiskCommand => ({
    type: 'NoteAiPolicyAtAcceptance',
    decisionEventId,
    decidedAt: AT,
    policies,
    source: 'document evidence',
    at: AT,
  });
  const withResidual = (): RiskEvent[] => [
    ...treated(),
    ...(decide(residual('unlikely', 'minor'), stateOf(treated())) as { ok: true; value: RiskEvent[] }).value,
  ];
  const decided = (outcome: 'approved' | 'rejected'): RiskEvent[] => [
    ...withResidual(),
    ...(decide(task('r1-risk-acceptance-1-1', ravi, outcome), stateOf(withResidual())) as { ok: true; value: RiskEvent[] }).value,
  ];

  it('given an accepted risk, the versions in force are noted against it; the same decision again records nothing', () => {
    const { state } = given(decided('approved'))
      .when(note([policy]))
      .then([
        expect.objectContaining({
          type: 'AiPolicyAtAcceptanceNoted',
          outcome: 'approved',
          policies: [policy],
          decisionEventId: 'ev-acceptance',
        }),
      ]);
    expect((state as Risk).acceptancePolicy).toMatchObject({ outcome: 'approved', policies: [policy], notedAt: AT });
    given([...decided('approved'), ...(decide(note([policy]), stateOf(decided('approved'))) as { ok: true; value: RiskEvent[] }).value])
      .when(note([policy]))
      .then([]);
  });

  it('a refused acceptance is noted as refused; none in force is an empty list', () => {
    given(decided('rejected'))
      .when(note([]))
      .then([expect.objectContaining({ type: 'AiPolicyAtAcceptanceNoted', outcome: 'rejected', policies: [] })]);
  });

  it('before any acceptance is decided there is nothing to note; a malformed note names each bad field', () => {
    given(withResidual())
      .when(note([policy]))
      .then(expectError('HUMAN_TASK_UNKNOWN'));
    given(decided('approved'))
      .when({ ...note([{ ...policy, version: 0, markdownDigest: 'x' }]), decidedAt: 'soon' } as RiskCommand)
      .then(
        expectError('VALIDATION_FAILED', {
          issues: [
            { field: 'decidedAt', problem: expect.any(String) },
            { field: 'policies[0].version', problem: expect.any(String) },
            { field: 'policies[0].markdownDigest', problem: expect.any(String) },
          ],
        }),
      );
  });
});
