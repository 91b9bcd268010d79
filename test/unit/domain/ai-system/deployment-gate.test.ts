import {
  deploymentRequestView,
  evaluateDeploymentRequest,
  POLICY_AUTO_APPROVER,
  type AiSystemRecord,
  type DeploymentRequest,
} from '../../../../domain/ai-system';
import {
  after,
  approver,
  approver2,
  at,
  completeDeployment,
  decideTask,
  developer,
  DIGEST_A,
  DIGEST_B,
  evaluate,
  fieldsOf,
  given,
  ofType,
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
  when,
} from './scenario';

const request = (overrides: Partial<DeploymentRequest> = {}): DeploymentRequest => ({
  requestId: 'D-1',
  modelVersion: '1.0.0',
  artifactDigest: DIGEST_A,
  environment: 'production',
  commit: 'abc1234',
  requestedBy: { id: 'dev', role: 'engineer' },
  requestedAt: at(9),
  approvalTaskId: 'task-deploy-D-1',
  approval: null,
  ...overrides,
});

const gate = (s: AiSystemRecord, r: DeploymentRequest = request()) => evaluateDeploymentRequest(s, r, s.policy);
const codes = (d: ReturnType<typeof gate>) => (d.outcome === 'blocked' ? d.reasons.map((r) => r.code) : []);

describe('evaluateDeploymentRequest (pure gate, A.6.2.5)', () => {
  test('given everything in place for a high-risk system, when a deployment is requested, then pending with the approval task to open', () => {
    const s = registered(given(...toSignedOff()));
    const d = gate(s);
    expect(d.outcome).toBe('pending');
    if (d.outcome !== 'pending') return;
    expect(d.task).toEqual({
      taskId: 'task-deploy-D-1',
      kind: 'deployment_approval',
      requiredRoles: ['approver'],
      subject: { type: 'deployment', requestId: 'D-1', modelVersion: '1.0.0', artifactDigest: DIGEST_A, environment: 'production' },
      requestedBy: 'dev',
      dueAt: new Date(Date.parse(at(9)) + 2 * 24 * 3_600_000).toISOString(),
    });
  });

  test('given everything in place and an approval given, then allowed with that approval', () => {
    const s = registered(given(...toSignedOff()));
    const approval = { by: { id: 'bob', role: 'approver' as const }, at: at(10), automatic: false, taskId: 'task-deploy-D-1' };
    expect(gate(s, request({ approval }))).toEqual({ outcome: 'allowed', approval });
  });

  test('given a minimal-risk system whose policy auto-approves minimal, when every check passes, then allowed by policy', () => {
    const s = registered(given(...toSignedOff({ riskTier: 'minimal' })));
    expect(gate(s)).toEqual({ outcome: 'allowed', approval: { by: POLICY_AUTO_APPROVER, at: at(9), automatic: true, taskId: null } });
  });

  test('given no validation at all, then blocked with VALIDATION_MISSING', () => {
    expect(codes(gate(registered(given(...toValidation()))))).toEqual(['VALIDATION_MISSING']);
  });

  test('given validation of another digest, when deploying a digest that was never validated, then blocked with the mismatch and missing validation', () => {
    const s = registered(given(...toSignedOff()));
    expect(codes(gate(s, request({ artifactDigest: DIGEST_B })))).toEqual(['ARTIFACT_DIGEST_MISMATCH', 'VALIDATION_MISSING']);
  });

  test('given a passed but not signed-off validation, then blocked with VALIDATION_NOT_SIGNED_OFF', () => {
    expect(codes(gate(registered(given(...toValidation(), recordValidation(), evaluate()))))).toEqual(['VALIDATION_NOT_SIGNED_OFF']);
  });

  test('given a failed or not yet evaluated validation, then blocked with VALIDATION_NOT_PASSED', () => {
    const failing = recordValidation('V-1', '1.0.0', DIGEST_A, [
      { metric: 'auc', value: 0.1 },
      { metric: 'false_positive_rate', value: 0 },
    ]);
    expect(codes(gate(registered(given(...toValidation(), failing, evaluate()))))).toEqual(['VALIDATION_NOT_PASSED']);
    expect(codes(gate(registered(given(...toValidation(), recordValidation()))))).toEqual(['VALIDATION_NOT_PASSED']);
  });

  test('given no approved impact assessment and no version, then blocked with every reason at once', () => {
    const s = registered(given(register(), submitIa()));
    expect(codes(gate(s))).toEqual(['IMPACT_ASSESSMENT_MISSING', 'MODEL_VERSION_UNKNOWN', 'VALIDATION_MISSING']);
  });

  test('given an unacceptable-risk system, then blocked with PROHIBITED_RISK_TIER whatever else holds', () => {
    expect(codes(gate(registered(given(...toSignedOff({ riskTier: 'unacceptable' })))))).toEqual(['PROHIBITED_RISK_TIER']);
  });

  test('given an assessment past its validity period at the time of the request, then IMPACT_ASSESSMENT_NOT_CURRENT', () => {
    const s = registered(given(...toSignedOff({ policy: { impactAssessmentValidityMs: 60 * 60_000 } })));
    expect(gate(s).outcome).toBe('pending');
    expect(codes(gate(s, request({ requestedAt: at(2 + 60) })))).toEqual(['IMPACT_ASSESSMENT_NOT_CURRENT']);
  });

  test('given a malformed digest, then INVALID_ARTIFACT_DIGEST (and no digest-based checks)', () => {
    expect(codes(gate(registered(given(...toSignedOff())), request({ artifactDigest: 'latest' })))).toEqual(['INVALID_ARTIFACT_DIGEST']);
  });

  test('every blocking reason carries a message a caller can show', () => {
    const d = gate(registered(given(register())));
    expect(d.outcome).toBe('blocked');
    if (d.outcome === 'blocked') for (const r of d.reasons) expect(r.message.length).toBeGreaterThan(15);
  });
});

describe('deployment through decide', () => {
  test('given a signed-off version, when deployment is requested, then DeploymentRequested and an approval task; the view says pending', () => {
    const state = given(...toSignedOff());
    const result = when(state, requestDeployment());
    expect(types(thenEvents(result))).toEqual(['DeploymentRequested', 'HumanTaskOpened']);
    expect(ofType(thenEvents(result), 'DeploymentRequested').approvalTaskId).toBe('task-deploy-D-1');
    const next = after(state, result);
    expect(deploymentRequestView(next, 'D-1')).toMatchObject({
      outcome: 'pending',
      approvalTaskId: 'task-deploy-D-1',
      task: { kind: 'deployment_approval' },
    });
  });

  test('given a pending request, when another approver approves, then DeploymentApproved; when completed, the version is in production', () => {
    const state = given(...toSignedOff(), requestDeployment());
    const approved = when(state, decideTask('task-deploy-D-1', 'approved', approver2, 10));
    expect(types(thenEvents(approved))).toEqual(['HumanTaskDecided', 'DeploymentApproved']);
    expect(ofType(thenEvents(approved), 'DeploymentApproved').approval).toEqual({
      by: { id: 'bob', role: 'approver' },
      at: at(10),
      automatic: false,
      taskId: 'task-deploy-D-1',
    });
    const s2 = after(state, approved);
    expect(deploymentRequestView(s2, 'D-1')?.outcome).toBe('allowed');
    expect(s2.versions[0].status).toBe('approved_for_deployment');
    const completed = when(s2, completeDeployment());
    expect(types(thenEvents(completed))).toEqual(['DeploymentCompleted', 'LifecycleStageChanged']);
    const s3 = after(s2, completed);
    expect(s3.stage).toBe('in_production');
    expect(s3.versions[0].status).toBe('in_production');
    expect(s3.production).toEqual({
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      environment: 'production',
      requestId: 'D-1',
      since: at(11),
    });
    expect(deploymentRequestView(s3, 'D-1')?.outcome).toBe('completed');
  });

  test('given a pending request, when the requester (who is also an approver) approves it, then SEGREGATION_OF_DUTIES', () => {
    const requester = { id: 'alice', roles: ['approver' as const, 'engineer' as const] };
    const state = given(...toSignedOff(), requestDeployment('D-1', '1.0.0', DIGEST_A, 9, 'production', requester));
    thenError(when(state, decideTask('task-deploy-D-1', 'approved', approver, 10)), 'SEGREGATION_OF_DUTIES');
  });

  test('given a pending request, when a validator approves, then MISSING_ROLE', () => {
    thenError(
      when(given(...toSignedOff(), requestDeployment()), decideTask('task-deploy-D-1', 'approved', { id: 'v', roles: ['validator'] }, 10)),
      'MISSING_ROLE',
    );
  });

  test('given a pending request, when the approver refuses, then it is blocked with DEPLOYMENT_APPROVAL_REFUSED and cannot be completed', () => {
    const state = given(...toSignedOff(), requestDeployment());
    const result = when(state, decideTask('task-deploy-D-1', 'rejected', approver, 10, ['rollout plan missing']));
    expect(ofType(thenEvents(result), 'DeploymentBlocked').reasons).toEqual([
      { code: 'DEPLOYMENT_APPROVAL_REFUSED', message: 'alice refused the deployment: rollout plan missing' },
    ]);
    const next = after(state, result);
    expect(deploymentRequestView(next, 'D-1')).toMatchObject({ outcome: 'blocked' });
    thenError(when(next, completeDeployment()), 'DEPLOYMENT_NOT_APPROVED');
  });

  test('given no validation, when deployment is requested, then DeploymentRequested and DeploymentBlocked with the reasons; no task opens', () => {
    const state = given(...toValidation());
    const result = when(state, requestDeployment());
    expect(types(thenEvents(result))).toEqual(['DeploymentRequested', 'DeploymentBlocked']);
    expect(ofType(thenEvents(result), 'DeploymentRequested').approvalTaskId).toBeNull();
    expect(deploymentRequestView(after(state, result), 'D-1')).toMatchObject({
      outcome: 'blocked',
      reasons: [{ code: 'VALIDATION_MISSING' }],
    });
  });

  test('given a signed-off 1.0.0, when a request names another digest, then blocked (validation must match the exact digest)', () => {
    const events = thenEvents(when(given(...toSignedOff()), requestDeployment('D-1', '1.0.0', DIGEST_B)));
    expect(ofType(events, 'DeploymentBlocked').reasons.map((r) => r.code)).toEqual(['ARTIFACT_DIGEST_MISMATCH', 'VALIDATION_MISSING']);
  });

  test('given a minimal-risk system, when every check passes, then approved by policy at once', () => {
    const events = thenEvents(when(given(...toSignedOff({ riskTier: 'minimal' })), requestDeployment()));
    expect(types(events)).toEqual(['DeploymentRequested', 'DeploymentApproved']);
    expect(ofType(events, 'DeploymentApproved').by).toEqual(POLICY_AUTO_APPROVER);
  });

  test('given an approved request, when completing it twice, then DEPLOYMENT_ALREADY_COMPLETED; unknown request, DEPLOYMENT_REQUEST_UNKNOWN', () => {
    const state = given(...toProduction());
    thenError(when(state, completeDeployment()), 'DEPLOYMENT_ALREADY_COMPLETED');
    thenError(when(state, completeDeployment('D-9')), 'DEPLOYMENT_REQUEST_UNKNOWN');
  });

  test('given a pending request, when completion is reported before approval, then DEPLOYMENT_NOT_APPROVED', () => {
    thenError(when(given(...toSignedOff(), requestDeployment()), completeDeployment()), 'DEPLOYMENT_NOT_APPROVED');
  });

  test('given an approved request whose assessment then expires, when completion is reported, then DEPLOYMENT_NO_LONGER_ALLOWED', () => {
    const state = given(
      ...toSignedOff({ policy: { impactAssessmentValidityMs: 10 * 60_000 } }),
      requestDeployment(),
      decideTask('task-deploy-D-1', 'approved', approver2, 10),
    );
    const error = thenError(when(state, completeDeployment('D-1', 13)), 'DEPLOYMENT_NO_LONGER_ALLOWED');
    expect(error.details.reasons).toEqual([expect.objectContaining({ code: 'IMPACT_ASSESSMENT_NOT_CURRENT' })]);
  });

  test('when request ids repeat or fields are missing, then DUPLICATE_ID / VALIDATION_FAILED / INVALID_ARTIFACT_DIGEST', () => {
    const state = given(...toSignedOff(), requestDeployment());
    thenError(when(state, { ...requestDeployment(), commit: 'other' } as never), 'DUPLICATE_ID');
    expect(fieldsOf(thenError(when(state, { ...requestDeployment('D-2'), environment: '' } as never), 'VALIDATION_FAILED'))).toEqual([
      'environment',
    ]);
    thenError(when(state, requestDeployment('D-2', '1.0.0', 'sha256:123')), 'INVALID_ARTIFACT_DIGEST');
  });

  test('given a request whose approval task id is taken, when it would be pending, then DUPLICATE_ID', () => {
    const state = given(...toSignedOff());
    thenError(when(state, { ...requestDeployment('D-2'), approvalTaskId: 'task-IA-1' } as never), 'DUPLICATE_ID');
  });

  test('given a staging environment, when its deployment completes, then the version is recorded there and the stage does not change', () => {
    const state = given(
      ...toSignedOff(),
      requestDeployment('D-S', '1.0.0', DIGEST_A, 9, 'staging'),
      decideTask('task-deploy-D-S', 'approved', approver, 10),
    );
    const result = when(state, completeDeployment('D-S'));
    expect(types(thenEvents(result))).toEqual(['DeploymentCompleted']);
    const next = after(state, result);
    expect(next.stage).toBe('deployment_approval');
    expect(next.production).toBeNull();
    expect(next.versions[0].deployedEnvironments).toEqual(['staging']);
  });

  test('given 1.0.0 in production and 1.1.0 validated and approved, when 1.1.0 completes, then 1.0.0 is retired', () => {
    const state = given(
      ...toProduction(),
      propose('1.1.0', DIGEST_B, 12),
      recordValidation('V-2', '1.1.0', DIGEST_B, undefined, 13),
      evaluate('V-2', 'task-signoff-V-2', 14),
      decideTask('task-signoff-V-2', 'approved', { id: 'vera', roles: ['validator'] }, 15),
      requestDeployment('D-2', '1.1.0', DIGEST_B, 16),
      decideTask('task-deploy-D-2', 'approved', approver2, 17),
    );
    const result = when(state, completeDeployment('D-2', 18));
    expect(ofType(thenEvents(result), 'DeploymentCompleted').replacedVersion).toBe('1.0.0');
    const next = after(state, result);
    expect(next.versions.map((v) => [v.modelVersion, v.status])).toEqual([
      ['1.0.0', 'retired'],
      ['1.1.0', 'in_production'],
    ]);
    expect(next.stage).toBe('in_production');
    expect(developer.roles).toEqual(['engineer']);
  });
});
