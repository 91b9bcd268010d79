/**
 * A management review's steps as tasks of the one inbox (9.3, 5.3): what top management must do next is
 * listed with the lifecycle's, the nonconformities' and the documents' work, with a due date, a reminder
 * when it falls due and an escalation to the AIMS owner after that.
 *
 * - the pack compiled (by the timer or on demand) opens the minutes task (top management or the AIMS owner),
 *   due `taskTime` after the planned date (or after compilation, if that is later);
 * - the minutes recorded close it and open the sign-off task (top management: record the decisions, then
 *   sign off), due `taskTime` later;
 * - sign-off closes that one; a cancelled review supersedes whichever is open.
 *
 * The step itself closes its task, whether it came through the inbox or the review's own endpoint, so the
 * inbox never shows work that is done. Escalation tells the AIMS owner (accountable for the AIMS) that top
 * management is late; it does not let the AIMS owner sign off (SIGN_OFF_NEEDS_TOP_MANAGEMENT still holds).
 */
import { nextTaskDeadline } from '../shared/human-task';
import { addMilliseconds } from '../shared/iso-time';
import { ok, type Result } from '../shared/result';
import type { DomainError } from '../shared/domain-error';
import { decide, evolve, tasksOf } from './decide';
import {
  MINUTES_ROLES,
  SIGN_OFF_ROLES,
  type ManagementReview,
  type ManagementReviewCommand,
  type ManagementReviewEvent,
  type ManagementReviewState,
  type ReviewTaskKind,
} from './model';

/** How long top management has for each step, and how long a reminder goes unanswered before escalation. */
export interface ReviewTaskTiming {
  /** Fixed ISO 8601 duration (P14D). */
  taskTime: string;
  /** Fixed ISO 8601 duration (P5D). */
  escalationDelay: string;
}
export const DEFAULT_REVIEW_TASK_TIMING: ReviewTaskTiming = { taskTime: 'P14D', escalationDelay: 'P5D' };

/** Task ids are unique across streams (the inbox finds a task by id alone): the review's id makes them so. */
export const reviewTaskId = (reviewId: string, kind: ReviewTaskKind): string =>
  `${reviewId}.${kind === 'management_review_minutes' ? 'minutes' : 'sign-off'}`;

function opened(
  s: ManagementReview,
  kind: ReviewTaskKind,
  dueAt: string,
  by: ManagementReviewEvent['by'],
  at: string,
): ManagementReviewEvent {
  return {
    type: 'HumanTaskOpened',
    taskId: reviewTaskId(s.reviewId, kind),
    kind,
    requiredRoles: [...(kind === 'management_review_minutes' ? MINUTES_ROLES : SIGN_OFF_ROLES)],
    subject: { type: 'management_review', reviewId: s.reviewId, title: s.plan.title },
    requestedBy: null,
    assignee: null,
    dueAt,
    by,
    at,
  };
}

/** The task events that follow `events` recorded on `before`: which tasks they open, close or supersede. */
export function reviewTaskEvents(
  before: ManagementReviewState,
  events: readonly ManagementReviewEvent[],
  taskTimeMs: number,
): ManagementReviewEvent[] {
  const out: ManagementReviewEvent[] = [];
  let s = before;
  const close = (review: ManagementReview, kind: ReviewTaskKind, by: ManagementReviewEvent['by'], at: string): void => {
    for (const t of tasksOf(review).filter((task) => task.kind === kind && task.status === 'open'))
      out.push({ type: 'HumanTaskDecided', taskId: t.taskId, kind, outcome: 'approved', reasons: [], by, at });
  };
  for (const e of events) {
    s = evolve(s, e);
    if (s === null) continue;
    if (e.type === 'ManagementReviewInputsCompiled') {
      // Compiled again before the minutes: the task already asks for them.
      if (tasksOf(s).some((t) => t.kind === 'management_review_minutes')) continue;
      const from = Math.max(Date.parse(s.plan.plannedFor), Date.parse(e.at));
      out.push(opened(s, 'management_review_minutes', addMilliseconds(new Date(from).toISOString(), taskTimeMs), e.by, e.at));
    } else if (e.type === 'ManagementReviewMinutesRecorded') {
      close(s, 'management_review_minutes', e.by, e.at);
      out.push(opened(s, 'management_review_sign_off', addMilliseconds(e.at, taskTimeMs), e.by, e.at));
    } else if (e.type === 'ManagementReviewSignedOff') {
      close(s, 'management_review_sign_off', e.by, e.at);
    } else if (e.type === 'ManagementReviewCancelled') {
      for (const t of tasksOf(s).filter((task) => task.status === 'open'))
        out.push({ type: 'HumanTaskSuperseded', taskId: t.taskId, reason: `review cancelled: ${e.reason}`, by: e.by, at: e.at });
    }
  }
  return out;
}

/** The review's rules with its inbox tasks: each accepted step also records the task events it implies. */
export function decideWithTasks(
  taskTimeMs: number,
): (c: ManagementReviewCommand, s: ManagementReviewState) => Result<ManagementReviewEvent[], DomainError> {
  return (c, s) => {
    const decided = decide(c, s);
    if (!decided.ok) return decided;
    return ok([...decided.value, ...reviewTaskEvents(s, decided.value, taskTimeMs)]);
  };
}

/** What the process must do by itself next about its tasks: the earliest reminder or escalation, or null. */
export function nextReviewTaskFollowUp(
  s: ManagementReviewState,
  escalationAfterMs: number,
): { at: number; summary: string; command: (at: string) => ManagementReviewCommand } | null {
  if (s === null) return null;
  let next: { at: number; summary: string; command: (at: string) => ManagementReviewCommand } | null = null;
  for (const t of tasksOf(s)) {
    const deadline = nextTaskDeadline(t, escalationAfterMs);
    if (deadline === null) continue;
    const at = Date.parse(deadline);
    if (next !== null && next.at <= at) continue;
    const taskId = t.taskId;
    next =
      t.reminderSentAt === null
        ? { at, summary: `reminder for task ${taskId}`, command: (when) => ({ type: 'SendReviewTaskReminder', taskId, at: when }) }
        : {
            at,
            summary: `escalation of task ${taskId}`,
            command: (when) => ({ type: 'EscalateReviewTask', taskId, escalationAfterMs, at: when }),
          };
  }
  return next;
}
