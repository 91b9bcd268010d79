/** Each computed measure (9.1) from given evidence: what it counts, what it leaves out, and when it has no value. */
import { foldMeasures, measureAt, measuresAt, startMeasures, type MeasureEvidence } from '../../../../domain/measures';
import type { JsonObject } from '../../../../domain/shared/json';

let position = 0;
const ev = (stream: string, type: string, data: JsonObject, at = '2026-03-01T09:00:00.000Z'): MeasureEvidence => {
  position += 1;
  return { id: `ev-${position}`, stream, type, position, recordedAt: at, data: { at, ...data } };
};
const fold = (events: MeasureEvidence[]) => events.reduce(foldMeasures, startMeasures());
const AS_OF = '2026-03-10T00:00:00.000Z';

beforeEach(() => {
  position = 0;
});

describe('production-impact-assessment-coverage', () => {
  const toProduction = (s: string) => ev(s, 'LifecycleStageChanged', { from: 'deployment_approval', to: 'in_production', cause: 'x' });
  test('given two systems in production, one with its assessment approved, then one half; a resubmission makes it not current', () => {
    const a = 'ai-system-a';
    const b = 'ai-system-b';
    const events = [
      ev(a, 'AiSystemRegistered', {}),
      ev(b, 'AiSystemRegistered', {}),
      ev(a, 'ImpactAssessmentSubmitted', { assessmentId: 'ia', revision: 1 }),
      ev(a, 'ImpactAssessmentApproved', { assessmentId: 'ia', revision: 1 }),
      ev(b, 'ImpactAssessmentSubmitted', { assessmentId: 'ib', revision: 1 }),
      toProduction(a),
      toProduction(b),
      ev('ai-system-c', 'ImpactAssessmentApproved', { assessmentId: 'ic', revision: 1 }),
    ];
    const m = measureAt(fold(events), 'production-impact-assessment-coverage', AS_OF);
    expect(m).toMatchObject({ value: 0.5, reason: null, breakdown: { production: 2, covered: 1 } });
    expect(m.evidence).toEqual(expect.arrayContaining(['ev-4', 'ev-6', 'ev-7']));
    const later = fold([...events, ev(a, 'ImpactAssessmentSubmitted', { assessmentId: 'ia', revision: 2 })]);
    expect(measureAt(later, 'production-impact-assessment-coverage', AS_OF).value).toBe(0);
  });
  test('given no system in production, then no value, with the reason', () => {
    const m = measureAt(fold([ev('ai-system-a', 'ImpactAssessmentApproved', {})]), 'production-impact-assessment-coverage', AS_OF);
    expect(m).toMatchObject({ value: null, reason: 'no AI system is in production' });
  });
});

describe('deployment-decision-median-hours', () => {
  test('given three decided requests (2h, 4h, 10h) and one pending, then the median of the decided ones, 4', () => {
    const s = 'ai-system-a';
    const events = [
      ev(s, 'DeploymentRequested', { requestId: 'r1' }, '2026-03-01T00:00:00.000Z'),
      ev(s, 'DeploymentApproved', { requestId: 'r1' }, '2026-03-01T02:00:00.000Z'),
      ev(s, 'DeploymentRequested', { requestId: 'r2' }, '2026-03-02T00:00:00.000Z'),
      ev(s, 'DeploymentBlocked', { requestId: 'r2' }, '2026-03-02T10:00:00.000Z'),
      ev('ai-system-b', 'DeploymentRequested', { requestId: 'r1' }, '2026-03-03T00:00:00.000Z'),
      ev('ai-system-b', 'DeploymentApproved', { requestId: 'r1' }, '2026-03-03T04:00:00.000Z'),
      ev(s, 'DeploymentRequested', { requestId: 'r3' }, '2026-03-04T00:00:00.000Z'),
    ];
    expect(measureAt(fold(events), 'deployment-decision-median-hours', AS_OF)).toMatchObject({ value: 4, breakdown: { decided: 3 } });
    expect(measureAt(fold(events.slice(0, 4)), 'deployment-decision-median-hours', AS_OF).value).toBe(6);
    expect(measureAt(fold(events.slice(4)), 'deployment-decision-median-hours', AS_OF).value).toBe(4);
    expect(measureAt(fold([events[6]]), 'deployment-decision-median-hours', AS_OF).value).toBeNull();
  });
});

describe('overdue-human-tasks', () => {
  test('given tasks in several processes, then only the open ones past due at the instant count', () => {
    const events = [
      ev('ai-system-a', 'HumanTaskOpened', { taskId: 't1', dueAt: '2026-03-05T00:00:00.000Z' }),
      ev('soa-organisation', 'HumanTaskOpened', { taskId: 't1', dueAt: '2026-03-06T00:00:00.000Z' }),
      ev('risk-r1', 'HumanTaskOpened', { taskId: 't2', dueAt: '2026-03-04T00:00:00.000Z' }),
      ev('risk-r1', 'HumanTaskDecided', { taskId: 't2' }),
      ev('document-d', 'HumanTaskOpened', { taskId: 't3', dueAt: '2026-03-20T00:00:00.000Z' }),
    ];
    expect(measureAt(fold(events), 'overdue-human-tasks', AS_OF)).toMatchObject({ value: 2, evidence: ['ev-1', 'ev-2'] });
    expect(measureAt(fold(events), 'overdue-human-tasks', '2026-03-05T12:00:00.000Z').value).toBe(1);
    expect(measureAt(fold(events), 'overdue-human-tasks', '2026-03-21T00:00:00.000Z').value).toBe(3);
  });
});

describe('corrective-actions-closed-on-time', () => {
  const nc = 'nonconformity-NC-1';
  const plan = (planId: string, actions: JsonObject[]) =>
    ev(nc, 'CorrectiveActionPlanSubmitted', { nonconformityId: 'NC-1', round: 1, planId, actions });
  test('given an approved plan, then actions done by their date count on time, late or overdue ones do not, not-yet-due ones are left out', () => {
    const events = [
      plan('p1', [
        { actionId: 'a1', dueDate: '2026-03-03' },
        { actionId: 'a2', dueDate: '2026-03-04' },
        { actionId: 'a3', dueDate: '2026-03-05' },
        { actionId: 'a4', dueDate: '2026-03-30' },
      ]),
      ev(nc, 'CorrectiveActionPlanApproved', { nonconformityId: 'NC-1', round: 1, planId: 'p1' }),
      ev(nc, 'CorrectiveActionCompleted', { nonconformityId: 'NC-1', round: 1, planId: 'p1', actionId: 'a1' }, '2026-03-03T23:00:00.000Z'),
      ev(nc, 'CorrectiveActionCompleted', { nonconformityId: 'NC-1', round: 1, planId: 'p1', actionId: 'a2' }, '2026-03-05T09:00:00.000Z'),
      plan('p9', [{ actionId: 'x', dueDate: '2026-03-01' }]),
    ];
    expect(measureAt(fold(events), 'corrective-actions-closed-on-time', AS_OF)).toMatchObject({
      value: 0.3333,
      breakdown: { due: 3, onTime: 1 },
    });
  });
  test('given no approved plan, then no value', () => {
    expect(
      measureAt(fold([plan('p1', [{ actionId: 'a1', dueDate: '2026-03-03' }])]), 'corrective-actions-closed-on-time', AS_OF),
    ).toMatchObject({ value: null, reason: 'no approved corrective action is completed or due' });
  });
});

describe('applicable-controls-operating', () => {
  const soa = 'soa-organisation';
  const entries = [
    { controlId: 'A.2.2', applicable: true },
    { controlId: 'A.5.2', applicable: true },
    { controlId: 'A.10.3', applicable: false },
  ];
  test('given no SoA in force, then no value with the reason; a proposal alone is not in force', () => {
    expect(
      measureAt(fold([ev(soa, 'SoaRevisionProposed', { revisionId: 'r1', entries })]), 'applicable-controls-operating', AS_OF),
    ).toMatchObject({
      value: null,
      reason: 'no Statement of Applicability is in force',
    });
  });
  test('given an SoA in force, then the share of applicable controls attested operating and not lapsed', () => {
    const events = [
      ev(soa, 'SoaRevisionProposed', { revisionId: 'r1', entries }),
      ev(soa, 'SoaRevisionApproved', { revisionId: 'r1', version: 1 }),
      ev(soa, 'ControlStatusAttested', { controlId: 'A.2.2', status: 'operates', reviewBy: '2026-03-31' }),
      ev(soa, 'ControlStatusAttested', { controlId: 'A.10.3', status: 'operates', reviewBy: '2026-03-31' }),
      ev(soa, 'ControlStatusAttested', { controlId: 'A.5.2', status: 'does_not_operate', reviewBy: '2026-03-31' }),
    ];
    expect(measureAt(fold(events), 'applicable-controls-operating', AS_OF)).toMatchObject({
      value: 0.5,
      breakdown: { applicable: 2, operating: 1 },
      evidence: ['ev-2', 'ev-3'],
    });
    expect(measureAt(fold(events), 'applicable-controls-operating', '2026-04-01T00:00:00.000Z').value).toBe(0);
  });
});

describe('open-nonconformities', () => {
  test("given raised, closed and reopened nonconformities, then the open ones by severity; the lifecycle's own NonconformityOpened is not counted twice", () => {
    const raise = (id: string, severity: string) => ev(`nonconformity-${id}`, 'NonconformityRaised', { nonconformityId: id, severity });
    const events = [
      raise('N1', 'minor'),
      raise('N2', 'critical'),
      raise('N3', 'major'),
      ev('ai-system-a', 'NonconformityOpened', { nonconformityId: 'N2' }),
      ev('nonconformity-N1', 'NonconformityClosed', { nonconformityId: 'N1', round: 1 }),
      ev('nonconformity-N3', 'NonconformityClosed', { nonconformityId: 'N3', round: 1 }),
      ev('nonconformity-N3', 'NonconformityReopened', { nonconformityId: 'N3', round: 2 }),
    ];
    expect(measureAt(fold(events), 'open-nonconformities', AS_OF)).toMatchObject({
      value: 2,
      breakdown: { minor: 0, major: 1, critical: 1 },
      evidence: ['ev-2', 'ev-3'],
    });
  });
});

test('given an earlier cut of the same evidence, then the figures differ as the evidence says', () => {
  const events = [
    ev('nonconformity-N1', 'NonconformityRaised', { nonconformityId: 'N1', severity: 'major' }, '2026-03-01T00:00:00.000Z'),
    ev('nonconformity-N2', 'NonconformityRaised', { nonconformityId: 'N2', severity: 'minor' }, '2026-03-05T00:00:00.000Z'),
  ];
  const cut = (asOf: string) => fold(events.filter((e) => e.recordedAt <= asOf));
  expect(measureAt(cut('2026-03-02T00:00:00.000Z'), 'open-nonconformities', '2026-03-02T00:00:00.000Z').value).toBe(1);
  expect(measureAt(cut(AS_OF), 'open-nonconformities', AS_OF).value).toBe(2);
  expect(measuresAt(startMeasures(), AS_OF).map((m) => m.measureId)).toHaveLength(6);
});
