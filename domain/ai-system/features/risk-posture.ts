/**
 * The system's risks (6.1.2, 6.1.3, 8.2, 8.3): each risk of the system reports whether it blocks deployment
 * (domain/shared/risk-links.ts); the lifecycle notes the latest posture per risk, and the deployment gate
 * (deployment-gate.ts) blocks while any risk reports blockers. Noting a blocking posture also blocks the
 * requests already pending or approved (decide.ts reconciles them through the gate), so nothing goes out
 * under a risk that blocks it. Which lifecycle events ask the risks to reassess is here too, pure.
 */
import { RISK_DEPLOYMENT_BLOCKERS, type RiskReassessmentCause } from '../../shared/risk-links';
import { isAtOrAfter, isIsoTimestamp } from '../../shared/iso-time';
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { invalid } from '../errors';
import type { AiSystemEvent } from '../events';
import type { AiSystemRecord, IncidentSeverity, RiskPostureRecord } from '../model';
import { riskPostures } from '../queries';
import { actorOf } from './common';
import type { DecideResult, Feature } from './feature';

function recordRiskPosture(c: C.RecordRiskPosture, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('riskId', c.riskId);
  p.text('level', c.level);
  p.text('causeEventId', c.causeEventId);
  if (!isIsoTimestamp(c.changedAt)) p.add('changedAt', 'must be an ISO-8601 timestamp, e.g. 2025-03-01T09:30:00Z');
  if (!Array.isArray(c.blockers)) p.add('blockers', `must be a list of: ${RISK_DEPLOYMENT_BLOCKERS.join(', ')}`);
  else {
    const unknown = c.blockers.filter((b) => !(RISK_DEPLOYMENT_BLOCKERS as readonly unknown[]).includes(b));
    if (unknown.length > 0) p.add('blockers', `must each be one of: ${RISK_DEPLOYMENT_BLOCKERS.join(', ')}`);
    else p.distinct('blockers', c.blockers, 'blocker');
  }
  if (!p.empty) return err(invalid(c.type, p.list));
  const known = riskPostures(s).find((r) => r.riskId === c.riskId);
  // The same report again (a resent signal), or one older than the posture held: nothing to note.
  if (known && (known.causeEventId === c.causeEventId || !isAtOrAfter(c.changedAt, known.changedAt))) return ok([]);
  return ok([
    {
      type: 'RiskPostureNoted',
      riskId: c.riskId,
      level: c.level,
      blockers: [...c.blockers],
      causeEventId: c.causeEventId,
      changedAt: c.changedAt,
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

export const riskPosture = {
  decide: { RecordRiskPosture: recordRiskPosture },
  evolve: {
    RiskPostureNoted: (s, e) => {
      const posture: RiskPostureRecord = {
        riskId: e.riskId,
        level: e.level,
        blockers: [...e.blockers],
        causeEventId: e.causeEventId,
        changedAt: e.changedAt,
        notedAt: e.at,
      };
      const held = s.riskPostures ?? [];
      return {
        ...s,
        riskPostures: held.some((r) => r.riskId === e.riskId) ? held.map((r) => (r.riskId === e.riskId ? posture : r)) : [...held, posture],
      };
    },
  },
} satisfies Feature;

// ---------- what asks the risks to reassess ----------

/** Incident severities serious enough to reopen the system's risks. */
export const SERIOUS_INCIDENT_SEVERITIES: readonly IncidentSeverity[] = ['high', 'critical'];

/** The cause of a reassessment request: the lifecycle event (its evidence id) and a one-line summary. */
export type RiskReassessmentCauseEvent = { eventId: string; type: RiskReassessmentCause; summary: string };

/**
 * The event of a recorded step that asks the system's risks to reassess (a significant change, a monitoring
 * breach, a serious incident), or null when none does. One request per step: the first such event is the
 * cause and the summary names every one (a report breaching three thresholds reopens the risks once).
 * `evidenceIds[i]` is the evidence id of `events[i]`.
 */
export function riskReassessmentCause(events: readonly AiSystemEvent[], evidenceIds: readonly string[]): RiskReassessmentCauseEvent | null {
  const causes: Array<{ index: number; type: RiskReassessmentCause; summary: string }> = [];
  events.forEach((e, index) => {
    if (e.type === 'ChangeRecorded' && e.significant) {
      causes.push({ index, type: e.type, summary: `significant change ${e.changeId}: ${e.description}` });
    } else if (e.type === 'MonitoringThresholdBreached') {
      const side = e.direction === 'higher_is_better' ? 'below' : 'above';
      causes.push({
        index,
        type: e.type,
        summary: `monitoring breach: ${e.metric} ${e.value} ${side} threshold ${e.threshold} (report ${e.reportId})`,
      });
    } else if (e.type === 'IncidentReported' && SERIOUS_INCIDENT_SEVERITIES.includes(e.severity)) {
      causes.push({ index, type: e.type, summary: `${e.severity} incident ${e.incidentId}: ${e.description}` });
    }
  });
  const first = causes[0];
  if (first === undefined) return null;
  const eventId = evidenceIds[first.index];
  if (eventId === undefined) throw new Error(`bug: no evidence id for the ${first.type} that asks the risks to reassess`);
  return { eventId, type: first.type, summary: causes.map((x) => x.summary).join('; ') };
}
