/**
 * Workflow `aimsScope`: the scope of the AI management system (4.3), one run per organisation, id and
 * stream `aims-scope-organisation`. The rules are the domain's (domain/aims-scope); the runtime queues,
 * decides, records and answers. No timer: open tasks wait in the inbox with their due dates.
 *
 * With the lifecycles (domain/shared/scope-links.ts): a lifecycle that registers signals
 * `aiSystemRegistered`; the process notes it and records a decision from the statement in force when it
 * names the system, or opens a scope-decision task for the AIMS owner. Every decision about a registered
 * system is signalled to its lifecycle (`aimsScopeDecided`), whose deployment gate honours it. Messages:
 * aims-scope.messages.ts.
 */
import { ApplicationFailure, getExternalWorkflowHandle, log, workflowInfo } from '@temporalio/workflow';
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
  scopeDecisionTaskIdOf,
  type AimsScopeCommand,
  type AimsScopeEvent,
  type AimsScopeState,
} from '../domain/aims-scope';
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

/** Nothing happens by itself: only people and registrations move the scope. */
const noTimers: TimerRules<AimsScopeState, AimsScopeCommand> = { finished: () => false, next: () => null, due: () => null };

export async function aimsScope(input: msg.AimsScopeInput): Promise<never> {
  // One scope per organisation: a second run under another id would fork its versions.
  if (workflowInfo().workflowId !== AIMS_SCOPE_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The AIMS scope runs as ${AIMS_SCOPE_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
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
      by,
      at,
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
  await p.keepTime(noTimers);
  return p.continueAsNew<typeof aimsScope>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
