import {
  checkMonitoringThresholds,
  derivedNonconformityId,
  nextMonitoringReviewDueAt,
  type AiSystemCommand,
} from '../../../../domain/ai-system';
import {
  after,
  aimsOwner,
  at,
  decideTask,
  fieldsOf,
  given,
  issuesOf,
  ofType,
  operator,
  owner,
  registered,
  thenError,
  thenEvents,
  toProduction,
  toSignedOff,
  types,
  when,
} from './scenario';

const report = (reportId: string, metrics: { metric: string; value: number }[], minute = 20): AiSystemCommand => ({
  type: 'RecordMonitoringReport',
  reportId,
  window: { from: at(minute - 10), to: at(minute) },
  metrics,
  by: operator,
  at: at(minute),
});

const incident = (incidentId: string, severity: 'low' | 'medium' | 'high' | 'critical', minute = 20): AiSystemCommand => ({
  type: 'ReportIncident',
  incidentId,
  severity,
  description: 'Applicant complaint about unexplained refusal',
  by: operator,
  at: at(minute),
});

const reviewDue = (reviewTaskId: string, minute: number): AiSystemCommand => ({
  type: 'RecordMonitoringReviewDue',
  reviewTaskId,
  at: at(minute),
});

describe('monitoring in production (9.1, A.6.2.6)', () => {
  test('given a version in production, when a report within thresholds arrives, then only MonitoringReportRecorded', () => {
    const state = given(...toProduction());
    const result = when(
      state,
      report('R-1', [
        { metric: 'auc', value: 0.85 },
        { metric: 'false_positive_rate', value: 0.05 },
      ]),
    );
    const events = thenEvents(result);
    expect(types(events)).toEqual(['MonitoringReportRecorded']);
    expect(ofType(events, 'MonitoringReportRecorded')).toMatchObject({ modelVersion: '1.0.0', unmeasured: [] });
    expect(after(state, result).monitoring).toMatchObject({ reportCount: 1, breachCount: 0, lastReportId: 'R-1' });
  });

  test('given a version in production, when a value is past its threshold, then a breach is recorded and a nonconformity opened', () => {
    const state = given(...toProduction());
    const result = when(state, report('R-1', [{ metric: 'auc', value: 0.7 }]));
    const events = thenEvents(result);
    expect(types(events)).toEqual(['MonitoringReportRecorded', 'MonitoringThresholdBreached', 'NonconformityOpened']);
    expect(ofType(events, 'MonitoringReportRecorded').unmeasured).toEqual(['false_positive_rate']);
    expect(ofType(events, 'MonitoringThresholdBreached')).toMatchObject({
      metric: 'auc',
      threshold: 0.8,
      value: 0.7,
      nonconformityId: 'nc-R-1-auc',
    });
    expect(ofType(events, 'NonconformityOpened')).toMatchObject({
      nonconformityId: 'nc-R-1-auc',
      source: { type: 'monitoring_breach', reportId: 'R-1', metric: 'auc' },
    });
    const next = after(state, result);
    expect(next.nonconformities.map((n) => [n.nonconformityId, n.status])).toEqual([['nc-R-1-auc', 'open']]);
    expect(next.monitoring.breachCount).toBe(1);
  });

  test('given an open nonconformity for a metric, when it breaches again, then the breach is recorded against the same nonconformity', () => {
    const state = given(...toProduction(), report('R-1', [{ metric: 'auc', value: 0.7 }]));
    const events = thenEvents(when(state, report('R-2', [{ metric: 'auc', value: 0.6 }], 30)));
    expect(types(events)).toEqual(['MonitoringReportRecorded', 'MonitoringThresholdBreached']);
    expect(ofType(events, 'MonitoringThresholdBreached').nonconformityId).toBe('nc-R-1-auc');
  });

  test('given the nonconformity was closed, when the metric breaches again, then a new nonconformity opens', () => {
    const state = given(...toProduction(), report('R-1', [{ metric: 'auc', value: 0.7 }]), {
      type: 'CloseNonconformity',
      nonconformityId: 'nc-R-1-auc',
      resolution: 'retrained features',
      by: aimsOwner,
      at: at(25),
    });
    expect(registered(state).nonconformities[0]).toMatchObject({ status: 'closed', resolution: 'retrained features' });
    expect(types(thenEvents(when(state, report('R-2', [{ metric: 'auc', value: 0.6 }], 30))))).toContain('NonconformityOpened');
  });

  test('given per-system nonconformity ids, when a report breaches and an incident opens one, then the ids name the system (workflows and streams are global)', () => {
    const state = given(...toProduction());
    const breach = thenEvents(
      when(state, { ...report('R-1', [{ metric: 'auc', value: 0.7 }]), nonconformityIds: 'per-system' } as AiSystemCommand),
    );
    expect(ofType(breach, 'NonconformityOpened').nonconformityId).toBe('nc-credit-scoring-R-1-auc');
    const high = thenEvents(when(state, { ...incident('INC-1', 'high'), nonconformityIds: 'per-system' } as AiSystemCommand));
    expect(ofType(high, 'IncidentReported').nonconformityId).toBe('nc-credit-scoring-INC-1');
    expect(derivedNonconformityId('credit-scoring', ['R-1', 'auc'], 'legacy')).toBe('nc-R-1-auc');
  });

  test("given an open nonconformity, when the system closes it without a person (its corrective action was effective), then it is recorded as the system's act", () => {
    const state = given(...toProduction(), report('R-1', [{ metric: 'auc', value: 0.7 }]));
    const events = thenEvents(
      when(state, { type: 'CloseNonconformity', nonconformityId: 'nc-R-1-auc', resolution: 'closed by its corrective action', at: at(25) }),
    );
    expect(ofType(events, 'NonconformityClosed')).toMatchObject({
      nonconformityId: 'nc-R-1-auc',
      by: { id: 'aims:lifecycle', role: 'system' },
    });
  });

  test('closing errors: unknown nonconformity, already closed, no resolution', () => {
    const state = given(...toProduction(), report('R-1', [{ metric: 'auc', value: 0.7 }]));
    const close = (id: string, resolution = 'fixed'): AiSystemCommand => ({
      type: 'CloseNonconformity',
      nonconformityId: id,
      resolution,
      by: aimsOwner,
      at: at(25),
    });
    thenError(when(state, close('nc-x')), 'NONCONFORMITY_UNKNOWN');
    expect(fieldsOf(thenError(when(state, close('nc-R-1-auc', '')), 'VALIDATION_FAILED'))).toEqual(['resolution']);
    thenError(
      when(given(...toProduction(), report('R-1', [{ metric: 'auc', value: 0.7 }]), close('nc-R-1-auc')), close('nc-R-1-auc')),
      'NONCONFORMITY_ALREADY_CLOSED',
    );
  });

  test('given nothing in production, when a report arrives, then NOT_IN_PRODUCTION', () => {
    thenError(when(given(...toSignedOff()), report('R-1', [{ metric: 'auc', value: 0.9 }])), 'NOT_IN_PRODUCTION');
  });

  test('when the window is inverted, or the same report id is sent twice in a row, then VALIDATION_FAILED / DUPLICATE_ID', () => {
    const state = given(...toProduction());
    const inverted = { ...report('R-1', [{ metric: 'auc', value: 0.9 }]), window: { from: at(20), to: at(10) } } as never;
    expect(issuesOf(thenError(when(state, inverted), 'VALIDATION_FAILED'))).toEqual([
      { field: 'window.from', problem: 'must be before window.to' },
    ]);
    thenError(
      when(given(...toProduction(), report('R-1', [{ metric: 'auc', value: 0.9 }])), report('R-1', [{ metric: 'auc', value: 0.9 }], 30)),
      'DUPLICATE_ID',
    );
  });

  test('checkMonitoringThresholds (pure): breaches past the threshold, at-threshold is fine, unmeasured listed apart', () => {
    const thresholds = [
      { metric: 'drift', direction: 'lower_is_better' as const, threshold: 0.2 },
      { metric: 'precision', direction: 'higher_is_better' as const, threshold: 0.7 },
      { metric: 'recall', direction: 'higher_is_better' as const, threshold: 0.7 },
    ];
    expect(
      checkMonitoringThresholds(thresholds, [
        { metric: 'drift', value: 0.3 },
        { metric: 'precision', value: 0.7 },
      ]),
    ).toEqual({
      breaches: [{ metric: 'drift', direction: 'lower_is_better', threshold: 0.2, value: 0.3 }],
      unmeasured: ['recall'],
    });
  });
});

describe('incidents (A.8.4, 10.2)', () => {
  test('given a system in production, when a high-severity incident is reported, then it is recorded with a nonconformity', () => {
    const events = thenEvents(when(given(...toProduction()), incident('INC-1', 'high')));
    expect(types(events)).toEqual(['IncidentReported', 'NonconformityOpened']);
    expect(ofType(events, 'IncidentReported')).toMatchObject({ modelVersion: '1.0.0', nonconformityId: 'nc-INC-1' });
    expect(ofType(events, 'NonconformityOpened').source).toEqual({ type: 'incident', incidentId: 'INC-1' });
  });

  test('when a low-severity incident is reported, then no nonconformity (policy: high and critical only)', () => {
    const events = thenEvents(when(given(...toProduction()), incident('INC-1', 'low')));
    expect(types(events)).toEqual(['IncidentReported']);
    expect(ofType(events, 'IncidentReported').nonconformityId).toBeNull();
  });

  test('when incident ids repeat, or the severity is unknown, or the version is unknown, then typed errors', () => {
    thenError(when(given(...toProduction(), incident('INC-1', 'low')), incident('INC-1', 'low', 21)), 'DUPLICATE_ID');
    expect(
      fieldsOf(thenError(when(given(...toProduction()), { ...incident('INC-2', 'low'), severity: 'meh' } as never), 'VALIDATION_FAILED')),
    ).toEqual(['severity']);
    thenError(when(given(...toProduction()), { ...incident('INC-2', 'low'), modelVersion: '7.0' } as never), 'MODEL_VERSION_UNKNOWN');
  });
});

describe('periodic monitoring review', () => {
  test('given a version in production, the next review falls due one interval after it went live', () => {
    const state = given(...toProduction({ policy: { monitoringReviewIntervalMs: 60 * 60_000 } }));
    expect(nextMonitoringReviewDueAt(state)).toBe(at(11 + 60));
    expect(nextMonitoringReviewDueAt(given(...toSignedOff()))).toBeNull();
  });

  test('given a version in production, when the review falls due, then MonitoringReviewDue and a review task for an engineer or the AIMS owner', () => {
    const state = given(...toProduction({ policy: { monitoringReviewIntervalMs: 60 * 60_000 } }));
    const result = when(state, reviewDue('task-review-1', 71));
    const events = thenEvents(result);
    expect(types(events)).toEqual(['MonitoringReviewDue', 'HumanTaskOpened']);
    expect(ofType(events, 'HumanTaskOpened')).toMatchObject({
      kind: 'monitoring_review',
      requiredRoles: ['engineer', 'aims_owner'],
      requestedBy: null,
    });
    const next = after(state, result);
    expect(nextMonitoringReviewDueAt(next)).toBe(at(131));
  });

  test('given a review task still open, when the next review falls due, then it is recorded without a second task', () => {
    const state = given(...toProduction(), reviewDue('task-review-1', 30));
    expect(types(thenEvents(when(state, reviewDue('task-review-2', 40))))).toEqual(['MonitoringReviewDue']);
  });

  test('given a review task, when the owner finds it satisfactory or finds action required, then MonitoringReviewCompleted says so', () => {
    const state = given(...toProduction(), reviewDue('task-review-1', 30));
    const ok = thenEvents(when(state, decideTask('task-review-1', 'approved', owner, 31)));
    expect(ofType(ok, 'MonitoringReviewCompleted').outcome).toBe('satisfactory');
    const action = thenEvents(when(state, decideTask('task-review-1', 'rejected', owner, 31, ['drift trending up'])));
    expect(ofType(action, 'MonitoringReviewCompleted')).toMatchObject({ outcome: 'action_required', reasons: ['drift trending up'] });
  });

  test('given nothing in production, when a review falls due, then NOT_IN_PRODUCTION', () => {
    thenError(when(given(...toSignedOff()), reviewDue('task-review-1', 30)), 'NOT_IN_PRODUCTION');
  });
});
