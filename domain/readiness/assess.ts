/**
 * The readiness checks, judged from a folded state (fold.ts) as of one instant. Pure: the same state and the
 * same instant give the same answer. A check is met with the evidence that shows it, or has one gap line per
 * thing missing, each naming where it is missing, what is missing and the clause that asks for it.
 */
import { dueInstant } from '../shared/iso-time';
import type { Cited, ReadinessState, SystemRecord } from './fold';
import {
  READINESS_CHECKS,
  STAGE_1_CHECK_IDS,
  STAGE_2_CHECK_IDS,
  type ReadinessCheck,
  type ReadinessCheckId,
  type ReadinessResult,
  type ReadinessStage,
} from './model';

export interface ReadinessOptions {
  /** Start of the operating period (Stage 2); absent: the first deployment recorded. */
  readonly since?: string;
}

type Line = Omit<ReadinessCheck, 'clause' | 'title'>;

const DAY_MS = 86_400_000;

function line(id: ReadinessCheckId, status: 'met' | 'gap', where: string, what: string, evidence: readonly string[] = []): Line {
  return { id, status, where, what, evidence: [...evidence] };
}

function days(ms: number): string {
  const d = ms / DAY_MS;
  return Number.isInteger(d) ? `${d} day${d === 1 ? '' : 's'}` : `${Math.round(ms / 3_600_000)} hours`;
}

const ms = (iso: string): number => Date.parse(iso);

// ---------- Stage 1: the documented AIMS ----------

/** The aims_scope document's version in force at `asOf` (the last published at or before it), or null. */
function scopeDocumentInForce(s: ReadinessState, documentId: string, asOf: string): (Cited & { version: number }) | null {
  let inForce: (Cited & { version: number }) | null = null;
  for (const v of s.scopeDocumentVersions.get(documentId) ?? [])
    if (ms(v.at) <= ms(asOf) && (inForce === null || ms(v.at) >= ms(inForce.at))) inForce = v;
  return inForce;
}

function scope(s: ReadinessState, asOf: string): Line[] {
  const id = 'aims-scope-approved';
  if (s.scope === null) return [line(id, 'gap', 'aims-scope', 'no scope statement has been approved (ScopeStatementApproved)')];
  const d = s.scope.document;
  const statement = `scope statement version ${s.scope.version} approved on ${s.scope.at}`;
  // 4.3 asks for the scope as documented information; 7.5.3 for it to be controlled: the statement in force
  // must rest on the aims_scope document's version in force, or the auditor reads text no one controls.
  if (d === null)
    return [
      line(
        id,
        'gap',
        'aims-scope',
        `${statement} names no controlled document: the scope must be documented information under control (4.3, 7.5.3); approve a proposal naming the aims_scope document's version in force`,
        [s.scope.eventId],
      ),
    ];
  const inForce = scopeDocumentInForce(s, d.documentId, asOf);
  if (inForce === null || inForce.version !== d.version)
    return [
      line(
        id,
        'gap',
        'aims-scope',
        `${statement} rests on document ${d.documentId} version ${d.version}, which is not the version in force (${inForce === null ? 'none is in force' : `version ${inForce.version} is, since ${inForce.at}`}) (4.3, 7.5.3); approve a proposal naming the version in force`,
        inForce === null ? [s.scope.eventId, d.eventId] : [s.scope.eventId, d.eventId, inForce.eventId],
      ),
    ];
  // The controlled document it rests on is cited with it (4.3 "available as documented information").
  return [
    line(id, 'met', 'aims-scope', `${statement}, resting on document ${d.documentId} version ${d.version} (in force)`, [
      s.scope.eventId,
      d.eventId,
      inForce.eventId,
    ]),
  ];
}

function aiPolicy(s: ReadinessState): Line[] {
  const id = 'ai-policy-published';
  const published = [...s.aiPolicies.entries()].filter(([, d]) => d.published !== null);
  if (published.length > 0) {
    const [docId, doc] = published[published.length - 1];
    const version = doc.published?.version ?? 0;
    return [
      line(id, 'met', `document-${docId}`, `AI policy ${docId} version ${version} published`, [
        doc.created.eventId,
        ...(doc.published === null ? [] : [doc.published.eventId]),
      ]),
    ];
  }
  if (s.aiPolicies.size === 0) return [line(id, 'gap', 'document', 'no document of kind ai_policy has been created')];
  return [...s.aiPolicies.entries()].map(([docId, d]) =>
    line(id, 'gap', `document-${docId}`, `AI policy ${docId} has no published version yet`, [d.created.eventId]),
  );
}

function riskCriteria(s: ReadinessState): Line[] {
  const id = 'risk-criteria-approved';
  if (s.riskCriteria === null)
    return [line(id, 'gap', 'risk-criteria-organisation', 'no risk criteria have been approved (RiskCriteriaApproved)')];
  return [
    line(id, 'met', 'risk-criteria-organisation', `risk criteria version ${s.riskCriteria.version} approved`, [s.riskCriteria.eventId]),
  ];
}

function riskResults(s: ReadinessState): Line[] {
  const id = 'risk-assessment-results';
  if (s.risks.size === 0)
    return [line(id, 'gap', 'risk', 'no risk has been identified and assessed: there are no risk assessment results')];
  const unassessed = [...s.risks.entries()].filter(([, r]) => r.assessed === null);
  if (unassessed.length > 0)
    return unassessed.map(([riskId, r]) =>
      line(id, 'gap', `risk-${riskId}`, `risk ${riskId} is identified but not assessed`, [r.identified.eventId]),
    );
  const evidence = [...s.risks.values()].flatMap((r) => (r.assessed === null ? [] : [r.assessed.eventId]));
  return [line(id, 'met', 'risk', `${s.risks.size} risk${s.risks.size === 1 ? '' : 's'} assessed`, evidence)];
}

function soa(s: ReadinessState): Line[] {
  const id = 'soa-approved';
  const soaInForce = s.soaInForce;
  if (soaInForce === null) return [line(id, 'gap', 'soa-organisation', 'no Statement of Applicability has been approved')];
  const evidence = [soaInForce.proposedEventId, soaInForce.eventId];
  if (soaInForce.unjustified.length > 0)
    return [
      line(
        id,
        'gap',
        'soa-organisation',
        `SoA version ${soaInForce.version} excludes ${soaInForce.unjustified.join(', ')} without a justification`,
        evidence,
      ),
    ];
  const exclusions = soaInForce.exclusions === 0 ? 'no control excluded' : `${soaInForce.exclusions} exclusion(s), each justified`;
  return [line(id, 'met', 'soa-organisation', `SoA version ${soaInForce.version} approved; ${exclusions}`, evidence)];
}

function objectives(s: ReadinessState): Line[] {
  const id = 'ai-objectives-set';
  if (s.objectives.size === 0) return [line(id, 'gap', 'objective', 'no AI objective has been set (AiObjectiveSet)')];
  return [
    line(
      id,
      'met',
      'objective',
      `${s.objectives.size} AI objective${s.objectives.size === 1 ? '' : 's'} set`,
      [...s.objectives.values()].map((o) => o.eventId),
    ),
  ];
}

function competence(s: ReadinessState, asOf: string): Line[] {
  const id = 'competence-records';
  const current = (expiresAt: string | null): boolean => expiresAt === null || (dueInstant(expiresAt) ?? 0) > ms(asOf);
  const gaps: Line[] = [];
  const evidence: string[] = [];
  for (const [stream, person] of s.people) {
    const records = [...person.competence.values()].filter((c) => current(c.expiresAt));
    evidence.push(...records.map((c) => c.eventId));
    if (person.left) continue;
    // Machine roles (pipelines) and appointments that have run out need no competence record.
    const appointed = [...person.appointments.values()].filter(
      (a) => a.role !== 'ci' && (a.until === null || (dueInstant(a.until) ?? 0) > ms(asOf)),
    );
    if (appointed.length > 0 && records.length === 0)
      gaps.push(
        line(
          id,
          'gap',
          stream,
          `appointed as ${appointed.map((a) => a.role).join(', ')} with no current competence record`,
          appointed.map((a) => a.eventId),
        ),
      );
  }
  if (gaps.length > 0) return gaps;
  if (evidence.length === 0) return [line(id, 'gap', 'person', 'no current competence record (CompetenceRecorded) for anyone')];
  return [line(id, 'met', 'person', `${evidence.length} current competence record${evidence.length === 1 ? '' : 's'}`, evidence)];
}

function programme(s: ReadinessState): Line[] {
  const id = 'audit-programme-approved';
  const approved = [...s.programmes.entries()].filter(([, p]) => p.approved !== null);
  if (approved.length > 0)
    return approved.map(([stream, p]) =>
      line(id, 'met', stream, `audit programme ${p.period} approved with ${p.audits.length} planned audit(s)`, [
        p.draftedEventId,
        ...(p.approved === null ? [] : [p.approved.eventId]),
      ]),
    );
  if (s.programmes.size === 0) return [line(id, 'gap', 'audit-programme', 'no audit programme has been drafted')];
  return [...s.programmes.entries()].map(([stream, p]) =>
    line(id, 'gap', stream, `audit programme ${p.period} is drafted but not approved`, [p.draftedEventId]),
  );
}

function review(s: ReadinessState): Line[] {
  const id = 'management-review-signed-off';
  if (s.reviewsSignedOff.size === 0)
    return [line(id, 'gap', 'management-review', 'no management review has been signed off (ManagementReviewSignedOff)')];
  return [
    line(
      id,
      'met',
      'management-review',
      `${s.reviewsSignedOff.size} management review${s.reviewsSignedOff.size === 1 ? '' : 's'} signed off`,
      [...s.reviewsSignedOff.values()].map((r) => r.eventId),
    ),
  ];
}

// ---------- Stage 2: records over the operating period ----------

interface Period {
  from: string | null;
  to: string;
}

const inPeriod = (at: string, p: Period): boolean => p.from !== null && at >= p.from && at <= p.to;

function noPeriod(id: ReadinessCheckId): Line {
  return line(id, 'gap', 'ai-system', 'no deployment is recorded and no --since was given, so there is no operating period to look at');
}

function deploymentsChecked(
  s: ReadinessState,
  p: Period,
  id: ReadinessCheckId,
  lacking: (d: SystemRecord['deployments'][number]) => string | null,
  cited: (d: SystemRecord['deployments'][number]) => string[],
): Line[] {
  if (p.from === null) return [noPeriod(id)];
  const gaps: Line[] = [];
  const evidence: string[] = [];
  let count = 0;
  for (const system of s.systems.values()) {
    for (const d of system.deployments) {
      if (!inPeriod(d.at, p)) continue;
      count += 1;
      const missing = lacking(d);
      if (missing === null) evidence.push(d.eventId, ...cited(d));
      else
        gaps.push(
          line(id, 'gap', system.stream, `deployment of ${d.artifactDigest} to ${d.environment} on ${d.at}: ${missing}`, [d.eventId]),
        );
    }
  }
  if (gaps.length > 0) return gaps;
  if (count === 0) return [line(id, 'gap', 'ai-system', `no deployment is recorded between ${p.from} and ${p.to}`)];
  return [line(id, 'met', 'ai-system', `${count} deployment${count === 1 ? '' : 's'} in the operating period`, [...new Set(evidence)])];
}

function monitoring(s: ReadinessState, p: Period): Line[] {
  const id = 'monitoring-within-intervals';
  if (p.from === null) return [noPeriod(id)];
  const from = p.from;
  const gaps: Line[] = [];
  const evidence: string[] = [];
  let watched = 0;
  for (const system of s.systems.values()) {
    const inProduction = system.lastMonitored !== null;
    const ranInPeriod = inProduction || (system.decommissioned !== null && system.decommissioned.at >= from);
    if (!ranInPeriod && system.lateMonitoring.length === 0) continue;
    watched += 1;
    const interval = system.monitoringIntervalMs;
    if (interval === null) {
      gaps.push(line(id, 'gap', system.stream, 'no lifecycle policy with a monitoring interval is recorded for the system'));
      continue;
    }
    for (const late of system.lateMonitoring)
      if (late.to.at >= from)
        gaps.push(
          line(
            id,
            'gap',
            system.stream,
            `no monitoring record between ${late.from.at} and ${late.to.at}, longer than the ${days(late.intervalMs)} interval`,
            [late.from.eventId, late.to.eventId],
          ),
        );
    if (system.lastMonitored !== null && ms(p.to) - ms(system.lastMonitored.at) > interval)
      gaps.push(
        line(
          id,
          'gap',
          system.stream,
          `in production with no monitoring record since ${system.lastMonitored.at} (interval ${days(interval)})`,
          [system.lastMonitored.eventId, ...(system.policyEventId === null ? [] : [system.policyEventId])],
        ),
      );
    evidence.push(...(system.policyEventId === null ? [] : [system.policyEventId]), ...system.monitoringEvidence);
  }
  if (gaps.length > 0) return gaps;
  if (watched === 0) return [line(id, 'gap', 'ai-system', 'no AI system was in production in the operating period')];
  return [line(id, 'met', 'ai-system', `${watched} system${watched === 1 ? '' : 's'} in production monitored within interval`, evidence)];
}

function auditsDone(s: ReadinessState, p: Period): Line[] {
  const id = 'audits-done-as-planned';
  if (p.from === null) return [noPeriod(id)];
  const approved = [...s.programmes.entries()].filter(([, prog]) => prog.approved !== null);
  if (approved.length === 0) return [line(id, 'gap', 'audit-programme', 'no approved audit programme: no planned audit to compare with')];
  const gaps: Line[] = [];
  const evidence: string[] = [];
  let due = 0;
  for (const [, prog] of approved) {
    for (const planned of prog.audits) {
      const end = dueInstant(planned.plannedEnd);
      if (end === null || end < ms(p.from ?? p.to) || end > ms(p.to)) continue;
      due += 1;
      const audit = s.audits.get(planned.auditId);
      if (audit?.closed != null) evidence.push(audit.planned.eventId, audit.closed.eventId);
      else
        gaps.push(
          line(
            id,
            'gap',
            `internal-audit-${planned.auditId}`,
            `audit ${planned.auditId} of programme ${prog.period} was planned to end by ${planned.plannedEnd} and ${
              audit === undefined ? 'was never planned as an internal audit' : 'is not closed'
            }`,
            audit === undefined ? [prog.approved?.eventId ?? prog.draftedEventId] : [audit.planned.eventId],
          ),
        );
    }
  }
  if (gaps.length > 0) return gaps;
  if (due === 0) return [line(id, 'gap', 'audit-programme', `no programmed audit was due to end between ${p.from} and ${p.to}`)];
  return [line(id, 'met', 'internal-audit', `${due} planned audit${due === 1 ? '' : 's'} done and closed`, evidence)];
}

function nonconformities(s: ReadinessState, asOf: string): Line[] {
  const id = 'nonconformities-handled';
  const gaps: Line[] = [];
  const evidence: string[] = [];
  for (const nc of s.nonconformities.values()) {
    if (nc.closed !== null) {
      evidence.push(nc.raised.eventId, nc.closed.eventId);
      continue;
    }
    if (nc.plan === null) {
      gaps.push(line(id, 'gap', nc.stream, `open since ${nc.raised.at} with no approved corrective action plan`, [nc.raised.eventId]));
      continue;
    }
    const overdue = [...nc.plan.actions.entries()].filter(([, a]) => !a.completed && (dueInstant(a.dueDate) ?? 0) <= ms(asOf));
    if (overdue.length > 0)
      gaps.push(
        line(
          id,
          'gap',
          nc.stream,
          `corrective action${overdue.length === 1 ? '' : 's'} ${overdue.map(([a, d]) => `${a} (due ${d.dueDate})`).join(', ')} not completed by the deadline`,
          [nc.plan.approved.eventId],
        ),
      );
    else evidence.push(nc.raised.eventId, nc.plan.approved.eventId);
  }
  if (gaps.length > 0) return gaps;
  const n = s.nonconformities.size;
  return [
    line(
      id,
      'met',
      'nonconformity',
      n === 0 ? 'no nonconformity is recorded' : `${n} nonconformit${n === 1 ? 'y' : 'ies'}, each closed or on an approved plan in time`,
      evidence,
    ),
  ];
}

/** The first deployment recorded, where Stage 2's operating period starts unless the caller names a start. */
export function firstDeploymentAt(s: ReadinessState): string | null {
  let first: string | null = null;
  for (const system of s.systems.values()) for (const d of system.deployments) if (first === null || d.at < first) first = d.at;
  return first;
}

/** What a certification auditor would find at the stage, from the evidence folded up to `asOf` (an ISO instant). */
export function assessReadiness(
  state: ReadinessState,
  stage: ReadinessStage,
  asOf: string,
  options: ReadinessOptions = {},
): ReadinessResult {
  const lines: Line[] = [
    ...scope(state, asOf),
    ...aiPolicy(state),
    ...riskCriteria(state),
    ...riskResults(state),
    ...soa(state),
    ...objectives(state),
    ...competence(state, asOf),
    ...programme(state),
    ...review(state),
  ];
  let operatingPeriodFrom: string | null = null;
  if (stage === 2) {
    operatingPeriodFrom = options.since ?? firstDeploymentAt(state);
    const period: Period = { from: operatingPeriodFrom, to: asOf };
    lines.push(
      ...deploymentsChecked(
        state,
        period,
        'impact-assessed-before-deployment',
        (d) => (d.impactAssessment === null ? 'no impact assessment was approved before it' : null),
        (d) => (d.impactAssessment === null ? [] : [d.impactAssessment.eventId]),
      ),
      ...deploymentsChecked(
        state,
        period,
        'validation-signed-off-before-deployment',
        (d) => (d.validation === null ? 'no validation of this artifact digest was signed off before it' : null),
        (d) => (d.validation === null ? [] : [d.validation.eventId]),
      ),
      ...monitoring(state, period),
      ...auditsDone(state, period),
      ...nonconformities(state, asOf),
    );
  }
  const order: readonly ReadinessCheckId[] = [...STAGE_1_CHECK_IDS, ...STAGE_2_CHECK_IDS];
  const checks = lines
    .map((l, i) => ({ l, i }))
    .sort((a, b) => order.indexOf(a.l.id) - order.indexOf(b.l.id) || a.i - b.i)
    .map(({ l }) => ({ ...l, clause: READINESS_CHECKS[l.id].clause, title: READINESS_CHECKS[l.id].title }));
  return { stage, asOf, operatingPeriodFrom, ready: checks.every((c) => c.status === 'met'), checks };
}
