/**
 * `decide(command, state)`: the events a command produces, or the typed error that refuses it. Pure: time
 * and ids come in the command. After a command's own events, `decide` reconciles open work against the
 * resulting state (tasks whose subject was superseded are closed, deployment requests that lost their
 * basis are blocked), so those consequences are recorded as events too rather than left implicit.
 */
import { actingAs, actorProblem, SYSTEM_ACTOR, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { addMilliseconds, isBefore, isIsoTimestamp } from '../shared/iso-time';
import { isSha256Digest } from '../shared/artifact-digest';
import { checkEscalationDue, checkHumanTaskDecision, checkReminderDue, eligibleRoles, ESCALATION_ROLE, type HumanTaskOutcome } from '../shared/human-task';
import { domainError } from '../shared/domain-error';
import { assertNever, err, ok, type Result } from '../shared/result';
import { derivedNonconformityId } from './identity';
import type * as C from './commands';
import type { AiSystemCommand } from './commands';
import type * as E from './events';
import type { AiSystemEvent } from './events';
import { aiSystemError, incompleteImpactAssessment, invalid, type AiSystemError } from './errors';
import { evolve } from './evolve';
import {
  DATASET_PURPOSES,
  INCIDENT_SEVERITIES,
  isRegistered,
  SEVERITIES_REQUIRING_MITIGATION,
  type AiSystemRecord,
  type AiSystemState,
  type AiSystemTask,
  type AiSystemTaskKind,
  type AiSystemTaskSubject,
  type LifecycleStage,
  type MetricCriterion,
  type ProfileAmendments,
} from './model';
import { resolveLifecyclePolicy } from './policy';
import { systemIdIssue } from './identity';
import { COMMAND_ROLES, commandRoleProblem, type RoleGovernedCommandType } from './authority';
import { deploymentGateChecks, evaluateDeploymentRequest, type DeploymentRequest } from './deployment-gate';
import { checkMonitoringThresholds, evaluateAcceptanceCriteria } from './metrics';
import { ValidationIssues } from '../shared/validation';
import {
  checkCriteria,
  checkDataRetention,
  checkDigest,
  checkMetricValues,
  checkProvider,
  checkRiskTier,
  checkStringList,
  impactAssessmentIssues,
} from './input-checks';
import {
  datasetQualityProblem,
  findDataset,
  findDeploymentRequest,
  findImpactAssessment,
  findTask,
  findValidation,
  findVersion,
  impactAssessmentCurrency,
  isVersionActive,
  underReviewImpactAssessment,
  validationLivenessProblem,
} from './queries';

export type DecideResult = Result<AiSystemEvent[], AiSystemError>;

/** Amending these fields changes what was assessed, so the change must be declared significant (6.3). */
export const SIGNIFICANT_AMENDMENTS: readonly (keyof ProfileAmendments)[] = [
  'purpose',
  'intendedUse',
  'provider',
  'riskTier',
  'acceptanceCriteria',
];

/** Outcomes each kind of task offers. */
export const TASK_OUTCOMES: Record<AiSystemTaskKind, readonly HumanTaskOutcome[]> = {
  impact_assessment_review: ['approved', 'rejected', 'changes_requested'],
  validation_sign_off: ['approved', 'rejected'],
  deployment_approval: ['approved', 'rejected'],
  decommissioning_approval: ['approved', 'rejected'],
  // approved: the review found operation satisfactory; rejected: it found action is required.
  monitoring_review: ['approved', 'rejected'],
};

/** Commands refused while a decommissioning request is open: they would start work that is ending. */
const REFUSED_WHILE_DECOMMISSIONING: ReadonlySet<AiSystemCommand['type']> = new Set<AiSystemCommand['type']>([
  'SubmitImpactAssessment',
  'RecordDataset',
  'RecordDataQualityCheck',
  'ProposeModelVersion',
  'RecordValidationResults',
  'EvaluateAcceptanceCriteria',
  'RecordChange',
  'RequestDecommissioning',
]);

/** Commands the workflow issues on its own; without `by` they are recorded as the system's. */
const AUTOMATIC_COMMANDS: ReadonlySet<AiSystemCommand['type']> = new Set<AiSystemCommand['type']>([
  'EvaluateAcceptanceCriteria',
  'RecordMonitoringReviewDue',
  'SendHumanTaskReminder',
  'EscalateHumanTask',
  // When the nonconformity workflow reports that its corrective action closed it.
  'CloseNonconformity',
]);

export function decide(command: AiSystemCommand, state: AiSystemState): DecideResult {
  const base = checkCommonInput(command);
  if (base) return err(base);
  // Authority before facts: someone who may not act learns that, not the state of the system.
  const authority = commandRoleProblem(command);
  if (authority) return err(authority);
  if (command.type === 'RegisterAiSystem') {
    if (isRegistered(state)) {
      return err(
        aiSystemError('AI_SYSTEM_ALREADY_REGISTERED', `AI system ${state.profile.systemId} is already registered.`, {
          systemId: state.profile.systemId,
        }),
      );
    }
    return register(command);
  }
  if (!isRegistered(state)) {
    return err(aiSystemError('AI_SYSTEM_NOT_REGISTERED', `The AI system must be registered before ${command.type}.`, { command: command.type }));
  }
  if (state.stage === 'decommissioned') {
    return err(
      aiSystemError('AI_SYSTEM_DECOMMISSIONED', `AI system ${state.profile.systemId} has been decommissioned; nothing more can happen to it.`, {
        systemId: state.profile.systemId,
        command: command.type,
      }),
    );
  }
  if (state.stage === 'decommissioning' && REFUSED_WHILE_DECOMMISSIONING.has(command.type)) {
    return err(
      aiSystemError('DECOMMISSIONING_IN_PROGRESS', `AI system ${state.profile.systemId} is being decommissioned; ${command.type} is no longer accepted.`, {
        systemId: state.profile.systemId,
        command: command.type,
      }),
    );
  }
  const own = decideRegistered(command, state);
  if (!own.ok) return own;
  return ok([...own.value, ...reconcile(applyAll(state, own.value), command.at)]);
}

/** For Update validators: the refusal a command would meet, or null if it would be accepted. */
export function commandRefusal(command: AiSystemCommand, state: AiSystemState): AiSystemError | null {
  const r = decide(command, state);
  return r.ok ? null : r.error;
}

/** `decide` then `evolve`: the events and the state they lead to. */
export function execute(command: AiSystemCommand, state: AiSystemState): Result<{ events: AiSystemEvent[]; state: AiSystemState }, AiSystemError> {
  const r = decide(command, state);
  if (!r.ok) return r;
  return ok({ events: r.value, state: r.value.reduce(evolve, state) });
}

// ---------------------------------------------------------------------------------------------------

function applyAll(state: AiSystemRecord, events: AiSystemEvent[]): AiSystemRecord {
  const next = events.reduce(evolve, state as AiSystemState);
  return isRegistered(next) ? next : state;
}

function checkCommonInput(command: AiSystemCommand): AiSystemError | null {
  if (!command || typeof command !== 'object' || typeof command.type !== 'string') {
    return invalid('command', [{ field: 'type', problem: 'must name the command' }]);
  }
  if (!isIsoTimestamp(command.at)) return invalid(command.type, [{ field: 'at', problem: 'must be an ISO-8601 timestamp, e.g. 2025-03-01T09:30:00Z' }]);
  if (command.by === undefined && !AUTOMATIC_COMMANDS.has(command.type)) {
    return domainError('INVALID_ACTOR', `${command.type} needs the actor who issues it (by).`, { command: command.type });
  }
  if (command.by !== undefined) {
    const problem = actorProblem(command.by);
    if (problem) return domainError('INVALID_ACTOR', problem, { command: command.type });
  }
  return null;
}

/** The role a person acts under for a command (first of its `COMMAND_ROLES` they hold); the system's own steps carry no person. */
const actorOf = (c: { type: RoleGovernedCommandType; by?: Actor }): ActorRef => (c.by ? actingAs(c.by, COMMAND_ROLES[c.type]) : SYSTEM_ACTOR);

const duplicate = (kind: string, id: string): AiSystemError =>
  aiSystemError('DUPLICATE_ID', `A ${kind} with id ${id} already exists for this AI system.`, { kind, id });

function taskIdProblem(s: AiSystemRecord, command: AiSystemCommand['type'], taskId: string, field: string): AiSystemError | null {
  if (typeof taskId !== 'string' || taskId.trim() === '') return invalid(command, [{ field, problem: 'must be a non-empty string' }]);
  return findTask(s, taskId) ? duplicate('human task', taskId) : null;
}

function stageChange(s: AiSystemRecord, to: LifecycleStage, cause: string, by: ActorRef, at: string): E.LifecycleStageChanged[] {
  return s.stage === to ? [] : [{ type: 'LifecycleStageChanged', from: s.stage, to, cause, by, at }];
}

function openTask(
  s: AiSystemRecord,
  t: { taskId: string; kind: AiSystemTaskKind; subject: AiSystemTaskSubject; requestedBy: string | null },
  by: ActorRef,
  at: string,
): E.HumanTaskOpened {
  return {
    type: 'HumanTaskOpened',
    taskId: t.taskId,
    kind: t.kind,
    requiredRoles: [...s.policy.taskRoles[t.kind]],
    subject: t.subject,
    requestedBy: t.requestedBy,
    dueAt: addMilliseconds(at, s.policy.taskResponseTimeMs[t.kind]),
    by,
    at,
  };
}

function register(c: C.RegisterAiSystem): DecideResult {
  const p = new ValidationIssues();
  const idIssue = systemIdIssue(c.systemId);
  if (idIssue) p.add(idIssue.field, idIssue.problem);
  p.text('name', c.name);
  p.text('purpose', c.purpose);
  p.text('intendedUse', c.intendedUse);
  p.text('owner', c.owner);
  checkProvider(p, 'provider', c.provider);
  checkRiskTier(p, 'riskTier', c.riskTier);
  checkCriteria(p, 'acceptanceCriteria', c.acceptanceCriteria, true);
  if (c.monitoringThresholds !== undefined) checkCriteria(p, 'monitoringThresholds', c.monitoringThresholds, false);
  if (!p.empty) return err(invalid(c.type, p.list));
  const policy = resolveLifecyclePolicy(c.policy ?? {}, 'policy');
  if (!policy.ok) return policy;
  return ok([
    {
      type: 'AiSystemRegistered',
      systemId: c.systemId,
      name: c.name,
      purpose: c.purpose,
      intendedUse: c.intendedUse,
      owner: c.owner,
      provider: { kind: c.provider.kind, supplier: c.provider.supplier ?? null },
      riskTier: c.riskTier,
      acceptanceCriteria: c.acceptanceCriteria.map(copyCriterion),
      monitoringThresholds: (c.monitoringThresholds ?? c.acceptanceCriteria).map(copyCriterion),
      policy: policy.value,
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

function decideRegistered(command: Exclude<AiSystemCommand, C.RegisterAiSystem>, s: AiSystemRecord): DecideResult {
  switch (command.type) {
    case 'SubmitImpactAssessment':
      return submitImpactAssessment(command, s);
    case 'DecideHumanTask':
      return decideHumanTask(command, s);
    case 'RecordDataset':
      return recordDataset(command, s);
    case 'RecordDataQualityCheck':
      return recordDataQualityCheck(command, s);
    case 'ProposeModelVersion':
      return proposeModelVersion(command, s);
    case 'RecordValidationResults':
      return recordValidationResults(command, s);
    case 'EvaluateAcceptanceCriteria':
      return evaluateCriteria(command, s);
    case 'RequestDeployment':
      return requestDeployment(command, s);
    case 'RecordDeploymentCompleted':
      return recordDeploymentCompleted(command, s);
    case 'RecordMonitoringReport':
      return recordMonitoringReport(command, s);
    case 'ReportIncident':
      return reportIncident(command, s);
    case 'RecordMonitoringReviewDue':
      return recordMonitoringReviewDue(command, s);
    case 'CloseNonconformity':
      return closeNonconformity(command, s);
    case 'RecordChange':
      return recordChange(command, s);
    case 'RequestDecommissioning':
      return requestDecommissioning(command, s);
    case 'CompleteDecommissioning':
      return completeDecommissioning(command, s);
    case 'SendHumanTaskReminder':
      return sendReminder(command, s);
    case 'EscalateHumanTask':
      return escalate(command, s);
    default: {
      // Compile-time exhaustiveness; at run time a caller may still send an unknown type.
      const unknown: never = command;
      const type = String((unknown as { type?: unknown }).type);
      return err(aiSystemError('UNKNOWN_COMMAND', `${type} is not a command this AI system understands.`, { command: type }));
    }
  }
}

// ---------- Impact assessment ----------

function submitImpactAssessment(c: C.SubmitImpactAssessment, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('assessmentId', c.assessmentId);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (findImpactAssessment(s, c.assessmentId)) return err(duplicate('impact assessment', c.assessmentId));
  const taskProblem = taskIdProblem(s, c.type, c.reviewTaskId, 'reviewTaskId');
  if (taskProblem) return err(taskProblem);
  const underReview = underReviewImpactAssessment(s);
  if (underReview) {
    return err(
      aiSystemError(
        'IMPACT_ASSESSMENT_UNDER_REVIEW',
        `Impact assessment ${underReview.assessmentId} is still under review; wait for its decision before submitting another.`,
        { assessmentId: underReview.assessmentId, reviewTaskId: underReview.reviewTaskId },
      ),
    );
  }
  const currency = impactAssessmentCurrency(s, c.at);
  if (currency.current) {
    return err(
      aiSystemError(
        'IMPACT_ASSESSMENT_ALREADY_CURRENT',
        `Impact assessment ${currency.assessment.assessmentId} is approved and current; record a significant change to reassess.`,
        { assessmentId: currency.assessment.assessmentId },
      ),
    );
  }
  const structural = impactAssessmentIssues(c.content);
  if (structural.length > 0) return err(incompleteImpactAssessment(structural));
  const unmitigated = c.content.impacts
    .filter((im) => SEVERITIES_REQUIRING_MITIGATION.includes(im.severity))
    .filter((im) => !c.content.mitigations.some((m) => m.addressesImpactIds.includes(im.impactId)))
    .map((im) => im.impactId);
  if (unmitigated.length > 0) {
    return err(
      aiSystemError(
        'IMPACT_WITHOUT_MITIGATION',
        `Impacts of ${SEVERITIES_REQUIRING_MITIGATION.join(' or ')} severity need a mitigation: ${unmitigated.join(', ')}.`,
        { impactIds: unmitigated },
      ),
    );
  }
  const by = actorOf(c);
  const revision = s.impactAssessments.length + 1;
  const content = {
    affectedParties: { ...c.content.affectedParties },
    impacts: c.content.impacts.map((im) => ({ ...im })),
    mitigations: c.content.mitigations.map((m) => ({ ...m, owner: m.owner ?? null, addressesImpactIds: [...m.addressesImpactIds] })),
  };
  return ok([
    { type: 'ImpactAssessmentSubmitted', assessmentId: c.assessmentId, revision, content, reviewTaskId: c.reviewTaskId, by, at: c.at },
    openTask(
      s,
      { taskId: c.reviewTaskId, kind: 'impact_assessment_review', subject: { type: 'impact_assessment', assessmentId: c.assessmentId, revision }, requestedBy: c.by.id },
      by,
      c.at,
    ),
    ...stageChange(s, 'impact_assessment', 'ImpactAssessmentSubmitted', by, c.at),
  ]);
}

// ---------- Human task decisions ----------

function decideHumanTask(c: C.DecideHumanTask, s: AiSystemRecord): DecideResult {
  const task = findTask(s, c.taskId);
  const allowed = task ? TASK_OUTCOMES[task.kind] : ['approved', 'rejected', 'changes_requested'] as const;
  const checked = checkHumanTaskDecision(task, { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by }, allowed);
  if (!checked.ok) return checked;
  const t = task as AiSystemTask;
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((r) => typeof r === 'string' && r.trim() !== '');
  const p = new ValidationIssues();
  p.optionalText('comment', c.comment);
  if (c.evidenceRefs !== undefined) checkStringList(p, 'evidenceRefs', c.evidenceRefs, false);
  if (!p.empty) return err(invalid(c.type, p.list));
  const decided: E.HumanTaskDecided = {
    type: 'HumanTaskDecided',
    taskId: t.taskId,
    kind: t.kind,
    outcome: c.outcome,
    reasons,
    comment: c.comment ?? null,
    evidenceRefs: [...(c.evidenceRefs ?? [])],
    by,
    at: c.at,
  };
  const follow = consequencesOfDecision(t, c.outcome, reasons, by, c.at, s);
  if (!follow.ok) return follow;
  return ok([decided, ...follow.value]);
}

function supersededSubject(t: AiSystemTask, why: string): AiSystemError {
  return domainError('HUMAN_TASK_SUPERSEDED', `Task ${t.taskId} concerns something that has been superseded (${why}).`, {
    taskId: t.taskId,
    kind: t.kind,
    subject: t.subject,
  });
}

function consequencesOfDecision(
  t: AiSystemTask,
  outcome: HumanTaskOutcome,
  reasons: string[],
  by: ActorRef,
  at: string,
  s: AiSystemRecord,
): DecideResult {
  const subject = t.subject;
  switch (subject.type) {
    case 'impact_assessment': {
      const ia = findImpactAssessment(s, subject.assessmentId);
      if (!ia || ia.status !== 'under_review') return err(supersededSubject(t, `impact assessment ${subject.assessmentId} is ${ia?.status ?? 'unknown'}`));
      const ref = { assessmentId: ia.assessmentId, revision: ia.revision, by, at };
      if (outcome === 'approved') {
        return ok([
          { type: 'ImpactAssessmentApproved', ...ref },
          ...(s.stage === 'impact_assessment' ? stageChange(s, 'validation', 'ImpactAssessmentApproved', by, at) : []),
        ]);
      }
      if (outcome === 'rejected') return ok([{ type: 'ImpactAssessmentRejected', ...ref, reasons }]);
      return ok([{ type: 'ImpactAssessmentChangesRequested', ...ref, reasons }]);
    }
    case 'validation': {
      const v = findValidation(s, subject.validationId);
      if (!v || v.status !== 'awaiting_sign_off') return err(supersededSubject(t, `validation ${subject.validationId} is ${v?.status ?? 'unknown'}`));
      const live = validationLivenessProblem(s, v, at);
      if (live) return err(supersededSubject(t, live));
      const ref = { validationId: v.validationId, modelVersion: v.modelVersion, artifactDigest: v.artifactDigest, by, at };
      if (outcome === 'approved') {
        return ok([
          { type: 'ValidationSignedOff', ...ref },
          ...(s.stage === 'validation' ? stageChange(s, 'deployment_approval', 'ValidationSignedOff', by, at) : []),
        ]);
      }
      return ok([{ type: 'ValidationSignOffRefused', ...ref, reasons }]);
    }
    case 'deployment': {
      const r = findDeploymentRequest(s, subject.requestId);
      if (!r || r.status !== 'pending_approval') return err(supersededSubject(t, `deployment request ${subject.requestId} is ${r?.status ?? 'unknown'}`));
      const ref = { requestId: r.requestId, modelVersion: r.modelVersion, artifactDigest: r.artifactDigest, environment: r.environment, by, at };
      if (outcome !== 'approved') {
        return ok([
          {
            type: 'DeploymentBlocked',
            ...ref,
            reasons: [{ code: 'DEPLOYMENT_APPROVAL_REFUSED', message: `${by.id} refused the deployment: ${reasons.join('; ')}` }],
          },
        ]);
      }
      const approval = { by, at, automatic: false, taskId: t.taskId };
      const decision = evaluateDeploymentRequest(s, { ...requestOf(r), approval }, s.policy, at);
      if (decision.outcome === 'blocked') return ok([{ type: 'DeploymentBlocked', ...ref, reasons: decision.reasons }]);
      return ok([{ type: 'DeploymentApproved', ...ref, approval }]);
    }
    case 'decommissioning': {
      const d = s.decommissioning;
      if (!d || d.requestId !== subject.requestId || d.status !== 'requested') {
        return err(supersededSubject(t, `decommissioning request ${subject.requestId} is no longer open`));
      }
      if (outcome === 'approved') return ok([{ type: 'DecommissioningApproved', requestId: d.requestId, by, at }]);
      return ok([
        { type: 'DecommissioningRejected', requestId: d.requestId, reasons, by, at },
        ...stageChange(s, d.stageBefore, 'DecommissioningRejected', by, at),
      ]);
    }
    case 'monitoring_review':
      return ok([
        { type: 'MonitoringReviewCompleted', taskId: t.taskId, outcome: outcome === 'approved' ? 'satisfactory' : 'action_required', reasons, by, at },
      ]);
    default:
      return assertNever(subject, 'task subject');
  }
}

// ---------- Data (A.7) ----------

function recordDataset(c: C.RecordDataset, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('datasetId', c.datasetId);
  p.text('name', c.name);
  p.oneOf('purpose', c.purpose, DATASET_PURPOSES);
  p.text('provenance.source', c.provenance?.source);
  p.optionalText('provenance.custodian', c.provenance?.custodian);
  p.optionalText('provenance.licence', c.provenance?.licence);
  checkDigest(p, 'provenance.contentDigest', c.provenance?.contentDigest);
  p.text('acquisition.method', c.acquisition?.method);
  p.optionalTimestamp('acquisition.acquiredAt', c.acquisition?.acquiredAt);
  p.optionalText('acquisition.notes', c.acquisition?.notes);
  if (!Array.isArray(c.preparation?.steps) || c.preparation.steps.some((x) => typeof x !== 'string' || x.trim() === '')) {
    p.add('preparation.steps', 'must be a list of non-empty strings (empty when the data is used as acquired)');
  }
  if (!p.empty) return err(invalid(c.type, p.list));
  if (findDataset(s, c.datasetId)) return err(duplicate('dataset', c.datasetId));
  return ok([
    {
      type: 'DatasetRecorded',
      datasetId: c.datasetId,
      name: c.name,
      purpose: c.purpose,
      provenance: {
        source: c.provenance.source,
        custodian: c.provenance.custodian ?? null,
        licence: c.provenance.licence ?? null,
        contentDigest: c.provenance.contentDigest ?? null,
      },
      acquisition: { method: c.acquisition.method, acquiredAt: c.acquisition.acquiredAt ?? null, notes: c.acquisition.notes ?? null },
      preparation: { steps: [...c.preparation.steps] },
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

function recordDataQualityCheck(c: C.RecordDataQualityCheck, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('checkId', c.checkId);
  p.text('datasetId', c.datasetId);
  if (!Array.isArray(c.results) || c.results.length === 0) p.add('results', 'needs at least one result');
  (Array.isArray(c.results) ? c.results : []).forEach((r, i) => {
    p.text(`results[${i}].dimension`, r?.dimension);
    p.boolean(`results[${i}].passed`, r?.passed);
    if (r?.value !== null && r?.value !== undefined) p.finiteNumber(`results[${i}].value`, r.value);
    p.optionalText(`results[${i}].measure`, r?.measure);
    p.optionalText(`results[${i}].notes`, r?.notes);
  });
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.datasets.some((d) => d.qualityChecks.some((q) => q.checkId === c.checkId))) return err(duplicate('data-quality check', c.checkId));
  if (!findDataset(s, c.datasetId)) {
    return err(aiSystemError('DATASET_UNKNOWN', `Dataset ${c.datasetId} has not been recorded for this AI system.`, { datasetIds: [c.datasetId] }));
  }
  const results = c.results.map((r) => ({
    dimension: r.dimension,
    measure: r.measure ?? null,
    value: r.value ?? null,
    passed: r.passed,
    notes: r.notes ?? null,
  }));
  return ok([
    {
      type: 'DataQualityCheckRecorded',
      checkId: c.checkId,
      datasetId: c.datasetId,
      results,
      passed: results.every((r) => r.passed),
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

// ---------- Versions and validation (A.6.2.4) ----------

function proposeModelVersion(c: C.ProposeModelVersion, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('modelVersion', c.modelVersion);
  if (typeof c.description !== 'string') p.add('description', 'must be a string (empty when there is nothing to say)');
  if (!p.empty) return err(invalid(c.type, p.list));
  if (!isSha256Digest(c.artifactDigest)) return err(invalidDigest(c.artifactDigest));
  if (findVersion(s, c.modelVersion)) {
    return err(aiSystemError('MODEL_VERSION_EXISTS', `Model version ${c.modelVersion} has already been proposed.`, { modelVersion: c.modelVersion }));
  }
  const sameDigest = s.versions.find((v) => v.artifactDigest === c.artifactDigest);
  if (sameDigest) {
    return err(
      aiSystemError(
        'ARTIFACT_DIGEST_ALREADY_REGISTERED',
        `Artifact ${c.artifactDigest} is already model version ${sameDigest.modelVersion}; a new version needs a new artifact.`,
        { artifactDigest: c.artifactDigest, modelVersion: sameDigest.modelVersion },
      ),
    );
  }
  const by = actorOf(c);
  const supersedes = s.versions
    .filter((v) => v.status === 'proposed' || v.status === 'validation_failed' || v.status === 'validated' || v.status === 'approved_for_deployment')
    .map((v) => v.modelVersion);
  const loopsBack = s.stage === 'deployment_approval' || s.stage === 'in_production';
  return ok([
    { type: 'ModelVersionProposed', modelVersion: c.modelVersion, artifactDigest: c.artifactDigest, description: c.description, supersedes, by, at: c.at },
    ...(loopsBack ? stageChange(s, 'validation', 'ModelVersionProposed', by, c.at) : []),
  ]);
}

function invalidDigest(digest: unknown): AiSystemError {
  return aiSystemError('INVALID_ARTIFACT_DIGEST', `"${String(digest)}" is not an artifact digest of the form sha256:<64 lowercase hex>.`, {
    artifactDigest: typeof digest === 'string' ? digest : null,
  });
}

function notInStage(command: string, s: AiSystemRecord, allowed: LifecycleStage[]): AiSystemError {
  return aiSystemError(
    'COMMAND_NOT_ALLOWED_IN_STAGE',
    `${command} is not possible while the AI system is in ${s.stage}; it needs ${allowed.join(' or ')}.`,
    { command, stage: s.stage, allowedStages: allowed },
  );
}

function recordValidationResults(c: C.RecordValidationResults, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('validationId', c.validationId);
  p.text('modelVersion', c.modelVersion);
  checkStringList(p, 'datasetIds', c.datasetIds, true);
  checkMetricValues(p, 'metrics', c.metrics);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (!isSha256Digest(c.artifactDigest)) return err(invalidDigest(c.artifactDigest));
  if (s.stage !== 'validation') return err(notInStage(c.type, s, ['validation']));
  if (findValidation(s, c.validationId)) return err(duplicate('validation', c.validationId));
  const version = findVersion(s, c.modelVersion);
  if (!version) {
    return err(aiSystemError('MODEL_VERSION_UNKNOWN', `Model version ${c.modelVersion} has not been proposed.`, { modelVersion: c.modelVersion }));
  }
  if (!isVersionActive(version)) {
    return err(
      aiSystemError('MODEL_VERSION_NOT_CURRENT', `Model version ${c.modelVersion} is ${version.status} and can no longer be validated.`, {
        modelVersion: c.modelVersion,
        status: version.status,
      }),
    );
  }
  if (version.artifactDigest !== c.artifactDigest) {
    return err(
      aiSystemError(
        'ARTIFACT_DIGEST_MISMATCH',
        `Model version ${c.modelVersion} is artifact ${version.artifactDigest}; results for ${c.artifactDigest} cannot validate it.`,
        { modelVersion: c.modelVersion, expected: version.artifactDigest, actual: c.artifactDigest },
      ),
    );
  }
  const ia = impactAssessmentCurrency(s, c.at);
  if (!ia.current) {
    return err(
      aiSystemError('IMPACT_ASSESSMENT_NOT_CURRENT', `There is no current approved impact assessment (${ia.why}); validation must wait for one.`, {
        why: ia.why,
      }),
    );
  }
  const unknown = c.datasetIds.filter((id) => !findDataset(s, id));
  if (unknown.length > 0) {
    return err(aiSystemError('DATASET_UNKNOWN', `Datasets not recorded for this AI system: ${unknown.join(', ')}.`, { datasetIds: unknown }));
  }
  const quality = c.datasetIds
    .map((id) => ({ datasetId: id, problem: datasetQualityProblem(findDataset(s, id)!) }))
    .filter((q): q is { datasetId: string; problem: string } => q.problem !== null);
  if (quality.length > 0) {
    return err(
      aiSystemError(
        'DATASET_QUALITY_NOT_PASSED',
        `A dataset without a passing data-quality check cannot back a validation: ${quality.map((q) => q.problem).join('; ')}.`,
        { datasets: quality },
      ),
    );
  }
  const inProgress = s.validations.find(
    (v) => v.modelVersion === c.modelVersion && (v.status === 'awaiting_evaluation' || v.status === 'awaiting_sign_off'),
  );
  if (inProgress) {
    return err(
      aiSystemError('VALIDATION_IN_PROGRESS', `Validation ${inProgress.validationId} of ${c.modelVersion} is still ${inProgress.status.replace(/_/g, ' ')}.`, {
        validationId: inProgress.validationId,
        status: inProgress.status,
      }),
    );
  }
  return ok([
    {
      type: 'ValidationResultsRecorded',
      validationId: c.validationId,
      modelVersion: c.modelVersion,
      artifactDigest: c.artifactDigest,
      datasetIds: [...c.datasetIds],
      metrics: c.metrics.map((m) => ({ metric: m.metric, value: m.value })),
      impactAssessmentId: ia.assessment.assessmentId,
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

function evaluateCriteria(c: C.EvaluateAcceptanceCriteria, s: AiSystemRecord): DecideResult {
  const v = findValidation(s, c.validationId);
  if (!v) return err(aiSystemError('VALIDATION_UNKNOWN', `There is no validation ${c.validationId}.`, { validationId: c.validationId }));
  if (v.status !== 'awaiting_evaluation') {
    return err(
      aiSystemError('VALIDATION_ALREADY_EVALUATED', `Validation ${c.validationId} was already evaluated (${v.status}).`, {
        validationId: c.validationId,
        status: v.status,
      }),
    );
  }
  const live = validationLivenessProblem(s, v, c.at);
  if (live) {
    return err(aiSystemError('VALIDATION_NO_LONGER_CURRENT', `Validation ${c.validationId} can no longer lead to deployment: ${live}.`, { validationId: c.validationId }));
  }
  const evaluation = evaluateAcceptanceCriteria(s.profile.acceptanceCriteria, v.metrics);
  if (c.evaluation !== undefined && !sameJson(c.evaluation, evaluation)) {
    return err(
      aiSystemError(
        'ACCEPTANCE_EVALUATION_MISMATCH',
        `The evaluation given for validation ${c.validationId} is not what the acceptance criteria yield for its recorded metrics.`,
        { validationId: c.validationId, given: c.evaluation, expected: evaluation },
      ),
    );
  }
  if (evaluation.passed) {
    const taskProblem = taskIdProblem(s, c.type, c.signOffTaskId, 'signOffTaskId');
    if (taskProblem) return err(taskProblem);
  }
  const by = actorOf(c);
  const evaluated: E.AcceptanceCriteriaEvaluated = {
    type: 'AcceptanceCriteriaEvaluated',
    validationId: v.validationId,
    modelVersion: v.modelVersion,
    artifactDigest: v.artifactDigest,
    passed: evaluation.passed,
    results: evaluation.results,
    signOffTaskId: evaluation.passed ? c.signOffTaskId : null,
    by,
    at: c.at,
  };
  if (!evaluation.passed) return ok([evaluated]);
  return ok([
    evaluated,
    openTask(
      s,
      {
        taskId: c.signOffTaskId,
        kind: 'validation_sign_off',
        subject: { type: 'validation', validationId: v.validationId, modelVersion: v.modelVersion, artifactDigest: v.artifactDigest },
        // The sign-off must come from someone other than whoever submitted the results.
        requestedBy: v.submittedBy.id,
      },
      by,
      c.at,
    ),
  ]);
}

/** Structural equality of plain JSON values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const bo = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && sameJson((a as Record<string, unknown>)[k], bo[k]));
}

// ---------- Deployment (A.6.2.5) ----------

function requestOf(r: {
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  commit: string;
  requestedBy: ActorRef;
  requestedAt: string;
  approvalTaskId: string | null;
}): DeploymentRequest {
  return {
    requestId: r.requestId,
    modelVersion: r.modelVersion,
    artifactDigest: r.artifactDigest,
    environment: r.environment,
    commit: r.commit,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    approvalTaskId: r.approvalTaskId ?? '',
    approval: null,
  };
}

function requestDeployment(c: C.RequestDeployment, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('requestId', c.requestId);
  p.text('modelVersion', c.modelVersion);
  p.text('environment', c.environment);
  p.text('commit', c.commit);
  p.text('approvalTaskId', c.approvalTaskId);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (!isSha256Digest(c.artifactDigest)) return err(invalidDigest(c.artifactDigest));
  if (findDeploymentRequest(s, c.requestId)) return err(duplicate('deployment request', c.requestId));
  const by = actorOf(c);
  const request: DeploymentRequest = {
    requestId: c.requestId,
    modelVersion: c.modelVersion,
    artifactDigest: c.artifactDigest,
    environment: c.environment,
    commit: c.commit,
    requestedBy: by,
    requestedAt: c.at,
    approvalTaskId: c.approvalTaskId,
    approval: null,
  };
  const decision = evaluateDeploymentRequest(s, request, s.policy, c.at);
  if (decision.outcome === 'pending') {
    const taskProblem = taskIdProblem(s, c.type, c.approvalTaskId, 'approvalTaskId');
    if (taskProblem) return err(taskProblem);
  }
  const ref = { requestId: c.requestId, modelVersion: c.modelVersion, artifactDigest: c.artifactDigest, environment: c.environment };
  const requested: E.DeploymentRequested = {
    type: 'DeploymentRequested',
    ...ref,
    commit: c.commit,
    approvalTaskId: decision.outcome === 'pending' ? c.approvalTaskId : null,
    by,
    at: c.at,
  };
  switch (decision.outcome) {
    case 'allowed':
      return ok([requested, { type: 'DeploymentApproved', ...ref, approval: decision.approval, by: decision.approval.by, at: c.at }]);
    case 'blocked':
      return ok([requested, { type: 'DeploymentBlocked', ...ref, reasons: decision.reasons, by: SYSTEM_ACTOR, at: c.at }]);
    case 'pending':
      return ok([requested, { type: 'HumanTaskOpened', ...decision.task, by, at: c.at }]);
    default:
      return assertNever(decision, 'gate decision');
  }
}

function recordDeploymentCompleted(c: C.RecordDeploymentCompleted, s: AiSystemRecord): DecideResult {
  const r = findDeploymentRequest(s, c.requestId);
  if (!r) return err(aiSystemError('DEPLOYMENT_REQUEST_UNKNOWN', `There is no deployment request ${c.requestId}.`, { requestId: c.requestId }));
  if (r.status === 'completed') {
    return err(aiSystemError('DEPLOYMENT_ALREADY_COMPLETED', `Deployment ${c.requestId} was already completed at ${r.completedAt ?? ''}.`, { requestId: c.requestId }));
  }
  if (r.status !== 'approved' || r.approval === null) {
    return err(
      aiSystemError(
        'DEPLOYMENT_NOT_APPROVED',
        `Deployment ${c.requestId} is ${r.status.replace(/_/g, ' ')}, not approved; it cannot be recorded as deployed.`,
        { requestId: c.requestId, status: r.status, reasons: r.blockReasons },
      ),
    );
  }
  const reasons = deploymentGateChecks(s, r, c.at);
  if (reasons.length > 0) {
    return err(
      aiSystemError('DEPLOYMENT_NO_LONGER_ALLOWED', `Deployment ${c.requestId} no longer passes the gate: ${reasons.map((x) => x.message).join(' ')}`, {
        requestId: c.requestId,
        reasons,
      }),
    );
  }
  const by = actorOf(c);
  const production = s.policy.productionEnvironments.includes(r.environment);
  const replaced = production && s.production !== null && s.production.modelVersion !== r.modelVersion ? s.production.modelVersion : null;
  return ok([
    {
      type: 'DeploymentCompleted',
      requestId: r.requestId,
      modelVersion: r.modelVersion,
      artifactDigest: r.artifactDigest,
      environment: r.environment,
      commit: r.commit,
      production,
      replacedVersion: replaced,
      by,
      at: c.at,
    },
    ...(production && s.stage === 'deployment_approval' ? stageChange(s, 'in_production', 'DeploymentCompleted', by, c.at) : []),
  ]);
}

// ---------- Operation and monitoring (9.1, A.6.2.6, A.8.4, 10.2) ----------

function notInProduction(command: string, s: AiSystemRecord): AiSystemError {
  return aiSystemError('NOT_IN_PRODUCTION', `${command} needs a model version in production; AI system ${s.profile.systemId} has none.`, {
    command,
    stage: s.stage,
  });
}

function recordMonitoringReport(c: C.RecordMonitoringReport, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('reportId', c.reportId);
  p.timestamp('window.from', c.window?.from);
  p.timestamp('window.to', c.window?.to);
  if (isIsoTimestamp(c.window?.from) && isIsoTimestamp(c.window?.to) && !isBefore(c.window.from, c.window.to)) {
    p.add('window.from', 'must be before window.to');
  }
  checkMetricValues(p, 'metrics', c.metrics);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.production === null) return err(notInProduction(c.type, s));
  if (s.monitoring.lastReportId === c.reportId) return err(duplicate('monitoring report', c.reportId));
  const by = actorOf(c);
  const prod = s.production;
  const check = checkMonitoringThresholds(s.profile.monitoringThresholds, c.metrics);
  const events: AiSystemEvent[] = [
    {
      type: 'MonitoringReportRecorded',
      reportId: c.reportId,
      modelVersion: prod.modelVersion,
      artifactDigest: prod.artifactDigest,
      window: { from: c.window.from, to: c.window.to },
      metrics: c.metrics.map((m) => ({ metric: m.metric, value: m.value })),
      unmeasured: check.unmeasured,
      by,
      at: c.at,
    },
  ];
  for (const b of check.breaches) {
    // One open nonconformity per metric: repeated breaches are recorded against it (10.2).
    const open = s.nonconformities.find((n) => n.status === 'open' && n.source.type === 'monitoring_breach' && n.source.metric === b.metric);
    const nonconformityId = open ? open.nonconformityId : derivedNonconformityId(s.profile.systemId, `${c.reportId}-${b.metric}`, c.nonconformityIds ?? 'legacy');
    if (!open && s.nonconformities.some((n) => n.nonconformityId === nonconformityId)) return err(duplicate('nonconformity', nonconformityId));
    events.push({
      type: 'MonitoringThresholdBreached',
      reportId: c.reportId,
      modelVersion: prod.modelVersion,
      metric: b.metric,
      direction: b.direction,
      threshold: b.threshold,
      value: b.value,
      nonconformityId,
      by: SYSTEM_ACTOR,
      at: c.at,
    });
    if (!open) {
      events.push({
        type: 'NonconformityOpened',
        nonconformityId,
        source: { type: 'monitoring_breach', reportId: c.reportId, metric: b.metric },
        description: `${b.metric} was ${b.value}, past its threshold of ${b.threshold} (${b.direction.replace(/_/g, ' ')}) in monitoring report ${c.reportId}.`,
        by: SYSTEM_ACTOR,
        at: c.at,
      });
    }
  }
  return ok(events);
}

function reportIncident(c: C.ReportIncident, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('incidentId', c.incidentId);
  p.oneOf('severity', c.severity, INCIDENT_SEVERITIES);
  p.text('description', c.description);
  p.optionalTimestamp('occurredAt', c.occurredAt);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.incidents.some((i) => i.incidentId === c.incidentId)) return err(duplicate('incident', c.incidentId));
  const modelVersion = c.modelVersion ?? s.production?.modelVersion ?? null;
  if (modelVersion !== null && !findVersion(s, modelVersion)) {
    return err(aiSystemError('MODEL_VERSION_UNKNOWN', `Model version ${modelVersion} has not been proposed.`, { modelVersion }));
  }
  const opensNc = s.policy.incidentSeveritiesOpeningNonconformity.includes(c.severity);
  const nonconformityId = opensNc ? derivedNonconformityId(s.profile.systemId, c.incidentId, c.nonconformityIds ?? 'legacy') : null;
  if (nonconformityId !== null && s.nonconformities.some((n) => n.nonconformityId === nonconformityId)) {
    return err(duplicate('nonconformity', nonconformityId));
  }
  const by = actorOf(c);
  const events: AiSystemEvent[] = [
    {
      type: 'IncidentReported',
      incidentId: c.incidentId,
      severity: c.severity,
      description: c.description,
      modelVersion,
      occurredAt: c.occurredAt ?? null,
      nonconformityId,
      by,
      at: c.at,
    },
  ];
  if (nonconformityId !== null) {
    events.push({
      type: 'NonconformityOpened',
      nonconformityId,
      source: { type: 'incident', incidentId: c.incidentId },
      description: `${c.severity} incident ${c.incidentId}: ${c.description}`,
      by,
      at: c.at,
    });
  }
  return ok(events);
}

function recordMonitoringReviewDue(c: C.RecordMonitoringReviewDue, s: AiSystemRecord): DecideResult {
  if (s.production === null) return err(notInProduction(c.type, s));
  const by = actorOf(c);
  const stillOpen = s.tasks.some((t) => t.kind === 'monitoring_review' && t.status === 'open');
  if (stillOpen) return ok([{ type: 'MonitoringReviewDue', modelVersion: s.production.modelVersion, reviewTaskId: null, by, at: c.at }]);
  const taskProblem = taskIdProblem(s, c.type, c.reviewTaskId, 'reviewTaskId');
  if (taskProblem) return err(taskProblem);
  return ok([
    { type: 'MonitoringReviewDue', modelVersion: s.production.modelVersion, reviewTaskId: c.reviewTaskId, by, at: c.at },
    openTask(
      s,
      { taskId: c.reviewTaskId, kind: 'monitoring_review', subject: { type: 'monitoring_review', modelVersion: s.production.modelVersion, dueAt: c.at }, requestedBy: null },
      by,
      c.at,
    ),
  ]);
}

function closeNonconformity(c: C.CloseNonconformity, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('resolution', c.resolution);
  if (!p.empty) return err(invalid(c.type, p.list));
  const nc = s.nonconformities.find((n) => n.nonconformityId === c.nonconformityId);
  if (!nc) {
    return err(aiSystemError('NONCONFORMITY_UNKNOWN', `There is no nonconformity ${c.nonconformityId}.`, { nonconformityId: c.nonconformityId }));
  }
  if (nc.status === 'closed') {
    return err(
      aiSystemError('NONCONFORMITY_ALREADY_CLOSED', `Nonconformity ${c.nonconformityId} was closed at ${nc.closedAt ?? ''}.`, {
        nonconformityId: c.nonconformityId,
      }),
    );
  }
  return ok([{ type: 'NonconformityClosed', nonconformityId: c.nonconformityId, resolution: c.resolution, by: actorOf(c), at: c.at }]);
}

// ---------- Change (6.3) ----------

function cleanAmendments(a: ProfileAmendments | undefined, p: ValidationIssues): ProfileAmendments {
  const out: ProfileAmendments = {};
  if (!a) return out;
  for (const key of ['name', 'purpose', 'intendedUse', 'owner'] as const) {
    const value = a[key];
    if (value === undefined) continue;
    p.text(`amendments.${key}`, value);
    out[key] = value;
  }
  if (a.provider !== undefined) {
    checkProvider(p, 'amendments.provider', a.provider);
    // A null or non-object provider is reported by checkProvider; copy only a real one.
    if (typeof a.provider === 'object' && a.provider !== null) out.provider = { kind: a.provider.kind, supplier: a.provider.supplier ?? null };
  }
  if (a.riskTier !== undefined) {
    checkRiskTier(p, 'amendments.riskTier', a.riskTier);
    out.riskTier = a.riskTier;
  }
  if (a.acceptanceCriteria !== undefined) {
    checkCriteria(p, 'amendments.acceptanceCriteria', a.acceptanceCriteria, true);
    if (Array.isArray(a.acceptanceCriteria)) out.acceptanceCriteria = a.acceptanceCriteria.map(copyCriterion);
  }
  if (a.monitoringThresholds !== undefined) {
    checkCriteria(p, 'amendments.monitoringThresholds', a.monitoringThresholds, false);
    if (Array.isArray(a.monitoringThresholds)) out.monitoringThresholds = a.monitoringThresholds.map(copyCriterion);
  }
  return out;
}

const copyCriterion = (x: MetricCriterion): MetricCriterion => ({ metric: x.metric, direction: x.direction, threshold: x.threshold });

function recordChange(c: C.RecordChange, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('changeId', c.changeId);
  p.text('description', c.description);
  p.boolean('significant', c.significant);
  const amendments = cleanAmendments(c.amendments, p);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.changes.some((x) => x.changeId === c.changeId)) return err(duplicate('change', c.changeId));
  const needSignificance = SIGNIFICANT_AMENDMENTS.filter((k) => amendments[k] !== undefined);
  if (!c.significant && needSignificance.length > 0) {
    return err(
      aiSystemError(
        'CHANGE_MUST_BE_SIGNIFICANT',
        `Changing ${needSignificance.join(', ')} changes what was assessed; record it as a significant change.`,
        { fields: needSignificance },
      ),
    );
  }
  const by = actorOf(c);
  const loopsBack = c.significant && (s.stage === 'validation' || s.stage === 'deployment_approval' || s.stage === 'in_production');
  return ok([
    { type: 'ChangeRecorded', changeId: c.changeId, description: c.description, significant: c.significant, amendments, by, at: c.at },
    ...(loopsBack ? stageChange(s, 'impact_assessment', 'ChangeRecorded', by, c.at) : []),
  ]);
}

// ---------- Decommissioning ----------

function requestDecommissioning(c: C.RequestDecommissioning, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('requestId', c.requestId);
  p.text('reason', c.reason);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.decommissioning?.requestId === c.requestId) return err(duplicate('decommissioning request', c.requestId));
  const taskProblem = taskIdProblem(s, c.type, c.approvalTaskId, 'approvalTaskId');
  if (taskProblem) return err(taskProblem);
  const by = actorOf(c);
  return ok([
    { type: 'DecommissioningRequested', requestId: c.requestId, reason: c.reason, approvalTaskId: c.approvalTaskId, stageBefore: s.stage, by, at: c.at },
    openTask(
      s,
      { taskId: c.approvalTaskId, kind: 'decommissioning_approval', subject: { type: 'decommissioning', requestId: c.requestId }, requestedBy: c.by.id },
      by,
      c.at,
    ),
    ...stageChange(s, 'decommissioning', 'DecommissioningRequested', by, c.at),
  ]);
}

function completeDecommissioning(c: C.CompleteDecommissioning, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  checkDataRetention(p, c.dataRetention);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.stage !== 'decommissioning' || s.decommissioning === null) return err(notInStage(c.type, s, ['decommissioning']));
  const d = s.decommissioning;
  if (d.status !== 'approved') {
    return err(
      aiSystemError('DECOMMISSIONING_NOT_APPROVED', `Decommissioning request ${d.requestId} is ${d.status}, not approved.`, {
        requestId: d.requestId,
        status: d.status,
        approvalTaskId: d.approvalTaskId,
      }),
    );
  }
  const by = actorOf(c);
  const superseded: E.HumanTaskSuperseded[] = s.tasks
    .filter((t) => t.status === 'open')
    .map((t) => ({ type: 'HumanTaskSuperseded', taskId: t.taskId, reason: 'the AI system was decommissioned', by: SYSTEM_ACTOR, at: c.at }));
  return ok([
    ...superseded,
    {
      type: 'AiSystemDecommissioned',
      requestId: d.requestId,
      reason: d.reason,
      dataRetention: { decision: c.dataRetention.decision, retainUntil: c.dataRetention.retainUntil ?? null, justification: c.dataRetention.justification },
      retiredVersion: s.production?.modelVersion ?? null,
      by,
      at: c.at,
    },
    ...stageChange(s, 'decommissioned', 'AiSystemDecommissioned', by, c.at),
  ]);
}

// ---------- Overdue tasks ----------

function sendReminder(c: C.SendHumanTaskReminder, s: AiSystemRecord): DecideResult {
  const due = checkReminderDue(findTask(s, c.taskId), c.taskId, c.at);
  if (!due.ok) return due;
  return ok([{ type: 'HumanTaskReminderSent', taskId: c.taskId, dueAt: due.value.dueAt, notifiedRoles: eligibleRoles(due.value), by: actorOf(c), at: c.at }]);
}

function escalate(c: C.EscalateHumanTask, s: AiSystemRecord): DecideResult {
  const due = checkEscalationDue(findTask(s, c.taskId), c.taskId, c.at, s.policy.escalationAfterMs);
  if (!due.ok) return due;
  const escalatedTo: AimsRole = ESCALATION_ROLE;
  return ok([{ type: 'HumanTaskEscalated', taskId: c.taskId, escalatedTo, by: actorOf(c), at: c.at }]);
}

// ---------- Reconciliation ----------

/**
 * Open work whose basis the state no longer supports, closed with events: a review task for an assessment
 * no longer under review, a sign-off for a validation that can no longer lead anywhere, a deployment
 * approval (or an approved, not yet completed deployment) that would now be blocked.
 */
function reconcile(s: AiSystemRecord, at: string): AiSystemEvent[] {
  if (s.stage === 'decommissioned') return [];
  const events: AiSystemEvent[] = [];
  const supersede = (taskId: string, reason: string) => events.push({ type: 'HumanTaskSuperseded', taskId, reason, by: SYSTEM_ACTOR, at });
  for (const t of s.tasks) {
    if (t.status !== 'open') continue;
    const subject = t.subject;
    if (subject.type === 'impact_assessment') {
      const ia = findImpactAssessment(s, subject.assessmentId);
      if (ia && ia.status !== 'under_review') supersede(t.taskId, `impact assessment ${ia.assessmentId} is ${ia.status}`);
    } else if (subject.type === 'validation') {
      const v = findValidation(s, subject.validationId);
      const problem = v ? validationLivenessProblem(s, v, at) : `validation ${subject.validationId} is unknown`;
      if (problem) supersede(t.taskId, problem);
    } else if (subject.type === 'deployment') {
      const r = findDeploymentRequest(s, subject.requestId);
      if (!r || r.status !== 'pending_approval') continue;
      const reasons = deploymentGateChecks(s, r, at);
      if (reasons.length > 0) {
        supersede(t.taskId, reasons.map((x) => x.message).join(' '));
        events.push(blocked(r, reasons, at));
      }
    }
  }
  for (const r of s.deploymentRequests) {
    if (r.status !== 'approved') continue;
    const reasons = deploymentGateChecks(s, r, at);
    if (reasons.length > 0) events.push(blocked(r, reasons, at));
  }
  return events;
}

function blocked(
  r: { requestId: string; modelVersion: string; artifactDigest: string; environment: string },
  reasons: E.DeploymentBlocked['reasons'],
  at: string,
): E.DeploymentBlocked {
  return {
    type: 'DeploymentBlocked',
    requestId: r.requestId,
    modelVersion: r.modelVersion,
    artifactDigest: r.artifactDigest,
    environment: r.environment,
    reasons,
    by: SYSTEM_ACTOR,
    at,
  };
}
