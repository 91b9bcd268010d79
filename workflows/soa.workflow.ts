/**
 * Workflow `statementOfApplicability`: the organisation's Statement of Applicability (6.1.3, Annex A),
 * changed only through revisions proposed, reviewed and approved by others. One run per organisation, id
 * and stream `soa-organisation`. The rules are the domain's (domain/soa); the runtime queues, decides,
 * records and answers. No timer: open tasks wait in the inbox with their due dates. Messages:
 * soa.messages.ts.
 */
import { ApplicationFailure, log, workflowInfo } from '@temporalio/workflow';
import { riskWorkflowId, type RiskTreatmentControlsChange } from '../domain/shared/risk-links';
import {
  approvalTaskIdOf,
  decide,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  INITIAL_SOA_STATE,
  nextRequestIds,
  nextRevisionIds,
  revisionCauseOfTreatment,
  SOA_STREAM,
  SOA_SYSTEM_ACTOR,
  SOA_WORKFLOW_ID,
  type SoaCommand,
  type SoaEvent,
  type SoaState,
} from '../domain/soa';
import * as msg from './soa.messages';
import { eventsOfType, recordedOf, type Decider, type Step } from './runtime/decider';
import { now, startProcess, type TimerRules } from './runtime/process';
import { riskTreatmentControlsChangedSignal } from './risk-signals';

export * from './soa.messages';

const soaDecider: Decider<SoaState, SoaCommand, SoaEvent> = { decide, evolve, eventData, eventActor, references: eventReferences };

/** Nothing happens by itself: only people move a revision. */
const noTimers: TimerRules<SoaState, SoaCommand> = { finished: () => false, next: () => null, due: () => null };

export async function statementOfApplicability(input: msg.SoaInput): Promise<never> {
  // One SoA per organisation: a second run under another id would fork its versions.
  if (workflowInfo().workflowId !== SOA_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The Statement of Applicability runs as ${SOA_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider: soaDecider,
    stream: SOA_STREAM,
    state: input.carried?.state ?? INITIAL_SOA_STATE,
    causation: 'update',
    systemActor: SOA_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });

  const answered = (done: Step<SoaEvent>, s: SoaState, subjectId: string): msg.SoaStepResult => ({
    recorded: recordedOf([done]),
    subjectId,
    taskId: eventsOfType(done, 'HumanTaskOpened')[0]?.taskId ?? null,
    version: s.version,
    lastPosition: done.lastPosition,
  });
  const revisionOfTask = (s: SoaState, taskId: string): string =>
    s.revisions.find((r) => r.reviewTaskId === taskId || r.approvalTaskId === taskId)?.revisionId ?? '';

  // ----- the message table -----
  p.update(msg.proposeSoaRevisionUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'ProposeSoaRevision',
      ...nextRevisionIds(state),
      summary: a.summary,
      entries: a.entries,
      ...(a.answersRequestIds === undefined ? {} : { answersRequestIds: a.answersRequestIds }),
      by,
      at,
    }),
    answer: (done, s, c) => answered(done, s, c.type === 'ProposeSoaRevision' ? c.revisionId : ''),
  });
  p.update(msg.reviewSoaRevisionUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'ReviewSoaRevision',
      taskId: a.taskId,
      outcome: a.outcome,
      reasons: a.reasons ?? [],
      approvalTaskId: approvalTaskIdOf(revisionOfTask(state, a.taskId)),
      by,
      at,
    }),
    answer: (done, s, c) => answered(done, s, c.type === 'ReviewSoaRevision' ? revisionOfTask(s, c.taskId) : ''),
  });
  p.update(msg.approveSoaRevisionUpdate, {
    command: (a, { at, by }) => ({ type: 'ApproveSoaRevision', taskId: a.taskId, outcome: a.outcome, reasons: a.reasons ?? [], by, at }),
    answer: (done, s, c) => answered(done, s, c.type === 'ApproveSoaRevision' ? revisionOfTask(s, c.taskId) : ''),
  });
  p.update(msg.requestSoaRevisionUpdate, {
    command: (a, { state, at, by }) => ({ type: 'RequestSoaRevision', ...nextRequestIds(state), reason: a.reason, cause: a.cause, by, at }),
    answer: (done, s, c) => answered(done, s, c.type === 'RequestSoaRevision' ? c.requestId : ''),
  });
  p.update(msg.dismissSoaRevisionRequestUpdate, {
    command: (a, { at, by }) => ({ type: 'DismissSoaRevisionRequest', taskId: a.taskId, reasons: a.reasons ?? [], by, at }),
    answer: (done, s, c) =>
      answered(done, s, c.type === 'DismissSoaRevisionRequest' ? (s.requests.find((r) => r.taskId === c.taskId)?.requestId ?? '') : ''),
  });
  p.update(msg.attestControlUpdate, {
    command: (a, { at, by }) => ({
      type: 'AttestControlStatus',
      controlId: a.controlId,
      status: a.status,
      evidenceRefs: a.evidenceRefs,
      note: a.note,
      reviewBy: a.reviewBy,
      by,
      at,
    }),
    answer: (done, s, c) => answered(done, s, c.type === 'AttestControlStatus' ? c.controlId : ''),
  });
  p.query(msg.soaStateQuery, (s) => s);

  // A risk's approved treatment that adds or drops controls asks for a revision (6.1.3), as the risk owner
  // who planned it; the risk's recorded approval of the plan vouches for the step, whoever signalled.
  p.signal(riskTreatmentControlsChangedSignal, async (change: RiskTreatmentControlsChange) => {
    const cause = revisionCauseOfTreatment(p.state, change);
    if (cause === null) return;
    const summary = [
      cause.controlsAdded.length > 0 ? `adds ${cause.controlsAdded.join(', ')}` : '',
      cause.controlsDropped.length > 0 ? `drops ${cause.controlsDropped.join(', ')}` : '',
    ]
      .filter((part) => part !== '')
      .join(' and ');
    try {
      await p.step(
        {
          type: 'RequestSoaRevision',
          ...nextRequestIds(p.state),
          reason: `The approved treatment of risk ${change.riskId} ${summary}.`,
          cause,
          by: { id: change.plannedBy.id, roles: [change.plannedBy.role] },
          at: now(),
        },
        {
          causationId: change.causeEventId,
          vouch: {
            kind: 'evidence',
            stream: riskWorkflowId(change.riskId),
            eventId: change.causeEventId,
            type: 'RiskTreatmentPlanDecided',
            data: { outcome: 'approved' },
          },
        },
      );
    } catch (error) {
      log.warn(`risk ${String(change.riskId)}: no revision requested: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  // ----- the process -----
  await p.keepTime(noTimers);
  return p.continueAsNew<typeof statementOfApplicability>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
