/**
 * AI objectives (ISO/IEC 42001 6.2, A.6.1.2, A.9.3) and their measurement (9.1). One process per objective,
 * id and stream `objective-<id>`. An objective serves a commitment of the AI policy (its text, or a reference
 * to the controlled document that states it), names one measure (computed from the evidence, or `manual:<name>`
 * entered by a person through a measurement task), a target and a direction, a due date, an owner and how
 * often it is measured. When a measurement misses the target the objective opens what its setting says: an
 * improvement action (10.1) or a nonconformity (10.2). Commands, events and state are plain JSON.
 */
import type { HumanTask } from '../shared/human-task';
import type { ActorRef, Actor, AimsRole } from '../shared/roles';

export const OBJECTIVE_CATEGORY = 'objective';
export const objectiveWorkflowId = (id: string): string => `${OBJECTIVE_CATEGORY}-${id}`;
export const objectiveStream = objectiveWorkflowId;
/** Short enough that the ids it derives for its actions (`<id>-off-<n>`) stay within every process's id rule. */
export const OBJECTIVE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const OBJECTIVE_ACTOR: ActorRef = { id: 'aims:objective', role: 'system' };

/** Who sets, revises and withdraws objectives: top management sets them (5.1, 6.2), the AIMS owner keeps them. */
export const OBJECTIVE_SETTER_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management'];
/** Besides the objective's owner, who may enter a manual measurement. */
export const MANUAL_MEASUREMENT_ROLES: readonly AimsRole[] = ['aims_owner'];

export const OBJECTIVE_DIRECTIONS = ['at_least', 'at_most'] as const;
export type ObjectiveDirection = (typeof OBJECTIVE_DIRECTIONS)[number];
export const OFF_TARGET_ACTION_KINDS = ['action', 'nonconformity'] as const;
export type OffTargetActionKind = (typeof OFF_TARGET_ACTION_KINDS)[number];
export const OFF_TARGET_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type OffTargetSeverity = (typeof OFF_TARGET_SEVERITIES)[number];

/** Shortest and longest measurement interval: no busier than hourly, at least once a year. */
export const MIN_INTERVAL_MS = 3_600_000;
export const MAX_INTERVAL_MS = 366 * 86_400_000;
/** Measurements the state keeps (the trend's window); older ones stay in the evidence. */
export const KEPT_MEASUREMENTS = 12;
export const MEASUREMENT_TASK_KIND = 'objective_measurement';

/** The policy commitment an objective serves: its words, a controlled document, or both. */
export type PolicyCommitment = { text: string | null; documentRef: string | null };

export type ObjectiveDefinition = {
  title: string;
  commitment: PolicyCommitment;
  measureId: string;
  target: number;
  direction: ObjectiveDirection;
  /** A calendar date (YYYY-MM-DD) or an instant. */
  dueDate: string;
  /** Actor id of the person answerable for it. */
  owner: string;
  /** ISO 8601 duration of fixed-length units (`P7D`, `PT12H`). */
  interval: string;
  offTargetAction: OffTargetActionKind;
  /** The severity a nonconformity it raises carries (ignored for an improvement action). */
  offTargetSeverity: OffTargetSeverity;
};

export type Measurement = {
  sequence: number;
  measureId: string;
  value: number | null;
  reason: string | null;
  target: number;
  direction: ObjectiveDirection;
  onTarget: boolean;
  /** The evidence position the value was computed at (null for a manual entry). */
  position: number | null;
  evidence: string[];
  by: ActorRef;
  at: string;
};

export type OpenedAction = { kind: OffTargetActionKind; actionId: string; sequence: number; at: string };

export type Objective = {
  objectiveId: string;
  status: 'active' | 'withdrawn';
  revision: number;
  definition: ObjectiveDefinition;
  setBy: ActorRef;
  setAt: string;
  /** When the process next measures (or, for a manual measure, opens a measurement task); null when it waits. */
  nextMeasurementAt: string | null;
  measurementCount: number;
  /** The latest measurements, oldest first, at most KEPT_MEASUREMENTS. */
  measurements: Measurement[];
  /** True after a measurement that missed the target, until one meets it: an action opens on the way in only. */
  offTarget: boolean;
  actions: OpenedAction[];
  tasks: HumanTask<typeof MEASUREMENT_TASK_KIND>[];
  withdrawn: { reason: string; by: ActorRef; at: string } | null;
};
export type ObjectiveState = Objective | null;

// ---------- commands ----------

export type SetAiObjective = { type: 'SetAiObjective'; objectiveId: string; by: Actor; at: string } & ObjectiveDefinition;
export type WithdrawAiObjective = { type: 'WithdrawAiObjective'; reason: string; by: Actor; at: string };
/** The process's own step on its timer, with the figure an activity computed from the evidence. */
export type MeasureObjective = {
  type: 'MeasureObjective';
  measureId: string;
  value: number | null;
  reason: string | null;
  position: number;
  evidence: string[];
  at: string;
};
/** The process's own step on its timer for a manual measure: a measurement task for the owner. */
export type OpenMeasurementTask = { type: 'OpenMeasurementTask'; at: string };
export type RecordManualMeasurement = {
  type: 'RecordManualMeasurement';
  value: number;
  note: string | null;
  evidenceRefs: string[];
  by: Actor;
  at: string;
};
export type ObjectiveCommand = SetAiObjective | WithdrawAiObjective | MeasureObjective | OpenMeasurementTask | RecordManualMeasurement;

// ---------- events ----------

export type AiObjectiveSet = {
  type: 'AiObjectiveSet';
  objectiveId: string;
  /** 1 when first set; each revision counts up. */
  revision: number;
  by: ActorRef;
  at: string;
} & ObjectiveDefinition;
export type ObjectiveMeasured = {
  type: 'ObjectiveMeasured';
  objectiveId: string;
  sequence: number;
  measureId: string;
  value: number | null;
  reason: string | null;
  target: number;
  direction: ObjectiveDirection;
  onTarget: boolean;
  position: number | null;
  evidence: string[];
  note: string | null;
  by: ActorRef;
  at: string;
};
export type ObjectiveOffTargetActionOpened = {
  type: 'ObjectiveOffTargetActionOpened';
  objectiveId: string;
  kind: OffTargetActionKind;
  /** The improvement's or the nonconformity's id, derived from the objective and the measurement. */
  actionId: string;
  sequence: number;
  severity: OffTargetSeverity | null;
  description: string;
  owner: string;
  by: ActorRef;
  at: string;
};
export type AiObjectiveWithdrawn = { type: 'AiObjectiveWithdrawn'; objectiveId: string; reason: string; by: ActorRef; at: string };
export type MeasurementTaskOpened = {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: typeof MEASUREMENT_TASK_KIND;
  requiredRoles: AimsRole[];
  subject: { type: 'objective'; objectiveId: string; measureId: string };
  requestedBy: null;
  /** The objective's owner: the task is in their inbox whatever their roles (absent in tasks opened before it was named). */
  assignee?: string;
  dueAt: string;
  by: ActorRef;
  at: string;
};
/** A manual measurement answers the open task; a withdrawal closes it without one. */
export type MeasurementTaskDecided = {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: typeof MEASUREMENT_TASK_KIND;
  outcome: 'approved';
  reasons: string[];
  by: ActorRef;
  at: string;
};
export type MeasurementTaskSuperseded = { type: 'HumanTaskSuperseded'; taskId: string; reason: string; by: ActorRef; at: string };

export type ObjectiveEvent =
  | AiObjectiveSet
  | ObjectiveMeasured
  | ObjectiveOffTargetActionOpened
  | AiObjectiveWithdrawn
  | MeasurementTaskOpened
  | MeasurementTaskDecided
  | MeasurementTaskSuperseded;
export type ObjectiveEventType = ObjectiveEvent['type'];
