/**
 * Workflow `risk`: one AI risk through assessment, treatment and acceptance (6.1.2, 6.1.3, 8.2, 8.3), id
 * and stream `risk-<id>`. The rules are the domain's (domain/risk); the runtime queues, decides, records
 * and answers. What is the risk's own here:
 *   - timers: each open treatment action is reminded, marked overdue at its due date and escalated to the
 *     AIMS owner; an accepted risk falls due for reassessment when its interval runs out;
 *   - its system's lifecycle hears the risk's posture (riskPostureChangedSignal) whenever a step changes
 *     whether it blocks deployment, and on identification; a lifecycle that is not running is skipped;
 *   - a lifecycle's riskReassessmentRequestedSignal sends the risk back to assessment, vouched for by the
 *     lifecycle's evidence of the cause.
 * Messages: risk.messages.ts; signals: risk-signals.ts.
 */
import { ApplicationFailure, condition, getExternalWorkflowHandle, log, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { aiSystemStreamName, lifecycleWorkflowId } from '../domain/ai-system/identity';
import {
  RISK_SYSTEM_ACTOR,
  decide,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  nextRiskFollowUp,
  riskPosture,
  type Risk,
  type RiskCommand,
  type RiskEvent,
  type RiskState,
  type RiskTimers,
} from '../domain/risk';
import { parseFixedDuration } from '../domain/shared/iso-time';
import { riskWorkflowId, type RiskReassessmentRequest, type RiskTreatmentControlsChange } from '../domain/shared/risk-links';
import * as msg from './risk.messages';
import { noteAiPolicyAtAcceptance } from './risk.policy';
import { SOA_WORKFLOW_ID } from '../domain/soa/model';
import { riskPostureChangedSignal, riskReassessmentRequestedSignal, riskTreatmentControlsChangedSignal } from './risk-signals';
import { recordedOf, type Decider } from './runtime/decider';
import { actorOf, now, signedStart, startProcess, type TimerRules } from './runtime/process';

export * from './risk.messages';
export { RISK_ACCEPTANCE_POLICY_PATCH } from './risk.policy';

const riskDecider: Decider<RiskState, RiskCommand, RiskEvent> = { decide, evolve, eventData, eventActor, references: eventReferences };

function readTiming(timing: msg.RiskTiming | undefined): RiskTimers {
  const t = timing ?? msg.DEFAULT_RISK_TIMING;
  const reminderLeadMs = parseFixedDuration(t.reminderLeadTime);
  const escalationDelayMs = parseFixedDuration(t.escalationDelay);
  if (reminderLeadMs === null || escalationDelayMs === null)
    throw ApplicationFailure.create({
      type: 'INVALID_TIMING',
      message: 'timing needs fixed-length ISO 8601 durations (P2D, PT30S)',
      nonRetryable: true,
    });
  return { reminderLeadMs, escalationDelayMs };
}

function timerRules(timing: RiskTimers): TimerRules<RiskState, RiskCommand> {
  return {
    // A risk is watched for as long as it exists: the run only ever hands over (continue-as-new).
    finished: () => false,
    next: (s, nowMs) => (s === null ? null : nextRiskFollowUp(s, timing, nowMs)),
    due: (s, at) => {
      const f = s === null ? null : nextRiskFollowUp(s, timing, Date.parse(at));
      return f !== null && f.at <= Date.parse(at) ? f.command(at) : null;
    },
  };
}

export async function risk(input: msg.RiskWorkflowInput): Promise<Risk> {
  const expectedId = riskWorkflowId(input.riskId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The workflow of risk ${input.riskId} must run as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const timing = readTiming(input.timing);
  const p = startProcess({
    decider: riskDecider,
    stream: expectedId,
    state: input.carried?.state ?? null,
    causation: 'previous-evidence',
    firstCause: input.carried?.lastEvidenceId ?? null,
    systemActor: RISK_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const identifying =
    p.state === null
      ? p.begin(
          {
            type: 'IdentifyRisk',
            riskId: input.riskId,
            systemId: input.systemId,
            source: input.source,
            description: input.description,
            owner: input.owner,
            by: actorOf(input.by),
            at: now(),
          },
          signedStart(input),
        )
      : null;

  const row = <A extends { by: unknown }>(definition: UpdateDefinition<msg.RiskStepResult, [A]>, build: (a: A) => object): void =>
    p.update(definition, {
      command: (a, { at, by }) => ({ ...build(a), by, at }) as RiskCommand,
      // A step that decided the acceptance notes the AI policy in force then (risk.policy.ts).
      run: async (command, asked) => {
        const done = await p.step(command, asked);
        const noted = await noteAiPolicyAtAcceptance(p, done);
        const last = noted.at(-1) ?? done;
        return { recorded: recordedOf([done, ...noted]), risk: p.state as Risk, lastPosition: last.lastPosition };
      },
    });
  // Only the named fields reach the domain (and the evidence).
  row(msg.assessRiskUpdate, (a) => ({ type: 'AssessRisk', inherent: a.inherent, rationale: a.rationale, criteria: a.criteria }));
  row(msg.decideRiskTaskUpdate, (a) => ({ type: 'DecideRiskTask', taskId: a.taskId, outcome: a.outcome, reasons: a.reasons ?? [] }));
  row(msg.planRiskTreatmentUpdate, (a) => ({
    type: 'PlanRiskTreatment',
    option: a.option,
    annexAControlIds: a.annexAControlIds,
    ownControls: a.ownControls ?? [],
    actions: a.actions,
  }));
  row(msg.completeTreatmentActionUpdate, (a) => ({
    type: 'CompleteTreatmentAction',
    actionId: a.actionId,
    evidenceRefs: a.evidenceRefs,
    note: a.note ?? null,
  }));
  row(msg.recordResidualRiskUpdate, (a) => ({ type: 'RecordResidualRisk', residual: a.residual, rationale: a.rationale }));
  p.query(msg.riskStateQuery, (s) => s);

  p.signal(riskReassessmentRequestedSignal, async (request: RiskReassessmentRequest) => {
    const s = p.state;
    if (s === null || s.systemId === null || request?.systemId !== s.systemId) return;
    try {
      await p.step(
        { type: 'RequestRiskReassessment', cause: request.cause, at: now() },
        // Anyone can signal: the lifecycle's recorded evidence of the cause is what vouches for the step.
        {
          vouch: {
            kind: 'evidence',
            stream: aiSystemStreamName(s.systemId),
            eventId: request.cause?.eventId,
            type: request.cause?.type,
            data: {},
          },
        },
      );
    } catch (error) {
      log.warn(`risk ${input.riskId}: reassessment request not taken: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  if (identifying !== null) await identifying;
  // The posture is told from a watcher, so every step (a person's, a timer's, a signal's) is covered.
  let told: string | null = p.state === null || input.carried !== undefined ? key(p.state) : null;
  const tell = async (): Promise<void> => {
    const s = p.state;
    if (s === null || s.systemId === null || key(s) === told) return;
    told = key(s);
    const posture = riskPosture(s);
    try {
      await getExternalWorkflowHandle(lifecycleWorkflowId(s.systemId)).signal(riskPostureChangedSignal, {
        riskId: s.riskId,
        level: posture.level,
        blockers: posture.blockers,
        causeEventId: p.lastEvidenceId ?? '',
        at: now(),
      });
    } catch (error) {
      // No lifecycle runs for the system (decommissioned, or not registered here): the risk carries on.
      log.info(`risk ${s.riskId}: the lifecycle of ${s.systemId} was not told: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // The Statement of Applicability hears of each approved plan whose controls differ from the last one's.
  let toldControls: string[] = input.carried !== undefined ? (approvedControls(p.state) ?? []) : [];
  const tellSoa = async (): Promise<void> => {
    const s = p.state;
    const controls = approvedControls(s);
    if (s === null || s.plan === null || controls === null || JSON.stringify(controls) === JSON.stringify(toldControls)) return;
    const previousControls = toldControls;
    toldControls = controls;
    try {
      await getExternalWorkflowHandle(SOA_WORKFLOW_ID).signal(riskTreatmentControlsChangedSignal, {
        riskId: s.riskId,
        controls,
        previousControls,
        // A person plans a treatment (never the system): its recorded role is an AIMS role.
        plannedBy: s.plan.plannedBy as RiskTreatmentControlsChange['plannedBy'],
        causeEventId: p.lastEvidenceId ?? '',
        at: now(),
      });
    } catch (error) {
      // No SoA runs yet (none was ever proposed): there is nothing to revise; the risk carries on.
      log.info(`risk ${s.riskId}: the Statement of Applicability was not told: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let stopWatching = false;
  const watching = (async () => {
    for (;;) {
      // The version is read before telling: a step recorded while a signal is on its way is told next round
      // (reading it after would take that step as told and leave the lifecycle with a stale posture).
      const seen = p.version;
      await tell();
      await tellSoa();
      await condition(() => p.version !== seen || stopWatching);
      if (stopWatching) return;
    }
  })();

  await p.keepTime(timerRules(timing));
  stopWatching = true;
  await watching;
  await tell();
  return p.continueAsNew<typeof risk>((carried) => ({
    ...input,
    carried: { state: carried.state as Risk, lastEvidenceId: carried.lastEvidenceId },
  }));
}

/** The controls of the approved treatment plan, in order, or null while no plan is approved. */
function approvedControls(s: RiskState): string[] | null {
  if (s === null || s.plan === null || !s.plan.approved) return null;
  return [...s.plan.annexAControlIds, ...s.plan.ownControls].sort();
}

/** What the lifecycle hears, as one comparable value. */
function key(s: RiskState): string | null {
  return s === null ? null : JSON.stringify(riskPosture(s));
}
