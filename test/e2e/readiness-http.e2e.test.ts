/**
 * Certification readiness on the real engine (API app, Temporal dev server, worker, SQLite store), as a new
 * user meets it (issue 17's check): on a fresh store `GET /v1/readiness` and `aims readiness` list every
 * Stage 1 gap; after `aims demo` (which runs the people, objectives, audit programme and audit, and a
 * management review through the real processes) Stage 1 is ready and the CLI exits 0, and as of a date
 * before the demo it is not. Bad stage or dates are refused with problem+json and the CLI exits 2.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { runDemo, type DemoIo } from '../../apps/cli/src/commands/demo.command';
import { readinessCommand, type ReadinessBody, type ReadinessIo } from '../../apps/cli/src/commands/readiness.command';
import { UsageError } from '../../apps/cli/src/usage-error';
import { READINESS_CHECKS, STAGE_1_CHECK_IDS } from '../../domain/readiness';
import { expectProblem, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

const READINESS_TITLES: Record<string, string> = Object.fromEntries(Object.entries(READINESS_CHECKS).map(([id, c]) => [id, c.title]));

let api: LifecycleApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startLifecycleApi();
  await api.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
});

afterAll(async () => {
  await api?.close();
});

async function cli(args: string[], role = 'auditor'): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: ReadinessIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { AIMS_URL: baseUrl, AIMS_TOKEN: api.tokens[role as keyof typeof api.tokens] },
  };
  const code = await readinessCommand(args, io);
  return { code, out: out.join(''), err: err.join('') };
}

const readiness = async (query = ''): Promise<ReadinessBody> =>
  (await api.as('auditor').get(`/v1/readiness${query}`).expect(200)).body as ReadinessBody;
const statusOf = (body: ReadinessBody, id: string): string[] => body.checks.filter((c) => c.id === id).map((c) => c.status);

describe('readiness on a fresh store', () => {
  test('given nothing recorded, when Stage 1 is asked, then every check is a gap naming where, what and the clause', async () => {
    const body = await readiness();
    expect(body).toMatchObject({ stage: 1, ready: false, met: 0, gaps: STAGE_1_CHECK_IDS.length, operatingPeriodFrom: null });
    expect(body.checks.map((c) => c.id)).toEqual([...STAGE_1_CHECK_IDS]);
    for (const c of body.checks) {
      expect(c).toMatchObject({ status: 'gap', where: expect.any(String), what: expect.any(String), clause: expect.any(String) });
      expect(c.what.length).toBeGreaterThan(0);
    }
    const stage2 = await readiness('?stage=2');
    expect(stage2.checks.filter((c) => c.id === 'impact-assessed-before-deployment')).toEqual([
      expect.objectContaining({ status: 'gap', what: expect.stringMatching(/no operating period/) }),
    ]);
  });

  test('given nothing recorded, when aims readiness runs, then it exits 1 with a table naming every gap and a summary line', async () => {
    const { code, out } = await cli([]);
    expect(code).toBe(1);
    for (const id of STAGE_1_CHECK_IDS) expect(out).toContain(id);
    expect(out).toMatch(/^GAP\s+4\.3\s+aims-scope-approved\s+aims-scope\s+no scope statement/m);
    expect(out).toMatch(/Not ready for Stage 1 as of .*: 9 gaps, 0 met/);
    const json = await cli(['--json', '--stage', '2']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as ReadinessBody).stage).toBe(2);
  });

  test('given bad arguments or an API refusal, when aims readiness runs, then it is a usage error or exit 2', async () => {
    await expect(cli(['--stage', '3'])).rejects.toThrow(UsageError);
    await expect(cli(['--bogus'])).rejects.toThrow(/bogus/);
    const refused = await cli(['--as-of', '2026-02-30']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/400/);
    const forbidden = await cli([], 'engineer');
    expect(forbidden.code).toBe(2);
    const unreachable = await readinessCommand([], {
      stdout: () => undefined,
      stderr: () => undefined,
      env: { AIMS_URL: 'http://127.0.0.1:1', AIMS_TOKEN: 'x' },
    });
    expect(unreachable).toBe(2);
  });

  test('given nothing recorded, when the report is asked for, then Markdown and one self-contained HTML file name every gap, and aims readiness --format writes it and still exits 1', async () => {
    const md = await api.as('auditor').get('/v1/readiness/report?stage=1').expect(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.text).toMatch(/Not ready for Stage 1/);
    for (const id of STAGE_1_CHECK_IDS) expect(md.text).toContain(READINESS_TITLES[id]);
    const html = await api.as('aims_owner').get('/v1/readiness/report?stage=2&format=html').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.headers['content-disposition']).toContain('readiness-stage-2.html');
    expect(html.text).toMatch(/^<!DOCTYPE html>/i);
    expect(html.text).not.toMatch(/<script|<link|src=/i);
    expectProblem(await api.as('auditor').get('/v1/readiness/report?format=pdf'), 400);
    expectProblem(await api.as('engineer').get('/v1/readiness/report'), 403);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-readiness-report-'));
    try {
      const out = path.join(dir, 'readiness.html');
      const written = await cli(['--format', 'html', '--out', out]);
      expect(written.code).toBe(1);
      expect(written.err).toContain('readiness report (Stage 1) written to');
      expect(fs.readFileSync(out, 'utf8')).toMatch(/Not ready for Stage 1/);
      expect(fs.readdirSync(dir)).toEqual(['readiness.html']);
      await expect(cli(['--format', 'pdf'])).rejects.toThrow(UsageError);
      await expect(cli(['--json', '--format', 'md'])).rejects.toThrow(UsageError);
      await expect(cli(['--out', out])).rejects.toThrow(UsageError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('given bad query values or a role that may not read it, when asked, then problem+json and nothing recorded', async () => {
    const before = await api.head();
    expectProblem(await api.as('auditor').get('/v1/readiness?stage=3'), 400);
    expectProblem(await api.as('auditor').get('/v1/readiness?asOf=2026-02-30'), 400);
    expectProblem(await api.as('auditor').get('/v1/readiness?asOf=42'), 400);
    expectProblem(await api.as('auditor').get('/v1/readiness?stage=2&since=yesterday'), 400);
    expectProblem(await api.as('auditor').get('/v1/readiness?stage=2&since=2026-05-02&asOf=2026-05-01'), 400);
    expectProblem(await api.as('engineer').get('/v1/readiness'), 403);
    for (const role of ['internal_auditor', 'aims_owner', 'top_management']) await api.as(role).get('/v1/readiness').expect(200);
    expect(await api.head()).toBe(before);
  });
});

describe('readiness after the demo', () => {
  test('given aims demo (its people, objectives, audit programme and audit, management review), when Stage 1 is asked, then it is ready and aims readiness exits 0; as of before the demo, every gap again', async () => {
    const beforeTheDemo = (await readiness()).basis.recordedAt ?? '1970-01-01T00:00:00.000Z';
    await new Promise((r) => setTimeout(r, 5));
    const demoIo: DemoIo = { stdout: () => undefined, stderr: () => undefined, env: { AIMS_DATA_DIR: api.config.dataDir } };
    await runDemo({ url: baseUrl, store: api.storeUrl }, demoIo);

    const body = await readiness();
    expect(body.checks.filter((c) => c.status === 'gap')).toEqual([]);
    expect(body).toMatchObject({ ready: true, gaps: 0, met: STAGE_1_CHECK_IDS.length });
    // every met line cites evidence that is in the store
    for (const c of body.checks) for (const id of c.evidence) expect((await api.events.eventById(id))?.id).toBe(id);
    expect(body.basis.position).toBeGreaterThan(0);
    const { code, out } = await cli(['--stage', '1']);
    expect(code).toBe(0);
    expect(out).toMatch(/Ready for Stage 1 as of .*: all 9 checks met/);

    const earlier = await cli(['--as-of', beforeTheDemo]);
    expect(earlier.code).toBe(1);
    expect(earlier.out).toMatch(/Not ready for Stage 1 as of .*: 9 gaps, 0 met/);

    // Stage 2 over the demo's operating period: its deployments followed an approved impact assessment and a
    // validation signed off for the deployed digest; what is still open is named, never passed over.
    const stage2 = await readiness('?stage=2');
    expect(stage2.operatingPeriodFrom).not.toBeNull();
    expect(statusOf(stage2, 'impact-assessed-before-deployment')).toEqual(['met']);
    expect(statusOf(stage2, 'validation-signed-off-before-deployment')).toEqual(['met']);
    for (const gap of stage2.checks.filter((c) => c.status === 'gap')) expect(gap.what.length).toBeGreaterThan(0);
    expect(stage2.ready).toBe(stage2.gaps === 0);
  });
});
