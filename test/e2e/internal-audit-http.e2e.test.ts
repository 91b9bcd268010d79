/**
 * Internal audits through the HTTP API, on the real app, a real Temporal dev server and a real worker: the
 * AIMS owner plans an audit led by an internal auditor, who samples the evidence as of a position, records
 * a checklist result and an opportunity for improvement, reports and closes; the internal auditor reads the
 * audit trail it samples (/v1/audit/*); each role only does what it
 * may (the read-only auditor reads, an engineer cannot audit) and an internal auditor planning an audit of
 * their own area is refused (403 AUDITOR_NOT_INDEPENDENT) with nothing recorded.
 */
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import { internalAuditStream } from '../../domain/internal-audit';
import { auditsCommand } from '../../apps/cli/src/commands/audits.command';
import { eventually } from '../support/eventually';
import { startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(120_000);

function expectProblem(response: request.Response, status: number, code?: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (code !== undefined) expect(response.body.code).toBe(code);
}

describe('internal audits through the HTTP API', () => {
  let api: LifecycleApi;
  let ines: string;

  beforeAll(async () => {
    api = await startLifecycleApi();
    ines = await api.issue('ines', ['internal_auditor']);
  });

  afterAll(async () => {
    await api?.close();
  });

  const plan = (auditId: string, responsibilities: object[] = []) => ({
    auditId,
    title: 'Validation of AI systems',
    scope: [
      { kind: 'control', id: 'A.6.2.4' },
      { kind: 'process', id: 'validation' },
    ],
    criteria: [{ criterionId: 'C1', text: 'Validation results are signed off (A.6.2.4)' }],
    leadAuditor: 'ines',
    team: [],
    plannedStart: '2026-03-01T00:00:00Z',
    plannedEnd: '2026-03-15T00:00:00Z',
    responsibilities,
  });

  test('an internal auditor cannot plan, or be planned into, an audit of their own area; nothing is recorded', async () => {
    const head = await api.head();
    const own = [{ area: { kind: 'process', id: 'validation' }, personIds: ['ines'] }];
    expectProblem(await api.as(ines).post('/v1/internal-audits', plan('IA-OWN', own)), 403, 'AUDITOR_NOT_INDEPENDENT');
    expectProblem(await api.as('aims_owner').post('/v1/internal-audits', plan('IA-OWN', own)), 403, 'AUDITOR_NOT_INDEPENDENT');
    expect(await api.head()).toBe(head);
    expectProblem(await api.as('auditor').get('/v1/internal-audits/IA-OWN'), 404, 'INTERNAL_AUDIT_NOT_PLANNED');
  });

  test('an internal auditor the people register appoints to an area of the scope cannot be planned into the audit; the refusal names the appointment', async () => {
    await api
      .as('aims_owner')
      .post('/v1/people', { personId: 'iris', name: 'Iris Auditor', contact: 'iris@example.com', unit: 'validation', identities: ['iris'] })
      .expect(201);
    const appointed = await api
      .as('aims_owner')
      .post('/v1/people/iris/appointments', {
        role: 'engineer',
        covers: { units: ['validation'] },
        from: new Date(Date.now() - 60_000).toISOString(),
        responsibilities: 'Runs the validation process',
      })
      .expect(201);
    const appointmentId = (appointed.body as { person: { appointments: Array<{ appointmentId: string }> } }).person.appointments[0]
      ?.appointmentId;
    const head = await api.head();
    const refused = await api.as('aims_owner').post('/v1/internal-audits', { ...plan('IA-IRIS'), team: ['iris'] });
    expectProblem(refused, 403, 'AUDITOR_NOT_INDEPENDENT');
    expect(refused.body.details).toMatchObject({
      conflicts: [{ auditorId: 'iris', area: 'process:validation', appointmentId, role: 'engineer' }],
    });
    expect(await api.head()).toBe(head);
    // out of her unit's process, she may audit
    await api
      .as('aims_owner')
      .post('/v1/internal-audits', { ...plan('IA-IRIS'), scope: [{ kind: 'control', id: 'A.6.2.4' }], team: ['iris'] })
      .expect(201);
  });

  test('per role: planned by the AIMS owner, audited by the internal auditor, read by the certification auditor', async () => {
    // who may not plan: an engineer, the read-only auditor
    expectProblem(await api.as('engineer').post('/v1/internal-audits', plan('IA-1')), 403);
    expectProblem(await api.as('auditor').post('/v1/internal-audits', plan('IA-1')), 403);
    // bad input: 400 naming the field
    expectProblem(await api.as('aims_owner').post('/v1/internal-audits', { ...plan('IA-1'), scope: 'all' }), 400);
    const planned = await api.as('aims_owner').post('/v1/internal-audits', plan('IA-1')).expect(201);
    expect(planned.body).toMatchObject({ auditId: 'IA-1', recorded: true });

    // the internal auditor's steps; others cannot take them
    expectProblem(await api.as('aims_owner').post('/v1/internal-audits/IA-1/fieldwork', {}), 403);
    expectProblem(await api.as('internal_auditor').post('/v1/internal-audits/IA-1/fieldwork', {}), 403, 'NOT_ON_AUDIT_TEAM');
    await api.as(ines).post('/v1/internal-audits/IA-1/fieldwork', {}).expect(201);
    // the internal auditor picks the sample from the audit trail itself, as the read-only auditor would
    const [plannedEvent] = await collect(api, internalAuditStream('IA-1'));
    const trail = await api
      .as(ines)
      .get(`/v1/audit/streams/${internalAuditStream('IA-1')}`)
      .expect(200);
    expect((trail.body as { items: Array<{ id: string }> }).items[0]?.id).toBe(plannedEvent.id);
    const found = await api
      .as(ines)
      .get(`/v1/audit/events?stream=${internalAuditStream('IA-1')}&limit=1`)
      .expect(200);
    expect((found.body as { items: Array<{ id: string }> }).items.map((e) => e.id)).toEqual([plannedEvent.id]);
    expect((await api.as(ines).post('/v1/audit/verify', {}).expect(200)).body).toMatchObject({ intact: true });
    const asOfPosition = await api.head();
    const sampled = await api
      .as(ines)
      .post('/v1/internal-audits/IA-1/samples', { sampleId: 'S1', asOfPosition, eventIds: [plannedEvent.id] })
      .expect(201);
    expect(sampled.body.audit.samples[0]).toMatchObject({
      asOfPosition,
      records: [{ eventId: plannedEvent.id, authorId: 'aims_owner-token' }],
    });
    await api
      .as(ines)
      .post('/v1/internal-audits/IA-1/checklist', { criterionId: 'C1', result: 'conforms', evidenceRefs: [plannedEvent.id] })
      .expect(201);
    const ofi = await api
      .as(ines)
      .post('/v1/internal-audits/IA-1/findings', {
        findingId: 'F1',
        type: 'opportunity_for_improvement',
        statement: 'Sign-off reasons could name the metrics they rest on',
        evidenceRefs: [plannedEvent.id],
      })
      .expect(201);
    expect(ofi.body.nonconformityId).toBeNull();
    expectProblem(await api.as(ines).post('/v1/internal-audits/IA-1/findings', { findingId: 'F2', type: 'great' }), 400);
    await api.as(ines).post('/v1/internal-audits/IA-1/report', { summary: 'One criterion', conclusion: 'Conforms' }).expect(201);
    // the follow-up is the lead auditor's task in the one inbox, due thirty days after the report; closing the audit does it
    type Task = { taskId: string; kind: string; assignee: string | null; dueAt: string };
    const inboxOf = async (who: string): Promise<Task[]> =>
      ((await api.as(who).get('/v1/tasks?kind=internal_audit_follow_up').expect(200)).body.items as Task[]).filter((t) =>
        t.taskId.startsWith('IA-1-'),
      );
    const [followUp] = await inboxOf(ines);
    const reportedAt = (await api.as('auditor').get('/v1/internal-audits/IA-1').expect(200)).body.report.issuedAt as string;
    expect(followUp).toMatchObject({ taskId: 'IA-1-follow-up', assignee: 'ines' });
    expect(Date.parse(followUp.dueAt) - Date.parse(reportedAt)).toBe(30 * 86_400_000);
    expect(await inboxOf('internal_auditor')).toEqual([]); // the lead auditor's, not every internal auditor's
    expectProblem(await api.as('engineer').post('/v1/tasks/IA-1-follow-up/decision', { outcome: 'complete' }), 403);
    const closedFromInbox = await api.as(ines).post('/v1/tasks/IA-1-follow-up/decision', { outcome: 'complete' }).expect(200);
    expect(closedFromInbox.body).toMatchObject({ kind: 'internal_audit_follow_up', outcome: 'closed', audit: { status: 'closed' } });
    expect(await inboxOf(ines)).toEqual([]);

    const shown = await api.as('auditor').get('/v1/internal-audits/IA-1').expect(200);
    expect(shown.body).toMatchObject({
      auditId: 'IA-1',
      status: 'closed',
      findings: [{ findingId: 'F1', type: 'opportunity_for_improvement' }],
    });
    expectProblem(await api.as(ines).post('/v1/internal-audits/IA-1/closure', {}), 409);

    // the list, and the CLI that reads it
    const listed = await api.as('auditor').get('/v1/internal-audits').expect(200);
    expect(listed.body.items.map((a: { auditId: string; status: string }) => [a.auditId, a.status])).toEqual([
      ['IA-IRIS', 'planned'],
      ['IA-1', 'closed'],
    ]);
    // paged and filtered from the read model
    const closedOnly = await api.as('auditor').get('/v1/internal-audits?status=closed').expect(200);
    expect(closedOnly.body).toMatchObject({ items: [{ auditId: 'IA-1' }], nextCursor: null });
    const firstPage = await api.as('auditor').get('/v1/internal-audits?limit=1').expect(200);
    expect(firstPage.body.items.map((a: { auditId: string }) => a.auditId)).toEqual(['IA-IRIS']);
    const secondPage = await api
      .as('auditor')
      .get(`/v1/internal-audits?limit=1&cursor=${firstPage.body.nextCursor as string}`)
      .expect(200);
    expect(secondPage.body.items.map((a: { auditId: string }) => a.auditId)).toEqual(['IA-1']);
    expect((await api.as('auditor').get('/v1/internal-audits?leadAuditor=INES&status=planned').expect(200)).body.items).toHaveLength(1);
    expectProblem(await api.as('auditor').get('/v1/internal-audits?status=open'), 400);
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
    };
    expect(await auditsCommand(['list'], io)).toBe(0);
    expect(out.join('')).toMatch(
      /^AUDIT\s+STATUS.*\nIA-IRIS\s+planned\s+ines\s+.*\nIA-1\s+closed\s+ines\s+2026-03-01\.\.2026-03-15\s+1\s+0\n$/,
    );
    out.length = 0;
    expect(await auditsCommand(['list', '--status', 'closed'], io)).toBe(0);
    expect(out.join('')).toMatch(/^AUDIT\s+STATUS.*\nIA-1\s+closed\s+ines\s+2026-03-01\.\.2026-03-15\s+1\s+0\n$/);
    out.length = 0;
    expect(await auditsCommand(['show', 'IA-1'], io)).toBe(0);
    expect(out.join('')).toContain('Sample     S1 as of position');
    expect(await auditsCommand(['show', 'NOPE'], io)).toBe(2);
  });

  test('the improvement register: the audit’s OFI is on it by itself; decided by the AIMS owner, its outcome recorded by its owner', async () => {
    const register = await eventually(
      async () => (await api.as('auditor').get('/v1/improvements').expect(200)).body as { items: Array<{ improvementId: string }> },
      (r) => r.items.some((i) => i.improvementId === 'IA-1-F1'),
      'the OFI to reach the register',
    );
    expect(register.items.find((i) => i.improvementId === 'IA-1-F1')).toMatchObject({
      status: 'proposed',
      source: { kind: 'internal_audit', reference: 'IA-1/F1' },
      owner: 'aims_owner-token',
      proposedBy: { id: 'ines', role: 'internal_auditor' },
    });
    const fromAudits = await api
      .as('auditor')
      .get('/v1/improvements?source=internal_audit&status=proposed&owner=AIMS_OWNER-TOKEN')
      .expect(200);
    expect(fromAudits.body.items.map((i: { improvementId: string }) => i.improvementId)).toEqual(['IA-1-F1']);
    expect((await api.as('auditor').get('/v1/improvements?source=incident').expect(200)).body.items).toEqual([]);
    expectProblem(await api.as('engineer').post('/v1/improvements/IA-1-F1/decision', { outcome: 'accepted', rationale: 'x' }), 403);
    await api
      .as('aims_owner')
      .post('/v1/improvements/IA-1-F1/decision', { outcome: 'accepted', rationale: 'Cheap and useful' })
      .expect(201);
    expectProblem(
      await api.as('engineer').post('/v1/improvements/IA-1-F1/outcome', { text: 'done', evidenceRefs: [] }),
      403,
      'NOT_IMPROVEMENT_OWNER',
    );
    const done = await api
      .as('aims_owner')
      .post('/v1/improvements/IA-1-F1/outcome', { text: 'Reasons now name metrics', evidenceRefs: ['PR-9'] })
      .expect(201);
    expect(done.body.improvement).toMatchObject({ status: 'implemented', outcome: { evidenceRefs: ['PR-9'] } });

    // proposed directly from lessons learned by an engineer; the internal auditor writes audit records only
    expectProblem(
      await api
        .as(ines)
        .post('/v1/improvements', { improvementId: 'LL-1', source: { kind: 'lessons_learned' }, description: 'x', owner: 'erin' }),
      403,
    );
    await api
      .as('engineer')
      .post('/v1/improvements', {
        improvementId: 'LL-1',
        source: { kind: 'lessons_learned', reference: 'retro-12' },
        description: 'Pin data snapshots',
        owner: 'erin',
      })
      .expect(201);
    expect((await api.as('auditor').get('/v1/improvements/LL-1').expect(200)).body).toMatchObject({ status: 'proposed', owner: 'erin' });
    expectProblem(await api.as('auditor').get('/v1/improvements/NOPE'), 404, 'IMPROVEMENT_NOT_PROPOSED');
  });

  test('the audit programme: drafted by the AIMS owner, approved by another, each area as often as its importance requires', async () => {
    const body = {
      period: '2027',
      areas: [{ area: { kind: 'control', id: 'A.6.2.4' }, importance: 'high', previousResult: 'not_audited' }],
      methods: ['evidence sampling'],
      responsibilities: [],
      audits: [
        {
          auditId: 'P-1',
          areas: [{ kind: 'control', id: 'A.6.2.4' }],
          leadAuditor: 'ines',
          plannedStart: '2027-03-01T00:00:00Z',
          plannedEnd: '2027-03-15T00:00:00Z',
        },
        {
          auditId: 'P-2',
          areas: [{ kind: 'control', id: 'A.6.2.4' }],
          leadAuditor: 'ines',
          plannedStart: '2027-09-01T00:00:00Z',
          plannedEnd: '2027-09-15T00:00:00Z',
        },
      ],
    };
    expectProblem(await api.as('engineer').post('/v1/audit-programmes', body), 403);
    expectProblem(
      await api.as('aims_owner').post('/v1/audit-programmes', { ...body, audits: body.audits.slice(0, 1) }),
      422,
      'PROGRAMME_FREQUENCY_NOT_MET',
    );
    await api.as('aims_owner').post('/v1/audit-programmes', body).expect(201);
    expectProblem(await api.as('aims_owner').post('/v1/audit-programmes/2027/approval', {}), 403, 'SEGREGATION_OF_DUTIES');
    const other = await api.issue('omar', ['aims_owner']);
    const approved = await api.as(other).post('/v1/audit-programmes/2027/approval', {}).expect(201);
    expect(approved.body.programme).toMatchObject({ status: 'approved', schedule: { 'P-1': 'scheduled', 'P-2': 'scheduled' } });
    expect((await api.as('auditor').get('/v1/audit-programmes').expect(200)).body.items).toEqual([
      expect.objectContaining({ period: '2027', status: 'approved' }),
    ]);
    expect((await api.as('auditor').get('/v1/audit-programmes?status=draft').expect(200)).body).toEqual({ items: [], nextCursor: null });
    expect((await api.as('auditor').get('/v1/audit-programmes?late=false').expect(200)).body.items).toHaveLength(1);
    expectProblem(await api.as('auditor').get('/v1/audit-programmes?late=maybe'), 400);
    expectProblem(await api.as('auditor').get('/v1/audit-programmes/1999'), 404, 'PROGRAMME_NOT_DRAFTED');
  });

  test('a programmed audit that falls due is a task in the one inbox for internal auditors', async () => {
    const inSeconds = (n: number) => new Date(Date.now() + n * 1000).toISOString();
    const area = { kind: 'process', id: 'monitoring' };
    await api
      .as('aims_owner')
      .post('/v1/audit-programmes', {
        period: 'soon',
        areas: [{ area, importance: 'medium', previousResult: 'conforming' }],
        methods: ['interviews'],
        responsibilities: [],
        audits: [{ auditId: 'SOON-1', areas: [area], leadAuditor: 'ines', plannedStart: inSeconds(1), plannedEnd: inSeconds(3600) }],
      })
      .expect(201);
    await api
      .as(await api.issue('omar2', ['aims_owner']))
      .post('/v1/audit-programmes/soon/approval', {})
      .expect(201);
    const tasks = await eventually(
      async () => (await api.as(ines).get('/v1/tasks').expect(200)).body.items as Array<{ taskId: string; kind: string; stream: string }>,
      (items) => items.some((t) => t.kind === 'programmed_internal_audit'),
      'the due audit to reach the inbox',
    );
    expect(tasks.find((t) => t.kind === 'programmed_internal_audit')).toMatchObject({
      taskId: 'SOON-1-conduct',
      stream: 'audit-programme-soon',
    });
    // an engineer's inbox does not hold it
    const engineers = (await api.as('engineer').get('/v1/tasks').expect(200)).body.items as Array<{ kind: string }>;
    expect(engineers.some((t) => t.kind === 'programmed_internal_audit')).toBe(false);
  });

  test("the programme's responsibilities resolve against the people register: who is appointed to each area is recorded, and an appointed lead auditor is refused", async () => {
    const validation = { kind: 'process', id: 'validation' }; // iris's unit (appointed engineer above)
    const body = (leadAuditor: string) => ({
      period: '2028',
      areas: [{ area: validation, importance: 'medium', previousResult: 'not_audited' }],
      methods: ['evidence sampling'],
      responsibilities: [{ area: validation, personIds: ['val'] }],
      audits: [
        { auditId: 'R-1', areas: [validation], leadAuditor, plannedStart: '2028-03-01T00:00:00Z', plannedEnd: '2028-03-15T00:00:00Z' },
      ],
    });
    const head = await api.head();
    const refused = await api.as('aims_owner').post('/v1/audit-programmes', body('iris'));
    expectProblem(refused, 403, 'AUDITOR_NOT_INDEPENDENT');
    expect(refused.body.details.conflicts).toEqual([
      expect.objectContaining({ auditId: 'R-1', auditorId: 'iris', area: 'process:validation', role: 'engineer' }),
    ]);
    expectProblem(await api.as('aims_owner').post('/v1/audit-programmes', body('val')), 403, 'AUDITOR_NOT_INDEPENDENT');
    expect(await api.head()).toBe(head);

    await api.as('aims_owner').post('/v1/audit-programmes', body('ines')).expect(201);
    const shown = await api.as('auditor').get('/v1/audit-programmes/2028').expect(200);
    expect(shown.body.responsibilities).toEqual([{ area: validation, personIds: ['val'] }]); // as drafted
    expect(shown.body.resolvedResponsibilities.responsibilities).toEqual([
      {
        area: validation,
        personIds: ['val', 'iris'],
        appointments: [expect.objectContaining({ personId: 'iris', role: 'engineer' })],
        declaredOnly: ['val'],
      },
    ]);

    // an audit of the programme inherits them: val, responsible by the programme's word only, may not audit it
    const auditOf = (team: string[]) => ({
      ...plan('R-1'),
      programmeId: '2028',
      scope: [validation],
      team,
      plannedStart: '2028-03-01T00:00:00Z',
      plannedEnd: '2028-03-15T00:00:00Z',
    });
    const notIndependent = await api.as('aims_owner').post('/v1/internal-audits', auditOf(['val']));
    expectProblem(notIndependent, 403, 'AUDITOR_NOT_INDEPENDENT');
    await api.as('aims_owner').post('/v1/internal-audits', auditOf([])).expect(201);
    const audit = await api.as('auditor').get('/v1/internal-audits/R-1').expect(200);
    expect(audit.body.plan.responsibilities).toEqual([{ area: validation, personIds: ['val', 'iris'] }]);
  });
});

async function collect(api: LifecycleApi, stream: string) {
  const events = [];
  for await (const e of api.events.readStream(stream)) events.push(e);
  return events;
}
