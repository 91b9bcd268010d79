/**
 * The readiness check as a report an auditor reads (domain/report): a summary, then one section per stage
 * with a table of every check line and a statement per gap, each citing the evidence it rests on. The
 * renderers (Markdown, HTML) are the report module's; this only builds the document.
 */
import type { ReportBasis, ReportDocument, ReportSection, ReportStatement } from '../report/model';
import { STAGE_1_CHECK_IDS, type ReadinessCheck, type ReadinessResult } from './model';

const STAGE_1: ReadonlySet<string> = new Set(STAGE_1_CHECK_IDS);

function statement(c: ReadinessCheck): ReportStatement {
  return {
    text: `${c.title} — ${c.where}: ${c.what}`,
    evidence: [...c.evidence],
    tone: c.status === 'met' ? 'ok' : 'gap',
    clause: c.clause,
  };
}

function stageSection(id: string, title: string, clause: string, checks: readonly ReadinessCheck[]): ReportSection {
  return {
    id,
    title,
    clause,
    statements: checks.map(statement),
    table: {
      columns: ['Check', 'Clause', 'Status', 'Where', 'What'],
      rows: checks.map((c) => ({ cells: [c.id, c.clause, c.status, c.where, c.what], evidence: [...c.evidence] })),
    },
  };
}

/** The readiness report of a result computed at `basis`; `generatedAt` is when it is produced (the caller's clock). */
export function readinessReport(result: ReadinessResult, basis: ReportBasis, options: { generatedAt: string }): ReportDocument {
  const gaps = result.checks.filter((c) => c.status === 'gap');
  const stage1 = result.checks.filter((c) => STAGE_1.has(c.id));
  const stage2 = result.checks.filter((c) => !STAGE_1.has(c.id));
  const summary: ReportStatement[] = [
    {
      text: result.ready
        ? `Ready for Stage ${result.stage}: every check is met as of ${result.asOf}.`
        : `Not ready for Stage ${result.stage} as of ${result.asOf}: ${gaps.length} gap${gaps.length === 1 ? '' : 's'} to close.`,
      evidence: [],
      tone: result.ready ? 'ok' : 'gap',
    },
  ];
  if (result.stage === 2)
    summary.push({
      text:
        result.operatingPeriodFrom === null
          ? 'No operating period could be found: no deployment is recorded and no start was given.'
          : `Operating period looked at: ${result.operatingPeriodFrom} to ${result.asOf}.`,
      evidence: [],
      tone: result.operatingPeriodFrom === null ? 'gap' : 'fact',
    });
  const sections: ReportSection[] = [
    { id: 'summary', title: 'Summary', statements: summary },
    stageSection('stage-1', 'Stage 1: the documented AI management system', '4', stage1),
  ];
  if (result.stage === 2) sections.push(stageSection('stage-2', 'Stage 2: records over the operating period', '9', stage2));
  return {
    kind: 'readiness',
    title: `Certification readiness, Stage ${result.stage}`,
    subject: `stage ${result.stage}`,
    basis,
    generatedAt: options.generatedAt,
    sections,
  };
}
