/**
 * People and role appointments through the HTTP API, on the real app, a real Temporal dev server and a
 * real worker: people registered and appointed (never by themselves), appointment enforcement switched on
 * by top management, then a lifecycle driven with the demo's role tokens where the validator's appointment
 * runs out mid-lifecycle — the next sign-off is refused (403 APPOINTMENT_REQUIRED, naming the role, the
 * person and why) and writes nothing; a revocation stops the approver at once; a credential with no person
 * acts with no human role while the pipeline's `ci` keeps working; the evidence names the person and the
 * appointment each step was taken under. Bad input is problem+json and writes nothing.
 */
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { peopleCommand } from '../../apps/cli/src/commands/people.command';
import type { AimsRole } from '../../domain/shared/roles';
import {
  datasetBody,
  DIGEST_A,
  expectProblem,
  goodMetrics,
  impactAssessmentBody,
  passingQualityBody,
  registrationBody,
  startLifecycleApi,
  type LifecycleApi,
} from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

describe('people and appointments through the HTTP API', () => {
  let api: LifecycleApi;

  beforeAll(async () => {
    api = await startLifecycleApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  const post = (role: string, path: string, body: object) => api.as(role).post(path, body);
  const get = (role: string, path: string) => api.as(role).get(path);
  const put = (role: AimsRole, path: string, body: object) =>
    request(api.server as Parameters<typeof request>[0])
      .put(path)
      .set('Authorization', `Bearer ${api.tokens[role]}`)
      .send(body);
  const person = (personId: string, role: AimsRole) => ({
    personId,
    name: personId.toUpperCase(),
    contact: `${personId}@example.com`,
    unit: 'model-risk',
    identities: [`${role}-token`],
  });
  const appoint = (by: AimsRole, personId: string, role: AimsRole, until: string | null = null) =>
    post(by, `/v1/people/${personId}/appointments`, {
      role,
      covers: { wholeAims: true },
      from: new Date(Date.now() - 60_000).toISOString(),
      until,
      responsibilities: `Acts as ${role}`,
    });

  test('an appointment running out mid-lifecycle refuses the next sign-off; a revocation stops at once; the evidence names person and appointment', async () => {
    // ----- bad input: problem+json, nothing written -----
    const head = await api.head();
    for (const body of [
      { ...person('x', 'engineer'), identities: 'erin' },
      { ...person('-bad', 'engineer') },
      { ...person('x', 'engineer'), extra: 1 },
    ]) {
      expectProblem(await post('aims_owner', '/v1/people', body), 400);
    }
    expectProblem(await post('engineer', '/v1/people', person('x', 'engineer')), 403);
    expect(await api.head()).toBe(head);

    // ----- the register: one person behind each human role's token -----
    for (const role of ['aims_owner', 'top_management', 'engineer', 'approver', 'validator'] as AimsRole[]) {
      expect((await post('aims_owner', '/v1/people', person(role.replace('_', '-'), role))).status).toBe(201);
    }
    // nobody appoints themselves, and ci is nobody's appointment: refused, nothing written
    const beforeRefusals = await api.head();
    expectProblem(await appoint('aims_owner', 'aims-owner', 'aims_owner'), 403, 'SEGREGATION_OF_DUTIES');
    expectProblem(await appoint('aims_owner', 'engineer', 'ci'), 400);
    // switching enforcement on before anyone who could switch it off is appointed would lock everyone out
    expectProblem(
      await put('top_management', '/v1/people-policy/appointment-enforcement', { enforced: true, reason: 'too early' }),
      409,
      'APPOINTMENT_ENFORCEMENT_WOULD_LOCK_OUT',
    );
    expectProblem(await put('top_management', '/v1/people-policy/appointment-enforcement', { enforced: 'yes', reason: 'x' }), 400);
    expect(await api.head()).toBe(beforeRefusals);
    expect((await appoint('top_management', 'aims-owner', 'aims_owner')).status).toBe(201);
    expect((await appoint('aims_owner', 'top-management', 'top_management')).status).toBe(201);
    expect((await appoint('aims_owner', 'engineer', 'engineer')).status).toBe(201);
    const approver = await appoint('aims_owner', 'approver', 'approver');
    expect(approver.body.appointmentId).toBe('approver-approver-1');
    const validatorUntil = new Date(Date.now() + 25_000).toISOString();
    expect((await appoint('aims_owner', 'validator', 'validator', validatorUntil)).status).toBe(201);

    // ----- enforcement: off by default, switched on by top management with a reason -----
    expect((await get('auditor', '/v1/people-policy/appointment-enforcement')).body).toEqual({ enforced: false });
    expectProblem(await put('engineer', '/v1/people-policy/appointment-enforcement', { enforced: true, reason: 'x' }), 403);
    expect(
      (await put('top_management', '/v1/people-policy/appointment-enforcement', { enforced: true, reason: 'all appointed' })).status,
    ).toBe(200);
    expect((await get('aims_owner', '/v1/people-policy/appointment-enforcement')).body).toEqual({ enforced: true });

    // ----- a lifecycle: the engineer (appointed), the pipeline (ci, a machine identity) and the approver -----
    const systemId = 'people-credit';
    const registration = registrationBody(systemId) as { riskTier: string };
    expect((await post('engineer', '/v1/ai-systems', registration)).status).toBe(201);
    const ia = await post('engineer', `/v1/ai-systems/${systemId}/impact-assessments`, impactAssessmentBody());
    expect(ia.status).toBe(201);
    const iaDecided = await post('approver', `/v1/tasks/${ia.body.reviewTaskId}/decision`, {
      outcome: 'approve',
      riskTier: registration.riskTier,
    });
    expect(iaDecided.status).toBe(200);
    await post('engineer', `/v1/ai-systems/${systemId}/datasets`, datasetBody('DS-1')).expect(201);
    await post('ci', `/v1/ai-systems/${systemId}/datasets/DS-1/quality-checks`, passingQualityBody()).expect(201);
    await post('ci', `/v1/ai-systems/${systemId}/versions`, {
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      description: 'first',
    }).expect(201);
    const validation = await post('ci', `/v1/ai-systems/${systemId}/validations`, {
      modelVersion: '1.0.0',
      artifactDigest: DIGEST_A,
      datasetIds: ['DS-1'],
      metrics: goodMetrics,
    }).expect(201);

    // the evidence names the person and the appointment the approval was taken under
    const evidence = await get('aims_owner', `/v1/audit/streams/ai-system-${systemId}`);
    expect(evidence.status).toBe(200);
    const decided = evidence.body.items.find((e: { type: string }) => e.type === 'HumanTaskDecided');
    expect(decided.metadata.actor).toMatchObject({
      id: 'approver-token',
      role: 'approver',
      personId: 'approver',
      appointmentId: 'approver-approver-1',
    });

    // a credential with no person behind it acts with no human role
    const stranger = await api.issue('stranger', ['validator']);
    const strangerTry = await post(stranger, `/v1/tasks/${validation.body.signOffTaskId}/decision`, { outcome: 'approve' });
    expectProblem(strangerTry, 403, 'APPOINTMENT_REQUIRED');
    expect(strangerTry.body).toMatchObject({ role: 'validator', personId: null, reason: 'no_person' });

    // ----- the validator's appointment runs out: the next sign-off is refused and writes nothing -----
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(validatorUntil) - Date.now() + 200)));
    const beforeSignOff = await api.head();
    const refused = await post('validator', `/v1/tasks/${validation.body.signOffTaskId}/decision`, { outcome: 'approve' });
    expectProblem(refused, 403, 'APPOINTMENT_REQUIRED');
    expect(refused.body).toMatchObject({ role: 'validator', personId: 'validator', reason: 'expired' });
    expect(refused.body.detail).toMatch(
      /validator-token \(person validator\) cannot act as validator: their appointment to validator has run out/,
    );

    // ----- a revocation stops the approver at once -----
    await post('aims_owner', '/v1/people/approver/appointments/approver-approver-1/revocation', { reason: 'moved team' }).expect(201);
    const afterRevocation = await get('approver', '/v1/tasks');
    expectProblem(afterRevocation, 403, 'APPOINTMENT_REQUIRED');
    expect(afterRevocation.body).toMatchObject({ reason: 'revoked', appointmentId: 'approver-approver-1' });
    // (the only writes since the sign-off was refused are the revocation's and the appointment timer's)
    expect(await api.head()).toBeGreaterThan(beforeSignOff);

    // an auditor's credential with no person behind it reads nothing while appointments are enforced
    expectProblem(await get('auditor', '/v1/people'), 403, 'APPOINTMENT_REQUIRED');

    // ----- the register, the assignments as of an instant, the RACI -----
    const people = await get('aims_owner', '/v1/people?role=engineer');
    expect(people.body.items.map((p: { personId: string }) => p.personId)).toEqual(['engineer']);
    // the register as of a point: before anyone was registered, nobody; as of now, the same as the read model
    expect((await get('aims_owner', '/v1/people?asOf=2000-01-01')).body).toEqual({ items: [], nextCursor: null });
    const nowPosition = await api.head();
    const asOfNow = await get('aims_owner', `/v1/people?role=engineer&asOf=${nowPosition}&limit=1`);
    expect(asOfNow.body.items.map((p: { personId: string }) => p.personId)).toEqual(['engineer']);
    const wholeNow = (await get('aims_owner', '/v1/people?limit=100')).body.items.map((p: { personId: string }) => p.personId);
    const wholeAsOf = (await get('aims_owner', `/v1/people?limit=100&asOf=${nowPosition}`)).body.items.map(
      (p: { personId: string }) => p.personId,
    );
    expect(wholeAsOf).toEqual(wholeNow);
    const firstPage = (await get('aims_owner', `/v1/people?limit=1&asOf=${nowPosition}`)).body;
    expect(firstPage.nextCursor).toMatch(/^asof-\d+$/);
    const secondPage = (await get('aims_owner', `/v1/people?limit=1&asOf=${nowPosition}&cursor=${firstPage.nextCursor as string}`)).body;
    expect(secondPage.items[0].personId).toBe(wholeNow[1]);
    expectProblem(await get('aims_owner', '/v1/people?asOf=2026-02-30'), 400);
    expectProblem(await get('aims_owner', `/v1/people?asOf=${nowPosition}&cursor=bogus`), 400);
    const found = await get('aims_owner', '/v1/people?identity=VALIDATOR-TOKEN');
    expect(found.body.items.map((p: { personId: string }) => p.personId)).toEqual(['validator']);
    const shown = await get('aims_owner', '/v1/people/engineer');
    expect(shown.body.acting).toMatchObject({ roles: ['engineer'], grants: [{ role: 'engineer', appointmentId: 'engineer-engineer-1' }] });
    expectProblem(await get('aims_owner', '/v1/people/nobody'), 404);
    const inForceEarlier = await get(
      'aims_owner',
      `/v1/role-assignments?role=validator&asOf=${encodeURIComponent(new Date(Date.parse(validatorUntil) - 5_000).toISOString())}`,
    );
    expect(inForceEarlier.body).toMatchObject({ items: expect.any(Array) });
    expect(inForceEarlier.body.items.map((a: { appointmentId: string }) => a.appointmentId)).toEqual(['validator-validator-1']);
    const inForceNow = await get('aims_owner', `/v1/role-assignments?role=validator&asOf=${encodeURIComponent(new Date().toISOString())}`);
    expect(inForceNow.body.items).toEqual([]);
    expectProblem(await get('aims_owner', '/v1/role-assignments?asOf=12'), 400);
    expectProblem(await get('aims_owner', '/v1/role-assignments?status=maybe'), 400);
    const raci = await get('aims_owner', '/v1/raci?role=validator');
    const lifecycle = raci.body.processes.find((p: { process: string }) => p.process === 'ai-system');
    expect(lifecycle.rows.map((r: { step: string }) => r.step)).toContain('validation_sign_off');

    // ----- switched off again: credentials act with their roles, as before -----
    expect((await put('aims_owner', '/v1/people-policy/appointment-enforcement', { enforced: false, reason: 'rollback' })).status).toBe(
      200,
    );
    expect((await post('validator', `/v1/tasks/${validation.body.signOffTaskId}/decision`, { outcome: 'approve' })).status).toBe(200);

    // ----- the CLI reads the same register -----
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await peopleCommand(argv, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const listed = await run(['list', '--role', 'engineer']);
    expect(listed).toMatchObject({ code: 0, err: '' });
    expect(listed.out).toMatch(/^PERSON +NAME +UNIT +STATUS +APPOINTED ROLES\nengineer +ENGINEER +model-risk +active +engineer\n$/);
    expect((await run(['list', '--as-of', '2000-01-01'])).out).toBe('No people.\n');
    const shown2 = await run(['show', 'validator']);
    expect(shown2.code).toBe(0);
    expect(shown2.out).toMatch(/validator-validator-1 +validator +whole AIMS .* ended \(its term ran out\)/);
    expect((await run(['show', 'nobody'])).code).toBe(2);
  });

  test('per role, with appointments enforced: appointed roles read, lapsed ones are refused saying why, ci needs no person; appointing lets a role in', async () => {
    expect((await put('top_management', '/v1/people-policy/appointment-enforcement', { enforced: true, reason: 'per role' })).status).toBe(
      200,
    );
    const outcome = async (role: AimsRole) => {
      const r = await get(role, '/v1/raci');
      return r.status === 200 ? 'ok' : `${r.status} ${String(r.body.code)} ${String(r.body.reason)}`;
    };
    const table: Record<string, string> = {};
    for (const role of [
      'aims_owner',
      'top_management',
      'engineer',
      'approver',
      'validator',
      'risk_owner',
      'admin',
      'auditor',
      'ci',
    ] as AimsRole[])
      table[role] = await outcome(role);
    expect(table).toEqual({
      aims_owner: 'ok',
      top_management: 'ok',
      engineer: 'ok',
      approver: '403 APPOINTMENT_REQUIRED revoked',
      validator: '403 APPOINTMENT_REQUIRED expired',
      risk_owner: '403 APPOINTMENT_REQUIRED no_person',
      admin: '403 APPOINTMENT_REQUIRED no_person',
      auditor: '403 APPOINTMENT_REQUIRED no_person',
      ci: 'ok',
    });
    for (const role of ['risk_owner', 'auditor'] as AimsRole[]) {
      const id = role.replace('_', '-');
      expect((await post('aims_owner', '/v1/people', person(id, role))).status).toBe(201);
      expect((await appoint('top_management', id, role)).status).toBe(201);
      expect(await outcome(role)).toBe('ok');
    }
    // appointing someone who was never registered: 404, nothing written
    expect((await appoint('aims_owner', 'admin-less', 'admin')).status).toBe(404);
    expect((await put('aims_owner', '/v1/people-policy/appointment-enforcement', { enforced: false, reason: 'done' })).status).toBe(200);
    expect(await outcome('admin')).toBe('ok');
  });
});
