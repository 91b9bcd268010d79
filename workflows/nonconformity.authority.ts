/**
 * Who may act on a nonconformity: the role rules of corrective action (who takes each step, that an
 * action is completed by its owner or, once escalated, the AIMS owner, and that nobody judges their own
 * correction). They are the domain's rules; this module is their last place outside domain/nonconformity.
 */
import {
  approvedPlan,
  awaitedSteps,
  currentRound,
  type Actor,
  type AwaitedStep,
  type NonconformityError,
  type NonconformityState,
} from '../domain/nonconformity';
import { domainError, type DomainError } from '../domain/shared/domain-error';
import { ESCALATION_ROLE } from '../domain/shared/human-task';
import { AIMS_ROLES, READ_ONLY_ROLES, actorProblem, type Actor as RoleHolder, type AimsRole } from '../domain/shared/roles';
import type { NonconformityTaskErrorCode, NonconformityUpdateName, OpenTask } from './nonconformity.messages';

/** Roles per update, in order of preference for the role recorded. Completion is by the action's owner. */
export const NONCONFORMITY_TASK_ROLES: Readonly<Record<NonconformityUpdateName, readonly AimsRole[]>> = {
  recordContainment: ['aims_owner', 'risk_owner', 'engineer'],
  submitRootCauseAnalysis: ['risk_owner', 'aims_owner', 'engineer'],
  submitCorrectiveActionPlan: ['risk_owner', 'aims_owner', 'engineer'],
  approveCorrectiveActionPlan: ['aims_owner', 'risk_owner'],
  rejectCorrectiveActionPlan: ['aims_owner', 'risk_owner'],
  completeCorrectiveAction: [],
  recordEffectivenessReview: ['aims_owner', 'risk_owner', 'validator'],
};

/** Roles under which nobody takes a corrective-action step (read-only auditors; engine administrators). */
const ROLES_THAT_DO_NOT_ACT: readonly AimsRole[] = [...READ_ONLY_ROLES, 'admin'];

/** Overdue corrective actions go to the AIMS owner (clause 5.3: top management assigns the authority). */
export const ESCALATION_RECIPIENT: AimsRole = ESCALATION_ROLE;

type Refusal = DomainError<NonconformityTaskErrorCode> | NonconformityError;

function refuse(code: NonconformityTaskErrorCode, message: string, details: DomainError['details']): DomainError<NonconformityTaskErrorCode> {
  return domainError(code, message, details);
}

/**
 * The role `by` acts under for `update`, or why they may not act. Checks the person's standing only; the
 * domain's `decide` checks the rest (including that a plan's author does not decide on it).
 */
export function authorize(update: NonconformityUpdateName, arg: unknown, state: NonconformityState): Actor | Refusal {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    return refuse('INVALID_UPDATE', `${update} needs an object argument with the acting person in "by"`, { update });
  }
  const by = (arg as { by?: RoleHolder }).by;
  const problem = actorProblem(by);
  if (problem !== null || by === undefined) return refuse('INVALID_ACTOR', problem ?? 'an actor is required', { update });
  const nc = state;

  if (update === 'completeCorrectiveAction') {
    const actionId = (arg as { actionId?: unknown }).actionId;
    const plan = nc === null ? null : approvedPlan(currentRound(nc));
    const action = plan?.actions.find((a) => a.actionId === actionId);
    const actingRole = by.roles.find((r) => !ROLES_THAT_DO_NOT_ACT.includes(r));
    // An unknown action is the domain's to report (UNKNOWN_CORRECTIVE_ACTION).
    if ((action === undefined || action.owner === by.id) && actingRole !== undefined) return { id: by.id, role: actingRole };
    if (action === undefined || action.owner === by.id) {
      return refuse('MISSING_ROLE', `${by.id} holds only roles that take no corrective-action step (${by.roles.join(', ')})`, {
        update,
        actorId: by.id,
        actorRoles: [...by.roles],
        requiredRoles: AIMS_ROLES.filter((r) => !ROLES_THAT_DO_NOT_ACT.includes(r)),
      });
    }
    if (action.escalations.length > 0 && by.roles.includes(ESCALATION_RECIPIENT)) return { id: by.id, role: ESCALATION_RECIPIENT };
    return refuse(
      'NOT_ACTION_OWNER',
      `${by.id} cannot complete corrective action ${action.actionId}: it is ${action.owner}'s` +
        (action.escalations.length > 0 ? ` (or, as it was escalated, an ${ESCALATION_RECIPIENT}'s)` : ''),
      { actionId: action.actionId, owner: action.owner, actorId: by.id, escalated: action.escalations.length > 0 },
    );
  }

  const roles = NONCONFORMITY_TASK_ROLES[update];
  const role = roles.find((r) => by.roles.includes(r));
  if (role === undefined) {
    return refuse('MISSING_ROLE', `${by.id} cannot ${describeUpdate(update)}: it needs one of the roles ${roles.join(', ')}`, {
      update,
      actorId: by.id,
      actorRoles: [...by.roles],
      requiredRoles: [...roles],
    });
  }
  if (update === 'recordEffectivenessReview' && nc !== null) {
    const author = approvedPlan(currentRound(nc))?.author.id ?? null;
    if (author === by.id) {
      return refuse('REVIEWER_NOT_INDEPENDENT', `${by.id} wrote the corrective action plan and so cannot judge whether it worked`, {
        actorId: by.id,
        planAuthorId: author,
      });
    }
  }
  return { id: by.id, role };
}

function describeUpdate(update: NonconformityUpdateName): string {
  const words: Record<NonconformityUpdateName, string> = {
    recordContainment: 'record containment',
    submitRootCauseAnalysis: 'submit a root-cause analysis',
    submitCorrectiveActionPlan: 'submit a corrective action plan',
    approveCorrectiveActionPlan: 'approve a corrective action plan',
    rejectCorrectiveActionPlan: 'reject a corrective action plan',
    completeCorrectiveAction: 'complete a corrective action',
    recordEffectivenessReview: 'record the effectiveness review',
  };
  return words[update];
}

/** The open tasks with who may take them: what the `openTasks` query answers. */
export function openTasksOf(state: NonconformityState): OpenTask[] {
  if (state === null) return [];
  const round = currentRound(state);
  return awaitedSteps(state).map((step): OpenTask => {
    switch (step.step) {
      case 'containment':
        return task(step, ['recordContainment']);
      case 'root_cause_analysis':
        return task(step, ['submitRootCauseAnalysis']);
      case 'corrective_action_plan':
        // The analysis may still be revised until the plan is submitted.
        return task(step, ['submitCorrectiveActionPlan', 'submitRootCauseAnalysis']);
      case 'plan_decision':
        return task(step, ['approveCorrectiveActionPlan', 'rejectCorrectiveActionPlan'], [step.planAuthor.id]);
      case 'corrective_action': {
        const action = approvedPlan(round)?.actions.find((a) => a.actionId === step.actionId);
        const escalated = (action?.escalations.length ?? 0) > 0;
        return { ...step, updates: ['completeCorrectiveAction'], roles: escalated ? [ESCALATION_RECIPIENT] : [], assignee: step.owner, excludedActorIds: [] };
      }
      case 'effectiveness_review': {
        const author = approvedPlan(round)?.author.id;
        return task(step, ['recordEffectivenessReview'], author === undefined ? [] : [author]);
      }
      default: {
        const unknownStep: never = step;
        return unknownStep;
      }
    }
  });
}

function task(step: AwaitedStep, updates: NonconformityUpdateName[], excludedActorIds: string[] = []): OpenTask {
  return { ...step, updates, roles: [...NONCONFORMITY_TASK_ROLES[updates[0]]], assignee: null, excludedActorIds };
}

