/**
 * Who may issue each command (clause 5.3, A.3.2). Human-task decisions are governed by the task's own
 * roles (the policy's `taskRoles`, plus the AIMS owner once escalated); every other command by this table.
 * The first role of a row the actor holds is the role recorded in the evidence, so the order is the
 * preference. `auditor` appears nowhere: it is read-only. `admin` administers the engine, not the AIMS.
 *
 * Automatic commands (timers, checks) act as the system when they carry no actor; when a person issues
 * one, this table applies to them like to any other command.
 *
 * Segregation of duties (A.3.2): nobody decides a task about their own work. `decisionConflicts` names,
 * per task subject, everyone whose act the decision judges; the human-task check refuses any of them
 * (SEGREGATION_OF_DUTIES, naming the conflict), comparing normalised identities (domain/shared/actor-identity).
 */
import { actingAs, actorProblem, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { domainError } from '../shared/domain-error';
import type { DutyConflict } from '../shared/human-task';
import { assertNever, err, ok, type Result } from '../shared/result';
import type { AiSystemCommand, AiSystemCommandType } from './commands';
import type { AiSystemError } from './errors';
import type { AiSystemRecord, AiSystemTask } from './model';
import { findDeploymentRequest, findImpactAssessment, findValidation, findVersion } from './queries';

export type RoleGovernedCommandType = Exclude<AiSystemCommandType, 'DecideHumanTask'>;

export const COMMAND_ROLES: Readonly<Record<RoleGovernedCommandType, readonly AimsRole[]>> = {
  RegisterAiSystem: ['aims_owner', 'engineer'],
  // Applies what the organisation approved (its content comes from the evidence): the AIMS's governors.
  ApplyLifecyclePolicy: ['aims_owner', 'top_management'],
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
  RecordResources: ['engineer', 'aims_owner'],
  RequestDecommissioning: ['engineer', 'aims_owner'],
  CompleteDecommissioning: ['engineer', 'aims_owner'],
  SendHumanTaskReminder: ['aims_owner'],
  EscalateHumanTask: ['aims_owner'],
  RecordRiskPosture: ['risk_owner', 'aims_owner'],
  RecordAimsScopeDecision: ['aims_owner', 'top_management'],
  NoteAiPolicyAtGate: ['aims_owner'],
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

/** The acts that bar a person from deciding a lifecycle task (`details.conflict` of SEGREGATION_OF_DUTIES). */
export type AiSystemDutyConflict =
  // confirming the risk tier (policy-governance.ts): whoever registered the system proposed it
  | 'system_registrant'
  | 'impact_assessment_author'
  | 'validation_results_recorder'
  | 'model_version_proposer'
  | 'deployment_requester'
  | 'deployment_triggered_by'
  | 'decommissioning_requester';

const conflict = (identity: string, kind: AiSystemDutyConflict, act: string): DutyConflict => ({ identity, conflict: kind, act });

/** Whoever proposed the version: its author may not judge it (validation sign-off, deployment approval). */
function versionAuthor(s: AiSystemRecord, modelVersion: string): DutyConflict[] {
  const v = findVersion(s, modelVersion);
  return v ? [conflict(v.proposedBy.id, 'model_version_proposer', `proposed model version ${modelVersion}`)] : [];
}

/**
 * Everyone who may not decide `task` because the decision judges their own act. The task's requester is
 * added by the human-task check itself; the subject's own authors are named here so the refusal says
 * which act conflicts. The validation's datasets are not authorship of the model and are not listed.
 */
export function decisionConflicts(task: AiSystemTask, s: AiSystemRecord): DutyConflict[] {
  const subject = task.subject;
  switch (subject.type) {
    case 'impact_assessment': {
      const ia = findImpactAssessment(s, subject.assessmentId);
      return ia ? [conflict(ia.submittedBy.id, 'impact_assessment_author', `submitted impact assessment ${ia.assessmentId}`)] : [];
    }
    case 'validation': {
      const v = findValidation(s, subject.validationId);
      return [
        ...(v ? [conflict(v.submittedBy.id, 'validation_results_recorder', `recorded the results of validation ${v.validationId}`)] : []),
        ...versionAuthor(s, subject.modelVersion),
      ];
    }
    case 'deployment': {
      const r = findDeploymentRequest(s, subject.requestId);
      if (!r) return versionAuthor(s, subject.modelVersion);
      return [
        conflict(r.requestedBy.id, 'deployment_requester', `requested deployment ${r.requestId}`),
        ...(typeof r.triggeredBy === 'string'
          ? [conflict(r.triggeredBy, 'deployment_triggered_by', `started the pipeline run behind deployment ${r.requestId}`)]
          : []),
        ...versionAuthor(s, r.modelVersion),
      ];
    }
    case 'decommissioning':
      return s.decommissioning !== null && s.decommissioning.requestId === subject.requestId
        ? [conflict(s.decommissioning.requestedBy.id, 'decommissioning_requester', `requested decommissioning ${subject.requestId}`)]
        : [];
    case 'monitoring_review':
    case 'corrective_action_start':
      // The process opens these by itself (its schedule, a child that could not start): nobody authored them.
      return [];
    default:
      return assertNever(subject, 'task subject');
  }
}
