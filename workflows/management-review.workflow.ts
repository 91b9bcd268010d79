/**
 * Workflow `managementReview`: one management review (ISO/IEC 42001 9.3), id and stream
 * `management-review-<id>`.
 *
 *   planned → (durable timer at plannedFor, or on demand) inputs compiled → minuted → decisions → signed off
 *
 * The rules are the domain's (domain/management-review); the runtime queues, decides, records and answers.
 * What is the review's own here:
 * - the input pack is compiled by an activity that streams the evidence store up to its head and answers
 *   with the position, the pack and its hash; the step records all three;
 * - each decision starts an `improvement` workflow (10.1) owned by the decision's owner, vouched for by the
 *   decision's evidence (ParentClosePolicy ABANDON: the action outlives the review);
 * - sign-off records the next review of the series and starts it as a new workflow id
 *   (`management-review-<series>-<n+1>`, vouched for by that evidence), planned one interval after this
 *   one's planned date; this run then ends. A new id per review keeps each review's record on its own stream
 *   and its history short, and lets the API list reviews as processes.
 * - top management's steps are tasks of the one inbox (minutes, then decisions and sign-off), reminded and
 *   escalated on the process's timer (domain/management-review/tasks.ts), behind patch
 *   `management-review-inbox-tasks`: a review started before it records no tasks and keeps no task timers.
 * Messages: management-review.messages.ts.
 */
import {
  ApplicationFailure,
  condition,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ManagementReviewActivities } from '../activities/management-review.activities';
import { improvementWorkflowId } from '../domain/improvement/improvement';
import { decide, evolve, inputsDueAt, isFinished, managementReviewEventReferences } from '../domain/management-review/decide';
import {
  MANAGEMENT_REVIEW_SYSTEM_ACTOR,
  managementReviewEventActor,
  managementReviewEventData,
  managementReviewStream,
  managementReviewWorkflowId,
  type ManagementReview,
  type ManagementReviewCommand,
  type ManagementReviewEvent,
  type ManagementReviewState,
  type ReviewDecision,
} from '../domain/management-review/model';
import { DEFAULT_REVIEW_TASK_TIMING, decideWithTasks, nextReviewTaskFollowUp } from '../domain/management-review/tasks';
import { parseFixedDuration } from '../domain/shared/iso-time';
import type { Actor, ActorRef } from '../domain/shared/roles';
import type { EvidenceVouch } from './evidence-recorder';
import type { ImprovementInput } from './improvement.messages';
import type { improvement } from './improvement.workflow';
import * as msg from './management-review.messages';
import { eventsOfType, recordedOf, type Decider, type Step } from './runtime/decider';
import { now, signedStart, startProcess, type StepOptions } from './runtime/process';

export * from './management-review.messages';

/** Top management's steps become inbox tasks with reminders and escalation (runs started before it have none). */
export const MANAGEMENT_REVIEW_TASKS_PATCH = 'management-review-inbox-tasks';

/** The review's rules; with its inbox tasks when `taskTimeMs` is given. */
function reviewDecider(taskTimeMs: number | null): Decider<ManagementReviewState, ManagementReviewCommand, ManagementReviewEvent> {
  return {
    decide: taskTimeMs === null ? decide : decideWithTasks(taskTimeMs),
    evolve,
    eventData: managementReviewEventData,
    eventActor: managementReviewEventActor,
    references: managementReviewEventReferences,
  };
}

/** The timing's durations in milliseconds; a timing that is not fixed durations fails the run at once. */
function taskTimingMs(timing: msg.ManagementReviewInput['timing']): { taskTimeMs: number; escalationAfterMs: number } {
  const given = timing ?? DEFAULT_REVIEW_TASK_TIMING;
  const taskTimeMs = parseFixedDuration(given.taskTime);
  const escalationAfterMs = parseFixedDuration(given.escalationDelay);
  if (taskTimeMs === null || escalationAfterMs === null)
    throw ApplicationFailure.create({
      type: 'INVALID_TIMING',
      message: 'timing.taskTime and timing.escalationDelay need fixed-length ISO 8601 durations (P14D, PT30S)',
      nonRetryable: true,
    });
  return { taskTimeMs, escalationAfterMs };
}

const { compileManagementReviewInputs } = proxyActivities<ManagementReviewActivities>({
  // Streams the whole log: minutes on a large store, never hours.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A placeholder pack the validator judges the person and the status with; the activity computes the real one. */
const NO_HASH = '0'.repeat(64);

export async function managementReview(input: msg.ManagementReviewInput): Promise<ManagementReviewState> {
  const expectedId = managementReviewWorkflowId(input.reviewId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `Management review ${input.reviewId} runs as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  // Asked before any command, so a history recorded without the tasks replays without them.
  const timing = patched(MANAGEMENT_REVIEW_TASKS_PATCH) ? taskTimingMs(input.timing) : null;
  const p = startProcess({
    decider: reviewDecider(timing === null ? null : timing.taskTimeMs),
    stream: managementReviewStream(input.reviewId),
    state: input.carried?.state ?? null,
    causation: 'update',
    systemActor: MANAGEMENT_REVIEW_SYSTEM_ACTOR,
  });
  const planning =
    input.carried === undefined
      ? p.begin(
          {
            type: 'PlanManagementReview',
            reviewId: input.reviewId,
            title: input.title,
            plannedFor: input.plannedFor,
            chair: input.chair,
            interval: input.interval,
            ...(input.series === undefined ? {} : { series: input.series }),
            ...(input.sequence === undefined ? {} : { sequence: input.sequence }),
            previousReviewId: input.previousReviewId ?? null,
            ...(input.by === undefined ? {} : { by: input.by }),
            at: now(),
          },
          vouchOf(input),
        )
      : null;

  const answered = (
    done: Step<ManagementReviewEvent>,
    actionId: string | null = null,
    nextReviewId: string | null = null,
  ): msg.ManagementReviewStepResult => ({
    recorded: recordedOf([done]),
    review: p.state,
    actionId,
    nextReviewId,
    lastPosition: done.lastPosition,
  });

  /** Compiles the pack from the store's head and records it (a person's step, or the timer's). */
  async function compileInputs(by: Actor | undefined, how: StepOptions): Promise<Step<ManagementReviewEvent>> {
    const compiled = await compileManagementReviewInputs({ reviewId: input.reviewId });
    return p.step({ type: 'CompileReviewInputs', ...compiled, ...(by === undefined ? {} : { by }), at: now() }, how);
  }

  // ----- the message table -----
  p.update(msg.compileReviewInputsUpdate, {
    command: (_a, { state, at, by }) => {
      const position = state?.inputs?.position ?? 0;
      return {
        type: 'CompileReviewInputs',
        position,
        packHash: NO_HASH,
        pack: { reviewId: input.reviewId, position, recordedAt: null, previousReview: null, items: [] },
        by,
        at,
      };
    },
    run: async (command, asked) => answered(await compileInputs(command.type === 'CompileReviewInputs' ? command.by : undefined, asked)),
  });
  p.update(msg.recordReviewMinutesUpdate, {
    command: (a, { at, by }) => ({ type: 'RecordReviewMinutes', attendees: a.attendees, minutes: a.minutes, by, at }),
    answer: (done) => answered(done),
  });
  p.update(msg.recordReviewDecisionUpdate, {
    command: (a, { at, by }) => ({ type: 'RecordReviewDecision', kind: a.kind, owner: a.owner, dueDate: a.dueDate, text: a.text, by, at }),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      const recorded = eventsOfType(done, 'ManagementReviewDecisionRecorded')[0];
      if (recorded !== undefined) await startAction(recorded, recorded.by, done.evidenceIds[0]);
      return answered(done, recorded?.actionId ?? null);
    },
  });
  p.update(msg.signOffReviewUpdate, {
    command: (_a, { at, by }) => ({ type: 'SignOffReview', by, at }),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      const scheduled = eventsOfType(done, 'ManagementReviewNextScheduled')[0];
      const evidenceId = done.evidenceIds[done.events.findIndex((e) => e.type === 'ManagementReviewNextScheduled')];
      if (scheduled !== undefined)
        await startNextReview(p.state as ManagementReview, scheduled.nextReviewId, scheduled.plannedFor, evidenceId);
      return answered(done, null, scheduled?.nextReviewId ?? null);
    },
  });
  p.update(msg.cancelReviewUpdate, {
    command: (a, { at, by }) => ({ type: 'CancelReview', reason: a.reason, by, at }),
    answer: (done) => answered(done),
  });
  p.query(msg.managementReviewStateQuery, (s) => s);

  /** The decision's action on the improvement register; one that cannot start is logged (the decision stands). */
  async function startAction(decision: ReviewDecision, by: ActorRef, evidenceId: string | undefined): Promise<void> {
    const proposal: ImprovementInput = {
      improvementId: decision.actionId,
      source: { kind: 'management_review', reference: `${input.reviewId}/${decision.decisionId}` },
      description: `${decision.text} (${decision.kind.replace(/_/g, ' ')}; due ${decision.dueDate})`,
      owner: decision.owner,
      openedBy: by,
      managementReviewId: input.reviewId,
      decisionId: decision.decisionId,
      ...(evidenceId === undefined ? {} : { triggeringEvidenceEventId: evidenceId }),
    };
    try {
      await startChild<typeof improvement>('improvement', {
        workflowId: improvementWorkflowId(decision.actionId),
        args: [proposal],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      log.warn(
        `review ${input.reviewId}: action ${decision.actionId} not started: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The next review of the series, as its own workflow; one that cannot start is logged. */
  async function startNextReview(
    review: ManagementReview,
    nextReviewId: string,
    plannedFor: string,
    evidenceId: string | undefined,
  ): Promise<void> {
    const next: msg.ManagementReviewInput = {
      reviewId: nextReviewId,
      title: review.plan.title,
      plannedFor,
      chair: review.plan.chair,
      interval: review.plan.interval,
      series: review.plan.series,
      sequence: review.plan.sequence + 1,
      previousReviewId: review.reviewId,
      ...(input.timing === undefined ? {} : { timing: input.timing }),
      ...(evidenceId === undefined ? {} : { scheduledFrom: { reviewId: review.reviewId, evidenceId } }),
    };
    try {
      await startChild<typeof managementReview>('managementReview', {
        workflowId: managementReviewWorkflowId(nextReviewId),
        args: [next],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      log.warn(
        `review ${review.reviewId}: next review ${nextReviewId} not started: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  // ----- the process -----
  if (planning !== null) await planning;
  // The durable timer: at plannedFor the process compiles the pack itself, unless someone did before.
  const dueAt = inputsDueAt(p.state);
  if (dueAt !== null) {
    const compiledMeanwhile = await condition(() => inputsDueAt(p.state) === null, Math.max(dueAt - Date.now(), 1), {
      summary: `compile the input pack of review ${input.reviewId}`,
    });
    if (!compiledMeanwhile)
      await p.queue(async () => {
        if (inputsDueAt(p.state) !== null) await compileInputs(undefined, { system: true });
      });
  }
  // With tasks, the process wakes for their reminders and escalations until the review is finished.
  const followUp = (s: ManagementReviewState) => (timing === null ? null : nextReviewTaskFollowUp(s, timing.escalationAfterMs));
  const ending = await p.keepTime({
    finished: isFinished,
    next: (s) => followUp(s),
    due: (s, at) => {
      const f = followUp(s);
      return f !== null && f.at <= Date.parse(at) ? f.command(at) : null;
    },
  });
  await p.settle();
  if (ending === 'continue-as-new') {
    return p.continueAsNew<typeof managementReview>((carried) => ({ ...input, carried }));
  }
  return p.state;
}

function vouchOf(input: msg.ManagementReviewInput): EvidenceVouch | undefined {
  if (input.by !== undefined) return signedStart(input);
  if (input.scheduledFrom === undefined)
    throw ApplicationFailure.create({
      type: 'COMMAND_NOT_VOUCHED',
      message: `Management review ${input.reviewId} is planned by nobody: a person plans a review, or the review before it schedules it.`,
      nonRetryable: true,
    });
  return {
    kind: 'evidence',
    stream: managementReviewStream(input.scheduledFrom.reviewId),
    eventId: input.scheduledFrom.evidenceId,
    type: 'ManagementReviewNextScheduled',
    data: { nextReviewId: input.reviewId },
  };
}
