/**
 * Read-only questions about one nonconformity: what it is waiting for (the tasks a workflow opens, and who
 * may take them) and which of its corrective actions are overdue at a given instant (the list filter and
 * the 9.1 measure).
 */
import type { ActorRef, AimsRole } from '../shared/roles';
import { ESCALATION_RECIPIENT, NONCONFORMITY_COMMAND_ROLES } from './authority';
import { stepNameOf, type NonconformityStepName, type PersonCommandType } from './commands';
import { approvedPlan, currentRound, pendingPlan, type Nonconformity, type NonconformityState } from './nonconformity';
import { dueInstant, parseInstant } from '../shared/iso-time';

export type AwaitedStep =
  | { step: 'containment' }
  | { step: 'root_cause_analysis'; round: number }
  | { step: 'corrective_action_plan'; round: number }
  | { step: 'plan_decision'; round: number; planId: string; planAuthor: ActorRef }
  | { step: 'corrective_action'; round: number; planId: string; actionId: string; owner: string; dueDate: string }
  | { step: 'effectiveness_review'; round: number; dueAt: string };

/**
 * What the nonconformity waits for, one entry per open task: nothing once closed (or before it is raised),
 * one entry per unfinished action while actions are in progress.
 */
export function awaitedSteps(state: NonconformityState): AwaitedStep[] {
  if (state === null) return [];
  const round = currentRound(state);
  switch (state.status) {
    case 'raised':
      return [{ step: 'containment' }];
    case 'containment':
      return [{ step: 'root_cause_analysis', round: round.round }];
    case 'root_cause_analysis':
      return round.rootCauseAnalyses.length === 0
        ? [{ step: 'root_cause_analysis', round: round.round }]
        : [{ step: 'corrective_action_plan', round: round.round }];
    case 'plan_approval': {
      const plan = pendingPlan(state);
      return plan === null ? [] : [{ step: 'plan_decision', round: round.round, planId: plan.planId, planAuthor: { ...plan.author } }];
    }
    case 'actions_in_progress': {
      const plan = approvedPlan(round);
      if (plan === null) return [];
      return plan.actions
        .filter((a) => a.completion === null)
        .map((a) => ({
          step: 'corrective_action',
          round: round.round,
          planId: plan.planId,
          actionId: a.actionId,
          owner: a.owner,
          dueDate: a.dueDate,
        }));
    }
    case 'effectiveness_review':
      return round.effectivenessReview === null
        ? []
        : [{ step: 'effectiveness_review', round: round.round, dueAt: round.effectivenessReview.dueAt }];
    case 'closed':
      return [];
    default: {
      const unreachable: never = state.status;
      void unreachable;
      return [];
    }
  }
}

/** An open task: the awaited step, which steps answer it and who may take it (authority.ts's rules). */
export type OpenTask = AwaitedStep & {
  /** The steps that answer it, by the names they travel under (see NonconformityStepName). */
  updates: NonconformityStepName[];
  /** Any one of these roles may act (for a corrective action: only once escalated; see `assignee`). */
  roles: AimsRole[];
  /** The one person the task is assigned to (a corrective action's owner), or null. */
  assignee: string | null;
  /** People who may not take it (segregation of duties, independence of the review). */
  excludedActorIds: string[];
};

/** The open tasks with who may take them: what the workflow's `openTasks` query answers. */
export function openTasksOf(state: NonconformityState): OpenTask[] {
  if (state === null) return [];
  const round = currentRound(state);
  return awaitedSteps(state).map((step): OpenTask => {
    switch (step.step) {
      case 'containment':
        return task(step, ['RecordContainment']);
      case 'root_cause_analysis':
        return task(step, ['SubmitRootCauseAnalysis']);
      case 'corrective_action_plan':
        // The analysis may still be revised until the plan is submitted.
        return task(step, ['SubmitCorrectiveActionPlan', 'SubmitRootCauseAnalysis']);
      case 'plan_decision':
        return task(step, ['ApproveCorrectiveActionPlan', 'RejectCorrectiveActionPlan'], [step.planAuthor.id]);
      case 'corrective_action': {
        const action = approvedPlan(round)?.actions.find((a) => a.actionId === step.actionId);
        const escalated = (action?.escalations.length ?? 0) > 0;
        return {
          ...step,
          updates: [stepNameOf('CompleteCorrectiveAction')],
          roles: escalated ? [ESCALATION_RECIPIENT] : [],
          assignee: step.owner,
          excludedActorIds: [],
        };
      }
      case 'effectiveness_review': {
        const author = approvedPlan(round)?.author.id;
        return task(step, ['RecordEffectivenessReview'], author === undefined ? [] : [author]);
      }
      default: {
        const unknownStep: never = step;
        return unknownStep;
      }
    }
  });
}

function task(step: AwaitedStep, commands: [PersonCommandType, ...PersonCommandType[]], excludedActorIds: string[] = []): OpenTask {
  return {
    ...step,
    updates: commands.map(stepNameOf),
    roles: [...NONCONFORMITY_COMMAND_ROLES[commands[0]]],
    assignee: null,
    excludedActorIds,
  };
}

export type OverdueCorrectiveAction = {
  nonconformityId: string;
  severity: Nonconformity['severity'];
  aiSystemIds: string[];
  round: number;
  planId: string;
  actionId: string;
  owner: string;
  dueDate: string;
  /** How long past due at the instant asked about. */
  overdueByMs: number;
  escalationLevel: number;
};

/**
 * The corrective actions that were overdue at `at`: approved by then, past their due date, and not completed
 * by then. Works for past instants too, because completion and approval times are kept. Throws a
 * RangeError when `at` is not an ISO 8601 instant: that is a caller's bug, not a domain outcome.
 */
export function overdueActionsOf(nc: Nonconformity, at: string): OverdueCorrectiveAction[] {
  const instant = parseInstant(at);
  if (instant === null) throw new RangeError(`Not an ISO 8601 instant with an offset: ${JSON.stringify(at)}`);
  const overdue: OverdueCorrectiveAction[] = [];
  for (const round of nc.rounds) {
    const plan = approvedPlan(round);
    if (plan === null || plan.decision === null || (parseInstant(plan.decision.decidedAt) as number) > instant) continue;
    for (const action of plan.actions) {
      const due = dueInstant(action.dueDate);
      if (due === null || due > instant) continue;
      if (action.completion !== null && (parseInstant(action.completion.completedAt) as number) <= instant) continue;
      overdue.push({
        nonconformityId: nc.id,
        severity: nc.severity,
        aiSystemIds: [...nc.aiSystemIds],
        round: round.round,
        planId: plan.planId,
        actionId: action.actionId,
        owner: action.owner,
        dueDate: action.dueDate,
        overdueByMs: instant - due,
        escalationLevel: action.escalations.filter((e) => (parseInstant(e.escalatedAt) as number) <= instant).length,
      });
    }
  }
  return overdue;
}

/** True when the nonconformity has a corrective action overdue at `at` (the list filter `overdue`). */
export function hasOverdueActions(nc: Nonconformity, at: string): boolean {
  return overdueActionsOf(nc, at).length > 0;
}
