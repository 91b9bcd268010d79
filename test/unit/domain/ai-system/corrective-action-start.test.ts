/**
 * Issue 11, findings 5 and 7, in the lifecycle's domain: the nonconformity ids it makes under the engine
 * scheme, recording a corrective action that could not start (with a task for the AIMS owner), and the
 * upper bound of every policy duration.
 */
import {
  derivedNonconformityId,
  INITIAL_AI_SYSTEM_STATE,
  MAX_POLICY_DURATION_MS,
  type AiSystemCommand,
} from '../../../../domain/ai-system';
import { NONCONFORMITY_ID } from '../../../../domain/nonconformity';
import {
  aimsOwner,
  at,
  decideTask,
  fieldsOf,
  given,
  ofType,
  operator,
  register,
  registered,
  thenError,
  thenEvents,
  toProduction,
  types,
  when,
} from './scenario';

const breach = (reportId: string, metric: string, nonconformityIds: unknown): AiSystemCommand =>
  ({
    type: 'RecordMonitoringReport',
    reportId,
    window: { from: at(10), to: at(20) },
    metrics: [
      { metric: 'auc', value: metric === 'auc' ? 0.5 : 0.9 },
      { metric: 'false_positive_rate', value: 0.05 },
    ],
    nonconformityIds,
    by: operator,
    at: at(20),
  }) as AiSystemCommand;

const notStarted = (nonconformityId: string, taskId = 'credit-scoring-task-9', minute = 21): AiSystemCommand => ({
  type: 'RecordCorrectiveActionNotStarted',
  nonconformityId,
  reason: { code: 'NONCONFORMITY_WORKFLOW_EXISTS', message: 'A workflow exists already; the lifecycle does not adopt it.' },
  taskId,
  at: at(minute),
});

describe('nonconformity ids the lifecycle makes (engine scheme)', () => {
  test('given a system in production, when a report breaches under the engine scheme, then the nonconformity id is the engine one for this system and source', () => {
    const state = given(...toProduction());
    const events = thenEvents(when(state, breach('R-1', 'auc', { engine: 'run-salt' })));
    const id = ofType(events, 'NonconformityOpened').nonconformityId;
    expect(id).toBe(derivedNonconformityId('credit-scoring', ['R-1', 'auc'], { engine: 'run-salt' }));
    expect(id).toMatch(/^aims:nc-credit_scoring-R_1_auc-[0-9a-f]{16}$/);
    expect(ofType(events, 'MonitoringThresholdBreached').nonconformityId).toBe(id);
  });

  test('given a system id with "@" and a metric with spaces, when the engine names their nonconformity, then the id is valid; the per-system scheme was not', () => {
    const engine = derivedNonconformityId('scoring@eu', ['R-1', 'false positive rate'], { engine: 's' });
    expect(engine).toMatch(NONCONFORMITY_ID);
    expect(derivedNonconformityId('scoring@eu', ['R-1', 'false positive rate'], 'per-system')).not.toMatch(NONCONFORMITY_ID);
  });
});

describe('a corrective action that could not start', () => {
  test('given a breach that opened a nonconformity, when the workflow records that its corrective action did not start, then CorrectiveActionNotStarted and a task for the AIMS owner', () => {
    const state = given(...toProduction(), breach('R-1', 'auc', { engine: 's' }));
    const id = registered(state).nonconformities[0]?.nonconformityId;
    const events = thenEvents(when(state, notStarted(id)));
    expect(types(events)).toEqual(['CorrectiveActionNotStarted', 'HumanTaskOpened']);
    expect(ofType(events, 'CorrectiveActionNotStarted')).toEqual({
      type: 'CorrectiveActionNotStarted',
      nonconformityId: id,
      code: 'NONCONFORMITY_WORKFLOW_EXISTS',
      reason: 'A workflow exists already; the lifecycle does not adopt it.',
      taskId: 'credit-scoring-task-9',
      by: { id: 'aims:lifecycle', role: 'system' },
      at: at(21),
    });
    expect(ofType(events, 'HumanTaskOpened')).toMatchObject({
      kind: 'corrective_action_start',
      requiredRoles: ['aims_owner'],
      subject: { type: 'corrective_action_start', nonconformityId: id },
      dueAt: new Date(Date.parse(at(21)) + 2 * 86_400_000).toISOString(),
    });
    // the nonconformity stays open in the record: a person still has to see to its corrective action
    expect(registered(given(...toProduction(), breach('R-1', 'auc', { engine: 's' }), notStarted(id))).nonconformities[0]?.status).toBe(
      'open',
    );
  });

  test('given no such nonconformity, when the not-started step names it, then NONCONFORMITY_UNKNOWN', () => {
    thenError(when(given(...toProduction()), notStarted('aims:nc-unknown')), 'NONCONFORMITY_UNKNOWN');
  });

  test('given a recorded not-started step, when another reuses its task id, then DUPLICATE_ID; without a reason, VALIDATION_FAILED', () => {
    const state = given(...toProduction(), breach('R-1', 'auc', { engine: 's' }));
    const id = registered(state).nonconformities[0]?.nonconformityId;
    thenError(when(given(...toProduction(), breach('R-1', 'auc', { engine: 's' }), notStarted(id)), notStarted(id)), 'DUPLICATE_ID');
    const noReason = { ...notStarted(id), reason: { code: '', message: '' } } as AiSystemCommand;
    expect(fieldsOf(thenError(when(state, noReason), 'VALIDATION_FAILED'))).toEqual(['reason.code', 'reason.message']);
  });

  test('given its task, when an engineer decides it, then MISSING_ROLE; when the AIMS owner approves it, then only HumanTaskDecided', () => {
    const opened = given(...toProduction(), breach('R-1', 'auc', { engine: 's' }));
    const id = registered(opened).nonconformities[0]?.nonconformityId;
    const state = given(...toProduction(), breach('R-1', 'auc', { engine: 's' }), notStarted(id));
    thenError(when(state, decideTask('credit-scoring-task-9', 'approved', operator, 30)), 'MISSING_ROLE');
    expect(types(thenEvents(when(state, decideTask('credit-scoring-task-9', 'approved', aimsOwner, 30))))).toEqual(['HumanTaskDecided']);
    thenError(when(state, decideTask('credit-scoring-task-9', 'rejected', aimsOwner, 30)), 'HUMAN_TASK_OUTCOME_NOT_ALLOWED');
  });

  test('given a policy recorded before the task kind existed, when the task opens, then the default roles and response time apply', () => {
    const state = given(...toProduction(), breach('R-1', 'auc', { engine: 's' }));
    const record = registered(state);
    const { corrective_action_start: _roles, ...oldRoles } = record.policy.taskRoles;
    const { corrective_action_start: _time, ...oldTimes } = record.policy.taskResponseTimeMs;
    const old = { ...record, policy: { ...record.policy, taskRoles: oldRoles, taskResponseTimeMs: oldTimes } } as typeof record;
    const id = record.nonconformities[0]?.nonconformityId;
    expect(ofType(thenEvents(when(old, notStarted(id))), 'HumanTaskOpened')).toMatchObject({ requiredRoles: ['aims_owner'] });
  });
});

describe('policy durations are bounded', () => {
  test('when a policy sets a duration beyond ten years, then INVALID_POLICY names it; ten years exactly is accepted', () => {
    const refused = thenError(
      when(
        INITIAL_AI_SYSTEM_STATE,
        register({ policy: { monitoringReviewIntervalMs: MAX_POLICY_DURATION_MS + 1, escalationAfterMs: 8.64e15 } }),
      ),
      'INVALID_POLICY',
    );
    expect(fieldsOf(refused)).toEqual(expect.arrayContaining(['policy.escalationAfterMs', 'policy.monitoringReviewIntervalMs']));
    expect(
      types(thenEvents(when(INITIAL_AI_SYSTEM_STATE, register({ policy: { monitoringReviewIntervalMs: MAX_POLICY_DURATION_MS } })))),
    ).toContain('AiSystemRegistered');
  });
});
