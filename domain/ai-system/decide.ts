/**
 * `decide(command, state)`: the events a command produces, or the typed error that refuses it. Pure: time
 * and ids come in the command. The checks every command meets (input, authority, registration, stage) are
 * here; the rest belongs to the features in ./features, composed into tables the compiler checks are
 * complete. After a command's own events, `decide` reconciles open work against the resulting state
 * (each feature's rule: tasks whose subject was superseded are closed, deployment requests that lost their
 * basis are blocked), so those consequences are recorded as events too rather than left implicit.
 */
import { actorProblem } from '../shared/roles';
import { isIsoTimestamp } from '../shared/iso-time';
import { domainError } from '../shared/domain-error';
import { err, ok, type Result } from '../shared/result';
import { commandRoleProblem } from './authority';
import type { AiSystemCommand, AiSystemCommandType } from './commands';
import { aiSystemError, invalid, type AiSystemError } from './errors';
import type { AiSystemEvent } from './events';
import { evolve } from './evolve';
import { isRegistered, type AiSystemRecord, type AiSystemState } from './model';
import { changeAndVersions } from './features/change-and-versions';
import { dataAndValidation } from './features/data-and-validation';
import { decommissioning, REFUSED_WHILE_DECOMMISSIONING } from './features/decommissioning';
import { deployment } from './features/deployment';
import {
  ownEntry,
  type CommandHandler,
  type CommandHandlers,
  type DecideResult,
  type Feature,
  type OpenTaskRule,
  type OpenTaskRules,
  type RegisteredCommandType,
  type TaskConsequences,
  type TaskSubjectType,
} from './features/feature';
import { decideHumanTask, humanTasks } from './features/human-tasks';
import { impactAssessment } from './features/impact-assessment';
import { monitoring } from './features/monitoring';
import { register, registration } from './features/registration';
import { policyGovernance } from './features/policy-governance';
import { riskPosture } from './features/risk-posture';
import { aimsScope } from './features/aims-scope';
import { resources } from './features/resources';
import { aiPolicyAtGate } from './features/ai-policy-at-gate';

export type { DecideResult } from './features/feature';
export { SIGNIFICANT_AMENDMENTS } from './features/change-and-versions';
export { TASK_OUTCOMES } from './features/human-tasks';

/** Every feature of the lifecycle; their state-level reconcile rules run in this order. */
export const FEATURES: readonly Feature[] = [
  registration,
  policyGovernance,
  impactAssessment,
  dataAndValidation,
  changeAndVersions,
  deployment,
  monitoring,
  decommissioning,
  riskPosture,
  aimsScope,
  resources,
  aiPolicyAtGate,
  humanTasks,
];

/** What follows a human-task decision, by the task's subject; each feature defines its own. */
const TASK_CONSEQUENCES: TaskConsequences = {
  ...impactAssessment.onTaskDecided,
  ...dataAndValidation.onTaskDecided,
  ...deployment.onTaskDecided,
  ...monitoring.onTaskDecided,
  ...decommissioning.onTaskDecided,
};

const HANDLERS: CommandHandlers = {
  ...registration.decide,
  ...policyGovernance.decide,
  ...impactAssessment.decide,
  ...dataAndValidation.decide,
  ...changeAndVersions.decide,
  ...deployment.decide,
  ...monitoring.decide,
  ...decommissioning.decide,
  ...riskPosture.decide,
  ...aimsScope.decide,
  ...resources.decide,
  ...aiPolicyAtGate.decide,
  ...humanTasks.decide,
  // Deciding a task belongs to human tasks, but what follows belongs to the feature of the task's subject.
  DecideHumanTask: (c, s) => decideHumanTask(c, s, TASK_CONSEQUENCES),
};

/** How each feature closes its open tasks whose basis is gone. */
const OPEN_TASK_RULES: OpenTaskRules = {
  ...impactAssessment.reconcileTask,
  ...dataAndValidation.reconcileTask,
  ...deployment.reconcileTask,
};

/** Commands the workflow issues on its own; without `by` they are recorded as the system's. */
const AUTOMATIC_COMMANDS: ReadonlySet<AiSystemCommandType> = new Set<AiSystemCommandType>([
  'EvaluateAcceptanceCriteria',
  'RecordMonitoringReviewDue',
  // When the lifecycle could not start a nonconformity's corrective action.
  'RecordCorrectiveActionNotStarted',
  'SendHumanTaskReminder',
  'EscalateHumanTask',
  // When the nonconformity workflow reports that its corrective action closed it.
  'CloseNonconformity',
  // When a risk of the system reports whether it blocks deployment (riskPostureChanged signal).
  'RecordRiskPosture',
  // When the AIMS scope process reports its decision about the system (aimsScopeDecided signal).
  'RecordAimsScopeDecision',
  // When a deployment request was decided: the AI policy in force then, as the lifecycle's activity read it.
  'NoteAiPolicyAtGate',
]);

export function decide(command: AiSystemCommand, state: AiSystemState): DecideResult {
  const base = checkCommonInput(command);
  if (base) return err(base);
  // Authority before facts: someone who may not act learns that, not the state of the system.
  const authority = commandRoleProblem(command);
  if (authority) return err(authority);
  if (command.type === 'RegisterAiSystem') {
    if (isRegistered(state)) {
      return err(
        aiSystemError('AI_SYSTEM_ALREADY_REGISTERED', `AI system ${state.profile.systemId} is already registered.`, {
          systemId: state.profile.systemId,
        }),
      );
    }
    return register(command);
  }
  if (!isRegistered(state)) {
    return err(
      aiSystemError('AI_SYSTEM_NOT_REGISTERED', `The AI system must be registered before ${command.type}.`, { command: command.type }),
    );
  }
  if (state.stage === 'decommissioned') {
    return err(
      aiSystemError(
        'AI_SYSTEM_DECOMMISSIONED',
        `AI system ${state.profile.systemId} has been decommissioned; nothing more can happen to it.`,
        {
          systemId: state.profile.systemId,
          command: command.type,
        },
      ),
    );
  }
  if (state.stage === 'decommissioning' && REFUSED_WHILE_DECOMMISSIONING.has(command.type)) {
    return err(
      aiSystemError(
        'DECOMMISSIONING_IN_PROGRESS',
        `AI system ${state.profile.systemId} is being decommissioned; ${command.type} is no longer accepted.`,
        {
          systemId: state.profile.systemId,
          command: command.type,
        },
      ),
    );
  }
  // The table is complete for the union; at run time an untyped caller may still send an unknown type.
  const handler = ownEntry<CommandHandler<RegisteredCommandType>>(HANDLERS, command.type);
  if (!handler) {
    const type = String(command.type);
    return err(aiSystemError('UNKNOWN_COMMAND', `${type} is not a command this AI system understands.`, { command: type }));
  }
  const own = handler(command, state);
  if (!own.ok) return own;
  return ok([...own.value, ...reconcile(applyAll(state, own.value), command.at)]);
}

/** For Update validators: the refusal a command would meet, or null if it would be accepted. */
export function commandRefusal(command: AiSystemCommand, state: AiSystemState): AiSystemError | null {
  const r = decide(command, state);
  return r.ok ? null : r.error;
}

/** `decide` then `evolve`: the events and the state they lead to. */
export function execute(
  command: AiSystemCommand,
  state: AiSystemState,
): Result<{ events: AiSystemEvent[]; state: AiSystemState }, AiSystemError> {
  const r = decide(command, state);
  if (!r.ok) return r;
  return ok({ events: r.value, state: r.value.reduce(evolve, state) });
}

// ---------------------------------------------------------------------------------------------------

function applyAll(state: AiSystemRecord, events: AiSystemEvent[]): AiSystemRecord {
  const next = events.reduce(evolve, state as AiSystemState);
  return isRegistered(next) ? next : state;
}

function checkCommonInput(command: AiSystemCommand): AiSystemError | null {
  if (!command || typeof command !== 'object' || typeof command.type !== 'string') {
    return invalid('command', [{ field: 'type', problem: 'must name the command' }]);
  }
  if (!isIsoTimestamp(command.at)) {
    return invalid(command.type, [{ field: 'at', problem: 'must be an ISO-8601 timestamp, e.g. 2025-03-01T09:30:00Z' }]);
  }
  if (command.by === undefined && !AUTOMATIC_COMMANDS.has(command.type)) {
    return domainError('INVALID_ACTOR', `${command.type} needs the actor who issues it (by).`, { command: command.type });
  }
  if (command.by !== undefined) {
    const problem = actorProblem(command.by);
    if (problem) return domainError('INVALID_ACTOR', problem, { command: command.type });
  }
  return null;
}

/**
 * Open work whose basis the state no longer supports, closed with events: first each open task, in the
 * order opened, by its subject's feature; then each feature's other open work (approved deployments).
 */
function reconcile(s: AiSystemRecord, at: string): AiSystemEvent[] {
  if (s.stage === 'decommissioned') return [];
  const events: AiSystemEvent[] = [];
  for (const t of s.tasks) {
    if (t.status !== 'open') continue;
    const rule = ownEntry<OpenTaskRule<TaskSubjectType>>(OPEN_TASK_RULES, t.subject.type);
    if (rule) events.push(...rule(t, s, at));
  }
  for (const f of FEATURES) if (f.reconcile) events.push(...f.reconcile(s, at));
  return events;
}
