/**
 * What the lifecycle does by itself, and when: each open human task is reminded at its due date and
 * escalated to the AIMS owner after the policy's delay; while a version is in production, a monitoring
 * review falls due every policy interval (9.1, A.6.2.6).
 */
import type { AiSystemCommand } from './commands';
import { derivedTaskId } from './derived-ids';
import type { AiSystemState } from './model';
import { dueHumanTaskCommands, nextHumanTaskDeadline, nextMonitoringReviewDueAt } from './queries';

/** The next instant the lifecycle must act by itself (epoch ms) and why; null while only people can move it. */
export function nextLifecycleFollowUp(s: AiSystemState): { at: number; summary: string } | null {
  const task = nextHumanTaskDeadline(s);
  const review = nextMonitoringReviewDueAt(s);
  if (task !== null && (review === null || Date.parse(task) <= Date.parse(review))) {
    return { at: Date.parse(task), summary: 'human task reminder or escalation' };
  }
  return review === null ? null : { at: Date.parse(review), summary: 'monitoring review due' };
}

/** A step due at `at` (reminders and escalations first, then the review), or null when none is. */
export function dueLifecycleFollowUp(systemId: string, s: AiSystemState, at: string): AiSystemCommand | null {
  const taskStep = dueHumanTaskCommands(s, at)[0];
  if (taskStep !== undefined) return taskStep;
  const review = nextMonitoringReviewDueAt(s);
  if (review === null || Date.parse(review) > Date.parse(at)) return null;
  return { type: 'RecordMonitoringReviewDue', reviewTaskId: derivedTaskId(systemId, s), at };
}
