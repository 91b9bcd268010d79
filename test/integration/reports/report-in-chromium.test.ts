/**
 * The HTML report as a browser renders it (issue 17 item 6): real headless Chromium (Debian's package)
 * loads the file from a local server that logs every request, dumps the DOM it built and prints it to PDF.
 * The key sections must be in the rendered DOM, text from the records must have stayed text (no script
 * element), and the page must have asked for nothing but itself. A second page, with a remote image and
 * script slipped in after rendering, shows the Content-Security-Policy is what stops such a load.
 *
 * Chromium is required: without it the test fails and says how to install it (.ci/run installs it).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReportHtml } from '../../../domain/report';
import { fixtureReport } from '../../support/internal-audit-report-fixture';
import { HEADLESS_CHROMIUM_FLAGS } from '../../e2e/support/console-browser';

const CHROMIUM = process.env.AIMS_CHROMIUM ?? 'chromium';

function chromiumPresent(): boolean {
  const probe = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return probe.error === undefined && probe.status === 0 && /Chromium/i.test(probe.stdout);
}

function chromium(args: string[], userDataDir: string): Promise<string> {
  const flags = [...HEADLESS_CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...flags, ...args], { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${CHROMIUM} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe('the HTML report in headless Chromium', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const requests: string[] = [];
  const pages = new Map<string, string>();

  beforeAll(async () => {
    if (!chromiumPresent()) {
      throw new Error(
        `Chromium is needed to render the HTML report and was not found as "${CHROMIUM}". Install Debian's package: ` +
          'apt-get install -y --no-install-recommends chromium (or set AIMS_CHROMIUM to its path).',
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'aims-report-chromium-'));
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const page = pages.get(req.url ?? '');
      if (page === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders every key section, keeps hostile text as text, and requests nothing but the page', async () => {
    const doc = fixtureReport();
    pages.set('/report.html', renderReportHtml(doc));
    requests.length = 0;
    const dom = await chromium(['--dump-dom', `${base}/report.html`], join(dir, 'profile-dom'));

    for (const id of ['report-header', 'contents', ...doc.sections.map((s) => s.id), 'evidence-appendix']) {
      expect(dom).toContain(`id="${id}"`);
    }
    for (const heading of [
      'Audit plan: scope and criteria',
      'Evidence sampled',
      'Checklist per criterion',
      'Findings',
      'Corrective actions',
      'Report and conclusion',
      'Appendix: evidence cited',
    ]) {
      expect(dom).toContain(`<h2>${heading}`);
    }
    // The parser met no tag in the records' text: the DOM has no script or image element, only their text.
    expect(dom).not.toMatch(/<script|<img/i);
    expect(dom).toContain('&lt;script&gt;alert("x")&lt;/script&gt;');
    expect(dom).toMatch(/<span class="tone">FINDING<\/span>Major nonconformity F1/);
    expect(dom).toMatch(/<tr id="evidence-\d+"><td><code>ev-deploy-1<\/code>/);
    expect(requests).toEqual(['/report.html']);
  });

  it('prints to PDF with each section on its own page', async () => {
    const doc = fixtureReport();
    pages.set('/report.html', renderReportHtml(doc));
    requests.length = 0;
    const pdf = join(dir, 'report.pdf');
    await chromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `${base}/report.html`], join(dir, 'profile-pdf'));
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pageCount = (bytes.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    // Header and contents, then one page at least per section and the appendix.
    expect(pageCount).toBeGreaterThanOrEqual(doc.sections.length + 2);
    expect(requests).toEqual(['/report.html']);
  });

  it('is the Content-Security-Policy that stops a remote image or script slipped into the file', async () => {
    const slipped = (html: string) => html.replace('</main>', `<img src="${base}/leak.png"><script src="${base}/leak.js"></script></main>`);
    const html = renderReportHtml(fixtureReport());
    pages.set('/with-csp.html', slipped(html));
    pages.set('/without-csp.html', slipped(html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')));
    requests.length = 0;
    await chromium(['--dump-dom', `${base}/with-csp.html`], join(dir, 'profile-csp'));
    expect(requests).toEqual(['/with-csp.html']);
    // Control: the same page without the policy does fetch them, so the check above can fail.
    requests.length = 0;
    await chromium(['--dump-dom', `${base}/without-csp.html`], join(dir, 'profile-no-csp'));
    expect(requests).toEqual(expect.arrayContaining(['/without-csp.html', '/leak.png', '/leak.js']));
  });
});
