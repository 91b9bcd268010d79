/**
 * Competence (7.2) through the HTTP API, on the real app, a real Temporal dev server and a real worker: the
 * AIMS owner sets what a validator requires and switches its enforcement on; the validator's sign-off is then
 * refused (403 COMPETENCE_MISSING, naming what is missing) and writes nothing, whatever the client sends;
 * with an expired record it is refused naming the expiry; with a current record approved by someone other
 * than the person it passes. Gaps as of an earlier instant differ as the evidence says. Bad input is
 * problem+json and writes nothing; a change that would lock the policy's owners out is refused.
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
  passingQualityBody,
  registrationBody,
  impactAssessmentBody,
  startLifecycleApi,
  type LifecycleApi,
} from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

describe('competence through the HTTP API', () => {
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
  const requirement = { role: 'validator', competence: 'model validation', withinMonths: 24, reason: 'validators sign off validations' };
  const record = (recordId: string, obtainedAt: string, expiresAt: string | null) => ({
    personId: 'validator',
    recordId,
    competence: 'model validation',
    kind: 'course',
    obtainedAt,
    expiresAt,
    evidenceRef: `certificate ${recordId}`,
  });

  test('with the switch on, a validator without current competence is refused the sign-off and nothing is recorded; with a record it passes', async () => {
    for (const role of ['aims_owner', 'validator'] as AimsRole[])
      expect((await post('aims_owner', '/v1/people', person(role.replace('_', '-'), role))).status).toBe(201);
    // The gaps are judged for the roles people are appointed to (the switch judges the roles a request acts with).
    await post('aims_owner', '/v1/people/validator/appointments', {
      role: 'validator',
      covers: { wholeAims: true },
      from: new Date(Date.now() - 60_000).toISOString(),
      responsibilities: 'Signs off validations',
    }).expect(201);

    // ----- bad input and the wrong roles: problem+json, nothing written -----
    const head = await api.head();
    expectProblem(await put('aims_owner', '/v1/competence/requirements', { ...requirement, withinMonths: 0 }), 400);
    expectProblem(await put('aims_owner', '/v1/competence/requirements', { ...requirement, role: 'ci' }), 400);
    expectProblem(await put('aims_owner', '/v1/competence/requirements', { ...requirement, extra: 1 }), 400);
    expectProblem(await put('aims_owner', '/v1/competence/enforcement', { role: 'validator', enforced: 'yes', reason: 'x' }), 400);
    expectProblem(await put('engineer', '/v1/competence/requirements', requirement), 403);
    expectProblem(
      await post('aims_owner', '/v1/competence/records', { ...record('r0', '2026-01-01T00:00:00Z', null), kind: 'rumour' }),
      400,
    );
    expectProblem(await get('aims_owner', '/v1/competence/gaps?asOf=12'), 400);
    expect(await api.head()).toBe(head);

    // ----- the requirement and the switch, as evidence; the view says so -----
    expect((await put('aims_owner', '/v1/competence/requirements', requirement)).status).toBe(200);
    expectProblem(await put('aims_owner', '/v1/competence/requirements', requirement), 409, 'COMPETENCE_REQUIREMENT_UNCHANGED');
    expect(
      (await put('top_management', '/v1/competence/enforcement', { role: 'validator', enforced: true, reason: 'current only' })).status,
    ).toBe(200);
    expect((await get('auditor', '/v1/competence/enforcement')).body).toEqual({
      roles: ['validator'],
      requirements: [{ role: 'validator', competence: 'model validation', withinMonths: 24 }],
    });
    const requirements = await get('auditor', '/v1/competence/requirements?role=validator');
    expect(requirements.body.items).toEqual([{ role: 'validator', competence: 'model validation', withinMonths: 24, enforced: true }]);

    // ----- a lifecycle up to the validator's sign-off -----
    const systemId = 'competence-credit';
    const registration = registrationBody(systemId) as { riskTier: string };
    expect((await post('engineer', '/v1/ai-systems', registration)).status).toBe(201);
    const ia = await post('engineer', `/v1/ai-systems/${systemId}/impact-assessments`, impactAssessmentBody());
    expect(
      (await post('approver', `/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve', riskTier: registration.riskTier }))
        .status,
    ).toBe(200);
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
    const signOff = `/v1/tasks/${validation.body.signOffTaskId}/decision`;

    // ----- never recorded: refused, naming the requirement, nothing written -----
    const beforeSignOff = await api.head();
    const never = await post('validator', signOff, { outcome: 'approve' });
    expectProblem(never, 403, 'COMPETENCE_MISSING');
    expect(never.body).toMatchObject({
      role: 'validator',
      personId: 'validator',
      missing: [{ competence: 'model validation', withinMonths: 24, reason: 'no_record', recordId: null }],
    });
    expect(never.body.detail).toBe(
      'validator-token (person validator) cannot act as validator without current competence: model validation: never recorded.',
    );
    expect(await api.head()).toBe(beforeSignOff);

    // ----- nobody approves their own record -----
    expectProblem(
      await post('aims_owner', '/v1/competence/records', { ...record('own', '2026-01-01T00:00:00Z', null), personId: 'aims-owner' }),
      403,
      'SEGREGATION_OF_DUTIES',
    );

    // ----- an expired record: refused, naming when it expired -----
    expect(
      (await post('aims_owner', '/v1/competence/records', record('mv-old', '2024-01-10T00:00:00Z', '2025-01-10T00:00:00Z'))).status,
    ).toBe(201);
    const expired = await post('validator', signOff, { outcome: 'approve' });
    expectProblem(expired, 403, 'COMPETENCE_MISSING');
    expect(expired.body.missing).toEqual([
      expect.objectContaining({ reason: 'expired', recordId: 'mv-old', expiresAt: '2025-01-10T00:00:00.000Z' }),
    ]);
    expect(expired.body.detail).toContain('record mv-old expired on 2025-01-10T00:00:00.000Z');

    // ----- a current record approved by the AIMS owner: the sign-off passes -----
    const beforeRecord = new Date().toISOString();
    expect(
      (await post('aims_owner', '/v1/competence/records', record('mv-new', new Date(Date.now() - 86_400_000).toISOString(), null))).status,
    ).toBe(201);
    expect((await post('validator', signOff, { outcome: 'approve' })).status).toBe(200);

    // ----- records and gaps, now and as of before the record -----
    const records = await get('auditor', '/v1/competence/records?person=validator');
    expect(records.body.items.map((r: { recordId: string; current: boolean }) => [r.recordId, r.current])).toEqual([
      ['mv-old', false],
      ['mv-new', true],
    ]);
    expect((await get('auditor', '/v1/competence/gaps?person=validator')).body.items).toEqual([]);
    const earlier = await get('auditor', `/v1/competence/gaps?person=validator&asOf=${encodeURIComponent(beforeRecord)}`);
    expect(earlier.body.items).toEqual([
      expect.objectContaining({
        personId: 'validator',
        role: 'validator',
        competence: 'model validation',
        reason: 'expired',
        enforced: true,
      }),
    ]);

    // ----- the CLI reads the same, as of the same instant -----
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await peopleCommand(['competence', ...argv], {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const gapsThen = await run(['gaps', '--person', 'validator', '--as-of', beforeRecord]);
    expect(gapsThen).toMatchObject({ code: 0, err: '' });
    expect(gapsThen.out).toMatch(
      /^PERSON +ROLE +COMPETENCE +WHY +RECORD +ENFORCED\nvalidator +validator +model validation +expired +mv-old +yes\n$/,
    );
    expect((await run(['gaps', '--person', 'validator'])).out).toBe('No gaps.\n');
    expect((await run(['requirements'])).out).toMatch(/validator +model validation +24 +yes/);
    expect((await run(['gaps', '--as-of', 'yesterday'])).code).toBe(2);

    // ----- a change that would leave the policy's owner unable to act is refused -----
    expect(
      (
        await put('aims_owner', '/v1/competence/requirements', {
          role: 'aims_owner',
          competence: 'AIMS leadership',
          withinMonths: null,
          reason: 'x',
        })
      ).status,
    ).toBe(200);
    const beforeLockOut = await api.head();
    expectProblem(
      await put('aims_owner', '/v1/competence/enforcement', { role: 'aims_owner', enforced: true, reason: 'owners too' }),
      409,
      'COMPETENCE_ENFORCEMENT_WOULD_LOCK_OUT',
    );
    expect(await api.head()).toBe(beforeLockOut);

    // ----- switched off: the validator acts as before -----
    expect((await put('aims_owner', '/v1/competence/enforcement', { role: 'validator', enforced: false, reason: 'rollback' })).status).toBe(
      200,
    );
    expect((await get('auditor', '/v1/competence/enforcement')).body.roles).toEqual([]);
  });
});
