/**
 * Issue 11, finding 1, over HTTP on a real engine: a registrant cannot choose a system's policy; the
 * organisation's policy changes only through a proposal that someone other than the proposer approves;
 * no change goes below the floors; an approval puts registered systems under the new version; the risk
 * tier is confirmed in the impact-assessment review.
 */
import {
  expectProblem,
  impactAssessmentBody,
  registrationBody,
  startLifecycleApi,
  type LifecycleApi,
} from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

let api: LifecycleApi;
beforeAll(async () => {
  api = await startLifecycleApi();
});
afterAll(async () => {
  await api?.close();
});

const typesIn = async (systemId: string): Promise<string[]> =>
  ((await api.as('auditor').get(`/v1/ai-systems/${systemId}/evidence`).expect(200)).body.items as Array<{ type: string }>).map(
    (e) => e.type,
  );

describe("the organisation's lifecycle policy", () => {
  test('given an engineer, when they register a high-risk system with their own auto-approving policy, then 400 naming policy and nothing is recorded', async () => {
    const before = await api.head();
    const refused = await api
      .as('engineer')
      .post(
        '/v1/ai-systems',
        registrationBody('self-served', { policy: { autoApproveRiskTiers: ['high'], taskRoles: { deployment_approval: ['ci'] } } }),
      );
    expectProblem(refused, 400);
    expect(JSON.stringify(refused.body)).toMatch(/policy/);
    expect(await api.head()).toBe(before);
  });

  test('given a registered system, when the AIMS owner proposes a change, then only someone else may approve it, and the approval puts the system under the new version', async () => {
    await api
      .as('engineer')
      .post('/v1/ai-systems', registrationBody('chat-helper', { riskTier: 'limited' }))
      .expect(201);

    expectProblem(
      await api.as('engineer').post('/v1/lifecycle-policy/changes', {
        scope: 'organisation',
        tiers: { limited: { autoApproveDeployment: true } },
        justification: 'faster releases',
      }),
      403,
      'MISSING_ROLE',
    );

    const floorBefore = await api.head();
    expectProblem(
      await api.as('aims_owner').post('/v1/lifecycle-policy/changes', {
        scope: 'organisation',
        tiers: { high: { autoApproveDeployment: true } },
        justification: 'no approvers this month',
      }),
      422,
      'INVALID_POLICY',
    );
    expect(await api.head()).toBe(floorBefore);

    const proposed = await api
      .as('aims_owner')
      .post('/v1/lifecycle-policy/changes', {
        scope: 'organisation',
        tiers: { limited: { taskResponseTimeMs: { deployment_approval: 3_600_000 } } },
        justification: 'Limited-risk deployments are decided within the hour',
      })
      .expect(201);
    expect(proposed.body).toMatchObject({ changeId: 'policy-change-1', taskId: 'policy-change-1-review', version: 0 });

    const inbox = await api.as('top_management').get('/v1/tasks').expect(200);
    expect(inbox.body.items.map((t: { taskId: string }) => t.taskId)).toContain('policy-change-1-review');

    const before = await api.head();
    expectProblem(
      await api.as('aims_owner').post('/v1/tasks/policy-change-1-review/decision', { outcome: 'approve' }),
      403,
      'SEGREGATION_OF_DUTIES',
    );
    expect(await api.head()).toBe(before);

    const approved = await api.as('top_management').post('/v1/tasks/policy-change-1-review/decision', { outcome: 'approve' }).expect(200);
    expect(approved.body).toMatchObject({ kind: 'lifecycle_policy_change_approval', outcome: 'approved', version: 1 });
    expect(approved.body.applied).toEqual(expect.arrayContaining([{ systemId: 'chat-helper', outcome: 'applied', problem: null }]));
    expect(await typesIn('chat-helper')).toContain('LifecyclePolicyApplied');

    const current = await api.as('auditor').get('/v1/lifecycle-policy').expect(200);
    expect(current.body.version).toBe(1);
    expect(current.body.tiers.limited.taskResponseTimeMs.deployment_approval).toBe(3_600_000);

    // Applying the same version again is refused; an engineer cannot apply at all.
    expectProblem(await api.as('aims_owner').post('/v1/ai-systems/chat-helper/lifecycle-policy', {}), 409, 'POLICY_ALREADY_APPLIED');
    expectProblem(
      await api.as('aims_owner').post('/v1/ai-systems/chat-helper/lifecycle-policy', { expectedVersion: 0 }),
      409,
      'POLICY_VERSION_CHANGED',
    );
    expectProblem(await api.as('engineer').post('/v1/ai-systems/chat-helper/lifecycle-policy', {}), 403);
  });

  test('given a system under the organisation policy, when its impact assessment is approved, then the reviewer must confirm the risk tier, and the registrant cannot', async () => {
    const both = await api.issue('rene', ['engineer', 'risk_owner']);
    await api
      .as(both)
      .post('/v1/ai-systems', registrationBody('tiered', { owner: 'rene' }))
      .expect(201);
    const ia = await api.as('engineer').post('/v1/ai-systems/tiered/impact-assessments', impactAssessmentBody()).expect(201);
    const before = await api.head();
    const missing = await api.as('approver').post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve' });
    expectProblem(missing, 400, 'VALIDATION_FAILED');
    expectProblem(
      await api.as(both).post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve', riskTier: 'high' }),
      403,
      'SEGREGATION_OF_DUTIES',
    );
    expect(await api.head()).toBe(before);
    await api.as('approver').post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve', riskTier: 'high' }).expect(200);
    expect(await typesIn('tiered')).toEqual(expect.arrayContaining(['RiskTierConfirmed', 'ImpactAssessmentApproved']));
  });

  test('given an engineer, when they request a deviation for one system, then a governor other than them decides it and it reaches that system only', async () => {
    await api
      .as('engineer')
      .post('/v1/ai-systems', registrationBody('night-shift', { riskTier: 'limited' }))
      .expect(201);
    const asked = await api
      .as('engineer')
      .post('/v1/lifecycle-policy/changes', {
        scope: 'system',
        systemId: 'night-shift',
        overrides: { escalationAfterMs: 7_200_000 },
        justification: 'Operated at night; escalate after two hours',
      })
      .expect(201);
    expectProblem(
      await api.as('engineer').post('/v1/lifecycle-policy/changes', {
        scope: 'system',
        systemId: 'chat-helper',
        overrides: { taskRoles: { deployment_approval: ['ci'] } },
        justification: 'let the pipeline approve',
      }),
      422,
      'INVALID_POLICY',
    );
    const approved = await api.as('aims_owner').post(`/v1/tasks/${asked.body.taskId}/decision`, { outcome: 'approve' }).expect(200);
    expect(approved.body.applied).toEqual([{ systemId: 'night-shift', outcome: 'applied', problem: null }]);
    const current = await api.as('auditor').get('/v1/lifecycle-policy').expect(200);
    expect(Object.keys(current.body.deviations)).toEqual(['night-shift']);
  });
});
