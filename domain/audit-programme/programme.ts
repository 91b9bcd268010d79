/**
 * The internal audit programme (ISO/IEC 42001 9.2.2): one per period, id and stream
 * `audit-programme-<period>`. It names the areas (clauses, controls, processes, AI systems) with their
 * importance and the result of their previous audit, the methods, who is responsible for what, and the
 * audits planned; each area is audited at least as often as its importance and previous result require
 * (PROGRAMME_FREQUENCY_NOT_MET). Drafted by the AIMS owner or an internal auditor, approved by an AIMS owner
 * who did not draft it (SEGREGATION_OF_DUTIES). Once approved, each planned audit falls due at its planned
 * start (recorded, naming its lead auditor to tell) and is escalated to the AIMS owner when it has not
 * started by its planned end (the internal audit tells the programme when its fieldwork starts).
 */
import { requireRoles } from '../shared/require-roles';
import { isAnnexAControlId } from '../catalogue/annex-a-controls';
import { isClauseId } from '../catalogue/clauses';
import { AUDIT_AREA_KINDS, areaKey, type AreaResponsibility, type AuditArea, type AuditorAppointment } from '../internal-audit/model';
import { programmeIndependenceConflicts, resolveResponsibilities, type ResolvedResponsibility } from './responsibilities';
import { domainError, type DomainError } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';
import { validationFailed, type ValidationIssue } from '../shared/validation';

export const AUDIT_PROGRAMME_CATEGORY = 'audit-programme';
export const auditProgrammeWorkflowId = (period: string): string => `${AUDIT_PROGRAMME_CATEGORY}-${period}`;
export const auditProgrammeStream = auditProgrammeWorkflowId;
export const PERIOD = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const PROGRAMME_SYSTEM_ACTOR: ActorRef = { id: 'aims:audit-programme', role: 'system' };

export const PROGRAMME_DRAFTER_ROLES: readonly AimsRole[] = ['aims_owner', 'internal_auditor'];
export const PROGRAMME_APPROVER_ROLES: readonly AimsRole[] = ['aims_owner'];

export const IMPORTANCES = ['high', 'medium', 'low'] as const;
export type Importance = (typeof IMPORTANCES)[number];
export const PREVIOUS_RESULTS = ['not_audited', 'conforming', 'minor_nonconformities', 'major_nonconformities'] as const;
export type PreviousResult = (typeof PREVIOUS_RESULTS)[number];

/**
 * How many audits of an area the period needs (9.2.2: "the importance of the processes concerned and the
 * results of previous audits"): important areas, or areas with a major nonconformity last time, twice;
 * others once; a low-importance area found conforming last time may skip a period.
 */
export function requiredAudits(importance: Importance, previous: PreviousResult): number {
  if (importance === 'high' || previous === 'major_nonconformities') return 2;
  if (importance === 'low' && previous === 'conforming') return 0;
  return 1;
}

export type ProgrammeArea = { area: AuditArea; importance: Importance; previousResult: PreviousResult };
export type ProgrammedAudit = { auditId: string; areas: AuditArea[]; leadAuditor: string; plannedStart: string; plannedEnd: string };
/** The inbox task of a programmed audit that fell due: conducting it (closed by starting its fieldwork). */
export const PROGRAMMED_AUDIT_TASK_KIND = 'programmed_internal_audit';
export const programmedAuditTaskId = (auditId: string): string => `${auditId}-conduct`;

export type ProgrammedAuditStatus = 'scheduled' | 'due' | 'started' | 'late';

export type AuditProgrammeContent = {
  areas: ProgrammeArea[];
  methods: string[];
  responsibilities: AreaResponsibility[];
  audits: ProgrammedAudit[];
};

export type AuditProgramme = AuditProgrammeContent & {
  period: string;
  status: 'draft' | 'approved';
  draftedBy: ActorRef;
  approvedBy: ActorRef | null;
  schedule: Record<string, ProgrammedAuditStatus>;
  /** The responsibilities resolved against the people register when drafted (absent: drafted before it was read). */
  resolvedResponsibilities?: { responsibilities: ResolvedResponsibility[]; asOf: string };
};
export type AuditProgrammeState = AuditProgramme | null;

export type AuditProgrammeCommand =
  | ({
      type: 'DraftAuditProgramme';
      period: string;
      by: Actor;
      at: string;
      /** The register's appointments in force, as the engine read them (absent: the register was not consulted). */
      appointments?: AuditorAppointment[];
    } & AuditProgrammeContent)
  | { type: 'ApproveAuditProgramme'; by: Actor; at: string }
  | { type: 'MarkProgrammedAuditDue'; auditId: string; at: string }
  | { type: 'EscalateLateAudit'; auditId: string; at: string }
  | { type: 'NoteProgrammedAuditStarted'; auditId: string; at: string };

export type AuditProgrammeEvent =
  | ({ type: 'AuditProgrammeDrafted'; period: string; by: ActorRef; at: string } & AuditProgrammeContent)
  | { type: 'AuditProgrammeApproved'; by: ActorRef; at: string }
  /** Who is responsible for each area, as the declared responsibilities and the register's appointments say (responsibilities.ts). */
  | { type: 'AuditProgrammeResponsibilitiesResolved'; responsibilities: ResolvedResponsibility[]; asOf: string; by: ActorRef; at: string }
  | { type: 'ProgrammedAuditDue'; auditId: string; notify: string[]; at: string }
  | { type: 'ProgrammedAuditLate'; auditId: string; plannedEnd: string; escalateTo: AimsRole; at: string }
  | { type: 'ProgrammedAuditStarted'; auditId: string; at: string }
  // The audit's task in the one inbox (human-tasks read model): opened when it falls due, escalated when
  // late, superseded once its fieldwork starts (the internal audit itself is what closes it).
  | {
      type: 'HumanTaskOpened';
      taskId: string;
      kind: typeof PROGRAMMED_AUDIT_TASK_KIND;
      requiredRoles: AimsRole[];
      subject: { auditId: string; leadAuditor: string; period: string };
      requestedBy: null;
      dueAt: string;
      at: string;
    }
  | { type: 'HumanTaskEscalated'; taskId: string; escalatedTo: AimsRole; at: string }
  | { type: 'HumanTaskSuperseded'; taskId: string; reason: string; at: string };
export type AuditProgrammeEventType = AuditProgrammeEvent['type'];

const isInstant = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isText = (v: unknown, max = 500): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;

/** The shared role check, naming the step in its refusals as the lifecycle's do. */
function roleOf(by: Actor, roles: readonly AimsRole[], step: string): Result<ActorRef, DomainError> {
  return requireRoles(by, roles, step, step);
}

function areaIssue(a: AuditArea | undefined, field: string): ValidationIssue | null {
  if (!a || !(AUDIT_AREA_KINDS as readonly string[]).includes(a.kind)) return { field, problem: 'must be an area { kind, id }' };
  if (a.kind === 'clause' && !isClauseId(a.id)) return { field: `${field}.id`, problem: 'must be a clause of ISO/IEC 42001' };
  if (a.kind === 'control' && !isAnnexAControlId(a.id)) return { field: `${field}.id`, problem: 'must be an Annex A control' };
  return isText(a.id, 200) ? null : { field: `${field}.id`, problem: 'must be a non-empty string' };
}

function contentIssues(c: AuditProgrammeContent & { period: string }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const push = (i: ValidationIssue | null): void => void (i && issues.push(i));
  if (!PERIOD.test(c.period ?? '')) push({ field: 'period', problem: 'must be 1–32 letters, digits, ".", "_" or "-" (e.g. 2026)' });
  if (!Array.isArray(c.areas) || c.areas.length === 0) push({ field: 'areas', problem: 'must name at least one area' });
  else
    c.areas.forEach((a, i) => {
      push(areaIssue(a?.area, `areas[${i}].area`));
      if (!(IMPORTANCES as readonly string[]).includes(a?.importance))
        push({ field: `areas[${i}].importance`, problem: `must be one of ${IMPORTANCES.join(', ')}` });
      if (!(PREVIOUS_RESULTS as readonly string[]).includes(a?.previousResult))
        push({ field: `areas[${i}].previousResult`, problem: `must be one of ${PREVIOUS_RESULTS.join(', ')}` });
    });
  if (!Array.isArray(c.methods) || c.methods.length === 0 || !c.methods.every((m) => isText(m)))
    push({ field: 'methods', problem: 'must name at least one method (e.g. document review, interviews, evidence sampling)' });
  if (!Array.isArray(c.responsibilities)) push({ field: 'responsibilities', problem: 'must be a list' });
  if (!Array.isArray(c.audits)) push({ field: 'audits', problem: 'must be a list of planned audits' });
  else
    c.audits.forEach((a, i) => {
      if (!PERIOD.test(a?.auditId ?? '') && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(a?.auditId ?? ''))
        push({ field: `audits[${i}].auditId`, problem: 'must be an audit id' });
      if (!Array.isArray(a?.areas) || a.areas.length === 0) push({ field: `audits[${i}].areas`, problem: 'must name at least one area' });
      if (!isText(a?.leadAuditor, 200)) push({ field: `audits[${i}].leadAuditor`, problem: 'must be the lead auditor’s id' });
      if (!isInstant(a?.plannedStart)) push({ field: `audits[${i}].plannedStart`, problem: 'must be an ISO 8601 instant' });
      if (!isInstant(a?.plannedEnd) || Date.parse(a.plannedEnd) <= Date.parse(a?.plannedStart))
        push({ field: `audits[${i}].plannedEnd`, problem: 'must be an ISO 8601 instant after plannedStart' });
    });
  return issues;
}

/** The areas the planned audits cover less often than their importance and previous result require. */
export function frequencyGaps(c: AuditProgrammeContent): Array<{ area: string; required: number; planned: number }> {
  return c.areas
    .map((a) => ({
      area: areaKey(a.area),
      required: requiredAudits(a.importance, a.previousResult),
      planned: c.audits.filter((p) => p.areas.some((x) => areaKey(x) === areaKey(a.area))).length,
    }))
    .filter((g) => g.planned < g.required);
}

export function decideAuditProgramme(c: AuditProgrammeCommand, s: AuditProgrammeState): Result<AuditProgrammeEvent[], DomainError> {
  if (c.type === 'DraftAuditProgramme') {
    if (s !== null) return err(domainError('PROGRAMME_ALREADY_DRAFTED', `The programme of ${s.period} exists already.`, {}));
    const who = roleOf(c.by, PROGRAMME_DRAFTER_ROLES, 'draft the audit programme');
    if (!who.ok) return who;
    const issues = contentIssues(c);
    if (issues.length > 0) return err(validationFailed('DraftAuditProgramme', issues));
    const gaps = frequencyGaps(c);
    if (gaps.length > 0)
      return err(
        domainError(
          'PROGRAMME_FREQUENCY_NOT_MET',
          `Areas audited less often than their importance and previous results require: ${gaps.map((g) => g.area).join(', ')}.`,
          {
            gaps,
          },
        ),
      );
    const { type: _t, by: _b, appointments, ...content } = c;
    const drafted: AuditProgrammeEvent = { type: 'AuditProgrammeDrafted', ...content, by: who.value };
    if (appointments === undefined) return ok([drafted]);
    // The register read: no lead auditor is responsible for an area of their own audit, and the record
    // names who is responsible for each area and why.
    const conflicts = programmeIndependenceConflicts(c.audits, c.responsibilities, appointments);
    if (conflicts.length > 0) {
      const first = conflicts[0];
      return err(
        domainError(
          'AUDITOR_NOT_INDEPENDENT',
          `${first.auditorId} cannot lead audit ${first.auditId} of ${first.area}: ${
            first.appointmentId === undefined
              ? 'the programme names them responsible for it'
              : `appointed ${first.role} (${first.appointmentId})`
          } (9.2.1 objectivity and impartiality).`,
          { conflicts },
        ),
      );
    }
    const areas = [...c.areas.map((a) => a.area), ...c.audits.flatMap((a) => a.areas)];
    return ok([
      drafted,
      {
        type: 'AuditProgrammeResponsibilitiesResolved',
        responsibilities: resolveResponsibilities(areas, c.responsibilities, appointments),
        asOf: c.at,
        by: who.value,
        at: c.at,
      },
    ]);
  }
  if (s === null) return err(domainError('PROGRAMME_NOT_DRAFTED', 'The audit programme is not drafted.', {}));
  switch (c.type) {
    case 'ApproveAuditProgramme': {
      const who = roleOf(c.by, PROGRAMME_APPROVER_ROLES, 'approve the audit programme');
      if (!who.ok) return who;
      if (s.status !== 'draft') return err(domainError('INVALID_TRANSITION', 'The programme is approved already.', { status: s.status }));
      if (c.by.id === s.draftedBy.id)
        return err(domainError('SEGREGATION_OF_DUTIES', `${c.by.id} drafted the programme and cannot approve it.`, { actorId: c.by.id }));
      return ok([{ type: 'AuditProgrammeApproved', by: who.value, at: c.at }]);
    }
    case 'MarkProgrammedAuditDue': {
      const audit = s.audits.find((a) => a.auditId === c.auditId);
      if (s.status !== 'approved' || audit === undefined || s.schedule[c.auditId] !== 'scheduled') return ok([]);
      return ok([
        { type: 'ProgrammedAuditDue', auditId: c.auditId, notify: [audit.leadAuditor], at: c.at },
        {
          type: 'HumanTaskOpened',
          taskId: programmedAuditTaskId(c.auditId),
          kind: PROGRAMMED_AUDIT_TASK_KIND,
          requiredRoles: ['internal_auditor'],
          subject: { auditId: c.auditId, leadAuditor: audit.leadAuditor, period: s.period },
          requestedBy: null,
          dueAt: audit.plannedEnd,
          at: c.at,
        },
      ]);
    }
    case 'EscalateLateAudit': {
      const audit = s.audits.find((a) => a.auditId === c.auditId);
      if (audit === undefined || s.schedule[c.auditId] !== 'due') return ok([]);
      return ok([
        { type: 'ProgrammedAuditLate', auditId: c.auditId, plannedEnd: audit.plannedEnd, escalateTo: 'aims_owner', at: c.at },
        { type: 'HumanTaskEscalated', taskId: programmedAuditTaskId(c.auditId), escalatedTo: 'aims_owner', at: c.at },
      ]);
    }
    case 'NoteProgrammedAuditStarted': {
      const st = s.schedule[c.auditId];
      if (st === undefined || st === 'started') return ok([]);
      const started: AuditProgrammeEvent = { type: 'ProgrammedAuditStarted', auditId: c.auditId, at: c.at };
      // Its task (open once it fell due, even when late) is done: the audit is under way.
      if (st === 'scheduled') return ok([started]);
      return ok([
        started,
        { type: 'HumanTaskSuperseded', taskId: programmedAuditTaskId(c.auditId), reason: 'the audit’s fieldwork started', at: c.at },
      ]);
    }
  }
}

export function evolveAuditProgramme(s: AuditProgrammeState, e: AuditProgrammeEvent): AuditProgrammeState {
  if (e.type === 'AuditProgrammeDrafted') {
    const { type: _t, by, at: _at, period, ...content } = e;
    return {
      ...content,
      period,
      status: 'draft',
      draftedBy: by,
      approvedBy: null,
      schedule: Object.fromEntries(content.audits.map((a) => [a.auditId, 'scheduled'])),
    };
  }
  if (s === null) return s;
  switch (e.type) {
    case 'AuditProgrammeApproved':
      return { ...s, status: 'approved', approvedBy: e.by };
    case 'AuditProgrammeResponsibilitiesResolved':
      return { ...s, resolvedResponsibilities: { responsibilities: e.responsibilities, asOf: e.asOf } };
    case 'ProgrammedAuditDue':
      return { ...s, schedule: { ...s.schedule, [e.auditId]: 'due' } };
    case 'ProgrammedAuditLate':
      return { ...s, schedule: { ...s.schedule, [e.auditId]: 'late' } };
    case 'ProgrammedAuditStarted':
      return { ...s, schedule: { ...s.schedule, [e.auditId]: 'started' } };
    case 'HumanTaskOpened':
    case 'HumanTaskEscalated':
    case 'HumanTaskSuperseded':
      return s;
  }
}

/** The next thing the programme does by itself, and when (epoch ms): an audit falling due, or one late. */
export function nextProgrammeStep(s: AuditProgrammeState): { at: number; command: (at: string) => AuditProgrammeCommand } | null {
  if (s === null || s.status !== 'approved') return null;
  type Next = { at: number; command: (at: string) => AuditProgrammeCommand };
  const steps = s.audits.flatMap((a): Next[] => {
    const st = s.schedule[a.auditId];
    if (st === 'scheduled')
      return [
        { at: Date.parse(a.plannedStart), command: (at: string) => ({ type: 'MarkProgrammedAuditDue' as const, auditId: a.auditId, at }) },
      ];
    if (st === 'due')
      return [{ at: Date.parse(a.plannedEnd), command: (at: string) => ({ type: 'EscalateLateAudit' as const, auditId: a.auditId, at }) }];
    return [];
  });
  return steps.sort((x, y) => x.at - y.at)[0] ?? null;
}

export const auditProgrammeEventData = (e: AuditProgrammeEvent): JsonObject => {
  const { type: _t, ...data } = e;
  return data;
};
export const auditProgrammeEventActor = (e: AuditProgrammeEvent): ActorRef | null => ('by' in e ? e.by : null);
export const AUDIT_PROGRAMME_ISO_42001_REFERENCES: Record<AuditProgrammeEventType, string[]> = {
  AuditProgrammeDrafted: ['9.2.2'],
  AuditProgrammeApproved: ['9.2.2', '5.3'],
  AuditProgrammeResponsibilitiesResolved: ['9.2.2', '9.2.1', '5.3'],
  ProgrammedAuditDue: ['9.2.2'],
  ProgrammedAuditLate: ['9.2.2'],
  ProgrammedAuditStarted: ['9.2.2'],
  HumanTaskOpened: ['9.2.2', '5.3'],
  HumanTaskEscalated: ['9.2.2', '5.3'],
  HumanTaskSuperseded: ['9.2.2'],
};
export const auditProgrammeEventReferences = (e: AuditProgrammeEvent): readonly string[] => AUDIT_PROGRAMME_ISO_42001_REFERENCES[e.type];
