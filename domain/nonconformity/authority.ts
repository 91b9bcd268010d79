/**
 * Who may act on a nonconformity (clause 5.3, A.3.2, applied to the steps of clause 10.2). `decide`
 * applies these rules before anything else, so a command alone says whether its person may issue it.
 *
 * - Each command a person issues needs one of its roles in NONCONFORMITY_COMMAND_ROLES; the first role of
 *   the row that they hold is the role recorded, so the order is the preference.
 * - A corrective action is completed by its owner, under any role that acts (CORRECTIVE_ACTION_ROLES);
 *   once it has been escalated, the AIMS owner (ESCALATION_RECIPIENT) may complete it too.
 * - Nobody decides on a plan they wrote (`planDecisionProblem`, checked once the plan is known to be the
 *   pending one), and nobody judges the effectiveness of a plan they wrote or of an action they completed.
 * - People are compared as identities (`sameIdentity`, domain/shared/actor-identity): `Erin` and `erin` are
 *   one person, for segregation of duties as for who owns an action.
 * - `auditor` (read-only, 9.2) and `admin` (administers the engine) take none of these steps.
 *
 * Commands issued by the workflow's timers carry no person and act as NONCONFORMITY_SYSTEM_ACTOR.
 */
import { sameIdentity } from '../shared/actor-identity';
import { ESCALATION_ROLE } from '../shared/human-task';
import { err, ok, type Result } from '../shared/result';
import { AIMS_ROLES, AUDIT_ONLY_ROLES, READ_ONLY_ROLES, actorProblem, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { isTimerCommand, stepNameOf, type NonconformityCommand, type PersonCommandType } from './commands';
import { nonconformityError, type NonconformityError } from './errors';
import { approvedPlan, currentRound, type CorrectiveActionPlan, type NonconformityState } from './nonconformity';

/** Roles per command a person issues, in order of preference for the role recorded. */
export const NONCONFORMITY_COMMAND_ROLES: Readonly<Record<PersonCommandType, readonly AimsRole[]>> = {
  // Whoever may take one of the steps below may raise one; auditors report findings to these people (9.2).
  RaiseNonconformity: ['aims_owner', 'risk_owner', 'engineer', 'validator'],
  RecordContainment: ['aims_owner', 'risk_owner', 'engineer'],
  SubmitRootCauseAnalysis: ['risk_owner', 'aims_owner', 'engineer'],
  SubmitCorrectiveActionPlan: ['risk_owner', 'aims_owner', 'engineer'],
  ApproveCorrectiveActionPlan: ['aims_owner', 'risk_owner'],
  RejectCorrectiveActionPlan: ['aims_owner', 'risk_owner'],
  // No role by itself: the action's owner, or once escalated the ESCALATION_RECIPIENT (see above).
  CompleteCorrectiveAction: [],
  RecordEffectivenessReview: ['aims_owner', 'risk_owner', 'validator'],
};

/** Roles under which nobody takes a corrective-action step (read-only auditors; engine administrators). */
export const ROLES_THAT_DO_NOT_ACT: readonly AimsRole[] = [...READ_ONLY_ROLES, ...AUDIT_ONLY_ROLES, 'admin'];

/** Roles under which the owner of a corrective action may complete it. */
export const CORRECTIVE_ACTION_ROLES: readonly AimsRole[] = AIMS_ROLES.filter((r) => !ROLES_THAT_DO_NOT_ACT.includes(r));

/** Overdue corrective actions go to the AIMS owner (clause 5.3: top management assigns the authority). */
export const ESCALATION_RECIPIENT: AimsRole = ESCALATION_ROLE;

/** How steps the workflow takes by itself (timers) are attributed in the evidence. */
export const NONCONFORMITY_SYSTEM_ACTOR: ActorRef = { id: 'aims:nonconformity', role: 'system' };

const WORDS: Readonly<Record<PersonCommandType, string>> = {
  RaiseNonconformity: 'raise a nonconformity',
  RecordContainment: 'record containment',
  SubmitRootCauseAnalysis: 'submit a root-cause analysis',
  SubmitCorrectiveActionPlan: 'submit a corrective action plan',
  ApproveCorrectiveActionPlan: 'approve a corrective action plan',
  RejectCorrectiveActionPlan: 'reject a corrective action plan',
  CompleteCorrectiveAction: 'complete a corrective action',
  RecordEffectivenessReview: 'record the effectiveness review',
};

/** What a command does, in words that follow "cannot" in a refusal. */
export function describeCommand(type: PersonCommandType): string {
  return WORDS[type];
}

/**
 * The actor the command's events record: for a person, the role they act under; for the timers' commands,
 * NONCONFORMITY_SYSTEM_ACTOR; for a raise by another process, its `openedBy` as given (validateCommand
 * checks its shape). Or why the person may not issue the command. The refusals checked here come before
 * any other, as they always have: whoever may not act learns that first.
 */
export function authorize(command: NonconformityCommand, state: NonconformityState): Result<ActorRef, NonconformityError> {
  if (isTimerCommand(command)) return ok(NONCONFORMITY_SYSTEM_ACTOR);
  if (command.type === 'RaiseNonconformity' && command.by === undefined && command.openedBy !== undefined) return ok(command.openedBy);
  const update = stepNameOf(command.type);
  const by: Actor | undefined = command.by;
  const problem = actorProblem(by);
  if (problem !== null || by === undefined) return err(nonconformityError('INVALID_ACTOR', problem ?? 'an actor is required', { update }));

  if (command.type === 'CompleteCorrectiveAction') return completionAuthority(command.actionId, by, state);

  const roles = NONCONFORMITY_COMMAND_ROLES[command.type];
  const role = roles.find((r) => by.roles.includes(r));
  if (role === undefined) {
    return err(
      nonconformityError(
        'MISSING_ROLE',
        `${by.id} cannot ${describeCommand(command.type)}: it needs one of the roles ${roles.join(', ')}`,
        {
          update,
          actorId: by.id,
          actorRoles: [...by.roles],
          requiredRoles: [...roles],
        },
      ),
    );
  }
  if (command.type === 'RecordEffectivenessReview' && state !== null) {
    const problem = reviewerConflict(state, by);
    if (problem !== null) return err(problem);
  }
  return ok({ id: by.id, role });
}

function completionAuthority(actionId: unknown, by: Actor, state: NonconformityState): Result<ActorRef, NonconformityError> {
  const plan = state === null ? null : approvedPlan(currentRound(state));
  const action = plan?.actions.find((a) => a.actionId === actionId);
  // An unknown action is for `decide` to report (UNKNOWN_CORRECTIVE_ACTION), once the person may act at all.
  if (action === undefined || sameIdentity(action.owner, by.id)) {
    const actingRole = by.roles.find((r) => !ROLES_THAT_DO_NOT_ACT.includes(r));
    if (actingRole !== undefined) return ok({ id: by.id, role: actingRole });
    return err(
      nonconformityError('MISSING_ROLE', `${by.id} holds only roles that take no corrective-action step (${by.roles.join(', ')})`, {
        update: stepNameOf('CompleteCorrectiveAction'),
        actorId: by.id,
        actorRoles: [...by.roles],
        requiredRoles: [...CORRECTIVE_ACTION_ROLES],
      }),
    );
  }
  const escalated = action.escalations.length > 0;
  if (escalated && by.roles.includes(ESCALATION_RECIPIENT)) return ok({ id: by.id, role: ESCALATION_RECIPIENT });
  return err(
    nonconformityError(
      'NOT_ACTION_OWNER',
      `${by.id} cannot complete corrective action ${action.actionId}: it is ${action.owner}'s` +
        (escalated ? ` (or, as it was escalated, an ${ESCALATION_RECIPIENT}'s)` : ''),
      { actionId: action.actionId, owner: action.owner, actorId: by.id, escalated },
    ),
  );
}

/** Segregation of duties on a plan: whoever wrote it may not approve or reject it. */
export function planDecisionProblem(plan: CorrectiveActionPlan, decider: ActorRef): NonconformityError | null {
  if (!sameIdentity(decider.id, plan.author.id)) return null;
  return nonconformityError('SEGREGATION_OF_DUTIES', `${decider.id} wrote plan ${plan.planId} and so cannot decide on it`, {
    planId: plan.planId,
    actorId: decider.id,
    conflict: 'plan_author',
  });
}

/**
 * Nobody judges their own correction (10.2 d): not the author of the approved plan, nor whoever completed
 * one of its actions (they did the work whose effect is judged).
 */
function reviewerConflict(state: NonNullable<NonconformityState>, by: Actor): NonconformityError | null {
  const plan = approvedPlan(currentRound(state));
  if (plan === null) return null;
  if (sameIdentity(plan.author.id, by.id)) {
    return nonconformityError(
      'REVIEWER_NOT_INDEPENDENT',
      `${by.id} wrote the corrective action plan and so cannot judge whether it worked`,
      {
        actorId: by.id,
        planAuthorId: plan.author.id,
        conflict: 'plan_author',
        actionIds: [],
      },
    );
  }
  const done = plan.actions.filter((a) => a.completion !== null && sameIdentity(a.completion.completedBy.id, by.id)).map((a) => a.actionId);
  if (done.length === 0) return null;
  return nonconformityError(
    'REVIEWER_NOT_INDEPENDENT',
    `${by.id} completed corrective action ${done.join(', ')} and so cannot judge whether the correction worked`,
    { actorId: by.id, planAuthorId: plan.author.id, conflict: 'corrective_action_completer', actionIds: done },
  );
}
