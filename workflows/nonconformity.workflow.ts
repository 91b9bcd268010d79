/**
 * Workflow `nonconformity`: one nonconformity driven through corrective action (ISO/IEC 42001 clause 10.2),
 * workflow id `nonconformity-<id>`, evidence in stream `nonconformity-<id>`.
 *
 *   raised → containment → root-cause analysis → plan approval → corrective actions → effectiveness review
 *   → closed, or reopened into another root-cause analysis round when the correction did not work.
 *
 * The rules are the domain's (domain/nonconformity); the runtime (workflows/runtime) queues, decides,
 * records and answers. This file holds the message table, the timer rules and what is corrective action's
 * own: once closed, it signals the lifecycle of each AI system it concerns (`nonconformityClosed`), which
 * records the closure in the system's own record. Each recorded batch names the one before it as its
 * cause; the first names the AI system's event that opened it. Messages: nonconformity.messages.ts.
 *
 * Timers (every duration comes from the input, so tests run in seconds): each open corrective action is
 * reminded `reminderLeadTime` before its due date, marked overdue at its due date and escalated to the AIMS
 * owner `escalationDelay` after that; the effectiveness review is announced as due `effectivenessReviewDelay`
 * after the last action's completion.
 *
 * Upgrades: runs recorded before RUNTIME_TIMERS_PATCH take due follow-ups at once, without a timer, as
 * they did (`keepTimeActingWhenDue`); runs before LIFECYCLE_CLOSURE_NOTICE_PATCH close without telling the
 * lifecycles. The recorded histories in test/fixtures/histories prove both.
 */
import { ApplicationFailure, getExternalWorkflowHandle, log, patched, workflowInfo } from '@temporalio/workflow';
import { aiSystemStreamName, lifecycleWorkflowId } from '../domain/ai-system/identity';
import { objectiveStream } from '../domain/objective/model';
import { internalAuditStream, internalAuditWorkflowId } from '../domain/internal-audit/model';
import {
  currentRound,
  decide,
  decideWithinBounds,
  evolve,
  NONCONFORMITY_SYSTEM_ACTOR,
  nonconformityEventActor,
  nonconformityEventReferences,
  nonconformityEventData,
  nonconformityStreamName,
  nonconformityWorkflowId,
  openTasksOf,
  type Nonconformity,
  type NonconformityCommand,
  type NonconformityEvent,
  type NonconformityState,
  type RaiseNonconformity,
} from '../domain/nonconformity';
import { followUpTiming, nextFollowUp, type FollowUpTiming } from '../domain/nonconformity/follow-ups';
import * as msg from './nonconformity.messages';
import { fieldsOf, recordedOf, type Decider, type Step } from './runtime/decider';
import { now, signedStart, startProcess, type TimerRules } from './runtime/process';
import type { EvidenceVouch } from './evidence-recorder';
import type { UpdateDefinition } from '@temporalio/common';

export * from './nonconformity.messages';

/** Runs from before this marker closed without telling the lifecycles, and replay that way. */
export const LIFECYCLE_CLOSURE_NOTICE_PATCH = 'nonconformity-closure-tells-lifecycles';
/** Runs from before this marker took due follow-ups at once, without a durable timer, and replay that way. */
export const RUNTIME_TIMERS_PATCH = 'nonconformity-timers-on-runtime';
/**
 * Runs since this marker decide within the domain's bounds of durations and dates (decideWithinBounds:
 * review delay, due dates); older runs, one of whose recorded plans has an action due in 2099, replay
 * with plain `decide` (issue 11, finding 7).
 */
export const NONCONFORMITY_BOUNDS_PATCH = 'nonconformity-input-bounds';

const deciderOf = (withinBounds: boolean): Decider<NonconformityState, NonconformityCommand, NonconformityEvent> => ({
  decide: withinBounds ? decideWithinBounds : decide,
  evolve,
  eventData: nonconformityEventData,
  eventActor: nonconformityEventActor,
  references: nonconformityEventReferences,
});

// ----- timers: what the workflow does by itself, and when -----

function readTiming(timing: msg.NonconformityTiming | undefined): FollowUpTiming {
  const read = followUpTiming(timing);
  if (!read.ok) {
    throw ApplicationFailure.create({
      type: 'INVALID_TIMING',
      message: `Not fixed-length ISO 8601 durations (e.g. P2D, PT30S): ${read.problems.join(', ')}`,
      nonRetryable: true,
    });
  }
  return read.value;
}

/** The timer rules: the earliest follow-up, taken once it falls due; nothing more once closed. */
function timerRules(timing: FollowUpTiming): TimerRules<NonconformityState, NonconformityCommand> {
  return {
    finished: (s) => s !== null && s.status === 'closed',
    next: (s, nowMs) => (s === null ? null : nextFollowUp(s, timing, nowMs)),
    due: (s, at) => {
      const followUp = s === null ? null : nextFollowUp(s, timing, Date.parse(at));
      return followUp !== null && followUp.at <= Date.parse(at) ? followUp.command(at) : null;
    },
  };
}

export async function nonconformity(input: msg.NonconformityWorkflowInput): Promise<Nonconformity> {
  const expectedId = nonconformityWorkflowId(input.nonconformityId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The workflow of nonconformity ${input.nonconformityId} must run as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const timing = readTiming(input.timing);
  // Decided once per run, at its start: runs recorded before the marker keep their timer loop.
  const timersOnRuntime = patched(RUNTIME_TIMERS_PATCH);
  const p = startProcess({
    decider: deciderOf(patched(NONCONFORMITY_BOUNDS_PATCH)),
    stream: nonconformityStreamName(input.nonconformityId),
    state: input.carried?.state ?? null,
    ...(input.aiSystemId ? { correlationId: aiSystemStreamName(input.aiSystemId) } : {}),
    ...(input.internalAuditId ? { correlationId: internalAuditStream(input.internalAuditId) } : {}),
    ...(input.objectiveId ? { correlationId: objectiveStream(input.objectiveId) } : {}),
    causation: 'previous-evidence',
    firstCause: input.carried === undefined ? (input.triggeringEvidenceEventId ?? null) : (input.carried.lastEvidenceId ?? null),
    systemActor: NONCONFORMITY_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const raising = p.state === null ? p.begin(raiseCommand(input, timing), raiseVouch(input)) : null;

  const answered = (done: Step<NonconformityEvent>, s: NonconformityState): msg.NonconformityStepResult => ({
    recorded: recordedOf([done]),
    nonconformity: s as Nonconformity,
    lastPosition: done.lastPosition,
  });
  // ----- the message table -----
  // A row names the command a caller's argument becomes, with only the fields listed and the values taken
  // when the caller leaves an optional one out. Who may take the step is the domain's to decide (`by`).
  const row = <A extends object>(
    definition: UpdateDefinition<msg.NonconformityStepResult, [A]>,
    type: NonconformityCommand['type'],
    fields: (keyof A)[],
    whenLeftOut: { [K in keyof A]?: null | [] } = {},
    /** What the process does once the step is recorded (still in its turn, before the answer). */
    afterwards?: (done: Step<NonconformityEvent>) => Promise<void>,
  ): void =>
    p.update(definition, {
      command: (a, { at, by }) =>
        ({
          type,
          nonconformityId: input.nonconformityId,
          at,
          by,
          ...fieldsOf(a, ...fields),
          ...orDefaults(a, whenLeftOut),
        }) as unknown as NonconformityCommand,
      ...(afterwards === undefined
        ? { answer: answered }
        : {
            run: async (command: NonconformityCommand, asked) => {
              const done = await p.step(command, asked);
              await afterwards(done);
              return answered(done, p.state);
            },
          }),
    });
  // Only a nonconformity an internal audit opened tells the audit (older runs never had the field).
  const auditId = input.internalAuditId;
  const tellAudit =
    auditId === undefined
      ? undefined
      : async (done: Step<NonconformityEvent>): Promise<void> => {
          const at = done.events.findIndex((e) => e.type === 'CorrectiveActionPlanApproved');
          if (at >= 0)
            await tellInternalAudit(auditId, {
              nonconformityId: input.nonconformityId,
              progress: 'plan_approved',
              causationId: done.evidenceIds[at] ?? null,
            });
        };

  row(msg.recordContainmentUpdate, 'RecordContainment', ['actions'], { justification: null, evidenceRefs: [] });
  row(msg.submitRootCauseAnalysisUpdate, 'SubmitRootCauseAnalysis', ['method', 'causes', 'contributingFactors'], {
    methodDescription: null,
    similarNonconformityIds: [],
    evidenceRefs: [],
  });
  row(msg.submitCorrectiveActionPlanUpdate, 'SubmitCorrectiveActionPlan', ['planId', 'actions']);
  row(msg.approveCorrectiveActionPlanUpdate, 'ApproveCorrectiveActionPlan', ['planId'], { comment: null }, tellAudit);
  row(msg.rejectCorrectiveActionPlanUpdate, 'RejectCorrectiveActionPlan', ['planId', 'reasons']);
  row(msg.completeCorrectiveActionUpdate, 'CompleteCorrectiveAction', ['actionId', 'evidenceRefs'], { note: null });
  row(msg.recordEffectivenessReviewUpdate, 'RecordEffectivenessReview', ['outcome', 'findings'], { evidenceRefs: [] });

  p.query(msg.nonconformityStateQuery, (s) => s);
  p.query(msg.openTasksQuery, openTasksOf);

  // ----- the process -----

  if (raising !== null) await raising;
  const rules = timerRules(timing);
  const ending = timersOnRuntime ? await p.keepTime(rules) : await p.keepTimeActingWhenDue(rules);
  if (ending === 'continue-as-new') {
    return p.continueAsNew<typeof nonconformity>((carried) => ({
      ...input,
      carried: { state: carried.state as Nonconformity, lastEvidenceId: carried.lastEvidenceId },
    }));
  }
  await p.settle();
  if (patched(LIFECYCLE_CLOSURE_NOTICE_PATCH)) await tellLifecycles(p.state as Nonconformity, p.lastEvidenceId);
  if (auditId !== undefined)
    await tellInternalAudit(auditId, { nonconformityId: input.nonconformityId, progress: 'closed', causationId: p.lastEvidenceId });
  return p.state as Nonconformity;
}

/** The raise, stamped with the workflow's clock; the lifecycle's system joins the systems it concerns. */
function raiseCommand(input: msg.NonconformityWorkflowInput, timing: FollowUpTiming): RaiseNonconformity {
  const aiSystemIds =
    input.aiSystemId === undefined || input.aiSystemIds.includes(input.aiSystemId)
      ? input.aiSystemIds
      : [input.aiSystemId, ...input.aiSystemIds];
  return {
    type: 'RaiseNonconformity',
    nonconformityId: input.nonconformityId,
    at: now(),
    ...raiserOf(input),
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
}

/**
 * Who raises: `by` or `openedBy` as given; an input recorded before raises carried `by` names the raiser
 * as `raisedBy`, under the role already chosen, which is what `openedBy` means.
 */
function raiserOf(input: msg.NonconformityWorkflowInput): Pick<RaiseNonconformity, 'by' | 'openedBy'> {
  if (input.by === undefined && input.openedBy === undefined && input.raisedBy !== undefined) return { openedBy: input.raisedBy };
  return { ...(input.by === undefined ? {} : { by: input.by }), ...(input.openedBy === undefined ? {} : { openedBy: input.openedBy }) };
}

/**
 * What vouches for the raise: a person's raise is the signed start input; one an AI system's lifecycle
 * opened names that lifecycle's NonconformityOpened evidence, which must exist for this very id.
 */
function raiseVouch(input: msg.NonconformityWorkflowInput): EvidenceVouch | undefined {
  if (input.by !== undefined) return signedStart(input);
  if (input.internalAuditId !== undefined && input.triggeringEvidenceEventId !== undefined) {
    return {
      kind: 'evidence',
      stream: internalAuditStream(input.internalAuditId),
      eventId: input.triggeringEvidenceEventId,
      type: 'AuditFindingRecorded',
      data: { nonconformityId: input.nonconformityId },
    };
  }
  if (input.objectiveId !== undefined && input.triggeringEvidenceEventId !== undefined) {
    return {
      kind: 'evidence',
      stream: objectiveStream(input.objectiveId),
      eventId: input.triggeringEvidenceEventId,
      type: 'ObjectiveOffTargetActionOpened',
      data: { actionId: input.nonconformityId, kind: 'nonconformity' },
    };
  }
  if (input.aiSystemId === undefined || input.triggeringEvidenceEventId === undefined) return undefined; // refused: nothing vouches
  return {
    kind: 'evidence',
    stream: aiSystemStreamName(input.aiSystemId),
    eventId: input.triggeringEvidenceEventId,
    type: 'NonconformityOpened',
    data: { nonconformityId: input.nonconformityId },
  };
}

/** Tells each AI system's lifecycle that this nonconformity is closed (see msg.NonconformityClosedNotice). */
async function tellLifecycles(closed: Nonconformity, causationId: string | null): Promise<void> {
  const notice: msg.NonconformityClosedNotice = {
    nonconformityId: closed.id,
    closedAt: closed.closedAt ?? '',
    round: currentRound(closed).round,
    causationId,
  };
  for (const aiSystemId of closed.aiSystemIds) {
    try {
      await getExternalWorkflowHandle(lifecycleWorkflowId(aiSystemId)).signal(msg.nonconformityClosedSignal, notice);
    } catch (error) {
      // No lifecycle runs for it (a system named in a nonconformity raised through the API, or one already
      // decommissioned): its record has nothing to close.
      log.info(
        `nonconformity ${closed.id}: the lifecycle of ${aiSystemId} was not told of the closure: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Tells the internal audit whose finding opened this nonconformity how its corrective action stands. */
async function tellInternalAudit(auditId: string, notice: msg.CorrectiveActionProgressNotice): Promise<void> {
  try {
    await getExternalWorkflowHandle(internalAuditWorkflowId(auditId)).signal(msg.correctiveActionProgressSignal, notice);
  } catch (error) {
    // The audit no longer runs (closed on an earlier notice): it has nothing left to hear.
    log.info(
      `nonconformity ${notice.nonconformityId}: audit ${auditId} was not told (${notice.progress}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The caller's value of each optional field, or the value a left-out (or null) one takes. */
function orDefaults<A extends object>(arg: A, whenLeftOut: { [K in keyof A]?: null | [] }): Partial<A> {
  const filled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(whenLeftOut))
    filled[key] = (arg as Record<string, unknown>)[key] ?? (Array.isArray(value) ? [] : value);
  return filled as Partial<A>;
}
