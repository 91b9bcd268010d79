/**
 * A monitoring breach or a serious incident in an AI system's lifecycle starts the `nonconformity`
 * workflow as a child, on a real Temporal dev server with a real worker and a real SQLite evidence store,
 * and the two are linked both ways: the system's NonconformityOpened names the nonconformity; the
 * nonconformity's evidence is correlated with the system's stream and names that event as its cause.
 * With AIMS_RECORD_HISTORIES=1 the run is kept as a replay fixture of the new path.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { aiSystemStreamName, lifecycleWorkflowId } from '../../../domain/ai-system';
import {
  nonconformityStreamName,
  nonconformityWorkflowId,
  type Nonconformity,
  type NonconformityState,
} from '../../../domain/nonconformity';
import {
  decideTaskUpdate,
  DEPLOYMENT_REPEATS_PATCH,
  ENGINE_NONCONFORMITY_IDS_PATCH,
  NONCONFORMITY_WORKFLOW_PATCH,
  proposeModelVersionUpdate,
  recordDataQualityCheckUpdate,
  recordDatasetUpdate,
  recordDeploymentCompletedUpdate,
  recordMonitoringReportUpdate,
  recordValidationResultsUpdate,
  reportIncidentUpdate,
  requestDeploymentUpdate,
  submitImpactAssessmentUpdate,
} from '../../../workflows/ai-system-lifecycle.workflow';
import {
  approveCorrectiveActionPlanUpdate,
  completeCorrectiveActionUpdate,
  LIFECYCLE_CLOSURE_NOTICE_PATCH,
  nonconformityStateQuery,
  recordContainmentUpdate,
  recordEffectivenessReviewUpdate,
  submitCorrectiveActionPlanUpdate,
  submitRootCauseAnalysisUpdate,
} from '../../../workflows/nonconformity.workflow';
import { LOCAL_EVIDENCE_PATCH } from '../../../workflows/evidence-recorder';
import { AIMS_SCOPE_REGISTRATION_PATCH } from '../../../workflows/ai-system-lifecycle.scope';
import { AI_POLICY_AT_GATE_PATCH, AI_POLICY_LOCAL_READ_PATCH } from '../../../workflows/ai-system-lifecycle.policy';
import { stateQuery } from '../../../workflows/ai-system-lifecycle.workflow';
import type { AiSystemRecord } from '../../../domain/ai-system';
import { people as ncPeople, reviewAnnounced } from '../nonconformity/nonconformity-harness';
import {
  collect,
  EVIDENCE_TO_PRODUCTION,
  expectEvidenceMatchesDomain,
  dataset,
  DIGEST_A,
  eventually,
  goodMetrics,
  iaContent,
  LifecycleDriver,
  passingQuality,
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
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

/** Registered, assessed, validated, signed off, approved and deployed: version 1.0.0 in production. */
async function inProduction(
  systemId: string,
  nonconformityTiming = { effectivenessReviewDelay: 'P14D', reminderLeadTime: 'P1D', escalationDelay: 'P2D' },
): Promise<LifecycleDriver> {
  const handle = await startLifecycle(h.env, h.taskQueue, registration(systemId), { nonconformityTiming });
  const d = new LifecycleDriver(handle, h.store, systemId);
  const ia = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
  await d.send(decideTaskUpdate, { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved' });
  await d.send(recordDatasetUpdate, { by: people.erin, ...dataset('DS-1') });
  await d.send(recordDataQualityCheckUpdate, { by: people.ci, ...passingQuality('DS-1') });
  await d.send(proposeModelVersionUpdate, { by: people.ci, modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first model' });
  const v = await d.send(recordValidationResultsUpdate, {
    by: people.ci,
    modelVersion: '1.0.0',
    artifactDigest: DIGEST_A,
    datasetIds: ['DS-1'],
    metrics: goodMetrics,
  });
  await d.send(decideTaskUpdate, { by: people.victor, taskId: v.signOffTaskId as string, outcome: 'approved' });
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

async function raisedNonconformity(nonconformityId: string): Promise<Nonconformity> {
  const handle = h.env.client.workflow.getHandle(nonconformityWorkflowId(nonconformityId));
  const state = await eventually(
    () => handle.query(nonconformityStateQuery),
    (s: NonconformityState) => s !== null,
    `nonconformity ${nonconformityId} to be raised`,
  );
  return state as Nonconformity;
}

describe('a breach in the lifecycle starts the nonconformity workflow', () => {
  test('given a system in production, when a monitoring report breaches a threshold and a high incident is reported, then a nonconformity workflow runs for each, linked both ways', async () => {
    // given
    const systemId = 'fraud-screening';
    const d = await inProduction(systemId);

    // when: a breach
    const report = await d.send(recordMonitoringReportUpdate, {
      by: people.ci,
      window,
      metrics: [
        { metric: 'auc', value: 0.7 },
        { metric: 'false_positive_rate', value: 0.05 },
      ],
    });

    // then: the nonconformity workflow runs as a child of the lifecycle, raised from the breach
    // an id of the engine's: readable parts, and a digest nobody could compute before the breach
    expect(report.nonconformitiesOpened).toEqual([expect.stringMatching(/^aims:nc-fraud_screening-report_1_auc-[0-9a-f]{16}$/)]);
    const breachId = report.nonconformitiesOpened[0];
    const breachNc = nonconformityWorkflowId(breachId);
    const described = await h.env.client.workflow.getHandle(breachNc).describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.type).toBe('nonconformity');
    expect(described.parentExecution?.workflowId).toBe(lifecycleWorkflowId(systemId));
    expect(await raisedNonconformity(breachId)).toMatchObject({
      id: breachId,
      status: 'raised',
      source: 'monitoring_breach',
      sourceReference: 'report-1/auc',
      severity: 'major',
      aiSystemIds: [systemId],
      annexAControlIds: ['A.6.2.6'],
      raisedBy: { id: 'aims:lifecycle', role: 'system' },
      effectivenessReviewDelay: 'P14D',
    });

    // when: a high incident
    const incident = await d.send(reportIncidentUpdate, {
      by: people.erin,
      severity: 'high',
      description: 'Scores drifted for one region',
    });
    expect(incident.nonconformityId).toMatch(/^aims:nc-fraud_screening-incident_1-[0-9a-f]{16}$/);
    const incidentId = incident.nonconformityId as string;
    expect(await raisedNonconformity(incidentId)).toMatchObject({
      source: 'incident',
      sourceReference: 'incident-1',
      severity: 'major',
      raisedBy: { id: 'erin', role: 'engineer' },
    });

    // then: linked both ways through the evidence
    const systemEvents = await collect(h.store.readStream(aiSystemStreamName(systemId)));
    for (const nonconformityId of [breachId, incidentId]) {
      const opened = systemEvents.find((e) => e.type === 'NonconformityOpened' && e.data.nonconformityId === nonconformityId);
      expect(opened).toBeDefined();
      const ncEvents = await eventually(
        () => collect(h.store.readStream(nonconformityStreamName(nonconformityId))),
        (events) => events.length > 0,
        `the evidence of ${nonconformityId}`,
      );
      expect(ncEvents[0]).toMatchObject({
        type: 'NonconformityRaised',
        data: { nonconformityId, aiSystemIds: [systemId] },
        metadata: {
          correlationId: aiSystemStreamName(systemId),
          causationId: opened?.id,
          workflowId: nonconformityWorkflowId(nonconformityId),
        },
      });
    }

    // and the lifecycle's history says which runs start children (the patch marker) and started them once each
    const history = await d.handle.fetchHistory();
    const patches = (history.events ?? [])
      .map((e) => e.markerRecordedEventAttributes)
      .filter((m) => m?.markerName === 'core_patch')
      .map((m) => defaultPayloadConverter.fromPayload<{ id: string }>(m?.details?.['patch-data']?.payloads?.[0] as Payload).id);
    expect(patches).toEqual([
      ENGINE_NONCONFORMITY_IDS_PATCH,
      DEPLOYMENT_REPEATS_PATCH,
      LOCAL_EVIDENCE_PATCH,
      AIMS_SCOPE_REGISTRATION_PATCH,
      AI_POLICY_AT_GATE_PATCH,
      AI_POLICY_LOCAL_READ_PATCH,
      NONCONFORMITY_WORKFLOW_PATCH,
    ]);
    const started = (history.events ?? [])
      .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
      .filter((id): id is string => typeof id === 'string');
    expect(started).toEqual([breachNc, nonconformityWorkflowId(incidentId)]);
    await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_PRODUCTION,
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
      'IncidentReported',
      'NonconformityOpened',
    ]);
    for (const nonconformityId of [breachId, incidentId])
      expect((await collect(h.store.readStream(nonconformityStreamName(nonconformityId)))).map((e) => e.type)).toEqual([
        'NonconformityRaised',
      ]);
    await recordHistoryFixture(d.handle, 'breach-starts-nonconformity');
  });
});

describe('a nonconformity closed by its corrective action is closed in the lifecycle too', () => {
  test('given a breach whose nonconformity workflow runs, when its correction is found effective, then the system records the closure linked to it, and the next breach of that metric opens a new nonconformity', async () => {
    // given: a breach of auc, and its nonconformity workflow (review due one second after the last action)
    const systemId = 'churn-model';
    const d = await inProduction(systemId, { effectivenessReviewDelay: 'PT1S', reminderLeadTime: 'PT1S', escalationDelay: 'PT1S' });
    const first = await d.send(recordMonitoringReportUpdate, {
      by: people.ci,
      window,
      metrics: [
        { metric: 'auc', value: 0.7 },
        { metric: 'false_positive_rate', value: 0.05 },
      ],
    });
    expect(first.nonconformitiesOpened).toEqual([expect.stringMatching(/^aims:nc-churn_model-report_1_auc-/)]);
    const firstId = first.nonconformitiesOpened[0];
    // (its own: the other system's breach of auc in its report-1 is a different nonconformity)
    expect(await raisedNonconformity(firstId)).toMatchObject({ aiSystemIds: [systemId] });
    const nc = h.env.client.workflow.getHandle(nonconformityWorkflowId(firstId));

    // when: people walk it to an effective correction
    await nc.executeUpdate(recordContainmentUpdate, {
      args: [{ by: ncPeople.olga, actions: ['Manual review of low scores'], evidenceRefs: ['ticket-1'] }],
    });
    await nc.executeUpdate(submitRootCauseAnalysisUpdate, {
      args: [{ by: ncPeople.erin, method: 'five_whys', causes: ['Stale features'], contributingFactors: [] }],
    });
    await nc.executeUpdate(submitCorrectiveActionPlanUpdate, {
      args: [
        {
          by: ncPeople.rolf,
          planId: 'plan-1',
          actions: [{ actionId: 'act-1', description: 'Refresh the features', owner: 'erin', dueDate: inDays(30) }],
        },
      ],
    });
    await nc.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: ncPeople.ava, planId: 'plan-1' }] });
    await nc.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: ncPeople.erin, actionId: 'act-1', evidenceRefs: ['model-card-2'] }],
    });
    await reviewAnnounced(nc);
    await nc.executeUpdate(recordEffectivenessReviewUpdate, {
      args: [{ by: ncPeople.vic, outcome: 'effective', findings: 'auc back above 0.8', evidenceRefs: ['report-9'] }],
    });
    expect((await nc.result()).status).toBe('closed');

    // then: the lifecycle records the closure as the system's act, caused by the nonconformity's closure
    const closedHere = await eventually(
      () => d.handle.query(stateQuery),
      (s) => (s as AiSystemRecord).nonconformities.find((n) => n.nonconformityId === firstId)?.status === 'closed',
      'the lifecycle to record the closure',
    );
    expect((closedHere as AiSystemRecord).nonconformities.find((n) => n.nonconformityId === firstId)).toMatchObject({
      status: 'closed',
      resolution: expect.stringContaining('closed by its corrective action (round 1)'),
    });
    const ncEvents = await collect(h.store.readStream(nonconformityStreamName(firstId)));
    const ncClosed = ncEvents.find((e) => e.type === 'NonconformityClosed');
    const systemEvents = await collect(h.store.readStream(aiSystemStreamName(systemId)));
    const closedInSystem = systemEvents.filter((e) => e.type === 'NonconformityClosed');
    expect(closedInSystem).toHaveLength(1);
    expect(closedInSystem[0]).toMatchObject({
      data: { nonconformityId: firstId, by: { id: 'aims:lifecycle', role: 'system' } },
      metadata: { causationId: ncClosed?.id },
    });
    const ncHistory = await nc.fetchHistory();
    const markers = (ncHistory.events ?? [])
      .map((e) => e.markerRecordedEventAttributes)
      .filter((m) => m?.markerName === 'core_patch')
      .map((m) => defaultPayloadConverter.fromPayload<{ id: string }>(m?.details?.['patch-data']?.payloads?.[0] as Payload).id);
    expect(markers).toContain(LIFECYCLE_CLOSURE_NOTICE_PATCH);

    // when: auc breaches again
    const second = await d.send(recordMonitoringReportUpdate, {
      by: people.ci,
      window,
      metrics: [
        { metric: 'auc', value: 0.69 },
        { metric: 'false_positive_rate', value: 0.05 },
      ],
    });

    // then: a new nonconformity, with a workflow of its own
    expect(second.nonconformitiesOpened).toEqual([expect.stringMatching(/^aims:nc-churn_model-report_2_auc-/)]);
    expect(await raisedNonconformity(second.nonconformitiesOpened[0])).toMatchObject({ status: 'raised', sourceReference: 'report-2/auc' });
    await expectEvidenceMatchesDomain(d, [
      ...EVIDENCE_TO_PRODUCTION,
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
      'NonconformityClosed',
      'MonitoringReportRecorded',
      'MonitoringThresholdBreached',
      'NonconformityOpened',
    ]);
    expect(ncEvents.map((e) => e.type)).toEqual([
      'NonconformityRaised',
      'ContainmentRecorded',
      'RootCauseAnalysisSubmitted',
      'CorrectiveActionPlanSubmitted',
      'CorrectiveActionPlanApproved',
      'CorrectiveActionCompleted',
      'EffectivenessReviewScheduled',
      'EffectivenessReviewDue',
      'EffectivenessReviewRecorded',
      'NonconformityClosed',
    ]);
    expect((await collect(h.store.readStream(nonconformityStreamName(second.nonconformitiesOpened[0])))).map((e) => e.type)).toEqual([
      'NonconformityRaised',
    ]);
    await recordHistoryFixture(d.handle, 'nonconformity-closure-closes-it-in-lifecycle');
    await recordHistoryFixture(nc, 'closure-tells-lifecycle', 'nonconformity');
  });
});
