import { nextMonitoringReviewDueAt, type AiSystemCommand } from '../../../../domain/ai-system';
import {
  after,
  approver,
  approver2,
  at,
  decideTask,
  DIGEST_B,
  fieldsOf,
  given,
  issuesOf,
  ofType,
  operator,
  owner,
  propose,
  recordDataset,
  registered,
  requestDeployment,
  submitIa,
  thenError,
  thenEvents,
  toProduction,
  toSignedOff,
  types,
  when,
} from './scenario';

const requestDecommissioning = (minute = 20, requestId = 'DC-1'): AiSystemCommand => ({
  type: 'RequestDecommissioning',
  requestId,
  reason: 'Replaced by the new credit platform',
  approvalTaskId: `task-${requestId}`,
  by: owner,
  at: at(minute),
});
const complete = (minute = 22): AiSystemCommand => ({
  type: 'CompleteDecommissioning',
  dataRetention: { decision: 'archive', retainUntil: '2032-03-01T00:00:00.000Z', justification: 'Credit records must be kept 7 years' },
  by: operator,
  at: at(minute),
});

describe('decommissioning', () => {
  test('given a system in production, when decommissioning is requested, then an approval task opens and the stage moves', () => {
    const state = given(...toProduction());
    const result = when(state, requestDecommissioning());
    expect(types(thenEvents(result))).toEqual(['DecommissioningRequested', 'HumanTaskOpened', 'LifecycleStageChanged']);
    expect(ofType(thenEvents(result), 'DecommissioningRequested').stageBefore).toBe('in_production');
    expect(ofType(thenEvents(result), 'HumanTaskOpened')).toMatchObject({
      kind: 'decommissioning_approval',
      requestedBy: 'olivia',
      requiredRoles: ['approver'],
    });
    expect(after(state, result).stage).toBe('decommissioning');
  });

  test('given a request, when an approver approves and completion records the data-retention decision, then the system is decommissioned', () => {
    const state = given(...toProduction(), requestDecommissioning());
    const approved = when(state, decideTask('task-DC-1', 'approved', approver, 21));
    expect(types(thenEvents(approved))).toEqual(['HumanTaskDecided', 'DecommissioningApproved']);
    const s2 = after(state, approved);
    const done = when(s2, complete());
    expect(types(thenEvents(done))).toEqual(['AiSystemDecommissioned', 'LifecycleStageChanged']);
    expect(ofType(thenEvents(done), 'AiSystemDecommissioned')).toMatchObject({
      reason: 'Replaced by the new credit platform',
      dataRetention: { decision: 'archive', retainUntil: '2032-03-01T00:00:00.000Z' },
      retiredVersion: '1.0.0',
    });
    const s3 = after(s2, done);
    expect(s3.stage).toBe('decommissioned');
    expect(s3.production).toBeNull();
    expect(s3.versions[0].status).toBe('retired');
    expect(s3.decommissioning).toMatchObject({ status: 'completed', completedAt: at(22) });
    expect(nextMonitoringReviewDueAt(s3)).toBeNull();
  });

  test('given a decommissioned system, when any command arrives, then AI_SYSTEM_DECOMMISSIONED', () => {
    const state = given(...toProduction(), requestDecommissioning(), decideTask('task-DC-1', 'approved', approver, 21), complete());
    const error = thenError(when(state, propose('2.0.0', DIGEST_B, 30)), 'AI_SYSTEM_DECOMMISSIONED');
    expect(error.details.command).toBe('ProposeModelVersion');
    thenError(when(state, requestDeployment('D-9', '1.0.0', undefined, 30)), 'AI_SYSTEM_DECOMMISSIONED');
  });

  test('given open tasks at completion, then they are superseded before the system is decommissioned', () => {
    const state = given(
      ...toProduction(),
      { type: 'RecordMonitoringReviewDue', reviewTaskId: 'task-review-1', at: at(15) },
      requestDecommissioning(),
      decideTask('task-DC-1', 'approved', approver, 21),
    );
    const events = thenEvents(when(state, complete()));
    expect(types(events)).toEqual(['HumanTaskSuperseded', 'AiSystemDecommissioned', 'LifecycleStageChanged']);
    expect(ofType(events, 'HumanTaskSuperseded')).toMatchObject({ taskId: 'task-review-1', reason: 'the AI system was decommissioned' });
  });

  test('given a request, when it is rejected, then the stage returns to where it was', () => {
    const state = given(...toProduction(), requestDecommissioning());
    const result = when(state, decideTask('task-DC-1', 'rejected', approver, 21, ['still needed until Q4']));
    expect(types(thenEvents(result))).toEqual(['HumanTaskDecided', 'DecommissioningRejected', 'LifecycleStageChanged']);
    const next = after(state, result);
    expect(next.stage).toBe('in_production');
    thenError(when(next, complete()), 'COMMAND_NOT_ALLOWED_IN_STAGE');
    thenEvents(when(next, requestDecommissioning(25, 'DC-2')));
  });

  test('given an unapproved request, when completion is attempted, then DECOMMISSIONING_NOT_APPROVED', () => {
    thenError(when(given(...toProduction(), requestDecommissioning()), complete()), 'DECOMMISSIONING_NOT_APPROVED');
  });

  test('given the requester also holds the approver role, when they approve their own request, then SEGREGATION_OF_DUTIES', () => {
    const both = { id: 'olivia', roles: ['engineer' as const, 'approver' as const] };
    const state = given(...toProduction(), { ...requestDecommissioning(), by: both });
    thenError(when(state, decideTask('task-DC-1', 'approved', both, 21)), 'SEGREGATION_OF_DUTIES');
  });

  test('while decommissioning, new work is refused but monitoring and deployment requests are still answered', () => {
    const state = given(...toProduction(), requestDecommissioning());
    thenError(when(state, propose('2.0.0', DIGEST_B, 21)), 'DECOMMISSIONING_IN_PROGRESS');
    thenError(when(state, recordDataset('DS-9', 21)), 'DECOMMISSIONING_IN_PROGRESS');
    thenError(when(state, submitIa('IA-9', 'task-IA-9', 21)), 'DECOMMISSIONING_IN_PROGRESS');
    thenError(when(state, requestDecommissioning(21, 'DC-2')), 'DECOMMISSIONING_IN_PROGRESS');
    const blocked = thenEvents(when(state, requestDeployment('D-9', '1.0.0', undefined, 21)));
    expect(ofType(blocked, 'DeploymentBlocked').reasons.map((r) => r.code)).toEqual(['SYSTEM_DECOMMISSIONING']);
    thenEvents(
      when(state, {
        type: 'RecordMonitoringReport',
        reportId: 'R-1',
        window: { from: at(10), to: at(20) },
        metrics: [{ metric: 'auc', value: 0.9 }],
        by: operator,
        at: at(21),
      }),
    );
  });

  test('given a pending deployment approval, when decommissioning is requested, then the request is blocked and its task superseded', () => {
    const state = given(...toSignedOff(), requestDeployment());
    const events = thenEvents(when(state, requestDecommissioning(10)));
    expect(types(events)).toEqual([
      'DecommissioningRequested',
      'HumanTaskOpened',
      'LifecycleStageChanged',
      'HumanTaskSuperseded',
      'DeploymentBlocked',
    ]);
    expect(registered(state).stage).toBe('deployment_approval');
    expect(approver2.id).toBe('bob');
  });

  test('when the data-retention decision is malformed, then VALIDATION_FAILED', () => {
    const state = given(...toProduction(), requestDecommissioning(), decideTask('task-DC-1', 'approved', approver, 21));
    const shred = { ...complete(), dataRetention: { decision: 'shred', retainUntil: null, justification: '' } } as never;
    expect(fieldsOf(thenError(when(state, shred), 'VALIDATION_FAILED'))).toEqual(['dataRetention.decision', 'dataRetention.justification']);
    const keepDeleted = { ...complete(), dataRetention: { decision: 'delete', retainUntil: at(100), justification: 'x' } } as never;
    expect(issuesOf(thenError(when(state, keepDeleted), 'VALIDATION_FAILED'))).toEqual([
      { field: 'dataRetention.retainUntil', problem: 'must be null when the data is deleted' },
    ]);
  });
});
