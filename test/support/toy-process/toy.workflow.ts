/**
 * Workflow `documentReview` (toy, tests only): one document's review and approval on the workflow runtime.
 * Everything here is the message table and the timer rules; the rules are the domain's (domain.ts), the
 * queue, evidence, validators, timers and continue-as-new are the runtime's. Messages: toy.messages.ts.
 */
import type { Decider, Step } from '../../../workflows/runtime/decider';
import { recordedOf } from '../../../workflows/runtime/decider';
import { actorOf, now, signedStart, startProcess, type TimerRules } from '../../../workflows/runtime/process';
import * as msg from './toy.messages';
import {
  decide,
  documentReviewId,
  eventActor,
  eventReferences,
  eventData,
  evolve,
  nextReminder,
  nextReviewTaskId,
  type DocumentCommand,
  type DocumentEvent,
  type DocumentRecord,
  type DocumentState,
} from './domain';

const documentDecider: Decider<DocumentState, DocumentCommand, DocumentEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};

/** What the process does by itself: remind once the review falls due; nothing more once approved. */
const timerRules: TimerRules<DocumentState, DocumentCommand> = {
  finished: (s) => s?.status === 'approved',
  next: (s) => nextReminder(s),
  due: (s, at) => {
    const reminder = nextReminder(s);
    return reminder !== null && reminder.at <= Date.parse(at) ? reminder.command(at) : null;
  },
};

export async function documentReview(input: msg.DocumentReviewInput): Promise<DocumentRecord> {
  const p = startProcess({
    decider: documentDecider,
    stream: documentReviewId(input.documentId),
    state: input.carried?.state ?? null,
    // Each recorded batch names the one before it as its cause, across runs too.
    causation: 'previous-evidence',
    firstCause: input.carried?.lastEvidenceId ?? null,
    systemActor: { id: 'aims:document-review', role: 'system' },
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const submitting =
    p.state === null
      ? p.begin(
          {
            type: 'SubmitDraft',
            documentId: input.documentId,
            title: input.title,
            text: input.text,
            by: actorOf(input.by),
            at: now(),
          },
          signedStart(input),
        )
      : null;

  const answered = (done: Step<DocumentEvent>, s: DocumentState): msg.DocumentStepResult => ({
    recorded: recordedOf([done]),
    document: s as DocumentRecord,
    lastPosition: done.lastPosition,
  });

  // ----- the message table -----
  p.update(msg.submitRevisionUpdate, {
    command: (a, { at, by }) => ({ type: 'SubmitDraft', documentId: input.documentId, title: a.title, text: a.text, by, at }),
    answer: answered,
  });
  p.update(msg.requestReviewUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'RequestReview',
      taskId: nextReviewTaskId(state),
      reviewPeriodMs: a.reviewPeriodMs,
      by,
      at,
    }),
    answer: answered,
  });
  p.update(msg.approveDocumentUpdate, {
    command: (a, { at, by }) => ({ type: 'ApproveDocument', comment: a.comment ?? null, by, at }),
    answer: answered,
  });
  p.update(msg.rejectDocumentUpdate, {
    command: (a, { at, by }) => ({ type: 'RejectDocument', reasons: a.reasons, by, at }),
    answer: answered,
  });
  p.query(msg.documentStateQuery, (s) => s);

  // ----- the process -----
  if (submitting !== null) await submitting;
  const ending = await p.keepTime(timerRules);
  // Every accepted Update finishes first, so what the next run carries includes its step.
  await p.settle();
  if (ending === 'continue-as-new') return p.continueAsNew<typeof documentReview>((carried) => ({ ...input, carried }));
  return p.state as DocumentRecord;
}
