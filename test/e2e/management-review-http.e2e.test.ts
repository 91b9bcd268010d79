/**
 * Management reviews through the HTTP API, on the real app, a real Temporal dev server and a real worker:
 * the AIMS owner plans a review and compiles its pack on demand; the recorded pack verifies against the
 * evidence at its position; the AIMS owner takes the minutes but neither decides nor signs off; top
 * management decides (an improvement action starts) and signs off; each role only does what it may, and a
 * refusal records nothing. The minutes and the sign-off are tasks of the one inbox, done from it.
 */
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import { reviewsCommand } from '../../apps/cli/src/commands/reviews.command';
import { eventually } from '../support/eventually';
import { startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(120_000);

function expectProblem(response: request.Response, status: number, code?: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (code !== undefined) expect(response.body.code).toBe(code);
}

describe('management reviews through the HTTP API', () => {
  let api: LifecycleApi;
  let tess: string;
  let olivia: string;

  beforeAll(async () => {
    api = await startLifecycleApi();
    tess = await api.issue('tess', ['top_management']);
    olivia = await api.issue('olivia', ['aims_owner']);
  });

  afterAll(async () => {
    await api?.close();
  });

  const plan = (reviewId: string) => ({
    reviewId,
    title: 'Management review H1',
    plannedFor: '2099-01-01T09:00:00Z', // the timer stays far away: the pack is compiled on demand
    chair: 'tess',
    interval: 'P182D',
  });

  test('per role: planned and minuted by the AIMS owner, decided and signed off by top management, read by anyone', async () => {
    const head = await api.head();
    expectProblem(await api.as('engineer').post('/v1/management-reviews', plan('MR-1')), 403);
    expectProblem(await api.as('auditor').post('/v1/management-reviews', plan('MR-1')), 403);
    expectProblem(await api.as(olivia).post('/v1/management-reviews', { ...plan('MR-1'), interval: 'P1M' }), 400);
    expect(await api.head()).toBe(head);
    expectProblem(await api.as('auditor').get('/v1/management-reviews/MR-1'), 404, 'REVIEW_NOT_PLANNED');

    expect((await api.as(olivia).post('/v1/management-reviews', plan('MR-1')).expect(201)).body).toMatchObject({
      reviewId: 'MR-1',
      recorded: true,
    });
    expectProblem(await api.as(olivia).post('/v1/management-reviews', plan('MR-1')), 409, 'REVIEW_ALREADY_PLANNED');
    expectProblem(
      await api.as(olivia).post('/v1/management-reviews/MR-1/minutes', { attendees: ['tess'], minutes: 'x' }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblem(await api.as('auditor').get('/v1/management-reviews/MR-1/inputs/verification'), 409, 'INPUTS_NOT_COMPILED');

    const compiled = await api.as(olivia).post('/v1/management-reviews/MR-1/inputs', {}).expect(201);
    const inputs = compiled.body.review.inputs;
    expect(inputs.packHash).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs.pack.items.find((i: { key: string }) => i.key === 'monitoring_results').gap).toMatch(/ObjectiveMeasured/);
    const verified = await api.as('auditor').get('/v1/management-reviews/MR-1/inputs/verification').expect(200);
    expect(verified.body).toMatchObject({ position: inputs.position, recordedHash: inputs.packHash, matches: true });
    const preview = await api.as('auditor').get(`/v1/management-reviews/inputs?reviewId=MR-1&position=${inputs.position}`).expect(200);
    expect(preview.body.packHash).toBe(inputs.packHash);
    const asOf = await api.as('auditor').get('/v1/management-reviews/inputs?asOf=2000-01-01T00:00:00Z').expect(200);
    expect(asOf.body.position).toBe(0);
    expectProblem(await api.as('auditor').get('/v1/management-reviews/inputs?position=-1'), 400);
    expectProblem(await api.as('auditor').get(`/v1/management-reviews/inputs?position=${inputs.position + 1_000_000}`), 400);

    expectProblem(
      await api.as(olivia).post('/v1/management-reviews/MR-1/minutes', { attendees: ['olivia'], minutes: 'Reviewed.' }),
      409,
      'CHAIR_NOT_IN_ATTENDANCE',
    );
    await api
      .as(olivia)
      .post('/v1/management-reviews/MR-1/minutes', { attendees: ['tess', 'olivia'], minutes: 'Reviewed the pack.' })
      .expect(201);

    const decision = {
      kind: 'continual_improvement_opportunity',
      owner: 'olivia',
      dueDate: '2099-06-30',
      text: 'Measure fairness monthly',
    };
    expectProblem(await api.as(olivia).post('/v1/management-reviews/MR-1/decisions', decision), 403);
    const decided = await api.as(tess).post('/v1/management-reviews/MR-1/decisions', decision).expect(201);
    expect(decided.body.actionId).toBe('MR-1.decision-1');
    // the action is on the improvement register, owned as decided (recorded by its own workflow)
    const action = await eventually(
      () => api.as('auditor').get('/v1/improvements/MR-1.decision-1'),
      (r) => r.status === 200,
      'the decision’s improvement recorded',
    );
    expect(action.body).toMatchObject({ owner: 'olivia', source: { kind: 'management_review', reference: 'MR-1/decision-1' } });

    const before = await api.head();
    expectProblem(await api.as(olivia).post('/v1/management-reviews/MR-1/sign-off', {}), 403);
    const both = await api.issue('bob', ['aims_owner', 'top_management']);
    expectProblem(await api.as(both).post('/v1/management-reviews/MR-1/sign-off', {}), 403, 'SIGNER_NOT_IN_ATTENDANCE');
    expect(await api.head()).toBe(before);
    const signed = await api.as(tess).post('/v1/management-reviews/MR-1/sign-off', {}).expect(201);
    expect(signed.body).toMatchObject({ nextReviewId: 'MR-1-2', review: { status: 'signed_off' } });

    const shown = await api.as('auditor').get('/v1/management-reviews/MR-1').expect(200);
    expect(shown.body).toMatchObject({ status: 'signed_off', decisions: [{ actionId: 'MR-1.decision-1', owner: 'olivia' }] });
    // the next review plans itself (its first step is recorded by its own workflow)
    const page = await eventually(
      () => api.as('engineer').get('/v1/management-reviews?limit=1'),
      (r) => r.status === 200 && r.body.nextCursor !== null,
      'the next review listed',
    );
    expect(page.body.items).toEqual([expect.objectContaining({ reviewId: 'MR-1' })]);
    expect(page.body.nextCursor).not.toBeNull();
    const rest = await api.as('engineer').get(`/v1/management-reviews?limit=1&cursor=${page.body.nextCursor}`).expect(200);
    expect(rest.body.items[0]).toMatchObject({ reviewId: 'MR-1-2', status: 'planned' });
  });

  test("top management's steps are tasks of the one inbox: the minutes, then the sign-off, each done from the inbox and gone once done", async () => {
    type Task = { taskId: string; kind: string; requiredRoles: string[]; dueAt: string | null; subject: Record<string, unknown> };
    const inbox = async (who: string, kind: string): Promise<Task[]> =>
      (await api.as(who).get(`/v1/tasks?kind=${kind}`).expect(200)).body.items as Task[];
    await api.as(olivia).post('/v1/management-reviews', plan('MR-INBOX')).expect(201);
    expect(await inbox(tess, 'management_review_minutes')).toEqual([]); // nothing to minute before the pack
    const compiled = await api.as(olivia).post('/v1/management-reviews/MR-INBOX/inputs', {}).expect(201);
    expect(compiled.body.projected).toBe(true);
    const [minutesTask] = await inbox(tess, 'management_review_minutes');
    expect(minutesTask).toMatchObject({
      taskId: 'MR-INBOX.minutes',
      requiredRoles: ['top_management', 'aims_owner'],
      dueAt: '2099-01-15T09:00:00.000Z', // two weeks after the planned date
      subject: { type: 'management_review', reviewId: 'MR-INBOX' },
    });
    expect((await inbox(olivia, 'management_review_minutes')).map((t) => t.taskId)).toEqual(['MR-INBOX.minutes']);
    expect(await inbox('engineer', 'management_review_minutes')).toEqual([]);

    // the body a minutes task takes: attendees and minutes, nothing else; refused, nothing recorded
    const head = await api.head();
    expectProblem(await api.as(tess).post('/v1/tasks/MR-INBOX.minutes/decision', { outcome: 'approve' }), 400);
    expectProblem(await api.as(tess).post('/v1/tasks/MR-INBOX.minutes/decision', { outcome: 'record', value: 3 }), 400);
    expectProblem(await api.as(tess).post('/v1/tasks/MR-INBOX.minutes/decision', { outcome: 'record', minutes: 'Held.' }), 400);
    expectProblem(
      await api.as('engineer').post('/v1/tasks/MR-INBOX.minutes/decision', { outcome: 'record', attendees: ['tess'], minutes: 'Held.' }),
      403,
    );
    expect(await api.head()).toBe(head);
    const minuted = await api
      .as(tess)
      .post('/v1/tasks/MR-INBOX.minutes/decision', { outcome: 'record', attendees: ['tess', 'olivia'], minutes: 'Held; no decision.' })
      .expect(200);
    expect(minuted.body).toMatchObject({
      taskId: 'MR-INBOX.minutes',
      kind: 'management_review_minutes',
      outcome: 'recorded',
      stream: 'management-review-MR-INBOX',
      review: { status: 'minuted' },
      projected: true,
    });
    expect(await inbox(tess, 'management_review_minutes')).toEqual([]);

    // the sign-off is top management's alone: not in the AIMS owner's inbox, refused if tried
    const [signOffTask] = await inbox(tess, 'management_review_sign_off');
    expect(signOffTask).toMatchObject({ taskId: 'MR-INBOX.sign-off', requiredRoles: ['top_management'] });
    expect(await inbox(olivia, 'management_review_sign_off')).toEqual([]);
    expectProblem(await api.as(olivia).post('/v1/tasks/MR-INBOX.sign-off/decision', { outcome: 'approve' }), 403);
    const signed = await api.as(tess).post('/v1/tasks/MR-INBOX.sign-off/decision', { outcome: 'approve' }).expect(200);
    expect(signed.body).toMatchObject({ kind: 'management_review_sign_off', outcome: 'signed_off', nextReviewId: 'MR-INBOX-2' });
    expect(await inbox(tess, 'management_review_sign_off')).toEqual([]);
    const shown = await api.as('auditor').get('/v1/management-reviews/MR-INBOX').expect(200);
    expect(shown.body.tasks.map((t: { kind: string; status: string }) => [t.kind, t.status])).toEqual([
      ['management_review_minutes', 'decided'],
      ['management_review_sign_off', 'decided'],
    ]);
  });

  test('the CLI: aims reviews list, show, inputs --as-of and verify (exit 0 when the recomputed pack matches)', async () => {
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
    };
    expect(await reviewsCommand(['list'], io)).toBe(0);
    expect(out.join('')).toMatch(/^REVIEW\s+STATUS.*\nMR-1\s+signed_off\s/);
    out.length = 0;
    expect(await reviewsCommand(['show', 'MR-1'], io)).toBe(0);
    expect(out.join('')).toContain('Decision     decision-1 continual_improvement_opportunity');
    out.length = 0;
    expect(await reviewsCommand(['inputs', '--as-of', '2000-01-01', '--json'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ position: 0, pack: { position: 0 } });
    out.length = 0;
    expect(await reviewsCommand(['inputs'], io)).toBe(0);
    expect(out.join('')).toMatch(/GAP: No monitoring or measurement result is recorded/);
    out.length = 0;
    expect(await reviewsCommand(['verify', 'MR-1'], io)).toBe(0);
    expect(out.join('')).toMatch(/^The input pack recomputed at position \d+ matches: [0-9a-f]{64}\n$/);
    expect(await reviewsCommand(['verify', 'NOPE'], io)).toBe(2);

    // the report: Markdown and one self-contained HTML file, each decision with the evidence it rests on
    out.length = 0;
    expect(await reviewsCommand(['report', 'MR-1'], io)).toBe(0);
    const md = out.join('');
    expect(md).toMatch(/decision\\?-1/); // Markdown escapes the hyphen
    expect(md).toMatch(/\[GAP\]/); // the pack's gaps stay gaps in the report
    const html = await api.as('engineer').get('/v1/management-reviews/MR-1/report?format=html').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.text).not.toMatch(/<script|<link|src=/i);
    const before = await api.as('auditor').get('/v1/management-reviews/MR-1/report?asOf=2000-01-01').expect(404);
    expect(before.body.code).toBe('REVIEW_NOT_PLANNED');
    await expect(reviewsCommand(['report', 'MR-1', '--format', 'pdf'], io)).rejects.toThrow(/--format/);

    // the steps, each as its token holder: the AIMS owner plans, compiles and minutes; top management decides and signs off
    const as = (token: string) => ({ ...io, env: { ...io.env, AIMS_TOKEN: token } });
    const chair = ['--chair', 'tess'];
    expect(
      await reviewsCommand(['plan', 'MR-CLI', '--title', 'By the CLI', '--planned-for', '2099-01-01T00:00:00Z', ...chair], as(olivia)),
    ).toBe(0);
    expect(await reviewsCommand(['compile', 'MR-CLI'], as(olivia))).toBe(0);
    await expect(reviewsCommand(['minutes', 'MR-CLI', '--attendee', 'tess'], as(olivia))).rejects.toThrow(/--text/);
    expect(await reviewsCommand(['minutes', 'MR-CLI', '--attendee', 'tess', '--attendee', 'olivia', '--text', 'Held.'], as(olivia))).toBe(
      0,
    );
    const decide = ['decide', 'MR-CLI', '--kind', 'change_to_the_aims', '--owner', 'olivia', '--due', '2099-03-31', '--text', 'Add a KPI'];
    expect(await reviewsCommand(decide, as(olivia))).toBe(2); // the AIMS owner does not decide
    out.length = 0;
    expect(await reviewsCommand(decide, as(tess))).toBe(0);
    expect(out.join('')).toContain('Action: improvement MR-CLI.decision-1.');
    out.length = 0;
    expect(await reviewsCommand(['sign-off', 'MR-CLI'], as(tess))).toBe(0);
    expect(out.join('')).toBe('Signed off MR-CLI. Next review: MR-CLI-2.\n');
  });
});
