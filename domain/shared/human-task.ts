/**
 * Human tasks: a decision a person with a given role must take (approve an impact assessment, sign off a
 * validation, approve a deployment, ...). The rules here are the same for every gate: who may decide
 * (role, segregation of duties), whether the task is still open, and when it is overdue. Overdue handling
 * is expressed as checks on commands carrying caller-supplied time, so a workflow only supplies the clock.
 */
import type { JsonObject } from './json';
import type { Actor, ActorRef, AimsRole } from './roles';
import { actingAs, actorProblem } from './roles';
import { sameIdentity } from './actor-identity';
import { domainError, type DomainError } from './domain-error';
import { addMilliseconds, isAtOrAfter } from './iso-time';
import { err, ok, type Result } from './result';

export type HumanTaskStatus = 'open' | 'decided' | 'superseded';
export type HumanTaskOutcome = 'approved' | 'rejected' | 'changes_requested';
export const HUMAN_TASK_OUTCOMES: readonly HumanTaskOutcome[] = ['approved', 'rejected', 'changes_requested'];

/** Overdue tasks are escalated to the AIMS owner (clause 5.3: top management assigns authority). */
export const ESCALATION_ROLE: AimsRole = 'aims_owner';

export type HumanTaskDecisionRecord = {
  outcome: HumanTaskOutcome;
  by: ActorRef;
  reasons: string[];
  at: string;
};

export type HumanTask<Kind extends string = string, Subject extends JsonObject = JsonObject> = {
  taskId: string;
  kind: Kind;
  /** Any one of these roles may decide (plus `escalatedTo` once escalated). */
  requiredRoles: AimsRole[];
  /** What the decision concerns: an assessment, a version and digest, a request. */
  subject: Subject;
  /** Actor id of whoever asked for the decision; they may not take it (segregation of duties). */
  requestedBy: string | null;
  openedAt: string;
  dueAt: string;
  status: HumanTaskStatus;
  reminderSentAt: string | null;
  escalatedAt: string | null;
  escalatedTo: AimsRole | null;
  decision: HumanTaskDecisionRecord | null;
  supersededAt: string | null;
  supersededReason: string | null;
};

export type HumanTaskErrorCode =
  | 'HUMAN_TASK_UNKNOWN'
  | 'HUMAN_TASK_CLOSED'
  | 'HUMAN_TASK_SUPERSEDED'
  | 'HUMAN_TASK_OUTCOME_NOT_ALLOWED'
  | 'HUMAN_TASK_REASON_REQUIRED'
  | 'INVALID_ACTOR'
  | 'MISSING_ROLE'
  | 'SEGREGATION_OF_DUTIES'
  | 'HUMAN_TASK_NOT_OVERDUE'
  | 'HUMAN_TASK_REMINDER_ALREADY_SENT'
  | 'HUMAN_TASK_REMINDER_NOT_SENT'
  | 'HUMAN_TASK_ESCALATION_NOT_DUE'
  | 'HUMAN_TASK_ALREADY_ESCALATED';

export type HumanTaskError = DomainError<HumanTaskErrorCode>;

/**
 * Someone whose own act on a task's subject bars them from deciding it (segregation of duties, A.3.2):
 * `identity` is their actor id as recorded, `conflict` names the act (`requester`: asked for the decision),
 * `act` says it in words that follow the identity in a refusal ("proposed model version 1.0.0").
 */
export type DutyConflict = { identity: string; conflict: string; act: string };

export type HumanTaskDecisionInput = {
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
  by: Actor;
};

/** What a `HumanTaskOpened` event says, whichever process records it. */
export type HumanTaskOpening<Kind extends string, Subject extends JsonObject> = {
  taskId: string;
  kind: Kind;
  requiredRoles: AimsRole[];
  subject: Subject;
  requestedBy: string | null;
  dueAt: string;
  at: string;
};

/** The open task a `HumanTaskOpened` event starts: every process folds it the same way. */
export function openedHumanTask<Kind extends string, Subject extends JsonObject>(
  e: HumanTaskOpening<Kind, Subject>,
): HumanTask<Kind, Subject> {
  return {
    taskId: e.taskId,
    kind: e.kind,
    requiredRoles: e.requiredRoles,
    subject: e.subject,
    requestedBy: e.requestedBy,
    openedAt: e.at,
    dueAt: e.dueAt,
    status: 'open',
    reminderSentAt: null,
    escalatedAt: null,
    escalatedTo: null,
    decision: null,
    supersededAt: null,
    supersededReason: null,
  };
}

/** The tasks after a `HumanTaskDecided` event: that one decided, as every process folds it. */
export function withHumanTaskDecided<T extends HumanTask>(tasks: T[], e: HumanTaskDecisionRecord & { taskId: string }): T[] {
  return tasks.map((t) =>
    t.taskId === e.taskId ? { ...t, status: 'decided', decision: { outcome: e.outcome, by: e.by, reasons: e.reasons, at: e.at } } : t,
  );
}

/** The tasks after a `HumanTaskSuperseded` event: that one closed without a decision, with the reason. */
export function withHumanTaskSuperseded<T extends HumanTask>(tasks: T[], e: { taskId: string; at: string; reason: string }): T[] {
  return tasks.map((t) => (t.taskId === e.taskId ? { ...t, status: 'superseded', supersededAt: e.at, supersededReason: e.reason } : t));
}

/** Roles that may decide the task now. */
export function eligibleRoles(task: HumanTask): AimsRole[] {
  return task.escalatedTo && !task.requiredRoles.includes(task.escalatedTo)
    ? [...task.requiredRoles, task.escalatedTo]
    : [...task.requiredRoles];
}

function openTaskOrError(task: HumanTask | undefined, taskId: string): Result<HumanTask, HumanTaskError> {
  if (!task) return err(domainError('HUMAN_TASK_UNKNOWN', `There is no human task ${taskId}.`, { taskId }));
  if (task.status === 'superseded') {
    return err(
      domainError(
        'HUMAN_TASK_SUPERSEDED',
        `Task ${taskId} concerns something that has been superseded (${task.supersededReason ?? 'no reason recorded'}); it can no longer be decided.`,
        { taskId, kind: task.kind, subject: task.subject, supersededAt: task.supersededAt, reason: task.supersededReason },
      ),
    );
  }
  if (task.status === 'decided') {
    return err(
      domainError('HUMAN_TASK_CLOSED', `Task ${taskId} was already decided (${task.decision?.outcome ?? 'unknown'}).`, {
        taskId,
        kind: task.kind,
        outcome: task.decision?.outcome ?? null,
        decidedBy: task.decision?.by.id ?? null,
      }),
    );
  }
  return ok(task);
}

/**
 * Everything that makes a decision unacceptable, checked in the order a person would want to hear it:
 * unknown task, superseded subject, closed task, outcome not offered, missing reasons, missing role, and
 * a decider with a conflict of duties: the `conflicts` the subject's domain names (its author, whoever
 * recorded what is judged), then the task's requester. Identities are compared normalised (`sameIdentity`),
 * so `Alice` and `alice` are one person. On success, the role the decider acts under.
 */
export function checkHumanTaskDecision(
  task: HumanTask | undefined,
  input: HumanTaskDecisionInput,
  allowedOutcomes: readonly HumanTaskOutcome[],
  conflicts: readonly DutyConflict[] = [],
): Result<ActorRef, HumanTaskError> {
  const open = openTaskOrError(task, input.taskId);
  if (!open.ok) return open;
  const t = open.value;
  if (!allowedOutcomes.includes(input.outcome)) {
    return err(
      domainError(
        'HUMAN_TASK_OUTCOME_NOT_ALLOWED',
        `A ${t.kind} task can be decided as ${allowedOutcomes.join(' or ')}, not ${String(input.outcome)}.`,
        { taskId: t.taskId, kind: t.kind, outcome: String(input.outcome), allowed: [...allowedOutcomes] },
      ),
    );
  }
  const reasons = (input.reasons ?? []).filter((r) => typeof r === 'string' && r.trim() !== '');
  if (input.outcome !== 'approved' && reasons.length === 0) {
    return err(
      domainError('HUMAN_TASK_REASON_REQUIRED', `Deciding ${input.outcome} needs at least one reason to send back.`, {
        taskId: t.taskId,
        outcome: input.outcome,
      }),
    );
  }
  const actorIssue = actorProblem(input.by);
  if (actorIssue) return err(domainError('INVALID_ACTOR', actorIssue, { taskId: t.taskId }));
  const roles = eligibleRoles(t);
  const role = roles.find((r) => input.by.roles.includes(r));
  if (!role) {
    return err(
      domainError('MISSING_ROLE', `${input.by.id} cannot decide task ${t.taskId}: it needs one of the roles ${roles.join(', ')}.`, {
        taskId: t.taskId,
        kind: t.kind,
        actorId: input.by.id,
        actorRoles: [...input.by.roles],
        requiredRoles: roles,
      }),
    );
  }
  const all: DutyConflict[] = [
    ...conflicts,
    ...(t.requestedBy === null ? [] : [{ identity: t.requestedBy, conflict: 'requester', act: 'asked for this decision' }]),
  ];
  const mine = all.filter((c) => sameIdentity(c.identity, input.by.id));
  if (mine.length > 0) {
    const first = mine[0];
    return err(
      domainError(
        'SEGREGATION_OF_DUTIES',
        `${input.by.id} ${first.act} and so cannot decide task ${t.taskId}; another holder of ${roles.join(' or ')} must decide it.`,
        {
          taskId: t.taskId,
          kind: t.kind,
          actorId: input.by.id,
          requestedBy: t.requestedBy,
          conflict: first.conflict,
          conflictingIdentity: first.identity,
          conflicts: [...new Set(mine.map((c) => c.conflict))],
        },
      ),
    );
  }
  // The role found, with the person and the appointment behind it when the API named them.
  return ok(actingAs(input.by, [role]));
}

/** A reminder is due once the task is open, past its due date, and not yet reminded. */
export function checkReminderDue(task: HumanTask | undefined, taskId: string, at: string): Result<HumanTask, HumanTaskError> {
  const open = openTaskOrError(task, taskId);
  if (!open.ok) return open;
  const t = open.value;
  if (t.reminderSentAt !== null) {
    return err(
      domainError('HUMAN_TASK_REMINDER_ALREADY_SENT', `A reminder for task ${taskId} was already sent at ${t.reminderSentAt}.`, {
        taskId,
        reminderSentAt: t.reminderSentAt,
      }),
    );
  }
  if (!isAtOrAfter(at, t.dueAt)) {
    return err(domainError('HUMAN_TASK_NOT_OVERDUE', `Task ${taskId} is not due until ${t.dueAt}.`, { taskId, dueAt: t.dueAt, at }));
  }
  return ok(t);
}

/** When escalation becomes due: `escalationAfterMs` after the reminder. */
export function escalationDueAt(task: HumanTask, escalationAfterMs: number): string | null {
  return task.reminderSentAt === null ? null : addMilliseconds(task.reminderSentAt, escalationAfterMs);
}

/** Escalation follows a reminder that went unanswered for `escalationAfterMs`; it happens once. */
export function checkEscalationDue(
  task: HumanTask | undefined,
  taskId: string,
  at: string,
  escalationAfterMs: number,
): Result<HumanTask, HumanTaskError> {
  const open = openTaskOrError(task, taskId);
  if (!open.ok) return open;
  const t = open.value;
  if (t.escalatedAt !== null) {
    return err(
      domainError(
        'HUMAN_TASK_ALREADY_ESCALATED',
        `Task ${taskId} was already escalated to ${t.escalatedTo ?? ESCALATION_ROLE} at ${t.escalatedAt}.`,
        {
          taskId,
          escalatedAt: t.escalatedAt,
        },
      ),
    );
  }
  const dueAt = escalationDueAt(t, escalationAfterMs);
  if (dueAt === null) {
    return err(
      domainError('HUMAN_TASK_REMINDER_NOT_SENT', `Task ${taskId} is escalated only after a reminder has gone unanswered.`, { taskId }),
    );
  }
  if (!isAtOrAfter(at, dueAt)) {
    return err(
      domainError('HUMAN_TASK_ESCALATION_NOT_DUE', `Task ${taskId} is not due for escalation until ${dueAt}.`, { taskId, dueAt, at }),
    );
  }
  return ok(t);
}

/** The next instant at which an open task needs a reminder or an escalation, or null if none ever will. */
export function nextTaskDeadline(task: HumanTask, escalationAfterMs: number): string | null {
  if (task.status !== 'open') return null;
  if (task.reminderSentAt === null) return task.dueAt;
  if (task.escalatedAt === null) return escalationDueAt(task, escalationAfterMs);
  return null;
}
