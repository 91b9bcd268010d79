/**
 * The internal audit report over HTTP and the CLI (issue 17 item 6), on the real app, a real Temporal dev
 * server and a real worker: Markdown and self-contained HTML of an audit with a sample, a checklist result
 * and findings; as of an earlier position (the records then: no sample yet) and as of a date; the basis it
 * states is the log's own event there; bad format or as-of is 400 problem+json, an audit not planned (then)
 * 404; any role may read it, nobody without a token; `aims audits report` writes it whole to a file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditsCommand } from '../../apps/cli/src/commands/audits.command';
import { internalAuditStream } from '../../domain/internal-audit';
import { REPORT_CSP } from '../../domain/report';
import { UsageError } from '../../apps/cli/src/usage-error';
import { eventually } from '../support/eventually';
import { expectProblem, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

const TITLE = 'Validation <script>alert(1)</script> & "quotes"';

describe('the internal audit report through the HTTP API and the CLI', () => {
  let api: LifecycleApi;
  let ines: string;
  let plannedId: string;
  let plannedAt: { position: number; hash: string; recordedAt: string };

  beforeAll(async () => {
    api = await startLifecycleApi();
    ines = await api.issue('ines', ['internal_auditor']);
    await api
      .as('aims_owner')
      .post('/v1/internal-audits', {
        auditId: 'IA-R',
        title: TITLE,
        scope: [{ kind: 'control', id: 'A.6.2.4' }],
        criteria: [
          { criterionId: 'C1', text: 'Validation results are signed off (A.6.2.4)' },
          { criterionId: 'C2', text: 'Reasons name their metrics' },
        ],
        leadAuditor: 'ines',
        team: [],
        plannedStart: '2026-03-01T00:00:00Z',
        plannedEnd: '2026-03-15T00:00:00Z',
        responsibilities: [],
      })
      .expect(201);
    const [planned] = await collect(api, internalAuditStream('IA-R'));
    plannedId = planned.id;
    plannedAt = { position: planned.position, hash: planned.hash, recordedAt: planned.recordedAt };
    await api.as(ines).post('/v1/internal-audits/IA-R/fieldwork', {}).expect(201);
    await api
      .as(ines)
      .post('/v1/internal-audits/IA-R/samples', { sampleId: 'S1', asOfPosition: await api.head(), eventIds: [plannedId] })
      .expect(201);
    await api
      .as(ines)
      .post('/v1/internal-audits/IA-R/checklist', { criterionId: 'C1', result: 'does_not_conform', evidenceRefs: [plannedId] })
      .expect(201);
    await api
      .as(ines)
      .post('/v1/internal-audits/IA-R/findings', {
        findingId: 'F1',
        type: 'minor_nonconformity',
        statement: 'No sign-off <b>recorded</b>',
        evidenceRefs: [plannedId],
      })
      .expect(201);
    // The finding starts its corrective action, which records its own evidence: let it, so the log stands still.
    const finding = (await collect(api, internalAuditStream('IA-R'))).find((e) => e.type === 'AuditFindingRecorded');
    const nonconformityId = finding?.data.nonconformityId as string;
    await eventually(
      () => api.as('auditor').get(`/v1/nonconformities/${nonconformityId}`),
      (r) => r.status === 200,
      `nonconformity ${nonconformityId} recorded`,
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  test('Markdown: every section, the finding marked, the gap named, each statement citing its evidence, the basis the head', async () => {
    // The finding's corrective action records its own evidence a moment later, so the head may move while
    // the report is made: its basis is the head at some point between these two reads.
    const before = await api.events.head();
    const res = await api.as('auditor').get('/v1/internal-audits/IA-R/report').expect(200);
    const after = await api.events.head();
    expect(res.headers['content-type']).toMatch(/^text\/markdown; charset=utf-8/);
    const md = res.text;
    for (const h of [
      '## Audit plan: scope and criteria',
      '## Evidence sampled',
      '## Checklist per criterion',
      '## Findings',
      '## Corrective actions',
      '## Report and conclusion',
      '## Appendix: evidence cited',
    ]) {
      expect(md).toContain(h);
    }
    expect(md).toMatch(/^- \*\*\[FINDING\]\*\* Minor nonconformity F1: No sign\\-off &lt;b&gt;recorded&lt;\/b&gt;/m);
    expect(md).toMatch(/^- \*\*\[GAP\]\*\* No checklist result for criterion C2/m);
    expect(md).toMatch(/^- \*\*\[GAP\]\*\* The audit report has not been issued yet\./m);
    const position = Number(/\| Evidence position \| (\d+) \|/.exec(md)?.[1]);
    expect(position).toBeGreaterThanOrEqual(before?.position ?? 0);
    expect(position).toBeLessThanOrEqual(after?.position ?? 0);
    const basis = [before, after].find((h) => h?.position === position);
    if (basis !== undefined) expect(md).toContain(`| Hash at that position | \`${basis?.hash}\` |`);
    else expect(md).toMatch(/\| Hash at that position \| `[0-9a-f]{64}` \|/);
    expect(md).toContain(`\`aims evidence prove --event ${plannedId}\``);
    expect(md).not.toContain('<script>');
  });

  test('HTML: one self-contained file under the same Content-Security-Policy, text escaped', async () => {
    const res = await api.as('engineer').get('/v1/internal-audits/IA-R/report?format=html').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers['content-security-policy']).toBe(REPORT_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toMatch(/^<!DOCTYPE html>/);
    expect(res.text).toContain(`content="${REPORT_CSP}"`);
    expect(res.text).toContain('<section class="report-section" id="findings">');
    expect(res.text).toContain('Validation &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(res.text).not.toMatch(/<script|<link|<img/);
  });

  test('as of an earlier position or date: the records then, and the basis is that event of the log', async () => {
    const at = (await api.as('auditor').get(`/v1/internal-audits/IA-R/report?asOf=${plannedAt.position}`).expect(200)).text;
    expect(at).toContain(`| Evidence position | ${plannedAt.position} |`);
    expect(at).toContain(`| Hash at that position | \`${plannedAt.hash}\` |`);
    expect(at).toContain(`| As of | ${plannedAt.position} |`);
    expect(at).toMatch(/^- \*\*\[GAP\]\*\* No evidence has been sampled\./m);
    expect(at).toContain('No findings recorded.');

    // As of the instant the plan was recorded: the basis is the last event recorded by then (the plan or,
    // when another was recorded in the same millisecond, that one), never one recorded later.
    const byDate = (
      await api
        .as('auditor')
        .get(`/v1/internal-audits/IA-R/report?asOf=${encodeURIComponent(plannedAt.recordedAt)}`)
        .expect(200)
    ).text;
    const position = Number(/\| Evidence position \| (\d+) \|/.exec(byDate)?.[1]);
    const recorded = await collect(api, internalAuditStream('IA-R'));
    expect(position).toBeGreaterThanOrEqual(plannedAt.position);
    expect(recorded.filter((e) => e.position <= position && e.recordedAt > plannedAt.recordedAt)).toEqual([]);
  });

  test('refusals: bad format or as-of 400, not planned (then) 404, no token 401; nothing recorded', async () => {
    const head = await api.head();
    expectProblem(await api.as('auditor').get('/v1/internal-audits/IA-R/report?format=pdf'), 400);
    expectProblem(await api.as('auditor').get('/v1/internal-audits/IA-R/report?asOf=yesterday'), 400);
    expectProblem(await api.as('auditor').get('/v1/internal-audits/NOPE/report'), 404, 'INTERNAL_AUDIT_NOT_PLANNED');
    expectProblem(await api.as('auditor').get('/v1/internal-audits/IA-R/report?asOf=2000-01-01'), 404, 'INTERNAL_AUDIT_NOT_PLANNED');
    expectProblem(await api.anonymous().get('/v1/internal-audits/IA-R/report'), 401);
    expect(await api.head()).toBe(head);
  });

  test('aims audits report: to stdout, or whole to a file; an unknown audit exits 2, a bad format is a usage error', async () => {
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
    };
    expect(await auditsCommand(['report', 'IA-R'], io)).toBe(0);
    expect(out.join('')).toContain('## Findings');
    const dir = mkdtempSync(join(tmpdir(), 'aims-audit-report-'));
    try {
      out.length = 0;
      const file = join(dir, 'IA-R.html');
      expect(await auditsCommand(['report', 'IA-R', '--format', 'html', '--as-of', String(plannedAt.position), '--out', file], io)).toBe(0);
      const html = readFileSync(file, 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>[\s\S]*<dt>Evidence position<\/dt><dd>(\d+)<\/dd>[\s\S]*<\/html>\n$/);
      expect(html).toContain(`<dt>Evidence position</dt><dd>${plannedAt.position}</dd>`);
      expect(out.join('')).toContain(`written to ${file}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    out.length = 0;
    expect(await auditsCommand(['report', 'NOPE'], io)).toBe(2);
    expect(out.join('')).toMatch(/404/);
    await expect(auditsCommand(['report', 'IA-R', '--format', 'pdf'], io)).rejects.toBeInstanceOf(UsageError);
  });
});

async function collect(api: LifecycleApi, stream: string) {
  const events = [];
  for await (const e of api.events.readStream(stream)) events.push(e);
  return events;
}
