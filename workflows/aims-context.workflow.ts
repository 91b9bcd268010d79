/**
 * Workflow `aimsContext`: the context of the organisation (4.1, 4.2): its issues, interested parties and
 * obligations, each entry versioned through the evidence. One run per organisation, id and stream
 * `aims-context-organisation`. The rules are the domain's (domain/aims-context); the runtime queues,
 * decides, records and answers. Review dates act (patch `aims-context-review-timers`, checked when an entry
 * first has a review to wait for, so runs started before it take it up then): a durable timer opens an
 * entry's review task for its owner when the review date comes within the notice period, reminds it when
 * due and escalates it to the AIMS owner after the delay (domain/aims-context/review-tasks.ts).
 * Messages: aims-context.messages.ts.
 */
import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import {
  AIMS_CONTEXT_STREAM,
  AIMS_CONTEXT_SYSTEM_ACTOR,
  AIMS_CONTEXT_WORKFLOW_ID,
  decide,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  INITIAL_AIMS_CONTEXT_STATE,
  nextContextFollowUp,
  nextEntryId,
  type AimsContextCommand,
  type AimsContextEvent,
  type AimsContextState,
  type ContextRegister,
  type ContextReviewTimingMs,
} from '../domain/aims-context';
import { parseFixedDuration } from '../domain/shared/iso-time';
import * as msg from './aims-context.messages';
import { recordedOf, type Decider, type Step } from './runtime/decider';
import { startProcess, type TimerRules } from './runtime/process';

export * from './aims-context.messages';

const contextDecider: Decider<AimsContextState, AimsContextCommand, AimsContextEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};

/** The review-date timers; runs recorded before them replay without (no marker, no timer). */
export const CONTEXT_REVIEW_TIMERS_PATCH = 'aims-context-review-timers';

function timingMs(timing: msg.ContextReviewTiming | undefined): ContextReviewTimingMs {
  const t = timing ?? msg.DEFAULT_CONTEXT_REVIEW_TIMING;
  const ms = (field: keyof msg.ContextReviewTiming): number => {
    const parsed = parseFixedDuration(t[field]);
    // A zero notice opens the task on the review date itself; the other two must give the owner time.
    if (parsed === null || (parsed === 0 && field !== 'reviewNotice'))
      throw ApplicationFailure.create({
        type: 'INVALID_TIMING',
        message: `timing.${field} needs a fixed-length ISO 8601 duration (P14D, PT30S)`,
        nonRetryable: true,
      });
    return parsed;
  };
  return { noticeMs: ms('reviewNotice'), reviewTimeMs: ms('reviewTime'), escalationAfterMs: ms('escalationDelay') };
}

function reviewTimers(timing: ContextReviewTimingMs): TimerRules<AimsContextState, AimsContextCommand> {
  return {
    // The registers are kept for as long as the organisation: the run only ever hands over.
    finished: () => false,
    next: (s) => {
      const f = nextContextFollowUp(s, timing);
      // Checked where a timer would first be set: before the patch, no run ever waited on a review date.
      return f === null || !patched(CONTEXT_REVIEW_TIMERS_PATCH) ? null : f;
    },
    due: (s, at) => {
      const f = nextContextFollowUp(s, timing);
      return f !== null && f.at <= Date.parse(at) ? f.command(at) : null;
    },
  };
}

export async function aimsContext(input: msg.AimsContextInput): Promise<never> {
  if (workflowInfo().workflowId !== AIMS_CONTEXT_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The context registers run as ${AIMS_CONTEXT_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const timing = timingMs(input.timing);
  const p = startProcess({
    decider: contextDecider,
    stream: AIMS_CONTEXT_STREAM,
    state: input.carried?.state ?? INITIAL_AIMS_CONTEXT_STATE,
    causation: 'update',
    systemActor: AIMS_CONTEXT_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });

  const answered = (done: Step<AimsContextEvent>, s: AimsContextState, c: AimsContextCommand): msg.AimsContextStepResult => {
    // Only people's commands are answered; each names its entry.
    const entryId = 'entryId' in c ? c.entryId : '';
    return { recorded: recordedOf([done]), entryId, version: s.entries[entryId]?.version ?? 0, lastPosition: done.lastPosition };
  };
  const registerOf = (content: unknown): ContextRegister =>
    typeof content === 'object' && content !== null && typeof (content as { register?: unknown }).register === 'string'
      ? (content as { register: ContextRegister }).register
      : 'issue';

  p.update(msg.recordContextEntryUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RecordContextEntry',
      entryId:
        a.entryId ??
        (Object.prototype.hasOwnProperty.call(state.counts, registerOf(a.content)) ? nextEntryId(state, registerOf(a.content)) : ''),
      expectedVersion: a.expectedVersion ?? null,
      content: a.content,
      owner: a.owner,
      reviewBy: a.reviewBy,
      reason: a.reason,
      by,
      at,
    }),
    answer: answered,
  });
  p.update(msg.reviewContextEntryUpdate, {
    command: (a, { at, by }) => ({ type: 'ReviewContextEntry', entryId: a.entryId, reviewBy: a.reviewBy, note: a.note, by, at }),
    answer: answered,
  });
  p.update(msg.retireContextEntryUpdate, {
    command: (a, { at, by }) => ({ type: 'RetireContextEntry', entryId: a.entryId, reason: a.reason, by, at }),
    answer: answered,
  });
  p.query(msg.aimsContextStateQuery, (s) => s);

  await p.keepTime(reviewTimers(timing));
  return p.continueAsNew<typeof aimsContext>((carried) => ({
    timing: input.timing,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
