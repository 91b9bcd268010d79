/**
 * Workflow `aimsScope`: the scope of the AI management system (4.3), one run per organisation, id and
 * stream `aims-scope-organisation`. The rules are the domain's (domain/aims-scope); the runtime queues,
 * decides, records and answers. Open tasks are reminded when due, and a system's scope decision escalated
 * to top management, on a durable timer (patch `aims-scope-task-reminders`, checked where the first timer
 * would be set; domain/aims-scope/task-reminders.ts).
 *
 * With the lifecycles (domain/shared/scope-links.ts): a lifecycle that registers signals
 * `aiSystemRegistered`; the process notes it and records a decision from the statement in force when it
 * names the system, or opens a scope-decision task for the AIMS owner. Every decision about a registered
 * system is signalled to its lifecycle (`aimsScopeDecided`), whose deployment gate honours it. Messages:
 * aims-scope.messages.ts.
 */
import { ApplicationFailure, getExternalWorkflowHandle, log, patched, workflowInfo } from '@temporalio/workflow';
import { lifecycleWorkflowId } from '../domain/ai-system/identity';
import {
  AIMS_SCOPE_STREAM,
  AIMS_SCOPE_SYSTEM_ACTOR,
  AIMS_SCOPE_WORKFLOW_ID,
  decide,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  INITIAL_AIMS_SCOPE_STATE,
  nextProposalIds,
  nextScopeFollowUp,
  scopeDecisionTaskIdOf,
  type AimsScopeCommand,
  type AimsScopeEvent,
  type AimsScopeState,
} from '../domain/aims-scope';
import { parseFixedDuration } from '../domain/shared/iso-time';
import type { AiSystemRegistrationNotice } from '../domain/shared/scope-links';
import * as msg from './aims-scope.messages';
import { eventsOfType, recordedOf, type Decider, type Step } from './runtime/decider';
import { now, startProcess, type TimerRules } from './runtime/process';
import { aimsScopeDecidedSignal, aiSystemRegisteredSignal } from './scope-signals';

export * from './aims-scope.messages';

const scopeDecider: Decider<AimsScopeState, AimsScopeCommand, AimsScopeEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};

/** The reminders of the scope's tasks; runs recorded before them replay without (no marker, no timer). */
export const SCOPE_TASK_REMINDERS_PATCH = 'aims-scope-task-reminders';

function durationMs(field: keyof msg.AimsScopeTiming, text: string): number {
  const ms = parseFixedDuration(text);
  if (ms === null || ms <= 0)
    throw ApplicationFailure.create({
      type: 'INVALID_TIMING',
      message: `timing.${field} needs a fixed-length ISO 8601 duration above zero (P10D, PT30S)`,
      nonRetryable: true,
    });
  return ms;
}

function reminders(escalationAfterMs: number): TimerRules<AimsScopeState, AimsScopeCommand> {
  return {
    // The scope is kept for as long as the organisation: the run only ever hands over.
    finished: () => false,
    next: (s) => {
      const f = nextScopeFollowUp(s, escalationAfterMs);
      // Checked where a timer would first be set: before the patch, no run ever waited on a task.
      return f === null || !patched(SCOPE_TASK_REMINDERS_PATCH) ? null : f;
    },
    due: (s, at) => {
      const f = nextScopeFollowUp(s, escalationAfterMs);
      return f !== null && f.at <= Date.parse(at) ? f.command(at) : null;
    },
  };
}

export async function aimsScope(input: msg.AimsScopeInput): Promise<never> {
  // One scope per organisation: a second run under another id would fork its versions.
  if (workflowInfo().workflowId !== AIMS_SCOPE_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The AIMS scope runs as ${AIMS_SCOPE_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  // Without a timing in the input, tasks are due as before (SCOPE_TASK_TIME_MS): runs replay unchanged.
  const taskTimeMs = input.timing === undefined ? undefined : durationMs('taskTime', input.timing.taskTime);
  const escalationAfterMs = durationMs('escalationDelay', (input.timing ?? msg.DEFAULT_AIMS_SCOPE_TIMING).escalationDelay);
  const p = startProcess({
    decider: scopeDecider,
    stream: AIMS_SCOPE_STREAM,
    state: input.carried?.state ?? INITIAL_AIMS_SCOPE_STATE,
    causation: 'update',
    systemActor: AIMS_SCOPE_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });

  /**
   * Tells each system's lifecycle the decisions the step recorded about it (also one registered before this
   * process ran, which told nobody); a lifecycle that is not running (none, decommissioned) is logged.
   */
  const tellLifecycles = async (done: Step<AimsScopeEvent>): Promise<void> => {
    const told = done.events
      .map((e, i) => ({ e, evidenceId: done.evidenceIds[i] }))
      .filter(
        (x): x is { e: Extract<AimsScopeEvent, { type: 'AiSystemScopeDecided' }>; evidenceId: string } =>
          x.e.type === 'AiSystemScopeDecided',
      );
    await Promise.all(
      told.map(async ({ e, evidenceId }) => {
        try {
          await getExternalWorkflowHandle(lifecycleWorkflowId(e.systemId)).signal(aimsScopeDecidedSignal, {
            systemId: e.systemId,
            inScope: e.inScope,
            justification: e.justification,
            basis: e.basis,
            causeEventId: evidenceId,
            decidedAt: e.at,
          });
        } catch (error) {
          log.warn(`AI system ${e.systemId} not told its scope decision: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  };

  const answered = (done: Step<AimsScopeEvent>, s: AimsScopeState, subjectId: string): msg.AimsScopeStepResult => ({
    recorded: recordedOf([done]),
    subjectId,
    taskId: eventsOfType(done, 'HumanTaskOpened')[0]?.taskId ?? null,
    version: s.version,
    lastPosition: done.lastPosition,
  });

  // ----- the message table -----
  p.update(msg.proposeScopeStatementUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'ProposeScopeStatement',
      ...nextProposalIds(state),
      summary: a.summary,
      statement: a.statement,
      // Only when named: proposals that name none decide (and replay) exactly as before.
      ...(a.document === undefined || a.document === null ? {} : { document: a.document }),
      by,
      at,
      ...(taskTimeMs === undefined ? {} : { taskTimeMs }),
    }),
    answer: (done, s, c) => answered(done, s, c.type === 'ProposeScopeStatement' ? c.proposalId : ''),
  });
  p.update(msg.decideScopeStatementUpdate, {
    command: (a, { at, by }) => ({ type: 'DecideScopeStatement', taskId: a.taskId, outcome: a.outcome, reasons: a.reasons ?? [], by, at }),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      await tellLifecycles(done);
      const taskId = command.type === 'DecideScopeStatement' ? command.taskId : '';
      return answered(done, p.state, p.state.proposals.find((x) => x.approvalTaskId === taskId)?.proposalId ?? '');
    },
  });
  p.update(msg.decideAiSystemScopeUpdate, {
    command: (a, { at, by }) => ({
      type: 'DecideAiSystemScope',
      systemId: a.systemId,
      inScope: a.inScope,
      justification: a.justification,
      by,
      at,
    }),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      await tellLifecycles(done);
      return answered(done, p.state, command.type === 'DecideAiSystemScope' ? command.systemId : '');
    },
  });
  p.query(msg.aimsScopeStateQuery, (s) => s);

  // A lifecycle registered its system: noted as the process's own step, caused by the registration's evidence.
  p.signal(aiSystemRegisteredSignal, async (notice: AiSystemRegistrationNotice) => {
    const command: AimsScopeCommand = {
      type: 'NoteAiSystemRegistration',
      systemId: notice.systemId,
      name: notice.name,
      causeEventId: notice.causeEventId,
      registeredAt: notice.registeredAt,
      taskId: scopeDecisionTaskIdOf(p.state, String(notice.systemId)),
      at: now(),
      ...(taskTimeMs === undefined ? {} : { taskTimeMs }),
    };
    // Malformed: nothing to record, and a signal has nobody to answer.
    const refused = decide(command, p.state);
    if (!refused.ok) {
      log.warn(`AI system ${String(notice.systemId)} registration not noted: ${refused.error.code} ${refused.error.message}`);
      return;
    }
    const done = await p.step(command, { causationId: notice.causeEventId, system: true });
    await tellLifecycles(done);
  });

  // ----- the process -----
  await p.keepTime(reminders(escalationAfterMs));
  return p.continueAsNew<typeof aimsScope>((carried) => ({
    timing: input.timing,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
