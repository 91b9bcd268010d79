import {
  checkEscalationDue,
  checkHumanTaskDecision,
  checkReminderDue,
  eligibleRoles,
  nextTaskDeadline,
  type HumanTask,
} from '../../../../domain/shared/human-task';

const task = (overrides: Partial<HumanTask> = {}): HumanTask => ({
  taskId: 'T-1',
  kind: 'approval',
  requiredRoles: ['approver'],
  subject: { requestId: 'R-1' },
  requestedBy: 'rick',
  openedAt: '2025-01-01T00:00:00.000Z',
  dueAt: '2025-01-01T01:00:00.000Z',
  status: 'open',
  reminderSentAt: null,
  escalatedAt: null,
  escalatedTo: null,
  decision: null,
  supersededAt: null,
  supersededReason: null,
  ...overrides,
});
const ALL = ['approved', 'rejected', 'changes_requested'] as const;
const decision = (
  by: { id: string; roles: ('approver' | 'aims_owner' | 'validator')[] },
  outcome: (typeof ALL)[number] = 'approved',
  reasons: string[] = [],
) => ({
  taskId: 'T-1',
  outcome,
  reasons,
  by,
});

describe('checkHumanTaskDecision', () => {
  test('given an open task, when a holder of the role who did not ask decides, then ok with the role acted under', () => {
    expect(checkHumanTaskDecision(task(), decision({ id: 'alice', roles: ['validator', 'approver'] }), ALL)).toEqual({
      ok: true,
      value: { id: 'alice', role: 'approver' },
    });
  });

  test('given no task, then HUMAN_TASK_UNKNOWN', () => {
    const r = checkHumanTaskDecision(undefined, decision({ id: 'alice', roles: ['approver'] }), ALL);
    expect(!r.ok && r.error.code).toBe('HUMAN_TASK_UNKNOWN');
  });

  test('given a decided task, then HUMAN_TASK_CLOSED with who decided', () => {
    const decided = task({
      status: 'decided',
      decision: { outcome: 'approved', by: { id: 'bob', role: 'approver' }, reasons: [], at: 'x' },
    });
    const r = checkHumanTaskDecision(decided, decision({ id: 'alice', roles: ['approver'] }), ALL);
    expect(!r.ok && r.error.code).toBe('HUMAN_TASK_CLOSED');
    expect(!r.ok && r.error.details.decidedBy).toBe('bob');
  });

  test('given a superseded task, then HUMAN_TASK_SUPERSEDED (checked before closed)', () => {
    const r = checkHumanTaskDecision(
      task({ status: 'superseded', supersededReason: 'version 2 proposed' }),
      decision({ id: 'alice', roles: ['approver'] }),
      ALL,
    );
    expect(!r.ok && r.error.code).toBe('HUMAN_TASK_SUPERSEDED');
    expect(!r.ok && r.error.message).toContain('version 2 proposed');
  });

  test('given an outcome the task does not offer, then HUMAN_TASK_OUTCOME_NOT_ALLOWED', () => {
    const r = checkHumanTaskDecision(task(), decision({ id: 'alice', roles: ['approver'] }, 'changes_requested', ['x']), [
      'approved',
      'rejected',
    ]);
    expect(!r.ok && r.error.code).toBe('HUMAN_TASK_OUTCOME_NOT_ALLOWED');
  });

  test('given a rejection without reasons, then HUMAN_TASK_REASON_REQUIRED', () => {
    const r = checkHumanTaskDecision(task(), decision({ id: 'alice', roles: ['approver'] }, 'rejected', []), ALL);
    expect(!r.ok && r.error.code).toBe('HUMAN_TASK_REASON_REQUIRED');
  });

  test('given a decider without the role, then MISSING_ROLE listing the roles needed', () => {
    const r = checkHumanTaskDecision(task(), decision({ id: 'alice', roles: ['validator'] }), ALL);
    expect(!r.ok && r.error.code).toBe('MISSING_ROLE');
    expect(!r.ok && r.error.details.requiredRoles).toEqual(['approver']);
  });

  test('given the requester decides, then SEGREGATION_OF_DUTIES even with the role', () => {
    const r = checkHumanTaskDecision(task(), decision({ id: 'rick', roles: ['approver'] }), ALL);
    expect(!r.ok && r.error.code).toBe('SEGREGATION_OF_DUTIES');
  });

  test('given a task without a requester, anyone with the role may decide', () => {
    expect(checkHumanTaskDecision(task({ requestedBy: null }), decision({ id: 'rick', roles: ['approver'] }), ALL).ok).toBe(true);
  });

  test('given an escalated task, the AIMS owner may decide as well', () => {
    const escalated = task({ escalatedAt: 'x', escalatedTo: 'aims_owner' });
    expect(eligibleRoles(escalated)).toEqual(['approver', 'aims_owner']);
    expect(checkHumanTaskDecision(escalated, decision({ id: 'amara', roles: ['aims_owner'] }), ALL)).toEqual({
      ok: true,
      value: { id: 'amara', role: 'aims_owner' },
    });
  });

  test('given a decider with no roles, then INVALID_ACTOR', () => {
    const r = checkHumanTaskDecision(task(), decision({ id: 'alice', roles: [] }), ALL);
    expect(!r.ok && r.error.code).toBe('INVALID_ACTOR');
  });
});

describe('reminder and escalation timing', () => {
  test('reminder: not before the due date, once', () => {
    expect(checkReminderDue(task(), 'T-1', '2025-01-01T00:59:59.999Z').ok).toBe(false);
    expect(checkReminderDue(task(), 'T-1', '2025-01-01T01:00:00.000Z').ok).toBe(true);
    const r = checkReminderDue(task({ reminderSentAt: '2025-01-01T01:00:00.000Z' }), 'T-1', '2025-01-02T00:00:00.000Z');
    expect(!r.ok && r.error.code).toBe('HUMAN_TASK_REMINDER_ALREADY_SENT');
  });

  test('escalation: only after a reminder, escalationAfterMs later, once', () => {
    const reminded = task({ reminderSentAt: '2025-01-01T01:00:00.000Z' });
    const early = checkEscalationDue(reminded, 'T-1', '2025-01-01T01:00:09.999Z', 10_000);
    expect(!early.ok && early.error.code).toBe('HUMAN_TASK_ESCALATION_NOT_DUE');
    expect(checkEscalationDue(reminded, 'T-1', '2025-01-01T01:00:10.000Z', 10_000).ok).toBe(true);
    const twice = checkEscalationDue(
      { ...reminded, escalatedAt: 'x', escalatedTo: 'aims_owner' },
      'T-1',
      '2025-01-02T00:00:00.000Z',
      10_000,
    );
    expect(!twice.ok && twice.error.code).toBe('HUMAN_TASK_ALREADY_ESCALATED');
  });

  test('nextTaskDeadline: due date, then escalation time, then nothing; nothing for closed tasks', () => {
    expect(nextTaskDeadline(task(), 10_000)).toBe('2025-01-01T01:00:00.000Z');
    expect(nextTaskDeadline(task({ reminderSentAt: '2025-01-01T01:00:05.000Z' }), 10_000)).toBe('2025-01-01T01:00:15.000Z');
    expect(nextTaskDeadline(task({ reminderSentAt: 'x', escalatedAt: 'y' }), 10_000)).toBeNull();
    expect(nextTaskDeadline(task({ status: 'decided' }), 10_000)).toBeNull();
  });
});
