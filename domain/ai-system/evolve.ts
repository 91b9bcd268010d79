/**
 * `evolve(state, event)`: the state after an event. Total: every event type is handled (the compiler
 * checks it), and an event that cannot apply to the state (only possible if the stream was not produced
 * by `decide`) leaves the state unchanged rather than throwing, so replaying evidence never crashes.
 * Immutable: returns new objects and never mutates its input.
 */
import { exhaustiveOr } from '../shared/result';
import type { AiSystemEvent } from './events';
import type {
  AiSystemRecord,
  AiSystemState,
  AiSystemTask,
  DatasetRecord,
  DeploymentRequestRecord,
  ImpactAssessmentRecord,
  ModelVersionRecord,
  ModelVersionStatus,
  ValidationRecord,
} from './model';
import { isRegistered } from './model';

const mapWhere = <T>(list: T[], match: (x: T) => boolean, update: (x: T) => T): T[] => list.map((x) => (match(x) ? update(x) : x));

const updateTask = (s: AiSystemRecord, taskId: string, update: (t: AiSystemTask) => AiSystemTask): AiSystemRecord => ({
  ...s,
  tasks: mapWhere(s.tasks, (t) => t.taskId === taskId, update),
});
const updateAssessment = (s: AiSystemRecord, id: string, update: (a: ImpactAssessmentRecord) => ImpactAssessmentRecord) => ({
  ...s,
  impactAssessments: mapWhere(s.impactAssessments, (a) => a.assessmentId === id, update),
});
const updateValidation = (s: AiSystemRecord, id: string, update: (v: ValidationRecord) => ValidationRecord) => ({
  ...s,
  validations: mapWhere(s.validations, (v) => v.validationId === id, update),
});
const updateRequest = (s: AiSystemRecord, id: string, update: (r: DeploymentRequestRecord) => DeploymentRequestRecord) => ({
  ...s,
  deploymentRequests: mapWhere(s.deploymentRequests, (r) => r.requestId === id, update),
});
const updateVersion = (s: AiSystemRecord, v: string, update: (r: ModelVersionRecord) => ModelVersionRecord) => ({
  ...s,
  versions: mapWhere(s.versions, (r) => r.modelVersion === v, update),
});
const updateDataset = (s: AiSystemRecord, id: string, update: (d: DatasetRecord) => DatasetRecord) => ({
  ...s,
  datasets: mapWhere(s.datasets, (d) => d.datasetId === id, update),
});

/** Statuses a version leaves when it gains a validation outcome; later statuses are never downgraded. */
const PRE_VALIDATION: readonly ModelVersionStatus[] = ['proposed', 'validation_failed'];

export function evolve(state: AiSystemState, event: AiSystemEvent): AiSystemState {
  if (event.type === 'AiSystemRegistered') {
    if (isRegistered(state)) return state;
    return {
      stage: 'registered',
      profile: {
        systemId: event.systemId,
        name: event.name,
        purpose: event.purpose,
        intendedUse: event.intendedUse,
        owner: event.owner,
        provider: event.provider,
        riskTier: event.riskTier,
        acceptanceCriteria: event.acceptanceCriteria,
        monitoringThresholds: event.monitoringThresholds,
      },
      policy: event.policy,
      registeredBy: event.by,
      registeredAt: event.at,
      impactAssessments: [],
      approvedImpactAssessmentId: null,
      datasets: [],
      versions: [],
      candidateVersion: null,
      validations: [],
      deploymentRequests: [],
      production: null,
      monitoring: {
        reportCount: 0,
        breachCount: 0,
        lastReportId: null,
        lastReportAt: null,
        lastReviewDueAt: null,
        lastReviewCompletedAt: null,
        lastReviewOutcome: null,
      },
      incidents: [],
      nonconformities: [],
      changes: [],
      decommissioning: null,
      tasks: [],
    };
  }
  if (!isRegistered(state)) return state;
  return evolveRegistered(state, event);
}

function evolveRegistered(s: AiSystemRecord, e: Exclude<AiSystemEvent, { type: 'AiSystemRegistered' }>): AiSystemRecord {
  switch (e.type) {
    case 'LifecycleStageChanged':
      return { ...s, stage: e.to };

    case 'ImpactAssessmentSubmitted':
      return {
        ...s,
        impactAssessments: [
          ...s.impactAssessments,
          {
            assessmentId: e.assessmentId,
            revision: e.revision,
            content: e.content,
            submittedBy: e.by,
            submittedAt: e.at,
            reviewTaskId: e.reviewTaskId,
            status: 'under_review',
            decidedBy: null,
            decidedAt: null,
            reasons: [],
          },
        ],
      };
    case 'ImpactAssessmentApproved':
      return {
        ...updateAssessment(s, e.assessmentId, (a) => ({ ...a, status: 'approved', decidedBy: e.by, decidedAt: e.at, reasons: [] })),
        approvedImpactAssessmentId: e.assessmentId,
      };
    case 'ImpactAssessmentRejected':
      return updateAssessment(s, e.assessmentId, (a) => ({ ...a, status: 'rejected', decidedBy: e.by, decidedAt: e.at, reasons: e.reasons }));
    case 'ImpactAssessmentChangesRequested':
      return updateAssessment(s, e.assessmentId, (a) => ({
        ...a,
        status: 'changes_requested',
        decidedBy: e.by,
        decidedAt: e.at,
        reasons: e.reasons,
      }));

    case 'DatasetRecorded':
      return {
        ...s,
        datasets: [
          ...s.datasets,
          {
            datasetId: e.datasetId,
            name: e.name,
            purpose: e.purpose,
            provenance: e.provenance,
            acquisition: e.acquisition,
            preparation: e.preparation,
            recordedBy: e.by,
            recordedAt: e.at,
            qualityChecks: [],
          },
        ],
      };
    case 'DataQualityCheckRecorded':
      return updateDataset(s, e.datasetId, (d) => ({
        ...d,
        qualityChecks: [...d.qualityChecks, { checkId: e.checkId, results: e.results, passed: e.passed, checkedBy: e.by, checkedAt: e.at }],
      }));

    case 'ModelVersionProposed':
      return {
        ...s,
        versions: [
          ...s.versions.map((v) => (e.supersedes.includes(v.modelVersion) ? { ...v, status: 'superseded' as const } : v)),
          {
            modelVersion: e.modelVersion,
            artifactDigest: e.artifactDigest,
            description: e.description,
            proposedBy: e.by,
            proposedAt: e.at,
            status: 'proposed',
            deployedEnvironments: [],
          },
        ],
        candidateVersion: e.modelVersion,
      };

    case 'ValidationResultsRecorded':
      return {
        ...s,
        validations: [
          ...s.validations,
          {
            validationId: e.validationId,
            modelVersion: e.modelVersion,
            artifactDigest: e.artifactDigest,
            datasetIds: e.datasetIds,
            metrics: e.metrics,
            impactAssessmentId: e.impactAssessmentId,
            submittedBy: e.by,
            recordedAt: e.at,
            status: 'awaiting_evaluation',
            evaluation: null,
            signOffTaskId: null,
            signedOffBy: null,
            signedOffAt: null,
          },
        ],
      };
    case 'AcceptanceCriteriaEvaluated': {
      const next = updateValidation(s, e.validationId, (v) => ({
        ...v,
        status: e.passed ? 'awaiting_sign_off' : 'failed',
        evaluation: { passed: e.passed, results: e.results },
        signOffTaskId: e.signOffTaskId,
      }));
      return e.passed
        ? next
        : updateVersion(next, e.modelVersion, (v) => (PRE_VALIDATION.includes(v.status) ? { ...v, status: 'validation_failed' } : v));
    }
    case 'ValidationSignedOff':
      return updateVersion(
        updateValidation(s, e.validationId, (v) => ({ ...v, status: 'signed_off', signedOffBy: e.by, signedOffAt: e.at })),
        e.modelVersion,
        (v) => (PRE_VALIDATION.includes(v.status) ? { ...v, status: 'validated' } : v),
      );
    case 'ValidationSignOffRefused':
      return updateValidation(s, e.validationId, (v) => ({ ...v, status: 'sign_off_refused' }));

    case 'DeploymentRequested':
      return {
        ...s,
        deploymentRequests: [
          ...s.deploymentRequests,
          {
            requestId: e.requestId,
            modelVersion: e.modelVersion,
            artifactDigest: e.artifactDigest,
            environment: e.environment,
            commit: e.commit,
            requestedBy: e.by,
            requestedAt: e.at,
            approvalTaskId: e.approvalTaskId,
            status: 'pending_approval',
            approval: null,
            blockReasons: [],
            completedAt: null,
          },
        ],
      };
    case 'DeploymentApproved':
      return updateVersion(
        updateRequest(s, e.requestId, (r) => ({ ...r, status: 'approved', approval: e.approval })),
        e.modelVersion,
        (v) => (v.status === 'validated' ? { ...v, status: 'approved_for_deployment' } : v),
      );
    case 'DeploymentBlocked':
      return updateRequest(s, e.requestId, (r) => ({ ...r, status: 'blocked', blockReasons: e.reasons }));
    case 'DeploymentCompleted': {
      const next = updateRequest(s, e.requestId, (r) => ({ ...r, status: 'completed', completedAt: e.at }));
      if (!e.production) {
        return updateVersion(next, e.modelVersion, (v) =>
          v.deployedEnvironments.includes(e.environment) ? v : { ...v, deployedEnvironments: [...v.deployedEnvironments, e.environment] },
        );
      }
      const retired = e.replacedVersion === null ? next : updateVersion(next, e.replacedVersion, (v) => ({ ...v, status: 'retired' }));
      return {
        ...updateVersion(retired, e.modelVersion, (v) => ({ ...v, status: 'in_production' })),
        production: { modelVersion: e.modelVersion, artifactDigest: e.artifactDigest, environment: e.environment, requestId: e.requestId, since: e.at },
      };
    }

    case 'MonitoringReportRecorded':
      return { ...s, monitoring: { ...s.monitoring, reportCount: s.monitoring.reportCount + 1, lastReportId: e.reportId, lastReportAt: e.at } };
    case 'MonitoringThresholdBreached':
      return { ...s, monitoring: { ...s.monitoring, breachCount: s.monitoring.breachCount + 1 } };
    case 'MonitoringReviewDue':
      return { ...s, monitoring: { ...s.monitoring, lastReviewDueAt: e.at } };
    case 'MonitoringReviewCompleted':
      return { ...s, monitoring: { ...s.monitoring, lastReviewCompletedAt: e.at, lastReviewOutcome: e.outcome } };
    case 'NonconformityOpened':
      return {
        ...s,
        nonconformities: [
          ...s.nonconformities,
          { nonconformityId: e.nonconformityId, source: e.source, description: e.description, status: 'open', openedAt: e.at, closedAt: null, resolution: null },
        ],
      };
    case 'NonconformityClosed':
      return {
        ...s,
        nonconformities: mapWhere(
          s.nonconformities,
          (n) => n.nonconformityId === e.nonconformityId,
          (n) => ({ ...n, status: 'closed', closedAt: e.at, resolution: e.resolution }),
        ),
      };
    case 'IncidentReported':
      return {
        ...s,
        incidents: [
          ...s.incidents,
          {
            incidentId: e.incidentId,
            severity: e.severity,
            description: e.description,
            modelVersion: e.modelVersion,
            occurredAt: e.occurredAt,
            reportedBy: e.by,
            reportedAt: e.at,
            nonconformityId: e.nonconformityId,
          },
        ],
      };

    case 'ChangeRecorded': {
      const withChange: AiSystemRecord = {
        ...s,
        profile: { ...s.profile, ...e.amendments },
        changes: [
          ...s.changes,
          { changeId: e.changeId, description: e.description, significant: e.significant, amendments: e.amendments, recordedBy: e.by, recordedAt: e.at },
        ],
      };
      if (!e.significant) return withChange;
      // A significant change makes the approved assessment outdated and withdraws one under review (8.4).
      return {
        ...withChange,
        impactAssessments: withChange.impactAssessments.map((a) =>
          a.status === 'approved' ? { ...a, status: 'outdated' } : a.status === 'under_review' ? { ...a, status: 'withdrawn' } : a,
        ),
      };
    }

    case 'DecommissioningRequested':
      return {
        ...s,
        decommissioning: {
          requestId: e.requestId,
          reason: e.reason,
          requestedBy: e.by,
          requestedAt: e.at,
          approvalTaskId: e.approvalTaskId,
          stageBefore: e.stageBefore,
          status: 'requested',
          decidedBy: null,
          reasons: [],
          dataRetention: null,
          completedAt: null,
        },
      };
    case 'DecommissioningApproved':
      return s.decommissioning === null ? s : { ...s, decommissioning: { ...s.decommissioning, status: 'approved', decidedBy: e.by } };
    case 'DecommissioningRejected':
      return s.decommissioning === null
        ? s
        : { ...s, decommissioning: { ...s.decommissioning, status: 'rejected', decidedBy: e.by, reasons: e.reasons } };
    case 'AiSystemDecommissioned': {
      const next = e.retiredVersion === null ? s : updateVersion(s, e.retiredVersion, (v) => ({ ...v, status: 'retired' }));
      return {
        ...next,
        production: null,
        decommissioning:
          next.decommissioning === null ? null : { ...next.decommissioning, status: 'completed', dataRetention: e.dataRetention, completedAt: e.at },
      };
    }

    case 'HumanTaskOpened':
      return {
        ...s,
        tasks: [
          ...s.tasks,
          {
            taskId: e.taskId,
            kind: e.kind,
            requiredRoles: e.requiredRoles,
            subject: e.subject,
            requestedBy: e.requestedBy,
            openedAt: e.at,
            dueAt: e.dueAt,
            status: 'open',
            reminderSentAt: null,
            escalatedAt: null,
            escalatedTo: null,
            decision: null,
            supersededAt: null,
            supersededReason: null,
          },
        ],
      };
    case 'HumanTaskDecided':
      return updateTask(s, e.taskId, (t) => ({ ...t, status: 'decided', decision: { outcome: e.outcome, by: e.by, reasons: e.reasons, at: e.at } }));
    case 'HumanTaskReminderSent':
      return updateTask(s, e.taskId, (t) => ({ ...t, reminderSentAt: e.at }));
    case 'HumanTaskEscalated':
      return updateTask(s, e.taskId, (t) => ({ ...t, escalatedAt: e.at, escalatedTo: e.escalatedTo }));
    case 'HumanTaskSuperseded': {
      const task = s.tasks.find((t) => t.taskId === e.taskId);
      const next = updateTask(s, e.taskId, (t) => ({ ...t, status: 'superseded', supersededAt: e.at, supersededReason: e.reason }));
      // A superseded sign-off leaves its validation unable to lead anywhere: mark it so.
      return task?.subject.type === 'validation'
        ? updateValidation(next, task.subject.validationId, (v) => (v.status === 'awaiting_sign_off' ? { ...v, status: 'superseded' } : v))
        : next;
    }
    default:
      // An unknown event type (not produced by this decider) leaves the state as it was.
      return exhaustiveOr(e, s);
  }
}

/** The state after a sequence of events, from `initial` (default: not yet registered). */
export function replay(events: Iterable<AiSystemEvent>, initial: AiSystemState = { stage: 'unregistered' }): AiSystemState {
  let state = initial;
  for (const e of events) state = evolve(state, e);
  return state;
}
