/**
 * An audit's follow-up on a durable timer (9.2.1, 10.2): once the report is issued the audit waits for its
 * nonconformities' corrective actions, and nothing must let that wait be forgotten.
 *
 * - the report opens the follow-up task in the one inbox, assigned to the lead auditor, due `followUpTime`
 *   after the report;
 * - at its due date, if the audit is not closed, the process reminds the lead auditor and the team (naming the
 *   corrective actions still pending); after `escalationDelay` without closure it escalates to the AIMS owner;
 *   each happens once;
 * - closing the audit closes the task.
 */
import { checkEscalationDue, checkReminderDue, ESCALATION_ROLE, nextTaskDeadline } from '../shared/human-task';
import { domainError, type DomainError } from '../shared/domain-error';
import { addMilliseconds } from '../shared/iso-time';
import { err, ok, type Result } from '../shared/result';
import { decide, pendingCorrectiveActions } from './decide';
import { evolve } from './evolve';
import {
  AUDIT_FOLLOW_UP_TASK_KIND,
  auditFollowUpTaskId,
  AUDITOR_ROLES,
  INTERNAL_AUDIT_SYSTEM_ACTOR,
  type InternalAudit,
  type InternalAuditCommand,
  type InternalAuditEvent,
  type InternalAuditState,
} from './model';

/** How long the follow-up may take, and how long a reminder goes unanswered before escalation. */
export interface AuditFollowUpTiming {
  /** Fixed ISO 8601 duration after the report (P30D). */
  followUpTime: string;
  /** Fixed ISO 8601 duration after the reminder (P7D). */
  escalationDelay: string;
}
export const DEFAULT_AUDIT_FOLLOW_UP_TIMING: AuditFollowUpTiming = { followUpTime: 'P30D', escalationDelay: 'P7D' };

/** The process's own steps on the follow-up's timer. */
export type SendAuditFollowUpReminder = { type: 'SendAuditFollowUpReminder'; at: string };
export type EscalateAuditFollowUp = { type: 'EscalateAuditFollowUp'; escalationAfterMs: number; at: string };
export type InternalAuditProcessCommand = InternalAuditCommand | SendAuditFollowUpReminder | EscalateAuditFollowUp;

function notPlanned(): Result<never, DomainError> {
  return err(domainError('INTERNAL_AUDIT_NOT_PLANNED', 'The audit is not planned.', {}));
}

function followUpSteps(c: SendAuditFollowUpReminder | EscalateAuditFollowUp, s: InternalAudit): Result<InternalAuditEvent[], DomainError> {
  const task = s.followUp;
  const taskId = task?.taskId ?? auditFollowUpTaskId(s.auditId);
  if (c.type === 'SendAuditFollowUpReminder') {
    const due = checkReminderDue(task, taskId, c.at);
    if (!due.ok) return due;
    return ok([
      {
        type: 'HumanTaskReminderSent',
        taskId,
        dueAt: due.value.dueAt,
        notifiedRoles: [],
        notifiedPeople: [...new Set([s.plan.leadAuditor, ...s.plan.team])],
        pending: pendingCorrectiveActions(s).map((p) => p.nonconformityId),
        by: INTERNAL_AUDIT_SYSTEM_ACTOR,
        at: c.at,
      },
    ]);
  }
  const due = checkEscalationDue(task, taskId, c.at, c.escalationAfterMs);
  if (!due.ok) return due;
  return ok([{ type: 'HumanTaskEscalated', taskId, escalatedTo: ESCALATION_ROLE, by: INTERNAL_AUDIT_SYSTEM_ACTOR, at: c.at }]);
}

/** The task events that follow `events` recorded on `before`: the report opens the follow-up, closure ends it. */
export function followUpTaskEvents(
  before: InternalAuditState,
  events: readonly InternalAuditEvent[],
  followUpMs: number,
): InternalAuditEvent[] {
  const out: InternalAuditEvent[] = [];
  let s = before;
  for (const e of events) {
    s = evolve(s, e);
    if (s === null) continue;
    if (e.type === 'AuditReportIssued' && s.followUp === undefined) {
      out.push({
        type: 'HumanTaskOpened',
        taskId: auditFollowUpTaskId(s.auditId),
        kind: AUDIT_FOLLOW_UP_TASK_KIND,
        requiredRoles: [...AUDITOR_ROLES],
        subject: { type: 'internal_audit', auditId: s.auditId, title: s.plan.title },
        requestedBy: null,
        assignee: s.plan.leadAuditor,
        dueAt: addMilliseconds(e.at, followUpMs),
        by: e.by,
        at: e.at,
      });
    } else if (e.type === 'AuditClosed' && s.followUp?.status === 'open') {
      out.push({
        type: 'HumanTaskDecided',
        taskId: s.followUp.taskId,
        kind: AUDIT_FOLLOW_UP_TASK_KIND,
        outcome: 'approved',
        reasons: [],
        by: e.by,
        at: e.at,
      });
    }
  }
  return out;
}

/** The audit's rules without the follow-up timer (audits started before it): its steps are refused. */
export function decideWithoutFollowUp(c: InternalAuditProcessCommand, s: InternalAuditState): Result<InternalAuditEvent[], DomainError> {
  if (c.type === 'SendAuditFollowUpReminder' || c.type === 'EscalateAuditFollowUp')
    return err(domainError('HUMAN_TASK_UNKNOWN', 'This audit keeps no follow-up task.', {}));
  return decide(c, s);
}

/** The audit's rules with its follow-up task: each accepted step also records what it does to the task. */
export function decideWithFollowUp(
  followUpMs: number,
): (c: InternalAuditProcessCommand, s: InternalAuditState) => Result<InternalAuditEvent[], DomainError> {
  return (c, s) => {
    if (c.type === 'SendAuditFollowUpReminder' || c.type === 'EscalateAuditFollowUp')
      return s === null ? notPlanned() : followUpSteps(c, s);
    const decided = decide(c, s);
    if (!decided.ok) return decided;
    return ok([...decided.value, ...followUpTaskEvents(s, decided.value, followUpMs)]);
  };
}

/** The follow-up's next reminder or escalation, or null (no task, done, or both already sent). */
export function nextFollowUpStep(
  s: InternalAuditState,
  escalationAfterMs: number,
): { at: number; summary: string; command: (at: string) => InternalAuditProcessCommand } | null {
  const task = s?.followUp;
  if (s === null || task === undefined || s.status === 'closed') return null;
  const deadline = nextTaskDeadline(task, escalationAfterMs);
  if (deadline === null) return null;
  return task.reminderSentAt === null
    ? {
        at: Date.parse(deadline),
        summary: `follow-up of audit ${s.auditId} due`,
        command: (at) => ({ type: 'SendAuditFollowUpReminder', at }),
      }
    : {
        at: Date.parse(deadline),
        summary: `follow-up of audit ${s.auditId} overdue`,
        command: (at) => ({ type: 'EscalateAuditFollowUp', escalationAfterMs, at }),
      };
}
