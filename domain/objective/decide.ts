/**
 * The objective as a decider: who sets, revises and withdraws it, when it is measured and what a missed
 * target opens. Every rule and refusal is here; the workflow only supplies the clock and the figures.
 */
import { isMeasureId, isManualMeasureId } from '../measures/measures';
import { domainError, type DomainError } from '../shared/domain-error';
import { addMilliseconds, isDueDate, isInstant, parseFixedDuration } from '../shared/iso-time';
import { err, ok, type Result } from '../shared/result';
import { actorProblem, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { validationFailed, type ValidationIssue } from '../shared/validation';
import {
  MANUAL_MEASUREMENT_ROLES,
  MAX_INTERVAL_MS,
  MEASUREMENT_TASK_KIND,
  MIN_INTERVAL_MS,
  OBJECTIVE_ACTOR,
  OBJECTIVE_DIRECTIONS,
  OBJECTIVE_ID,
  OBJECTIVE_SETTER_ROLES,
  OFF_TARGET_ACTION_KINDS,
  OFF_TARGET_SEVERITIES,
  type Objective,
  type ObjectiveCommand,
  type ObjectiveDefinition,
  type ObjectiveDirection,
  type ObjectiveEvent,
  type ObjectiveMeasured,
  type ObjectiveState,
  type SetAiObjective,
} from './model';
import { requireRoles } from '../shared/require-roles';

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

/** Whether a value meets the target; a value exactly at the target meets it. */
export const meetsTarget = (value: number, target: number, direction: ObjectiveDirection): boolean =>
  direction === 'at_least' ? value >= target : value <= target;

function roleOf(by: Actor | undefined, roles: readonly AimsRole[], step: string): Result<ActorRef, DomainError> {
  return requireRoles(by, roles, step, step);
}

/** Every problem of a definition, each at its field. */
export function definitionIssues(c: SetAiObjective): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (typeof c.objectiveId !== 'string' || !OBJECTIVE_ID.test(c.objectiveId))
    issues.push({ field: 'objectiveId', problem: 'must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit' });
  if (!isText(c.title, 500)) issues.push({ field: 'title', problem: 'must be a non-empty string of at most 500 characters' });
  const commitment = c.commitment as unknown;
  if (typeof commitment !== 'object' || commitment === null) {
    issues.push({ field: 'commitment', problem: 'must name the policy commitment: its text, a document reference, or both' });
  } else {
    const { text, documentRef } = c.commitment;
    if (text !== null && !isText(text, 2000)) issues.push({ field: 'commitment.text', problem: 'must be null or a non-empty string' });
    if (documentRef !== null && !isText(documentRef, 200))
      issues.push({ field: 'commitment.documentRef', problem: 'must be null or a document reference' });
    if (text === null && documentRef === null)
      issues.push({ field: 'commitment', problem: 'must name the policy commitment: its text, a document reference, or both' });
  }
  if (!isMeasureId(c.measureId))
    issues.push({ field: 'measureId', problem: 'must be a computed measure (see GET /v1/measures) or manual:<name>' });
  if (typeof c.target !== 'number' || !Number.isFinite(c.target)) issues.push({ field: 'target', problem: 'must be a finite number' });
  if (!oneOf(OBJECTIVE_DIRECTIONS, c.direction))
    issues.push({ field: 'direction', problem: `must be one of ${OBJECTIVE_DIRECTIONS.join(', ')}` });
  if (!isDueDate(c.dueDate)) issues.push({ field: 'dueDate', problem: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant' });
  if (!isText(c.owner, 200)) issues.push({ field: 'owner', problem: "must be the owner's id" });
  const interval = typeof c.interval === 'string' ? parseFixedDuration(c.interval) : null;
  if (interval === null || interval < MIN_INTERVAL_MS || interval > MAX_INTERVAL_MS)
    issues.push({ field: 'interval', problem: 'must be an ISO 8601 duration of fixed units between PT1H and P366D' });
  if (!oneOf(OFF_TARGET_ACTION_KINDS, c.offTargetAction))
    issues.push({ field: 'offTargetAction', problem: `must be one of ${OFF_TARGET_ACTION_KINDS.join(', ')}` });
  if (!oneOf(OFF_TARGET_SEVERITIES, c.offTargetSeverity))
    issues.push({ field: 'offTargetSeverity', problem: `must be one of ${OFF_TARGET_SEVERITIES.join(', ')}` });
  return issues;
}

const definitionOf = (c: SetAiObjective): ObjectiveDefinition => ({
  title: c.title,
  commitment: { text: c.commitment.text, documentRef: c.commitment.documentRef },
  measureId: c.measureId,
  target: c.target,
  direction: c.direction,
  dueDate: c.dueDate,
  owner: c.owner,
  interval: c.interval,
  offTargetAction: c.offTargetAction,
  offTargetSeverity: c.offTargetSeverity,
});

const withdrawnError = (s: Objective): DomainError =>
  domainError('OBJECTIVE_WITHDRAWN', `Objective ${s.objectiveId} was withdrawn.`, { objectiveId: s.objectiveId });

/**
 * The measurement and what it leads to: a value that misses the target, after one that met it (or none),
 * opens the objective's action. A measure that cannot be computed (null) neither meets nor misses it.
 */
function measured(
  s: Objective,
  m: { measureId: string; value: number | null; reason: string | null; position: number | null; evidence: string[]; note: string | null },
  by: ActorRef,
  at: string,
): ObjectiveEvent[] {
  const d = s.definition;
  const sequence = s.measurementCount + 1;
  const onTarget = m.value !== null && meetsTarget(m.value, d.target, d.direction);
  const event: ObjectiveMeasured = {
    type: 'ObjectiveMeasured',
    objectiveId: s.objectiveId,
    sequence,
    measureId: m.measureId,
    value: m.value,
    reason: m.value === null ? (m.reason ?? 'not computable') : null,
    target: d.target,
    direction: d.direction,
    onTarget,
    position: m.position,
    evidence: m.evidence,
    note: m.note,
    by,
    at,
  };
  if (m.value === null || onTarget || s.offTarget) return [event];
  const comparison = d.direction === 'at_least' ? 'at least' : 'at most';
  return [
    event,
    {
      type: 'ObjectiveOffTargetActionOpened',
      objectiveId: s.objectiveId,
      kind: d.offTargetAction,
      actionId: `${s.objectiveId}-off-${sequence}`,
      sequence,
      severity: d.offTargetAction === 'nonconformity' ? d.offTargetSeverity : null,
      description: `AI objective "${d.title}" missed its target: ${m.measureId} measured ${m.value}, target ${comparison} ${d.target} (measurement ${sequence}).`,
      owner: d.owner,
      by: OBJECTIVE_ACTOR,
      at,
    },
  ];
}

export function decideObjective(c: ObjectiveCommand, s: ObjectiveState): Result<ObjectiveEvent[], DomainError> {
  if (c.type === 'SetAiObjective') {
    const who = roleOf(c.by, OBJECTIVE_SETTER_ROLES, 'set an AI objective');
    if (!who.ok) return who;
    if (s !== null && s.status === 'withdrawn') return err(withdrawnError(s));
    if (s !== null && c.objectiveId !== s.objectiveId)
      return err(validationFailed('SetAiObjective', [{ field: 'objectiveId', problem: `must be ${s.objectiveId}` }]));
    const issues = definitionIssues(c);
    if (!isInstant(c.at)) issues.push({ field: 'at', problem: 'must be an ISO 8601 instant' });
    if (issues.length > 0) return err(validationFailed('SetAiObjective', issues));
    return ok([
      { type: 'AiObjectiveSet', objectiveId: c.objectiveId, revision: (s?.revision ?? 0) + 1, ...definitionOf(c), by: who.value, at: c.at },
    ]);
  }
  if (s === null) return err(domainError('OBJECTIVE_NOT_SET', 'The objective is not set.', {}));
  if (s.status === 'withdrawn') return err(withdrawnError(s));
  const openTasks = s.tasks.filter((t) => t.status === 'open');
  switch (c.type) {
    case 'WithdrawAiObjective': {
      const who = roleOf(c.by, OBJECTIVE_SETTER_ROLES, 'withdraw an AI objective');
      if (!who.ok) return who;
      if (!isText(c.reason, 2000))
        return err(validationFailed('WithdrawAiObjective', [{ field: 'reason', problem: 'must be a non-empty string' }]));
      return ok([
        ...openTasks.map((t): ObjectiveEvent => ({
          type: 'HumanTaskSuperseded',
          taskId: t.taskId,
          reason: 'the objective was withdrawn',
          by: OBJECTIVE_ACTOR,
          at: c.at,
        })),
        { type: 'AiObjectiveWithdrawn', objectiveId: s.objectiveId, reason: c.reason, by: who.value, at: c.at },
      ]);
    }
    case 'MeasureObjective': {
      if (isManualMeasureId(s.definition.measureId) || c.measureId !== s.definition.measureId)
        return err(
          domainError('MEASURE_MISMATCH', `Objective ${s.objectiveId} is measured by ${s.definition.measureId}, not ${c.measureId}.`, {
            measureId: s.definition.measureId,
          }),
        );
      return ok(measured(s, { ...c, note: null }, OBJECTIVE_ACTOR, c.at));
    }
    case 'OpenMeasurementTask': {
      if (!isManualMeasureId(s.definition.measureId) || openTasks.length > 0)
        return err(domainError('MEASUREMENT_TASK_NOT_DUE', 'No measurement task is due for this objective.', {}));
      const dueMs = parseFixedDuration(s.definition.interval) ?? MIN_INTERVAL_MS;
      return ok([
        {
          type: 'HumanTaskOpened',
          // The inbox finds a task by its id alone: the objective's id makes it unique across objectives.
          taskId: `${s.objectiveId}-measure-${s.measurementCount + 1}`,
          kind: MEASUREMENT_TASK_KIND,
          requiredRoles: [...MANUAL_MEASUREMENT_ROLES],
          subject: { type: 'objective', objectiveId: s.objectiveId, measureId: s.definition.measureId },
          requestedBy: null,
          assignee: s.definition.owner,
          dueAt: addMilliseconds(c.at, dueMs),
          by: OBJECTIVE_ACTOR,
          at: c.at,
        },
      ]);
    }
    case 'RecordManualMeasurement': {
      const problem = actorProblem(c.by);
      if (problem !== null) return err(domainError('INVALID_ACTOR', problem, {}));
      const role = c.by.id === s.definition.owner ? c.by.roles[0] : MANUAL_MEASUREMENT_ROLES.find((r) => c.by.roles.includes(r));
      if (role === undefined)
        return err(
          domainError('NOT_OBJECTIVE_OWNER', `${c.by.id} cannot measure it: only its owner ${s.definition.owner} or the AIMS owner can.`, {
            actorId: c.by.id,
            owner: s.definition.owner,
          }),
        );
      if (!isManualMeasureId(s.definition.measureId))
        return err(
          domainError('MEASURE_COMPUTED', `Objective ${s.objectiveId} is measured from the evidence (${s.definition.measureId}).`, {
            measureId: s.definition.measureId,
          }),
        );
      const issues: ValidationIssue[] = [];
      if (typeof c.value !== 'number' || !Number.isFinite(c.value)) issues.push({ field: 'value', problem: 'must be a finite number' });
      if (c.note !== null && !isText(c.note, 2000)) issues.push({ field: 'note', problem: 'must be null or a non-empty string' });
      if (!Array.isArray(c.evidenceRefs) || !c.evidenceRefs.every((r) => isText(r, 500)))
        issues.push({ field: 'evidenceRefs', problem: 'must be a list of references' });
      if (issues.length > 0) return err(validationFailed('RecordManualMeasurement', issues));
      const by: ActorRef = { id: c.by.id, role };
      const closes = openTasks.map((t): ObjectiveEvent => ({
        type: 'HumanTaskDecided',
        taskId: t.taskId,
        kind: MEASUREMENT_TASK_KIND,
        outcome: 'approved',
        reasons: [],
        by,
        at: c.at,
      }));
      const m = { measureId: s.definition.measureId, value: c.value, reason: null, position: null, evidence: c.evidenceRefs, note: c.note };
      return ok([...closes, ...measured(s, m, by, c.at)]);
    }
  }
}
