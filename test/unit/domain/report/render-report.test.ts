/**
 * The two renderers of a report (issue 17 item 6): text from the records stays text (hostile strings), every
 * evidence link has its target in the appendix, gaps and findings are labelled, the basis is in the header,
 * the HTML loads nothing, and the same document renders to the same bytes.
 */
import { REPORT_CSP, renderReportHtml, renderReportMarkdown, type ReportDocument } from '../../../../domain/report';
import { BASIS, fixtureReport, HOSTILE } from '../../../support/internal-audit-report-fixture';

const doc = fixtureReport();
const html = renderReportHtml(doc);
const md = renderReportMarkdown(doc);

/** The <li> of the statement whose text contains `needle`. */
const itemWith = (needle: string): string => {
  const item = html.split('\n').find((l) => l.startsWith('<li class="statement') && l.includes(needle));
  if (item === undefined) throw new Error(`no statement with ${needle}`);
  return item;
};

describe('renderReportHtml', () => {
  it('escapes every text from the records: no tag, attribute or entity of theirs survives', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert("x")');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &quot;double&quot; &lt;img src=&quot;http://127.0.0.1:9/x.png&quot;&gt;',
    );
    // Only the renderer's own tags, none of which loads anything.
    const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase()));
    const allowed =
      'html head meta title style body header h1 h2 p strong dl dt dd span nav ol li a main section ul table thead tbody tr th td code br';
    expect([...tags].filter((t) => !allowed.split(' ').includes(t))).toEqual([]);
    expect(html).not.toMatch(/\s(src|srcset|action|formaction|background|poster|data)="/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
  });

  it('carries a Content-Security-Policy that forbids everything but inline styles', () => {
    expect(REPORT_CSP).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('links every cited evidence id to an appendix row that says how to check it', () => {
    const targets = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const links = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !targets.has(l))).toEqual([]);
    const f1 = itemWith('Major nonconformity F1');
    expect(f1).toContain('<code>audit-ev-5</code>');
    expect(f1).toContain('<code>ev-deploy-1</code>');
    const anchor = /<a href="#(evidence-\d+)"><code>ev-deploy-1<\/code>/.exec(f1)?.[1];
    const row = html.split('\n').find((l) => l.startsWith(`<tr id="${anchor}">`));
    expect(row).toContain('<code>ev-deploy-1</code></td><td>ai-system-credit-scoring</td><td>44</td><td>DeploymentApproved</td>');
    expect(row).toContain('aims evidence prove --event ev-deploy-1');
    expect(row).toContain('GET /v1/evidence/proofs/inclusion?eventId=ev-deploy-1');
    expect(row).toContain(`GET /v1/audit/streams/ai-system-credit-scoring?asOf=${BASIS.position}`);
  });

  it('labels gaps, findings and met requirements in words, each in its own style', () => {
    expect(itemWith('Major nonconformity F1')).toMatch(/^<li class="statement tone-finding"><span class="tone">FINDING<\/span>/);
    expect(itemWith('No checklist result for criterion C3')).toMatch(/^<li class="statement tone-gap"><span class="tone">GAP<\/span>/);
    expect(itemWith('Observation F2')).toMatch(/^<li class="statement tone-fact">Observation/);
    expect(itemWith('Major nonconformity F1')).toContain('<span class="clause" title="ISO/IEC 42001 clause or control">10.2</span>');
  });

  it('states the basis in the header and is print-friendly', () => {
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    for (const v of [String(BASIS.position), BASIS.recordedAt, BASIS.hash, BASIS.asOf, doc.generatedAt]) expect(header).toContain(v);
    expect(html).toContain('@media print');
    expect(html).toMatch(/section\.report-section[^{]*\{[^}]*break-before: page/);
    expect(html).toContain('thead { display: table-header-group; }');
  });

  it('gives the same bytes for the same document; only generatedAt may differ', () => {
    expect(renderReportHtml(fixtureReport())).toBe(html);
    const later = renderReportHtml(fixtureReport(undefined, '2027-01-01T00:00:00.000Z'));
    expect(later).not.toBe(html);
    expect(later.replace('2027-01-01T00:00:00.000Z', doc.generatedAt)).toBe(html);
  });

  it('says so when nothing is cited and the log was empty', () => {
    const empty: ReportDocument = {
      kind: 'readiness',
      title: 'Ready?',
      subject: 'stage 1',
      basis: { position: 0 },
      generatedAt: 'now',
      sections: [],
    };
    const out = renderReportHtml(empty);
    expect(out).toContain('No evidence is cited.');
    expect(out).toContain('— (the log was empty)');
  });
});

describe('renderReportMarkdown', () => {
  it('keeps text from the records as text: no raw HTML, no Markdown of theirs, no broken table', () => {
    expect(md).not.toContain('<script');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;script&gt;alert\\(');
    expect(md).toContain('&amp; \'quoted\' "double"');
    expect(md).toContain('\\*bold\\* \\[l\\]\\(http://x\\)');
    // The plan's criteria (criterion, text, evidence) and the checklist (criterion, result, note, recorded
    // by, evidence): the "|" in the hostile text is escaped, so each row keeps its cells.
    const c2 = md.split('\n').filter((l) => l.startsWith('| C2 |'));
    expect(c2.map((l) => l.split(/(?<!\\)\|/).length - 2)).toEqual([3, 5]);
    expect(md.split('\n').filter((l) => /^<a id="[^"]*"><\/a>$/.test(l) === false && l.includes('<a '))).toEqual([]);
  });

  it('links every cited evidence id to its appendix anchor, with how to check it', () => {
    const targets = new Set([...md.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const links = [...md.matchAll(/\]\(#([^)]*)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !targets.has(l))).toEqual([]);
    const f1 = md.split('\n').find((l) => l.includes('Major nonconformity F1'));
    expect(f1).toMatch(/^- \*\*\[FINDING\]\*\* Major nonconformity F1/);
    expect(f1).toMatch(/\(evidence: \[audit\\-ev\\-5\]\(#evidence-\d+\), \[ev\\-deploy\\-1\]\(#evidence-\d+\)\)$/);
    expect(f1).toContain('[clause 10.2]');
    expect(md).toContain('`aims evidence prove --event ev-deploy-1`');
    expect(md).toMatch(/- `ev-deploy-1` — stream ai\\-system\\-credit\\-scoring, position 44, DeploymentApproved/);
  });

  it('marks gaps and states the basis', () => {
    expect(md).toMatch(/^- \*\*\[GAP\]\*\* No checklist result for criterion C3/m);
    expect(md).toContain(`| Evidence position | ${BASIS.position} |`);
    expect(md).toContain(`| Hash at that position | \`${BASIS.hash}\` |`);
    expect(md).toContain('| As of | 2026\\-03\\-02 |');
  });

  it('gives the same text for the same document; only generatedAt may differ', () => {
    expect(renderReportMarkdown(fixtureReport())).toBe(md);
    const later = renderReportMarkdown(fixtureReport(undefined, '2027-01-01T00:00:00.000Z'));
    expect(later.replace('2027\\-01\\-01T00:00:00.000Z', doc.generatedAt.replace(/-/g, '\\-'))).toBe(md);
    expect(later).not.toBe(md);
  });
});

it('shows control and bidi-override characters from the records as their codes, in both formats', () => {
  const doc: ReportDocument = {
    kind: 'internal-audit',
    title: 'T',
    subject: 'S',
    basis: { position: 1 },
    generatedAt: 'g',
    sections: [{ id: 'a', title: 'A', statements: [{ text: 'red \u001b[31m then \u202eevil', evidence: ['id\u0007'] }] }],
  };
  for (const out of [renderReportHtml(doc), renderReportMarkdown(doc)]) {
    // eslint-disable-next-line no-control-regex -- no control character may remain
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toContain('u001b');
    expect(out).toContain('u202e');
    expect(out).toContain('u0007');
  }
});

it('HOSTILE really is hostile (the fixture tests what it claims)', () => {
  expect(HOSTILE).toMatch(/<script>.*&.*'.*".*<img/);
});
