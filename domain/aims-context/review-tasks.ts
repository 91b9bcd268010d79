/**
 * Review dates that act (4.1, 4.2 "monitor and review"): when an entry's review date comes within the
 * notice period, a review task opens for its owner in the one inbox; an unanswered task is reminded at its
 * due date and escalated to the AIMS owner after the delay, like every task. A review of the entry or a new
 * version answers the task; retiring the entry supersedes it. Each review date opens one task at most, so
 * a task answered without moving the date is not opened again.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import {
  checkEscalationDue,
  checkReminderDue,
  ESCALATION_ROLE,
  nextTaskDeadline,
  openedHumanTask,
  withHumanTaskDecided,
  withHumanTaskSuperseded,
} from '../shared/human-task';
import { isAtOrAfter } from '../shared/iso-time';
import { err, ok, type Result } from '../shared/result';
import type { ActorRef } from '../shared/roles';
import {
  AIMS_CONTEXT_SYSTEM_ACTOR,
  CONTEXT_EDITOR_ROLES,
  CONTEXT_REVIEW_TASK_KIND,
  type AimsContextEvent,
  type AimsContextState,
  type ContextEntry,
  type ContextReviewTask,
  type ContextReviewTaskEvent,
  type EscalateContextReview,
  type OpenContextEntryReview,
  type SendContextReviewReminder,
} from './model';

const DAY_MS = 24 * 3_600_000;

/** The timings of the review tasks, in milliseconds (the workflow reads them from its input). */
export type ContextReviewTimingMs = { noticeMs: number; reviewTimeMs: number; escalationAfterMs: number };

export function reviewTasksOf(s: AimsContextState): ContextReviewTask[] {
  return s.tasks ?? [];
}

export function openReviewTaskOf(s: AimsContextState, entryId: string): ContextReviewTask | undefined {
  return reviewTasksOf(s).find((t) => t.status === 'open' && t.subject.entryId === entryId);
}

/** The first instant of the review date (UTC), and the first instant after it. */
const reviewDateStart = (reviewBy: string): number => Date.parse(`${reviewBy}T00:00:00.000Z`);
const reviewDateEnd = (reviewBy: string): number => reviewDateStart(reviewBy) + DAY_MS;

/** When the entry's review task opens: `noticeMs` before its review date; null when it has (or had) one for that date. */
export function reviewOpensAt(s: AimsContextState, e: ContextEntry, noticeMs: number): number | null {
  if (e.status !== 'active') return null;
  const had = reviewTasksOf(s).some((t) => t.subject.entryId === e.entryId && t.subject.reviewBy === e.reviewBy);
  return had ? null : reviewDateStart(e.reviewBy) - noticeMs;
}

/** The id the workflow gives an entry's next review task. */
export function nextReviewTaskId(s: AimsContextState, entryId: string): string {
  return `context-review-${reviewTasksOf(s).length + 1}-${entryId}`.slice(0, 200);
}

type Decided = Result<AimsContextEvent[], DomainError>;
const refuse = (code: string, message: string, details: Record<string, string | number> = {}): Decided =>
  err(domainError(code, message, details));

export function openReview(c: OpenContextEntryReview, s: AimsContextState): Decided {
  const e = s.entries[c.entryId];
  if (e === undefined) return refuse('CONTEXT_ENTRY_UNKNOWN', `There is no context entry ${c.entryId}.`, { entryId: c.entryId });
  if (!Number.isInteger(c.noticeMs) || c.noticeMs < 0 || !Number.isInteger(c.reviewTimeMs) || c.reviewTimeMs <= 0)
    return refuse('INVALID_TIMING', 'The review notice and review time must be whole milliseconds, the review time above zero.');
  const opensAt = reviewOpensAt(s, e, c.noticeMs);
  if (opensAt === null)
    return refuse('CONTEXT_REVIEW_NOT_DUE', `Context entry ${c.entryId} has no review to open for ${e.reviewBy}.`, { entryId: c.entryId });
  if (Date.parse(c.at) < opensAt)
    return refuse('CONTEXT_REVIEW_NOT_DUE', `The review of ${c.entryId} opens at ${new Date(opensAt).toISOString()}.`, {
      entryId: c.entryId,
    });
  if (reviewTasksOf(s).some((t) => t.taskId === c.taskId))
    return refuse('DUPLICATE_ID', `A task ${c.taskId} already exists.`, { id: c.taskId });
  // Due by the end of the review date at the latest; sooner when the review time is shorter.
  const dueAt = new Date(Math.min(Date.parse(c.at) + c.reviewTimeMs, reviewDateEnd(e.reviewBy))).toISOString();
  return ok([
    {
      type: 'HumanTaskOpened',
      taskId: c.taskId,
      kind: CONTEXT_REVIEW_TASK_KIND,
      requiredRoles: [...CONTEXT_EDITOR_ROLES],
      assignee: e.owner,
      subject: { type: 'context_entry', entryId: e.entryId, register: e.register, version: e.version, reviewBy: e.reviewBy },
      requestedBy: null,
      dueAt,
      by: AIMS_CONTEXT_SYSTEM_ACTOR,
      at: c.at,
    },
  ]);
}

export function remindReview(c: SendContextReviewReminder, s: AimsContextState): Decided {
  const task = reviewTasksOf(s).find((t) => t.taskId === c.taskId);
  const due = checkReminderDue(task, c.taskId, c.at);
  if (!due.ok) return due;
  return ok([
    {
      type: 'HumanTaskReminderSent',
      taskId: c.taskId,
      dueAt: due.value.dueAt,
      notifiedRoles: [],
      // The owner answers for the entry: they are reminded, not every holder of the editor roles.
      notifiedPeople: task === undefined ? [] : [task.assignee],
      by: AIMS_CONTEXT_SYSTEM_ACTOR,
      at: c.at,
    },
  ]);
}

export function escalateReview(c: EscalateContextReview, s: AimsContextState): Decided {
  const due = checkEscalationDue(
    reviewTasksOf(s).find((t) => t.taskId === c.taskId),
    c.taskId,
    c.at,
    c.escalationAfterMs,
  );
  if (!due.ok) return due;
  return ok([{ type: 'HumanTaskEscalated', taskId: c.taskId, escalatedTo: ESCALATION_ROLE, by: AIMS_CONTEXT_SYSTEM_ACTOR, at: c.at }]);
}

/** What answering an entry does to its open review task: decided by a review or a new version, superseded by retirement. */
export function reviewTaskClosed(
  s: AimsContextState,
  entryId: string,
  how: { kind: 'answered'; why: string } | { kind: 'retired'; why: string },
  by: ActorRef,
  at: string,
): ContextReviewTaskEvent[] {
  const task = openReviewTaskOf(s, entryId);
  if (task === undefined) return [];
  if (how.kind === 'retired') return [{ type: 'HumanTaskSuperseded', taskId: task.taskId, reason: how.why, by, at }];
  return [
    { type: 'HumanTaskDecided', taskId: task.taskId, kind: CONTEXT_REVIEW_TASK_KIND, outcome: 'approved', reasons: [how.why], by, at },
  ];
}

export function evolveReviewTask(s: AimsContextState, e: ContextReviewTaskEvent): AimsContextState {
  const tasks = reviewTasksOf(s);
  switch (e.type) {
    case 'HumanTaskOpened':
      return { ...s, tasks: [...tasks, { ...openedHumanTask(e), assignee: e.assignee }] };
    case 'HumanTaskReminderSent':
      return { ...s, tasks: tasks.map((t) => (t.taskId === e.taskId ? { ...t, reminderSentAt: e.at } : t)) };
    case 'HumanTaskEscalated':
      return { ...s, tasks: tasks.map((t) => (t.taskId === e.taskId ? { ...t, escalatedAt: e.at, escalatedTo: e.escalatedTo } : t)) };
    case 'HumanTaskDecided':
      return { ...s, tasks: withHumanTaskDecided(tasks, e) };
    case 'HumanTaskSuperseded':
      return { ...s, tasks: withHumanTaskSuperseded(tasks, e) };
  }
}

export type ContextFollowUp = {
  at: number;
  summary: string;
  command: (at: string) => OpenContextEntryReview | SendContextReviewReminder | EscalateContextReview;
};

/** The next thing the process must do by itself: open a review that fell due, remind or escalate a task. */
export function nextContextFollowUp(s: AimsContextState, timing: ContextReviewTimingMs): ContextFollowUp | null {
  let next: ContextFollowUp | null = null;
  const consider = (f: ContextFollowUp): void => {
    if (next === null || f.at < next.at) next = f;
  };
  for (const e of Object.values(s.entries).sort((a, b) => a.entryId.localeCompare(b.entryId))) {
    const opensAt = reviewOpensAt(s, e, timing.noticeMs);
    if (opensAt === null) continue;
    const entryId = e.entryId;
    consider({
      at: opensAt,
      summary: `review of context entry ${entryId}`,
      command: (at) => ({
        type: 'OpenContextEntryReview',
        entryId,
        taskId: nextReviewTaskId(s, entryId),
        noticeMs: timing.noticeMs,
        reviewTimeMs: timing.reviewTimeMs,
        at,
      }),
    });
  }
  for (const t of reviewTasksOf(s)) {
    const deadline = nextTaskDeadline(t, timing.escalationAfterMs);
    if (deadline === null) continue;
    const taskId = t.taskId;
    consider(
      t.reminderSentAt === null
        ? {
            at: Date.parse(deadline),
            summary: `reminder for task ${taskId}`,
            command: (at) => ({ type: 'SendContextReviewReminder', taskId, at }),
          }
        : {
            at: Date.parse(deadline),
            summary: `escalation of task ${taskId}`,
            command: (at) => ({ type: 'EscalateContextReview', taskId, escalationAfterMs: timing.escalationAfterMs, at }),
          },
    );
  }
  return next;
}

/** The active entries due for review at `at`: their review date has come, or their review task is open. */
export function entriesDueForReview(s: AimsContextState, at: string): ContextEntry[] {
  const today = at.slice(0, 10);
  return Object.values(s.entries).filter(
    (e) => e.status === 'active' && (e.reviewBy <= today || openReviewTaskOf(s, e.entryId) !== undefined),
  );
}

/** Whether `at` is at or after the instant a timer asked for (the runtime's `due` check). */
export const isDue = (f: ContextFollowUp | null, at: string): boolean => f !== null && isAtOrAfter(at, new Date(f.at).toISOString());
