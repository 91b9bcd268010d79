/**
 * Corrective action's follow-ups: what the process does by itself, and when. Per open action a reminder
 * `reminderLeadMs` before its due date (at once when the plan came later than that, never once the due
 * date has passed), overdue at the due date, one escalation to the AIMS owner `escalationDelayMs` after
 * that; and the effectiveness review announced as due when its delay has run.
 */
import { ESCALATION_ROLE } from '../shared/human-task';
import type { NonconformityCommand } from './commands';
import { approvedPlan, currentRound, type Nonconformity } from './nonconformity';
import { dueInstant, parseFixedDuration, parseInstant } from '../shared/iso-time';

export interface FollowUpTiming {
  reminderLeadMs: number;
  escalationDelayMs: number;
  effectivenessReviewDelay: string;
}

/** The durations as given (fixed-length ISO 8601), or the fields that are not. */
export function followUpTiming(
  timing: { reminderLeadTime?: unknown; escalationDelay?: unknown; effectivenessReviewDelay?: unknown } | undefined,
): { ok: true; value: FollowUpTiming } | { ok: false; problems: string[] } {
  const lead = parseFixedDuration(timing?.reminderLeadTime as string);
  const escalation = parseFixedDuration(timing?.escalationDelay as string);
  if (lead === null || escalation === null) {
    const problems = [
      ...(lead === null ? [`timing.reminderLeadTime ${JSON.stringify(timing?.reminderLeadTime)}`] : []),
      ...(escalation === null ? [`timing.escalationDelay ${JSON.stringify(timing?.escalationDelay)}`] : []),
    ];
    return { ok: false, problems };
  }
  // The review delay is checked by `decide` when the nonconformity is raised.
  return {
    ok: true,
    value: { reminderLeadMs: lead, escalationDelayMs: escalation, effectivenessReviewDelay: String(timing?.effectivenessReviewDelay) },
  };
}

/** The next step the workflow must take by itself: when, what, and a summary for the timer. */
export interface FollowUp {
  at: number;
  summary: string;
  command(at: string): NonconformityCommand;
}

/**
 * The earliest follow-up due for the state (or null when only people can move it on). Per open action:
 * a reminder `reminderLeadTime` before the due date (at once when the plan came later than that, and never
 * once the due date has passed), overdue at the due date, one escalation `escalationDelay` after that.
 */
export function nextFollowUp(nc: Nonconformity, timing: FollowUpTiming, now: number): FollowUp | null {
  const id = nc.id;
  const candidates: FollowUp[] = [];
  if (nc.status === 'actions_in_progress') {
    for (const action of approvedPlan(currentRound(nc))?.actions ?? []) {
      if (action.completion !== null) continue;
      const due = dueInstant(action.dueDate) as number;
      const actionId = action.actionId;
      if (action.overdueSince === null) {
        if (action.remindersIssuedAt.length === 0 && timing.reminderLeadMs > 0 && now < due) {
          candidates.push({
            at: due - timing.reminderLeadMs,
            summary: `reminder for corrective action ${actionId}`,
            command: (at) => ({ type: 'IssueCorrectiveActionReminder', nonconformityId: id, at, actionId }),
          });
        } else {
          candidates.push({
            at: due,
            summary: `corrective action ${actionId} falls due`,
            command: (at) => ({ type: 'MarkCorrectiveActionOverdue', nonconformityId: id, at, actionId }),
          });
        }
      } else if (action.escalations.length === 0) {
        candidates.push({
          at: (parseInstant(action.overdueSince) as number) + timing.escalationDelayMs,
          summary: `escalation of overdue corrective action ${actionId}`,
          command: (at) => ({ type: 'EscalateCorrectiveAction', nonconformityId: id, at, actionId, escalatedTo: ESCALATION_ROLE }),
        });
      }
    }
  }
  const review = currentRound(nc).effectivenessReview;
  if (nc.status === 'effectiveness_review' && review !== null && review.dueNotifiedAt === null) {
    candidates.push({
      at: parseInstant(review.dueAt) as number,
      summary: `effectiveness review of round ${currentRound(nc).round} falls due`,
      command: (at) => ({ type: 'MarkEffectivenessReviewDue', nonconformityId: id, at }),
    });
  }
  return candidates.reduce<FollowUp | null>((first, c) => (first === null || c.at < first.at ? c : first), null);
}
