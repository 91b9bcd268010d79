/**
 * Workflow `aiSystemLifecycle`: one AI system driven through its lifecycle (ISO/IEC 42001 6.1.4, 8.1–8.4,
 * 9.1; Annex A.5, A.6.2, A.7). Workflow id and evidence stream are both `ai-system-<systemId>`.
 *
 *   registered → impact assessment → validation → deployment approval → in production (monitoring)
 *   → decommissioning → decommissioned; a new model version loops back to validation, a significant
 *   change back to impact assessment.
 *
 * The rules, including who may do what, are the domain's (domain/ai-system); the runtime
 * (workflows/runtime) queues, decides, records and answers. This file holds the message table, the timer
 * rules and what is the lifecycle's own: the acceptance-criteria activity and the corrective action
 * (`nonconformity` workflow) a monitoring breach or a serious incident starts as a child, with
 * ParentClosePolicy ABANDON, linked both ways through the evidence. Messages: ai-system-lifecycle.messages.ts.
 *
 * Upgrades: runs without the NONCONFORMITY_WORKFLOW_PATCH marker replay without the child; runs without
 * NONCONFORMITY_IDS_PATCH keep nonconformity ids without the system id; the recorded histories in
 * test/fixtures/histories prove both.
 */
import { ApplicationFailure, log, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AcceptanceCriteriaActivities } from '../activities/acceptance-criteria.activities';
import {
  INITIAL_AI_SYSTEM_STATE,
  SYSTEM_ACTOR,
  aiSystemStreamName,
  commandAuthority,
  decide,
  deploymentRequestView,
  eventActor,
  eventData,
  evolve,
  findDeploymentRequest,
  findTask,
  findValidation,
  isRegistered,
  lifecycleView,
  lifecycleWorkflowId,
  modelVersionsView,
  openHumanTasks,
  type AiSystemCommand,
  type AiSystemEvent,
  type AiSystemRecord,
  type AiSystemState,
  type AiSystemTask,
  type LifecycleView,
  type NonconformityIdScheme,
} from '../domain/ai-system';
import { nextDerivedId, type DerivedIdKind } from '../domain/ai-system/derived-ids';
import { dueLifecycleFollowUp, nextLifecycleFollowUp } from '../domain/ai-system/follow-ups';
import * as msg from './ai-system-lifecycle.messages';
import { startCorrectiveAction } from './ai-system-lifecycle.corrective-action';
import { DEFAULT_NONCONFORMITY_TIMING, nonconformityClosedSignal } from './nonconformity.workflow';
import { eventOfType, eventsOfType, lastPositionOf, recordedOf, type Decider, type Step } from './runtime/decider';
import { actorOf, continueAsNewWith, now, startProcess } from './runtime/process';

export * from './ai-system-lifecycle.messages';
export { NONCONFORMITY_WORKFLOW_PATCH, nonconformityInputFor } from './ai-system-lifecycle.corrective-action';

/** The patch marking runs whose nonconformity ids name the system (domain/ai-system/identity.ts). */
export const NONCONFORMITY_IDS_PATCH = 'nonconformity-ids-per-system';

// A pure check: it fails only on a bug or a broken worker, so a few quick retries are enough.
const { checkAcceptanceCriteria } = proxyActivities<AcceptanceCriteriaActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

const aiSystemDecider: Decider<AiSystemState, AiSystemCommand, AiSystemEvent> = { decide, evolve, eventData, eventActor };

type LifecycleStep = Step<AiSystemEvent>;

export async function aiSystemLifecycle(input: msg.AiSystemLifecycleInput): Promise<LifecycleView> {
  const systemId = input.registration?.systemId;
  const expectedId = lifecycleWorkflowId(String(systemId));
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The lifecycle of AI system ${String(systemId)} must run as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  // Decided once per run, at its start (validators may not record markers); older runs replay with 'legacy'.
  const nonconformityIds: NonconformityIdScheme = patched(NONCONFORMITY_IDS_PATCH) ? 'per-system' : 'legacy';

  const p = startProcess({
    decider: aiSystemDecider,
    stream: aiSystemStreamName(systemId),
    state: input.carried?.state ?? INITIAL_AI_SYSTEM_STATE,
    causation: 'update',
    systemActor: SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const registering = isRegistered(p.state)
    ? null
    : p.begin({ ...input.registration, by: actorOf(input.registration?.by), type: 'RegisterAiSystem', at: now() });

  const id = (kind: DerivedIdKind, s: AiSystemState): string => nextDerivedId(systemId, kind, s);
  const record = (): AiSystemRecord => {
    if (!isRegistered(p.state)) throw new Error('bug: the AI system is not registered yet');
    return p.state;
  };
  /** What every answer carries: the stage, what was recorded, the tasks opened, and the last position. */
  const answered = (steps: LifecycleStep[]): msg.LifecycleStepResult => ({
    systemId,
    stage: record().stage,
    recorded: recordedOf(steps),
    openedTasks: eventsOfType(steps, 'HumanTaskOpened')
      .map((e) => findTask(record(), e.taskId))
      .filter((t): t is AiSystemTask => t !== undefined),
    lastPosition: lastPositionOf(steps),
  });

  // ----- the message table -----

  // Impact assessment gate (6.1.4, 8.4, A.5)
  p.update(msg.submitImpactAssessmentUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'SubmitImpactAssessment',
      assessmentId: a.assessmentId ?? id('assessment', state),
      content: a.content,
      reviewTaskId: id('task', state),
      by,
      at,
    }),
    answer: (done) => {
      const e = eventOfType(done, 'ImpactAssessmentSubmitted');
      return { ...answered([done]), assessmentId: e.assessmentId, revision: e.revision, reviewTaskId: e.reviewTaskId };
    },
  });

  // Every human task's decision
  p.update(msg.decideTaskUpdate, {
    command: (a, { at, by }) => ({
      type: 'DecideHumanTask',
      taskId: a.taskId,
      outcome: a.outcome,
      reasons: a.reasons === undefined ? [] : a.reasons,
      ...(a.comment === undefined ? {} : { comment: a.comment }),
      ...(a.evidenceRefs === undefined ? {} : { evidenceRefs: a.evidenceRefs }),
      by,
      at,
    }),
    answer: (done) => {
      const e = eventOfType(done, 'HumanTaskDecided');
      return { ...answered([done]), taskId: e.taskId, kind: e.kind, outcome: e.outcome };
    },
  });

  // Data (A.7)
  p.update(msg.recordDatasetUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RecordDataset',
      datasetId: a.datasetId ?? id('dataset', state),
      name: a.name,
      purpose: a.purpose,
      provenance: a.provenance,
      acquisition: a.acquisition,
      preparation: a.preparation,
      by,
      at,
    }),
    answer: (done) => ({ ...answered([done]), datasetId: eventOfType(done, 'DatasetRecorded').datasetId }),
  });

  p.update(msg.recordDataQualityCheckUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RecordDataQualityCheck',
      checkId: a.checkId ?? id('check', state),
      datasetId: a.datasetId,
      results: a.results,
      by,
      at,
    }),
    answer: (done) => {
      const e = eventOfType(done, 'DataQualityCheckRecorded');
      return { ...answered([done]), checkId: e.checkId, datasetId: e.datasetId, passed: e.passed };
    },
  });

  // Model versions and validation (A.6.2.4)
  p.update(msg.proposeModelVersionUpdate, {
    command: (a, { at, by }) => ({
      type: 'ProposeModelVersion',
      modelVersion: a.modelVersion,
      artifactDigest: a.artifactDigest,
      description: a.description,
      by,
      at,
    }),
    answer: (done) => {
      const e = eventOfType(done, 'ModelVersionProposed');
      return { ...answered([done]), modelVersion: e.modelVersion, supersedes: e.supersedes };
    },
  });

  p.update(msg.recordValidationResultsUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RecordValidationResults',
      validationId: a.validationId ?? id('validation', state),
      modelVersion: a.modelVersion,
      artifactDigest: a.artifactDigest,
      datasetIds: a.datasetIds,
      metrics: a.metrics,
      by,
      at,
    }),
    // The acceptance-criteria activity checks the recorded metrics; the lifecycle records its verdict.
    run: async (command, causationId) => {
      const results = await p.step(command, { causationId });
      const { validationId } = eventOfType(results, 'ValidationResultsRecorded');
      const validation = findValidation(record(), validationId);
      if (validation === undefined) throw new Error(`bug: validation ${validationId} was just recorded but is missing`);
      const evaluation = await checkAcceptanceCriteria({
        systemId,
        validationId,
        criteria: record().profile.acceptanceCriteria,
        metrics: validation.metrics,
      });
      // Steps are serial, so nothing changed the state while the activity ran: the task id derived now is free.
      const evaluated = await p.step(
        { type: 'EvaluateAcceptanceCriteria', validationId, signOffTaskId: id('task', record()), evaluation, at: now() },
        { causationId, system: true },
      );
      const e = eventOfType(evaluated, 'AcceptanceCriteriaEvaluated');
      return {
        ...answered([results, evaluated]),
        validationId,
        evaluation: { passed: e.passed, results: e.results },
        signOffTaskId: e.signOffTaskId,
      };
    },
  });

  // Deployment gate (A.6.2.5): a request id sent again with the same content is answered from the record.
  const gateAnswer = (requestId: string, steps: LifecycleStep[], repeated: boolean): msg.DeploymentGateAnswer => {
    const view = deploymentRequestView(p.state, requestId);
    if (view === null) throw new Error(`bug: deployment request ${requestId} is missing`);
    return {
      ...answered(steps),
      requestId,
      outcome: view.outcome === 'completed' ? 'allowed' : view.outcome,
      status: view.status,
      reasons: view.reasons,
      approvalTaskId: view.approvalTaskId,
      task: view.outcome === 'pending' ? view.task : null,
      repeated,
    };
  };
  p.update(msg.requestDeploymentUpdate, {
    repeat: {
      matches: (a, s) => isRepeatedDeploymentRequest(a, s),
      refusal: (_a, by) => {
        const authority = commandAuthority('RequestDeployment', by);
        return authority.ok ? null : authority.error;
      },
      answer: (a) => gateAnswer(a.requestId as string, [], true),
    },
    command: (a, { state, at, by }) => ({
      type: 'RequestDeployment',
      requestId: a.requestId ?? id('deployment', state),
      modelVersion: a.modelVersion,
      artifactDigest: a.artifactDigest,
      environment: a.environment,
      commit: a.commit,
      approvalTaskId: id('task', state),
      by,
      at,
    }),
    answer: (done, _state, command) => gateAnswer((command as { requestId: string }).requestId, [done], false),
  });

  p.update(msg.recordDeploymentCompletedUpdate, {
    command: (a, { at, by }) => ({ type: 'RecordDeploymentCompleted', requestId: a.requestId, by, at }),
    answer: (done) => {
      const e = eventOfType(done, 'DeploymentCompleted');
      return { ...answered([done]), requestId: e.requestId, production: e.production };
    },
  });

  // Operation and monitoring (9.1, A.6.2.6, A.8.4, 10.2): a breach or a serious incident opens corrective action.
  p.update(msg.recordMonitoringReportUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RecordMonitoringReport',
      reportId: a.reportId ?? id('report', state),
      window: a.window,
      metrics: a.metrics,
      nonconformityIds,
      by,
      at,
    }),
    run: async (command, causationId) => {
      const done = await p.step(command, { causationId });
      await startCorrectiveAction(systemId, done, input.nonconformityTiming ?? DEFAULT_NONCONFORMITY_TIMING);
      return {
        ...answered([done]),
        reportId: eventOfType(done, 'MonitoringReportRecorded').reportId,
        breaches: eventsOfType(done, 'MonitoringThresholdBreached').map(({ metric, value, threshold, direction, nonconformityId }) => ({
          metric,
          value,
          threshold,
          direction,
          nonconformityId,
        })),
        nonconformitiesOpened: eventsOfType(done, 'NonconformityOpened').map((n) => n.nonconformityId),
      };
    },
  });

  p.update(msg.reportIncidentUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'ReportIncident',
      incidentId: a.incidentId ?? id('incident', state),
      nonconformityIds,
      severity: a.severity,
      description: a.description,
      ...(a.modelVersion === undefined ? {} : { modelVersion: a.modelVersion }),
      ...(a.occurredAt === undefined ? {} : { occurredAt: a.occurredAt }),
      by,
      at,
    }),
    run: async (command, causationId) => {
      const done = await p.step(command, { causationId });
      await startCorrectiveAction(systemId, done, input.nonconformityTiming ?? DEFAULT_NONCONFORMITY_TIMING);
      const e = eventOfType(done, 'IncidentReported');
      return { ...answered([done]), incidentId: e.incidentId, nonconformityId: e.nonconformityId };
    },
  });

  p.update(msg.closeNonconformityUpdate, {
    command: (a, { at, by }) => ({ type: 'CloseNonconformity', nonconformityId: a.nonconformityId, resolution: a.resolution, by, at }),
    answer: (done) => ({ ...answered([done]), nonconformityId: eventOfType(done, 'NonconformityClosed').nonconformityId }),
  });

  // The nonconformity workflow's own closure (its corrective action was effective) closes the reference
  // here too, as the system's act, linked to the closure's evidence.
  p.signal(nonconformityClosedSignal, async (notice) => {
    const command: AiSystemCommand = {
      type: 'CloseNonconformity',
      nonconformityId: notice.nonconformityId,
      resolution: `closed by its corrective action (round ${notice.round}) at ${notice.closedAt}`,
      at: now(),
    };
    // Closed here already by a person, or not this system's: nothing to record.
    const refused = decide(command, p.state);
    if (!refused.ok) {
      log.info(`nonconformity ${notice.nonconformityId} closure not recorded: ${refused.error.code} ${refused.error.message}`);
      return;
    }
    try {
      await p.step(command, { causationId: notice.causationId ?? undefined });
    } catch (error) {
      // A signal has no caller to answer, and its failure must not end the lifecycle: the reference stays
      // open, for a person to close with the closeNonconformity update.
      log.error(`nonconformity ${notice.nonconformityId} closure not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  // Change (6.3)
  p.update(msg.recordChangeUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RecordChange',
      changeId: a.changeId ?? id('change', state),
      description: a.description,
      significant: a.significant,
      ...(a.amendments === undefined ? {} : { amendments: a.amendments }),
      by,
      at,
    }),
    answer: (done) => {
      const e = eventOfType(done, 'ChangeRecorded');
      return { ...answered([done]), changeId: e.changeId, significant: e.significant };
    },
  });

  // Decommissioning: request → approval (decideTask) → completion with the data-retention decision
  p.update(msg.requestDecommissioningUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RequestDecommissioning',
      requestId: a.requestId ?? id('decommissioning', state),
      reason: a.reason,
      approvalTaskId: id('task', state),
      by,
      at,
    }),
    answer: (done) => {
      const e = eventOfType(done, 'DecommissioningRequested');
      return { ...answered([done]), requestId: e.requestId, approvalTaskId: e.approvalTaskId };
    },
  });

  p.update(msg.completeDecommissioningUpdate, {
    command: (a, { at, by }) => ({ type: 'CompleteDecommissioning', dataRetention: a.dataRetention, by, at }),
    answer: (done) => ({ ...answered([done]), requestId: eventOfType(done, 'AiSystemDecommissioned').requestId }),
  });

  p.query(msg.stageQuery, (s) => s.stage);
  p.query(msg.openTasksQuery, openHumanTasks);
  p.query(msg.versionsQuery, modelVersionsView);
  p.query(msg.lifecycleQuery, lifecycleView);
  p.query(msg.stateQuery, (s) => s);
  p.query(msg.deploymentRequestQuery, deploymentRequestView);

  // ----- the process -----

  if (registering !== null) await registering;
  const ending = await p.keepTime({
    finished: (s) => s.stage === 'decommissioned',
    next: nextLifecycleFollowUp,
    due: (s, at) => dueLifecycleFollowUp(systemId, s, at),
  });
  await p.settle();
  if (ending === 'continue-as-new') {
    return continueAsNewWith<typeof aiSystemLifecycle>({ ...input, carried: { state: record(), lastEvidenceId: p.lastEvidenceId } });
  }
  return lifecycleView(p.state);
}

/** The same request sent again (a pipeline's retry): answered from the record, nothing new recorded. */
function isRepeatedDeploymentRequest(a: msg.RequestDeploymentInput, s: AiSystemState): boolean {
  if (!isRegistered(s) || typeof a.requestId !== 'string') return false;
  const r = findDeploymentRequest(s, a.requestId);
  return (
    r !== undefined && r.modelVersion === a.modelVersion && r.artifactDigest === a.artifactDigest && r.environment === a.environment && r.commit === a.commit
  );
}

