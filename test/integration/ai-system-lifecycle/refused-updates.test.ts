/**
 * The AI-system lifecycle refuses what its rules forbid, at the validator, before anything is written:
 * people without the role, requesters deciding their own request, decisions on unknown, closed or
 * superseded tasks, and starts that may not happen. Real Temporal dev server, worker and SQLite store.
 */
import {
  decideTaskUpdate,
  proposeModelVersionUpdate,
  recordDataQualityCheckUpdate,
  recordDatasetUpdate,
  recordValidationResultsUpdate,
  requestDeploymentUpdate,
  stageQuery,
  submitImpactAssessmentUpdate,
} from '../../../workflows/ai-system-lifecycle.workflow';
import {
  beginLifecycle,
  dataset,
  deploymentRequest,
  DIGEST_A,
  DIGEST_B,
  eventually,
  expectEvidenceMatchesDomain,
  goodMetrics,
  iaContent,
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

describe('aiSystemLifecycle refusals on a real Temporal dev server', () => {
  test('given open gates, when people without the role, requesters deciding their own request, or deciders of unknown, closed or superseded tasks try, then validators refuse and nothing is written', async () => {
    const d = await beginLifecycle(h, registration('hiring-screen'));
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
      { ...deploymentRequest('deploy-1', DIGEST_B), modelVersion: '1.1.0', by: people.robo },
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
      { ...deploymentRequest('deploy-2', DIGEST_B), modelVersion: '1.1.0', by: people.audrey },
      'MISSING_ROLE',
      'deploy-by-auditor',
    );
    // The same request id with different content is not a retry.
    await d.refused(
      requestDeploymentUpdate,
      { ...deploymentRequest('deploy-1', DIGEST_B), modelVersion: '1.1.0', commit: 'other' },
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
    // Only the accepted updates' steps, each once.
    await expectEvidenceMatchesDomain(d, [
      'AiSystemRegistered',
      'ImpactAssessmentSubmitted',
      'HumanTaskOpened',
      'LifecycleStageChanged',
      'HumanTaskDecided',
      'ImpactAssessmentApproved',
      'LifecycleStageChanged',
      'DatasetRecorded',
      'ModelVersionProposed',
      'DataQualityCheckRecorded',
      'ValidationResultsRecorded',
      'AcceptanceCriteriaEvaluated',
      'HumanTaskOpened',
      'ModelVersionProposed',
      'HumanTaskSuperseded',
      'ValidationResultsRecorded',
      'AcceptanceCriteriaEvaluated',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'ValidationSignedOff',
      'LifecycleStageChanged',
      'DeploymentRequested',
      'HumanTaskOpened',
    ]);
    await recordHistoryFixture(d.handle, 'refused-updates');
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
});
