/**
 * The Statement of Applicability through the HTTP API, on the real app, a real Temporal dev server and a
 * real worker sharing the app's SQLite evidence store: a revision proposed by the AIMS owner, reviewed by
 * a risk owner and approved by top management in the task inbox is the SoA in force, with each control's
 * status; bad input is problem+json 400 and writes nothing; the SoA as of before the approval is none, and
 * as of a date between two approvals the one approved then.
 */
import type { AddressInfo } from 'node:net';
import { soaCommand } from '../../apps/cli/src/commands/soa.command';
import { ANNEX_A_CONTROL_IDS } from '../../domain/catalogue';
import { SOA_STREAM } from '../../domain/soa';
import type { AimsRole } from '../../domain/shared/roles';
import { startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(120_000);

describe('the Statement of Applicability through the HTTP API', () => {
  let api: LifecycleApi;

  beforeAll(async () => {
    api = await startLifecycleApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  const post = (role: AimsRole, path: string, body: object) => api.as(role).post(path, body);
  const get = (role: AimsRole, path: string) => api.as(role).get(path);
  const revision = () => api.events.streamRevision(SOA_STREAM);

  const entries = ANNEX_A_CONTROL_IDS.map((controlId) =>
    controlId === 'A.10.4'
      ? { controlId, applicable: false, justification: { text: 'No customers of our AI systems' } }
      : {
          controlId,
          applicable: true,
          justification: { text: 'In scope', riskIds: ['R-1'] },
          owner: 'amara',
          implementation: 'AIMS engine',
        },
  );

  test('proposed, reviewed and approved by three roles; bad input writes nothing; statuses and gaps; as of earlier: none in force, then the one approved then', async () => {
    // bad input: 400 problem+json naming the field, nothing recorded
    for (const body of [
      { summary: 'x', entries: [{ controlId: 'B.1', applicable: true, justification: { text: 'x' } }] },
      { summary: 'x', entries: 'all' },
      { summary: 'x', entries, extra: 1 },
    ]) {
      const r = await post('aims_owner', '/v1/soa/revisions', body);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // the domain's check: every Annex A control must be decided on
    const incomplete = await post('aims_owner', '/v1/soa/revisions', { summary: 'x', entries: entries.slice(1) });
    expect([incomplete.status, incomplete.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await revision()).toBeNull();
    // roles: an engineer may not propose
    expect((await post('engineer', '/v1/soa/revisions', { summary: 'x', entries })).status).toBe(403);

    const proposed = await post('aims_owner', '/v1/soa/revisions', { summary: 'First SoA', entries });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ subjectId: 'soa-revision-1', taskId: 'soa-revision-1-review', version: 0 });
    const beforeApproval = new Date().toISOString();

    // the proposer may not review it (segregation of duties, in the domain)
    const own = await post('aims_owner', '/v1/tasks/soa-revision-1-review/decision', { outcome: 'approve' });
    expect([own.status, own.body.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
    const reviewed = await post('risk_owner', '/v1/tasks/soa-revision-1-review/decision', { outcome: 'approve' });
    expect(reviewed.status).toBe(200);
    const approved = await post('top_management', '/v1/tasks/soa-revision-1-approval/decision', { outcome: 'approve' });
    expect([approved.status, approved.body.kind, approved.body.version]).toEqual([200, 'soa_revision_approval', 1]);

    const soa = await get('auditor', '/v1/soa');
    expect(soa.status).toBe(200);
    expect(soa.body).toMatchObject({ revisionId: 'soa-revision-1', version: 1 });
    const a624 = soa.body.controls.find((c: { controlId: string }) => c.controlId === 'A.6.2.4');
    expect(a624).toMatchObject({ method: 'rule', status: 'operates', checked: 0, euAiAct: ['Art.15', 'Art.9'] });
    expect(soa.body.controls.find((c: { controlId: string }) => c.controlId === 'A.10.4').status).toBe('not_applicable');

    // a manual control attested by the AIMS owner operates; bad attestation input is 400 and writes nothing
    const before = await revision();
    expect(
      (await post('aims_owner', '/v1/controls/A.2.2/attestations', { status: 'fine', evidenceRefs: [], note: 'x', reviewBy: '2099-01-01' }))
        .status,
    ).toBe(400);
    expect(await revision()).toBe(before);
    const attested = await post('aims_owner', '/v1/controls/A.2.2/attestations', {
      status: 'operates',
      evidenceRefs: ['doc:ai-policy'],
      note: 'Board approved',
      reviewBy: '2099-01-01',
    });
    expect(attested.status).toBe(201);
    const control = await get('auditor', '/v1/controls/A.2.2');
    expect(control.body).toMatchObject({ controlId: 'A.2.2', status: 'operates', method: 'attestation' });
    expect(control.body.evidence.map((e: { type: string }) => e.type)).toEqual(['ControlStatusAttested']);

    const gaps = await get('auditor', '/v1/soa/gaps');
    const gapIds = gaps.body.gaps.map((g: { controlId: string }) => g.controlId);
    expect(gapIds).toContain('A.2.3');
    expect(gapIds).not.toContain('A.2.2');
    expect(gapIds).not.toContain('A.6.2.4');

    const earlier = await get('auditor', `/v1/soa?asOf=${encodeURIComponent(beforeApproval)}`);
    expect(earlier.body).toMatchObject({ revisionId: null, version: 0, controls: [] });
    expect((await get('auditor', '/v1/soa?asOf=yesterday')).status).toBe(400);
    expect((await get('auditor', '/v1/controls/Z.9')).status).toBe(400);

    // `aims soa show` and `aims soa gaps` read the same over HTTP, with the crosswalk
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await soaCommand(argv, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const csv = await run(['show', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.out.trim().split('\n');
    expect(lines).toHaveLength(39);
    expect(lines.find((l) => l.startsWith('"A.6.2.4"'))).toContain('"Art.15, Art.9","GOVERN, MAP, MEASURE, MANAGE"');
    const md = await run(['show']);
    expect(md.out).toContain('Revision soa-revision-1 (version 1)');
    expect(md.out).toContain('| A.10.4 |');
    // the export names what is missing, control by control
    expect(md.out).toContain('| NIST AI RMF | Missing |');
    expect(lines.find((l) => l.startsWith('"A.2.3"'))).toContain('no attestation');
    const gapsOut = await run(['gaps']);
    expect(gapsOut.code).toBe(1);
    expect(gapsOut.out).toContain('A.2.3');
    const none = await run(['show', '--as-of', beforeApproval]);
    expect(none.out).toContain('No revision was in force');
    // no SoA in force is a gap, not a clean bill
    const noneGaps = await run(['gaps', '--as-of', beforeApproval]);
    expect([noneGaps.code, noneGaps.out]).toEqual([1, expect.stringContaining('no Statement of Applicability in force')]);
    expect((await run(['show', '--as-of', 'yesterday'])).code).toBe(2);

    // a second revision, with an own control and A.10.4 now applicable: in force once approved, while the
    // SoA as of a date between the two approvals is still the first
    const betweenApprovals = new Date().toISOString();
    const ownControlEntry = {
      controlId: 'ORG-fairness-review',
      title: 'Fairness review board',
      applicable: true,
      justification: { text: 'Risk R-1' },
      owner: 'amara',
      implementation: 'Monthly board',
    };
    const second = entries.map((e) => (e.controlId === 'A.10.4' ? { ...entries[0], controlId: 'A.10.4' } : e));
    const proposedAgain = await post('risk_owner', '/v1/soa/revisions', {
      summary: 'Customers and fairness',
      entries: [...second, ownControlEntry],
    });
    expect([proposedAgain.status, proposedAgain.body.subjectId]).toEqual([201, 'soa-revision-2']);
    expect((await post('aims_owner', '/v1/tasks/soa-revision-2-review/decision', { outcome: 'approve' })).status).toBe(200);
    expect((await post('top_management', '/v1/tasks/soa-revision-2-approval/decision', { outcome: 'approve' })).status).toBe(200);
    const now = await get('auditor', '/v1/soa');
    expect(now.body).toMatchObject({ revisionId: 'soa-revision-2', version: 2 });
    expect(now.body.controls.find((c: { controlId: string }) => c.controlId === 'A.10.4').status).toBe('manual');
    const then = await get('auditor', `/v1/soa?asOf=${encodeURIComponent(betweenApprovals)}`);
    expect(then.body).toMatchObject({ revisionId: 'soa-revision-1', version: 1 });
    expect(then.body.controls.find((c: { controlId: string }) => c.controlId === 'A.10.4').status).toBe('not_applicable');
    expect(then.body.controls.some((c: { controlId: string }) => c.controlId === 'ORG-fairness-review')).toBe(false);
    expect((await get('auditor', `/v1/controls/A.10.4?asOf=${encodeURIComponent(betweenApprovals)}`)).body.status).toBe('not_applicable');
    expect((await get('auditor', `/v1/controls/ORG-fairness-review?asOf=${encodeURIComponent(betweenApprovals)}`)).status).toBe(404);
    expect((await run(['show', '--as-of', betweenApprovals])).out).toContain('Revision soa-revision-1 (version 1)');

    // an own control's evidence is its attestations (no Annex A tag carries it)
    const ownAttested = await post('aims_owner', '/v1/controls/ORG-fairness-review/attestations', {
      status: 'operates',
      evidenceRefs: ['minutes:2026-11'],
      note: 'Board met',
      reviewBy: '2099-01-01',
    });
    expect(ownAttested.status).toBe(201);
    const ownControl = await get('auditor', '/v1/controls/ORG-fairness-review');
    expect(ownControl.body).toMatchObject({ controlId: 'ORG-fairness-review', source: 'own', status: 'operates' });
    expect(ownControl.body.evidence.map((e: { type: string; data: { controlId: string } }) => [e.type, e.data.controlId])).toEqual([
      ['ControlStatusAttested', 'ORG-fairness-review'],
    ]);
  });
});
