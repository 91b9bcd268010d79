/**
 * The read models of the audit processes (9.2, 10.1): one row per internal audit, audit programme and
 * opportunity for improvement, from the event that begins each (a stream that begins otherwise is none),
 * with where each stands now and what the lists filter by; the order column is where each began.
 */
import type { AuditProgrammeEvent } from '../../../domain/audit-programme';
import type { ImprovementEvent } from '../../../domain/improvement';
import type { InternalAuditEvent } from '../../../domain/internal-audit';
import type { Projected, ReadModelDefinition } from '../../../infra/ports/read-model-store.port';
import { AUDIT_PROGRAMMES, IMPROVEMENTS, INTERNAL_AUDITS } from '../../../infra/projections/read-models';
import { EvidenceLog } from '../../support/recorded-events';

const at = '2026-03-01T09:00:00.000Z';
const olivia = { id: 'olivia', role: 'aims_owner' as const };
const ines = { id: 'Ines', role: 'internal_auditor' as const };

function fold<Row>(model: ReadModelDefinition<Row, unknown>, log: EvidenceLog): Map<string, Row> {
  const rows = new Map<string, Projected<Row, unknown>>();
  for (const event of log.events) {
    const key = model.keyOf(event);
    if (key === null) continue;
    const next = model.apply(rows.get(key) ?? null, event);
    if (next === null) rows.delete(key);
    else rows.set(key, JSON.parse(JSON.stringify(next)) as Projected<Row, unknown>);
  }
  return new Map([...rows].map(([k, v]) => [k, v.row]));
}

const column = <Row>(model: ReadModelDefinition<Row, unknown>, name: string, row: Row) =>
  model.columns.find((c) => c.name === name)?.value(row);

const area = { kind: 'ai_system' as const, id: 'credit-scoring' };
const planned = (auditId: string, programmeId: string | null): InternalAuditEvent => ({
  type: 'AuditPlanned',
  auditId,
  title: 't',
  programmeId,
  scope: [area],
  criteria: [{ criterionId: 'C1', text: 'c' }],
  leadAuditor: 'Ines',
  team: [],
  plannedStart: '2026-03-01T00:00:00.000Z',
  plannedEnd: '2026-03-15T00:00:00.000Z',
  responsibilities: [],
  by: olivia,
  at,
});

test('internal audits: a row per planned audit, where it stands, its pending corrective actions; other streams are none', () => {
  const log = new EvidenceLog();
  log.record('internal-audit-IA-1', [
    planned('IA-1', '2026'),
    { type: 'AuditFieldworkStarted', by: ines, at },
    {
      type: 'AuditSampleRecorded',
      sampleId: 'S1',
      asOfPosition: 1,
      records: [{ eventId: 'e1', stream: 's', type: 't', position: 1, authorId: 'victor' }],
      by: ines,
      at,
    },
    {
      type: 'AuditFindingRecorded',
      findingId: 'F1',
      findingType: 'minor_nonconformity',
      criterionId: 'C1',
      area,
      statement: 's',
      evidenceRefs: ['e1'],
      nonconformityId: 'IA-1-F1',
      by: ines,
      at,
    },
  ] satisfies InternalAuditEvent[]);
  log.record('internal-audit-IA-2', [planned('IA-2', null)]);
  // a stream of the category that does not begin with a plan is no audit
  log.record('internal-audit-IA-3', [{ type: 'AuditFieldworkStarted', by: ines, at }]);
  log.record('improvement-IA-1-F2', [
    {
      type: 'ImprovementProposed',
      improvementId: 'IA-1-F2',
      source: { kind: 'internal_audit', reference: 'IA-1/F2' },
      description: 'd',
      owner: 'Erin',
      by: ines,
      at,
    },
  ] as ImprovementEvent[]);

  const audits = fold(INTERNAL_AUDITS, log);
  expect([...audits.keys()]).toEqual(['IA-1', 'IA-2']);
  const first = audits.get('IA-1');
  expect(first).toMatchObject({ status: 'fieldwork', programmeId: '2026', findings: 1, pendingCorrectiveActions: 1, firstPosition: 1 });
  expect(audits.get('IA-2')).toMatchObject({ status: 'planned', programmeId: null, firstPosition: 5 });
  if (first === undefined) throw new Error('no row');
  expect(column(INTERNAL_AUDITS, 'lead_auditor', first)).toBe('ines');
  expect(column(INTERNAL_AUDITS, 'programme_id', first)).toBe('2026');

  const register = fold(IMPROVEMENTS, log);
  expect([...register.values()]).toEqual([
    expect.objectContaining({ improvementId: 'IA-1-F2', status: 'proposed', owner: 'Erin', sourceKind: 'internal_audit' }),
  ]);
  const row = register.get('IA-1-F2');
  if (row === undefined) throw new Error('no row');
  expect(column(IMPROVEMENTS, 'owner', row)).toBe('erin');
});

test('audit programmes: a row per drafted programme; approval and a late audit move its status and late count', () => {
  const log = new EvidenceLog();
  log.record('audit-programme-2026', [
    {
      type: 'AuditProgrammeDrafted',
      period: '2026',
      areas: [{ area, importance: 'medium', previousResult: 'conforming' }],
      methods: ['interviews'],
      responsibilities: [],
      audits: [{ auditId: 'P-1', areas: [area], leadAuditor: 'ines', plannedStart: at, plannedEnd: at }],
      by: ines,
      at,
    },
  ] satisfies AuditProgrammeEvent[]);
  expect(fold(AUDIT_PROGRAMMES, log).get('2026')).toMatchObject({ status: 'draft', audits: 1, late: 0 });
  log.record('audit-programme-2026', [
    { type: 'AuditProgrammeApproved', by: olivia, at },
    { type: 'ProgrammedAuditLate', auditId: 'P-1', plannedEnd: at, escalateTo: 'aims_owner', at },
  ] satisfies AuditProgrammeEvent[]);
  expect(fold(AUDIT_PROGRAMMES, log).get('2026')).toMatchObject({ status: 'approved', late: 1, firstPosition: 1, lastPosition: 3 });
});
