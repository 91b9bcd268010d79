/**
 * A report as ONE self-contained HTML file (issue 17 item 6): no external asset of any kind (no link, no
 * script, no image, no font: inline CSS only), and a Content-Security-Policy that forbids everything but
 * inline styles, so opening the file fetches nothing even if a record's text tried. Print-friendly: each
 * section starts a page, tables repeat their header and keep rows whole, link targets are printed.
 *
 * Every text from the records is HTML-escaped. Each statement and table row links to the evidence ids it
 * rests on, listed in the appendix with how to check them; gaps, findings and met requirements carry a
 * visible label (words, not only colour). Pure and deterministic: the same document gives the same bytes.
 */
import { anchorsOf, citedEvidence, howToCheck, KIND_LABEL, TONE_LABEL, visibleControls } from './cited-evidence';
import type { ReportDocument, ReportSection, ReportStatement } from './model';
import { safeAnchor } from './render-markdown';

/** The policy the file carries: nothing may load or run; only the inline stylesheet applies. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => visibleControls(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = `
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #111; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #999; padding-bottom: .2rem; }
.subject { margin: 0 0 1rem; color: #333; }
dl.basis { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
dl.basis dt { font-weight: 600; }
dl.basis dd { margin: 0; overflow-wrap: anywhere; }
code { font: .9em ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.clause { font-size: .85em; color: #333; border: 1px solid #999; border-radius: .2rem; padding: 0 .25rem; white-space: nowrap; }
ul.statements { padding-left: 1.2rem; }
ul.statements li { margin: .25rem 0; }
.tone { font-weight: 700; font-size: .85em; border: 1.5px solid currentColor; border-radius: .2rem; padding: 0 .25rem; margin-right: .3rem; }
.tone-gap .tone { color: #8a4b00; }
.tone-finding .tone { color: #a0001c; }
.tone-ok .tone { color: #1d6b2a; }
li.tone-gap { background: #fff4e0; }
li.tone-finding { background: #fde8eb; }
.evidence { font-size: .85em; color: #333; }
.evidence a { color: #0b4f9c; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92em; }
th, td { border: 1px solid #888; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #eee; overflow-wrap: normal; }
.how { font-size: .85em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav#contents { page-break-after: always; break-after: page; }
  section.report-section, section#evidence-appendix { page-break-before: always; break-before: page; }
  h2 { page-break-after: avoid; break-after: avoid; }
  thead { display: table-header-group; }
  tr, li { page-break-inside: avoid; break-inside: avoid; }
  li.tone-gap, li.tone-finding { background: none; }
  a { color: inherit; text-decoration: none; }
  .evidence a::after { content: " (" attr(href) ")"; }
}`;

function evidenceLinks(ids: readonly string[], anchors: ReadonlyMap<string, string>): string {
  return ids.map((id) => `<a href="#${anchors.get(id) ?? ''}"><code>${escapeHtml(id)}</code></a>`).join(', ');
}

const clauseTag = (clause: string | undefined): string =>
  clause === undefined ? '' : ` <span class="clause" title="ISO/IEC 42001 clause or control">${escapeHtml(clause)}</span>`;

function statementItem(s: ReportStatement, anchors: ReadonlyMap<string, string>): string {
  const tone = s.tone ?? 'fact';
  const label = TONE_LABEL[tone];
  const tag = label === '' ? '' : `<span class="tone">${label}</span>`;
  const evidence = s.evidence.length === 0 ? '' : ` <span class="evidence">evidence: ${evidenceLinks(s.evidence, anchors)}</span>`;
  return `<li class="statement tone-${tone}">${tag}${escapeHtml(s.text)}${clauseTag(s.clause)}${evidence}</li>`;
}

function sectionHtml(section: ReportSection, anchors: ReadonlyMap<string, string>): string {
  const parts = [
    `<section class="report-section" id="${safeAnchor(section.id)}">`,
    `<h2>${escapeHtml(section.title)}${clauseTag(section.clause)}</h2>`,
  ];
  if (section.statements.length > 0) {
    parts.push('<ul class="statements">', ...section.statements.map((s) => statementItem(s, anchors)), '</ul>');
  }
  const table = section.table;
  if (table !== undefined) {
    const head = [...table.columns, 'Evidence'].map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
    const rows = table.rows.map(
      (r) =>
        `<tr>${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}<td class="evidence">${evidenceLinks(r.evidence, anchors) || '—'}</td></tr>`,
    );
    if (rows.length === 0) rows.push(`<tr><td colspan="${table.columns.length + 1}">None.</td></tr>`);
    parts.push(`<table><thead><tr>${head}</tr></thead><tbody>`, ...rows, '</tbody></table>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

export function renderReportHtml(doc: ReportDocument): string {
  const cited = citedEvidence(doc);
  const anchors = anchorsOf(cited);
  const b = doc.basis;
  const basisRows: Array<[string, string]> = [
    ['Evidence position', String(b.position)],
    ['Recorded at', b.recordedAt === undefined ? '— (the log was empty)' : escapeHtml(b.recordedAt)],
    ['Hash at that position', b.hash === undefined ? '—' : `<code>${escapeHtml(b.hash)}</code>`],
    ['As of', b.asOf === undefined ? '— (the latest records)' : escapeHtml(b.asOf)],
    ['Generated at', escapeHtml(doc.generatedAt)],
  ];
  const contents = [...doc.sections.map((s) => [safeAnchor(s.id), s.title]), ['evidence-appendix', 'Appendix: evidence cited']]
    .map(([id, title]) => `<li><a href="#${id}">${escapeHtml(title)}</a></li>`)
    .join('');
  const appendix = cited.map((e) => {
    const ways = howToCheck(e, b.position)
      .map((w) => `<code>${escapeHtml(w)}</code>`)
      .join('<br>');
    return `<tr id="${e.anchor}"><td><code>${escapeHtml(e.id)}</code></td><td>${e.stream === undefined ? '—' : escapeHtml(e.stream)}</td><td>${e.position ?? '—'}</td><td>${e.type === undefined ? '—' : escapeHtml(e.type)}</td><td class="how">${ways}</td></tr>`;
  });
  if (appendix.length === 0) appendix.push('<tr><td colspan="5">No evidence is cited.</td></tr>');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<header id="report-header">',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="subject">${KIND_LABEL[doc.kind]}: <strong>${escapeHtml(doc.subject)}</strong></p>`,
    `<dl class="basis">${basisRows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    '<p>Every statement names the evidence events it rests on; the appendix lists them with how to check each one. <span class="tone">GAP</span> marks something missing, <span class="tone">FINDING</span> a nonconformity, <span class="tone">OK</span> a requirement met.</p>',
    '</header>',
    `<nav id="contents"><h2>Contents</h2><ol>${contents}</ol></nav>`,
    '<main>',
    ...doc.sections.map((s) => sectionHtml(s, anchors)),
    '<section id="evidence-appendix">',
    '<h2>Appendix: evidence cited</h2>',
    `<p>Each event is checked against the hash-chained evidence log: an inclusion proof finds it by id and proves it is in the log; the stream's history as of position ${b.position} shows its content.</p>`,
    '<table><thead><tr><th scope="col">Event id</th><th scope="col">Stream</th><th scope="col">Position</th><th scope="col">Type</th><th scope="col">How to check</th></tr></thead><tbody>',
    ...appendix,
    '</tbody></table>',
    '</section>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
