/**
 * The context registers (4.1, 4.2) through the HTTP API and `aims context`, on the real app, a real Temporal
 * dev server and a real worker, role by role: the AIMS owner records an issue naming the organisation's AI
 * roles, a risk owner an obligation citing EU AI Act articles, top management an interested party; an
 * engineer and an auditor may not (403); bad input is problem+json 400 and writes nothing; a revision is made
 * against the version read (a stale one is 409); the registers as of before are empty; the changes since a
 * position are what a management review reads. An entry whose review date falls within the notice period has
 * its review task opened by the timer: listed with `dueForReview=true` and `aims context list --due-for-review`,
 * in its owner's inbox, and answered there with what the review found and the next date.
 */
import type { AddressInfo } from 'node:net';
import { contextCommand } from '../../apps/cli/src/commands/context.command';
import { AIMS_CONTEXT_STREAM } from '../../domain/aims-context';
import type { AimsRole } from '../../domain/shared/roles';
import { eventually } from '../support/eventually';
import { expectProblem, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(120_000);

const issue = {
  origin: 'external',
  title: 'We provide and use AI systems',
  description: 'Provider of credit scoring to partner banks; user of a third-party LLM',
  aiRoles: ['provider', 'user'],
  owner: 'amara',
  reviewBy: '2099-01-31',
  reason: 'Initial context',
};
const obligation = {
  source: 'legal',
  title: 'High-risk AI system',
  description: 'Credit scoring is high-risk (Annex III 5(b))',
  references: ['EU AI Act Art.9', 'EU AI Act Art.14'],
  appliesTo: ['credit-scoring'],
  owner: 'rita',
  reviewBy: '2099-01-31',
  reason: 'EU AI Act applies',
};
const party = {
  name: 'Loan applicants',
  description: 'People whose applications are scored',
  requirements: ['An explanation of a refusal'],
  owner: 'amara',
  reviewBy: '2099-01-31',
  reason: 'Initial context',
};

describe('the context registers through the HTTP API', () => {
  let api: LifecycleApi;

  beforeAll(async () => {
    api = await startLifecycleApi();
    await api.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (role: AimsRole, path: string, body: object) => api.as(role).post(path, body);
  const get = (role: AimsRole, path: string) => api.as(role).get(path);

  test('recorded by the roles that keep them, refused for others and for bad input, revised against a version, listed as of, changes since', async () => {
    const before = new Date().toISOString();
    for (const body of [
      { ...issue, aiRoles: ['overlord'] },
      { ...issue, reviewBy: 'soon' },
      { ...issue, extra: 1 },
    ])
      expectProblem(await post('aims_owner', '/v1/context/issues', body), 400);
    expectProblem(await post('aims_owner', '/v1/context/issues', { ...issue, aiRoles: ['provider', 'god'] }), 400);
    expectProblem(await post('aims_owner', '/v1/context/nonsense', issue), 400);
    expect(await api.events.streamRevision(AIMS_CONTEXT_STREAM)).toBeNull();
    for (const role of ['engineer', 'auditor', 'ci'] as const) expect((await post(role, '/v1/context/issues', issue)).status).toBe(403);

    const i1 = await post('aims_owner', '/v1/context/issues', issue);
    expect([i1.status, i1.body.entryId, i1.body.version]).toEqual([201, 'issue-1', 1]);
    const o1 = await post('risk_owner', '/v1/context/obligations', obligation);
    expect([o1.status, o1.body.entryId]).toEqual([201, 'obligation-1']);
    const p1 = await post('top_management', '/v1/context/interested-parties', party);
    expect([p1.status, p1.body.entryId]).toEqual([201, 'party-1']);
    const afterFirst = o1.body.lastPosition as number;

    const revised = await post('aims_owner', '/v1/context/obligations/obligation-1/versions', {
      ...obligation,
      references: ['EU AI Act Art.9'],
      reason: 'Art.14 tracked apart',
      expectedVersion: 1,
    });
    expect([revised.status, revised.body.version]).toEqual([201, 2]);
    expectProblem(
      await post('aims_owner', '/v1/context/obligations/obligation-1/versions', { ...obligation, expectedVersion: 1 }),
      409,
      'CONTEXT_ENTRY_CHANGED',
    );
    expectProblem(await post('aims_owner', '/v1/context/obligations/obligation-9/versions', { ...obligation, expectedVersion: 1 }), 404);
    await post('aims_owner', '/v1/context/interested-parties/party-1/retirement', { reason: 'Merged into customers' }).expect(201);

    const obligations = await get('auditor', '/v1/context/obligations');
    expect(obligations.body.items).toEqual([
      expect.objectContaining({
        entryId: 'obligation-1',
        version: 2,
        owner: 'rita',
        reviewBy: '2099-01-31',
        reviewOverdue: false,
        content: expect.objectContaining({ references: ['EU AI Act Art.9'] }),
      }),
    ]);
    expect((await get('auditor', '/v1/context/interested-parties')).body.items).toEqual([]);
    expect((await get('auditor', '/v1/context/interested-parties?includeRetired=true')).body.items).toHaveLength(1);
    expect((await get('auditor', `/v1/context/issues?asOf=${encodeURIComponent(before)}`)).body.items).toEqual([]);

    const changes = await get('auditor', `/v1/context/changes?since=${afterFirst}`);
    expect(changes.body.changes.map((c: { entryId: string; change: string }) => [c.entryId, c.change])).toEqual([
      ['party-1', 'added'],
      ['obligation-1', 'revised'],
      ['party-1', 'retired'],
    ]);
    expectProblem(await get('auditor', '/v1/context/changes?since=whenever'), 400);

    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const out: string[] = [];
    const code = await contextCommand(['list'], {
      stdout: (t) => out.push(t),
      stderr: () => undefined,
      env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
    });
    expect(code).toBe(0);
    expect(out.join('')).toContain('- issue-1 v1 [external] We provide and use AI systems (AI roles: provider, user); owner amara');
    expect(out.join('')).toContain('- obligation-1 v2 [legal] High-risk AI system (EU AI Act Art.9)');
  });

  test('an entry falling due for review: its task opens for the owner, the list filters it, the inbox answers it', async () => {
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const cli = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await contextCommand(args, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const due = await post('aims_owner', '/v1/context/obligations', {
      ...obligation,
      title: 'Transparency to deployers',
      references: ['EU AI Act Art.13'],
      owner: 'risk_owner-token',
      reviewBy: tomorrow,
    });
    expect(due.status).toBe(201);
    const entryId = due.body.entryId as string;

    // Within the 14-day notice period: the timer opens the review task at once.
    const listed = await eventually(
      () => get('auditor', '/v1/context/obligations?dueForReview=true'),
      (r) => r.body.items?.[0]?.reviewTaskId != null,
      'the review task of the entry falling due',
    );
    expect(listed.body.items).toEqual([expect.objectContaining({ entryId, dueForReview: true, reviewOverdue: false })]);
    const taskId = listed.body.items[0].reviewTaskId as string;
    const notDue = await get('auditor', '/v1/context/obligations?dueForReview=false');
    expect(notDue.body.items.map((e: { entryId: string }) => e.entryId)).toEqual(['obligation-1']);
    expectProblem(await get('auditor', '/v1/context/obligations?dueForReview=maybe'), 400);

    const dueList = await cli(['list', '--due-for-review']);
    expect(dueList.code).toBe(0);
    expect(dueList.out).toContain(
      `- ${entryId} v1 [legal] Transparency to deployers (EU AI Act Art.13); owner risk_owner-token, review by ${tomorrow} (DUE FOR REVIEW, task ${taskId})`,
    );
    expect(dueList.out).not.toContain('obligation-1 ');
    expect(dueList.out).toContain('# Issues (4.1)\n(none)');
    // A usage error: the CLI's main prints it and exits 2.
    await expect(cli(['changes', '--since', '0', '--due-for-review'])).rejects.toThrow('--due-for-review filters context list');

    // The owner's inbox has it (assigned to them), not every holder of the editor roles.
    const inbox = await eventually(
      () => get('risk_owner', '/v1/tasks?kind=context_entry_review'),
      (r) => (r.body.items ?? []).length > 0,
      'the review task in the owner’s inbox',
    );
    expect(inbox.body.items).toEqual([
      expect.objectContaining({
        taskId,
        kind: 'context_entry_review',
        assignee: 'risk_owner-token',
        subject: expect.objectContaining({ entryId }),
      }),
    ]);
    expect((await get('top_management', '/v1/tasks?kind=context_entry_review')).body.items).toEqual([]);

    expectProblem(await post('risk_owner', `/v1/tasks/${taskId}/decision`, { outcome: 'approve', comment: 'Still applies' }), 400);
    expectProblem(await post('risk_owner', `/v1/tasks/${taskId}/decision`, { outcome: 'reject', reviewBy: '2099-06-30' }), 400);
    const decided = await post('risk_owner', `/v1/tasks/${taskId}/decision`, {
      outcome: 'approve',
      comment: 'Art.13 unchanged; instructions for use published',
      reviewBy: '2099-06-30',
    });
    expect([decided.status, decided.body.kind, decided.body.outcome]).toEqual([200, 'context_entry_review', 'approved']);
    expect(decided.body.recorded.map((r: { type: string }) => r.type)).toEqual(['ContextEntryReviewed', 'HumanTaskDecided']);
    expect((await get('auditor', '/v1/context/obligations?dueForReview=true')).body.items).toEqual([]);
    expect((await cli(['list', '--register', 'obligations', '--due-for-review'])).out).toBe('# Obligations (4.2)\n(none)\n');
  });
});
