/**
 * The internal audit report (ISO/IEC 42001 9.2.1, 9.2.2; issue 17 item 6), built from the audit as its
 * evidence records it: plan (scope, criteria, dates), team and independence, the evidence sampled with its
 * positions, the checklist result per criterion, the findings by kind, the corrective action each
 * nonconformity opened and where it stands, and the conclusion. Every statement names the events it rests
 * on: the audit's own events (folded by `noteInternalAuditRecord` while the stream is read) and the sampled
 * records its results cite. What is not recorded yet is a visible gap, never an invented value.
 */
import { areaConflicts, authoredRecords } from '../internal-audit/decide';
import {
  areaKey,
  FINDING_TYPES,
  isNonconformityFinding,
  type AuditFinding,
  type FindingType,
  type InternalAudit,
  type InternalAuditEvent,
} from '../internal-audit/model';
import type { ReportBasis, ReportDocument, ReportEvidence, ReportSection, ReportStatement } from './model';

/** Which stored event recorded each part of the audit: what the report's statements cite. */
export interface InternalAuditRecords {
  readonly events: ReadonlyMap<string, ReportEvidence>;
  readonly planned?: string;
  readonly fieldwork?: string;
  readonly samples: ReadonlyMap<string, string>;
  readonly checklist: ReadonlyMap<string, string>;
  readonly findings: ReadonlyMap<string, string>;
  /** The latest FindingCorrectiveActionNoted per nonconformity id. */
  readonly correctiveActions: ReadonlyMap<string, string>;
  readonly report?: string;
  readonly closed?: string;
}

export const NO_INTERNAL_AUDIT_RECORDS: InternalAuditRecords = {
  events: new Map(),
  samples: new Map(),
  checklist: new Map(),
  findings: new Map(),
  correctiveActions: new Map(),
};

/** Folds one stored event of the audit's stream (as `evolve` folds the state): which event recorded what. */
export function noteInternalAuditRecord(
  r: InternalAuditRecords,
  stored: { id: string; stream: string; position: number },
  e: InternalAuditEvent,
): InternalAuditRecords {
  const events = new Map(r.events).set(stored.id, { id: stored.id, stream: stored.stream, position: stored.position, type: e.type });
  const put = (m: ReadonlyMap<string, string>, k: string) => new Map(m).set(k, stored.id);
  switch (e.type) {
    case 'AuditPlanned':
      return { ...r, events, planned: stored.id };
    case 'AuditFieldworkStarted':
      return { ...r, events, fieldwork: stored.id };
    case 'AuditSampleRecorded':
      return { ...r, events, samples: put(r.samples, e.sampleId) };
    case 'AuditChecklistResultRecorded':
      return { ...r, events, checklist: put(r.checklist, e.criterionId) };
    case 'AuditFindingRecorded':
      return { ...r, events, findings: put(r.findings, e.findingId) };
    case 'FindingCorrectiveActionNoted':
      return { ...r, events, correctiveActions: put(r.correctiveActions, e.nonconformityId) };
    case 'AuditReportIssued':
      return { ...r, events, report: stored.id };
    case 'AuditClosed':
      return { ...r, events, closed: stored.id };
    case 'HumanTaskOpened':
    case 'HumanTaskReminderSent':
    case 'HumanTaskEscalated':
    case 'HumanTaskDecided':
      // The follow-up task's events: known to the report's index, cited by no statement.
      return { ...r, events };
  }
}

const FINDING_LABEL: Record<FindingType, string> = {
  conformity: 'Conformity',
  observation: 'Observation',
  opportunity_for_improvement: 'Opportunity for improvement',
  minor_nonconformity: 'Minor nonconformity',
  major_nonconformity: 'Major nonconformity',
};

const RESULT_LABEL = { conforms: 'conforms', does_not_conform: 'does not conform', not_applicable: 'not applicable' } as const;

const PROGRESS_LABEL = {
  opened: 'opened, no approved plan yet',
  not_started: 'not started',
  plan_approved: 'plan approved',
  closed: 'closed',
} as const;

const ids = (...xs: Array<string | undefined>): string[] => [...new Set(xs.filter((x): x is string => x !== undefined))];
const who = (a: { id: string; role: string }): string => `${a.id} (${a.role})`;

export function internalAuditReport(
  audit: InternalAudit,
  basis: ReportBasis,
  options: { generatedAt: string; records?: InternalAuditRecords },
): ReportDocument {
  const r = options.records ?? NO_INTERNAL_AUDIT_RECORDS;
  const sections = [planSection(audit, r), teamSection(audit, r), sampleSection(audit, r), checklistSection(audit, r)];
  sections.push(findingsSection(audit, r), correctiveActionsSection(audit, r), conclusionSection(audit, r));
  const index = new Map(r.events);
  for (const sample of audit.samples) {
    for (const rec of sample.records) {
      if (!index.has(rec.eventId)) index.set(rec.eventId, { id: rec.eventId, stream: rec.stream, position: rec.position, type: rec.type });
    }
  }
  return {
    kind: 'internal-audit',
    title: `Internal audit report: ${audit.plan.title}`,
    subject: audit.auditId,
    basis,
    generatedAt: options.generatedAt,
    sections,
    evidenceIndex: [...index.values()].sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

function planSection(a: InternalAudit, r: InternalAuditRecords): ReportSection {
  const ev = ids(r.planned);
  const p = a.plan;
  const statements: ReportStatement[] = [
    {
      text: `Audit ${a.auditId} (${p.title}), status ${a.status.replace('_', '-')}.`,
      evidence: ids(r.planned, r.report, r.closed),
      clause: '9.2.1',
    },
    {
      text: `Planned by ${who(a.plannedBy)} at ${a.plannedAt}, for ${p.plannedStart} to ${p.plannedEnd}${p.programmeId === null ? ', outside any audit programme' : `, under audit programme ${p.programmeId}`}.`,
      evidence: ev,
      clause: '9.2.2',
    },
    { text: `Scope: ${p.scope.map(areaKey).join(', ') || 'no area named'}.`, evidence: ev, clause: '9.2.2' },
  ];
  return {
    id: 'plan',
    title: 'Audit plan: scope and criteria',
    clause: '9.2.2',
    statements,
    table: { columns: ['Criterion', 'Text'], rows: p.criteria.map((c) => ({ cells: [c.criterionId, c.text], evidence: ev })) },
  };
}

function teamSection(a: InternalAudit, r: InternalAuditRecords): ReportSection {
  const ev = ids(r.planned);
  const p = a.plan;
  const team = p.team.filter((t) => t !== p.leadAuditor);
  return {
    id: 'team',
    title: 'Audit team and independence',
    clause: '9.2.1',
    statements: [
      {
        text: `Lead auditor: ${p.leadAuditor}. Team: ${team.length > 0 ? team.join(', ') : 'the lead auditor alone'}.`,
        evidence: ev,
        clause: '9.2.1',
      },
      ...independence(a, r),
    ],
    table: {
      columns: ['Area', 'Responsible (declared in the plan)'],
      rows: p.responsibilities.map((x) => ({ cells: [areaKey(x.area), x.personIds.join(', ')], evidence: ev })),
    },
  };
}

/**
 * Independence checked again on what was recorded (the engine refuses a breach when it is attempted; the
 * report shows the check, so a reader sees it rather than takes it on trust).
 */
function independence(a: InternalAudit, r: InternalAuditRecords): ReportStatement[] {
  const p = a.plan;
  const areas = areaConflicts(p, [...new Set([p.leadAuditor, ...p.team])]);
  const cited = [
    ...a.checklist.map((c) => ({ by: c.by.id, refs: c.evidenceRefs, record: r.checklist.get(c.criterionId) })),
    ...a.findings.map((f) => ({ by: f.recordedBy.id, refs: f.evidenceRefs, record: r.findings.get(f.findingId) })),
  ].flatMap((c) => authoredRecords(a, c.refs, c.by).map((eventId) => ({ ...c, eventId })));
  const out: ReportStatement[] = areas.map((x) => ({
    text: `${x.auditorId} audits area ${x.area}, for which the plan names them responsible.`,
    evidence: ids(r.planned),
    tone: 'finding',
    clause: '9.2.1',
  }));
  for (const c of cited) {
    out.push({
      text: `${c.by} cites record ${c.eventId}, which they authored.`,
      evidence: ids(c.record, c.eventId),
      tone: 'finding',
      clause: '9.2.1',
    });
  }
  if (out.length === 0) {
    out.push({
      text: 'No auditor is named responsible for an area in scope, and no cited record was authored by the auditor who cited it.',
      evidence: ids(r.planned, ...a.samples.map((s) => r.samples.get(s.sampleId))),
      tone: 'ok',
      clause: '9.2.1',
    });
  }
  return out;
}

function sampleSection(a: InternalAudit, r: InternalAuditRecords): ReportSection {
  const statements: ReportStatement[] = a.samples.map((s) => ({
    text: `Sample ${s.sampleId}: ${s.records.length} record(s) of the evidence as of position ${s.asOfPosition}, taken by ${who(s.takenBy)} at ${s.takenAt}.`,
    evidence: ids(r.samples.get(s.sampleId)),
    clause: '9.2.1',
  }));
  if (a.samples.length === 0) statements.push({ text: 'No evidence has been sampled.', evidence: [], tone: 'gap', clause: '9.2.1' });
  return {
    id: 'sample',
    title: 'Evidence sampled',
    clause: '9.2.1',
    statements,
    table: {
      columns: ['Sample', 'Position', 'Stream', 'Type', 'Author'],
      rows: a.samples.flatMap((s) =>
        s.records.map((rec) => ({
          cells: [s.sampleId, String(rec.position), rec.stream, rec.type, rec.authorId ?? '—'],
          evidence: ids(rec.eventId, r.samples.get(s.sampleId)),
        })),
      ),
    },
  };
}

function checklistSection(a: InternalAudit, r: InternalAuditRecords): ReportSection {
  const byCriterion = new Map(a.checklist.map((c) => [c.criterionId, c]));
  const missing = a.plan.criteria.filter((c) => !byCriterion.has(c.criterionId));
  return {
    id: 'checklist',
    title: 'Checklist per criterion',
    clause: '9.2.1',
    statements: missing.map((c) => ({
      text: `No checklist result for criterion ${c.criterionId} (${c.text}).`,
      evidence: ids(r.planned),
      tone: 'gap',
      clause: '9.2.1',
    })),
    table: {
      columns: ['Criterion', 'Result', 'Note', 'Recorded by'],
      rows: a.plan.criteria.flatMap((c) => {
        const res = byCriterion.get(c.criterionId);
        if (res === undefined) return [];
        return [
          {
            cells: [c.criterionId, RESULT_LABEL[res.result], res.note, `${who(res.by)} at ${res.at}`],
            evidence: ids(r.checklist.get(c.criterionId), ...res.evidenceRefs),
          },
        ];
      }),
    },
  };
}

function findingStatement(f: AuditFinding, r: InternalAuditRecords): ReportStatement {
  const where = [f.criterionId === null ? null : `criterion ${f.criterionId}`, f.area === null ? null : `area ${areaKey(f.area)}`].filter(
    (x) => x !== null,
  );
  return {
    text: `${FINDING_LABEL[f.type]} ${f.findingId}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${f.statement} — recorded by ${who(f.recordedBy)} at ${f.recordedAt}.`,
    evidence: ids(r.findings.get(f.findingId), ...f.evidenceRefs),
    tone: isNonconformityFinding(f.type) ? 'finding' : f.type === 'conformity' ? 'ok' : 'fact',
    clause: isNonconformityFinding(f.type) ? '10.2' : '9.2.1',
  };
}

function findingsSection(a: InternalAudit, r: InternalAuditRecords): ReportSection {
  const counts = FINDING_TYPES.map((t) => [t, a.findings.filter((f) => f.type === t).length] as const).filter(([, n]) => n > 0);
  const statements: ReportStatement[] = [
    {
      text:
        a.findings.length === 0
          ? 'No findings recorded.'
          : `Findings: ${counts.map(([t, n]) => `${n} ${FINDING_LABEL[t].toLowerCase()}`).join(', ')}.`,
      evidence: ids(...a.findings.map((f) => r.findings.get(f.findingId))),
      clause: '9.2.1',
    },
  ];
  // By kind, the gravest first: a reader meets the nonconformities before the observations.
  for (const t of [...FINDING_TYPES].reverse()) {
    for (const f of a.findings.filter((x) => x.type === t)) statements.push(findingStatement(f, r));
  }
  return { id: 'findings', title: 'Findings', clause: '9.2.1', statements };
}

function correctiveActionsSection(a: InternalAudit, r: InternalAuditRecords): ReportSection {
  const ncs = a.findings.filter((f) => f.nonconformityId !== null);
  const statements: ReportStatement[] = ncs.map((f) => {
    const progress = f.correctiveAction ?? 'opened';
    const settled = progress === 'closed' || progress === 'plan_approved';
    return {
      text: `Finding ${f.findingId} opened corrective action ${f.nonconformityId}: ${PROGRESS_LABEL[progress]}.${settled ? '' : ' The audit cannot close until it is closed or its plan is approved.'}`,
      evidence: ids(r.findings.get(f.findingId), f.nonconformityId === null ? undefined : r.correctiveActions.get(f.nonconformityId)),
      tone: progress === 'closed' ? 'ok' : settled ? 'fact' : 'gap',
      clause: '10.2',
    };
  });
  if (ncs.length === 0)
    statements.push({ text: 'No nonconformity was found, so no corrective action was opened.', evidence: [], clause: '10.2' });
  return {
    id: 'corrective-actions',
    title: 'Corrective actions',
    clause: '10.2',
    statements,
    table: {
      columns: ['Finding', 'Kind', 'Nonconformity', 'Status'],
      rows: ncs.map((f) => ({
        cells: [f.findingId, FINDING_LABEL[f.type], f.nonconformityId ?? '—', PROGRESS_LABEL[f.correctiveAction ?? 'opened']],
        evidence: ids(r.findings.get(f.findingId), f.nonconformityId === null ? undefined : r.correctiveActions.get(f.nonconformityId)),
      })),
    },
  };
}

function conclusionSection(a: InternalAudit, r: InternalAuditRecords): ReportSection {
  const statements: ReportStatement[] = [];
  if (a.report === null) {
    statements.push({ text: 'The audit report has not been issued yet.', evidence: [], tone: 'gap', clause: '9.2.1' });
  } else {
    const ev = ids(r.report);
    statements.push({ text: `Issued by ${who(a.report.issuedBy)} at ${a.report.issuedAt}.`, evidence: ev, clause: '9.2.1' });
    statements.push({ text: `Summary: ${a.report.summary}`, evidence: ev, clause: '9.2.1' });
    statements.push({ text: `Conclusion: ${a.report.conclusion}`, evidence: ev, clause: '9.2.1' });
  }
  statements.push(
    a.closedAt === null
      ? { text: `The audit is not closed yet (status ${a.status.replace('_', '-')}).`, evidence: ids(r.report), clause: '9.2.1' }
      : { text: `The audit was closed at ${a.closedAt}.`, evidence: ids(r.closed), tone: 'ok', clause: '9.2.1' },
  );
  return { id: 'conclusion', title: 'Report and conclusion', clause: '9.2.1', statements };
}
