/**
 * Read-only questions about the state, used by `decide`, by the deployment gate and by the workflow's
 * queries and timers. All pure; time is an argument where the answer depends on it.
 */
import type { AimsRole } from '../shared/roles';
import { addMilliseconds, earliest, isAtOrAfter } from '../shared/iso-time';
import { eligibleRoles, escalationDueAt, nextTaskDeadline } from '../shared/human-task';
import type { EscalateHumanTask, SendHumanTaskReminder } from './commands';
import type {
  AiPolicyAtDecision,
  AiSystemRecord,
  AiSystemState,
  AiSystemTask,
  DatasetRecord,
  DeploymentBlockReason,
  DeploymentRequestRecord,
  DeploymentRequestStatus,
  ImpactAssessmentRecord,
  LifecycleStage,
  ModelVersionRecord,
  ModelVersionStatus,
  RiskPostureRecord,
  ProductionDeployment,
  ValidationRecord,
} from './model';
import { isRegistered } from './model';

export const findTask = (s: AiSystemRecord, taskId: string): AiSystemTask | undefined => s.tasks.find((t) => t.taskId === taskId);
export const findVersion = (s: AiSystemRecord, v: string): ModelVersionRecord | undefined => s.versions.find((x) => x.modelVersion === v);
export const findDataset = (s: AiSystemRecord, id: string): DatasetRecord | undefined => s.datasets.find((d) => d.datasetId === id);
export const findValidation = (s: AiSystemRecord, id: string): ValidationRecord | undefined =>
  s.validations.find((v) => v.validationId === id);
export const findDeploymentRequest = (s: AiSystemRecord, id: string): DeploymentRequestRecord | undefined =>
  s.deploymentRequests.find((r) => r.requestId === id);
export const findImpactAssessment = (s: AiSystemRecord, id: string): ImpactAssessmentRecord | undefined =>
  s.impactAssessments.find((a) => a.assessmentId === id);

export type ImpactAssessmentCurrency =
  | { current: true; assessment: ImpactAssessmentRecord }
  | { current: false; why: 'missing' | 'outdated' | 'expired'; assessment: ImpactAssessmentRecord | null };

/**
 * Whether the system has an approved impact assessment that still holds at `at`: approved, not
 * overtaken by a significant change, and younger than the policy's validity period.
 */
export function impactAssessmentCurrency(s: AiSystemRecord, at: string): ImpactAssessmentCurrency {
  const a = s.approvedImpactAssessmentId === null ? undefined : findImpactAssessment(s, s.approvedImpactAssessmentId);
  if (!a) return { current: false, why: 'missing', assessment: null };
  if (a.status !== 'approved') return { current: false, why: 'outdated', assessment: a };
  const validity = s.policy.impactAssessmentValidityMs;
  if (validity !== null && a.decidedAt !== null && isAtOrAfter(at, addMilliseconds(a.decidedAt, validity))) {
    return { current: false, why: 'expired', assessment: a };
  }
  return { current: true, assessment: a };
}

export function underReviewImpactAssessment(s: AiSystemRecord): ImpactAssessmentRecord | undefined {
  return s.impactAssessments.find((a) => a.status === 'under_review');
}

/** A dataset may back a validation only if its latest data-quality check passed (A.7.4). */
export function datasetQualityProblem(d: DatasetRecord): string | null {
  const latest = d.qualityChecks[d.qualityChecks.length - 1];
  if (!latest) return `dataset ${d.datasetId} has no data-quality check`;
  if (!latest.passed) return `dataset ${d.datasetId}'s latest data-quality check ${latest.checkId} failed`;
  return null;
}

const INACTIVE_VERSION: readonly ModelVersionStatus[] = ['superseded', 'retired'];
export function isVersionActive(v: ModelVersionRecord): boolean {
  return !INACTIVE_VERSION.includes(v.status);
}

/**
 * Whether a validation can still lead to deployment: its version is active and it was made under the
 * approved impact assessment that is current at `at`.
 */
export function validationLivenessProblem(s: AiSystemRecord, v: ValidationRecord, at: string): string | null {
  const version = findVersion(s, v.modelVersion);
  if (!version || !isVersionActive(version)) return `model version ${v.modelVersion} is ${version ? version.status : 'unknown'}`;
  const ia = impactAssessmentCurrency(s, at);
  if (!ia.current) return `there is no current approved impact assessment (${ia.why})`;
  if (v.impactAssessmentId !== ia.assessment.assessmentId) {
    return `validation ${v.validationId} was made under impact assessment ${v.impactAssessmentId}, not the current ${ia.assessment.assessmentId}`;
  }
  return null;
}

// ---------- Views for the workflow's queries ----------

export type ModelVersionView = { modelVersion: string; artifactDigest: string; status: ModelVersionStatus; proposedAt: string };
export type LifecycleView = {
  systemId: string | null;
  stage: LifecycleStage | 'unregistered';
  openTasks: AiSystemTask[];
  versions: ModelVersionView[];
  production: ProductionDeployment | null;
};

export function openHumanTasks(state: AiSystemState): AiSystemTask[] {
  return isRegistered(state) ? state.tasks.filter((t) => t.status === 'open') : [];
}

export function modelVersionsView(state: AiSystemState): ModelVersionView[] {
  return isRegistered(state)
    ? state.versions.map((v) => ({
        modelVersion: v.modelVersion,
        artifactDigest: v.artifactDigest,
        status: v.status,
        proposedAt: v.proposedAt,
      }))
    : [];
}

export function lifecycleView(state: AiSystemState): LifecycleView {
  if (!isRegistered(state)) return { systemId: null, stage: 'unregistered', openTasks: [], versions: [], production: null };
  return {
    systemId: state.profile.systemId,
    stage: state.stage,
    openTasks: openHumanTasks(state),
    versions: modelVersionsView(state),
    production: state.production,
  };
}

/** Where a deployment request stands: what the caller of a deployment Update is told. */
/** `aiPolicy`: the AI policy in force at the request's decision, once noted (absent while pending and in earlier runs). */
export type DeploymentRequestView = (
  | { requestId: string; outcome: 'allowed' | 'completed'; status: DeploymentRequestStatus; reasons: []; approvalTaskId: string | null }
  | { requestId: string; outcome: 'blocked'; status: 'blocked'; reasons: DeploymentBlockReason[]; approvalTaskId: string | null }
  | { requestId: string; outcome: 'pending'; status: 'pending_approval'; reasons: []; approvalTaskId: string; task: AiSystemTask | null }
) & { aiPolicy?: AiPolicyAtDecision };

export function deploymentRequestView(state: AiSystemState, requestId: string): DeploymentRequestView | null {
  if (!isRegistered(state)) return null;
  const r = findDeploymentRequest(state, requestId);
  if (!r) return null;
  const view = deploymentRequestStatusView(state, r);
  return r.aiPolicy === undefined || view.outcome === 'pending' ? view : { ...view, aiPolicy: r.aiPolicy };
}

function deploymentRequestStatusView(state: AiSystemRecord, r: DeploymentRequestRecord): DeploymentRequestView {
  const requestId = r.requestId;
  switch (r.status) {
    case 'approved':
      return { requestId, outcome: 'allowed', status: r.status, reasons: [], approvalTaskId: r.approvalTaskId };
    case 'completed':
      return { requestId, outcome: 'completed', status: r.status, reasons: [], approvalTaskId: r.approvalTaskId };
    case 'blocked':
      return { requestId, outcome: 'blocked', status: 'blocked', reasons: r.blockReasons, approvalTaskId: r.approvalTaskId };
    case 'pending_approval': {
      const taskId = r.approvalTaskId ?? '';
      return {
        requestId,
        outcome: 'pending',
        status: 'pending_approval',
        reasons: [],
        approvalTaskId: taskId,
        task: findTask(state, taskId) ?? null,
      };
    }
  }
}

// ---------- Risks of the system ----------

/** The risk postures the system holds (none for records from before risks could report one). */
export function riskPostures(s: AiSystemState): RiskPostureRecord[] {
  return isRegistered(s) ? (s.riskPostures ?? []) : [];
}

/** The postures that block deployment now, in the order their risks first reported. */
export function blockingRiskPostures(s: AiSystemState): RiskPostureRecord[] {
  return riskPostures(s).filter((p) => p.blockers.length > 0);
}

/** The ids of every risk that ever reported to this lifecycle: those it asks to reassess. */
export function knownRiskIds(s: AiSystemState): string[] {
  return riskPostures(s).map((p) => p.riskId);
}

// ---------- Time: what falls due, and when ----------

/**
 * The reminder and escalation commands due at `at`, one per open task at most (a task needing both gets
 * its reminder first; the escalation falls due `escalationAfterMs` later). The workflow supplies `at`.
 */
export function dueHumanTaskCommands(state: AiSystemState, at: string): Array<SendHumanTaskReminder | EscalateHumanTask> {
  if (!isRegistered(state)) return [];
  const due: Array<SendHumanTaskReminder | EscalateHumanTask> = [];
  for (const t of state.tasks) {
    if (t.status !== 'open') continue;
    if (t.reminderSentAt === null) {
      if (isAtOrAfter(at, t.dueAt)) due.push({ type: 'SendHumanTaskReminder', taskId: t.taskId, at });
    } else if (t.escalatedAt === null) {
      const escalateAt = escalationDueAt(t, state.policy.escalationAfterMs);
      if (escalateAt !== null && isAtOrAfter(at, escalateAt)) due.push({ type: 'EscalateHumanTask', taskId: t.taskId, at });
    }
  }
  return due;
}

/** The earliest instant a reminder or escalation falls due, or null: how long the workflow may sleep. */
export function nextHumanTaskDeadline(state: AiSystemState): string | null {
  if (!isRegistered(state)) return null;
  return earliest(state.tasks.map((t) => nextTaskDeadline(t, state.policy.escalationAfterMs)));
}

/** When the next monitoring review falls due, or null when nothing is in production. */
export function nextMonitoringReviewDueAt(state: AiSystemState): string | null {
  if (!isRegistered(state) || state.production === null || state.stage === 'decommissioned') return null;
  const base = state.monitoring.lastReviewDueAt ?? state.production.since;
  return addMilliseconds(base, state.policy.monitoringReviewIntervalMs);
}

/** Who may decide an open task right now (including the AIMS owner after escalation). */
export function rolesThatMayDecide(task: AiSystemTask): AimsRole[] {
  return eligibleRoles(task);
}
