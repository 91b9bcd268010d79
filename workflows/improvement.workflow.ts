/**
 * Workflow `improvement`: one opportunity for improvement (10.1), id and stream `improvement-<id>`:
 * proposed → accepted → implemented, or rejected. Rules: domain/improvement. Proposed by a person (the
 * signed start vouches) or by an internal audit whose finding was an opportunity for improvement (that
 * finding's evidence vouches, and is the first event's cause), or by a management review's decision (that
 * decision's evidence vouches). No timer. Messages: improvement.messages.ts.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import {
  decideImprovement,
  evolveImprovement,
  improvementEventActor,
  improvementEventData,
  improvementEventReferences,
  improvementStream,
  improvementWorkflowId,
  isFinished,
  type ImprovementCommand,
  type ImprovementEvent,
  type ImprovementState,
} from '../domain/improvement/improvement';
import { internalAuditStream } from '../domain/internal-audit/model';
import { managementReviewStream } from '../domain/management-review/model';
import { objectiveStream } from '../domain/objective/model';
import type { EvidenceVouch } from './evidence-recorder';
import * as msg from './improvement.messages';
import { recordedOf, type Decider, type Step } from './runtime/decider';
import { now, signedStart, startProcess } from './runtime/process';

export * from './improvement.messages';

const improvementDecider: Decider<ImprovementState, ImprovementCommand, ImprovementEvent> = {
  decide: decideImprovement,
  evolve: evolveImprovement,
  eventData: improvementEventData,
  eventActor: improvementEventActor,
  references: improvementEventReferences,
};

export async function improvement(input: msg.ImprovementInput): Promise<ImprovementState> {
  const expectedId = improvementWorkflowId(input.improvementId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `Improvement ${input.improvementId} runs as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const fromAudit = input.by === undefined && input.internalAuditId !== undefined;
  const fromReview = input.by === undefined && input.internalAuditId === undefined && input.managementReviewId !== undefined;
  const fromObjective = input.by === undefined && input.objectiveId !== undefined;
  const p = startProcess({
    decider: improvementDecider,
    stream: improvementStream(input.improvementId),
    state: null,
    ...(fromAudit ? { correlationId: internalAuditStream(input.internalAuditId as string) } : {}),
    ...(fromReview ? { correlationId: managementReviewStream(input.managementReviewId as string) } : {}),
    ...(fromObjective ? { correlationId: objectiveStream(input.objectiveId as string) } : {}),
    causation: 'update',
    systemActor: { id: 'aims:improvement', role: 'system' },
  });
  const proposing = p.begin(
    {
      type: 'ProposeImprovement',
      improvementId: input.improvementId,
      source: input.source,
      description: input.description,
      owner: input.owner,
      ...(input.by === undefined ? {} : { by: input.by }),
      ...(input.openedBy === undefined ? {} : { openedBy: input.openedBy }),
      at: now(),
    },
    vouchOf(input),
  );
  const answered = (done: Step<ImprovementEvent>): msg.ImprovementStepResult => ({
    recorded: recordedOf([done]),
    improvement: p.state,
    lastPosition: done.lastPosition,
  });
  p.update(msg.decideImprovementUpdate, {
    command: (a, { at, by }) => ({ type: 'DecideImprovement', outcome: a.outcome, rationale: a.rationale, by, at }),
    answer: answered,
  });
  p.update(msg.recordImprovementOutcomeUpdate, {
    command: (a, { at, by }) => ({ type: 'RecordImprovementOutcome', text: a.text, evidenceRefs: a.evidenceRefs, by, at }),
    answer: answered,
  });
  p.query(msg.improvementStateQuery, (s) => s);

  await proposing;
  await p.keepTime({ finished: isFinished, next: () => null, due: () => null });
  await p.settle();
  return p.state;
}

function vouchOf(input: msg.ImprovementInput): EvidenceVouch | undefined {
  if (input.by !== undefined) return signedStart(input);
  if (input.internalAuditId === undefined && input.managementReviewId !== undefined && input.triggeringEvidenceEventId !== undefined) {
    // A management review's decision (9.3.3): that decision's evidence vouches, and names this action.
    return {
      kind: 'evidence',
      stream: managementReviewStream(input.managementReviewId),
      eventId: input.triggeringEvidenceEventId,
      type: 'ManagementReviewDecisionRecorded',
      data: { decisionId: input.decisionId ?? '', actionId: input.improvementId },
    };
  }
  if (input.objectiveId !== undefined && input.triggeringEvidenceEventId !== undefined)
    return {
      kind: 'evidence',
      stream: objectiveStream(input.objectiveId),
      eventId: input.triggeringEvidenceEventId,
      type: 'ObjectiveOffTargetActionOpened',
      data: { actionId: input.improvementId, kind: 'action' },
    };
  if (input.internalAuditId === undefined || input.triggeringEvidenceEventId === undefined) return undefined; // refused: nothing vouches
  return {
    kind: 'evidence',
    stream: internalAuditStream(input.internalAuditId),
    eventId: input.triggeringEvidenceEventId,
    type: 'AuditFindingRecorded',
    data: { findingId: input.findingId ?? '', findingType: 'opportunity_for_improvement' },
  };
}
