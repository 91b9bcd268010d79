/**
 * Workflow `aimsContext`: the context of the organisation (4.1, 4.2): its issues, interested parties and
 * obligations, each entry versioned through the evidence. One run per organisation, id and stream
 * `aims-context-organisation`. The rules are the domain's (domain/aims-context); the runtime queues,
 * decides, records and answers. No timer: review dates are read (`dueForReview`), not waited on.
 * Messages: aims-context.messages.ts.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import {
  AIMS_CONTEXT_STREAM,
  AIMS_CONTEXT_WORKFLOW_ID,
  decide,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  INITIAL_AIMS_CONTEXT_STATE,
  nextEntryId,
  type AimsContextCommand,
  type AimsContextEvent,
  type AimsContextState,
  type ContextRegister,
} from '../domain/aims-context';
import type { ActorRef } from '../domain/shared/roles';
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

const noTimers: TimerRules<AimsContextState, AimsContextCommand> = { finished: () => false, next: () => null, due: () => null };
const CONTEXT_SYSTEM_ACTOR: ActorRef = { id: 'aims:context', role: 'system' };

export async function aimsContext(input: msg.AimsContextInput): Promise<never> {
  if (workflowInfo().workflowId !== AIMS_CONTEXT_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The context registers run as ${AIMS_CONTEXT_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider: contextDecider,
    stream: AIMS_CONTEXT_STREAM,
    state: input.carried?.state ?? INITIAL_AIMS_CONTEXT_STATE,
    causation: 'update',
    systemActor: CONTEXT_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });

  const answered = (done: Step<AimsContextEvent>, s: AimsContextState, c: AimsContextCommand): msg.AimsContextStepResult => ({
    recorded: recordedOf([done]),
    entryId: c.entryId,
    version: s.entries[c.entryId]?.version ?? 0,
    lastPosition: done.lastPosition,
  });
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

  await p.keepTime(noTimers);
  return p.continueAsNew<typeof aimsContext>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
