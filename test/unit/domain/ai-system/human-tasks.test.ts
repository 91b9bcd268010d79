import {
  dueHumanTaskCommands,
  lifecycleView,
  nextHumanTaskDeadline,
  openHumanTasks,
  type AiSystemCommand,
  type AiSystemState,
} from '../../../../domain/ai-system';
import {
  aimsOwner,
  after,
  approver,
  at,
  decideTask,
  given,
  ofType,
  register,
  registered,
  steward,
  submitIa,
  thenError,
  thenEvents,
  types,
  when,
} from './scenario';

// Short durations, as the workflow tests use: review due 10 minutes after opening, escalation 5 minutes after the reminder.
const fast = register({ policy: { taskResponseTimeMs: { impact_assessment_review: 10 * 60_000 }, escalationAfterMs: 5 * 60_000 } });
const remind = (taskId: string, minute: number): AiSystemCommand => ({ type: 'SendHumanTaskReminder', taskId, at: at(minute) });
const escalate = (taskId: string, minute: number): AiSystemCommand => ({ type: 'EscalateHumanTask', taskId, at: at(minute) });

function runDue(state: AiSystemState, minute: number): AiSystemState {
  let s = state;
  for (const c of dueHumanTaskCommands(s, at(minute))) s = after(s, when(s, c));
  return s;
}

describe('overdue human tasks: reminder, then escalation to the AIMS owner', () => {
  test('given an open review task, the next deadline is its due date and nothing is due before it', () => {
    const state = given(fast, submitIa());
    expect(nextHumanTaskDeadline(state)).toBe(at(11));
    expect(dueHumanTaskCommands(state, at(10))).toEqual([]);
    expect(dueHumanTaskCommands(state, at(11))).toEqual([{ type: 'SendHumanTaskReminder', taskId: 'task-IA-1', at: at(11) }]);
  });

  test('given an open task not yet due, when a reminder is sent, then HUMAN_TASK_NOT_OVERDUE', () => {
    const error = thenError(when(given(fast, submitIa()), remind('task-IA-1', 5)), 'HUMAN_TASK_NOT_OVERDUE');
    expect(error.details.dueAt).toBe(at(11));
  });

  test('given an overdue task, when the reminder is sent, then HumanTaskReminderSent notifies the deciding roles; the next deadline is escalation', () => {
    const state = given(fast, submitIa());
    const result = when(state, remind('task-IA-1', 12));
    const e = ofType(thenEvents(result), 'HumanTaskReminderSent');
    expect(e).toMatchObject({
      taskId: 'task-IA-1',
      dueAt: at(11),
      notifiedRoles: ['approver', 'risk_owner'],
      by: { id: 'aims:lifecycle', role: 'system' },
    });
    const next = after(state, result);
    expect(nextHumanTaskDeadline(next)).toBe(at(17));
    thenError(when(next, remind('task-IA-1', 13)), 'HUMAN_TASK_REMINDER_ALREADY_SENT');
  });

  test('given no reminder yet, when escalation is attempted, then HUMAN_TASK_REMINDER_NOT_SENT', () => {
    thenError(when(given(fast, submitIa()), escalate('task-IA-1', 30)), 'HUMAN_TASK_REMINDER_NOT_SENT');
  });

  test('given a reminder, when escalation is attempted too early, then HUMAN_TASK_ESCALATION_NOT_DUE', () => {
    thenError(when(given(fast, submitIa(), remind('task-IA-1', 12)), escalate('task-IA-1', 16)), 'HUMAN_TASK_ESCALATION_NOT_DUE');
  });

  test('given an unanswered reminder, when escalation falls due, then HumanTaskEscalated to aims_owner, who may then decide', () => {
    const state = given(fast, submitIa(), remind('task-IA-1', 12));
    expect(dueHumanTaskCommands(state, at(17))).toEqual([{ type: 'EscalateHumanTask', taskId: 'task-IA-1', at: at(17) }]);
    thenError(when(state, decideTask('task-IA-1', 'approved', aimsOwner, 16)), 'MISSING_ROLE');
    const result = when(state, escalate('task-IA-1', 17));
    expect(ofType(thenEvents(result), 'HumanTaskEscalated').escalatedTo).toBe('aims_owner');
    const next = after(state, result);
    expect(nextHumanTaskDeadline(next)).toBeNull();
    thenError(when(next, escalate('task-IA-1', 18)), 'HUMAN_TASK_ALREADY_ESCALATED');
    const decided = thenEvents(when(next, decideTask('task-IA-1', 'approved', aimsOwner, 18)));
    expect(ofType(decided, 'HumanTaskDecided').by).toEqual({ id: 'amara', role: 'aims_owner' });
  });

  test('the workflow loop: only time is supplied, and reminder then escalation happen in order, once each', () => {
    let s = given(fast, submitIa());
    s = runDue(s, 11);
    s = runDue(s, 11);
    expect(registered(s).tasks[0]).toMatchObject({ reminderSentAt: at(11), escalatedAt: null });
    s = runDue(s, 16);
    s = runDue(s, 16);
    s = runDue(s, 40);
    expect(registered(s).tasks[0]).toMatchObject({ reminderSentAt: at(11), escalatedAt: at(16), escalatedTo: 'aims_owner' });
    expect(dueHumanTaskCommands(s, at(1000))).toEqual([]);
  });

  test('given a decided task, when a reminder or escalation is attempted, then HUMAN_TASK_CLOSED; unknown task, HUMAN_TASK_UNKNOWN', () => {
    const state = given(fast, submitIa(), decideTask('task-IA-1', 'approved', approver, 2));
    thenError(when(state, remind('task-IA-1', 20)), 'HUMAN_TASK_CLOSED');
    thenError(when(state, escalate('task-IA-1', 20)), 'HUMAN_TASK_CLOSED');
    thenError(when(state, remind('nope', 20)), 'HUMAN_TASK_UNKNOWN');
    expect(dueHumanTaskCommands(state, at(100))).toEqual([]);
    expect(nextHumanTaskDeadline(state)).toBeNull();
  });

  test('queries list only open tasks', () => {
    const state = given(fast, submitIa());
    expect(openHumanTasks(state).map((t) => t.taskId)).toEqual(['task-IA-1']);
    expect(lifecycleView(state).openTasks).toHaveLength(1);
    const decided = given(fast, submitIa(), decideTask('task-IA-1', 'approved', approver, 2));
    expect(openHumanTasks(decided)).toEqual([]);
    expect(
      types(
        thenEvents(
          when(decided, {
            type: 'RecordDataset',
            datasetId: 'x',
            name: 'n',
            purpose: 'test',
            provenance: { source: 's', custodian: null, licence: null, contentDigest: null },
            acquisition: { method: 'm', acquiredAt: null, notes: null },
            preparation: { steps: [] },
            by: steward,
            at: at(3),
          }),
        ),
      ),
    ).toEqual(['DatasetRecorded']);
  });
});
