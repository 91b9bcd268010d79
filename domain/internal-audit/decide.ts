/**
 * Decides an internal audit's commands (pure): who may take each step, independence, what each phase
 * allows, and the closure rule. See model.ts for the process.
 */
import { requireRoles } from '../shared/require-roles';
import { isAnnexAControlId } from '../catalogue/annex-a-controls';
import { isClauseId } from '../catalogue/clauses';
import { domainError, type DomainError } from '../shared/domain-error';
import { err, ok, type Result } from '../shared/result';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';
import { validationFailed, type ValidationIssue } from '../shared/validation';
import {
  AUDIT_AREA_KINDS,
  AUDIT_ID,
  AUDIT_PLANNER_ROLES,
  AUDITOR_ROLES,
  areaKey,
  CHECKLIST_RESULTS,
  FINDING_TYPES,
  findingNonconformityId,
  isNonconformityFinding,
  type AuditArea,
  type AuditorAppointment,
  type AuditPlan,
  type AuditStatus,
  type InternalAudit,
  type InternalAuditCommand,
  type InternalAuditEvent,
  type InternalAuditState,
  type PlanAudit,
} from './model';
import { appointmentConflicts, type AreaConflict } from './independence';

type Decided = Result<InternalAuditEvent[], DomainError>;

const MAX_TEXT = 10_000;
const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;
const isInstant = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isId = (v: unknown): v is string => typeof v === 'string' && AUDIT_ID.test(v);

/** The shared role check, naming the step in its refusals as the lifecycle's do. */
function roleOf(by: Actor, roles: readonly AimsRole[], step: string): Result<ActorRef, DomainError> {
  return requireRoles(by, roles, step, step);
}

/** An auditor of this audit (lead or team), acting as internal auditor. */
function auditorOf(audit: InternalAudit, by: Actor, step: string, leadOnly = false): Result<ActorRef, DomainError> {
  const acting = roleOf(by, AUDITOR_ROLES, step);
  if (!acting.ok) return acting;
  const onTeam = by.id === audit.plan.leadAuditor || (!leadOnly && audit.plan.team.includes(by.id));
  if (!onTeam) {
    return err(
      domainError(
        'NOT_ON_AUDIT_TEAM',
        `${by.id} cannot ${step}: ${leadOnly ? 'only the lead auditor can' : 'only the lead auditor and the audit team can'}`,
        { step, actorId: by.id, leadAuditor: audit.plan.leadAuditor, team: [...audit.plan.team] },
      ),
    );
  }
  return acting;
}

function inStatus(audit: InternalAudit, allowed: AuditStatus[], step: string): DomainError | null {
  if (allowed.includes(audit.status)) return null;
  return domainError('INVALID_TRANSITION', `Cannot ${step} while the audit is ${audit.status}.`, {
    step,
    status: audit.status,
    allowedIn: allowed,
  });
}

/** Independence (9.2.1): the people among `auditors` who are responsible for an area of the scope. */
export function areaConflicts(plan: Pick<AuditPlan, 'scope' | 'responsibilities'>, auditors: readonly string[]): AreaConflict[] {
  const scope = new Set(plan.scope.map(areaKey));
  const conflicts: AreaConflict[] = [];
  for (const r of plan.responsibilities) {
    if (!scope.has(areaKey(r.area))) continue;
    for (const auditorId of auditors) if (r.personIds.includes(auditorId)) conflicts.push({ auditorId, area: areaKey(r.area) });
  }
  return conflicts;
}

/** Independence (9.2.1): the sampled records among `refs` that `auditorId` authored. */
export function authoredRecords(audit: InternalAudit, refs: readonly string[], auditorId: string): string[] {
  const wanted = new Set(refs);
  return audit.samples
    .flatMap((s) => s.records)
    .filter((r) => wanted.has(r.eventId) && r.authorId === auditorId)
    .map((r) => r.eventId);
}

function notIndependent(message: string, details: Record<string, unknown>): DomainError {
  return domainError('AUDITOR_NOT_INDEPENDENT', message, details as never);
}

/** The refusal for area conflicts, naming the first one and, where an appointment makes it, which. */
function dependent(conflicts: AreaConflict[]): DomainError {
  const first = conflicts[0];
  const why =
    first.appointmentId === undefined
      ? 'they are responsible for it'
      : `they are appointed to it (${first.role} appointment ${first.appointmentId})`;
  return notIndependent(`${first.auditorId} cannot audit ${first.area}: ${why} (9.2.1 objectivity and impartiality).`, { conflicts });
}

/** The acting auditor's appointments in force now against `areas` (a sample: the scope; a finding: its area). */
function appointedTo(by: Actor, areas: readonly AuditArea[], appointments: AuditorAppointment[] | undefined): DomainError | null {
  const conflicts = appointmentConflicts(areas, [by.personId ?? by.id], appointments);
  return conflicts.length === 0 ? null : dependent(conflicts);
}

function areaIssues(area: unknown, field: string): ValidationIssue[] {
  if (typeof area !== 'object' || area === null) return [{ field, problem: 'must be an area { kind, id }' }];
  const { kind, id } = area as AuditArea;
  if (!(AUDIT_AREA_KINDS as readonly string[]).includes(kind))
    return [{ field: `${field}.kind`, problem: `must be one of ${AUDIT_AREA_KINDS.join(', ')}` }];
  if (kind === 'clause' && !isClauseId(id)) return [{ field: `${field}.id`, problem: 'must be a clause of ISO/IEC 42001 (e.g. 8.2)' }];
  if (kind === 'control' && !isAnnexAControlId(id)) return [{ field: `${field}.id`, problem: 'must be an Annex A control (e.g. A.6.2.4)' }];
  if (!isText(id, 200)) return [{ field: `${field}.id`, problem: 'must be a non-empty string of at most 200 characters' }];
  return [];
}

export function planIssues(c: PlanAudit): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isId(c.auditId)) issues.push({ field: 'auditId', problem: 'must be 1–64 letters, digits, ".", "_" or "-"' });
  if (!isText(c.title, 200)) issues.push({ field: 'title', problem: 'must be a non-empty string of at most 200 characters' });
  if (c.programmeId !== null && !isText(c.programmeId, 100))
    issues.push({ field: 'programmeId', problem: 'must be null or a programme id' });
  if (!Array.isArray(c.scope) || c.scope.length === 0) issues.push({ field: 'scope', problem: 'must name at least one area' });
  else c.scope.forEach((a, i) => issues.push(...areaIssues(a, `scope[${i}]`)));
  if (!Array.isArray(c.criteria) || c.criteria.length === 0)
    issues.push({ field: 'criteria', problem: 'must name at least one criterion' });
  else {
    c.criteria.forEach((k, i) => {
      if (!isId(k?.criterionId))
        issues.push({ field: `criteria[${i}].criterionId`, problem: 'must be 1–64 letters, digits, ".", "_" or "-"' });
      if (!isText(k?.text)) issues.push({ field: `criteria[${i}].text`, problem: 'must be a non-empty string' });
    });
    if (new Set(c.criteria.map((k) => k?.criterionId)).size !== c.criteria.length)
      issues.push({ field: 'criteria', problem: 'must not repeat a criterion id' });
  }
  if (!isText(c.leadAuditor, 200)) issues.push({ field: 'leadAuditor', problem: 'must be the lead auditor’s id' });
  if (!Array.isArray(c.team) || !c.team.every((t) => isText(t, 200)))
    issues.push({ field: 'team', problem: 'must be a list of auditor ids' });
  if (!isInstant(c.plannedStart)) issues.push({ field: 'plannedStart', problem: 'must be an ISO 8601 instant' });
  if (!isInstant(c.plannedEnd)) issues.push({ field: 'plannedEnd', problem: 'must be an ISO 8601 instant' });
  else if (isInstant(c.plannedStart) && Date.parse(c.plannedEnd) <= Date.parse(c.plannedStart))
    issues.push({ field: 'plannedEnd', problem: 'must be after plannedStart' });
  if (!Array.isArray(c.responsibilities)) issues.push({ field: 'responsibilities', problem: 'must be a list of { area, personIds }' });
  else
    c.responsibilities.forEach((r, i) => {
      issues.push(...areaIssues(r?.area, `responsibilities[${i}].area`));
      if (!Array.isArray(r?.personIds) || !r.personIds.every((p) => isText(p, 200)))
        issues.push({ field: `responsibilities[${i}].personIds`, problem: 'must be a list of person ids' });
    });
  return issues;
}

function plan(c: PlanAudit, state: InternalAuditState): Decided {
  if (state !== null)
    return err(domainError('AUDIT_ALREADY_PLANNED', `Audit ${state.auditId} is planned already.`, { auditId: state.auditId }));
  const acting = roleOf(c.by, AUDIT_PLANNER_ROLES, 'plan an internal audit');
  if (!acting.ok) return acting;
  const issues = planIssues(c);
  if (issues.length > 0) return err(validationFailed('PlanAudit', issues));
  const auditors = [c.leadAuditor, ...c.team];
  const conflicts = [...areaConflicts(c, auditors), ...appointmentConflicts(c.scope, auditors, c.appointments)];
  if (conflicts.length > 0) return err(dependent(conflicts));
  const { type: _t, by: _b, at, auditId, appointments: _appointments, ...planned } = c;
  return ok([
    { type: 'AuditPlanned', auditId, ...planned, team: [...new Set(c.team.filter((t) => t !== c.leadAuditor))], by: acting.value, at },
  ]);
}

function sampledIds(audit: InternalAudit): Set<string> {
  return new Set(audit.samples.flatMap((s) => s.records.map((r) => r.eventId)));
}

/** Evidence refs must be sampled records (so the audit can be repeated) and none the auditor's own. */
function refsProblem(audit: InternalAudit, refs: unknown, by: Actor, field: string, atLeastOne: boolean): DomainError | null {
  if (!Array.isArray(refs) || !refs.every((r) => typeof r === 'string'))
    return validationFailed(field, [{ field: 'evidenceRefs', problem: 'must be a list of evidence ids' }]);
  if (atLeastOne && refs.length === 0)
    return validationFailed(field, [{ field: 'evidenceRefs', problem: 'must name at least one sampled record' }]);
  const sampled = sampledIds(audit);
  const unknown = refs.filter((r) => !sampled.has(r));
  if (unknown.length > 0)
    return domainError('EVIDENCE_NOT_SAMPLED', `Evidence refs must be records of a sample of this audit: ${unknown.join(', ')}.`, {
      unknown,
    });
  const own = authoredRecords(audit, refs, by.id);
  if (own.length > 0)
    return notIndependent(`${by.id} cannot audit records they authored: ${own.join(', ')}.`, { auditorId: by.id, records: own });
  return null;
}

function decideOn(c: Exclude<InternalAuditCommand, PlanAudit>, audit: InternalAudit): Decided {
  switch (c.type) {
    case 'StartFieldwork': {
      const who = auditorOf(audit, c.by, 'start the fieldwork', true);
      if (!who.ok) return who;
      const wrong = inStatus(audit, ['planned'], 'start the fieldwork');
      if (wrong) return err(wrong);
      return ok([{ type: 'AuditFieldworkStarted', by: who.value, at: c.at }]);
    }
    case 'RecordSample': {
      const who = auditorOf(audit, c.by, 'sample evidence');
      if (!who.ok) return who;
      const wrong = inStatus(audit, ['fieldwork'], 'sample evidence');
      if (wrong) return err(wrong);
      if (!isId(c.sampleId) || audit.samples.some((s) => s.sampleId === c.sampleId))
        return err(
          validationFailed('RecordSample', [{ field: 'sampleId', problem: 'must be a new id of 1–64 letters, digits, ".", "_" or "-"' }]),
        );
      if (!Number.isInteger(c.asOfPosition) || c.asOfPosition < 1)
        return err(
          validationFailed('RecordSample', [{ field: 'asOfPosition', problem: 'must be a global position of the evidence (≥ 1)' }]),
        );
      if (!Array.isArray(c.records) || c.records.length === 0)
        return err(validationFailed('RecordSample', [{ field: 'records', problem: 'must hold at least one record' }]));
      const later = c.records.filter((r) => r.position > c.asOfPosition).map((r) => r.eventId);
      if (later.length > 0)
        return err(
          domainError(
            'RECORD_AFTER_SAMPLE_POSITION',
            `Records recorded after position ${c.asOfPosition} are not in its sample: ${later.join(', ')}.`,
            { later },
          ),
        );
      const appointed = appointedTo(c.by, audit.plan.scope, c.appointments);
      if (appointed) return err(appointed);
      const own = c.records.filter((r) => r.authorId === c.by.id).map((r) => r.eventId);
      if (own.length > 0)
        return err(
          notIndependent(`${c.by.id} cannot audit records they authored: ${own.join(', ')}.`, { auditorId: c.by.id, records: own }),
        );
      return ok([
        { type: 'AuditSampleRecorded', sampleId: c.sampleId, asOfPosition: c.asOfPosition, records: c.records, by: who.value, at: c.at },
      ]);
    }
    case 'RecordChecklistResult': {
      const who = auditorOf(audit, c.by, 'record a checklist result');
      if (!who.ok) return who;
      const wrong = inStatus(audit, ['fieldwork'], 'record a checklist result');
      if (wrong) return err(wrong);
      if (!audit.plan.criteria.some((k) => k.criterionId === c.criterionId))
        return err(
          domainError('UNKNOWN_CRITERION', `Criterion ${c.criterionId} is not one of the audit's.`, { criterionId: c.criterionId }),
        );
      if (!(CHECKLIST_RESULTS as readonly string[]).includes(c.result))
        return err(
          validationFailed('RecordChecklistResult', [{ field: 'result', problem: `must be one of ${CHECKLIST_RESULTS.join(', ')}` }]),
        );
      if (typeof c.note !== 'string' || c.note.length > MAX_TEXT)
        return err(validationFailed('RecordChecklistResult', [{ field: 'note', problem: 'must be a string of at most 10000 characters' }]));
      const refs = refsProblem(audit, c.evidenceRefs, c.by, 'RecordChecklistResult', c.result !== 'not_applicable');
      if (refs) return err(refs);
      const { type: _t, by: _b, ...rest } = c;
      return ok([{ type: 'AuditChecklistResultRecorded', ...rest, by: who.value }]);
    }
    case 'RecordFinding': {
      const who = auditorOf(audit, c.by, 'record a finding');
      if (!who.ok) return who;
      const wrong = inStatus(audit, ['fieldwork'], 'record a finding');
      if (wrong) return err(wrong);
      const issues: ValidationIssue[] = [];
      if (!isId(c.findingId) || audit.findings.some((f) => f.findingId === c.findingId))
        issues.push({ field: 'findingId', problem: 'must be a new id of 1–64 letters, digits, ".", "_" or "-"' });
      if (!(FINDING_TYPES as readonly string[]).includes(c.findingType))
        issues.push({ field: 'type', problem: `must be one of ${FINDING_TYPES.join(', ')}` });
      if (!isText(c.statement)) issues.push({ field: 'statement', problem: 'must be a non-empty string' });
      if (c.area !== null) issues.push(...areaIssues(c.area, 'area'));
      if (issues.length > 0) return err(validationFailed('RecordFinding', issues));
      if (c.criterionId !== null && !audit.plan.criteria.some((k) => k.criterionId === c.criterionId))
        return err(
          domainError('UNKNOWN_CRITERION', `Criterion ${c.criterionId} is not one of the audit's.`, { criterionId: c.criterionId }),
        );
      if (c.area !== null && !audit.plan.scope.some((a) => areaKey(a) === areaKey(c.area as AuditArea)))
        return err(domainError('AREA_NOT_IN_SCOPE', `${areaKey(c.area)} is not in the audit's scope.`, { area: areaKey(c.area) }));
      const appointed = appointedTo(c.by, c.area === null ? audit.plan.scope : [c.area], c.appointments);
      if (appointed) return err(appointed);
      const refs = refsProblem(audit, c.evidenceRefs, c.by, 'RecordFinding', c.findingType !== 'conformity');
      if (refs) return err(refs);
      const nonconformityId = isNonconformityFinding(c.findingType) ? findingNonconformityId(audit.auditId, c.findingId) : null;
      return ok([
        {
          type: 'AuditFindingRecorded',
          findingId: c.findingId,
          findingType: c.findingType,
          criterionId: c.criterionId,
          area: c.area,
          statement: c.statement,
          evidenceRefs: c.evidenceRefs,
          nonconformityId,
          by: who.value,
          at: c.at,
        },
      ]);
    }
    case 'IssueReport': {
      const who = auditorOf(audit, c.by, 'issue the audit report', true);
      if (!who.ok) return who;
      const wrong = inStatus(audit, ['fieldwork'], 'issue the audit report');
      if (wrong) return err(wrong);
      if (!isText(c.summary) || !isText(c.conclusion))
        return err(
          validationFailed('IssueReport', [{ field: isText(c.summary) ? 'conclusion' : 'summary', problem: 'must be a non-empty string' }]),
        );
      const missing = audit.plan.criteria
        .filter((k) => !audit.checklist.some((r) => r.criterionId === k.criterionId))
        .map((k) => k.criterionId);
      if (audit.samples.length === 0 || missing.length > 0)
        return err(
          domainError(
            'FIELDWORK_INCOMPLETE',
            `The report needs a sample and a checklist result for every criterion (missing: ${missing.join(', ') || 'a sample'}).`,
            {
              missingCriteria: missing,
              samples: audit.samples.length,
            },
          ),
        );
      return ok([{ type: 'AuditReportIssued', summary: c.summary, conclusion: c.conclusion, by: who.value, at: c.at }]);
    }
    case 'NoteCorrectiveAction': {
      const finding = audit.findings.find((f) => f.nonconformityId === c.nonconformityId);
      if (finding === undefined)
        return err(
          domainError('UNKNOWN_NONCONFORMITY', `No finding of this audit opened ${c.nonconformityId}.`, {
            nonconformityId: c.nonconformityId,
          }),
        );
      // Closed is final; hearing the same progress again records nothing.
      if (finding.correctiveAction === 'closed' || finding.correctiveAction === c.progress) return ok([]);
      if (c.progress === 'not_started' && finding.correctiveAction !== 'opened') return ok([]);
      return ok([
        {
          type: 'FindingCorrectiveActionNoted',
          nonconformityId: c.nonconformityId,
          findingId: finding.findingId,
          progress: c.progress,
          reason: c.reason,
          at: c.at,
        },
      ]);
    }
    case 'CloseAudit': {
      const who = auditorOf(audit, c.by, 'close the audit', true);
      if (!who.ok) return who;
      const wrong = inStatus(audit, ['follow_up'], 'close the audit');
      if (wrong) return err(wrong);
      const pending = pendingCorrectiveActions(audit);
      if (pending.length > 0)
        return err(
          domainError(
            'CORRECTIVE_ACTION_PENDING',
            `The audit closes only when each nonconformity is closed or has an approved plan; pending: ${pending.map((p) => p.nonconformityId).join(', ')}.`,
            { pending },
          ),
        );
      return ok([{ type: 'AuditClosed', by: who.value, at: c.at }]);
    }
  }
}

/** The nonconformity findings whose corrective action is neither closed nor has an approved plan (10.2). */
export function pendingCorrectiveActions(audit: InternalAudit): Array<{ findingId: string; nonconformityId: string; progress: string }> {
  return audit.findings
    .filter((f) => f.nonconformityId !== null && f.correctiveAction !== 'closed' && f.correctiveAction !== 'plan_approved')
    .map((f) => ({ findingId: f.findingId, nonconformityId: f.nonconformityId as string, progress: f.correctiveAction ?? 'opened' }));
}

export function decide(command: InternalAuditCommand, state: InternalAuditState): Decided {
  if (command.type === 'PlanAudit') return plan(command, state);
  if (state === null) return err(domainError('INTERNAL_AUDIT_NOT_PLANNED', 'The audit is not planned.', { command: command.type }));
  return decideOn(command, state);
}
