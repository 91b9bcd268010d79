/**
 * Human tasks of the lifecycle: deciding one (the common checks of domain/shared/human-task.ts, then what
 * follows for its subject, which the subject's feature defines), reminders and escalation when overdue, and
 * the task records themselves.
 */
import {
  checkEscalationDue,
  checkHumanTaskDecision,
  checkReminderDue,
  eligibleRoles,
  ESCALATION_ROLE,
  openedHumanTask,
  type HumanTaskOutcome,
} from '../../shared/human-task';
import type { AimsRole } from '../../shared/roles';
import { ValidationIssues } from '../../shared/validation';
import { assertNever, err, ok } from '../../shared/result';
import { decisionConflicts } from '../authority';
import type * as C from '../commands';
import { invalid } from '../errors';
import type * as E from '../events';
import { checkStringList } from '../input-checks';
import type { AiSystemRecord, AiSystemTask, AiSystemTaskKind } from '../model';
import { findTask } from '../queries';
import { actorOf, updateTask, updateValidation } from './common';
import { riskTierOutOfPlace } from './policy-governance';
import { ownEntry, type DecideResult, type Feature, type TaskConsequence, type TaskConsequences, type TaskSubjectType } from './feature';

/** Outcomes each kind of task offers. */
export const TASK_OUTCOMES: Record<AiSystemTaskKind, readonly HumanTaskOutcome[]> = {
  impact_assessment_review: ['approved', 'rejected', 'changes_requested'],
  validation_sign_off: ['approved', 'rejected'],
  deployment_approval: ['approved', 'rejected'],
  decommissioning_approval: ['approved', 'rejected'],
  // approved: the review found operation satisfactory; rejected: it found action is required.
  monitoring_review: ['approved', 'rejected'],
  // approved: the AIMS owner has seen to the corrective action (raised it by hand, or found why not).
  corrective_action_start: ['approved'],
};

/** `DecideHumanTask`: the decision, then what the task's subject makes of it (`consequences`, one per subject). */
export function decideHumanTask(c: C.DecideHumanTask, s: AiSystemRecord, consequences: TaskConsequences): DecideResult {
  const task = findTask(s, c.taskId);
  const allowed = task ? TASK_OUTCOMES[task.kind] : (['approved', 'rejected', 'changes_requested'] as const);
  const checked = checkHumanTaskDecision(
    task,
    { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by },
    allowed,
    task ? decisionConflicts(task, s) : [],
  );
  if (!checked.ok) return checked;
  const t = task as AiSystemTask;
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((r) => typeof r === 'string' && r.trim() !== '');
  const p = new ValidationIssues();
  p.optionalText('comment', c.comment);
  if (c.evidenceRefs !== undefined) checkStringList(p, 'evidenceRefs', c.evidenceRefs, false);
  if (!p.empty) return err(invalid(c.type, p.list));
  const misplacedTier = riskTierOutOfPlace(c, t.subject.type === 'impact_assessment' && c.outcome === 'approved');
  if (misplacedTier) return err(misplacedTier);
  const decided: E.HumanTaskDecided = {
    type: 'HumanTaskDecided',
    taskId: t.taskId,
    kind: t.kind,
    outcome: c.outcome,
    reasons,
    comment: c.comment ?? null,
    evidenceRefs: [...(c.evidenceRefs ?? [])],
    by,
    at: c.at,
  };
  const consequence = ownEntry<TaskConsequence<TaskSubjectType>>(consequences, t.subject.type);
  if (!consequence) return assertNever(t.subject as never, 'task subject');
  const follow = consequence(
    t,
    { outcome: c.outcome, reasons, by, at: c.at, ...(c.riskTier === undefined ? {} : { riskTier: c.riskTier }) },
    s,
  );
  if (!follow.ok) return follow;
  return ok([decided, ...follow.value]);
}

function sendReminder(c: C.SendHumanTaskReminder, s: AiSystemRecord): DecideResult {
  const due = checkReminderDue(findTask(s, c.taskId), c.taskId, c.at);
  if (!due.ok) return due;
  return ok([
    {
      type: 'HumanTaskReminderSent',
      taskId: c.taskId,
      dueAt: due.value.dueAt,
      notifiedRoles: eligibleRoles(due.value),
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

function escalate(c: C.EscalateHumanTask, s: AiSystemRecord): DecideResult {
  const due = checkEscalationDue(findTask(s, c.taskId), c.taskId, c.at, s.policy.escalationAfterMs);
  if (!due.ok) return due;
  const escalatedTo: AimsRole = ESCALATION_ROLE;
  return ok([{ type: 'HumanTaskEscalated', taskId: c.taskId, escalatedTo, by: actorOf(c), at: c.at }]);
}

/** `DecideHumanTask` is left to the composed decider, which holds every feature's consequences. */
export const humanTasks = {
  decide: { SendHumanTaskReminder: sendReminder, EscalateHumanTask: escalate },
  evolve: {
    HumanTaskOpened: (s, e) => ({ ...s, tasks: [...s.tasks, openedHumanTask(e)] }),
    HumanTaskDecided: (s, e) =>
      updateTask(s, e.taskId, (t) => ({
        ...t,
        status: 'decided',
        decision: { outcome: e.outcome, by: e.by, reasons: e.reasons, at: e.at },
      })),
    HumanTaskReminderSent: (s, e) => updateTask(s, e.taskId, (t) => ({ ...t, reminderSentAt: e.at })),
    HumanTaskEscalated: (s, e) => updateTask(s, e.taskId, (t) => ({ ...t, escalatedAt: e.at, escalatedTo: e.escalatedTo })),
    HumanTaskSuperseded: (s, e) => {
      const task = s.tasks.find((t) => t.taskId === e.taskId);
      const next = updateTask(s, e.taskId, (t) => ({ ...t, status: 'superseded', supersededAt: e.at, supersededReason: e.reason }));
      // A superseded sign-off leaves its validation unable to lead anywhere: mark it so.
      return task?.subject.type === 'validation'
        ? updateValidation(next, task.subject.validationId, (v) => (v.status === 'awaiting_sign_off' ? { ...v, status: 'superseded' } : v))
        : next;
    },
  },
} satisfies Feature;
