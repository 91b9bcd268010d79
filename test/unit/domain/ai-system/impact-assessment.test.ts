import { type Actor } from '../../../../domain/ai-system';
import {
  after,
  approver,
  at,
  decideTask,
  fieldsOf,
  given,
  iaContent,
  issuesOf,
  ofType,
  owner,
  register,
  registered,
  riskOwner,
  submitIa,
  thenError,
  thenEvents,
  types,
  validator,
  when,
} from './scenario';

describe('impact assessment gate (6.1.4, 8.4, A.5)', () => {
  test('given a registered system, when an assessment is submitted, then it is under review, a review task is open and the stage moves', () => {
    const state = given(register());
    const result = when(state, submitIa());
    expect(types(thenEvents(result))).toEqual(['ImpactAssessmentSubmitted', 'HumanTaskOpened', 'LifecycleStageChanged']);
    const task = ofType(thenEvents(result), 'HumanTaskOpened');
    expect(task).toMatchObject({
      taskId: 'task-IA-1',
      kind: 'impact_assessment_review',
      requiredRoles: ['approver', 'risk_owner'],
      subject: { type: 'impact_assessment', assessmentId: 'IA-1', revision: 1 },
      requestedBy: 'olivia',
      dueAt: new Date(Date.parse(at(1)) + 5 * 24 * 3_600_000).toISOString(),
    });
    expect(ofType(thenEvents(result), 'LifecycleStageChanged')).toMatchObject({ from: 'registered', to: 'impact_assessment' });
    const next = after(state, result);
    expect(next.impactAssessments[0].status).toBe('under_review');
  });

  test('given an assessment under review, when an approver who is not the author approves, then it is approved and the stage moves to validation', () => {
    const state = given(register(), submitIa());
    const result = when(state, decideTask('task-IA-1', 'approved', approver, 2));
    expect(types(thenEvents(result))).toEqual(['HumanTaskDecided', 'ImpactAssessmentApproved', 'LifecycleStageChanged']);
    expect(ofType(thenEvents(result), 'HumanTaskDecided').by).toEqual({ id: 'alice', role: 'approver' });
    const next = after(state, result);
    expect(next.stage).toBe('validation');
    expect(next.approvedImpactAssessmentId).toBe('IA-1');
    expect(next.tasks[0].status).toBe('decided');
  });

  test('given an assessment under review, when a risk owner approves, then it is approved (risk_owner may accept impacts)', () => {
    thenEvents(when(given(register(), submitIa()), decideTask('task-IA-1', 'approved', riskOwner, 2)));
  });

  test('given an assessment authored by an approver, when the author approves it, then SEGREGATION_OF_DUTIES', () => {
    const authorApprover: Actor = { id: 'alice', roles: ['approver', 'engineer'] };
    const state = given(register(), submitIa('IA-1', 'task-IA-1', 1, authorApprover));
    const error = thenError(when(state, decideTask('task-IA-1', 'approved', authorApprover, 2)), 'SEGREGATION_OF_DUTIES');
    expect(error.details).toMatchObject({ taskId: 'task-IA-1', actorId: 'alice', requestedBy: 'alice' });
  });

  test('given an assessment under review, when someone without the approver or risk-owner role decides, then MISSING_ROLE', () => {
    const error = thenError(when(given(register(), submitIa()), decideTask('task-IA-1', 'approved', validator, 2)), 'MISSING_ROLE');
    expect(error.details.requiredRoles).toEqual(['approver', 'risk_owner']);
  });

  test('given an assessment under review, when it is rejected with reasons, then it goes back: stage stays, a new submission is accepted', () => {
    const state = given(register(), submitIa());
    const result = when(state, decideTask('task-IA-1', 'rejected', approver, 2, ['societal impact not assessed']));
    expect(types(thenEvents(result))).toEqual(['HumanTaskDecided', 'ImpactAssessmentRejected']);
    expect(ofType(thenEvents(result), 'ImpactAssessmentRejected').reasons).toEqual(['societal impact not assessed']);
    const next = after(state, result);
    expect(next.stage).toBe('impact_assessment');
    const resubmitted = thenEvents(when(next, submitIa('IA-2', 'task-IA-2', 3)));
    expect(ofType(resubmitted, 'ImpactAssessmentSubmitted').revision).toBe(2);
    expect(types(resubmitted)).not.toContain('LifecycleStageChanged');
  });

  test('given an assessment under review, when changes are requested, then it records the reasons and a revision is then approved', () => {
    const state = given(
      register(),
      submitIa(),
      decideTask('task-IA-1', 'changes_requested', approver, 2, ['add mitigation owner']),
      submitIa('IA-2', 'task-IA-2', 3),
    );
    expect(registered(state).impactAssessments.map((a) => [a.assessmentId, a.status, a.reasons])).toEqual([
      ['IA-1', 'changes_requested', ['add mitigation owner']],
      ['IA-2', 'under_review', []],
    ]);
    const next = after(state, when(state, decideTask('task-IA-2', 'approved', approver, 4)));
    expect(next.stage).toBe('validation');
    expect(next.approvedImpactAssessmentId).toBe('IA-2');
  });

  test('when rejecting or requesting changes without a reason, then HUMAN_TASK_REASON_REQUIRED', () => {
    const state = given(register(), submitIa());
    thenError(when(state, decideTask('task-IA-1', 'rejected', approver, 2, [])), 'HUMAN_TASK_REASON_REQUIRED');
    thenError(when(state, decideTask('task-IA-1', 'changes_requested', approver, 2, ['  '])), 'HUMAN_TASK_REASON_REQUIRED');
  });

  test('given a decided review, when it is decided again, then HUMAN_TASK_CLOSED', () => {
    const state = given(register(), submitIa(), decideTask('task-IA-1', 'approved', approver, 2));
    thenError(when(state, decideTask('task-IA-1', 'rejected', riskOwner, 3)), 'HUMAN_TASK_CLOSED');
  });

  test('when an unknown task is decided, then HUMAN_TASK_UNKNOWN', () => {
    thenError(when(given(register(), submitIa()), decideTask('nope', 'approved', approver, 2)), 'HUMAN_TASK_UNKNOWN');
  });

  test('given an assessment under review, when another is submitted, then IMPACT_ASSESSMENT_UNDER_REVIEW', () => {
    thenError(when(given(register(), submitIa()), submitIa('IA-2', 'task-IA-2', 2)), 'IMPACT_ASSESSMENT_UNDER_REVIEW');
  });

  test('given an approved, current assessment, when another is submitted, then IMPACT_ASSESSMENT_ALREADY_CURRENT', () => {
    const state = given(register(), submitIa(), decideTask('task-IA-1', 'approved', approver, 2));
    thenError(when(state, submitIa('IA-2', 'task-IA-2', 3)), 'IMPACT_ASSESSMENT_ALREADY_CURRENT');
  });

  test('given an approved assessment past its validity period, when a new one is submitted, then it is accepted and the stage goes back', () => {
    const state = given(
      register({ policy: { impactAssessmentValidityMs: 60_000 } }),
      submitIa(),
      decideTask('task-IA-1', 'approved', approver, 2),
    );
    const events = thenEvents(when(state, submitIa('IA-2', 'task-IA-2', 10)));
    expect(ofType(events, 'LifecycleStageChanged')).toMatchObject({ from: 'validation', to: 'impact_assessment' });
  });

  test('when the assessment leaves out society, then IMPACT_ASSESSMENT_INCOMPLETE', () => {
    const content = iaContent();
    content.affectedParties.society = '';
    const error = thenError(when(given(register()), { ...submitIa(), content } as never), 'IMPACT_ASSESSMENT_INCOMPLETE');
    expect(issuesOf(error)).toEqual([{ field: 'content.affectedParties.society', problem: 'must be a non-empty string' }]);
  });

  test('when an impact has an unknown severity, or a mitigation points at an unknown impact, then IMPACT_ASSESSMENT_INCOMPLETE', () => {
    const content = iaContent();
    content.impacts[2] = { ...content.impacts[2], severity: 'huge' as never };
    content.mitigations.push({ mitigationId: 'M2', description: 'x', addressesImpactIds: ['I9'], owner: null });
    const error = thenError(when(given(register()), { ...submitIa(), content } as never), 'IMPACT_ASSESSMENT_INCOMPLETE');
    expect(fieldsOf(error)).toEqual(['content.impacts[2].severity', 'content.mitigations[1].addressesImpactIds']);
  });

  test('when there are no impacts at all, then IMPACT_ASSESSMENT_INCOMPLETE', () => {
    const content = { ...iaContent(), impacts: [], mitigations: [] };
    thenError(when(given(register()), { ...submitIa(), content } as never), 'IMPACT_ASSESSMENT_INCOMPLETE');
  });

  test('when a major impact has no mitigation, then IMPACT_WITHOUT_MITIGATION names it', () => {
    const content = { ...iaContent(), mitigations: [] };
    const error = thenError(when(given(register()), { ...submitIa(), content } as never), 'IMPACT_WITHOUT_MITIGATION');
    expect(error.details.impactIds).toEqual(['I1']);
  });

  test('when assessment or task ids are reused, then DUPLICATE_ID', () => {
    const state = given(register(), submitIa(), decideTask('task-IA-1', 'rejected', approver, 2));
    thenError(when(state, submitIa('IA-1', 'task-other', 3)), 'DUPLICATE_ID');
    thenError(when(state, submitIa('IA-9', 'task-IA-1', 3)), 'DUPLICATE_ID');
  });

  test('the author is recorded as the requester so the same person can never approve it, even as risk owner', () => {
    const both: Actor = { id: 'rita', roles: ['risk_owner'] };
    const state = given(register(), submitIa('IA-1', 'task-IA-1', 1, both));
    thenError(when(state, decideTask('task-IA-1', 'approved', both, 2)), 'SEGREGATION_OF_DUTIES');
    expect(owner.id).not.toBe(both.id);
  });
});
