/**
 * Workflow `nonconformity`: one nonconformity driven through corrective action (ISO/IEC 42001 clause 10.2),
 * workflow id `nonconformity-<id>`, evidence in stream `nonconformity-<id>`.
 *
 *   raised → containment → root-cause analysis → plan approval → corrective actions → effectiveness review
 *   → closed, or reopened into another root-cause analysis round when the correction did not work.
 *
 * The rules are the domain's (`decide`/`evolve` in domain/nonconformity); this file only adds who may act,
 * the clock and the timers. People act through Workflow Updates whose validators run the domain's `decide`
 * (and the role rules below) against the current state, so an illegal command is refused at once and never
 * enters history or the evidence. Every command is stamped with the workflow's clock, never the caller's.
 * Every domain event is recorded exactly once in the evidence stream (ids are made in the workflow).
 * Once closed, it signals the lifecycle of each AI system it concerns (`nonconformityClosed`), which records
 * the closure in the system's own record.
 *
 * Who may act (roles are AIMS roles from domain/shared/roles; the first listed role the actor holds is
 * the role recorded in the evidence):
 *
 * | Task (awaited step)    | Update                                                  | Roles                                     | Further rule                                                       |
 * |------------------------|---------------------------------------------------------|-------------------------------------------|--------------------------------------------------------------------|
 * | containment            | recordContainment                                       | aims_owner, risk_owner, engineer          | also accepted later, until closure (further containment)           |
 * | root_cause_analysis    | submitRootCauseAnalysis                                 | risk_owner, aims_owner, engineer          | may be revised until the plan is submitted                         |
 * | corrective_action_plan | submitCorrectiveActionPlan                              | risk_owner, aims_owner, engineer          | —                                                                  |
 * | plan_decision          | approveCorrectiveActionPlan, rejectCorrectiveActionPlan | aims_owner, risk_owner                    | not the plan's author (segregation of duties, checked by `decide`) |
 * | corrective_action      | completeCorrectiveAction                                | the action's owner, under any acting role | once escalated, also aims_owner (the escalation's recipient)       |
 * | effectiveness_review   | recordEffectivenessReview                               | aims_owner, risk_owner, validator         | not the approved plan's author: nobody judges their own correction |
 *
 * `auditor` (read-only, clause 9.2) and `admin` (administers the engine) take none of these steps, as
 * domain/shared/roles says; an owner acting only under those roles cannot complete their action either.
 *
 * Timers (every duration comes from the input, so tests run in seconds): each open corrective action is
 * reminded `reminderLeadTime` before its due date, marked overdue at its due date and escalated to the AIMS
 * owner `escalationDelay` after that; the effectiveness review is announced as due `effectivenessReviewDelay`
 * after the last action's completion. History stays bounded: the workflow continues as new, carrying its
 * state, when Temporal suggests it (or past `continueAsNewAfterHistoryLength` events).
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  approvedPlan,
  awaitedSteps,
  currentRound,
  decide,
  dueInstant,
  nonconformityEventActor,
  nonconformityEventData,
  nonconformityStreamName,
  parseFixedDuration,
  parseInstant,
  replay,
  type Actor,
  type AwaitedStep,
  type CorrectiveActionInput,
  type EffectivenessOutcome,
  type Nonconformity,
  type NonconformityCommand,
  type NonconformityError,
  type NonconformityEventType,
  type NonconformityState,
  type RaiseNonconformity,
  type RootCauseAnalysisMethod,
} from '../domain/nonconformity';
import { lifecycleWorkflowId } from '../domain/ai-system/identity';
import { domainError, type DomainError } from '../domain/shared/domain-error';
import { ESCALATION_ROLE } from '../domain/shared/human-task';
import { AIMS_ROLES, READ_ONLY_ROLES, actorProblem, type Actor as RoleHolder, type AimsRole } from '../domain/shared/roles';
import { recordEvidence } from './evidence-recorder';

// ---------------------------------------------------------------------------------------------------------
// Input, update arguments, results
// ---------------------------------------------------------------------------------------------------------

/** Durations, as fixed-length ISO 8601 durations (`P30D`, `PT12H`, `PT2S`). */
export interface NonconformityTiming {
  /** From the last corrective action's completion to the effectiveness review (the domain's review delay). */
  effectivenessReviewDelay: string;
  /** How long before an action's due date its owner is reminded; `PT0S` sends no reminder. */
  reminderLeadTime: string;
  /** How long an action stays overdue before it is escalated to the AIMS owner (`PT0S`: at once). */
  escalationDelay: string;
}

/** A sensible default for callers (the API's configuration may override it). */
export const DEFAULT_NONCONFORMITY_TIMING: NonconformityTiming = {
  effectivenessReviewDelay: 'P30D',
  reminderLeadTime: 'P2D',
  escalationDelay: 'P3D',
};

/** What the workflow carries into its next run when it continues as new. */
export interface NonconformityCarriedState {
  state: Nonconformity;
  /** Evidence id of the last event recorded: the causation of the next one. */
  lastEvidenceId: string | null;
}

/**
 * The nonconformity as raised (the domain's RaiseNonconformity without type, time and review delay: the
 * workflow stamps the time, the delay comes from `timing`).
 */
export type NonconformityWorkflowInput = Omit<RaiseNonconformity, 'type' | 'at' | 'effectivenessReviewDelay'> & {
  timing: NonconformityTiming;
  /**
   * Set when an AI system's lifecycle raised it: evidence is correlated with `ai-system-<aiSystemId>` and
   * the raise names `triggeringEvidenceEventId` (the breach or incident event in that system's stream) as
   * its cause. The system is added to `aiSystemIds` when missing.
   */
  aiSystemId?: string;
  triggeringEvidenceEventId?: string;
  /** Continue as new past this many history events even before Temporal suggests it (optional bound). */
  continueAsNewAfterHistoryLength?: number;
  /** Set by the workflow itself when it continues as new; callers leave it out. */
  carried?: NonconformityCarriedState;
};

/** Who acts: the actor id and every AIMS role they hold (from their token); the workflow picks the role. */
type ActingPerson = { by: RoleHolder };

export type RecordContainmentInput = ActingPerson & { actions: string[]; justification?: string | null; evidenceRefs?: string[] };

export type SubmitRootCauseAnalysisInput = ActingPerson & {
  method: RootCauseAnalysisMethod;
  methodDescription?: string | null;
  causes: string[];
  contributingFactors: string[];
  similarNonconformityIds?: string[];
  evidenceRefs?: string[];
};

/** `planId` and each `actionId` are made by the caller (ids never come from a validator). */
export type SubmitCorrectiveActionPlanInput = ActingPerson & { planId: string; actions: CorrectiveActionInput[] };

export type ApproveCorrectiveActionPlanInput = ActingPerson & { planId: string; comment?: string | null };

export type RejectCorrectiveActionPlanInput = ActingPerson & { planId: string; reasons: string[] };

export type CompleteCorrectiveActionInput = ActingPerson & { actionId: string; evidenceRefs: string[]; note?: string | null };

export type RecordEffectivenessReviewInput = ActingPerson & {
  outcome: EffectivenessOutcome;
  findings: string;
  evidenceRefs?: string[];
};

/** What an update answers: the events it recorded (with their evidence ids) and the state after them. */
export interface NonconformityStepResult {
  recorded: { type: NonconformityEventType; evidenceId: string }[];
  nonconformity: Nonconformity;
}

export type NonconformityUpdateName =
  | 'recordContainment'
  | 'submitRootCauseAnalysis'
  | 'submitCorrectiveActionPlan'
  | 'approveCorrectiveActionPlan'
  | 'rejectCorrectiveActionPlan'
  | 'completeCorrectiveAction'
  | 'recordEffectivenessReview';

export const recordContainmentUpdate = defineUpdate<NonconformityStepResult, [RecordContainmentInput]>('recordContainment');
export const submitRootCauseAnalysisUpdate = defineUpdate<NonconformityStepResult, [SubmitRootCauseAnalysisInput]>('submitRootCauseAnalysis');
export const submitCorrectiveActionPlanUpdate = defineUpdate<NonconformityStepResult, [SubmitCorrectiveActionPlanInput]>(
  'submitCorrectiveActionPlan',
);
export const approveCorrectiveActionPlanUpdate = defineUpdate<NonconformityStepResult, [ApproveCorrectiveActionPlanInput]>(
  'approveCorrectiveActionPlan',
);
export const rejectCorrectiveActionPlanUpdate = defineUpdate<NonconformityStepResult, [RejectCorrectiveActionPlanInput]>(
  'rejectCorrectiveActionPlan',
);
export const completeCorrectiveActionUpdate = defineUpdate<NonconformityStepResult, [CompleteCorrectiveActionInput]>('completeCorrectiveAction');
export const recordEffectivenessReviewUpdate = defineUpdate<NonconformityStepResult, [RecordEffectivenessReviewInput]>(
  'recordEffectivenessReview',
);

/** An open task: the awaited step, which updates answer it and who may take it. */
export type OpenTask = AwaitedStep & {
  updates: NonconformityUpdateName[];
  /** Any one of these roles may act (for a corrective action: only once escalated; see `assignee`). */
  roles: AimsRole[];
  /** The one person the task is assigned to (a corrective action's owner), or null. */
  assignee: string | null;
  /** People who may not take it (segregation of duties). */
  excludedActorIds: string[];
};

/**
 * What a closed nonconformity tells the lifecycle of each AI system it concerns (signal `nonconformityClosed`),
 * which holds it open until then: a later breach of the same metric must open a new nonconformity, not be
 * recorded against a closed one. `causationId` is the evidence id of NonconformityClosed.
 */
export interface NonconformityClosedNotice {
  nonconformityId: string;
  closedAt: string;
  round: number;
  causationId: string | null;
}
export const nonconformityClosedSignal = defineSignal<[NonconformityClosedNotice]>('nonconformityClosed');
/** Runs from before this marker closed without telling the lifecycles, and replay that way. */
export const LIFECYCLE_CLOSURE_NOTICE_PATCH = 'nonconformity-closure-tells-lifecycles';

export const nonconformityStateQuery = defineQuery<NonconformityState>('state');
export const openTasksQuery = defineQuery<OpenTask[]>('openTasks');

/** Errors of the role rules (the domain's own refusals keep their domain codes). */
export type NonconformityTaskErrorCode = 'INVALID_UPDATE' | 'INVALID_ACTOR' | 'MISSING_ROLE' | 'NOT_ACTION_OWNER' | 'REVIEWER_NOT_INDEPENDENT';

/** The one workflow of a nonconformity. */
export function nonconformityWorkflowId(nonconformityId: string): string {
  return `nonconformity-${nonconformityId}`;
}

// ---------------------------------------------------------------------------------------------------------
// Who may act (the table at the top of this file)
// ---------------------------------------------------------------------------------------------------------

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

/** How steps the workflow takes by itself (timers) are attributed in the evidence. */
const WORKFLOW_ACTOR = { id: 'aims:nonconformity', role: 'system' };

type Refusal = DomainError<NonconformityTaskErrorCode> | NonconformityError;

function refuse(code: NonconformityTaskErrorCode, message: string, details: DomainError['details']): DomainError<NonconformityTaskErrorCode> {
  return domainError(code, message, details);
}

/** A refusal as the failure the caller receives: the code as its type, the full error as its details. */
function failureOf(error: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: error.message, details: [error], nonRetryable: true });
}

/**
 * The role `by` acts under for `update`, or why they may not act. Checks the person's standing only; the
 * domain's `decide` checks the rest (including that a plan's author does not decide on it).
 */
function authorize(update: NonconformityUpdateName, arg: unknown, state: NonconformityState): Actor | Refusal {
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

// ---------------------------------------------------------------------------------------------------------
// Timers: what the workflow does by itself, and when
// ---------------------------------------------------------------------------------------------------------

interface Timing {
  reminderLeadMs: number;
  escalationDelayMs: number;
  effectivenessReviewDelay: string;
}

function readTiming(timing: NonconformityTiming | undefined): Timing {
  const lead = parseFixedDuration(timing?.reminderLeadTime as string);
  const escalation = parseFixedDuration(timing?.escalationDelay as string);
  const problems = [
    ...(lead === null ? [`timing.reminderLeadTime ${JSON.stringify(timing?.reminderLeadTime)}`] : []),
    ...(escalation === null ? [`timing.escalationDelay ${JSON.stringify(timing?.escalationDelay)}`] : []),
  ];
  if (problems.length > 0 || lead === null || escalation === null) {
    throw ApplicationFailure.create({
      type: 'INVALID_TIMING',
      message: `Not fixed-length ISO 8601 durations (e.g. P2D, PT30S): ${problems.join(', ')}`,
      nonRetryable: true,
    });
  }
  // The review delay is checked by the domain when the nonconformity is raised.
  return { reminderLeadMs: lead, escalationDelayMs: escalation, effectivenessReviewDelay: String(timing?.effectivenessReviewDelay) };
}

/** The next step the workflow must take by itself: when, what, and a summary for the timer. */
interface FollowUp {
  at: number;
  summary: string;
  command(at: string): NonconformityCommand;
}

/**
 * The earliest follow-up due for the state (or null when only people can move it on). Per open action:
 * a reminder `reminderLeadTime` before the due date (at once when the plan came later than that, and never
 * once the due date has passed), overdue at the due date, one escalation `escalationDelay` after that.
 */
function nextFollowUp(nc: Nonconformity, timing: Timing, now: number): FollowUp | null {
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
          command: (at) => ({ type: 'EscalateCorrectiveAction', nonconformityId: id, at, actionId, escalatedTo: ESCALATION_RECIPIENT }),
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

// ---------------------------------------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------------------------------------

/** The person a command is issued by; null for the commands the workflow's timers issue. */
function commandActor(command: NonconformityCommand): Actor | null {
  switch (command.type) {
    case 'RaiseNonconformity':
      return command.raisedBy;
    case 'RecordContainment':
      return command.recordedBy;
    case 'SubmitRootCauseAnalysis':
    case 'SubmitCorrectiveActionPlan':
      return command.author;
    case 'ApproveCorrectiveActionPlan':
      return command.approvedBy;
    case 'RejectCorrectiveActionPlan':
      return command.rejectedBy;
    case 'CompleteCorrectiveAction':
      return command.completedBy;
    case 'RecordEffectivenessReview':
      return command.reviewedBy;
    case 'IssueCorrectiveActionReminder':
    case 'MarkCorrectiveActionOverdue':
    case 'EscalateCorrectiveAction':
    case 'MarkEffectivenessReviewDue':
      return null;
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

/** The workflow's clock (deterministic inside a workflow): every command is stamped with it. */
function now(): string {
  return new Date().toISOString();
}

export async function nonconformity(input: NonconformityWorkflowInput): Promise<Nonconformity> {
  const expectedId = nonconformityWorkflowId(input.nonconformityId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The workflow of nonconformity ${input.nonconformityId} must run as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const timing = readTiming(input.timing);
  const stream = nonconformityStreamName(input.nonconformityId);
  const correlationId = input.aiSystemId ? `ai-system-${input.aiSystemId}` : undefined;

  /** The state as recorded in the evidence: what queries answer. */
  let state: NonconformityState = input.carried?.state ?? null;
  /**
   * The state once the step being recorded lands (equal to `state` between steps): what validators check
   * against, so an update sent right after the start is judged against the nonconformity being raised.
   */
  let settling: NonconformityState = state;
  // Each recorded batch names the one before it as its cause; the first names the AI system's event.
  let lastEvidenceId: string | null = input.carried?.lastEvidenceId ?? input.triggeringEvidenceEventId ?? null;
  let version = 0;

  // One step at a time: each decides on the state left by the previous one and its evidence lands in order.
  let tail: Promise<unknown> = Promise.resolve();
  function exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  }

  /** Decides, records the events as evidence, then folds them: the state never runs ahead of the evidence. */
  async function execute(command: NonconformityCommand): Promise<NonconformityStepResult> {
    const decided = decide(command, state);
    if (!decided.ok) {
      // A person's command refused here fails only their update. A timer's command is chosen by the same
      // rules `decide` applies, so a refusal is a bug: a plain Error fails the workflow task, which Temporal
      // retries (visible, and fixable by a new worker version) instead of failing the nonconformity.
      if (commandActor(command) === null) throw new Error(`bug: ${command.type} refused: ${decided.error.code} ${decided.error.message}`);
      throw failureOf(decided.error);
    }
    const events = decided.value;
    settling = replay(events, state);
    let ids: string[];
    try {
      ({ ids } = await recordEvidence(
        stream,
        events.map((e) => ({ type: e.type, data: nonconformityEventData(e) })),
        {
          // The batch is the act of whoever issued the command (a review and the closure it causes, say).
          actor: nonconformityEventActor(events[0]) ?? WORKFLOW_ACTOR,
          ...(correlationId === undefined ? {} : { correlationId }),
          ...(lastEvidenceId === null ? {} : { causationId: lastEvidenceId }),
        },
      ));
    } catch (error) {
      settling = state; // not recorded, so it did not happen
      throw error;
    }
    state = settling;
    lastEvidenceId = ids[ids.length - 1] ?? lastEvidenceId;
    version += 1;
    return { recorded: events.map((e, i) => ({ type: e.type, evidenceId: ids[i] })), nonconformity: state as Nonconformity };
  }

  let raising: Promise<unknown> = Promise.resolve();
  if (state === null) {
    const aiSystemIds =
      input.aiSystemId === undefined || input.aiSystemIds.includes(input.aiSystemId) ? input.aiSystemIds : [input.aiSystemId, ...input.aiSystemIds];
    const raise: RaiseNonconformity = {
      type: 'RaiseNonconformity',
      nonconformityId: input.nonconformityId,
      at: now(),
      raisedBy: input.raisedBy,
      title: input.title,
      description: input.description,
      source: input.source,
      sourceReference: input.sourceReference ?? null,
      severity: input.severity,
      aiSystemIds,
      annexAControlIds: input.annexAControlIds,
      clauseIds: input.clauseIds,
      effectivenessReviewDelay: timing.effectivenessReviewDelay,
    };
    // A refused raise fails the workflow with the domain's error, before anything is recorded.
    const decided = decide(raise, null);
    if (!decided.ok) throw failureOf(decided.error);
    // Decided before any handler is registered, and first in line: updates sent right after the start
    // are judged against the nonconformity being raised and recorded after it.
    settling = replay(decided.value, null);
    raising = exclusively(() => execute(raise));
  }

  /** Registers an update whose validator refuses at once whatever the handler would refuse. */
  function onUpdate<A>(
    update: UpdateDefinition<NonconformityStepResult, [A]>,
    name: NonconformityUpdateName,
    toCommand: (arg: A, actor: Actor, at: string, nonconformityId: string) => NonconformityCommand,
  ): void {
    const check = (arg: A): NonconformityCommand => {
      const actor = authorize(name, arg, settling);
      if ('code' in actor) throw failureOf(actor);
      const command = toCommand(arg, actor, now(), input.nonconformityId);
      const decided = decide(command, settling);
      if (!decided.ok) throw failureOf(decided.error);
      return command;
    };
    setHandler(
      update,
      // Checked again when its turn comes: a step before it may have changed the state.
      (arg: A) => exclusively(() => execute(check(arg))),
      { validator: (arg: A) => void check(arg) },
    );
  }

  onUpdate<RecordContainmentInput>(recordContainmentUpdate, 'recordContainment', (a, recordedBy, at, nonconformityId) => ({
    type: 'RecordContainment',
    nonconformityId,
    at,
    recordedBy,
    actions: a.actions,
    justification: a.justification ?? null,
    evidenceRefs: a.evidenceRefs ?? [],
  }));
  onUpdate<SubmitRootCauseAnalysisInput>(submitRootCauseAnalysisUpdate, 'submitRootCauseAnalysis', (a, author, at, nonconformityId) => ({
    type: 'SubmitRootCauseAnalysis',
    nonconformityId,
    at,
    author,
    method: a.method,
    methodDescription: a.methodDescription ?? null,
    causes: a.causes,
    contributingFactors: a.contributingFactors,
    similarNonconformityIds: a.similarNonconformityIds ?? [],
    evidenceRefs: a.evidenceRefs ?? [],
  }));
  onUpdate<SubmitCorrectiveActionPlanInput>(submitCorrectiveActionPlanUpdate, 'submitCorrectiveActionPlan', (a, author, at, nonconformityId) => ({
    type: 'SubmitCorrectiveActionPlan',
    nonconformityId,
    at,
    author,
    planId: a.planId,
    actions: a.actions,
  }));
  onUpdate<ApproveCorrectiveActionPlanInput>(approveCorrectiveActionPlanUpdate, 'approveCorrectiveActionPlan', (a, approvedBy, at, nonconformityId) => ({
    type: 'ApproveCorrectiveActionPlan',
    nonconformityId,
    at,
    approvedBy,
    planId: a.planId,
    comment: a.comment ?? null,
  }));
  onUpdate<RejectCorrectiveActionPlanInput>(rejectCorrectiveActionPlanUpdate, 'rejectCorrectiveActionPlan', (a, rejectedBy, at, nonconformityId) => ({
    type: 'RejectCorrectiveActionPlan',
    nonconformityId,
    at,
    rejectedBy,
    planId: a.planId,
    reasons: a.reasons,
  }));
  onUpdate<CompleteCorrectiveActionInput>(completeCorrectiveActionUpdate, 'completeCorrectiveAction', (a, completedBy, at, nonconformityId) => ({
    type: 'CompleteCorrectiveAction',
    nonconformityId,
    at,
    completedBy,
    actionId: a.actionId,
    evidenceRefs: a.evidenceRefs,
    note: a.note ?? null,
  }));
  onUpdate<RecordEffectivenessReviewInput>(recordEffectivenessReviewUpdate, 'recordEffectivenessReview', (a, reviewedBy, at, nonconformityId) => ({
    type: 'RecordEffectivenessReview',
    nonconformityId,
    at,
    reviewedBy,
    outcome: a.outcome,
    findings: a.findings,
    evidenceRefs: a.evidenceRefs ?? [],
  }));

  setHandler(nonconformityStateQuery, () => state);
  setHandler(openTasksQuery, () => openTasksOf(state));

  await raising;

  const historyBound = input.continueAsNewAfterHistoryLength;
  // Only after this run has taken a step, so a fresh run can never hand over again at once.
  const shouldContinueAsNew = (): boolean =>
    version > 0 && (workflowInfo().continueAsNewSuggested || (historyBound !== undefined && workflowInfo().historyLength >= historyBound));

  while ((state as Nonconformity).status !== 'closed') {
    if (shouldContinueAsNew()) {
      // Let running updates finish (they hold the step lock), then carry the state into a fresh history.
      await condition(allHandlersFinished);
      await continueAsNew<typeof nonconformity>({ ...input, carried: { state: state as Nonconformity, lastEvidenceId } });
    }
    // The follow-up is chosen under the step lock. Steps queued ahead of it (updates) may have changed the
    // state meanwhile, even closed it: then look again from the top rather than wait on a stale view.
    const seen = version;
    const pending = await exclusively(async (): Promise<{ waitMs: number; summary: string } | 'look-again' | null> => {
      if (version !== seen) return 'look-again';
      const followUp = nextFollowUp(state as Nonconformity, timing, Date.now());
      if (followUp === null) return null;
      if (followUp.at > Date.now()) return { waitMs: followUp.at - Date.now(), summary: followUp.summary };
      await execute(followUp.command(now()));
      return 'look-again';
    });
    if (pending === 'look-again') continue;
    // Wait for a person's step, or a durable timer for the next follow-up.
    const woken = (): boolean => version !== seen || shouldContinueAsNew();
    if (pending === null) await condition(woken);
    else await condition(woken, pending.waitMs, { summary: pending.summary });
  }
  await condition(allHandlersFinished);
  if (patched(LIFECYCLE_CLOSURE_NOTICE_PATCH)) await tellLifecycles(state as Nonconformity, lastEvidenceId);
  return state as Nonconformity;
}

/** Tells each AI system's lifecycle that this nonconformity is closed (see NonconformityClosedNotice). */
async function tellLifecycles(closed: Nonconformity, causationId: string | null): Promise<void> {
  const notice: NonconformityClosedNotice = {
    nonconformityId: closed.id,
    closedAt: closed.closedAt ?? '',
    round: currentRound(closed).round,
    causationId,
  };
  for (const aiSystemId of closed.aiSystemIds) {
    try {
      await getExternalWorkflowHandle(lifecycleWorkflowId(aiSystemId)).signal(nonconformityClosedSignal, notice);
    } catch (error) {
      // No lifecycle runs for it (a system named in a nonconformity raised through the API, or one already
      // decommissioned): its record has nothing to close.
      log.info(`nonconformity ${closed.id}: the lifecycle of ${aiSystemId} was not told of the closure: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
