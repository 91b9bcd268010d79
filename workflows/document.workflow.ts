/**
 * Workflow `document`: one controlled document (7.5) through its versions, id and stream `document-<id>`.
 * The rules are the domain's (domain/document); the runtime queues, decides, records and answers. What is
 * the document's own here:
 *   - publishing a version asks each person in the roles the document names to acknowledge it (7.3): the
 *     people come from an activity (the token store until there is a person register, which the evidence
 *     names as the source);
 *   - timers: open tasks are reminded at their due date and escalated to the AIMS owner after the delay;
 *     the version in force falls due for review when the document's interval runs out.
 * Messages: document.messages.ts.
 */
import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PeopleActivities } from '../activities/people.activities';
import {
  decide,
  DOCUMENT_SYSTEM_ACTOR,
  documentWorkflowId,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  nextDocumentFollowUp,
  reviewTaskIdOf,
  type DocumentCommand,
  type DocumentEvent,
  type DocumentRecord,
  type DocumentState,
} from '../domain/document';
import { parseFixedDuration } from '../domain/shared/iso-time';
import * as msg from './document.messages';
import { eventsOfType, lastPositionOf, recordedOf, type Decider, type Step } from './runtime/decider';
import { actorOf, now, signedStart, startProcess, type TimerRules } from './runtime/process';

export * from './document.messages';

const documentDecider: Decider<DocumentState, DocumentCommand, DocumentEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};

const { peopleInRoles } = proxyActivities<PeopleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

function escalationDelayMs(timing: msg.DocumentTiming | undefined): number {
  const ms = parseFixedDuration((timing ?? msg.DEFAULT_DOCUMENT_TIMING).escalationDelay);
  if (ms === null)
    throw ApplicationFailure.create({
      type: 'INVALID_TIMING',
      message: 'timing.escalationDelay needs a fixed-length ISO 8601 duration (P5D, PT30S)',
      nonRetryable: true,
    });
  return ms;
}

function timerRules(escalationAfterMs: number): TimerRules<DocumentState, DocumentCommand> {
  return {
    // A document is kept for as long as it exists: the run only ever hands over (continue-as-new).
    finished: () => false,
    next: (s) => nextDocumentFollowUp(s, escalationAfterMs),
    due: (s, at) => {
      const f = nextDocumentFollowUp(s, escalationAfterMs);
      return f !== null && f.at <= Date.parse(at) ? f.command(at) : null;
    },
  };
}

export async function document(input: msg.DocumentWorkflowInput): Promise<never> {
  const expectedId = documentWorkflowId(input.documentId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The workflow of document ${input.documentId} must run as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const escalationAfterMs = escalationDelayMs(input.timing);
  const p = startProcess({
    decider: documentDecider,
    stream: expectedId,
    state: input.carried?.state ?? null,
    causation: 'update',
    systemActor: DOCUMENT_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const creating =
    p.state === null
      ? p.begin(
          {
            type: 'CreateDocument',
            documentId: input.documentId,
            kind: input.kind,
            title: input.title,
            owner: input.owner,
            classification: input.classification,
            retention: input.retention,
            acknowledgementRoles: input.acknowledgementRoles,
            reviewInterval: input.reviewInterval ?? null,
            decisionTime: input.decisionTime ?? null,
            acknowledgementTime: input.acknowledgementTime ?? null,
            by: actorOf(input.by),
            at: now(),
          },
          signedStart(input),
        )
      : null;

  const answered = (steps: Step<DocumentEvent>[], s: DocumentState, version: number | null): msg.DocumentStepResult => ({
    recorded: recordedOf(steps),
    document: s as DocumentRecord,
    version,
    taskIds: steps.flatMap((step) => eventsOfType(step, 'HumanTaskOpened').map((e) => e.taskId)),
    lastPosition: lastPositionOf(steps),
  });
  const versionOfTask = (s: DocumentState, taskId: string): number | null =>
    s?.tasks.find((t) => t.taskId === taskId)?.subject.version ?? null;

  p.update(msg.submitDocumentVersionUpdate, {
    command: (a, { state, at, by }) => {
      const version = (state?.versions.length ?? 0) + 1;
      return {
        type: 'SubmitDocumentVersion',
        version,
        reviewTaskId: reviewTaskIdOf(input.documentId, version),
        markdown: a.markdown ?? null,
        markdownDigest: a.markdownDigest ?? null,
        attachments: a.attachments ?? [],
        changeSummary: a.changeSummary,
        change: a.change ?? null,
        by,
        at,
      };
    },
    answer: (done, s, c) => answered([done], s, c.type === 'SubmitDocumentVersion' ? c.version : null),
  });
  p.update(msg.decideDocumentTaskUpdate, {
    command: (a, { at, by }) => ({
      type: 'DecideDocumentTask',
      taskId: a.taskId,
      outcome: a.outcome,
      reasons: a.reasons ?? [],
      note: a.note ?? null,
      by,
      at,
    }),
    // A publication asks the people in the named roles to acknowledge the version, in the same turn.
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      const published = eventsOfType(done, 'DocumentVersionPublished')[0];
      const steps = [done];
      const s = p.state;
      if (published !== undefined && s !== null && s.acknowledgementRoles.length > 0) {
        const found = await peopleInRoles([...s.acknowledgementRoles]);
        steps.push(
          await p.step(
            { type: 'RequestAcknowledgements', version: published.version, people: found.people, source: found.source, at: now() },
            { system: true, ...(done.evidenceIds.length > 0 ? { causationId: done.evidenceIds[done.evidenceIds.length - 1] } : {}) },
          ),
        );
      }
      return answered(steps, p.state, command.type === 'DecideDocumentTask' ? versionOfTask(p.state, command.taskId) : null);
    },
  });
  p.update(msg.acknowledgeDocumentUpdate, {
    command: (a, { at, by }) => ({ type: 'AcknowledgeDocument', taskId: a.taskId, by, at }),
    answer: (done, s, c) => answered([done], s, c.type === 'AcknowledgeDocument' ? versionOfTask(s, c.taskId) : null),
  });
  p.query(msg.documentStateQuery, (s) => s);

  if (creating !== null) await creating;
  await p.keepTime(timerRules(escalationAfterMs));
  return p.continueAsNew<typeof document>((carried) => ({
    ...input,
    carried: { state: carried.state as DocumentRecord, lastEvidenceId: carried.lastEvidenceId },
  }));
}
