/** The risk as its events leave it. */
import { openedHumanTask, withHumanTaskDecided, withHumanTaskSuperseded } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type { ActionState, Risk, RiskEvent, RiskState, RiskTaskKind } from './model';

const mapActions = (r: Risk, id: string, f: (a: ActionState) => ActionState): Risk => ({
  ...r,
  actions: r.actions.map((a) => (a.actionId === id ? f(a) : a)),
});

export function evolve(s: RiskState, e: RiskEvent): RiskState {
  if (e.type === 'RiskIdentified')
    return {
      riskId: e.riskId,
      systemId: e.systemId,
      source: e.source,
      description: e.description,
      owner: e.owner,
      status: 'identified',
      assessment: 0,
      assessedBy: null,
      criteria: null,
      inherent: null,
      plan: null,
      actions: [],
      residual: null,
      residualBy: null,
      acceptedAssessment: null,
      acceptedLevel: null,
      reassessmentDueAt: null,
      tasks: [],
    };
  if (s === null) return s;
  switch (e.type) {
    case 'RiskAssessed':
      return {
        ...s,
        status: 'assessed',
        assessment: e.assessment,
        assessedBy: e.by,
        criteria: e.criteria,
        inherent: e.inherent,
        plan: null,
        actions: [],
        residual: null,
        residualBy: null,
      };
    case 'HumanTaskOpened':
      return { ...s, tasks: [...s.tasks, openedHumanTask<RiskTaskKind, JsonObject>(e)] };
    case 'HumanTaskDecided':
      return {
        ...s,
        tasks: withHumanTaskDecided(s.tasks, e),
      };
    case 'HumanTaskSuperseded':
      return {
        ...s,
        tasks: withHumanTaskSuperseded(s.tasks, e),
      };
    case 'RiskAssessmentReviewed':
      return { ...s, status: e.outcome === 'approved' ? 'reviewed' : s.acceptedAssessment === null ? 'identified' : 'reassessment_due' };
    case 'RiskTreatmentPlanned':
      return {
        ...s,
        status: 'treatment_planned',
        plan: { option: e.option, annexAControlIds: e.annexAControlIds, ownControls: e.ownControls, plannedBy: e.by, approved: false },
        actions: e.actions.map((a) => ({
          ...a,
          completedAt: null,
          evidenceRefs: [],
          remindedAt: null,
          overdueSince: null,
          escalatedAt: null,
        })),
      };
    case 'RiskTreatmentPlanDecided':
      if (e.outcome === 'rejected') return { ...s, status: 'reviewed', plan: null, actions: [] };
      return { ...s, status: s.actions.length === 0 ? 'treated' : 'treatment_in_progress', plan: s.plan && { ...s.plan, approved: true } };
    case 'TreatmentActionCompleted': {
      const next = mapActions(s, e.actionId, (a) => ({ ...a, completedAt: e.at, evidenceRefs: e.evidenceRefs }));
      return next.actions.every((a) => a.completedAt !== null) ? { ...next, status: 'treated' } : next;
    }
    case 'TreatmentActionReminderIssued':
      return mapActions(s, e.actionId, (a) => ({ ...a, remindedAt: e.at }));
    case 'TreatmentActionOverdue':
      return mapActions(s, e.actionId, (a) => ({ ...a, overdueSince: e.at }));
    case 'TreatmentActionEscalated':
      return mapActions(s, e.actionId, (a) => ({ ...a, escalatedAt: e.at }));
    case 'ResidualRiskAssessed':
      return { ...s, status: 'residual_assessed', residual: e.residual, residualBy: e.by };
    case 'RiskAcceptanceDecided':
      if (e.outcome === 'rejected') return { ...s, status: 'reviewed', plan: null, actions: [], residual: null, residualBy: null };
      return {
        ...s,
        status: 'monitored',
        acceptedAssessment: e.assessment,
        acceptedLevel: e.level,
        reassessmentDueAt: e.reassessmentDueAt,
      };
    case 'RiskReassessmentDue':
      return { ...s, status: 'reassessment_due' };
    case 'AiPolicyAtAcceptanceNoted':
      return {
        ...s,
        acceptancePolicy: {
          assessment: e.assessment,
          outcome: e.outcome,
          decisionEventId: e.decisionEventId,
          decidedAt: e.decidedAt,
          policies: e.policies,
          source: e.source,
          notedAt: e.at,
        },
      };
    default:
      return s;
  }
}
