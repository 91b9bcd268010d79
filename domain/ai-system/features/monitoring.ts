/**
 * Operation and monitoring (9.1, A.6.2.6, A.8.4, 10.2): monitoring reports checked against the thresholds,
 * each breach opening (or adding to) a nonconformity; incidents, the severe ones opening a nonconformity;
 * the periodic monitoring review task; and closing the nonconformities this system opened.
 */
import { isBefore, isIsoTimestamp } from '../../shared/iso-time';
import { SYSTEM_ACTOR } from '../../shared/roles';
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { aiSystemError, invalid, type AiSystemError } from '../errors';
import type { AiSystemEvent } from '../events';
import { derivedNonconformityId } from '../identity';
import { checkMetricValues } from '../input-checks';
import { checkMonitoringThresholds } from '../metrics';
import { INCIDENT_SEVERITIES, type AiSystemRecord } from '../model';
import { findVersion } from '../queries';
import { actorOf, duplicate, mapWhere, openTask, taskIdProblem } from './common';
import type { DecideResult, Feature } from './feature';

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
    const open = s.nonconformities.find(
      (n) => n.status === 'open' && n.source.type === 'monitoring_breach' && n.source.metric === b.metric,
    );
    const nonconformityId = open
      ? open.nonconformityId
      : derivedNonconformityId(s.profile.systemId, [c.reportId, b.metric], c.nonconformityIds ?? 'legacy');
    if (!open && s.nonconformities.some((n) => n.nonconformityId === nonconformityId))
      return err(duplicate('nonconformity', nonconformityId));
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
  const nonconformityId = opensNc ? derivedNonconformityId(s.profile.systemId, [c.incidentId], c.nonconformityIds ?? 'legacy') : null;
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
      {
        taskId: c.reviewTaskId,
        kind: 'monitoring_review',
        subject: { type: 'monitoring_review', modelVersion: s.production.modelVersion, dueAt: c.at },
        requestedBy: null,
      },
      by,
      c.at,
    ),
  ]);
}

function recordCorrectiveActionNotStarted(c: C.RecordCorrectiveActionNotStarted, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('reason.code', c.reason?.code);
  p.text('reason.message', c.reason?.message);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (!s.nonconformities.some((n) => n.nonconformityId === c.nonconformityId)) {
    return err(
      aiSystemError('NONCONFORMITY_UNKNOWN', `There is no nonconformity ${c.nonconformityId}.`, { nonconformityId: c.nonconformityId }),
    );
  }
  const taskProblem = taskIdProblem(s, c.type, c.taskId, 'taskId');
  if (taskProblem) return err(taskProblem);
  const by = actorOf(c);
  return ok([
    {
      type: 'CorrectiveActionNotStarted',
      nonconformityId: c.nonconformityId,
      code: c.reason.code,
      reason: c.reason.message,
      taskId: c.taskId,
      by,
      at: c.at,
    },
    openTask(
      s,
      {
        taskId: c.taskId,
        kind: 'corrective_action_start',
        subject: { type: 'corrective_action_start', nonconformityId: c.nonconformityId },
        requestedBy: null,
      },
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
    return err(
      aiSystemError('NONCONFORMITY_UNKNOWN', `There is no nonconformity ${c.nonconformityId}.`, { nonconformityId: c.nonconformityId }),
    );
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

export const monitoring = {
  decide: {
    RecordMonitoringReport: recordMonitoringReport,
    ReportIncident: reportIncident,
    RecordMonitoringReviewDue: recordMonitoringReviewDue,
    RecordCorrectiveActionNotStarted: recordCorrectiveActionNotStarted,
    CloseNonconformity: closeNonconformity,
  },
  evolve: {
    MonitoringReportRecorded: (s, e) => ({
      ...s,
      monitoring: { ...s.monitoring, reportCount: s.monitoring.reportCount + 1, lastReportId: e.reportId, lastReportAt: e.at },
    }),
    MonitoringThresholdBreached: (s) => ({ ...s, monitoring: { ...s.monitoring, breachCount: s.monitoring.breachCount + 1 } }),
    MonitoringReviewDue: (s, e) => ({ ...s, monitoring: { ...s.monitoring, lastReviewDueAt: e.at } }),
    MonitoringReviewCompleted: (s, e) => ({
      ...s,
      monitoring: { ...s.monitoring, lastReviewCompletedAt: e.at, lastReviewOutcome: e.outcome },
    }),
    NonconformityOpened: (s, e) => ({
      ...s,
      nonconformities: [
        ...s.nonconformities,
        {
          nonconformityId: e.nonconformityId,
          source: e.source,
          description: e.description,
          status: 'open',
          openedAt: e.at,
          closedAt: null,
          resolution: null,
        },
      ],
    }),
    // The task it opens is folded by HumanTaskOpened; the nonconformity stays open in the record.
    CorrectiveActionNotStarted: (s) => s,
    NonconformityClosed: (s, e) => ({
      ...s,
      nonconformities: mapWhere(
        s.nonconformities,
        (n) => n.nonconformityId === e.nonconformityId,
        (n) => ({ ...n, status: 'closed', closedAt: e.at, resolution: e.resolution }),
      ),
    }),
    IncidentReported: (s, e) => ({
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
    }),
  },
  onTaskDecided: {
    // approved: the review found operation satisfactory; rejected: it found action is required.
    monitoring_review: (t, { outcome, reasons, by, at }) =>
      ok([
        {
          type: 'MonitoringReviewCompleted',
          taskId: t.taskId,
          outcome: outcome === 'approved' ? 'satisfactory' : 'action_required',
          reasons,
          by,
          at,
        },
      ]),
    // Deciding it records the AIMS owner's word (HumanTaskDecided); nothing else follows.
    corrective_action_start: () => ok([]),
  },
} satisfies Feature;
