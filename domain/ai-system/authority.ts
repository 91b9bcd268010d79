/**
 * Who may issue each command (clause 5.3, A.3.2). Human-task decisions are governed by the task's own
 * roles (the policy's `taskRoles`, plus the AIMS owner once escalated); every other command by this table.
 * The first role of a row the actor holds is the role recorded in the evidence, so the order is the
 * preference. `auditor` appears nowhere: it is read-only. `admin` administers the engine, not the AIMS.
 *
 * Automatic commands (timers, checks) act as the system when they carry no actor; when a person issues
 * one, this table applies to them like to any other command.
 */
import { actingAs, actorProblem, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { domainError } from '../shared/domain-error';
import { err, ok, type Result } from '../shared/result';
import type { AiSystemCommand, AiSystemCommandType } from './commands';
import type { AiSystemError } from './errors';

export type RoleGovernedCommandType = Exclude<AiSystemCommandType, 'DecideHumanTask'>;

export const COMMAND_ROLES: Readonly<Record<RoleGovernedCommandType, readonly AimsRole[]>> = {
  RegisterAiSystem: ['aims_owner', 'engineer'],
  SubmitImpactAssessment: ['engineer', 'risk_owner', 'aims_owner'],
  RecordDataset: ['engineer', 'ci'],
  RecordDataQualityCheck: ['engineer', 'ci'],
  ProposeModelVersion: ['engineer', 'ci'],
  RecordValidationResults: ['engineer', 'ci'],
  EvaluateAcceptanceCriteria: ['engineer', 'ci'],
  RequestDeployment: ['ci', 'engineer'],
  RecordDeploymentCompleted: ['ci', 'engineer'],
  RecordMonitoringReport: ['ci', 'engineer'],
  ReportIncident: ['engineer', 'ci', 'risk_owner', 'aims_owner'],
  RecordMonitoringReviewDue: ['aims_owner'],
  RecordCorrectiveActionNotStarted: ['aims_owner'],
  CloseNonconformity: ['risk_owner', 'aims_owner'],
  RecordChange: ['engineer', 'aims_owner'],
  RequestDecommissioning: ['engineer', 'aims_owner'],
  CompleteDecommissioning: ['engineer', 'aims_owner'],
  SendHumanTaskReminder: ['aims_owner'],
  EscalateHumanTask: ['aims_owner'],
};

/** The roles that may issue a command type; for `DecideHumanTask` it depends on the task (null). */
export function rolesForCommand(type: AiSystemCommandType): readonly AimsRole[] | null {
  return type === 'DecideHumanTask' ? null : COMMAND_ROLES[type];
}

/**
 * The role `by` acts under for a command of this type, or MISSING_ROLE naming the roles needed.
 * Expects an actor that passed `actorProblem`.
 */
export function commandAuthority(type: RoleGovernedCommandType, by: Actor): Result<ActorRef, AiSystemError> {
  const roles = COMMAND_ROLES[type];
  const problem = actorProblem(by);
  if (problem) return err(domainError('INVALID_ACTOR', problem, { command: type }));
  if (!roles.some((r) => by.roles.includes(r))) {
    return err(
      domainError('MISSING_ROLE', `${by.id} cannot issue ${type}: it needs one of the roles ${roles.join(', ')}.`, {
        command: type,
        actorId: by.id,
        actorRoles: [...by.roles],
        requiredRoles: [...roles],
      }),
    );
  }
  return ok(actingAs(by, roles));
}

/** The role check of a whole command: null when its actor may issue it (or it is the system's own step). */
export function commandRoleProblem(command: AiSystemCommand): AiSystemError | null {
  if (command.type === 'DecideHumanTask' || command.by === undefined) return null;
  // A type outside the union (from an untyped caller) is refused later as UNKNOWN_COMMAND.
  if (!Object.prototype.hasOwnProperty.call(COMMAND_ROLES, command.type)) return null;
  const r = commandAuthority(command.type, command.by);
  return r.ok ? null : r.error;
}
