/**
 * Controlled documents through the HTTP API, on the real app, a real Temporal dev server and a real worker
 * sharing the app's SQLite store, with a token per role: the AI policy created and submitted by the AIMS
 * owner, reviewed by a risk owner and approved by top management in the task inbox, acknowledged by the
 * holders of the roles it names (each in their own inbox); content uploaded and served by digest; bad
 * input and refused content store nothing; the list, the document as of earlier, and the master list.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { docsCommand } from '../../apps/cli/src/commands/docs.command';
import { documentWorkflowId } from '../../domain/document/identity';
import type { AimsRole } from '../../domain/shared/roles';
import { startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(120_000);

const POLICY = [
  '# AI policy',
  '## Purpose',
  'We develop and use AI responsibly.',
  '## Commitments',
  'We commit to satisfy applicable requirements and to continual improvement of the AIMS.',
  '## Framework for objectives',
  'Top management sets AI objectives each year.',
  '## Related policies',
  '- Information security policy v4',
].join('\n');
const digestOf = (b: string | Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('controlled documents through the HTTP API', () => {
  let api: LifecycleApi;
  beforeAll(async () => {
    api = await startLifecycleApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (role: AimsRole, path: string, body: object) => api.as(role).post(path, body);
  const get = (role: AimsRole, path: string) => api.as(role).get(path);
  const upload = (role: AimsRole, bytes: Buffer, type: string, digest?: string) =>
    request(api.server as Parameters<typeof request>[0])
      .post(`/v1/documents/content${digest === undefined ? '' : `?digest=${digest}`}`)
      .set('Authorization', `Bearer ${api.tokens[role]}`)
      .set('Content-Type', type)
      .send(bytes);

  test('an AI policy through review, approval by top management, publication and acknowledgement, per role', async () => {
    const create = {
      documentId: 'ai-policy',
      kind: 'ai_policy',
      title: 'AI policy',
      owner: 'aims_owner-token',
      classification: 'internal',
      retention: 'P7Y',
      acknowledgementRoles: ['engineer', 'risk_owner'],
    };
    // Bad input: 400 naming the field; roles the kind does not allow: 403; nothing recorded.
    const head = await api.head();
    expect((await post('aims_owner', '/v1/documents', { ...create, kind: 'memo' })).status).toBe(400);
    const engineer = await post('engineer', '/v1/documents', create);
    expect([engineer.status, engineer.body.code]).toEqual([403, 'MISSING_ROLE']);
    expect((await post('auditor', '/v1/documents', create)).status).toBe(403);
    expect(await api.head()).toBe(head);

    expect((await post('aims_owner', '/v1/documents', create)).status).toBe(201);
    expect((await post('aims_owner', '/v1/documents', create)).body.code).toBe('DOCUMENT_EXISTS');

    // An incomplete policy is refused, naming each missing section; its Markdown is not stored.
    const partial = '# AI policy\n## Purpose\nTo be written.';
    const incomplete = await post('aims_owner', '/v1/documents/ai-policy/versions', {
      markdown: partial,
      changeSummary: 'Draft',
      change: { reason: 'r', consequences: 'c' },
    });
    expect([incomplete.status, incomplete.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(incomplete.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['markdown.commitments', 'markdown.objectives', 'markdown.related_policies']),
    );
    expect((await get('auditor', `/v1/documents/content/${digestOf(partial)}`)).status).toBe(404);

    const submitted = await post('aims_owner', '/v1/documents/ai-policy/versions', {
      markdown: POLICY,
      changeSummary: 'First issue',
      change: { reason: 'The AIMS needs a policy (5.2)', consequences: 'Every AI project follows it' },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ version: 1, taskIds: ['doc-ai-policy-v1-review'] });

    const own = await post('aims_owner', '/v1/tasks/doc-ai-policy-v1-review/decision', { outcome: 'approve' });
    expect([own.status, own.body.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
    expect((await post('risk_owner', '/v1/tasks/doc-ai-policy-v1-review/decision', { outcome: 'approve' })).status).toBe(200);
    const notTop = await post('aims_owner', '/v1/tasks/doc-ai-policy-v1-approval/decision', { outcome: 'approve' });
    expect([notTop.status, notTop.body.code]).toEqual([403, 'MISSING_ROLE']);
    const beforePublication = new Date().toISOString();
    const published = await post('top_management', '/v1/tasks/doc-ai-policy-v1-approval/decision', { outcome: 'approve' });
    expect([published.status, published.body.kind, published.body.document.publishedVersion]).toEqual([200, 'document_approval', 1]);
    expect(published.body.document.acknowledgements.map((a: { identity: string }) => a.identity)).toEqual([
      'engineer-token',
      'risk_owner-token',
    ]);

    // Each acknowledgement is in its person's inbox only; only they can complete it.
    const engineerTasks = await get('engineer', '/v1/tasks?kind=document_acknowledgement');
    expect(engineerTasks.body.items.map((t: { taskId: string; assignee: string }) => [t.taskId, t.assignee])).toEqual([
      ['doc-ai-policy-v1-ack-1', 'engineer-token'],
    ]);
    expect((await get('validator', '/v1/tasks?kind=document_acknowledgement')).body.items).toEqual([]);
    const forSomeoneElse = await post('risk_owner', '/v1/tasks/doc-ai-policy-v1-ack-1/decision', { outcome: 'complete' });
    expect([forSomeoneElse.status, forSomeoneElse.body.code]).toEqual([403, 'NOT_ACTION_OWNER']);
    const acked = await post('engineer', '/v1/tasks/doc-ai-policy-v1-ack-1/decision', { outcome: 'complete' });
    expect([acked.status, acked.body.kind]).toEqual([200, 'document_acknowledgement']);

    // Reading: the list and its filters, the document now and as of before publication, its Markdown by digest.
    const list = await get('auditor', '/v1/documents?kind=ai_policy&status=published&dueForReview=false');
    expect(list.body.items).toEqual([
      expect.objectContaining({ documentId: 'ai-policy', publishedVersion: 1, acknowledgementsOutstanding: 1, owner: 'aims_owner-token' }),
    ]);
    expect((await get('auditor', '/v1/documents?dueForReview=true')).body.items).toEqual([]);
    expect((await get('auditor', '/v1/documents?dueForReview=maybe')).status).toBe(400);
    const doc = await get('auditor', '/v1/documents/ai-policy');
    expect(doc.body.versionHistory[0]).toMatchObject({ version: 1, status: 'published', markdownDigest: digestOf(POLICY) });
    expect((await get('auditor', `/v1/documents/ai-policy?asOf=${beforePublication}`)).body).toMatchObject({
      publishedVersion: null,
      status: 'awaiting_approval',
    });
    const md = await get('engineer', `/v1/documents/content/${digestOf(POLICY)}`);
    expect([md.status, md.headers['content-type'], md.text]).toEqual([200, 'text/markdown', POLICY]);
    const master = await get('auditor', '/v1/documents/master-list');
    expect(master.body.items).toEqual([
      expect.objectContaining({
        documentId: 'ai-policy',
        version: 1,
        status: 'published',
        reviewedBy: 'risk_owner-token',
        approvedBy: 'top_management-token',
      }),
    ]);
    expect((await api.events.streamRevision(documentWorkflowId('ai-policy'))) ?? 0).toBeGreaterThan(0);
  });

  test('attachments: checked before anything is stored, then referenced by digest in a procedure', async () => {
    const pdf = Buffer.from('%PDF-1.4 incident procedure');
    const wrongType = await upload('engineer', Buffer.from('MZ'), 'application/x-msdownload');
    expect([wrongType.status, wrongType.body.code]).toEqual([415, 'CONTENT_TYPE_NOT_ALLOWED']);
    const mismatch = await upload('engineer', pdf, 'application/pdf', digestOf('other'));
    expect([mismatch.status, mismatch.body.code]).toEqual([422, 'DIGEST_MISMATCH']);
    expect((await get('auditor', `/v1/documents/content/${digestOf(pdf)}`)).status).toBe(404);
    expect((await upload('auditor', pdf, 'application/pdf')).status).toBe(403);
    const stored = await upload('engineer', pdf, 'application/pdf', digestOf(pdf));
    expect([stored.status, stored.body.digest, stored.body.created]).toEqual([201, digestOf(pdf), true]);

    expect(
      (
        await post('engineer', '/v1/documents', {
          documentId: 'incident-procedure',
          kind: 'procedure',
          title: 'Incident procedure',
          owner: 'engineer-token',
          classification: 'internal',
          retention: 'P3Y',
        })
      ).status,
    ).toBe(201);
    const unknown = await post('engineer', '/v1/documents/incident-procedure/versions', {
      attachments: [{ name: 'procedure.pdf', digest: digestOf('never uploaded') }],
      changeSummary: 'First issue',
    });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'CONTENT_NOT_STORED']);
    const v1 = await post('engineer', '/v1/documents/incident-procedure/versions', {
      attachments: [{ name: 'procedure.pdf', digest: digestOf(pdf) }],
      changeSummary: 'First issue',
    });
    expect(v1.status).toBe(201);
    expect(v1.body.document.versionHistory[0].attachments).toEqual([
      { name: 'procedure.pdf', digest: digestOf(pdf), contentType: 'application/pdf', size: pdf.byteLength },
    ]);
    // A procedure is approved by the AIMS owner; changes requested go back to the author with reasons.
    expect((await post('risk_owner', '/v1/tasks/doc-incident-procedure-v1-review/decision', { outcome: 'request_changes' })).status).toBe(
      422,
    );
    const back = await post('risk_owner', '/v1/tasks/doc-incident-procedure-v1-review/decision', {
      outcome: 'request_changes',
      reasons: ['Name who is on call'],
    });
    expect(back.body.document.versionHistory[0]).toMatchObject({
      status: 'changes_requested',
      returned: { reasons: ['Name who is on call'] },
    });
    // Back in its author's inbox, with the reasons; a new version answers it.
    const mine = await get('engineer', '/v1/tasks?kind=document_revision');
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        taskId: 'doc-incident-procedure-v1-revision',
        assignee: 'engineer-token',
        requestedBy: 'risk_owner-token',
      }),
    ]);
    expect((await get('aims_owner', '/v1/tasks?kind=document_revision')).body.items).toEqual([]);
    const v2 = await post('engineer', '/v1/documents/incident-procedure/versions', {
      attachments: [{ name: 'procedure.pdf', digest: digestOf(pdf) }],
      changeSummary: 'Names who is on call',
    });
    expect(v2.body.document.versionHistory.map((v: { status: string }) => v.status)).toEqual(['changes_requested', 'in_review']);
    expect((await get('engineer', '/v1/tasks?kind=document_revision')).body.items).toEqual([]);
  });

  test('aims docs: list, show a version, the master list as Markdown, CSV and JSON', async () => {
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await docsCommand(argv, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const list = await run(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^DOCUMENT\s+KIND\s+STATUS/);
    expect(list.out).toMatch(/ai-policy\s+ai_policy\s+published\s+v1/);
    expect((await run(['list', '--due-for-review'])).out).toBe('No documents.\n');
    const v1 = await run(['show', 'ai-policy', '--version', '1']);
    expect(v1.out).toContain('ai-policy v1 (published): First issue');
    expect(v1.out).toContain('## Related policies');
    expect((await run(['show', 'ai-policy', '--version', '9'])).code).toBe(2);
    const md = await run(['master-list']);
    expect(md.out).toMatch(/\| ai-policy \| ai_policy \| AI policy \| v1 \| published \|/);
    const csv = await run(['master-list', '--format', 'csv']);
    expect(csv.out.split('\r\n')[1]).toMatch(/^"ai-policy","ai_policy","AI policy","1","published"/);
    const json = JSON.parse((await run(['master-list', '--format', 'json'])).out) as { items: unknown[] };
    expect(json.items).toHaveLength(1);
    const missing = await run(['show', 'nothing-here']);
    expect([missing.code, missing.err]).toEqual([2, expect.stringContaining('404')]);
  });
});
