/**
 * The AI-system lifecycle workflow on a real Temporal dev server, with a real worker and a real SQLite
 * evidence store. Every run ends with the evidence check (each domain event exactly once, folding to the
 * workflow's own state, chain intact). With AIMS_RECORD_HISTORIES=1 the runs' histories are written as the
 * replay fixtures that test/integration/replay/recorded-histories.replay.test.ts replays.
 */
import {
  closeNonconformityUpdate,
  completeDecommissioningUpdate,
  decideTaskUpdate,
  deploymentRequestQuery,
  lifecycleQuery,
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
  stageQuery,
  stateQuery,
  submitImpactAssessmentUpdate,
  versionsQuery,
  type AiSystemLifecycleInput,
} from '../../../workflows/ai-system-lifecycle.workflow';
import type { AiSystemRecord, AiSystemState } from '../../../domain/ai-system';
import {
  driveToSignedOff,
  driveToValidation,
  dataset,
  DIGEST_A,
  DIGEST_B,
  eventually,
  expectEvidenceMatchesDomain,
  goodMetrics,
  iaContent,
  LifecycleDriver,
  passingQuality,
  people,
  recordHistoryFixture,
  registration,
  startHarness,
  startLifecycle,
  updateIdsInHistory,
  type Harness,
} from './lifecycle-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

async function begin(
  reg: AiSystemLifecycleInput['registration'],
  extra: Omit<AiSystemLifecycleInput, 'registration'> = {},
): Promise<LifecycleDriver> {
  const handle = await startLifecycle(h.env, h.taskQueue, reg, extra);
  return new LifecycleDriver(handle, h.store, reg.systemId);
}

function registered(state: AiSystemState): AiSystemRecord {
  if (state.stage === 'unregistered') throw new Error('not registered');
  return state;
}

const toValidation = driveToValidation;
const toSignedOff = (d: LifecycleDriver): Promise<void> => driveToSignedOff(d);

const deployment = (requestId: string, artifactDigest = DIGEST_A) => ({
  by: people.ci,
  requestId,
  modelVersion: '1.0.0',
  artifactDigest,
  environment: 'production',
  commit: '9f2c1e7',
});

const window = { from: '2025-01-01T00:00:00.000Z', to: '2025-01-08T00:00:00.000Z' };

describe('aiSystemLifecycle on a real Temporal dev server', () => {
  test('given a registered high-risk system, when it is driven through every gate, then it ends decommissioned with every step in the evidence', async () => {
    const d = await begin(registration('credit-scoring'));

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
    const gate = await d.send(requestDeploymentUpdate, deployment('deploy-1'));
    expect(gate).toMatchObject({
      outcome: 'pending',
      status: 'pending_approval',
      reasons: [],
      task: { kind: 'deployment_approval', requiredRoles: ['approver'] },
      repeated: false,
    });
    await d.send(decideTaskUpdate, { by: people.alice, taskId: gate.approvalTaskId as string, outcome: 'approved' });
    expect(await d.send(requestDeploymentUpdate, deployment('deploy-1'))).toMatchObject({
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
    const d = await begin(registration('loan-pricing'));
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

    const state = registered(await d.handle.query(stateQuery));
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
    const d = await begin(registration('fraud-detection'));
    await toValidation(d);

    const early = await d.send(requestDeploymentUpdate, deployment('deploy-early'));
    expect(early).toMatchObject({ outcome: 'blocked', status: 'blocked', task: null });
    expect(early.reasons.map((r) => r.code)).toEqual(['VALIDATION_MISSING']);

    const v = await d.send(recordValidationResultsUpdate, {
      by: people.ci,
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      datasetIds: ['DS-1'],
      metrics: goodMetrics,
    });
    const unsigned = await d.send(requestDeploymentUpdate, deployment('deploy-unsigned'));
    expect(unsigned.reasons.map((r) => r.code)).toEqual(['VALIDATION_NOT_SIGNED_OFF']);
    await d.send(decideTaskUpdate, { by: people.victor, taskId: v.signOffTaskId as string, outcome: 'approved' });

    const otherDigest = await d.send(requestDeploymentUpdate, deployment('deploy-other-digest', DIGEST_B));
    expect(otherDigest).toMatchObject({ outcome: 'blocked' });
    expect(otherDigest.reasons.map((r) => r.code)).toEqual(['ARTIFACT_DIGEST_MISMATCH', 'VALIDATION_MISSING']);

    const pending = await d.send(requestDeploymentUpdate, deployment('deploy-1'));
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

    const retry = await d.send(requestDeploymentUpdate, deployment('deploy-2'));
    await d.send(decideTaskUpdate, { by: people.bob, taskId: retry.approvalTaskId as string, outcome: 'approved' });
    expect(await d.handle.query(deploymentRequestQuery, 'deploy-2')).toMatchObject({ outcome: 'allowed', status: 'approved' });
    expect((await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-2' })).stage).toBe('in_production');

    const events = await expectEvidenceMatchesDomain(d);
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
    const d = await begin(registration('spam-filter', { riskTier: 'minimal' }));
    await toSignedOff(d);
    const gate = await d.send(requestDeploymentUpdate, deployment('deploy-1'));
    expect(gate).toMatchObject({ outcome: 'allowed', status: 'approved', reasons: [], approvalTaskId: null, task: null, openedTasks: [] });
    const state = registered(await d.handle.query(stateQuery));
    expect(state.deploymentRequests[0].approval).toMatchObject({
      automatic: true,
      by: { id: 'aims:policy:auto-approval', role: 'system' },
      taskId: null,
    });
    // Auto-approval never skips a check: another digest is still blocked.
    expect((await d.send(requestDeploymentUpdate, deployment('deploy-2', DIGEST_B))).outcome).toBe('blocked');
    await expectEvidenceMatchesDomain(d);
    await recordHistoryFixture(d.handle, 'minimal-risk-auto-approved');
    await d.handle.terminate('test finished');
  });

  test('given open gates, when people without the role, requesters deciding their own request, or deciders of unknown, closed or superseded tasks try, then validators refuse and nothing is written', async () => {
    const d = await begin(registration('hiring-screen'));
    const vera = { id: 'vera', roles: ['engineer', 'validator'] as ('engineer' | 'validator')[] };
    // Registration recorded first, so "nothing written" compares against a settled stream.
    await eventually(
      () => d.handle.query(stageQuery),
      (stage) => stage === 'registered',
      'the registration',
    );

    await d.refused(submitImpactAssessmentUpdate, { by: people.audrey, content: iaContent() }, 'MISSING_ROLE', 'ia-by-auditor');
    await d.refused(submitImpactAssessmentUpdate, { content: iaContent() } as never, 'INVALID_ACTOR', 'ia-without-actor');
    const ia = await d.send(submitImpactAssessmentUpdate, { by: people.sam, content: iaContent() }, 'ia-by-sam');
    await d.refused(
      decideTaskUpdate,
      { by: people.sam, taskId: ia.reviewTaskId, outcome: 'approved' },
      'SEGREGATION_OF_DUTIES',
      'ia-approved-by-author',
    );
    await d.refused(decideTaskUpdate, { by: people.ci, taskId: ia.reviewTaskId, outcome: 'approved' }, 'MISSING_ROLE', 'ia-approved-by-ci');
    await d.refused(
      decideTaskUpdate,
      { by: people.alice, taskId: 'no-such-task', outcome: 'approved' },
      'HUMAN_TASK_UNKNOWN',
      'unknown-task',
    );
    await d.refused(
      decideTaskUpdate,
      { by: people.alice, taskId: ia.reviewTaskId, outcome: 'rejected', reasons: [] },
      'HUMAN_TASK_REASON_REQUIRED',
      'reject-without-reason',
    );
    await d.send(decideTaskUpdate, { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved' }, 'ia-approved-by-alice');
    await d.refused(
      decideTaskUpdate,
      { by: people.bob, taskId: ia.reviewTaskId, outcome: 'approved' },
      'HUMAN_TASK_CLOSED',
      'ia-approved-twice',
    );

    await d.refused(recordDatasetUpdate, { by: people.alice, ...dataset('DS-1') }, 'MISSING_ROLE', 'dataset-by-approver');
    await d.send(recordDatasetUpdate, { by: people.erin, ...dataset('DS-1') }, 'dataset');
    await d.refused(
      recordValidationResultsUpdate,
      { by: people.ci, modelVersion: '1.0.0', artifactDigest: DIGEST_A, datasetIds: ['DS-1'], metrics: goodMetrics },
      'MODEL_VERSION_UNKNOWN',
      'validation-of-unknown-version',
    );
    await d.send(
      proposeModelVersionUpdate,
      { by: people.ci, modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first' },
      'propose-1.0.0',
    );
    await d.refused(
      recordValidationResultsUpdate,
      { by: people.ci, modelVersion: '1.0.0', artifactDigest: DIGEST_A, datasetIds: ['DS-1'], metrics: goodMetrics },
      'DATASET_QUALITY_NOT_PASSED',
      'validation-on-unchecked-data',
    );
    await d.send(recordDataQualityCheckUpdate, { by: people.ci, ...passingQuality('DS-1') }, 'quality');

    // The validator who produced the results may not sign them off.
    const own = await d.send(
      recordValidationResultsUpdate,
      { by: vera, modelVersion: '1.0.0', artifactDigest: DIGEST_A, datasetIds: ['DS-1'], metrics: goodMetrics },
      'validation-by-vera',
    );
    await d.refused(
      decideTaskUpdate,
      { by: vera, taskId: own.signOffTaskId as string, outcome: 'approved' },
      'SEGREGATION_OF_DUTIES',
      'sign-off-own-results',
    );

    // A newer version supersedes the sign-off of the older one.
    await d.send(
      proposeModelVersionUpdate,
      { by: people.ci, modelVersion: '1.1.0', artifactDigest: DIGEST_B, description: 'retrained' },
      'propose-1.1.0',
    );
    await d.refused(
      decideTaskUpdate,
      { by: people.victor, taskId: own.signOffTaskId as string, outcome: 'approved' },
      'HUMAN_TASK_SUPERSEDED',
      'sign-off-superseded',
    );
    const current = await d.send(
      recordValidationResultsUpdate,
      { by: people.ci, modelVersion: '1.1.0', artifactDigest: DIGEST_B, datasetIds: ['DS-1'], metrics: goodMetrics },
      'validation-1.1.0',
    );
    await d.send(decideTaskUpdate, { by: people.victor, taskId: current.signOffTaskId as string, outcome: 'approved' }, 'sign-off-1.1.0');

    // A pipeline token that also carries the approver role cannot approve its own deployment.
    const gate = await d.send(
      requestDeploymentUpdate,
      { ...deployment('deploy-1', DIGEST_B), modelVersion: '1.1.0', by: people.robo },
      'deploy-1',
    );
    expect(gate.outcome).toBe('pending');
    await d.refused(
      decideTaskUpdate,
      { by: people.robo, taskId: gate.approvalTaskId as string, outcome: 'approved' },
      'SEGREGATION_OF_DUTIES',
      'deploy-approved-by-requester',
    );
    await d.refused(
      decideTaskUpdate,
      { by: people.victor, taskId: gate.approvalTaskId as string, outcome: 'approved' },
      'MISSING_ROLE',
      'deploy-approved-by-validator',
    );
    await d.refused(
      requestDeploymentUpdate,
      { ...deployment('deploy-2', DIGEST_B), modelVersion: '1.1.0', by: people.audrey },
      'MISSING_ROLE',
      'deploy-by-auditor',
    );
    // The same request id with different content is not a retry.
    await d.refused(
      requestDeploymentUpdate,
      { ...deployment('deploy-1', DIGEST_B), modelVersion: '1.1.0', commit: 'other' },
      'DUPLICATE_ID',
      'deploy-1-altered',
    );

    expect(await d.handle.query(stageQuery)).toBe('deployment_approval');
    // History holds exactly the updates that were accepted.
    expect((await updateIdsInHistory(d.handle)).sort()).toEqual(
      [
        'ia-by-sam',
        'ia-approved-by-alice',
        'dataset',
        'propose-1.0.0',
        'quality',
        'validation-by-vera',
        'propose-1.1.0',
        'validation-1.1.0',
        'sign-off-1.1.0',
        'deploy-1',
      ].sort(),
    );
    await expectEvidenceMatchesDomain(d);
    await recordHistoryFixture(d.handle, 'refused-updates');
    await d.handle.terminate('test finished');
  });

  test('given a review task nobody decides, when it falls due, then a reminder is recorded, then an escalation to the AIMS owner, who may then decide it', async () => {
    const fast = {
      ...registration('support-chatbot').policy,
      taskResponseTimeMs: { impact_assessment_review: 1500 },
      escalationAfterMs: 1500,
    };
    const d = await begin(registration('support-chatbot', { policy: fast }));
    const ia = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });

    const reminded = await eventually(
      () => d.openTasks(),
      (tasks) => tasks[0]?.reminderSentAt !== null,
      'the reminder',
    );
    expect(reminded[0]).toMatchObject({ taskId: ia.reviewTaskId, escalatedTo: null });
    const escalated = await eventually(
      () => d.openTasks(),
      (tasks) => tasks[0]?.escalatedTo !== null,
      'the escalation',
    );
    expect(escalated[0]).toMatchObject({ taskId: ia.reviewTaskId, escalatedTo: 'aims_owner', requiredRoles: ['approver', 'risk_owner'] });

    expect((await d.send(decideTaskUpdate, { by: people.amara, taskId: ia.reviewTaskId, outcome: 'approved' })).stage).toBe('validation');
    const events = await expectEvidenceMatchesDomain(d, [
      'AiSystemRegistered',
      'ImpactAssessmentSubmitted',
      'HumanTaskOpened',
      'LifecycleStageChanged',
      'HumanTaskReminderSent',
      'HumanTaskEscalated',
      'HumanTaskDecided',
      'ImpactAssessmentApproved',
      'LifecycleStageChanged',
    ]);
    expect(events.find((e) => e.type === 'HumanTaskReminderSent')?.data).toMatchObject({
      notifiedRoles: ['approver', 'risk_owner'],
      by: { role: 'system' },
    });
    expect(events.find((e) => e.type === 'HumanTaskEscalated')?.data).toMatchObject({ escalatedTo: 'aims_owner' });
    expect(events.find((e) => e.type === 'HumanTaskDecided')?.metadata.actor).toEqual({ id: 'amara', role: 'aims_owner' });
    // The escalation happened at least escalationAfterMs after the reminder, by the workflow's clock.
    const at = (type: string) => Date.parse(events.find((e) => e.type === type)?.data.at as string);
    expect(at('HumanTaskEscalated') - at('HumanTaskReminderSent')).toBeGreaterThanOrEqual(1500);
    await recordHistoryFixture(d.handle, 'overdue-reminder-escalation');
    await d.handle.terminate('test finished');
  });

  test('given a version in production, when the review interval passes, then a monitoring review falls due and an engineer completes it', async () => {
    const d = await begin(
      registration('vision-inspection', { riskTier: 'minimal', policy: { ...registration('x').policy, monitoringReviewIntervalMs: 2000 } }),
    );
    await toSignedOff(d);
    await d.send(requestDeploymentUpdate, deployment('deploy-1'));
    await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' });

    const [review] = await eventually(
      () => d.openTasks(),
      (tasks) => tasks.some((t) => t.kind === 'monitoring_review'),
      'the monitoring review',
    );
    expect(review).toMatchObject({ kind: 'monitoring_review', requiredRoles: ['engineer', 'aims_owner'], requestedBy: null });
    await d.send(decideTaskUpdate, { by: people.ed, taskId: review.taskId, outcome: 'approved' });
    expect(registered(await d.handle.query(stateQuery)).monitoring).toMatchObject({
      lastReviewOutcome: 'satisfactory',
      lastReviewCompletedAt: expect.any(String),
    });

    const events = await expectEvidenceMatchesDomain(d);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['MonitoringReviewDue', 'MonitoringReviewCompleted']));
    await recordHistoryFixture(d.handle, 'monitoring-review-due');
    await d.handle.terminate('test finished');
  });

  test('given a registration by an auditor, or a workflow id that is not ai-system-<id>, when the workflow starts, then it fails with the reason and writes nothing', async () => {
    const byAuditor = await startLifecycle(h.env, h.taskQueue, registration('audited', { by: people.audrey }));
    await expect(byAuditor.result()).rejects.toMatchObject({ cause: { type: 'MISSING_ROLE' } });
    const misnamed = await h.env.client.workflow.start('aiSystemLifecycle', {
      taskQueue: h.taskQueue,
      workflowId: 'lifecycle-of-misnamed',
      args: [{ registration: registration('misnamed') }],
    });
    await expect(misnamed.result()).rejects.toMatchObject({ cause: { type: 'WRONG_WORKFLOW_ID' } });
    expect(await h.store.streamRevision('ai-system-audited')).toBeNull();
    expect(await h.store.streamRevision('ai-system-misnamed')).toBeNull();
  });

  test('given a long-lived system, when its history grows past the bound, then it continues as new carrying its state, and the evidence stays one-to-one', async () => {
    const reg = registration('demand-forecast', { riskTier: 'minimal' });
    const handle = await startLifecycle(h.env, h.taskQueue, reg, { continueAsNewAfterHistoryLength: 60 });
    const firstRunId = handle.firstExecutionRunId;
    const d = new LifecycleDriver(handle, h.store, reg.systemId);
    await toSignedOff(d);
    await d.send(requestDeploymentUpdate, deployment('deploy-1'));
    await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' });
    for (let i = 0; i < 8; i += 1) await d.send(recordMonitoringReportUpdate, { by: people.ci, window, metrics: goodMetrics });

    const lastRunId = (await d.handle.describe()).runId;
    expect(lastRunId).not.toBe(firstRunId);
    expect(await d.handle.query(lifecycleQuery)).toMatchObject({ stage: 'in_production', production: { modelVersion: '1.0.0' } });
    expect(registered(await d.handle.query(stateQuery)).monitoring.reportCount).toBe(8);
    const events = await expectEvidenceMatchesDomain(d);
    expect(new Set(events.map((e) => e.metadata.runId)).size).toBeGreaterThan(1);
    await recordHistoryFixture(h.env.client.workflow.getHandle(d.handle.workflowId, firstRunId), 'continued-as-new-first-run');
    await recordHistoryFixture(d.handle, 'continued-as-new-last-run');
    await d.handle.terminate('test finished');
  });
});
