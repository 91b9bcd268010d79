/**
 * The demo's people on the real engine (API app, Temporal dev server, worker, SQLite store): after `aims
 * demo`, each demo person behind a human role's token is registered, appointed by the AIMS owner (the AIMS
 * owner by top management) and has a competence record, while appointments are not yet enforced. Then the
 * flow a new user would try: the AIMS owner switches enforcement on and revokes the approver's appointment;
 * the approver's next approval of the demo's pending deployment is refused (403 APPOINTMENT_REQUIRED, saying
 * whose appointment was revoked) and writes nothing; appointed again, the same approval goes through and its
 * evidence names the person and the new appointment.
 */
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { runDemo, type DemoIo, type DemoResult } from '../../apps/cli/src/commands/demo.command';
import { AIMS_ROLES } from '../../domain/shared/roles';
import { expectProblem, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(300_000);

let api: LifecycleApi;
let demo: DemoResult;
let text: string;

beforeAll(async () => {
  api = await startLifecycleApi();
  await api.app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  const out: string[] = [];
  const io: DemoIo = { stdout: (t) => out.push(t), stderr: () => undefined, env: { AIMS_DATA_DIR: api.config.dataDir } };
  demo = await runDemo({ url: baseUrl, store: api.storeUrl }, io);
  text = out.join('');
});

afterAll(async () => {
  await api?.close();
});

const tokenOf = (role: (typeof AIMS_ROLES)[number]) => demo.tokens[role].token;

describe('aims demo registers its people', () => {
  test('each human role has a registered person, appointed by someone else, with a competence record; ci stands for nobody', async () => {
    for (const role of AIMS_ROLES.filter((r) => r !== 'ci')) {
      const personId = demo.tokens[role].name;
      const shown = await api.as(tokenOf('auditor')).get(`/v1/people/${personId}`).expect(200);
      expect(shown.body).toMatchObject({ personId, status: 'active', identities: [personId] });
      expect(shown.body.appointments).toEqual([
        expect.objectContaining({
          role,
          status: 'active',
          covers: { wholeAims: true, systemIds: [], units: [] },
          appointedBy: expect.objectContaining({ id: role === 'aims_owner' ? 'tara.topmanagement' : 'olivia.owner' }),
        }),
      ]);
      expect(shown.body.competence).toEqual([expect.objectContaining({ kind: 'course', approvedBy: expect.anything() })]);
    }
    await api.as(tokenOf('auditor')).get(`/v1/people/${demo.tokens.ci.name}`).expect(404);
    expect((await api.as(tokenOf('auditor')).get('/v1/people-policy/appointment-enforcement').expect(200)).body).toEqual({
      enforced: false,
    });
    expect(text).toMatch(/People: 9 registered/);
  });
});

let samToken = '';
/** Sam holds an approver and engineer credential, appointed (by the AIMS owner) to `role` for credit scoring only. */
async function registerScoped(owner: string, role: 'approver' | 'engineer'): Promise<void> {
  if (samToken === '') {
    samToken = await api.issue('sam.scoped', ['approver', 'engineer']);
    await api
      .as(owner)
      .post('/v1/people', {
        personId: 'sam.scoped',
        name: 'Sam Scoped',
        contact: 'sam@example.com',
        unit: 'lending',
        identities: ['sam.scoped'],
      })
      .expect(201);
  }
  await api
    .as(owner)
    .post('/v1/people/sam.scoped/appointments', {
      appointmentId: `sam-${role}`,
      role,
      covers: { systemIds: [demo.systems.creditScoring] },
      from: new Date().toISOString(),
      responsibilities: `Acts as ${role} for credit scoring only`,
    })
    .expect(201);
}

describe('a revoked appointment stops the approver of the demo’s pending deployment', () => {
  test('with enforcement on, the revoked approver is refused saying why and nothing is written; appointed again, the approval names the new appointment', async () => {
    const owner = tokenOf('aims_owner');
    const approverId = demo.tokens.approver.name;
    const put = (token: string, path: string, body: object) =>
      request(api.server as Parameters<typeof request>[0])
        .put(path)
        .set('Authorization', `Bearer ${token}`)
        .send(body);
    await put(owner, '/v1/people-policy/appointment-enforcement', { enforced: true, reason: 'every demo person is appointed' }).expect(200);
    // an approver appointed for credit scoring only is no approver for the support assistant's deployment
    await registerScoped(owner, 'approver');
    const beforeScoped = await api.head();
    const notCovered = await api.as(samToken).post(`/v1/tasks/${demo.pendingDeployment.taskId}/decision`, { outcome: 'approve' });
    expectProblem(notCovered, 403, 'APPOINTMENT_REQUIRED');
    expect(notCovered.body).toMatchObject({
      role: 'approver',
      personId: 'sam.scoped',
      reason: 'not_covered',
      appointmentId: 'sam-approver',
    });
    expect(notCovered.body.detail).toMatch(/their appointment to approver does not cover this subject \(appointment sam-approver\)/);
    expect(await api.head()).toBe(beforeScoped);

    const appointment = (await api.as(owner).get(`/v1/people/${approverId}`).expect(200)).body.appointments[0].appointmentId as string;
    await api
      .as(owner)
      .post(`/v1/people/${approverId}/appointments/${appointment}/revocation`, { reason: 'moved to another team' })
      .expect(201);

    const before = await api.head();
    const decision = `/v1/tasks/${demo.pendingDeployment.taskId}/decision`;
    const refused = await api.as(tokenOf('approver')).post(decision, { outcome: 'approve', comment: 'ok' });
    expectProblem(refused, 403, 'APPOINTMENT_REQUIRED');
    expect(refused.body).toMatchObject({ role: 'approver', personId: approverId, reason: 'revoked', appointmentId: appointment });
    expect(refused.body.detail).toBe(
      `${approverId} (person ${approverId}) cannot act as approver: their appointment to approver was revoked (appointment ${appointment}).`,
    );
    expect(await api.head()).toBe(before);

    // appointed again by the AIMS owner: the same approval goes through, under the new appointment
    const again = await api
      .as(owner)
      .post(`/v1/people/${approverId}/appointments`, {
        role: 'approver',
        covers: { wholeAims: true },
        from: new Date().toISOString(),
        responsibilities: 'Approves deployments of high-risk AI systems',
      })
      .expect(201);
    await api.as(tokenOf('approver')).post(decision, { outcome: 'approve', comment: 'ok' }).expect(200);
    const evidence = await api.as(tokenOf('auditor')).get(`/v1/audit/streams/ai-system-${demo.pendingDeployment.systemId}?limit=500`);
    expect(evidence.status).toBe(200);
    const decided = (evidence.body.items as Array<{ type: string; metadata: { actor: Record<string, unknown> } }>)
      .filter((e) => e.type === 'HumanTaskDecided')
      .pop();
    expect(decided?.metadata.actor).toMatchObject({
      id: approverId,
      role: 'approver',
      personId: approverId,
      appointmentId: again.body.appointmentId,
    });
  });
});

describe('an appointment scoped to one AI system counts for that system only (enforced on the server)', () => {
  test('the lifecycle of another system refuses the scoped engineer and writes nothing; their own system records the step under the scoped appointment', async () => {
    const owner = tokenOf('aims_owner');
    await registerScoped(owner, 'engineer');
    const change = { description: 'Retrain on the new quarter', significant: false };
    const before = await api.head();
    const refused = await api.as(samToken).post(`/v1/ai-systems/${demo.systems.supportAssistant}/changes`, change);
    expectProblem(refused, 403, 'APPOINTMENT_REQUIRED');
    expect(refused.body).toMatchObject({ role: 'engineer', personId: 'sam.scoped', reason: 'not_covered', appointmentId: 'sam-engineer' });
    expect(await api.head()).toBe(before);
    // reading another system's record is judged by role alone
    await api.as(samToken).get(`/v1/ai-systems/${demo.systems.supportAssistant}`).expect(200);

    await api.as(samToken).post(`/v1/ai-systems/${demo.systems.creditScoring}/changes`, change).expect(201);
    const evidence = await api.as(tokenOf('auditor')).get(`/v1/audit/streams/ai-system-${demo.systems.creditScoring}?limit=500`);
    const recorded = (evidence.body.items as Array<{ type: string; metadata: { actor: Record<string, unknown> } }>)
      .filter((e) => e.type === 'ChangeRecorded')
      .pop();
    expect(recorded?.metadata.actor).toMatchObject({
      id: 'sam.scoped',
      role: 'engineer',
      personId: 'sam.scoped',
      appointmentId: 'sam-engineer',
    });
  });
});
