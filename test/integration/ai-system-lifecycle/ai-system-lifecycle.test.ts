/**
 * The AI-system lifecycle workflow on a real Temporal dev server, with a real worker and a real SQLite
 * evidence store: the gates, walked as the people who would walk them. Every run ends with the evidence
 * check (exactly the steps the test lists, in order; folding to the workflow's own state; chain intact).
 * Refused updates: refused-updates.test.ts; what time does: lifecycle-time.test.ts. With
 * AIMS_RECORD_HISTORIES=1 the runs' histories are written as the replay fixtures that
 * test/integration/replay/recorded-histories.replay.test.ts replays.
 */
import {
  closeNonconformityUpdate,
  completeDecommissioningUpdate,
  decideTaskUpdate,
  deploymentRequestQuery,
  proposeModelVersionUpdate,
  recordChangeUpdate,
  recordDataQualityCheckUpdate,
  recordDatasetUpdate,
  recordDeploymentCompletedUpdate,
  recordMonitoringReportUpdate,
  recordValidationResultsUpdate,
  reportIncidentUpdate,
  requestDecommissioningUpdate,
  requestDeploymentUpdate,
  stateQuery,
  submitImpactAssessmentUpdate,
  versionsQuery,
} from '../../../workflows/ai-system-lifecycle.workflow';
import {
  beginLifecycle,
  dataset,
  deploymentRequest,
  DIGEST_A,
  DIGEST_B,
  driveToSignedOff,
  driveToValidation,
  EVIDENCE_TO_SIGNED_OFF,
  EVIDENCE_TO_VALIDATION,
  expectEvidenceMatchesDomain,
  goodMetrics,
  iaContent,
  passingQuality,
  people,
  recordHistoryFixture,
  registeredRecord,
  registration,
  startHarness,
  type Harness,
} from './lifecycle-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const window = { from: '2025-01-01T00:00:00.000Z', to: '2025-01-08T00:00:00.000Z' };

describe('aiSystemLifecycle on a real Temporal dev server', () => {
  test('given a registered high-risk system, when it is driven through every gate, then it ends decommissioned with every step in the evidence', async () => {
    const d = await beginLifecycle(h, registration('credit-scoring'));

    // impact assessment gate
    const ia = await d.send(submitImpactAssessmentUpdate, { by: people.erin, assessmentId: 'IA-1', content: iaContent() });
    expect(ia).toMatchObject({
      assessmentId: 'IA-1',
      revision: 1,
      stage: 'impact_assessment',
      openedTasks: [{ kind: 'impact_assessment_review', requiredRoles: ['approver', 'risk_owner'] }],
    });
    const approved = await d.send(decideTaskUpdate, {
      by: people.alice,
      taskId: ia.reviewTaskId,
      outcome: 'approved',
      comment: 'mitigations adequate',
      evidenceRefs: ['DOC-17'],
    });
    expect(approved.stage).toBe('validation');

    // data and validation; the acceptance-criteria activity judges the metrics
    await d.send(recordDatasetUpdate, { by: people.erin, ...dataset('DS-1') });
    expect(await d.send(recordDataQualityCheckUpdate, { by: people.ci, ...passingQuality('DS-1') })).toMatchObject({ passed: true });
    await d.send(proposeModelVersionUpdate, { by: people.ci, modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first model' });
    const validation = await d.send(recordValidationResultsUpdate, {
      by: people.ci,
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      datasetIds: ['DS-1'],
      metrics: goodMetrics,
    });
    expect(validation.evaluation).toEqual({
      passed: true,
      results: [
        { metric: 'auc', direction: 'higher_is_better', threshold: 0.8, value: 0.86, passed: true },
        { metric: 'false_positive_rate', direction: 'lower_is_better', threshold: 0.1, value: 0.07, passed: true },
      ],
    });
    expect(validation.openedTasks).toMatchObject([
      { kind: 'validation_sign_off', requiredRoles: ['validator'], requestedBy: 'ci-pipeline' },
    ]);
    expect(
      (await d.send(decideTaskUpdate, { by: people.victor, taskId: validation.signOffTaskId as string, outcome: 'approved' })).stage,
    ).toBe('deployment_approval');

    // deployment gate: pending, approved by a person, completed; the same request again is answered from the
    // record, and the repeat itself is recorded (DEPLOYMENT_REPEATS_PATCH)
    const gate = await d.send(requestDeploymentUpdate, deploymentRequest('deploy-1'));
    expect(gate).toMatchObject({
      outcome: 'pending',
      status: 'pending_approval',
      reasons: [],
      task: { kind: 'deployment_approval', requiredRoles: ['approver'] },
      repeated: false,
    });
    await d.send(decideTaskUpdate, { by: people.alice, taskId: gate.approvalTaskId as string, outcome: 'approved' });
    expect(await d.send(requestDeploymentUpdate, deploymentRequest('deploy-1'))).toMatchObject({
      outcome: 'allowed',
      status: 'approved',
      recorded: [{ type: 'DeploymentRequestRepeated' }],
      repeated: true,
    });
    expect(await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' })).toMatchObject({
      production: true,
      stage: 'in_production',
    });
    expect(await d.handle.query(versionsQuery)).toMatchObject([
      { modelVersion: '1.0.0', artifactDigest: DIGEST_A, status: 'in_production' },
    ]);

    // monitoring: a report within thresholds, a breach (a nonconformity reference), an incident
    expect(await d.send(recordMonitoringReportUpdate, { by: people.ci, window, metrics: goodMetrics })).toMatchObject({
      reportId: 'report-1',
      breaches: [],
    });
    const breach = await d.send(recordMonitoringReportUpdate, {
      by: people.ci,
      window,
      metrics: [
        { metric: 'auc', value: 0.71 },
        { metric: 'false_positive_rate', value: 0.05 },
      ],
    });
    expect(breach).toMatchObject({
      reportId: 'report-2',
      breaches: [{ metric: 'auc', value: 0.71, threshold: 0.8 }],
      nonconformitiesOpened: [expect.stringMatching(/^aims:nc-credit_scoring-report_2_auc-[0-9a-f]{16}$/)],
    });
    const incident = await d.send(reportIncidentUpdate, {
      by: people.erin,
      severity: 'high',
      description: 'Scores drifted for one branch',
    });
    expect(incident).toMatchObject({
      incidentId: 'incident-1',
      nonconformityId: expect.stringMatching(/^aims:nc-credit_scoring-incident_1-[0-9a-f]{16}$/),
    });
    await d.send(closeNonconformityUpdate, {
      by: people.rita,
      nonconformityId: incident.nonconformityId as string,
      resolution: 'Branch data feed repaired',
    });
    expect(
      await d.send(recordChangeUpdate, {
        by: people.erin,
        description: 'Display name',
        significant: false,
        amendments: { name: 'Credit scoring' },
      }),
    ).toMatchObject({ stage: 'in_production' });

    // decommissioning: request → approval → record of reason and data retention → completed
    const decommissioning = await d.send(requestDecommissioningUpdate, { by: people.erin, reason: 'Replaced by the group-wide model' });
    expect(decommissioning).toMatchObject({ stage: 'decommissioning', openedTasks: [{ kind: 'decommissioning_approval' }] });
    await d.send(decideTaskUpdate, { by: people.bob, taskId: decommissioning.approvalTaskId, outcome: 'approved' });
    await d.send(completeDecommissioningUpdate, {
      by: people.erin,
      dataRetention: { decision: 'archive', retainUntil: '2032-12-31T00:00:00.000Z', justification: 'Credit files are kept seven years' },
    });

    const final = await d.handle.result();
    expect(final).toMatchObject({
      systemId: 'credit-scoring',
      stage: 'decommissioned',
      openTasks: [],
      versions: [{ modelVersion: '1.0.0', status: 'retired' }],
    });
    const events = await expectEvidenceMatchesDomain(d, [
      'AiSystemRegistered',
      'ImpactAssessmentSubmitted',
      'HumanTaskOpened',
      'LifecycleStageChanged',
      'HumanTaskDecided',
      'ImpactAssessmentApproved',
      'LifecycleStageChanged',
      'DatasetRecorded',
      'DataQualityCheckRecorded',
      'ModelVersionProposed',
      'ValidationResultsRecorded',
      'AcceptanceCriteriaEvaluated',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'ValidationSignedOff',
      'LifecycleStageChanged',
      'DeploymentRequested',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'DeploymentApproved',
      'AiPolicyAtGateNoted',
      'DeploymentRequestRepeated',
      'DeploymentCompleted',
      'LifecycleStageChanged',
      'MonitoringReportRecorded',
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
      'IncidentReported',
      'NonconformityOpened',
      'NonconformityClosed',
      'ChangeRecorded',
      'DecommissioningRequested',
      'HumanTaskOpened',
      'LifecycleStageChanged',
      'HumanTaskDecided',
      'DecommissioningApproved',
      'AiSystemDecommissioned',
      'LifecycleStageChanged',
    ]);
    // Metadata names whoever acted; automatic steps are the system's.
    expect(events.find((e) => e.type === 'HumanTaskDecided')?.metadata.actor).toEqual({ id: 'alice', role: 'approver' });
    expect(events.find((e) => e.type === 'HumanTaskDecided')?.data).toMatchObject({
      comment: 'mitigations adequate',
      evidenceRefs: ['DOC-17'],
    });
    expect(events.find((e) => e.type === 'AcceptanceCriteriaEvaluated')?.metadata.actor).toEqual({ id: 'aims:lifecycle', role: 'system' });
    expect(events.find((e) => e.type === 'DeploymentRequested')?.metadata.actor).toEqual({ id: 'ci-pipeline', role: 'ci' });
    await recordHistoryFixture(d.handle, 'full-path');
  });

  test('given a submitted impact assessment, when it is rejected, then changes are requested, then it is approved: each sent back with its reasons', async () => {
    const d = await beginLifecycle(h, registration('loan-pricing'));
    const first = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
    const rejected = await d.send(decideTaskUpdate, {
      by: people.rita,
      taskId: first.reviewTaskId,
      outcome: 'rejected',
      reasons: ['Society-level impact is not assessed'],
    });
    expect(rejected).toMatchObject({ outcome: 'rejected', stage: 'impact_assessment' });

    const second = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
    expect(second).toMatchObject({ assessmentId: 'ia-2', revision: 2 });
    await d.send(decideTaskUpdate, {
      by: people.alice,
      taskId: second.reviewTaskId,
      outcome: 'changes_requested',
      reasons: ['Name an owner for mitigation M1'],
    });

    const third = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
    expect((await d.send(decideTaskUpdate, { by: people.rita, taskId: third.reviewTaskId, outcome: 'approved' })).stage).toBe('validation');

    const state = registeredRecord(await d.handle.query(stateQuery));
    expect(state.impactAssessments.map((a) => [a.assessmentId, a.status, a.reasons])).toEqual([
      ['ia-1', 'rejected', ['Society-level impact is not assessed']],
      ['ia-2', 'changes_requested', ['Name an owner for mitigation M1']],
      ['ia-3', 'approved', []],
    ]);
    await expectEvidenceMatchesDomain(d, [
      'AiSystemRegistered',
      'ImpactAssessmentSubmitted',
      'HumanTaskOpened',
      'LifecycleStageChanged',
      'HumanTaskDecided',
      'ImpactAssessmentRejected',
      'ImpactAssessmentSubmitted',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'ImpactAssessmentChangesRequested',
      'ImpactAssessmentSubmitted',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'ImpactAssessmentApproved',
      'LifecycleStageChanged',
    ]);
    await recordHistoryFixture(d.handle, 'impact-assessment-rejected-then-approved');
    await d.handle.terminate('test finished');
  });

  test('given a high-risk system, when deployment is requested without validation, with another digest, or without approval, then blocked with every reason or pending; approval then allows it', async () => {
    const d = await beginLifecycle(h, registration('fraud-detection'));
    await driveToValidation(d);

    const early = await d.send(requestDeploymentUpdate, deploymentRequest('deploy-early'));
    expect(early).toMatchObject({ outcome: 'blocked', status: 'blocked', task: null });
    expect(early.reasons.map((r) => r.code)).toEqual(['VALIDATION_MISSING']);

    const v = await d.send(recordValidationResultsUpdate, {
      by: people.ci,
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      datasetIds: ['DS-1'],
      metrics: goodMetrics,
    });
    const unsigned = await d.send(requestDeploymentUpdate, deploymentRequest('deploy-unsigned'));
    expect(unsigned.reasons.map((r) => r.code)).toEqual(['VALIDATION_NOT_SIGNED_OFF']);
    await d.send(decideTaskUpdate, { by: people.victor, taskId: v.signOffTaskId as string, outcome: 'approved' });

    const otherDigest = await d.send(requestDeploymentUpdate, deploymentRequest('deploy-other-digest', DIGEST_B));
    expect(otherDigest).toMatchObject({ outcome: 'blocked' });
    expect(otherDigest.reasons.map((r) => r.code)).toEqual(['ARTIFACT_DIGEST_MISMATCH', 'VALIDATION_MISSING']);

    const pending = await d.send(requestDeploymentUpdate, deploymentRequest('deploy-1'));
    expect(pending).toMatchObject({
      outcome: 'pending',
      approvalTaskId: expect.any(String),
      task: { kind: 'deployment_approval', requestedBy: 'ci-pipeline' },
    });
    expect(await d.handle.query(deploymentRequestQuery, 'deploy-1')).toMatchObject({ outcome: 'pending' });
    // Not approved yet: the pipeline cannot record it as deployed.
    await d.refused(
      recordDeploymentCompletedUpdate,
      { by: people.ci, requestId: 'deploy-1' },
      'DEPLOYMENT_NOT_APPROVED',
      'complete-unapproved',
    );

    await d.send(decideTaskUpdate, {
      by: people.alice,
      taskId: pending.approvalTaskId as string,
      outcome: 'rejected',
      reasons: ['Change freeze until the audit'],
    });
    expect(await d.handle.query(deploymentRequestQuery, 'deploy-1')).toMatchObject({
      outcome: 'blocked',
      reasons: [{ code: 'DEPLOYMENT_APPROVAL_REFUSED' }],
    });

    const retry = await d.send(requestDeploymentUpdate, deploymentRequest('deploy-2'));
    await d.send(decideTaskUpdate, { by: people.bob, taskId: retry.approvalTaskId as string, outcome: 'approved' });
    expect(await d.handle.query(deploymentRequestQuery, 'deploy-2')).toMatchObject({ outcome: 'allowed', status: 'approved' });
    expect((await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-2' })).stage).toBe('in_production');

    const events = await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_VALIDATION,
      'DeploymentRequested',
      'DeploymentBlocked',
      'AiPolicyAtGateNoted',
      'ValidationResultsRecorded',
      'AcceptanceCriteriaEvaluated',
      'HumanTaskOpened',
      'DeploymentRequested',
      'DeploymentBlocked',
      'AiPolicyAtGateNoted',
      'HumanTaskDecided',
      'ValidationSignedOff',
      'LifecycleStageChanged',
      'DeploymentRequested',
      'DeploymentBlocked',
      'AiPolicyAtGateNoted',
      'DeploymentRequested',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'DeploymentBlocked',
      'AiPolicyAtGateNoted',
      'DeploymentRequested',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'DeploymentApproved',
      'AiPolicyAtGateNoted',
      'DeploymentCompleted',
      'LifecycleStageChanged',
    ]);
    expect(events.filter((e) => e.type === 'DeploymentBlocked').map((e) => e.data.requestId)).toEqual([
      'deploy-early',
      'deploy-unsigned',
      'deploy-other-digest',
      'deploy-1',
    ]);
    await recordHistoryFixture(d.handle, 'deployment-gate');
    await d.handle.terminate('test finished');
  });

  test('given a minimal-risk system whose policy auto-approves, when a validated, signed-off artifact is requested, then it is allowed at once by the policy', async () => {
    const d = await beginLifecycle(h, registration('spam-filter', { riskTier: 'minimal' }));
    await driveToSignedOff(d);
    const gate = await d.send(requestDeploymentUpdate, deploymentRequest('deploy-1'));
    expect(gate).toMatchObject({ outcome: 'allowed', status: 'approved', reasons: [], approvalTaskId: null, task: null, openedTasks: [] });
    const state = registeredRecord(await d.handle.query(stateQuery));
    expect(state.deploymentRequests[0].approval).toMatchObject({
      automatic: true,
      by: { id: 'aims:policy:auto-approval', role: 'system' },
      taskId: null,
    });
    // Auto-approval never skips a check: another digest is still blocked.
    expect((await d.send(requestDeploymentUpdate, deploymentRequest('deploy-2', DIGEST_B))).outcome).toBe('blocked');
    await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_SIGNED_OFF,
      'DeploymentRequested',
      'DeploymentApproved',
      'AiPolicyAtGateNoted',
      'DeploymentRequested',
      'DeploymentBlocked',
      'AiPolicyAtGateNoted',
    ]);
    await recordHistoryFixture(d.handle, 'minimal-risk-auto-approved');
    await d.handle.terminate('test finished');
  });
});
