/**
 * Building blocks several features share: the actor an event records, ids already taken, stage changes,
 * opening a task, the refusals worded the same everywhere, and immutable updates of the record's lists.
 */
import { actingAs, SYSTEM_ACTOR, type Actor, type ActorRef } from '../../shared/roles';
import { addMilliseconds } from '../../shared/iso-time';
import { domainError } from '../../shared/domain-error';
import { COMMAND_ROLES, type RoleGovernedCommandType } from '../authority';
import type { AiSystemCommandType } from '../commands';
import { aiSystemError, invalid, type AiSystemError } from '../errors';
import type * as E from '../events';
import type {
  AiSystemRecord,
  AiSystemTask,
  AiSystemTaskKind,
  AiSystemTaskSubject,
  DatasetRecord,
  DeploymentRequestRecord,
  ImpactAssessmentRecord,
  LifecycleStage,
  MetricCriterion,
  ModelVersionRecord,
  ValidationRecord,
} from '../model';
import { DEFAULT_LIFECYCLE_POLICY } from '../policy';
import { findTask } from '../queries';

/** The role a person acts under for a command (first of its `COMMAND_ROLES` they hold); the system's own steps carry no person. */
export const actorOf = (c: { type: RoleGovernedCommandType; by?: Actor }): ActorRef =>
  c.by ? actingAs(c.by, COMMAND_ROLES[c.type]) : SYSTEM_ACTOR;

export const duplicate = (kind: string, id: string): AiSystemError =>
  aiSystemError('DUPLICATE_ID', `A ${kind} with id ${id} already exists for this AI system.`, { kind, id });

/** Why `taskId` (the command's `field`) cannot name a new task, or null. */
export function taskIdProblem(s: AiSystemRecord, command: AiSystemCommandType, taskId: string, field: string): AiSystemError | null {
  if (typeof taskId !== 'string' || taskId.trim() === '') return invalid(command, [{ field, problem: 'must be a non-empty string' }]);
  return findTask(s, taskId) ? duplicate('human task', taskId) : null;
}

export function stageChange(s: AiSystemRecord, to: LifecycleStage, cause: string, by: ActorRef, at: string): E.LifecycleStageChanged[] {
  return s.stage === to ? [] : [{ type: 'LifecycleStageChanged', from: s.stage, to, cause, by, at }];
}

/** A task for the roles the policy gives its kind, due after the policy's response time. */
export function openTask(
  s: AiSystemRecord,
  t: { taskId: string; kind: AiSystemTaskKind; subject: AiSystemTaskSubject; requestedBy: string | null },
  by: ActorRef,
  at: string,
): E.HumanTaskOpened {
  return {
    type: 'HumanTaskOpened',
    taskId: t.taskId,
    kind: t.kind,
    // A policy recorded before a task kind existed has no entry for it: the default applies.
    requiredRoles: [...(s.policy.taskRoles[t.kind] ?? DEFAULT_LIFECYCLE_POLICY.taskRoles[t.kind])],
    subject: t.subject,
    requestedBy: t.requestedBy,
    dueAt: addMilliseconds(at, s.policy.taskResponseTimeMs[t.kind] ?? DEFAULT_LIFECYCLE_POLICY.taskResponseTimeMs[t.kind]),
    by,
    at,
  };
}

/** Closes an open task the state no longer supports; the system does it, not a person. */
export const supersede = (taskId: string, reason: string, at: string): E.HumanTaskSuperseded => ({
  type: 'HumanTaskSuperseded',
  taskId,
  reason,
  by: SYSTEM_ACTOR,
  at,
});

/** A decision on a task whose subject has moved on (the task is then closed by reconciliation). */
export function supersededSubject(t: AiSystemTask, why: string): AiSystemError {
  return domainError('HUMAN_TASK_SUPERSEDED', `Task ${t.taskId} concerns something that has been superseded (${why}).`, {
    taskId: t.taskId,
    kind: t.kind,
    subject: t.subject,
  });
}

export function notInStage(command: string, s: AiSystemRecord, allowed: LifecycleStage[]): AiSystemError {
  return aiSystemError(
    'COMMAND_NOT_ALLOWED_IN_STAGE',
    `${command} is not possible while the AI system is in ${s.stage}; it needs ${allowed.join(' or ')}.`,
    { command, stage: s.stage, allowedStages: allowed },
  );
}

export function invalidDigest(digest: unknown): AiSystemError {
  return aiSystemError('INVALID_ARTIFACT_DIGEST', `"${String(digest)}" is not an artifact digest of the form sha256:<64 lowercase hex>.`, {
    artifactDigest: typeof digest === 'string' ? digest : null,
  });
}

export const copyCriterion = (x: MetricCriterion): MetricCriterion => ({
  metric: x.metric,
  direction: x.direction,
  threshold: x.threshold,
});

// ---------- Immutable updates of the record ----------

export const mapWhere = <T>(list: T[], match: (x: T) => boolean, update: (x: T) => T): T[] => list.map((x) => (match(x) ? update(x) : x));

export const updateTask = (s: AiSystemRecord, taskId: string, update: (t: AiSystemTask) => AiSystemTask): AiSystemRecord => ({
  ...s,
  tasks: mapWhere(s.tasks, (t) => t.taskId === taskId, update),
});
export const updateAssessment = (
  s: AiSystemRecord,
  id: string,
  update: (a: ImpactAssessmentRecord) => ImpactAssessmentRecord,
): AiSystemRecord => ({
  ...s,
  impactAssessments: mapWhere(s.impactAssessments, (a) => a.assessmentId === id, update),
});
export const updateValidation = (s: AiSystemRecord, id: string, update: (v: ValidationRecord) => ValidationRecord): AiSystemRecord => ({
  ...s,
  validations: mapWhere(s.validations, (v) => v.validationId === id, update),
});
export const updateRequest = (
  s: AiSystemRecord,
  id: string,
  update: (r: DeploymentRequestRecord) => DeploymentRequestRecord,
): AiSystemRecord => ({
  ...s,
  deploymentRequests: mapWhere(s.deploymentRequests, (r) => r.requestId === id, update),
});
export const updateVersion = (s: AiSystemRecord, v: string, update: (r: ModelVersionRecord) => ModelVersionRecord): AiSystemRecord => ({
  ...s,
  versions: mapWhere(s.versions, (r) => r.modelVersion === v, update),
});
export const updateDataset = (s: AiSystemRecord, id: string, update: (d: DatasetRecord) => DatasetRecord): AiSystemRecord => ({
  ...s,
  datasets: mapWhere(s.datasets, (d) => d.datasetId === id, update),
});
