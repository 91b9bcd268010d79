/** What a risk means for its system's gate, and what its process does next by itself (timers). */
import { dueInstant, formatInstant } from '../shared/iso-time';
import type { RiskDeploymentBlocker } from '../shared/risk-links';
import type { Risk, RiskCommand } from './model';

/**
 * Whether the risk blocks its system's deployments, and from which level: above appetite with no accepted
 * residual level for its current assessment, or a treatment action overdue. An acceptance stands until the
 * next assessment is recorded.
 */
export function riskPosture(r: Risk): { level: string; blockers: RiskDeploymentBlocker[] } {
  const accepted = r.acceptedAssessment !== null && r.acceptedAssessment === r.assessment;
  const level = accepted ? (r.acceptedLevel ?? '') : (r.residual?.level ?? r.inherent?.level ?? 'not-assessed');
  const blockers: RiskDeploymentBlocker[] = [];
  if (r.inherent?.aboveAppetite === true && !accepted) blockers.push('above-appetite-not-accepted');
  if (r.actions.some((a) => a.completedAt === null && a.overdueSince !== null)) blockers.push('treatment-action-overdue');
  return { level, blockers };
}

/**
 * When the first open action of the approved plan falls overdue (a date alone: the end of that day, UTC, as
 * its timer marks it), or null when none is open. Actions of a plan not yet approved are not due yet.
 */
export function nextActionDueAt(r: Risk): string | null {
  if (r.plan?.approved !== true) return null;
  const dues = r.actions
    .filter((a) => a.completedAt === null)
    .map((a) => dueInstant(a.dueDate))
    .filter((d): d is number => d !== null);
  return dues.length === 0 ? null : formatInstant(Math.min(...dues));
}

/** True when an open action of the approved plan is past its due instant at `now`, or was marked overdue. */
export function hasOverdueAction(r: Risk, now: number): boolean {
  const due = nextActionDueAt(r);
  return r.actions.some((a) => a.completedAt === null && a.overdueSince !== null) || (due !== null && Date.parse(due) < now);
}

/** What the process does by itself next: remind, mark overdue, escalate actions; reassess when due. */
export interface RiskTimers {
  reminderLeadMs: number;
  escalationDelayMs: number;
}
export function nextRiskFollowUp(
  r: Risk,
  timing: RiskTimers,
  now: number,
): { at: number; summary: string; command(at: string): RiskCommand } | null {
  const candidates: { at: number; summary: string; command(at: string): RiskCommand }[] = [];
  if (r.status === 'treatment_in_progress')
    for (const a of r.actions) {
      if (a.completedAt !== null) continue;
      const due = dueInstant(a.dueDate) as number;
      const actionId = a.actionId;
      if (a.remindedAt === null && a.overdueSince === null && timing.reminderLeadMs > 0 && now < due)
        candidates.push({
          at: due - timing.reminderLeadMs,
          summary: `reminder for treatment action ${actionId}`,
          command: (at) => ({ type: 'RemindTreatmentAction', actionId, at }),
        });
      else if (a.overdueSince === null)
        candidates.push({
          at: due,
          summary: `treatment action ${actionId} falls due`,
          command: (at) => ({ type: 'MarkTreatmentActionOverdue', actionId, at }),
        });
      else if (a.escalatedAt === null)
        candidates.push({
          at: Date.parse(a.overdueSince) + timing.escalationDelayMs,
          summary: `escalation of treatment action ${actionId}`,
          command: (at) => ({ type: 'EscalateTreatmentAction', actionId, at }),
        });
    }
  if (r.status === 'monitored' && r.reassessmentDueAt !== null)
    candidates.push({
      at: Date.parse(r.reassessmentDueAt),
      summary: 'reassessment interval runs out',
      command: (at) => ({ type: 'MarkReassessmentDue', at }),
    });
  return candidates.reduce<(typeof candidates)[number] | null>((first, x) => (first === null || x.at < first.at ? x : first), null);
}
