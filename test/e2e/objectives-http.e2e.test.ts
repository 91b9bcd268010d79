/**
 * AI objectives and the AIMS measures through the HTTP API, on the real app, a real Temporal dev server and
 * a real worker: the AIMS owner sets objectives (an engineer or the read-only auditor may not; bad input is
 * a problem+json naming the field, with nothing recorded), each is measured at once from the evidence; the
 * owner of a manual objective answers its measurement task; every role reads the objectives and the
 * measures, and the measures as of an earlier date differ as the evidence says.
 */
import type { AddressInfo } from 'node:net';
import { metricsCommand, objectivesCommand } from '../../apps/cli/src/commands/objectives.command';
import { eventually } from '../support/eventually';
import { expectProblem, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

type Figure = {
  measureId: string;
  value: number | null;
  reason: string | null;
  trend: Array<{ objectiveId: string; value: number | null }>;
};

describe('AI objectives and measures through the HTTP API', () => {
  let api: LifecycleApi;
  let erin: string;
  let omar: string;

  beforeAll(async () => {
    api = await startLifecycleApi();
    erin = await api.issue('erin', ['engineer']);
    omar = await api.issue('omar', ['engineer']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const objective = (objectiveId: string, extra: object = {}) => ({
    objectiveId,
    title: 'No deployment request waits long for a decision',
    commitment: { text: 'We decide on deployments promptly and on the evidence.', documentRef: 'POL-AI-1' },
    measureId: 'open-nonconformities',
    target: 0,
    direction: 'at_most',
    dueDate: '2027-06-30',
    owner: 'erin',
    interval: 'P7D',
    offTargetAction: 'action',
    ...extra,
  });
  const objectiveOf = async (id: string, done: (o: { measurementCount: number; tasks: unknown[] }) => boolean) =>
    eventually(async () => (await api.as('auditor').get(`/v1/objectives/${id}`)).body, done, `objective ${id}`);

  test('bad input is problem+json naming the field, and nothing is recorded; an engineer or the auditor may not set one', async () => {
    const head = await api.head();
    const bad = await api.as('aims_owner').post('/v1/objectives', objective('OBJ-BAD', { interval: 'P1M', measureId: 'happiness' }));
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['interval', 'measureId']);
    expectProblem(await api.as('aims_owner').post('/v1/objectives', { ...objective('OBJ-BAD'), surprise: 1 }), 400);
    expectProblem(await api.as('aims_owner').post('/v1/objectives', objective('OBJ-BAD', { target: 'high' })), 400);
    expectProblem(await api.as('engineer').post('/v1/objectives', objective('OBJ-BAD')), 403);
    expectProblem(await api.as('auditor').post('/v1/objectives', objective('OBJ-BAD')), 403);
    expectProblem(await api.as('auditor').get('/v1/measures?asOf=12'), 400, 'VALIDATION_FAILED');
    expectProblem(await api.as('auditor').get('/v1/measures?last=0'), 400);
    expect(await api.head()).toBe(head);
    expectProblem(await api.as('auditor').get('/v1/objectives/OBJ-BAD'), 404, 'OBJECTIVE_NOT_SET');
  });

  test('per role: set by the AIMS owner and measured at once, a manual one answered by its owner, read by everyone', async () => {
    await api.as('aims_owner').post('/v1/objectives', objective('OBJ-NC')).expect(201);
    const measured = await objectiveOf('OBJ-NC', (o) => o.measurementCount === 1);
    expect(measured).toMatchObject({
      status: 'active',
      measurements: [{ measureId: 'open-nonconformities', target: 0, direction: 'at_most' }],
    });

    await api
      .as('top_management')
      .post('/v1/objectives', objective('OBJ-MAN', { measureId: 'manual:staff-trained-share', target: 0.8, direction: 'at_least' }))
      .expect(201);
    await objectiveOf('OBJ-MAN', (o) => o.tasks.length === 1);
    expectProblem(await api.as(omar).post('/v1/objectives/OBJ-MAN/measurements', { value: 0.9 }), 403, 'NOT_OBJECTIVE_OWNER');
    expectProblem(await api.as('auditor').post('/v1/objectives/OBJ-MAN/measurements', { value: 0.9 }), 403);
    const answered = await api
      .as(erin)
      .post('/v1/objectives/OBJ-MAN/measurements', { value: 0.9, evidenceRefs: ['HR-2026-Q1'] })
      .expect(201);
    expect(answered.body.objective).toMatchObject({ measurementCount: 1, offTarget: false });
    expectProblem(await api.as('aims_owner').post('/v1/objectives/OBJ-NC/measurements', { value: 1 }), 422, 'MEASURE_COMPUTED');

    const list = (await api.as('auditor').get('/v1/objectives?owner=erin&status=active&limit=1').expect(200)).body;
    expect(list.items).toHaveLength(1);
    expect(list.nextCursor).toEqual(expect.any(String));
    const rest = (
      await api
        .as('engineer')
        .get(`/v1/objectives?owner=erin&status=active&cursor=${list.nextCursor as string}`)
        .expect(200)
    ).body;
    expect([...list.items, ...rest.items].map((o: { objectiveId: string }) => o.objectiveId).sort()).toEqual(['OBJ-MAN', 'OBJ-NC']);
    expect(rest.nextCursor).toBeNull();
    expect((await api.as('auditor').get('/v1/objectives?measureId=manual:staff-trained-share').expect(200)).body.items).toHaveLength(1);

    await api.as('aims_owner').post('/v1/objectives/OBJ-MAN/withdrawal', { reason: 'measured in the HR system instead' }).expect(201);
    expectProblem(await api.as(erin).post('/v1/objectives/OBJ-MAN/measurements', { value: 0.9 }), 409);
    expect((await api.as('auditor').get('/v1/objectives?status=withdrawn').expect(200)).body.items).toHaveLength(1);
  });

  test('the measures now carry the recorded measurements as their trend; as of a date before any evidence they are empty', async () => {
    const now = (await api.as('auditor').get('/v1/measures?last=3').expect(200)).body as { measures: Figure[]; position: number };
    expect(now.measures.map((m) => m.measureId)).toEqual([
      'production-impact-assessment-coverage',
      'deployment-decision-median-hours',
      'overdue-human-tasks',
      'corrective-actions-closed-on-time',
      'applicable-controls-operating',
      'open-nonconformities',
      'manual:staff-trained-share',
    ]);
    expect(now.measures.find((m) => m.measureId === 'open-nonconformities')?.trend).toEqual([
      expect.objectContaining({ objectiveId: 'OBJ-NC', value: 0 }),
    ]);
    expect(now.measures.find((m) => m.measureId === 'manual:staff-trained-share')).toMatchObject({ value: 0.9 });
    expect(now.measures.find((m) => m.measureId === 'applicable-controls-operating')).toMatchObject({
      value: null,
      reason: 'no Statement of Applicability is in force',
    });
    expect(now.position).toBeGreaterThan(0);

    const before = (await api.as('engineer').get('/v1/measures?asOf=2020-01-01').expect(200)).body as {
      measures: Figure[];
      position: number;
    };
    expect(before.position).toBe(0);
    expect(before.measures).toHaveLength(6);
    expect(before.measures.every((m) => m.trend.length === 0)).toBe(true);
    expect(before.measures.find((m) => m.measureId === 'open-nonconformities')?.value).toBe(0);
  });

  test('the task of a manual measure is in the one inbox, and entering the value there records the measurement (its owner only)', async () => {
    await api
      .as('aims_owner')
      .post('/v1/objectives', objective('OBJ-INBOX', { measureId: 'manual:suppliers-assessed-share', target: 0.8, direction: 'at_least' }))
      .expect(201);
    await objectiveOf('OBJ-INBOX', (o) => o.tasks.length === 1);
    const inbox = await eventually(
      () => api.as(erin).get('/v1/tasks?kind=objective_measurement'),
      (r) => r.status === 200 && (r.body.items as Array<{ stream: string }>).some((t) => t.stream === 'objective-OBJ-INBOX'),
      'the measurement task in the inbox',
    );
    const task = (inbox.body.items as Array<{ taskId: string; stream: string }>).find((t) => t.stream === 'objective-OBJ-INBOX')!;
    const head = await api.head();
    expectProblem(await api.as(erin).post(`/v1/tasks/${task.taskId}/decision`, { outcome: 'record' }), 400);
    expectProblem(await api.as(erin).post(`/v1/tasks/${task.taskId}/decision`, { outcome: 'approve', value: 0.5 }), 400);
    expectProblem(await api.as(erin).post(`/v1/tasks/${task.taskId}/decision`, { outcome: 'record', value: 0.5, reasons: ['x'] }), 400);
    expectProblem(
      await api.as(omar).post(`/v1/tasks/${task.taskId}/decision`, { outcome: 'record', value: 0.5 }),
      403,
      'NOT_OBJECTIVE_OWNER',
    );
    expect(await api.head()).toBe(head);
    const done = await api
      .as(erin)
      .post(`/v1/tasks/${task.taskId}/decision`, { outcome: 'record', value: 0.5, comment: 'two of five suppliers assessed' })
      .expect(200);
    expect(done.body).toMatchObject({
      kind: 'objective_measurement',
      outcome: 'recorded',
      stream: 'objective-OBJ-INBOX',
      objective: { measurementCount: 1, offTarget: true },
    });
    await api.as('aims_owner').post('/v1/objectives/OBJ-INBOX/withdrawal', { reason: 'shown in the inbox test only' }).expect(201);

    // the list as the evidence stood: before any objective, none; a bad asOf is refused
    expect((await api.as('auditor').get('/v1/objectives?asOf=2000-01-01').expect(200)).body.items).toEqual([]);
    expect(
      (await api.as('auditor').get(`/v1/objectives?asOf=${head}`).expect(200)).body.items.map(
        (o: { objectiveId: string }) => o.objectiveId,
      ),
    ).toContain('OBJ-INBOX');
    expectProblem(await api.as('auditor').get('/v1/objectives?asOf=2026-02-30'), 400);
  });

  test('the CLI lists the objectives and prints the measures as Markdown, CSV or JSON; a refusal exits 2', async () => {
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
    };
    expect(await objectivesCommand(['list', '--status', 'active'], io)).toBe(0);
    expect(out.join('')).toMatch(
      /^ID\s+STATUS\s+MEASURE.*\nOBJ-NC\s+active\s+open-nonconformities\s+<= 0\s+0\s+yes\s+erin\s+2027-06-30\n$/,
    );
    out.length = 0;
    expect(await metricsCommand(['--format', 'csv', '--as-of', '2020-01-01'], io)).toBe(0);
    expect(out.join('').split('\n')[0]).toBe('measure,title,unit,value,reason,trend');
    expect(out.join('')).toContain('open-nonconformities,"Open nonconformities, by severity",count,0,,');
    out.length = 0;
    expect(await metricsCommand([], io)).toBe(0);
    expect(out.join('')).toMatch(/^# AIMS measures as of .*\n\n\| Measure \| Value/);
    out.length = 0;
    expect(await objectivesCommand(['withdraw', 'OBJ-NC', '--reason', 'auditors may not'], io)).toBe(2);
    expect(out.join('')).toMatch(/refused the request \(403/);
  });
});
