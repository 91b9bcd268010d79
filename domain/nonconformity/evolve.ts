/**
 * `evolve(state, event)`: folds one fact into the nonconformity. Total: it never throws. Events come from
 * `decide` against the same state, so each one applies; an event that cannot apply (another
 * nonconformity's, one before the raise, or a type this version does not know) leaves the state as it was
 * rather than break a replay of recorded evidence. It never mutates its inputs.
 */
import type { NonconformityEvent } from './events';
import {
  currentRound,
  type CorrectionRound,
  type CorrectiveAction,
  type CorrectiveActionPlan,
  type Nonconformity,
  type NonconformityState,
} from './nonconformity';

export function evolve(state: NonconformityState, event: NonconformityEvent): NonconformityState {
  if (event.type === 'NonconformityRaised') {
    if (state !== null) return state;
    return {
      id: event.nonconformityId,
      status: 'raised',
      title: event.title,
      description: event.description,
      source: event.source,
      sourceReference: event.sourceReference,
      severity: event.severity,
      aiSystemIds: [...event.aiSystemIds],
      annexAControlIds: [...event.annexAControlIds],
      clauseIds: [...event.clauseIds],
      raisedAt: event.at,
      raisedBy: { ...event.raisedBy },
      effectivenessReviewDelay: event.effectivenessReviewDelay,
      containment: [],
      rounds: [newRound(1, event.at, null)],
      reopenCount: 0,
      closedAt: null,
      lastEventAt: event.at,
    };
  }
  if (state === null || event.nonconformityId !== state.id) return state;
  const next = apply(state, event);
  return next === state ? state : { ...next, lastEventAt: event.at };
}

/** Folds a whole history (e.g. one evidence stream) from the initial state. */
export function replay(events: Iterable<NonconformityEvent>, from: NonconformityState = null): NonconformityState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}

function newRound(round: number, openedAt: string, reopenedBecause: string | null): CorrectionRound {
  return { round, openedAt, reopenedBecause, rootCauseAnalyses: [], plans: [], effectivenessReview: null };
}

function withCurrentRound(state: Nonconformity, round: number, change: (r: CorrectionRound) => CorrectionRound): Nonconformity {
  const current = currentRound(state);
  if (current.round !== round) return state;
  return { ...state, rounds: [...state.rounds.slice(0, -1), change(current)] };
}

function withPlan(
  state: Nonconformity,
  round: number,
  planId: string,
  change: (p: CorrectiveActionPlan) => CorrectiveActionPlan,
): Nonconformity {
  return withCurrentRound(state, round, (r) => ({ ...r, plans: r.plans.map((p) => (p.planId === planId ? change(p) : p)) }));
}

function withAction(
  state: Nonconformity,
  round: number,
  planId: string,
  actionId: string,
  change: (a: CorrectiveAction) => CorrectiveAction,
): Nonconformity {
  return withPlan(state, round, planId, (p) => ({ ...p, actions: p.actions.map((a) => (a.actionId === actionId ? change(a) : a)) }));
}

function apply(state: Nonconformity, event: Exclude<NonconformityEvent, { type: 'NonconformityRaised' }>): Nonconformity {
  switch (event.type) {
    case 'ContainmentRecorded':
      return {
        ...state,
        status: state.status === 'raised' ? 'containment' : state.status,
        containment: [
          ...state.containment,
          {
            recordedAt: event.at,
            recordedBy: { ...event.recordedBy },
            actions: [...event.actions],
            justification: event.justification,
            evidenceRefs: [...event.evidenceRefs],
          },
        ],
      };
    case 'RootCauseAnalysisSubmitted': {
      const next = withCurrentRound(state, event.round, (r) => ({
        ...r,
        rootCauseAnalyses: [
          ...r.rootCauseAnalyses,
          {
            submittedAt: event.at,
            author: { ...event.author },
            method: event.method,
            methodDescription: event.methodDescription,
            causes: [...event.causes],
            contributingFactors: [...event.contributingFactors],
            similarNonconformityIds: [...event.similarNonconformityIds],
            evidenceRefs: [...event.evidenceRefs],
          },
        ],
      }));
      return next === state ? state : { ...next, status: 'root_cause_analysis' };
    }
    case 'CorrectiveActionPlanSubmitted': {
      const next = withCurrentRound(state, event.round, (r) => ({
        ...r,
        plans: [
          ...r.plans,
          {
            planId: event.planId,
            submittedAt: event.at,
            author: { ...event.author },
            actions: event.actions.map((a) => ({
              actionId: a.actionId,
              description: a.description,
              owner: a.owner,
              dueDate: a.dueDate,
              completion: null,
              remindersIssuedAt: [],
              overdueSince: null,
              escalations: [],
            })),
            decision: null,
          },
        ],
      }));
      return next === state ? state : { ...next, status: 'plan_approval' };
    }
    case 'CorrectiveActionPlanApproved': {
      const next = withPlan(state, event.round, event.planId, (p) => ({
        ...p,
        decision: { outcome: 'approved', decidedAt: event.at, decidedBy: { ...event.approvedBy }, comment: event.comment },
      }));
      return next === state ? state : { ...next, status: 'actions_in_progress' };
    }
    case 'CorrectiveActionPlanRejected': {
      const next = withPlan(state, event.round, event.planId, (p) => ({
        ...p,
        decision: { outcome: 'rejected', decidedAt: event.at, decidedBy: { ...event.rejectedBy }, reasons: [...event.reasons] },
      }));
      return next === state ? state : { ...next, status: 'root_cause_analysis' };
    }
    case 'CorrectiveActionCompleted':
      return withAction(state, event.round, event.planId, event.actionId, (a) => ({
        ...a,
        completion: {
          completedAt: event.at,
          completedBy: { ...event.completedBy },
          evidenceRefs: [...event.evidenceRefs],
          note: event.note,
        },
      }));
    case 'CorrectiveActionReminderIssued':
      return withAction(state, event.round, event.planId, event.actionId, (a) => ({
        ...a,
        remindersIssuedAt: [...a.remindersIssuedAt, event.at],
      }));
    case 'CorrectiveActionOverdue':
      return withAction(state, event.round, event.planId, event.actionId, (a) => ({ ...a, overdueSince: event.at }));
    case 'CorrectiveActionEscalated':
      return withAction(state, event.round, event.planId, event.actionId, (a) => ({
        ...a,
        escalations: [...a.escalations, { escalatedAt: event.at, escalatedTo: event.escalatedTo, level: event.level }],
      }));
    case 'EffectivenessReviewScheduled': {
      const next = withCurrentRound(state, event.round, (r) => ({
        ...r,
        effectivenessReview: { scheduledAt: event.at, dueAt: event.dueAt, dueNotifiedAt: null, result: null },
      }));
      return next === state ? state : { ...next, status: 'effectiveness_review' };
    }
    case 'EffectivenessReviewDue':
      return withCurrentRound(state, event.round, (r) =>
        r.effectivenessReview === null ? r : { ...r, effectivenessReview: { ...r.effectivenessReview, dueNotifiedAt: event.at } },
      );
    case 'EffectivenessReviewRecorded':
      return withCurrentRound(state, event.round, (r) =>
        r.effectivenessReview === null
          ? r
          : {
              ...r,
              effectivenessReview: {
                ...r.effectivenessReview,
                result: {
                  reviewedAt: event.at,
                  reviewedBy: { ...event.reviewedBy },
                  outcome: event.outcome,
                  findings: event.findings,
                  evidenceRefs: [...event.evidenceRefs],
                },
              },
            },
      );
    case 'NonconformityClosed':
      return { ...state, status: 'closed', closedAt: event.at };
    case 'NonconformityReopened':
      if (currentRound(state).round !== event.previousRound) return state;
      return {
        ...state,
        status: 'root_cause_analysis',
        rounds: [...state.rounds, newRound(event.round, event.at, event.reason)],
        reopenCount: event.reopenCount,
      };
    default: {
      // Compile time: every event type is handled. Run time: an unknown type changes nothing.
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}
