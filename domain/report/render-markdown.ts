/**
 * A report as Markdown (issue 17 item 6): header with the basis it was computed at, one section per
 * report section, each statement and table row followed by links to the evidence ids it rests on, and an
 * appendix listing every cited id with how to check it. Pure and deterministic: the same document gives the
 * same text (generatedAt is the only field that may differ between two reports of the same records).
 *
 * Every text from the records is escaped: a finding's statement is data, never Markdown or HTML a viewer
 * would interpret (a `<script>` in a statement stays visible text).
 */
import { anchorsOf, citedEvidence, howToCheck, KIND_LABEL, TONE_LABEL, visibleControls } from './cited-evidence';
import type { ReportDocument, ReportSection, ReportStatement } from './model';

/** Escapes text for a Markdown line: HTML stays text, Markdown punctuation stays literal, one line. */
export function markdownText(text: string): string {
  return visibleControls(text.replace(/\r\n|\r|\n|\t/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]{}()#+!|~-]/g, (c) => `\\${c}`);
}

/** An anchor that is safe in an `id` and a link: kebab-case letters and digits only. */
export const safeAnchor = (id: string): string => id.toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'section';

/** A code span: no backtick or line break can end it early (its content is shown literally). */
const codeSpan = (text: string): string => `\`${visibleControls(text.replace(/[`\r\n]/g, "'"))}\``;

function evidenceLinks(ids: readonly string[], anchors: ReadonlyMap<string, string>): string {
  if (ids.length === 0) return '';
  return ` (evidence: ${ids.map((id) => `[${markdownText(id)}](#${anchors.get(id) ?? ''})`).join(', ')})`;
}

function statementLine(s: ReportStatement, anchors: ReadonlyMap<string, string>): string {
  const label = TONE_LABEL[s.tone ?? 'fact'];
  const tag = label === '' ? '' : `**[${label}]** `;
  const clause = s.clause === undefined ? '' : ` [clause ${markdownText(s.clause)}]`;
  return `- ${tag}${markdownText(s.text)}${clause}${evidenceLinks(s.evidence, anchors)}`;
}

function sectionLines(section: ReportSection, anchors: ReadonlyMap<string, string>): string[] {
  const clause = section.clause === undefined ? '' : ` (clause ${markdownText(section.clause)})`;
  const lines = [`<a id="${safeAnchor(section.id)}"></a>`, '', `## ${markdownText(section.title)}${clause}`, ''];
  for (const s of section.statements) lines.push(statementLine(s, anchors));
  if (section.statements.length > 0) lines.push('');
  const table = section.table;
  if (table !== undefined) {
    lines.push(`| ${[...table.columns.map(markdownText), 'Evidence'].join(' | ')} |`);
    lines.push(`|${[...table.columns, 'Evidence'].map(() => ' --- ').join('|')}|`);
    for (const row of table.rows) {
      const links = row.evidence.map((id) => `[${markdownText(id)}](#${anchors.get(id) ?? ''})`).join(', ');
      lines.push(`| ${[...row.cells.map((c) => markdownText(c) || ' '), links || '—'].join(' | ')} |`);
    }
    if (table.rows.length === 0) lines.push(`| ${[...table.columns.map(() => '—'), '—'].join(' | ')} |`);
    lines.push('');
  }
  return lines;
}

export function renderReportMarkdown(doc: ReportDocument): string {
  const cited = citedEvidence(doc);
  const anchors = anchorsOf(cited);
  const b = doc.basis;
  const lines = [
    `# ${markdownText(doc.title)}`,
    '',
    `${KIND_LABEL[doc.kind]}: ${markdownText(doc.subject)}`,
    '',
    '| Basis | |',
    '| --- | --- |',
    `| Evidence position | ${b.position} |`,
    `| Recorded at | ${b.recordedAt === undefined ? '— (the log was empty)' : markdownText(b.recordedAt)} |`,
    `| Hash at that position | ${b.hash === undefined ? '—' : `\`${b.hash.replace(/[^0-9a-fA-F]/g, '')}\``} |`,
    `| As of | ${b.asOf === undefined ? '— (the latest records)' : markdownText(b.asOf)} |`,
    `| Generated at | ${markdownText(doc.generatedAt)} |`,
    '',
    `Every statement names the evidence events it rests on; the appendix lists them with how to check each one. **[GAP]** marks something missing, **[FINDING]** a nonconformity, **[OK]** a requirement met.`,
    '',
  ];
  for (const section of doc.sections) lines.push(...sectionLines(section, anchors));
  lines.push('<a id="evidence-appendix"></a>', '', '## Appendix: evidence cited', '');
  if (cited.length === 0) lines.push('No evidence is cited.', '');
  for (const e of cited) {
    const where = [
      e.stream === undefined ? null : `stream ${markdownText(e.stream)}`,
      e.position === undefined ? null : `position ${e.position}`,
      e.type === undefined ? null : markdownText(e.type),
    ].filter((x): x is string => x !== null);
    lines.push(`<a id="${e.anchor}"></a>`, '');
    lines.push(`- ${codeSpan(e.id)}${where.length > 0 ? ` — ${where.join(', ')}` : ''}`);
    lines.push(`  - check: ${howToCheck(e, b.position).map(codeSpan).join(' · ')}`);
  }
  lines.push('');
  return lines.join('\n');
}
