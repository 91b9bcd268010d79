/**
 * `decide(command, state)`: the rules of clause 10.2 as a pure function. It returns the events that the
 * command causes, or a typed error for every command that is not allowed — never throws, never reads a
 * clock, never makes an id. Who may act is checked first (authority.ts); the events record the person
 * under the role they acted in.
 */
import { isAnnexAControlId } from '../catalogue/annex-a-controls';
import { isClauseId } from '../catalogue/clauses';
import {
  NONCONFORMITY_COMMAND_TYPES,
  type ApproveCorrectiveActionPlan,
  type CompleteCorrectiveAction,
  type EscalateCorrectiveAction,
  type IssueCorrectiveActionReminder,
  type MarkCorrectiveActionOverdue,
  type MarkEffectivenessReviewDue,
  type NonconformityCommand,
  type NonconformityCommandType,
  type RaiseNonconformity,
  type RecordContainment,
  type RecordEffectivenessReview,
  type RejectCorrectiveActionPlan,
  type SubmitCorrectiveActionPlan,
  type SubmitRootCauseAnalysis,
} from './commands';
import { nonconformityError, type NonconformityError, type NonconformityErrorCode } from './errors';
import type { Result } from '../shared/result';
import type { ActorRef } from '../shared/roles';
import { authorize, planDecisionProblem } from './authority';
import type { NonconformityEvent } from './events';
import {
  approvedPlan,
  currentRound,
  pendingPlan,
  type CorrectiveAction,
  type CorrectiveActionPlan,
  type Nonconformity,
  type NonconformityState,
  type NonconformityStatus,
} from './nonconformity';
import { dueInstant, formatInstant, parseInstant } from '../shared/iso-time';
import { boundsIssues, reviewDueMs } from './bounds';
import { validateCommand } from './validation';

/** The events a command causes, or why it was refused (the project's common Result shape). */
export type DecideResult = Result<NonconformityEvent[], NonconformityError>;

/** An error written flat (code, message and its details side by side), as the rules below state them. */
type FlatError = {
  [C in NonconformityErrorCode]: { code: C; message: string } & Extract<NonconformityError, { code: C }>['details'];
}[NonconformityErrorCode];

const OPEN_STATUSES: NonconformityStatus[] = [
  'raised',
  'containment',
  'root_cause_analysis',
  'plan_approval',
  'actions_in_progress',
  'effectiveness_review',
];

/** In which statuses each command (other than raising) is accepted. */
export const COMMAND_ALLOWED_IN: Readonly<Record<Exclude<NonconformityCommandType, 'RaiseNonconformity'>, readonly NonconformityStatus[]>> =
  {
    // Further containment may be needed at any point until closure (e.g. after a reopening).
    RecordContainment: OPEN_STATUSES,
    // Containment comes first; within the analysis phase the analysis may be revised until a plan is submitted.
    SubmitRootCauseAnalysis: ['containment', 'root_cause_analysis'],
    SubmitCorrectiveActionPlan: ['root_cause_analysis'],
    ApproveCorrectiveActionPlan: ['plan_approval'],
    RejectCorrectiveActionPlan: ['plan_approval'],
    CompleteCorrectiveAction: ['actions_in_progress'],
    IssueCorrectiveActionReminder: ['actions_in_progress'],
    MarkCorrectiveActionOverdue: ['actions_in_progress'],
    EscalateCorrectiveAction: ['actions_in_progress'],
    MarkEffectivenessReviewDue: ['effectiveness_review'],
    RecordEffectivenessReview: ['effectiveness_review'],
  };

/** The command types `decide` could accept for this state (ignoring the command's own content). */
export function commandsAllowed(state: NonconformityState): NonconformityCommandType[] {
  if (state === null) return ['RaiseNonconformity'];
  return (Object.keys(COMMAND_ALLOWED_IN) as (keyof typeof COMMAND_ALLOWED_IN)[]).filter((t) =>
    COMMAND_ALLOWED_IN[t].includes(state.status),
  );
}

const ok = (...events: NonconformityEvent[]): DecideResult => ({ ok: true, value: events });

function fail(flat: FlatError): DecideResult {
  const { code, message, ...details } = flat;
  // The mapped FlatError type ties each code to its details; TypeScript cannot follow that through the rest
  // spread of a union, hence the cast.
  return { ok: false, error: nonconformityError(code, message, details as never) };
}

/**
 * `decide`, then the bounds of every duration and date (bounds.ts): a review delay of a day to two years,
 * due dates at most five years ahead. The API and every run since NONCONFORMITY_BOUNDS_PATCH decide with
 * it; older runs keep `decide`, so their recorded histories replay. Bounds come last: who may act, the
 * command's shape and the state answer first, as they do in `decide`.
 */
export function decideWithinBounds(command: NonconformityCommand, state: NonconformityState): DecideResult {
  const decided = decide(command, state);
  if (!decided.ok) return decided;
  const issues = boundsIssues(command);
  if (issues.length === 0) return decided;
  return fail({
    code: 'VALIDATION_FAILED',
    message: `${command.type} is invalid: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`,
    issues,
  });
}

export function decide(command: NonconformityCommand, state: NonconformityState): DecideResult {
  const commandType: unknown = (command as { type?: unknown } | null)?.type;
  if (typeof commandType !== 'string' || !(NONCONFORMITY_COMMAND_TYPES as readonly string[]).includes(commandType)) {
    return fail({
      code: 'UNKNOWN_COMMAND',
      message: `Unknown nonconformity command ${JSON.stringify(commandType)}`,
      commandType: String(commandType),
    });
  }
  const authority = authorize(command, state);
  if (!authority.ok) return authority;
  const by = authority.value;
  const issues = validateCommand(command);
  if (issues.length > 0) {
    return fail({
      code: 'VALIDATION_FAILED',
      message: `${command.type} is invalid: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`,
      issues,
    });
  }

  if (command.type === 'RaiseNonconformity') return raise(command, by, state);

  if (state === null) {
    return fail({
      code: 'NONCONFORMITY_NOT_RAISED',
      message: `Nonconformity ${command.nonconformityId} has not been raised`,
      nonconformityId: command.nonconformityId,
    });
  }
  if (command.nonconformityId !== state.id) {
    return fail({
      code: 'NONCONFORMITY_ID_MISMATCH',
      message: `${command.type} is for nonconformity ${command.nonconformityId}, not ${state.id}`,
      nonconformityId: state.id,
      commandNonconformityId: command.nonconformityId,
    });
  }
  if (state.status === 'closed') {
    return fail({ code: 'NONCONFORMITY_CLOSED', message: `Nonconformity ${state.id} is closed`, nonconformityId: state.id });
  }
  // Evidence must read in time order; measures such as time to close depend on it.
  if ((parseInstant(command.at) as number) < (parseInstant(state.lastEventAt) as number)) {
    return fail({
      code: 'TIME_BEFORE_LAST_EVENT',
      message: `${command.type} is dated ${command.at}, before the nonconformity's last event at ${state.lastEventAt}`,
      at: command.at,
      lastEventAt: state.lastEventAt,
    });
  }
  const allowedIn = COMMAND_ALLOWED_IN[command.type];
  if (!allowedIn.includes(state.status)) {
    return fail({
      code: 'INVALID_TRANSITION',
      message: `${command.type} is not allowed while nonconformity ${state.id} is in ${state.status} (only in ${allowedIn.join(', ')})`,
      commandType: command.type,
      status: state.status,
      allowedIn: [...allowedIn],
    });
  }

  switch (command.type) {
    case 'RecordContainment':
      return recordContainment(command, by, state);
    case 'SubmitRootCauseAnalysis':
      return submitRootCauseAnalysis(command, by, state);
    case 'SubmitCorrectiveActionPlan':
      return submitPlan(command, by, state);
    case 'ApproveCorrectiveActionPlan':
    case 'RejectCorrectiveActionPlan':
      return decidePlan(command, by, state);
    case 'CompleteCorrectiveAction':
      return completeAction(command, by, state);
    case 'IssueCorrectiveActionReminder':
    case 'MarkCorrectiveActionOverdue':
    case 'EscalateCorrectiveAction':
      return followUpAction(command, state);
    case 'MarkEffectivenessReviewDue':
      return markReviewDue(command, state);
    case 'RecordEffectivenessReview':
      return recordReview(command, by, state);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

function raise(command: RaiseNonconformity, by: ActorRef, state: NonconformityState): DecideResult {
  if (state !== null) {
    return fail({
      code: 'NONCONFORMITY_ALREADY_RAISED',
      message: `Nonconformity ${state.id} has already been raised`,
      nonconformityId: state.id,
    });
  }
  const unknownControls = command.annexAControlIds.filter((id) => !isAnnexAControlId(id));
  if (unknownControls.length > 0) {
    return fail({
      code: 'UNKNOWN_ANNEX_A_CONTROL',
      message: `Not Annex A control ids: ${unknownControls.join(', ')}`,
      controlIds: unknownControls,
    });
  }
  const unknownClauses = command.clauseIds.filter((id) => !isClauseId(id));
  if (unknownClauses.length > 0) {
    return fail({ code: 'UNKNOWN_CLAUSE', message: `Not clause ids of 4–10: ${unknownClauses.join(', ')}`, clauseIds: unknownClauses });
  }
  return ok({
    type: 'NonconformityRaised',
    nonconformityId: command.nonconformityId,
    at: command.at,
    raisedBy: { id: by.id, role: by.role },
    title: command.title,
    description: command.description,
    source: command.source,
    sourceReference: command.sourceReference ?? null,
    severity: command.severity,
    aiSystemIds: [...command.aiSystemIds],
    annexAControlIds: [...command.annexAControlIds],
    clauseIds: [...command.clauseIds],
    effectivenessReviewDelay: command.effectivenessReviewDelay,
  });
}

function recordContainment(command: RecordContainment, by: ActorRef, state: Nonconformity): DecideResult {
  return ok({
    type: 'ContainmentRecorded',
    nonconformityId: state.id,
    at: command.at,
    recordedBy: { id: by.id, role: by.role },
    actions: [...command.actions],
    justification: command.justification ?? null,
    evidenceRefs: [...(command.evidenceRefs ?? [])],
  });
}

function submitRootCauseAnalysis(command: SubmitRootCauseAnalysis, by: ActorRef, state: Nonconformity): DecideResult {
  return ok({
    type: 'RootCauseAnalysisSubmitted',
    nonconformityId: state.id,
    at: command.at,
    round: currentRound(state).round,
    author: { id: by.id, role: by.role },
    method: command.method,
    methodDescription: command.methodDescription ?? null,
    causes: [...command.causes],
    contributingFactors: [...command.contributingFactors],
    similarNonconformityIds: [...(command.similarNonconformityIds ?? [])],
    evidenceRefs: [...(command.evidenceRefs ?? [])],
  });
}

function allPlans(state: Nonconformity): CorrectiveActionPlan[] {
  return state.rounds.flatMap((r) => r.plans);
}

function submitPlan(command: SubmitCorrectiveActionPlan, by: ActorRef, state: Nonconformity): DecideResult {
  const round = currentRound(state);
  if (round.rootCauseAnalyses.length === 0) {
    return fail({
      code: 'ROOT_CAUSE_ANALYSIS_MISSING',
      message: `Round ${round.round} of nonconformity ${state.id} has no root-cause analysis yet: a plan must address analysed causes`,
      round: round.round,
    });
  }
  if (allPlans(state).some((p) => p.planId === command.planId)) {
    return fail({ code: 'DUPLICATE_ID', message: `Plan id ${command.planId} was already used`, kind: 'plan', ids: [command.planId] });
  }
  const ids = command.actions.map((a) => a.actionId);
  const repeatedInPlan = ids.filter((id, i) => ids.indexOf(id) !== i);
  // Actions of approved plans become tasks and evidence under their id, so an id is never reused after
  // approval; ids of rejected plans may be used again by the resubmission.
  const approvedIds = new Set(
    state.rounds.flatMap((r) => {
      const plan = approvedPlan(r);
      return plan === null ? [] : plan.actions.map((a) => a.actionId);
    }),
  );
  const duplicates = [...new Set([...repeatedInPlan, ...ids.filter((id) => approvedIds.has(id))])];
  if (duplicates.length > 0) {
    return fail({
      code: 'DUPLICATE_ID',
      message: `Corrective action ids already used: ${duplicates.join(', ')}`,
      kind: 'corrective_action',
      ids: duplicates,
    });
  }
  const submittedAt = parseInstant(command.at) as number;
  const notAfter = command.actions.filter((a) => (dueInstant(a.dueDate) as number) <= submittedAt).map((a) => a.actionId);
  if (notAfter.length > 0) {
    return fail({
      code: 'DUE_DATE_NOT_AFTER_SUBMISSION',
      message: `Due dates must lie after the plan's submission (${command.at}): ${notAfter.join(', ')}`,
      actionIds: notAfter,
    });
  }
  return ok({
    type: 'CorrectiveActionPlanSubmitted',
    nonconformityId: state.id,
    at: command.at,
    round: round.round,
    planId: command.planId,
    author: { id: by.id, role: by.role },
    actions: command.actions.map((a) => ({ actionId: a.actionId, description: a.description, owner: a.owner, dueDate: a.dueDate })),
  });
}

function decidePlan(
  command: ApproveCorrectiveActionPlan | RejectCorrectiveActionPlan,
  decider: ActorRef,
  state: Nonconformity,
): DecideResult {
  const plan = pendingPlan(state);
  if (plan === null || plan.planId !== command.planId) {
    return fail({
      code: 'PLAN_NOT_PENDING',
      message: `Plan ${command.planId} is not the plan awaiting a decision${plan ? ` (that is ${plan.planId})` : ''}`,
      planId: command.planId,
      pendingPlanId: plan?.planId ?? null,
    });
  }
  const segregation = planDecisionProblem(plan, decider);
  if (segregation !== null) return { ok: false, error: segregation };
  const round = currentRound(state).round;
  if (command.type === 'ApproveCorrectiveActionPlan') {
    return ok({
      type: 'CorrectiveActionPlanApproved',
      nonconformityId: state.id,
      at: command.at,
      round,
      planId: plan.planId,
      approvedBy: { id: decider.id, role: decider.role },
      comment: command.comment ?? null,
    });
  }
  return ok({
    type: 'CorrectiveActionPlanRejected',
    nonconformityId: state.id,
    at: command.at,
    round,
    planId: plan.planId,
    rejectedBy: { id: decider.id, role: decider.role },
    reasons: [...command.reasons],
  });
}

type OpenAction = { round: number; plan: CorrectiveActionPlan; action: CorrectiveAction };

/** The action of the current round's approved plan that is still to be done, or the error that says why not. */
function findOpenAction(state: Nonconformity, actionId: string): OpenAction | FlatError {
  const round = currentRound(state);
  const plan = approvedPlan(round);
  const action = plan?.actions.find((a) => a.actionId === actionId);
  if (plan === null || action === undefined) {
    return {
      code: 'UNKNOWN_CORRECTIVE_ACTION',
      message: `No corrective action ${actionId} in the approved plan of round ${round.round}`,
      actionId,
      round: round.round,
    };
  }
  if (action.completion !== null) {
    return {
      code: 'CORRECTIVE_ACTION_ALREADY_COMPLETED',
      message: `Corrective action ${actionId} was completed at ${action.completion.completedAt}`,
      actionId,
      completedAt: action.completion.completedAt,
    };
  }
  return { round: round.round, plan, action };
}

function completeAction(command: CompleteCorrectiveAction, by: ActorRef, state: Nonconformity): DecideResult {
  const found = findOpenAction(state, command.actionId);
  if ('code' in found) return fail(found);
  const completed: NonconformityEvent = {
    type: 'CorrectiveActionCompleted',
    nonconformityId: state.id,
    at: command.at,
    round: found.round,
    planId: found.plan.planId,
    actionId: command.actionId,
    completedBy: { id: by.id, role: by.role },
    evidenceRefs: [...command.evidenceRefs],
    note: command.note ?? null,
  };
  const othersOpen = found.plan.actions.some((a) => a.actionId !== command.actionId && a.completion === null);
  if (othersOpen) return ok(completed);
  // The last action is done: whether the correction worked can only be judged after a while in operation.
  return ok(completed, {
    type: 'EffectivenessReviewScheduled',
    nonconformityId: state.id,
    at: command.at,
    round: found.round,
    // Always a date, even for a delay raised before the bounds (bounds.ts).
    dueAt: formatInstant(reviewDueMs(parseInstant(command.at) as number, state.effectivenessReviewDelay)),
  });
}

function followUpAction(
  command: IssueCorrectiveActionReminder | MarkCorrectiveActionOverdue | EscalateCorrectiveAction,
  state: Nonconformity,
): DecideResult {
  const found = findOpenAction(state, command.actionId);
  if ('code' in found) return fail(found);
  const { action } = found;
  const ref = {
    nonconformityId: state.id,
    at: command.at,
    round: found.round,
    planId: found.plan.planId,
    actionId: action.actionId,
    owner: action.owner,
    dueDate: action.dueDate,
  };
  switch (command.type) {
    case 'IssueCorrectiveActionReminder':
      return ok({ type: 'CorrectiveActionReminderIssued', ...ref, reminderNumber: action.remindersIssuedAt.length + 1 });
    case 'MarkCorrectiveActionOverdue':
      if (action.overdueSince !== null) {
        return fail({
          code: 'CORRECTIVE_ACTION_ALREADY_OVERDUE',
          message: `Corrective action ${action.actionId} has been overdue since ${action.overdueSince}`,
          actionId: action.actionId,
          overdueSince: action.overdueSince,
        });
      }
      if ((parseInstant(command.at) as number) < (dueInstant(action.dueDate) as number)) {
        return fail({
          code: 'CORRECTIVE_ACTION_NOT_YET_DUE',
          message: `Corrective action ${action.actionId} is due ${action.dueDate}; at ${command.at} it is not overdue`,
          actionId: action.actionId,
          dueDate: action.dueDate,
        });
      }
      return ok({ type: 'CorrectiveActionOverdue', ...ref });
    case 'EscalateCorrectiveAction':
      // Escalation follows the recorded overdue, so the evidence shows why it was escalated.
      if (action.overdueSince === null) {
        return fail({
          code: 'CORRECTIVE_ACTION_NOT_OVERDUE',
          message: `Corrective action ${action.actionId} has not been recorded as overdue`,
          actionId: action.actionId,
        });
      }
      return ok({ type: 'CorrectiveActionEscalated', ...ref, escalatedTo: command.escalatedTo, level: action.escalations.length + 1 });
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

function markReviewDue(command: MarkEffectivenessReviewDue, state: Nonconformity): DecideResult {
  const round = currentRound(state);
  const review = round.effectivenessReview;
  if (review === null) return fail(invalidTransition(command.type, state)); // unreachable in a consistent state
  if (review.dueNotifiedAt !== null) {
    return fail({
      code: 'EFFECTIVENESS_REVIEW_ALREADY_DUE',
      message: `The effectiveness review of round ${round.round} was announced as due at ${review.dueNotifiedAt}`,
      dueAt: review.dueAt,
      dueNotifiedAt: review.dueNotifiedAt,
    });
  }
  if ((parseInstant(command.at) as number) < (parseInstant(review.dueAt) as number)) return fail(reviewNotDue(review.dueAt, command.at));
  return ok({ type: 'EffectivenessReviewDue', nonconformityId: state.id, at: command.at, round: round.round, dueAt: review.dueAt });
}

function recordReview(command: RecordEffectivenessReview, by: ActorRef, state: Nonconformity): DecideResult {
  const round = currentRound(state);
  const review = round.effectivenessReview;
  if (review === null) return fail(invalidTransition(command.type, state)); // unreachable in a consistent state
  // Judging effectiveness early would defeat its purpose: the correction must have run for the set period.
  if ((parseInstant(command.at) as number) < (parseInstant(review.dueAt) as number)) return fail(reviewNotDue(review.dueAt, command.at));
  const reviewedBy = { id: by.id, role: by.role };
  const recorded: NonconformityEvent = {
    type: 'EffectivenessReviewRecorded',
    nonconformityId: state.id,
    at: command.at,
    round: round.round,
    reviewedBy,
    outcome: command.outcome,
    findings: command.findings,
    evidenceRefs: [...(command.evidenceRefs ?? [])],
  };
  if (command.outcome === 'effective') {
    return ok(recorded, {
      type: 'NonconformityClosed',
      nonconformityId: state.id,
      at: command.at,
      round: round.round,
      closedBy: reviewedBy,
    });
  }
  return ok(recorded, {
    type: 'NonconformityReopened',
    nonconformityId: state.id,
    at: command.at,
    previousRound: round.round,
    round: round.round + 1,
    reason: command.findings,
    reopenCount: state.reopenCount + 1,
  });
}

function reviewNotDue(dueAt: string, at: string): FlatError {
  return { code: 'EFFECTIVENESS_REVIEW_NOT_DUE', message: `The effectiveness review is due at ${dueAt}, not yet at ${at}`, dueAt };
}

function invalidTransition(commandType: Exclude<NonconformityCommandType, 'RaiseNonconformity'>, state: Nonconformity): FlatError {
  return {
    code: 'INVALID_TRANSITION',
    message: `${commandType} is not allowed for nonconformity ${state.id} in its current state`,
    commandType,
    status: state.status,
    allowedIn: [...COMMAND_ALLOWED_IN[commandType]],
  };
}
