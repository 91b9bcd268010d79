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
 * NONCONFORMITY_IDS_PATCH keep nonconformity ids without the system id; runs without
 * ENGINE_NONCONFORMITY_IDS_PATCH keep predictable ids (`nc-<system>-…`) and adopt an existing workflow
 * under a child's id; runs without the AIMS_SCOPE_* patches neither tell the scope process of their
 * registration nor note its decisions (ai-system-lifecycle.scope.ts); the recorded histories in
 * test/fixtures/histories prove each.
 */
import { ApplicationFailure, getExternalWorkflowHandle, log, patched, proxyActivities, uuid4, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { AcceptanceCriteriaActivities } from '../activities/acceptance-criteria.activities';
import {
  INITIAL_AI_SYSTEM_STATE,
  SYSTEM_ACTOR,
  aiSystemStreamName,
  commandAuthority,
  decide,
  deploymentRequestView,
  eventActor,
  eventReferences,
  eventData,
  evolve,
  findDeploymentRequest,
  findTask,
  findValidation,
  isRegistered,
  knownRiskIds,
  lifecycleView,
  lifecycleWorkflowId,
  modelVersionsView,
  openHumanTasks,
  riskReassessmentCause,
  type Actor,
  type AiSystemCommand,
  type AiSystemEvent,
  type AiSystemRecord,
  type AiSystemState,
  type AiSystemTask,
  type LifecycleView,
  type NonconformityIdScheme,
} from '../domain/ai-system';
import { nextDerivedId, type DerivedIdKind } from '../domain/ai-system/derived-ids';
import { nonconformityStreamName } from '../domain/nonconformity/identity';
import { dueLifecycleFollowUp, nextLifecycleFollowUp } from '../domain/ai-system/follow-ups';
import * as msg from './ai-system-lifecycle.messages';
import { startCorrectiveAction, type NotStartedPolicy } from './ai-system-lifecycle.corrective-action';
import { DEFAULT_NONCONFORMITY_TIMING, nonconformityClosedSignal } from './nonconformity.workflow';
import { eventOfType, eventsOfType, fieldsOf, lastPositionOf, recordedOf, type Decider, type Step } from './runtime/decider';
import { actorOf, now, signedStart, startProcess } from './runtime/process';
import { riskWorkflowId } from '../domain/shared/risk-links';
import type { EvidenceVouch } from '../domain/command-signature/evidence-vouch';
import { riskPostureChangedSignal, riskReassessmentRequestedSignal } from './risk-signals';
import { noteScopeDecisions, tellScopeOfRegistration } from './ai-system-lifecycle.scope';
import { acceptResources } from './ai-system-lifecycle.resources';
import { noteAiPolicyAtGate } from './ai-system-lifecycle.policy';

export * from './ai-system-lifecycle.messages';
export { NONCONFORMITY_WORKFLOW_PATCH, nonconformityInputFor } from './ai-system-lifecycle.corrective-action';
export { AIMS_SCOPE_DECISION_PATCH, AIMS_SCOPE_REGISTRATION_PATCH } from './ai-system-lifecycle.scope';
export { RESOURCES_PATCH } from './ai-system-lifecycle.resources';
export { AI_POLICY_AT_GATE_PATCH } from './ai-system-lifecycle.policy';

/** The patch marking runs whose nonconformity ids name the system (domain/ai-system/identity.ts). */
export const NONCONFORMITY_IDS_PATCH = 'nonconformity-ids-per-system';
/**
 * The patch marking runs whose nonconformity ids are the engine's (`aims:nc-…`, salted per run, valid for
 * any system id or metric) and whose corrective actions are never adopted: one that cannot start is
 * recorded (CorrectiveActionNotStarted) with a task for the AIMS owner (issue 11, finding 5).
 */
export const ENGINE_NONCONFORMITY_IDS_PATCH = 'nonconformity-engine-ids';

/**
 * The patch marking runs in which a repeated deployment request is decided by the domain: the same caller
 * with the same content gets the first answer and the repeat is recorded (DeploymentRequestRepeated); anyone
 * else reusing the request id is refused. Runs without it answer any same-content repeat from the record.
 */
export const DEPLOYMENT_REPEATS_PATCH = 'deployment-repeats-recorded';

/**
 * The patch marking runs that note the postures their system's risks signal (RiskPostureNoted). Checked
 * when a posture arrives, so a run started before it begins honouring risk at its first posture after the
 * upgrade; a posture delivered before the upgrade (with no handler then) replays as ignored, as it was.
 */
export const RISK_POSTURE_PATCH = 'risk-posture-noted';
/** The patch marking runs that ask their risks to reassess after a significant change, breach or serious incident. */
export const RISK_REASSESSMENT_PATCH = 'risk-reassessment-requested';
/**
 * The patch marking runs that note a risk's posture only when the risk's evidence vouches for it (anyone who
 * can reach Temporal can signal). Checked where the posture would be recorded, so a run started before it
 * vouches from its next posture on; postures recorded before it replay as they were.
 */
export const RISK_POSTURE_VOUCHED_PATCH = 'risk-posture-vouched';

// A pure check: it fails only on a bug or a broken worker, so a few quick retries are enough.
const { checkAcceptanceCriteria } = proxyActivities<AcceptanceCriteriaActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

const aiSystemDecider: Decider<AiSystemState, AiSystemCommand, AiSystemEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};

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
  // The salt is the run's secret (never recorded, never answered): what makes its ids unguessable.
  const engineIds = patched(ENGINE_NONCONFORMITY_IDS_PATCH);
  const nonconformityIds: NonconformityIdScheme = engineIds
    ? { engine: uuid4() }
    : patched(NONCONFORMITY_IDS_PATCH)
      ? 'per-system'
      : 'legacy';
  const recordRepeats = patched(DEPLOYMENT_REPEATS_PATCH);

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
    : p.begin({ ...input.registration, by: actorOf(input.registration?.by), type: 'RegisterAiSystem', at: now() }, signedStart(input));

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

  /**
   * Asks every risk the system knows of to reassess when the step recorded a cause for it. A risk whose
   * workflow is gone (closed, never started) must not stop the lifecycle: its failure is logged and the
   * others are still asked. Runs before RISK_REASSESSMENT_PATCH ask nobody (and know no risk anyway).
   */
  const requestRiskReassessment = async (done: LifecycleStep): Promise<void> => {
    const riskIds = knownRiskIds(p.state);
    if (riskIds.length === 0) return;
    const cause = riskReassessmentCause(done.events, done.evidenceIds);
    if (cause === null || !patched(RISK_REASSESSMENT_PATCH)) return;
    await Promise.all(
      riskIds.map(async (riskId) => {
        try {
          await getExternalWorkflowHandle(riskWorkflowId(riskId)).signal(riskReassessmentRequestedSignal, {
            systemId: String(systemId),
            cause,
          });
        } catch (error) {
          log.warn(`risk ${riskId} not asked to reassess after ${cause.type}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  };

  /** Runs since the engine-ids patch record a corrective action that cannot start; older ones log it. */
  const notStarted: NotStartedPolicy = engineIds
    ? {
        surface: true,
        record: (nonconformityId, openedEvidenceId, reason) =>
          p.step(
            { type: 'RecordCorrectiveActionNotStarted', nonconformityId, reason, taskId: id('task', record()), at: now() },
            { causationId: openedEvidenceId, system: true },
          ),
      }
    : { surface: false };

  // ----- the message table -----
  // A row names the command a caller's argument becomes (with only the fields listed; ids the caller left
  // out derived from the state) and the event fields its answer reports. The domain validates the
  // command (VALIDATION_FAILED names a missing field), so a row cannot smuggle anything past it.
  const commandOf =
    <A extends msg.ActingPerson>(
      type: AiSystemCommand['type'],
      fields: (keyof A)[],
      derive: (a: A, s: AiSystemState) => object = () => ({}),
    ) =>
    (a: A, { state, at, by }: { state: AiSystemState; at: string; by: Actor }): AiSystemCommand =>
      ({ type, ...fieldsOf(a, ...fields), ...derive(a, state), by, at }) as unknown as AiSystemCommand;
  const row = <A extends msg.ActingPerson, R, E extends AiSystemEvent['type'], K extends keyof Extract<AiSystemEvent, { type: E }>>(
    definition: UpdateDefinition<R, [A]>,
    type: AiSystemCommand['type'],
    fields: (keyof A)[],
    [event, ...answerFields]: [E, ...K[]],
    derive?: (a: A, s: AiSystemState) => object,
  ): void =>
    p.update(definition, {
      command: commandOf(type, fields, derive),
      // A step that decided a deployment request (a task's decision, a reconciliation) notes the AI policy in force.
      run: async (command, asked) => {
        const done = await p.step(command, asked);
        const noted = await noteAiPolicyAtGate(p, done);
        return { ...answered([done, ...noted]), ...fieldsOf(eventOfType(done, event), ...answerFields) } as R;
      },
    });

  // Impact assessment gate (6.1.4, 8.4, A.5)
  row(
    msg.submitImpactAssessmentUpdate,
    'SubmitImpactAssessment',
    ['content'],
    ['ImpactAssessmentSubmitted', 'assessmentId', 'revision', 'reviewTaskId'],
    (a, s) => ({
      assessmentId: a.assessmentId ?? id('assessment', s),
      reviewTaskId: id('task', s),
    }),
  );
  // Every human task's decision; reasons are required unless approving.
  row(
    msg.decideTaskUpdate,
    'DecideHumanTask',
    ['taskId', 'outcome', 'comment', 'evidenceRefs', 'riskTier'],
    ['HumanTaskDecided', 'taskId', 'kind', 'outcome'],
    (a) => ({
      reasons: a.reasons === undefined ? [] : a.reasons,
    }),
  );
  // Governance: the organisation's lifecycle policy, as the API read it from that policy's evidence.
  row(
    msg.applyLifecyclePolicyUpdate,
    'ApplyLifecyclePolicy',
    ['organisationPolicy'],
    ['LifecyclePolicyApplied', 'version', 'deviationChangeId'],
  );
  // Data (A.7)
  row(
    msg.recordDatasetUpdate,
    'RecordDataset',
    ['name', 'purpose', 'provenance', 'acquisition', 'preparation'],
    ['DatasetRecorded', 'datasetId'],
    (a, s) => ({
      datasetId: a.datasetId ?? id('dataset', s),
    }),
  );
  row(
    msg.recordDataQualityCheckUpdate,
    'RecordDataQualityCheck',
    ['datasetId', 'results'],
    ['DataQualityCheckRecorded', 'checkId', 'datasetId', 'passed'],
    (a, s) => ({
      checkId: a.checkId ?? id('check', s),
    }),
  );
  // Model versions and validation (A.6.2.4)
  row(
    msg.proposeModelVersionUpdate,
    'ProposeModelVersion',
    ['modelVersion', 'artifactDigest', 'description'],
    ['ModelVersionProposed', 'modelVersion', 'supersedes'],
  );
  p.update(msg.recordValidationResultsUpdate, {
    command: commandOf('RecordValidationResults', ['modelVersion', 'artifactDigest', 'datasetIds', 'metrics'], (a, s) => ({
      validationId: a.validationId ?? id('validation', s),
    })),
    // The acceptance-criteria activity checks the recorded metrics; the lifecycle records its verdict.
    run: async (command, asked) => {
      const results = await p.step(command, asked);
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
        { causationId: asked.causationId, system: true },
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
      ...(view.aiPolicy === undefined ? {} : { aiPolicy: view.aiPolicy }),
    };
  };
  // Before DEPLOYMENT_REPEATS_PATCH: a same-content repeat is answered from the record, whoever sends it.
  const legacyRepeat = {
    matches: (a: msg.RequestDeploymentInput, s: AiSystemState) => isRepeatedDeploymentRequest(a, s),
    refusal: (_a: msg.RequestDeploymentInput, by: Actor) => {
      const authority = commandAuthority('RequestDeployment', by);
      return authority.ok ? null : authority.error;
    },
    answer: (a: msg.RequestDeploymentInput) => gateAnswer(a.requestId as string, [], true),
  };
  p.update(msg.requestDeploymentUpdate, {
    ...(recordRepeats ? {} : { repeat: legacyRepeat }),
    command: commandOf('RequestDeployment', ['modelVersion', 'artifactDigest', 'environment', 'commit', 'triggeredBy'], (a, s) => ({
      requestId: a.requestId ?? id('deployment', s),
      approvalTaskId: id('task', s),
    })),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      const noted = await noteAiPolicyAtGate(p, done);
      return gateAnswer(
        (command as { requestId: string }).requestId,
        [done, ...noted],
        done.events.some((e) => e.type === 'DeploymentRequestRepeated'),
      );
    },
  });

  row(msg.recordDeploymentCompletedUpdate, 'RecordDeploymentCompleted', ['requestId'], ['DeploymentCompleted', 'requestId', 'production']);

  p.update(msg.recordMonitoringReportUpdate, {
    command: commandOf('RecordMonitoringReport', ['window', 'metrics'], (a, s) => ({
      reportId: a.reportId ?? id('report', s),
      nonconformityIds,
    })),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      const notStartedSteps = await startCorrectiveAction(
        systemId,
        done,
        input.nonconformityTiming ?? DEFAULT_NONCONFORMITY_TIMING,
        notStarted,
      );
      await requestRiskReassessment(done);
      return {
        ...answered([done, ...notStartedSteps]),
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
    command: commandOf('ReportIncident', ['severity', 'description', 'modelVersion', 'occurredAt'], (a, s) => ({
      incidentId: a.incidentId ?? id('incident', s),
      nonconformityIds,
    })),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      const notStartedSteps = await startCorrectiveAction(
        systemId,
        done,
        input.nonconformityTiming ?? DEFAULT_NONCONFORMITY_TIMING,
        notStarted,
      );
      await requestRiskReassessment(done);
      const e = eventOfType(done, 'IncidentReported');
      return { ...answered([done, ...notStartedSteps]), incidentId: e.incidentId, nonconformityId: e.nonconformityId };
    },
  });

  row(msg.closeNonconformityUpdate, 'CloseNonconformity', ['nonconformityId', 'resolution'], ['NonconformityClosed', 'nonconformityId']);
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
    if (notice.causationId === null) {
      log.warn(`nonconformity ${notice.nonconformityId} closure not recorded: the notice names no closure evidence`);
      return;
    }
    try {
      // Vouched for by the closure's own evidence: a notice nobody closed cannot close anything here.
      const vouch = {
        kind: 'evidence',
        stream: nonconformityStreamName(notice.nonconformityId),
        eventId: notice.causationId,
        type: 'NonconformityClosed',
        data: {},
      } as const;
      await p.step(command, { causationId: notice.causationId, vouch });
    } catch (error) {
      // A signal has no caller to answer, and its failure must not end the lifecycle: the reference stays
      // open, for a person to close with the closeNonconformity update.
      log.error(`nonconformity ${notice.nonconformityId} closure not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  // A risk of this system says whether it blocks deployment (6.1.3, 8.3): noted as the system's own step,
  // caused by the risk's evidence. The gate then answers from the state; a noted block also blocks the
  // requests pending or approved (decide reconciles them).
  p.signal(riskPostureChangedSignal, async (posture) => {
    if (!patched(RISK_POSTURE_PATCH)) return;
    const command: AiSystemCommand = {
      type: 'RecordRiskPosture',
      riskId: posture.riskId,
      level: posture.level,
      blockers: posture.blockers,
      causeEventId: posture.causeEventId,
      changedAt: posture.at,
      at: now(),
    };
    // Malformed, or the system is decommissioned: nothing to record, and a signal has nobody to answer.
    const refused = decide(command, p.state);
    if (!refused.ok) {
      log.warn(`risk ${String(posture.riskId)} posture not noted: ${refused.error.code} ${refused.error.message}`);
      return;
    }
    if (!patched(RISK_POSTURE_VOUCHED_PATCH)) {
      await noteAiPolicyAtGate(p, await p.step(command, { causationId: posture.causeEventId, system: true }));
      return;
    }
    // The risk's evidence vouches for the posture (its stream, folded to its head, gives it): a made-up or
    // outdated posture is refused by the evidence activity and nothing is recorded.
    const vouch: EvidenceVouch = {
      kind: 'risk-posture',
      stream: riskWorkflowId(posture.riskId),
      eventId: posture.causeEventId,
      riskId: posture.riskId,
      level: posture.level,
      blockers: [...posture.blockers],
      changedAt: posture.at,
    };
    let noted: LifecycleStep;
    try {
      noted = await p.step(command, { causationId: posture.causeEventId, system: true, vouch });
    } catch (error) {
      log.warn(`risk ${posture.riskId} posture not noted: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    await noteAiPolicyAtGate(p, noted);
  });

  // The AIMS scope (4.3) decides whether the system is in scope; the gate refuses one decided out.
  noteScopeDecisions(p);

  // Resources (7.1, A.4.4–A.4.6): what the system depends on, with owners.
  acceptResources(p, answered);

  // Change (6.3)
  // A significant change also asks the system's risks to reassess.
  p.update(msg.recordChangeUpdate, {
    command: commandOf('RecordChange', ['description', 'significant', 'amendments'], (a, s) => ({
      changeId: a.changeId ?? id('change', s),
    })),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      const noted = await noteAiPolicyAtGate(p, done);
      await requestRiskReassessment(done);
      return { ...answered([done, ...noted]), ...fieldsOf(eventOfType(done, 'ChangeRecorded'), 'changeId', 'significant') };
    },
  });
  // Decommissioning: request → approval (decideTask) → completion with the data-retention decision
  row(
    msg.requestDecommissioningUpdate,
    'RequestDecommissioning',
    ['reason'],
    ['DecommissioningRequested', 'requestId', 'approvalTaskId'],
    (a, s) => ({
      requestId: a.requestId ?? id('decommissioning', s),
      approvalTaskId: id('task', s),
    }),
  );
  row(msg.completeDecommissioningUpdate, 'CompleteDecommissioning', ['dataRetention'], ['AiSystemDecommissioned', 'requestId']);

  p.query(msg.stageQuery, (s) => s.stage);
  p.query(msg.openTasksQuery, openHumanTasks);
  p.query(msg.versionsQuery, modelVersionsView);
  p.query(msg.lifecycleQuery, lifecycleView);
  p.query(msg.stateQuery, (s) => s);
  p.query(msg.deploymentRequestQuery, deploymentRequestView);

  // ----- the process -----

  if (registering !== null) await tellScopeOfRegistration(await registering);
  const ending = await p.keepTime({
    finished: (s) => s.stage === 'decommissioned',
    next: nextLifecycleFollowUp,
    due: (s, at) => dueLifecycleFollowUp(systemId, s, at),
  });
  await p.settle();
  if (ending === 'continue-as-new') {
    return p.continueAsNew<typeof aiSystemLifecycle>((carried) => ({
      ...input,
      carried: { state: record(), lastEvidenceId: carried.lastEvidenceId },
    }));
  }
  return lifecycleView(p.state);
}

/** The same request sent again (a pipeline's retry): answered from the record, nothing new recorded. */
function isRepeatedDeploymentRequest(a: msg.RequestDeploymentInput, s: AiSystemState): boolean {
  if (!isRegistered(s) || typeof a.requestId !== 'string') return false;
  const r = findDeploymentRequest(s, a.requestId);
  return (
    r !== undefined &&
    r.modelVersion === a.modelVersion &&
    r.artifactDigest === a.artifactDigest &&
    r.environment === a.environment &&
    r.commit === a.commit &&
    (r.triggeredBy ?? null) === (typeof a.triggeredBy === 'string' ? a.triggeredBy.trim() : null)
  );
}
