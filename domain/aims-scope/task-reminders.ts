/**
 * The scope's tasks are reminded like every task (patch `aims-scope-task-reminders`): an open task past its
 * due date is reminded once, to the roles that may take it; a system's scope decision left unanswered after
 * the reminder goes to top management (SCOPE_TASK_ESCALATION). A statement's approval is only reminded:
 * nobody but top management may put a scope in force.
 */
import type { DomainError } from '../shared/domain-error';
import { checkEscalationDue, checkReminderDue, eligibleRoles, escalationDueAt } from '../shared/human-task';
import { err, ok, type Result } from '../shared/result';
import { domainError } from '../shared/domain-error';
import {
  AIMS_SCOPE_SYSTEM_ACTOR,
  SCOPE_TASK_ESCALATION,
  type AimsScopeEvent,
  type AimsScopeState,
  type EscalateScopeTask,
  type SendScopeTaskReminder,
} from './model';

type Decided = Result<AimsScopeEvent[], DomainError>;

export function remindScopeTask(c: SendScopeTaskReminder, s: AimsScopeState): Decided {
  const due = checkReminderDue(
    s.tasks.find((t) => t.taskId === c.taskId),
    c.taskId,
    c.at,
  );
  if (!due.ok) return due;
  return ok([
    {
      type: 'HumanTaskReminderSent',
      taskId: c.taskId,
      dueAt: due.value.dueAt,
      notifiedRoles: eligibleRoles(due.value),
      notifiedPeople: [],
      by: AIMS_SCOPE_SYSTEM_ACTOR,
      at: c.at,
    },
  ]);
}

export function escalateScopeTask(c: EscalateScopeTask, s: AimsScopeState): Decided {
  const task = s.tasks.find((t) => t.taskId === c.taskId);
  const due = checkEscalationDue(task, c.taskId, c.at, c.escalationAfterMs);
  if (!due.ok) return due;
  const to = task === undefined ? null : SCOPE_TASK_ESCALATION[task.kind];
  if (to === null)
    return err(
      domainError('HUMAN_TASK_NOT_ESCALATED', `A ${due.value.kind} task is reminded only: it is top management's already.`, {
        taskId: c.taskId,
      }),
    );
  return ok([{ type: 'HumanTaskEscalated', taskId: c.taskId, escalatedTo: to, by: AIMS_SCOPE_SYSTEM_ACTOR, at: c.at }]);
}

export type ScopeFollowUp = { at: number; summary: string; command: (at: string) => SendScopeTaskReminder | EscalateScopeTask };

/** The next reminder or escalation of an open scope task, or null while none will come. */
export function nextScopeFollowUp(s: AimsScopeState, escalationAfterMs: number): ScopeFollowUp | null {
  let next: ScopeFollowUp | null = null;
  for (const t of s.tasks) {
    if (t.status !== 'open' || t.escalatedAt !== null) continue;
    const taskId = t.taskId;
    let f: ScopeFollowUp | null = null;
    if (t.reminderSentAt === null)
      f = {
        at: Date.parse(t.dueAt),
        summary: `reminder for task ${taskId}`,
        command: (at) => ({ type: 'SendScopeTaskReminder', taskId, at }),
      };
    else if (SCOPE_TASK_ESCALATION[t.kind] !== null)
      f = {
        at: Date.parse(escalationDueAt(t, escalationAfterMs) ?? t.dueAt),
        summary: `escalation of task ${taskId}`,
        command: (at) => ({ type: 'EscalateScopeTask', taskId, escalationAfterMs, at }),
      };
    if (f !== null && (next === null || f.at < next.at)) next = f;
  }
  return next;
}
