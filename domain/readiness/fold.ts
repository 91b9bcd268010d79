/**
 * The readiness fold: one pass over the evidence in log order, keeping only what the checks need — one entry
 * per scope, policy document, risk, SoA revision, objective, person, programme, audit, review, AI system and
 * nonconformity, and per deployment a verdict taken when it happened. Memory follows those records, never
 * the length of the log; an event the checks do not read costs one category comparison.
 *
 * The accumulator belongs to the fold: `evolve` updates it in place and returns it, so a caller streaming a
 * large store allocates nothing per event (call `initial()` for each pass).
 */
import type { JsonObject, JsonValue } from '../shared/json';
import type { ReadinessEvidence } from './model';

/** Stream categories the checks read (a stream `C-<id>` is in category C). */
export const READINESS_CATEGORIES = [
  'aims-scope',
  'document',
  'risk-criteria',
  'risk',
  'soa',
  'objective',
  'person',
  'audit-programme',
  'internal-audit',
  'management-review',
  'ai-system',
  'nonconformity',
] as const;

export interface Cited {
  readonly eventId: string;
  readonly at: string;
}

export interface SoaRevisionSummary {
  readonly revisionId: string;
  readonly proposedEventId: string;
  readonly exclusions: number;
  /** Annex A or own controls excluded without a justification text. */
  readonly unjustified: string[];
}

export interface PersonRecord {
  /** Active appointments: appointment id → role and until. */
  readonly appointments: Map<string, { role: string; until: string | null; eventId: string }>;
  /** Competence records: record id → expiry (null: does not expire). */
  readonly competence: Map<string, { expiresAt: string | null; eventId: string }>;
  left: boolean;
}

export interface ProgrammeRecord {
  period: string;
  draftedEventId: string;
  approved: Cited | null;
  audits: Array<{ auditId: string; plannedEnd: string }>;
}

export interface DeploymentVerdict {
  readonly eventId: string;
  readonly at: string;
  readonly artifactDigest: string;
  readonly environment: string;
  /** The approved impact assessment in force when it was deployed, or null. */
  readonly impactAssessment: Cited | null;
  /** The validation sign-off of this artifact digest before deployment, or null. */
  readonly validation: Cited | null;
}

export interface SystemRecord {
  readonly stream: string;
  monitoringIntervalMs: number | null;
  policyEventId: string | null;
  impactAssessment: Cited | null;
  readonly signedOff: Map<string, Cited>;
  readonly deployments: DeploymentVerdict[];
  /** Last production deployment or monitoring record while in production; null when not in production. */
  lastMonitored: Cited | null;
  /** Monitoring gaps found while folding: a span longer than the interval between two records. */
  readonly lateMonitoring: Array<{ from: Cited; to: Cited; intervalMs: number }>;
  /** The latest monitoring records (bounded: the line cites the recent ones, memory must not follow the log). */
  readonly monitoringEvidence: string[];
  decommissioned: Cited | null;
}

export interface NonconformityRecord {
  readonly stream: string;
  raised: Cited;
  closed: Cited | null;
  /** The approved plan of the current round, with each action's due date and completion. */
  plan: { planId: string; approved: Cited; actions: Map<string, { dueDate: string; completed: boolean }> } | null;
  /** Submitted plans not yet decided: planId → actions. */
  readonly submitted: Map<string, Array<{ actionId: string; dueDate: string }>>;
}

/** The controlled document a scope proposal named (ScopeStatementDocumentNamed). */
export type ScopeDocumentCited = Cited & { documentId: string; version: number };

export interface ReadinessState {
  /** The statement version in force, and the controlled document it rests on (null: it names none). */
  scope: (Cited & { version: number; document: ScopeDocumentCited | null }) | null;
  /** Documents named by scope proposals: proposal id → the document (read when one is approved). */
  readonly scopeDocuments: Map<string, ScopeDocumentCited>;
  /** Documents of kind aims_scope: document id → its published versions (few; read for the version in force at asOf). */
  readonly scopeDocumentVersions: Map<string, Array<Cited & { version: number }>>;
  /** Documents of kind ai_policy: document id → created, and its latest published version. */
  readonly aiPolicies: Map<string, { created: Cited; published: (Cited & { version: number }) | null }>;
  riskCriteria: (Cited & { version: number }) | null;
  /** Risks: risk id → identified, and last assessed. */
  readonly risks: Map<string, { identified: Cited; assessed: Cited | null }>;
  readonly soaProposed: Map<string, SoaRevisionSummary>;
  soaInForce: (SoaRevisionSummary & Cited & { version: number }) | null;
  readonly objectives: Map<string, Cited>;
  readonly people: Map<string, PersonRecord>;
  readonly programmes: Map<string, ProgrammeRecord>;
  /** Internal audits: audit id → closed (or null while open). */
  readonly audits: Map<string, { planned: Cited; closed: Cited | null }>;
  readonly reviewsSignedOff: Map<string, Cited>;
  readonly systems: Map<string, SystemRecord>;
  readonly nonconformities: Map<string, NonconformityRecord>;
}

function categoryOf(stream: string): string | null {
  // Longest match first, so `risk-criteria-…` is not read as a `risk-…`.
  let best: string | null = null;
  for (const c of READINESS_CATEGORIES) if (stream.startsWith(`${c}-`) && (best === null || c.length > best.length)) best = c;
  return best;
}

const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: JsonValue | undefined): JsonObject | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null);
const arr = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);

/** When the act happened: the event's own `at` when it carries one, else when it was recorded. */
function whenOf(e: ReadinessEvidence): string {
  const at = str(e.data.at);
  return at !== null && !Number.isNaN(Date.parse(at)) ? new Date(Date.parse(at)).toISOString() : e.recordedAt;
}

function cite(e: ReadinessEvidence): Cited {
  return { eventId: e.id, at: whenOf(e) };
}

function idAfter(stream: string, category: string): string {
  return stream.slice(category.length + 1);
}

export const readinessFold = {
  initial(): ReadinessState {
    return {
      scope: null,
      scopeDocuments: new Map(),
      scopeDocumentVersions: new Map(),
      aiPolicies: new Map(),
      riskCriteria: null,
      risks: new Map(),
      soaProposed: new Map(),
      soaInForce: null,
      objectives: new Map(),
      people: new Map(),
      programmes: new Map(),
      audits: new Map(),
      reviewsSignedOff: new Map(),
      systems: new Map(),
      nonconformities: new Map(),
    };
  },

  evolve(state: ReadinessState, e: ReadinessEvidence): ReadinessState {
    const category = categoryOf(e.stream);
    switch (category) {
      case 'aims-scope':
        if (e.type === 'ScopeStatementDocumentNamed') {
          const d = obj(e.data.document);
          const proposalId = str(e.data.proposalId);
          if (d !== null && proposalId !== null)
            state.scopeDocuments.set(proposalId, { ...cite(e), documentId: str(d.documentId) ?? '', version: num(d.version) ?? 0 });
        }
        if (e.type === 'ScopeStatementApproved')
          state.scope = {
            ...cite(e),
            version: num(e.data.version) ?? 0,
            document: state.scopeDocuments.get(str(e.data.proposalId) ?? '') ?? null,
          };
        break;
      case 'document':
        foldDocument(state, e);
        break;
      case 'risk-criteria':
        if (e.type === 'RiskCriteriaApproved') state.riskCriteria = { ...cite(e), version: num(e.data.version) ?? 0 };
        break;
      case 'risk':
        foldRisk(state, e);
        break;
      case 'soa':
        foldSoa(state, e);
        break;
      case 'objective':
        if (e.type === 'AiObjectiveSet') state.objectives.set(e.stream, cite(e));
        break;
      case 'person':
        foldPerson(state, e);
        break;
      case 'audit-programme':
        foldProgramme(state, e);
        break;
      case 'internal-audit':
        foldAudit(state, e);
        break;
      case 'management-review':
        if (e.type === 'ManagementReviewSignedOff') state.reviewsSignedOff.set(e.stream, cite(e));
        break;
      case 'ai-system':
        foldSystem(state, e);
        break;
      case 'nonconformity':
        foldNonconformity(state, e);
        break;
      case null:
        break;
    }
    return state;
  },
};

function foldDocument(state: ReadinessState, e: ReadinessEvidence): void {
  const id = idAfter(e.stream, 'document');
  if (e.type === 'DocumentCreated') {
    if (e.data.kind === 'ai_policy') state.aiPolicies.set(id, { created: cite(e), published: null });
    if (e.data.kind === 'aims_scope') state.scopeDocumentVersions.set(id, []);
    return;
  }
  const scopeVersions = state.scopeDocumentVersions.get(id);
  if (scopeVersions !== undefined && e.type === 'DocumentVersionPublished')
    scopeVersions.push({ ...cite(e), version: num(e.data.version) ?? 0 });
  const doc = state.aiPolicies.get(id);
  if (doc !== undefined && e.type === 'DocumentVersionPublished') doc.published = { ...cite(e), version: num(e.data.version) ?? 0 };
}

function foldRisk(state: ReadinessState, e: ReadinessEvidence): void {
  const id = str(e.data.riskId) ?? idAfter(e.stream, 'risk');
  if (e.type === 'RiskIdentified') state.risks.set(id, { identified: cite(e), assessed: null });
  else if (e.type === 'RiskAssessed') {
    const risk = state.risks.get(id);
    if (risk !== undefined) risk.assessed = cite(e);
  }
}

function foldSoa(state: ReadinessState, e: ReadinessEvidence): void {
  const revisionId = str(e.data.revisionId);
  if (e.type === 'SoaRevisionProposed' && revisionId !== null) {
    let exclusions = 0;
    const unjustified: string[] = [];
    for (const raw of arr(e.data.entries)) {
      const entry = obj(raw);
      if (entry === null || entry.applicable !== false) continue;
      exclusions += 1;
      const text = str(obj(entry.justification)?.text ?? null);
      if (text === null || text.trim() === '') unjustified.push(str(entry.controlId) ?? '(unnamed control)');
    }
    state.soaProposed.set(revisionId, { revisionId, proposedEventId: e.id, exclusions, unjustified });
  } else if (e.type === 'SoaRevisionApproved' && revisionId !== null) {
    const proposed = state.soaProposed.get(revisionId);
    if (proposed !== undefined) state.soaInForce = { ...proposed, ...cite(e), version: num(e.data.version) ?? 0 };
    state.soaProposed.delete(revisionId);
  } else if (e.type === 'SoaRevisionRejected' && revisionId !== null) {
    state.soaProposed.delete(revisionId);
  }
}

function personOf(state: ReadinessState, stream: string): PersonRecord {
  let person = state.people.get(stream);
  if (person === undefined) {
    person = { appointments: new Map(), competence: new Map(), left: false };
    state.people.set(stream, person);
  }
  return person;
}

function foldPerson(state: ReadinessState, e: ReadinessEvidence): void {
  const appointmentId = str(e.data.appointmentId);
  switch (e.type) {
    case 'RoleAppointed':
      if (appointmentId !== null)
        personOf(state, e.stream).appointments.set(appointmentId, {
          role: str(e.data.role) ?? '',
          until: str(e.data.until),
          eventId: e.id,
        });
      break;
    case 'AppointmentRevoked':
    case 'AppointmentEnded':
      if (appointmentId !== null) personOf(state, e.stream).appointments.delete(appointmentId);
      break;
    case 'PersonLeft': {
      const person = personOf(state, e.stream);
      person.left = true;
      person.appointments.clear();
      break;
    }
    case 'CompetenceRecorded': {
      const recordId = str(e.data.recordId) ?? e.id;
      personOf(state, e.stream).competence.set(recordId, { expiresAt: str(e.data.expiresAt), eventId: e.id });
      break;
    }
    default:
      break;
  }
}

function foldProgramme(state: ReadinessState, e: ReadinessEvidence): void {
  if (e.type === 'AuditProgrammeDrafted') {
    const audits: ProgrammeRecord['audits'] = [];
    for (const raw of arr(e.data.audits)) {
      const a = obj(raw);
      const auditId = str(a?.auditId ?? null);
      const plannedEnd = str(a?.plannedEnd ?? null);
      if (auditId !== null && plannedEnd !== null) audits.push({ auditId, plannedEnd });
    }
    state.programmes.set(e.stream, {
      period: str(e.data.period) ?? idAfter(e.stream, 'audit-programme'),
      draftedEventId: e.id,
      approved: null,
      audits,
    });
  } else if (e.type === 'AuditProgrammeApproved') {
    const programme = state.programmes.get(e.stream);
    if (programme !== undefined) programme.approved = cite(e);
  }
}

function foldAudit(state: ReadinessState, e: ReadinessEvidence): void {
  const auditId = idAfter(e.stream, 'internal-audit');
  if (e.type === 'AuditPlanned') state.audits.set(auditId, { planned: cite(e), closed: null });
  else if (e.type === 'AuditClosed') {
    const audit = state.audits.get(auditId);
    if (audit !== undefined) audit.closed = cite(e);
  }
}

function systemOf(state: ReadinessState, stream: string): SystemRecord {
  let system = state.systems.get(stream);
  if (system === undefined) {
    system = {
      stream,
      monitoringIntervalMs: null,
      policyEventId: null,
      impactAssessment: null,
      signedOff: new Map(),
      deployments: [],
      lastMonitored: null,
      lateMonitoring: [],
      monitoringEvidence: [],
      decommissioned: null,
    };
    state.systems.set(stream, system);
  }
  return system;
}

const RECENT_MONITORING = 10;

function recent(list: string[], id: string): void {
  list.push(id);
  if (list.length > RECENT_MONITORING) list.shift();
}

/** A monitoring record (or the deployment that starts the clock) while in production: was the span too long? */
function monitored(system: SystemRecord, now: Cited): void {
  const last = system.lastMonitored;
  const interval = system.monitoringIntervalMs;
  if (last !== null && interval !== null && Date.parse(now.at) - Date.parse(last.at) > interval)
    system.lateMonitoring.push({ from: last, to: now, intervalMs: interval });
  system.lastMonitored = now;
}

function foldSystem(state: ReadinessState, e: ReadinessEvidence): void {
  const system = systemOf(state, e.stream);
  switch (e.type) {
    case 'AiSystemRegistered':
    case 'RiskTierConfirmed':
    case 'LifecyclePolicyApplied': {
      const interval = num(obj(e.data.policy)?.monitoringReviewIntervalMs ?? null);
      if (interval !== null) {
        system.monitoringIntervalMs = interval;
        system.policyEventId = e.id;
      }
      break;
    }
    case 'ImpactAssessmentApproved':
      system.impactAssessment = cite(e);
      break;
    case 'ValidationSignedOff': {
      const digest = str(e.data.artifactDigest);
      if (digest !== null) system.signedOff.set(digest, cite(e));
      break;
    }
    case 'DeploymentCompleted': {
      const digest = str(e.data.artifactDigest) ?? '';
      const at = cite(e);
      system.deployments.push({
        eventId: e.id,
        at: at.at,
        artifactDigest: digest,
        environment: str(e.data.environment) ?? '',
        impactAssessment: system.impactAssessment,
        validation: system.signedOff.get(digest) ?? null,
      });
      if (e.data.production === true) {
        // A new production version restarts the monitoring clock; a span before it was already judged.
        if (system.lastMonitored === null) system.lastMonitored = at;
        else monitored(system, at);
        recent(system.monitoringEvidence, e.id);
      }
      break;
    }
    case 'MonitoringReportRecorded':
    case 'MonitoringReviewCompleted':
      if (system.lastMonitored !== null && system.decommissioned === null) {
        monitored(system, cite(e));
        recent(system.monitoringEvidence, e.id);
      }
      break;
    case 'AiSystemDecommissioned':
      if (system.lastMonitored !== null) monitored(system, cite(e));
      system.decommissioned = cite(e);
      system.lastMonitored = null;
      break;
    default:
      break;
  }
}

function foldNonconformity(state: ReadinessState, e: ReadinessEvidence): void {
  if (e.type === 'NonconformityRaised') {
    state.nonconformities.set(e.stream, { stream: e.stream, raised: cite(e), closed: null, plan: null, submitted: new Map() });
    return;
  }
  const nc = state.nonconformities.get(e.stream);
  if (nc === undefined) return;
  const planId = str(e.data.planId);
  switch (e.type) {
    case 'CorrectiveActionPlanSubmitted': {
      const actions: Array<{ actionId: string; dueDate: string }> = [];
      for (const raw of arr(e.data.actions)) {
        const a = obj(raw);
        const actionId = str(a?.actionId ?? null);
        const dueDate = str(a?.dueDate ?? null);
        if (actionId !== null && dueDate !== null) actions.push({ actionId, dueDate });
      }
      if (planId !== null) nc.submitted.set(planId, actions);
      break;
    }
    case 'CorrectiveActionPlanApproved': {
      const actions = planId === null ? undefined : nc.submitted.get(planId);
      if (planId !== null && actions !== undefined) {
        nc.plan = {
          planId,
          approved: cite(e),
          actions: new Map(actions.map((a) => [a.actionId, { dueDate: a.dueDate, completed: false }])),
        };
        nc.submitted.clear();
      }
      break;
    }
    case 'CorrectiveActionPlanRejected':
      if (planId !== null) nc.submitted.delete(planId);
      break;
    case 'CorrectiveActionCompleted': {
      const action = nc.plan !== null && nc.plan.planId === planId ? nc.plan.actions.get(str(e.data.actionId) ?? '') : undefined;
      if (action !== undefined) action.completed = true;
      break;
    }
    case 'NonconformityClosed':
      nc.closed = cite(e);
      break;
    case 'NonconformityReopened':
      // A new round: the closure and the old plan no longer show the nonconformity handled.
      nc.closed = null;
      nc.plan = null;
      nc.submitted.clear();
      break;
    default:
      break;
  }
}
