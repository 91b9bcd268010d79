/**
 * Issue 11, finding 5, on a real Temporal dev server with a real worker and a real SQLite evidence store:
 * the corrective action of a breach starts whatever the system id or metric name, under an id of the
 * engine's that nobody could have pre-staged; and a corrective action that cannot start is recorded in the
 * lifecycle with a task for the AIMS owner, never only logged.
 * With AIMS_RECORD_HISTORIES=1 the run that records CorrectiveActionNotStarted is kept as a replay fixture.
 */
import { aiSystemStreamName, lifecycleWorkflowId, type MetricCriterion, type MetricValue } from '../../../domain/ai-system';
import { nonconformityStreamName, nonconformityWorkflowId, type NonconformityState } from '../../../domain/nonconformity';
import {
  decideTaskUpdate,
  recordDeploymentCompletedUpdate,
  recordMonitoringReportUpdate,
  requestDeploymentUpdate,
} from '../../../workflows/ai-system-lifecycle.workflow';
import { nonconformityStateQuery, type NonconformityTiming } from '../../../workflows/nonconformity.workflow';
import { raisedInput } from '../nonconformity/nonconformity-harness';
import {
  collect,
  driveToSignedOff,
  DIGEST_A,
  eventually,
  EVIDENCE_TO_PRODUCTION,
  expectEvidenceMatchesDomain,
  LifecycleDriver,
  people,
  recordHistoryFixture,
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

const window = { from: '2025-02-01T00:00:00.000Z', to: '2025-02-08T00:00:00.000Z' };
const TIMING: NonconformityTiming = { effectivenessReviewDelay: 'P14D', reminderLeadTime: 'P1D', escalationDelay: 'P2D' };

/** Registered with `criteria`, assessed, validated with `good`, approved and deployed: 1.0.0 in production. */
async function inProduction(systemId: string, criteria: MetricCriterion[], good: MetricValue[], timing = TIMING): Promise<LifecycleDriver> {
  const handle = await startLifecycle(h.env, h.taskQueue, registration(systemId, { acceptanceCriteria: criteria }), {
    nonconformityTiming: timing,
  });
  const d = new LifecycleDriver(handle, h.store, systemId);
  await driveToSignedOff(d, good);
  const gate = await d.send(requestDeploymentUpdate, {
    by: people.ci,
    requestId: 'deploy-1',
    modelVersion: '1.0.0',
    artifactDigest: DIGEST_A,
    environment: 'production',
    commit: 'c0ffee1',
  });
  await d.send(decideTaskUpdate, { by: people.alice, taskId: gate.approvalTaskId as string, outcome: 'approved' });
  await d.send(recordDeploymentCompletedUpdate, { by: people.ci, requestId: 'deploy-1' });
  return d;
}

const AUC: MetricCriterion = { metric: 'auc', direction: 'higher_is_better', threshold: 0.8 };

async function raised(nonconformityId: string): Promise<NonconformityState> {
  const handle = h.env.client.workflow.getHandle(nonconformityWorkflowId(nonconformityId));
  return eventually(
    () => handle.query(nonconformityStateQuery),
    (s: NonconformityState) => s !== null,
    `nonconformity ${nonconformityId} to be raised`,
  );
}

describe('the corrective action of a breach always starts, under an id of the engine', () => {
  test('given a system id with "@" and a metric with spaces, when the metric breaches, then its corrective action runs under a valid engine id', async () => {
    // given: ids the nonconformity id rules refuse ("@", spaces), which left the breach without a workflow
    const systemId = `scoring@eu-${Date.now()}`;
    const spaced: MetricCriterion = { metric: 'false positive rate', direction: 'lower_is_better', threshold: 0.1 };
    const d = await inProduction(
      systemId,
      [AUC, spaced],
      [
        { metric: 'auc', value: 0.86 },
        { metric: 'false positive rate', value: 0.07 },
      ],
    );

    // when
    const report = await d.send(recordMonitoringReportUpdate, {
      by: people.ci,
      window,
      metrics: [
        { metric: 'auc', value: 0.9 },
        { metric: 'false positive rate', value: 0.3 },
      ],
    });

    // then: an engine id with readable parts, and the child runs, raised from the breach
    expect(report.nonconformitiesOpened).toEqual([
      expect.stringMatching(/^aims:nc-scoring_eu_\d+-report_1_false_positive_rate-[0-9a-f]{16}$/),
    ]);
    const id = report.nonconformitiesOpened[0];
    expect(await raised(id)).toMatchObject({
      id,
      status: 'raised',
      sourceReference: 'report-1/false positive rate',
      aiSystemIds: [systemId],
    });
    const described = await h.env.client.workflow.getHandle(nonconformityWorkflowId(id)).describe();
    expect(described.parentExecution?.workflowId).toBe(lifecycleWorkflowId(systemId));
    // The breach opened it (no CorrectiveActionNotStarted), and the child has recorded its raise.
    await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_PRODUCTION,
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
    ]);
    expect((await collect(h.store.readStream(nonconformityStreamName(id)))).map((e) => e.type)).toEqual(['NonconformityRaised']);
  });

  test('given a nonconformity pre-staged under the id a breach used to get, when the breach happens, then it gets its own corrective action and the pre-staged one is untouched', async () => {
    // given: someone raised a "minor complaint" under the old, predictable id of the next breach
    const systemId = `fraud-${Date.now()}`;
    const predictable = `nc-${systemId}-report-1-auc`;
    await h.env.client.workflow.start('nonconformity', {
      taskQueue: h.taskQueue,
      workflowId: nonconformityWorkflowId(predictable),
      args: [raisedInput(predictable, { severity: 'minor', title: 'Minor complaint', aiSystemIds: [systemId] })],
    });
    expect(await raised(predictable)).toMatchObject({ severity: 'minor' });
    const d = await inProduction(systemId, [AUC], [{ metric: 'auc', value: 0.86 }]);

    // when
    const report = await d.send(recordMonitoringReportUpdate, { by: people.ci, window, metrics: [{ metric: 'auc', value: 0.5 }] });

    // then: the breach is a major nonconformity of its own, raised by the lifecycle, not the pre-staged one
    const id = report.nonconformitiesOpened[0];
    expect(id).not.toBe(predictable);
    expect(await raised(id)).toMatchObject({ severity: 'major', raisedBy: { id: 'aims:lifecycle', role: 'system' } });
    const staged = await collect(h.store.readStream(nonconformityStreamName(predictable)));
    expect(staged.map((e) => e.type)).toEqual(['NonconformityRaised']);
    expect(staged[0]?.data).toMatchObject({ severity: 'minor' });
    await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_PRODUCTION,
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
    ]);
    expect((await collect(h.store.readStream(nonconformityStreamName(id)))).map((e) => e.type)).toEqual(['NonconformityRaised']);
  });

  test('given a corrective action the nonconformity rules refuse, when a breach opens it, then the lifecycle records CorrectiveActionNotStarted and a task for the AIMS owner, which the AIMS owner decides', async () => {
    // given: a review delay past the two-year bound, so the child's raise would be refused
    const systemId = `refused-${Date.now()}`;
    const d = await inProduction(systemId, [AUC], [{ metric: 'auc', value: 0.86 }], { ...TIMING, effectivenessReviewDelay: 'P1000D' });

    // when
    const report = await d.send(recordMonitoringReportUpdate, { by: people.ci, window, metrics: [{ metric: 'auc', value: 0.5 }] });

    // then: recorded, answered, and in the AIMS owner's inbox; no workflow started
    const id = report.nonconformitiesOpened[0];
    expect(report.recorded.map((r) => r.type)).toEqual([
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
      'CorrectiveActionNotStarted',
      'HumanTaskOpened',
    ]);
    expect(report.openedTasks).toEqual([
      expect.objectContaining({
        kind: 'corrective_action_start',
        requiredRoles: ['aims_owner'],
        subject: { type: 'corrective_action_start', nonconformityId: id },
      }),
    ]);
    const events = await collect(h.store.readStream(aiSystemStreamName(systemId)));
    const opened = events.find((e) => e.type === 'NonconformityOpened');
    expect(events.find((e) => e.type === 'CorrectiveActionNotStarted')).toMatchObject({
      data: { nonconformityId: id, code: 'VALIDATION_FAILED', reason: expect.stringContaining('effectivenessReviewDelay') },
      metadata: { causationId: opened?.id },
    });
    await expect(h.env.client.workflow.getHandle(nonconformityWorkflowId(id)).describe()).rejects.toThrow(/not found/i);

    // and the AIMS owner, having seen to it, closes the task
    const taskId = report.openedTasks[0]?.taskId;
    const decided = await d.send(decideTaskUpdate, {
      by: people.amara,
      taskId,
      outcome: 'approved',
      comment: 'raised by hand as NC-2026-9',
    });
    expect(decided.recorded.map((r) => r.type)).toEqual(['HumanTaskDecided']);
    await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_PRODUCTION,
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
      'CorrectiveActionNotStarted',
      'HumanTaskOpened',
      'HumanTaskDecided',
    ]);
    await recordHistoryFixture(d.handle, 'corrective-action-not-started');
  });
});
