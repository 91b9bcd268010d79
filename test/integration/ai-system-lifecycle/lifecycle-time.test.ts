/**
 * What the AI-system lifecycle does as time passes, on a real Temporal dev server with a real worker and
 * SQLite store: reminders and escalations of undecided tasks, monitoring reviews falling due, and a long
 * history continued as new. Durations are seconds; waits poll (eventually), never assert a time.
 */
import {
  decideTaskUpdate,
  lifecycleQuery,
  recordDeploymentCompletedUpdate,
  recordMonitoringReportUpdate,
  requestDeploymentUpdate,
  stateQuery,
  submitImpactAssessmentUpdate,
} from '../../../workflows/ai-system-lifecycle.workflow';
import {
  beginLifecycle,
  deploymentRequest,
  driveToSignedOff,
  eventually,
  EVIDENCE_TO_SIGNED_OFF,
  expectEvidenceMatchesDomain,
  goodMetrics,
  iaContent,
  LifecycleDriver,
  people,
  recordHistoryFixture,
  registeredRecord,
  registration,
  startHarness,
  startLifecycle,
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

describe('aiSystemLifecycle over time on a real Temporal dev server', () => {
  test('given a review task nobody decides, when it falls due, then a reminder is recorded, then an escalation to the AIMS owner, who may then decide it', async () => {
    const fast = {
      ...registration('support-chatbot').policy,
      taskResponseTimeMs: { impact_assessment_review: 1500 },
      escalationAfterMs: 1500,
    };
    const d = await beginLifecycle(h, registration('support-chatbot', { policy: fast }));
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
    const d = await beginLifecycle(
      h,
      registration('vision-inspection', { riskTier: 'minimal', policy: { ...registration('x').policy, monitoringReviewIntervalMs: 5000 } }),
    );
    await driveToSignedOff(d);
    await d.send(requestDeploymentUpdate, deploymentRequest('deploy-1'));
    await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' });

    const [review] = await eventually(
      () => d.openTasks(),
      (tasks) => tasks.some((t) => t.kind === 'monitoring_review'),
      'the monitoring review',
    );
    expect(review).toMatchObject({ kind: 'monitoring_review', requiredRoles: ['engineer', 'aims_owner'], requestedBy: null });
    await d.send(decideTaskUpdate, { by: people.ed, taskId: review.taskId, outcome: 'approved' });
    expect(registeredRecord(await d.handle.query(stateQuery)).monitoring).toMatchObject({
      lastReviewOutcome: 'satisfactory',
      lastReviewCompletedAt: expect.any(String),
    });

    // Stopped before the evidence is read: the next review, due an interval after this one, must not land meanwhile.
    await recordHistoryFixture(d.handle, 'monitoring-review-due');
    await d.handle.terminate('test finished');
    await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_SIGNED_OFF,
      'DeploymentRequested',
      'DeploymentApproved',
      'AiPolicyAtGateNoted',
      'DeploymentCompleted',
      'LifecycleStageChanged',
      'MonitoringReviewDue',
      'HumanTaskOpened',
      'HumanTaskDecided',
      'MonitoringReviewCompleted',
    ]);
  });

  test('given a long-lived system, when its history grows past the bound, then it continues as new carrying its state, and the evidence stays one-to-one', async () => {
    const reg = registration('demand-forecast', { riskTier: 'minimal' });
    const handle = await startLifecycle(h.env, h.taskQueue, reg, { continueAsNewAfterHistoryLength: 60 });
    const firstRunId = handle.firstExecutionRunId;
    const d = new LifecycleDriver(handle, h.store, reg.systemId);
    await driveToSignedOff(d);
    await d.send(requestDeploymentUpdate, deploymentRequest('deploy-1'));
    await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' });
    for (let i = 0; i < 8; i += 1) await d.send(recordMonitoringReportUpdate, { by: people.ci, window, metrics: goodMetrics });

    const lastRunId = (await d.handle.describe()).runId;
    expect(lastRunId).not.toBe(firstRunId);
    expect(await d.handle.query(lifecycleQuery)).toMatchObject({ stage: 'in_production', production: { modelVersion: '1.0.0' } });
    expect(registeredRecord(await d.handle.query(stateQuery)).monitoring.reportCount).toBe(8);
    const events = await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_SIGNED_OFF,
      'DeploymentRequested',
      'DeploymentApproved',
      'AiPolicyAtGateNoted',
      'DeploymentCompleted',
      'LifecycleStageChanged',
      ...Array.from({ length: 8 }, () => 'MonitoringReportRecorded'),
    ]);
    expect(new Set(events.map((e) => e.metadata.runId)).size).toBeGreaterThan(1);
    await recordHistoryFixture(h.env.client.workflow.getHandle(d.handle.workflowId, firstRunId), 'continued-as-new-first-run');
    await recordHistoryFixture(d.handle, 'continued-as-new-last-run');
    await d.handle.terminate('test finished');
  });
});
