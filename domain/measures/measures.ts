/**
 * The AIMS's computed measures (ISO/IEC 42001 9.1, 6.2): each one a streaming fold over the evidence up to a
 * point, so the caller reads the store once, page by page, and memory grows with the number of systems,
 * tasks and actions the measures keep track of, never with the number of events stored. Pure: the caller
 * brings the evidence (already cut at the position or time it wants) and the instant `asOf` the figures are
 * for (what counts as overdue or lapsed depends on it).
 *
 * Each result carries its value (null, with the reason, when the evidence cannot give one), and the ids of
 * the evidence it rests on, so a measurement recorded as evidence can be traced back to the facts.
 */
import type { JsonObject, JsonValue } from '../shared/json';
import { dueInstant, parseInstant } from '../shared/iso-time';

/** One piece of evidence as the folds read it: the stored envelope's fields that matter here. */
export type MeasureEvidence = {
  id: string;
  stream: string;
  type: string;
  position: number;
  recordedAt: string;
  data: JsonObject;
};

export const COMPUTED_MEASURE_IDS = [
  'production-impact-assessment-coverage',
  'deployment-decision-median-hours',
  'overdue-human-tasks',
  'corrective-actions-closed-on-time',
  'applicable-controls-operating',
  'open-nonconformities',
] as const;
export type ComputedMeasureId = (typeof COMPUTED_MEASURE_IDS)[number];

export const isComputedMeasureId = (v: unknown): v is ComputedMeasureId =>
  typeof v === 'string' && (COMPUTED_MEASURE_IDS as readonly string[]).includes(v);

/** A measure entered by a person through a measurement task: `manual:<name>`. */
export const MANUAL_MEASURE_ID = /^manual:[a-z0-9][a-z0-9._-]{0,62}$/;
export const isManualMeasureId = (v: unknown): boolean => typeof v === 'string' && MANUAL_MEASURE_ID.test(v);
export const isMeasureId = (v: unknown): boolean => isComputedMeasureId(v) || isManualMeasureId(v);

export type MeasureUnit = 'share' | 'hours' | 'count';

export type MeasureDefinition = { measureId: ComputedMeasureId; title: string; unit: MeasureUnit; clauses: string[] };

export const MEASURE_DEFINITIONS: Record<ComputedMeasureId, MeasureDefinition> = {
  'production-impact-assessment-coverage': {
    measureId: 'production-impact-assessment-coverage',
    title: 'Share of production AI systems with a current approved impact assessment',
    unit: 'share',
    clauses: ['9.1', '8.4', 'A.5.2'],
  },
  'deployment-decision-median-hours': {
    measureId: 'deployment-decision-median-hours',
    title: 'Median time from deployment request to decision, in hours',
    unit: 'hours',
    clauses: ['9.1', 'A.6.2.5'],
  },
  'overdue-human-tasks': {
    measureId: 'overdue-human-tasks',
    title: 'Open human tasks past their due time',
    unit: 'count',
    clauses: ['9.1', '5.3'],
  },
  'corrective-actions-closed-on-time': {
    measureId: 'corrective-actions-closed-on-time',
    title: 'Share of due corrective actions completed by their due date',
    unit: 'share',
    clauses: ['9.1', '10.2'],
  },
  'applicable-controls-operating': {
    measureId: 'applicable-controls-operating',
    title: 'Share of applicable controls attested as operating',
    unit: 'share',
    clauses: ['9.1', '6.1.3'],
  },
  'open-nonconformities': {
    measureId: 'open-nonconformities',
    title: 'Open nonconformities, by severity',
    unit: 'count',
    clauses: ['9.1', '10.2'],
  },
};

export type MeasureResult = {
  measureId: ComputedMeasureId;
  value: number | null;
  /** Why there is no value (null when there is one). */
  reason: string | null;
  unit: MeasureUnit;
  /** A value split by a dimension (open nonconformities by severity); empty when the measure has none. */
  breakdown: Record<string, number>;
  /** Ids of the evidence the value rests on, in log order. */
  evidence: string[];
};

/** Measures read only these event types (human tasks of every process among them); the store filters by them. */
export const MEASURED_EVENT_TYPES: readonly string[] = [
  'AiSystemRegistered',
  'LifecycleStageChanged',
  'ImpactAssessmentSubmitted',
  'ImpactAssessmentApproved',
  'ImpactAssessmentRejected',
  'ImpactAssessmentChangesRequested',
  'DeploymentRequested',
  'DeploymentApproved',
  'DeploymentBlocked',
  'HumanTaskOpened',
  'HumanTaskDecided',
  'HumanTaskSuperseded',
  'NonconformityRaised',
  'NonconformityClosed',
  'NonconformityReopened',
  'CorrectiveActionPlanSubmitted',
  'CorrectiveActionPlanApproved',
  'CorrectiveActionPlanRejected',
  'CorrectiveActionCompleted',
  'SoaRevisionProposed',
  'SoaRevisionApproved',
  'ControlStatusAttested',
];

// ---------- reading event data without trusting its shape ----------

const text = (d: JsonObject, key: string): string | null => {
  const v = d[key];
  return typeof v === 'string' ? v : null;
};
const instantOf = (e: MeasureEvidence): number => parseInstant(text(e.data, 'at') ?? '') ?? parseInstant(e.recordedAt) ?? 0;
const inCategory = (stream: string, category: string): boolean => stream.startsWith(`${category}-`);
const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;
const objects = (v: JsonValue | undefined): JsonObject[] =>
  Array.isArray(v) ? v.filter((x): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];

// ---------- the folds ----------

type SystemFacts = {
  inProduction: boolean;
  productionEvidence: string | null;
  assessment: 'approved' | 'other' | null;
  approval: string | null;
};
type DeploymentFacts = { requestedAt: number; requestEvidence: string };
type TaskFacts = { dueAt: number | null; openedEvidence: string };
type ActionFacts = { dueAt: number | null; approved: boolean; completedAt: number | null; evidence: string[] };
type NonconformityFacts = { severity: string; open: boolean; raisedEvidence: string };

/** What the folds keep: one entry per system, request, task, action, control and nonconformity seen. */
export type MeasuresFold = {
  lastPosition: number;
  systems: Map<string, SystemFacts>;
  pendingDeployments: Map<string, DeploymentFacts>;
  decisionHours: number[];
  decisionEvidence: string[];
  tasks: Map<string, TaskFacts>;
  /** key: nonconformity/round/plan/action */
  actions: Map<string, ActionFacts>;
  /** Planned actions per plan, until the plan is approved. */
  plannedActions: Map<string, { actionId: string; dueDate: string }[]>;
  soaRevisions: Map<string, { entries: { controlId: string; applicable: boolean }[]; evidence: string }>;
  soaInForce: { applicable: string[]; evidence: string } | null;
  attestations: Map<string, { status: string; reviewBy: string; evidence: string }>;
  nonconformities: Map<string, NonconformityFacts>;
};

export function startMeasures(): MeasuresFold {
  return {
    lastPosition: 0,
    systems: new Map(),
    pendingDeployments: new Map(),
    decisionHours: [],
    decisionEvidence: [],
    tasks: new Map(),
    actions: new Map(),
    plannedActions: new Map(),
    soaRevisions: new Map(),
    soaInForce: null,
    attestations: new Map(),
    nonconformities: new Map(),
  };
}

function systemOf(f: MeasuresFold, stream: string): SystemFacts {
  let s = f.systems.get(stream);
  if (s === undefined) {
    s = { inProduction: false, productionEvidence: null, assessment: null, approval: null };
    f.systems.set(stream, s);
  }
  return s;
}

function foldAiSystem(f: MeasuresFold, e: MeasureEvidence): void {
  const d = e.data;
  switch (e.type) {
    case 'AiSystemRegistered':
      systemOf(f, e.stream);
      return;
    case 'LifecycleStageChanged': {
      const s = systemOf(f, e.stream);
      s.inProduction = d.to === 'in_production';
      s.productionEvidence = s.inProduction ? e.id : null;
      return;
    }
    // The latest word on the assessment counts: a new submission (after a significant change, say) makes
    // the approved one no longer current until it is itself approved.
    case 'ImpactAssessmentSubmitted':
    case 'ImpactAssessmentRejected':
    case 'ImpactAssessmentChangesRequested': {
      const s = systemOf(f, e.stream);
      s.assessment = 'other';
      s.approval = null;
      return;
    }
    case 'ImpactAssessmentApproved': {
      const s = systemOf(f, e.stream);
      s.assessment = 'approved';
      s.approval = e.id;
      return;
    }
    case 'DeploymentRequested': {
      const requestId = text(d, 'requestId');
      if (requestId !== null) f.pendingDeployments.set(`${e.stream}/${requestId}`, { requestedAt: instantOf(e), requestEvidence: e.id });
      return;
    }
    case 'DeploymentApproved':
    case 'DeploymentBlocked': {
      const key = `${e.stream}/${text(d, 'requestId') ?? ''}`;
      const request = f.pendingDeployments.get(key);
      if (request === undefined) return;
      f.pendingDeployments.delete(key);
      f.decisionHours.push(Math.max(0, instantOf(e) - request.requestedAt) / 3_600_000);
      f.decisionEvidence.push(request.requestEvidence, e.id);
      return;
    }
    default:
      return;
  }
}

/** Human tasks of every process share the three event names and are known by stream and task id. */
function foldTasks(f: MeasuresFold, e: MeasureEvidence): void {
  const taskId = text(e.data, 'taskId');
  if (taskId === null) return;
  const key = `${e.stream}/${taskId}`;
  if (e.type === 'HumanTaskOpened') {
    f.tasks.set(key, { dueAt: parseInstant(text(e.data, 'dueAt') ?? ''), openedEvidence: e.id });
  } else if (e.type === 'HumanTaskDecided' || e.type === 'HumanTaskSuperseded') {
    // A closed task can never become overdue again: forget it, so memory follows the open work only.
    f.tasks.delete(key);
  }
}

const planKeyOf = (nc: string, d: JsonObject): string => `${nc}/${typeof d.round === 'number' ? d.round : '?'}/${text(d, 'planId') ?? ''}`;

function foldNonconformity(f: MeasuresFold, e: MeasureEvidence): void {
  const d = e.data;
  const nc = text(d, 'nonconformityId') ?? e.stream;
  switch (e.type) {
    case 'NonconformityRaised':
      f.nonconformities.set(nc, { severity: text(d, 'severity') ?? 'unknown', open: true, raisedEvidence: e.id });
      return;
    case 'NonconformityClosed': {
      const n = f.nonconformities.get(nc);
      if (n !== undefined) n.open = false;
      return;
    }
    case 'NonconformityReopened': {
      const n = f.nonconformities.get(nc);
      if (n !== undefined) n.open = true;
      return;
    }
    case 'CorrectiveActionPlanSubmitted': {
      const planned = objects(d.actions).flatMap((a) =>
        typeof a.actionId === 'string' && typeof a.dueDate === 'string' ? [{ actionId: a.actionId, dueDate: a.dueDate }] : [],
      );
      f.plannedActions.set(`${planKeyOf(nc, d)}`, planned);
      return;
    }
    case 'CorrectiveActionPlanApproved': {
      const planKey = `${planKeyOf(nc, d)}`;
      for (const a of f.plannedActions.get(planKey) ?? [])
        f.actions.set(`${planKey}/${a.actionId}`, { dueAt: dueInstant(a.dueDate), approved: true, completedAt: null, evidence: [e.id] });
      f.plannedActions.delete(planKey);
      return;
    }
    case 'CorrectiveActionPlanRejected':
      f.plannedActions.delete(`${planKeyOf(nc, d)}`);
      return;
    case 'CorrectiveActionCompleted': {
      const a = f.actions.get(`${planKeyOf(nc, d)}/${text(d, 'actionId') ?? ''}`);
      if (a !== undefined && a.completedAt === null) {
        a.completedAt = instantOf(e);
        a.evidence.push(e.id);
      }
      return;
    }
    default:
      return;
  }
}

function foldSoa(f: MeasuresFold, e: MeasureEvidence): void {
  const d = e.data;
  switch (e.type) {
    case 'SoaRevisionProposed': {
      const revisionId = text(d, 'revisionId');
      if (revisionId === null) return;
      const entries = objects(d.entries).flatMap((x) =>
        typeof x.controlId === 'string' ? [{ controlId: x.controlId, applicable: x.applicable === true }] : [],
      );
      f.soaRevisions.set(revisionId, { entries, evidence: e.id });
      return;
    }
    case 'SoaRevisionApproved': {
      const revision = f.soaRevisions.get(text(d, 'revisionId') ?? '');
      if (revision === undefined) return;
      f.soaInForce = { applicable: revision.entries.filter((x) => x.applicable).map((x) => x.controlId), evidence: e.id };
      // Earlier revisions can no longer come into force; only the proposals still open are kept.
      f.soaRevisions.clear();
      return;
    }
    case 'ControlStatusAttested': {
      const controlId = text(d, 'controlId');
      if (controlId !== null)
        f.attestations.set(controlId, { status: text(d, 'status') ?? '', reviewBy: text(d, 'reviewBy') ?? '', evidence: e.id });
      return;
    }
    default:
      return;
  }
}

/** Folds one piece of evidence into every measure; evidence must come in log order. */
export function foldMeasures(f: MeasuresFold, e: MeasureEvidence): MeasuresFold {
  f.lastPosition = Math.max(f.lastPosition, e.position);
  if (e.type.startsWith('HumanTask')) foldTasks(f, e);
  if (inCategory(e.stream, 'ai-system')) foldAiSystem(f, e);
  else if (inCategory(e.stream, 'nonconformity')) foldNonconformity(f, e);
  else if (inCategory(e.stream, 'soa')) foldSoa(f, e);
  return f;
}

// ---------- the figures ----------

const none = (measureId: ComputedMeasureId, reason: string): MeasureResult => ({
  measureId,
  value: null,
  reason,
  unit: MEASURE_DEFINITIONS[measureId].unit,
  breakdown: {},
  evidence: [],
});
const some = (measureId: ComputedMeasureId, value: number, evidence: string[], breakdown: Record<string, number> = {}): MeasureResult => ({
  measureId,
  value,
  reason: null,
  unit: MEASURE_DEFINITIONS[measureId].unit,
  breakdown,
  evidence,
});

function impactAssessmentCoverage(f: MeasuresFold): MeasureResult {
  const id = 'production-impact-assessment-coverage';
  const production = [...f.systems.values()].filter((s) => s.inProduction);
  if (production.length === 0) return none(id, 'no AI system is in production');
  const covered = production.filter((s) => s.assessment === 'approved');
  const evidence = production.flatMap((s) => [s.productionEvidence, s.approval]).filter((x): x is string => x !== null);
  return some(id, round(covered.length / production.length, 4), evidence, { production: production.length, covered: covered.length });
}

function deploymentDecisionMedian(f: MeasuresFold): MeasureResult {
  const id = 'deployment-decision-median-hours';
  if (f.decisionHours.length === 0) return none(id, 'no deployment request has been decided');
  const sorted = [...f.decisionHours].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return some(id, round(median, 2), [...f.decisionEvidence], { decided: sorted.length });
}

function overdueTasks(f: MeasuresFold, asOf: number): MeasureResult {
  const overdue = [...f.tasks.values()].filter((t) => t.dueAt !== null && t.dueAt < asOf);
  return some(
    'overdue-human-tasks',
    overdue.length,
    overdue.map((t) => t.openedEvidence),
    { open: f.tasks.size },
  );
}

function actionsOnTime(f: MeasuresFold, asOf: number): MeasureResult {
  const id = 'corrective-actions-closed-on-time';
  // An action counts once it is done or its due date has passed: an open action not yet due says nothing yet.
  const due = [...f.actions.values()].filter((a) => a.dueAt !== null && (a.completedAt !== null || a.dueAt <= asOf));
  if (due.length === 0) return none(id, 'no approved corrective action is completed or due');
  const onTime = due.filter((a) => a.completedAt !== null && a.completedAt < (a.dueAt as number));
  return some(
    id,
    round(onTime.length / due.length, 4),
    due.flatMap((a) => a.evidence),
    { due: due.length, onTime: onTime.length },
  );
}

function controlsOperating(f: MeasuresFold, asOf: number): MeasureResult {
  const id = 'applicable-controls-operating';
  if (f.soaInForce === null) return none(id, 'no Statement of Applicability is in force');
  const applicable = f.soaInForce.applicable;
  if (applicable.length === 0) return none(id, 'the Statement of Applicability in force has no applicable control');
  // Operating: attested so, and the attestation's review date has not passed (a lapsed word counts for nothing).
  const operating = applicable.filter((c) => {
    const a = f.attestations.get(c);
    const lapse = a === undefined ? null : dueInstant(a.reviewBy);
    return a !== undefined && a.status === 'operates' && lapse !== null && asOf < lapse;
  });
  const evidence = [f.soaInForce.evidence, ...operating.map((c) => (f.attestations.get(c) as { evidence: string }).evidence)];
  return some(id, round(operating.length / applicable.length, 4), evidence, { applicable: applicable.length, operating: operating.length });
}

function openNonconformities(f: MeasuresFold): MeasureResult {
  const breakdown: Record<string, number> = { minor: 0, major: 0, critical: 0 };
  const evidence: string[] = [];
  for (const n of f.nonconformities.values()) {
    if (!n.open) continue;
    breakdown[n.severity] = (breakdown[n.severity] ?? 0) + 1;
    evidence.push(n.raisedEvidence);
  }
  return some('open-nonconformities', evidence.length, evidence, breakdown);
}

/** Every computed measure as of `asOf` (an instant), from what has been folded. */
export function measuresAt(f: MeasuresFold, asOf: string): MeasureResult[] {
  const at = parseInstant(asOf);
  if (at === null) throw new Error(`bug: measuresAt needs an instant, got ${asOf}`);
  return [
    impactAssessmentCoverage(f),
    deploymentDecisionMedian(f),
    overdueTasks(f, at),
    actionsOnTime(f, at),
    controlsOperating(f, at),
    openNonconformities(f),
  ];
}

/** One measure's figure, for an objective that watches it. */
export function measureAt(f: MeasuresFold, measureId: ComputedMeasureId, asOf: string): MeasureResult {
  return measuresAt(f, asOf).find((m) => m.measureId === measureId) as MeasureResult;
}
