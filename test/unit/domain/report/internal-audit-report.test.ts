/**
 * The internal audit report built from the audit's state and the events that recorded it (9.2.1): each
 * section from the records, each statement citing the events it rests on, and what is not recorded yet a
 * visible gap, never an invented value.
 */
import type { InternalAuditEvent } from '../../../../domain/internal-audit';
import { internalAuditReport, NO_INTERNAL_AUDIT_RECORDS, type ReportSection } from '../../../../domain/report';
import { AUDIT_EVENTS, BASIS, fixtureReport, foldAudit } from '../../../support/internal-audit-report-fixture';

const section = (doc: { sections: readonly ReportSection[] }, id: string): ReportSection => {
  const s = doc.sections.find((x) => x.id === id);
  if (s === undefined) throw new Error(`no section ${id}`);
  return s;
};
const texts = (s: ReportSection) => s.statements.map((x) => x.text);

describe('internalAuditReport', () => {
  const doc = fixtureReport();

  it('is the audit report of the audit, at the basis it was given, with the sections an auditor reads', () => {
    expect(doc.kind).toBe('internal-audit');
    expect(doc.subject).toBe('IA-2026-1');
    expect(doc.basis).toEqual(BASIS);
    expect(doc.sections.map((s) => s.id)).toEqual(['plan', 'team', 'sample', 'checklist', 'findings', 'corrective-actions', 'conclusion']);
  });

  it('states the plan (scope, programme, dates, criteria) on the AuditPlanned event', () => {
    const plan = section(doc, 'plan');
    expect(texts(plan)).toContain('Scope: control:A.6.2.4.');
    expect(plan.statements[1]).toMatchObject({ evidence: ['audit-ev-0'], clause: '9.2.2' });
    expect(plan.statements[1].text).toContain('under audit programme AP-2026');
    expect(plan.table?.rows.map((r) => r.cells[0])).toEqual(['C1', 'C2', 'C3']);
    expect(plan.table?.rows.every((r) => r.evidence.join() === 'audit-ev-0')).toBe(true);
  });

  it('lists each sampled record with its position, stream, author, and the sample event', () => {
    const sample = section(doc, 'sample');
    expect(texts(sample)).toEqual([expect.stringContaining('Sample S1: 2 record(s) of the evidence as of position 45')]);
    expect(sample.table?.rows).toEqual([
      { cells: ['S1', '40', 'ai-system-credit-scoring', 'ValidationSignedOff', 'erin'], evidence: ['ev-validation-1', 'audit-ev-2'] },
      { cells: ['S1', '44', 'ai-system-credit-scoring', 'DeploymentApproved', 'amara'], evidence: ['ev-deploy-1', 'audit-ev-2'] },
    ]);
    expect(doc.evidenceIndex).toContainEqual({
      id: 'ev-deploy-1',
      stream: 'ai-system-credit-scoring',
      position: 44,
      type: 'DeploymentApproved',
    });
  });

  it('gives the checklist result per criterion with its refs, and a gap for a criterion without one', () => {
    const checklist = section(doc, 'checklist');
    expect(checklist.table?.rows.map((r) => [r.cells[0], r.cells[1], r.evidence])).toEqual([
      ['C1', 'conforms', ['audit-ev-3', 'ev-validation-1']],
      ['C2', 'does not conform', ['audit-ev-4', 'ev-deploy-1']],
    ]);
    expect(checklist.statements).toEqual([expect.objectContaining({ tone: 'gap', text: expect.stringContaining('criterion C3') })]);
  });

  it('gives the findings by kind, gravest first, nonconformities marked as findings of 10.2', () => {
    const findings = section(doc, 'findings');
    expect(findings.statements[0].text).toBe('Findings: 1 observation, 1 minor nonconformity, 1 major nonconformity.');
    expect(findings.statements.slice(1).map((s) => [s.text.split(':')[0], s.tone, s.clause])).toEqual([
      ['Major nonconformity F1 (criterion C2, area control', 'finding', '10.2'],
      ['Minor nonconformity F3 (criterion C1)', 'finding', '10.2'],
      ['Observation F2', 'fact', '9.2.1'],
    ]);
    expect(findings.statements[1].evidence).toEqual(['audit-ev-5', 'ev-deploy-1']);
  });

  it('gives each corrective action and where it stands: an open one is a gap, a closed one met', () => {
    const ca = section(doc, 'corrective-actions');
    expect(ca.statements.map((s) => [s.tone, s.evidence])).toEqual([
      ['gap', ['audit-ev-5']],
      ['ok', ['audit-ev-7', 'audit-ev-8']],
    ]);
    expect(ca.statements[0].text).toContain('IA-2026-1-F1: opened, no approved plan yet');
    expect(ca.table?.rows.map((r) => r.cells)).toEqual([
      ['F1', 'Major nonconformity', 'IA-2026-1-F1', 'opened, no approved plan yet'],
      ['F3', 'Minor nonconformity', 'IA-2026-1-F3', 'closed'],
    ]);
  });

  it('gives the conclusion from the issued report, or a gap while it is not issued', () => {
    expect(texts(section(doc, 'conclusion'))).toContain(
      `Conclusion: ${AUDIT_EVENTS[9].type === 'AuditReportIssued' ? AUDIT_EVENTS[9].conclusion : ''}`,
    );
    const early = fixtureReport(3);
    expect(section(early, 'conclusion').statements[0]).toMatchObject({ tone: 'gap', text: 'The audit report has not been issued yet.' });
    expect(section(early, 'sample').statements).toHaveLength(1);
    expect(section(fixtureReport(2), 'sample').statements[0]).toMatchObject({ tone: 'gap', text: 'No evidence has been sampled.' });
    expect(section(early, 'findings').statements[0].text).toBe('No findings recorded.');
  });

  it('checks independence on the records: met when no auditor audits their own area or record', () => {
    expect(section(doc, 'team').statements[1]).toMatchObject({ tone: 'ok', evidence: ['audit-ev-0', 'audit-ev-2'] });
  });

  it('shows a breach of independence as a finding when the records hold one', () => {
    const planned = AUDIT_EVENTS[0] as Extract<InternalAuditEvent, { type: 'AuditPlanned' }>;
    const { audit } = foldAudit();
    const ownArea = { ...audit, plan: { ...audit.plan, responsibilities: [{ area: planned.scope[0], personIds: ['ivan'] }] } };
    const ownRecord = {
      ...audit,
      samples: audit.samples.map((s) => ({ ...s, records: s.records.map((r) => ({ ...r, authorId: 'ines' })) })),
    };
    const team = (a: typeof audit) => section(internalAuditReport(a, BASIS, { generatedAt: 'x' }), 'team').statements.slice(1);
    expect(team(ownArea)).toEqual([
      expect.objectContaining({ tone: 'finding', text: 'ivan audits area control:A.6.2.4, for which the plan names them responsible.' }),
    ]);
    expect(team(ownRecord).map((s) => s.tone)).toEqual(['finding', 'finding', 'finding', 'finding', 'finding']); // two checklist results, three findings
    expect(team(ownRecord)[0].text).toBe('ines cites record ev-validation-1, which they authored.');
  });

  it('cites no id it does not know when built without the records (the state alone)', () => {
    const { audit } = foldAudit();
    const bare = internalAuditReport(audit, BASIS, { generatedAt: 'x', records: NO_INTERNAL_AUDIT_RECORDS });
    const cited = bare.sections.flatMap((s) => [
      ...s.statements.flatMap((x) => x.evidence),
      ...(s.table?.rows ?? []).flatMap((r) => r.evidence),
    ]);
    expect(new Set(cited)).toEqual(new Set(['ev-validation-1', 'ev-deploy-1']));
  });
});
