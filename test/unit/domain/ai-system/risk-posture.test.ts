import { riskReassessmentCause, SYSTEM_ACTOR, type AiSystemCommand, type AiSystemEvent } from '../../../../domain/ai-system';
import type { RiskDeploymentBlocker } from '../../../../domain/shared/risk-links';
import {
  after,
  approver2,
  at,
  decideTask,
  developer,
  DIGEST_A,
  fieldsOf,
  given,
  ofType,
  registered,
  requestDeployment,
  thenError,
  thenEvents,
  toSignedOff,
  types,
  when,
} from './scenario';

const posture = (
  riskId: string,
  blockers: RiskDeploymentBlocker[],
  minute: number,
  causeEventId = `ev-${riskId}-${minute}`,
): AiSystemCommand => ({
  type: 'RecordRiskPosture',
  riskId,
  level: 'high',
  blockers,
  causeEventId,
  changedAt: at(minute),
  at: at(minute),
});

describe('risk postures and the deployment gate (6.1.3, 8.3, A.6.2.5)', () => {
  test('given a risk reporting it is above appetite and not accepted, when a deployment is requested, then blocked with the reason and the risk id', () => {
    const s = given(...toSignedOff(), posture('R-1', ['above-appetite-not-accepted'], 8));
    const events = thenEvents(when(s, requestDeployment('D-1', '1.0.0', DIGEST_A, 9)));
    expect(types(events)).toEqual(['DeploymentRequested', 'DeploymentBlocked']);
    expect(ofType(events, 'DeploymentBlocked').reasons).toEqual([
      {
        code: 'RISK_BLOCKS_DEPLOYMENT',
        message:
          'A risk of this AI system blocks deployment: risk R-1 (level high): above the risk appetite with no accepted residual level.',
        riskIds: ['R-1'],
      },
    ]);
  });

  test('given two risks blocking and one clear, when a deployment is requested, then one reason names only the blocking risks', () => {
    const s = given(
      ...toSignedOff(),
      posture('R-1', ['treatment-action-overdue'], 8),
      posture('R-2', [], 8),
      posture('R-3', ['above-appetite-not-accepted', 'treatment-action-overdue'], 8),
    );
    const blocked = ofType(thenEvents(when(s, requestDeployment())), 'DeploymentBlocked');
    expect(blocked.reasons.map((r) => [r.code, r.riskIds])).toEqual([['RISK_BLOCKS_DEPLOYMENT', ['R-1', 'R-3']]]);
  });

  test('given a blocked request, when the risk later reports no blockers, then a new request goes ahead (pending approval, then allowed)', () => {
    const s1 = given(...toSignedOff(), posture('R-1', ['above-appetite-not-accepted'], 8));
    const s2 = after(s1, when(s1, requestDeployment('D-1')));
    expect(registered(s2).deploymentRequests[0]?.status).toBe('blocked');
    const s3 = after(s2, when(s2, posture('R-1', [], 9)));
    const events = thenEvents(when(s3, requestDeployment('D-2', '1.0.0', DIGEST_A, 10)));
    expect(types(events)).toEqual(['DeploymentRequested', 'HumanTaskOpened']);
    const s4 = after(s3, { ok: true, value: events });
    expect(types(thenEvents(when(s4, decideTask('task-deploy-D-2', 'approved', approver2, 11))))).toEqual([
      'HumanTaskDecided',
      'DeploymentApproved',
    ]);
  });

  test('given a request pending approval, when a risk reports a blocker, then the request is blocked and its approval task superseded', () => {
    const s = given(...toSignedOff(), requestDeployment());
    const events = thenEvents(when(s, posture('R-1', ['treatment-action-overdue'], 10)));
    expect(types(events)).toEqual(['RiskPostureNoted', 'HumanTaskSuperseded', 'DeploymentBlocked']);
    expect(ofType(events, 'RiskPostureNoted')).toEqual({
      type: 'RiskPostureNoted',
      riskId: 'R-1',
      level: 'high',
      blockers: ['treatment-action-overdue'],
      causeEventId: 'ev-R-1-10',
      changedAt: at(10),
      by: SYSTEM_ACTOR,
      at: at(10),
    });
  });

  test('given a posture noted, when the same report arrives again or an older one does, then nothing is recorded', () => {
    const s = given(...toSignedOff(), posture('R-1', ['treatment-action-overdue'], 10));
    expect(thenEvents(when(s, posture('R-1', ['treatment-action-overdue'], 10)))).toEqual([]);
    expect(thenEvents(when(s, posture('R-1', [], 9, 'ev-older')))).toEqual([]);
    expect(registered(s).riskPostures?.map((r) => [r.riskId, r.blockers])).toEqual([['R-1', ['treatment-action-overdue']]]);
  });

  test('given a malformed posture, when noted, then VALIDATION_FAILED names each bad field', () => {
    const s = given(...toSignedOff());
    const bad = { ...posture('', ['nope' as RiskDeploymentBlocker], 9), level: '', changedAt: 'yesterday' } as AiSystemCommand;
    expect(fieldsOf(thenError(when(s, bad), 'VALIDATION_FAILED'))).toEqual(['riskId', 'level', 'changedAt', 'blockers']);
  });

  test('given no posture ever noted, then the record has no riskPostures at all (earlier runs keep their state shape)', () => {
    expect(registered(given(...toSignedOff())).riskPostures).toBeUndefined();
  });

  test('a person issuing RecordRiskPosture needs risk_owner or aims_owner', () => {
    const s = given(...toSignedOff());
    thenError(when(s, { ...posture('R-1', [], 9), by: developer }), 'MISSING_ROLE');
  });
});

describe('riskReassessmentCause: what reopens the risks', () => {
  const base = { by: { id: 'dev', role: 'engineer' as const }, at: at(1) };
  const change = (significant: boolean): AiSystemEvent => ({
    type: 'ChangeRecorded',
    changeId: 'C-1',
    description: 'new data source',
    significant,
    amendments: {},
    ...base,
  });
  const incident = (severity: 'low' | 'medium' | 'high' | 'critical'): AiSystemEvent => ({
    type: 'IncidentReported',
    incidentId: 'I-1',
    severity,
    description: 'wrong decisions',
    modelVersion: null,
    occurredAt: null,
    nonconformityId: null,
    ...base,
  });
  const breach = (metric: string): AiSystemEvent => ({
    type: 'MonitoringThresholdBreached',
    reportId: 'M-1',
    modelVersion: '1.0.0',
    metric,
    direction: 'higher_is_better',
    threshold: 0.8,
    value: 0.7,
    nonconformityId: 'NC-1',
    ...base,
  });

  test('a significant change, a breach and a high or critical incident are causes; a minor change or a low incident are not', () => {
    expect(riskReassessmentCause([change(true)], ['e1'])).toEqual({
      eventId: 'e1',
      type: 'ChangeRecorded',
      summary: 'significant change C-1: new data source',
    });
    expect(riskReassessmentCause([change(false)], ['e1'])).toBeNull();
    expect(riskReassessmentCause([incident('medium')], ['e1'])).toBeNull();
    expect(riskReassessmentCause([incident('critical')], ['e1'])?.type).toBe('IncidentReported');
    expect(riskReassessmentCause([incident('high')], ['e1'])?.summary).toBe('high incident I-1: wrong decisions');
  });

  test('a report with two breaches is one request, caused by the first breach and naming both', () => {
    const recorded = { ...breach('x'), type: 'MonitoringReportRecorded' } as unknown as AiSystemEvent;
    expect(riskReassessmentCause([recorded, breach('accuracy'), breach('recall')], ['e0', 'e1', 'e2'])).toEqual({
      eventId: 'e1',
      type: 'MonitoringThresholdBreached',
      summary:
        'monitoring breach: accuracy 0.7 below threshold 0.8 (report M-1); monitoring breach: recall 0.7 below threshold 0.8 (report M-1)',
    });
  });
});
