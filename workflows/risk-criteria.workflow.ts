/**
 * Workflow `riskCriteria`: the organisation's AI risk criteria (6.1.1, 6.1.2), changed only through drafts
 * that someone else reviews and top management or the AIMS owner approves. One run per organisation, id
 * and stream `risk-criteria-organisation`. Rules: domain/risk-criteria. No timer: an undecided draft waits
 * in the inbox with its due date. Messages: risk.messages.ts.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import {
  INITIAL_RISK_CRITERIA_STATE,
  RISK_CRITERIA_STREAM,
  RISK_CRITERIA_SYSTEM_ACTOR,
  RISK_CRITERIA_WORKFLOW_ID,
  decide,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  nextDraftId,
  type RiskCriteriaCommand,
  type RiskCriteriaEvent,
  type RiskCriteriaState,
} from '../domain/risk-criteria';
import * as msg from './risk.messages';
import { recordedOf, type Decider, type Step } from './runtime/decider';
import { startProcess, type TimerRules } from './runtime/process';

const criteriaDecider: Decider<RiskCriteriaState, RiskCriteriaCommand, RiskCriteriaEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};
const noTimers: TimerRules<RiskCriteriaState, RiskCriteriaCommand> = { finished: () => false, next: () => null, due: () => null };

export async function riskCriteria(input: msg.RiskCriteriaInput): Promise<never> {
  // One set of criteria per organisation: a second run under another id would fork its versions.
  if (workflowInfo().workflowId !== RISK_CRITERIA_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The organisation's risk criteria run as ${RISK_CRITERIA_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider: criteriaDecider,
    stream: RISK_CRITERIA_STREAM,
    state: input.carried?.state ?? INITIAL_RISK_CRITERIA_STATE,
    causation: 'update',
    systemActor: RISK_CRITERIA_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const answered = (done: Step<RiskCriteriaEvent>, s: RiskCriteriaState, draftId: string): msg.RiskCriteriaStepResult => ({
    recorded: recordedOf([done]),
    draftId,
    version: s.versions.length,
    lastPosition: done.lastPosition,
  });
  p.update(msg.draftRiskCriteriaUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'DraftRiskCriteria',
      draftId: nextDraftId(state),
      content: a.content,
      justification: a.justification,
      by,
      at,
    }),
    answer: (done, s, c) => answered(done, s, c.type === 'DraftRiskCriteria' ? c.draftId : ''),
  });
  p.update(msg.decideRiskCriteriaTaskUpdate, {
    command: (a, { at, by }) => ({
      type: 'DecideRiskCriteriaTask',
      taskId: a.taskId,
      outcome: a.outcome,
      reasons: a.reasons ?? [],
      by,
      at,
    }),
    answer: (done, s, c) => {
      const taskId = c.type === 'DecideRiskCriteriaTask' ? c.taskId : '';
      const task = s.tasks.find((t) => t.taskId === taskId);
      return answered(done, s, typeof task?.subject.draftId === 'string' ? task.subject.draftId : '');
    },
  });
  p.query(msg.riskCriteriaStateQuery, (s) => s);

  await p.keepTime(noTimers);
  return p.continueAsNew<typeof riskCriteria>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
