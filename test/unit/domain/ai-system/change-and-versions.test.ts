import { deploymentRequestView, evaluateDeploymentRequest, type AiSystemCommand } from '../../../../domain/ai-system';
import {
  after,
  approver,
  approver2,
  at,
  completeDeployment,
  decideTask,
  DIGEST_A,
  DIGEST_B,
  evaluate,
  fieldsOf,
  given,
  ofType,
  owner,
  propose,
  recordValidation,
  register,
  registered,
  requestDeployment,
  submitIa,
  thenError,
  thenEvents,
  toProduction,
  toSignedOff,
  toValidation,
  types,
  validator,
  when,
} from './scenario';

const change = (changeId: string, significant: boolean, minute: number, amendments: Record<string, unknown> = {}): AiSystemCommand => ({
  type: 'RecordChange',
  changeId,
  description: 'Now also used for small-business loans',
  significant,
  amendments,
  by: owner,
  at: at(minute),
});

describe('a new model version loops back to validation', () => {
  test('given a version in production, when a new version is proposed, then the stage goes back to validation and production is untouched', () => {
    const state = given(...toProduction());
    const result = when(state, propose('1.1.0', DIGEST_B, 12));
    expect(types(thenEvents(result))).toEqual(['ModelVersionProposed', 'LifecycleStageChanged']);
    expect(ofType(thenEvents(result), 'ModelVersionProposed').supersedes).toEqual([]);
    expect(ofType(thenEvents(result), 'LifecycleStageChanged')).toMatchObject({
      from: 'in_production',
      to: 'validation',
      cause: 'ModelVersionProposed',
    });
    const next = after(state, result);
    expect(next.production?.modelVersion).toBe('1.0.0');
    expect(next.versions.map((v) => v.status)).toEqual(['in_production', 'proposed']);
    expect(next.candidateVersion).toBe('1.1.0');
  });

  test('given 1.0.0 awaiting sign-off, when 1.1.0 is proposed, then 1.0.0 is superseded and its sign-off task closed; deciding it is refused', () => {
    const state = given(...toValidation(), recordValidation(), evaluate());
    const result = when(state, propose('1.1.0', DIGEST_B, 8));
    expect(types(thenEvents(result))).toEqual(['ModelVersionProposed', 'HumanTaskSuperseded']);
    expect(ofType(thenEvents(result), 'ModelVersionProposed').supersedes).toEqual(['1.0.0']);
    const next = after(state, result);
    expect(next.validations[0].status).toBe('superseded');
    const error = thenError(when(next, decideTask('task-signoff-V-1', 'approved', validator, 9)), 'HUMAN_TASK_SUPERSEDED');
    expect(error.details.subject).toMatchObject({ modelVersion: '1.0.0' });
  });

  test('given a pending deployment approval for 1.0.0, when 1.1.0 is proposed, then the request is blocked (superseded) and its task closed', () => {
    const state = given(...toSignedOff(), requestDeployment());
    const result = when(state, propose('1.1.0', DIGEST_B, 10));
    expect(types(thenEvents(result))).toEqual([
      'ModelVersionProposed',
      'LifecycleStageChanged',
      'HumanTaskSuperseded',
      'DeploymentBlocked',
    ]);
    expect(ofType(thenEvents(result), 'DeploymentBlocked').reasons.map((r) => r.code)).toEqual(['MODEL_VERSION_SUPERSEDED']);
    const next = after(state, result);
    expect(deploymentRequestView(next, 'D-1')?.outcome).toBe('blocked');
    thenError(when(next, decideTask('task-deploy-D-1', 'approved', approver2, 11)), 'HUMAN_TASK_SUPERSEDED');
  });

  test('given an approved, not yet completed deployment of 1.0.0, when 1.1.0 is proposed, then that approval is withdrawn (blocked)', () => {
    const state = given(...toSignedOff(), requestDeployment(), decideTask('task-deploy-D-1', 'approved', approver2, 10));
    const next = after(state, when(state, propose('1.1.0', DIGEST_B, 11)));
    expect(deploymentRequestView(next, 'D-1')?.outcome).toBe('blocked');
    thenError(when(next, completeDeployment('D-1', 12)), 'DEPLOYMENT_NOT_APPROVED');
  });

  test('when a version string or artifact digest is reused, then MODEL_VERSION_EXISTS / ARTIFACT_DIGEST_ALREADY_REGISTERED; a bad digest, INVALID_ARTIFACT_DIGEST', () => {
    const state = given(...toValidation());
    thenError(when(state, propose('1.0.0', DIGEST_B, 6)), 'MODEL_VERSION_EXISTS');
    thenError(when(state, propose('2.0.0', DIGEST_A, 6)), 'ARTIFACT_DIGEST_ALREADY_REGISTERED');
    thenError(when(state, propose('2.0.0', 'sha256:zz', 6)), 'INVALID_ARTIFACT_DIGEST');
  });

  test('given a superseded version, when results are recorded for it, then MODEL_VERSION_NOT_CURRENT', () => {
    const state = given(...toValidation(), propose('1.1.0', DIGEST_B, 6));
    thenError(when(state, recordValidation('V-1', '1.0.0', DIGEST_A, undefined, 7)), 'MODEL_VERSION_NOT_CURRENT');
  });

  test('given versions proposed before any assessment, the stage stays registered (validation waits for the assessment)', () => {
    const state = given(register(), propose('0.1.0', DIGEST_A, 1));
    expect(registered(state).stage).toBe('registered');
  });
});

describe('a significant change loops back to impact assessment (6.3, 8.4)', () => {
  test('given a version in production, when a significant change is recorded, then the assessment is outdated and the stage is impact assessment', () => {
    const state = given(...toProduction());
    const result = when(state, change('CH-1', true, 12, { intendedUse: 'Also small-business loans' }));
    expect(types(thenEvents(result))).toEqual(['ChangeRecorded', 'LifecycleStageChanged']);
    const next = after(state, result);
    expect(next.stage).toBe('impact_assessment');
    expect(next.profile.intendedUse).toBe('Also small-business loans');
    expect(next.impactAssessments[0].status).toBe('outdated');
    // production keeps running (and being monitored), but nothing new can be deployed
    expect(next.production?.modelVersion).toBe('1.0.0');
    const d = evaluateDeploymentRequest(
      next,
      {
        requestId: 'D-2',
        modelVersion: '1.0.0',
        artifactDigest: DIGEST_A,
        environment: 'production',
        commit: 'c',
        requestedBy: { id: 'dev', role: 'engineer' },
        requestedAt: at(13),
        approvalTaskId: 't',
        approval: null,
      },
      next.policy,
    );
    expect(d.outcome === 'blocked' && d.reasons.map((r) => r.code)).toEqual(['IMPACT_ASSESSMENT_NOT_CURRENT']);
  });

  test('given a significant change, when the reassessment is approved, then the old validation is outdated until the version is validated again', () => {
    const state = given(
      ...toProduction(),
      change('CH-1', true, 12),
      submitIa('IA-2', 'task-IA-2', 13),
      decideTask('task-IA-2', 'approved', approver, 14),
    );
    expect(registered(state).stage).toBe('validation');
    const blocked = thenEvents(when(state, requestDeployment('D-2', '1.0.0', DIGEST_A, 15)));
    expect(ofType(blocked, 'DeploymentBlocked').reasons.map((r) => r.code)).toEqual(['VALIDATION_OUTDATED']);
    // re-validating the version in production under the new assessment opens the way again
    const revalidated = given(
      ...toProduction(),
      change('CH-1', true, 12),
      submitIa('IA-2', 'task-IA-2', 13),
      decideTask('task-IA-2', 'approved', approver, 14),
      recordValidation('V-2', '1.0.0', DIGEST_A, undefined, 15),
      evaluate('V-2', 'task-signoff-V-2', 16),
      decideTask('task-signoff-V-2', 'approved', validator, 17),
    );
    expect(registered(revalidated).stage).toBe('deployment_approval');
    expect(types(thenEvents(when(revalidated, requestDeployment('D-2', '1.0.0', DIGEST_A, 18))))).toEqual([
      'DeploymentRequested',
      'HumanTaskOpened',
    ]);
  });

  test('given an assessment under review, when a significant change is recorded, then it is withdrawn and its review task superseded', () => {
    const state = given(register(), submitIa());
    const result = when(state, change('CH-1', true, 2));
    expect(types(thenEvents(result))).toEqual(['ChangeRecorded', 'HumanTaskSuperseded']);
    const next = after(state, result);
    expect(next.impactAssessments[0].status).toBe('withdrawn');
    thenError(when(next, decideTask('task-IA-1', 'approved', approver, 3)), 'HUMAN_TASK_SUPERSEDED');
    thenEvents(when(next, submitIa('IA-2', 'task-IA-2', 3)));
  });

  test('given a validation awaiting sign-off, when a significant change is recorded, then the sign-off task is superseded', () => {
    const state = given(...toValidation(), recordValidation(), evaluate());
    const events = thenEvents(when(state, change('CH-1', true, 8)));
    expect(types(events)).toEqual(['ChangeRecorded', 'LifecycleStageChanged', 'HumanTaskSuperseded']);
  });

  test('given a version in production, when a change that is not significant is recorded, then the stage and assessment stay', () => {
    const state = given(...toProduction());
    const result = when(state, change('CH-1', false, 12, { name: 'Credit assistant v2', owner: 'oscar' }));
    expect(types(thenEvents(result))).toEqual(['ChangeRecorded']);
    const next = after(state, result);
    expect(next.stage).toBe('in_production');
    expect(next.profile).toMatchObject({ name: 'Credit assistant v2', owner: 'oscar' });
    expect(next.impactAssessments[0].status).toBe('approved');
  });

  test('when a change to intended use, risk tier or acceptance criteria is not marked significant, then CHANGE_MUST_BE_SIGNIFICANT', () => {
    const state = given(...toProduction());
    const error = thenError(
      when(state, change('CH-1', false, 12, { riskTier: 'limited', intendedUse: 'x' })),
      'CHANGE_MUST_BE_SIGNIFICANT',
    );
    expect(error.details.fields).toEqual(['intendedUse', 'riskTier']);
  });

  test('when amendments are malformed or the change id repeats, then VALIDATION_FAILED / DUPLICATE_ID', () => {
    const state = given(...toProduction(), change('CH-1', false, 12));
    expect(fieldsOf(thenError(when(state, change('CH-2', true, 13, { riskTier: 'mega' })), 'VALIDATION_FAILED'))).toEqual([
      'amendments.riskTier',
    ]);
    expect(fieldsOf(thenError(when(state, change('CH-2', true, 13, { acceptanceCriteria: [] })), 'VALIDATION_FAILED'))).toEqual([
      'amendments.acceptanceCriteria',
    ]);
    thenError(when(state, change('CH-1', false, 13)), 'DUPLICATE_ID');
  });

  test('given a new acceptance criterion by significant change, the next validation is judged against it', () => {
    const state = given(
      ...toProduction(),
      change('CH-1', true, 12, { acceptanceCriteria: [{ metric: 'auc', direction: 'higher_is_better', threshold: 0.9 }] }),
      submitIa('IA-2', 'task-IA-2', 13),
      decideTask('task-IA-2', 'approved', approver, 14),
      recordValidation('V-2', '1.0.0', DIGEST_A, undefined, 15),
    );
    const evaluated = ofType(thenEvents(when(state, evaluate('V-2', 'task-signoff-V-2', 16))), 'AcceptanceCriteriaEvaluated');
    expect(evaluated.passed).toBe(false);
    expect(evaluated.results).toEqual([{ metric: 'auc', direction: 'higher_is_better', threshold: 0.9, value: 0.86, passed: false }]);
  });
});
