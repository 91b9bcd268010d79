/**
 * A whole AI-system lifecycle over HTTP on the real engine (API app, Temporal dev server, worker, SQLite
 * evidence store), each step taken with the token of the role it needs; the evidence names the token's
 * holder as the actor. Also: 401 without a valid token, 403 for a missing role (the guard's and the
 * domain's), segregation of duties refused with nothing written, and the gate answering 409 blocked
 * with every reason.
 */
import {
  DIGEST_A,
  DIGEST_B,
  datasetBody,
  driveToSignedOff,
  expectProblem,
  goodMetrics,
  impactAssessmentBody,
  passingQualityBody,
  registrationBody,
  startLifecycleApi,
  type LifecycleApi,
} from './support/lifecycle-api-harness';

let api: LifecycleApi;

beforeAll(async () => {
  api = await startLifecycleApi();
});

afterAll(async () => {
  await api?.close();
});

describe('a whole lifecycle over HTTP, a token per role', () => {
  const id = 'credit-scoring';

  test('given an engineer, a validator, an approver and a pipeline, when they drive a high-risk system from registration to decommissioning, then every step answers and is in the evidence', async () => {
    // registration (engineer): the workflow starts and the inventory shows it at once
    const registered = await api.as('engineer').post('/v1/ai-systems', registrationBody(id)).expect(201);
    expect(registered.headers.location).toBe(`/v1/ai-systems/${id}`);
    expect(registered.body).toMatchObject({ systemId: id, workflowId: `ai-system-${id}`, stage: 'registered' });
    expect((await api.as('auditor').get(`/v1/ai-systems/${id}`).expect(200)).body).toMatchObject({
      stage: 'registered',
      owner: 'engineer-token',
    });
    expectProblem(await api.as('aims_owner').post('/v1/ai-systems', registrationBody(id)), 409, 'AI_SYSTEM_ALREADY_REGISTERED');

    // impact assessment (engineer) → approval (approver), found through "my tasks"
    const ia = await api.as('engineer').post(`/v1/ai-systems/${id}/impact-assessments`, impactAssessmentBody()).expect(201);
    expect(ia.body).toMatchObject({
      stage: 'impact_assessment',
      openedTasks: [{ kind: 'impact_assessment_review', requiredRoles: ['approver', 'risk_owner'] }],
    });
    const mine = await api.as('approver').get(`/v1/tasks?aiSystemId=${id}`).expect(200);
    expect(mine.body.items.map((t: { taskId: string }) => t.taskId)).toEqual([ia.body.reviewTaskId]);
    const approved = await api
      .as('approver')
      .post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, {
        outcome: 'approve',
        riskTier: 'high',
        comment: 'mitigations adequate',
        evidenceRefs: ['DOC-17'],
      })
      .expect(200);
    expect(approved.body).toMatchObject({ outcome: 'approved', kind: 'impact_assessment_review', stage: 'validation', aiSystemId: id });

    // data, version and validation (engineer, ci) → sign-off (validator)
    await api.as('engineer').post(`/v1/ai-systems/${id}/datasets`, datasetBody('DS-1')).expect(201);
    expect(
      (await api.as('ci').post(`/v1/ai-systems/${id}/datasets/DS-1/quality-checks`, passingQualityBody()).expect(201)).body,
    ).toMatchObject({ passed: true, datasetId: 'DS-1' });
    await api
      .as('ci')
      .post(`/v1/ai-systems/${id}/versions`, { modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first model' })
      .expect(201);
    const validation = await api
      .as('ci')
      .post(`/v1/ai-systems/${id}/validations`, {
        modelVersion: '1.0.0',
        artifactDigest: DIGEST_A,
        datasetIds: ['DS-1'],
        metrics: goodMetrics,
      })
      .expect(201);
    expect(validation.body).toMatchObject({ evaluation: { passed: true }, signOffTaskId: expect.any(String) });
    const signedOff = await api
      .as('validator')
      .post(`/v1/tasks/${validation.body.signOffTaskId}/decision`, { outcome: 'approve' })
      .expect(200);
    expect(signedOff.body.stage).toBe('deployment_approval');

    // the gate (ci): pending with the approval task; an engineer may not approve it (the domain's 403)
    const pending = await api
      .as('ci')
      .post(`/v1/ai-systems/${id}/deployments`, {
        version: '1.0.0',
        artifactDigest: DIGEST_A,
        environment: 'production',
        commit: '9f2c1e7',
      })
      .set('Idempotency-Key', 'pipeline-run-41')
      .expect(202);
    // the key is scoped to the caller: the request id is a hash of both, given in the answer and Location
    const requestId = pending.body.requestId as string;
    expect(pending.body).toMatchObject({
      outcome: 'pending',
      requestId: expect.stringMatching(/^idem-[0-9a-f]{40}$/),
      requestStatus: 'pending_approval',
      reasons: [],
      task: { id: expect.any(String), kind: 'deployment_approval', requiredRoles: ['approver'], dueAt: expect.any(String) },
    });
    expect(pending.headers.location).toBe(`/v1/ai-systems/${id}/deployments/${requestId}`);
    const taskId = pending.body.task.id as string;
    expect((await api.as('auditor').get(`/v1/ai-systems/${id}/deployments/${requestId}`).expect(200)).body).toMatchObject({
      outcome: 'pending',
      task: { id: taskId },
    });
    const before = await api.head();
    expectProblem(await api.as('engineer').post(`/v1/tasks/${taskId}/decision`, { outcome: 'approve' }), 403, 'MISSING_ROLE');
    expect(await api.head()).toBe(before);

    // approval (approver) → the same request, asked again, is allowed; the pipeline completes it
    await api.as('approver').post(`/v1/tasks/${taskId}/decision`, { outcome: 'approve', comment: 'go' }).expect(200);
    expect((await api.as('ci').get(`/v1/ai-systems/${id}/deployments/${requestId}`).expect(200)).body).toMatchObject({
      outcome: 'allowed',
      requestStatus: 'approved',
      task: null,
      // no AI policy was published here: the decision records that none was in force (5.2)
      aiPolicy: { decision: 'approved', policies: [], decisionEventId: expect.any(String) },
    });
    const allowed = await api
      .as('ci')
      .post(`/v1/ai-systems/${id}/deployments`, {
        version: '1.0.0',
        artifactDigest: DIGEST_A,
        environment: 'production',
        commit: '9f2c1e7',
      })
      .set('Idempotency-Key', 'pipeline-run-41')
      .expect(200);
    expect(allowed.body).toMatchObject({
      outcome: 'allowed',
      requestId,
      repeated: true,
      recorded: [{ type: 'DeploymentRequestRepeated' }],
    });
    const completed = await api.as('ci').post(`/v1/ai-systems/${id}/deployments/${requestId}/completion`).expect(200);
    expect(completed.body).toMatchObject({ production: true, stage: 'in_production' });
    expect((await api.as('auditor').get(`/v1/ai-systems/${id}`).expect(200)).body).toMatchObject({
      stage: 'in_production',
      productionVersion: '1.0.0',
    });

    // monitoring (ci): a breach opens a nonconformity
    const report = await api
      .as('ci')
      .post(`/v1/ai-systems/${id}/monitoring-reports`, {
        window: { from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z' },
        metrics: [
          { metric: 'auc', value: 0.71 },
          { metric: 'false_positive_rate', value: 0.05 },
        ],
      })
      .expect(201);
    expect(report.body.breaches).toMatchObject([{ metric: 'auc', value: 0.71, threshold: 0.8 }]);
    expect(report.body.nonconformitiesOpened).toHaveLength(1);

    // a nonconformity handled outside its corrective-action workflow is closed in the record (risk owner)
    const ncId = report.body.nonconformitiesOpened[0] as string;
    const closure = `/v1/ai-systems/${id}/nonconformities/${ncId}/closure`;
    // (the system's own stream, not the global head: the nonconformity the breach started records its
    // first steps in the background)
    const beforeClosure = await api.events.streamRevision(`ai-system-${id}`);
    expectProblem(await api.as('engineer').post(closure, { resolution: 'retrained' }), 403);
    expectProblem(await api.as('risk_owner').post(closure, { resolution: '' }), 400);
    expectProblem(await api.as('risk_owner').post(closure, { resolution: 'retrained', extra: 1 }), 400);
    expectProblem(
      await api.as('risk_owner').post(`/v1/ai-systems/${id}/nonconformities/nc-none/closure`, { resolution: 'retrained' }),
      404,
      'NONCONFORMITY_UNKNOWN',
    );
    expect(await api.events.streamRevision(`ai-system-${id}`)).toBe(beforeClosure);
    const closed = await api.as('risk_owner').post(closure, { resolution: 'Retrained on fresh data; auc back to 0.84' }).expect(200);
    expect(closed.body).toMatchObject({ nonconformityId: ncId, stage: 'in_production' });
    expectProblem(await api.as('risk_owner').post(closure, { resolution: 'again' }), 409, 'NONCONFORMITY_ALREADY_CLOSED');

    // decommissioning: requested (engineer), approved (approver), completed with the retention decision
    const decommissioning = await api
      .as('engineer')
      .post(`/v1/ai-systems/${id}/decommissioning`, { reason: 'Replaced by a new scoring platform' })
      .expect(201);
    await api.as('approver').post(`/v1/tasks/${decommissioning.body.approvalTaskId}/decision`, { outcome: 'approve' }).expect(200);
    const ended = await api
      .as('engineer')
      .post(`/v1/ai-systems/${id}/decommissioning/completion`, {
        dataRetention: { decision: 'archive', retainUntil: '2033-12-31T00:00:00Z', justification: 'Credit records are kept seven years' },
      })
      .expect(200);
    expect(ended.body.stage).toBe('decommissioned');
    expect((await api.as('auditor').get(`/v1/ai-systems/${id}`).expect(200)).body.stage).toBe('decommissioned');

    // after the end nothing more happens, and the caller is told why
    const head = await api.head();
    expectProblem(
      await api.as('engineer').post(`/v1/ai-systems/${id}/incidents`, { severity: 'low', description: 'late report' }),
      409,
      'AI_SYSTEM_DECOMMISSIONED',
    );
    expect(await api.head()).toBe(head);

    // the evidence names each step's actor as the token's holder, and the chain verifies
    const evidence = await api.as('auditor').get(`/v1/ai-systems/${id}/evidence?limit=500`).expect(200);
    const actorOf = (type: string) =>
      (evidence.body.items as Array<{ type: string; metadata: { actor: { id: string; role: string } } }>).find((e) => e.type === type)
        ?.metadata.actor;
    expect(actorOf('AiSystemRegistered')).toEqual({ id: 'engineer-token', role: 'engineer' });
    expect(actorOf('ImpactAssessmentSubmitted')).toEqual({ id: 'engineer-token', role: 'engineer' });
    expect(actorOf('DeploymentRequested')).toEqual({ id: 'ci-token', role: 'ci' });
    expect(actorOf('DeploymentCompleted')).toEqual({ id: 'ci-token', role: 'ci' });
    expect(actorOf('AiSystemDecommissioned')).toEqual({ id: 'engineer-token', role: 'engineer' });
    expect((await api.as('auditor').post('/v1/audit/verify', {}).expect(200)).body).toMatchObject({ intact: true });
  });
});

describe('authentication and roles on the commands', () => {
  test('given no token or a wrong one, when a command is sent, then 401 problem+json and nothing is written', async () => {
    const before = await api.head();
    const anonymous = await api.anonymous().post('/v1/ai-systems').send(registrationBody('nobody'));
    expectProblem(anonymous, 401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expectProblem(await api.as('aims_0000000000000000_not-a-real-secret').post('/v1/ai-systems', registrationBody('nobody')), 401);
    expectProblem(await api.anonymous().post('/v1/tasks/some-task/decision').send({ outcome: 'approve' }), 401);
    expect(await api.head()).toBe(before);
  });

  test('given a role the endpoint does not allow, when a command is sent, then 403 problem+json naming the roles and nothing is written', async () => {
    const before = await api.head();
    for (const [role, path, body] of [
      ['auditor', '/v1/ai-systems', registrationBody('read-only')],
      ['approver', '/v1/ai-systems', registrationBody('not-mine')],
      ['validator', '/v1/ai-systems/x1/versions', { modelVersion: '1.0.0', artifactDigest: DIGEST_A }],
      ['validator', '/v1/ai-systems/x1/deployments/x2/completion', {}],
      ['admin', '/v1/ai-systems/x1/incidents', { severity: 'low', description: 'x' }],
      ['auditor', '/v1/tasks/x1/decision', { outcome: 'approve' }],
    ] as const) {
      const response = await api.as(role).post(path, body);
      expectProblem(response, 403);
      expect(response.body.type).toBe('urn:aims:problem:role-required');
    }
    expect(await api.head()).toBe(before);
  });
});

describe('segregation of duties and the blocked gate', () => {
  test('given someone holding engineer and approver who submitted an impact assessment, when they approve it themselves, then 403 SEGREGATION_OF_DUTIES and no event is written', async () => {
    const sam = await api.issue('sam', ['engineer', 'approver']);
    await api
      .as(sam)
      .post('/v1/ai-systems', registrationBody('support-llm', { owner: 'sam' }))
      .expect(201);
    const ia = await api.as(sam).post('/v1/ai-systems/support-llm/impact-assessments', impactAssessmentBody()).expect(201);
    const before = await api.head();
    const refused = await api.as(sam).post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve', riskTier: 'high' });
    expectProblem(refused, 403, 'SEGREGATION_OF_DUTIES');
    expect(await api.head()).toBe(before);
    // someone else may
    await api.as('risk_owner').post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve', riskTier: 'high' }).expect(200);
  });

  test('given a pipeline token that also holds approver, when it approves the deployment it requested, then 403 and nothing is written', async () => {
    await driveToSignedOff(api, 'fraud-model');
    const robo = await api.issue('robo-deployer', ['ci', 'approver']);
    const pending = await api
      .as(robo)
      .post('/v1/ai-systems/fraud-model/deployments', { version: '1.0.0', artifactDigest: DIGEST_A })
      .expect(202);
    const before = await api.head();
    expectProblem(
      await api.as(robo).post(`/v1/tasks/${pending.body.task.id}/decision`, { outcome: 'approve' }),
      403,
      'SEGREGATION_OF_DUTIES',
    );
    expect(await api.head()).toBe(before);
  });

  test('given an artifact that was never validated, when the gate is asked, then 409 problem+json with outcome blocked, the requestId and every reason', async () => {
    const blocked = await api
      .as('ci')
      .post('/v1/ai-systems/fraud-model/deployments', { modelVersion: '2.0.0', artifactDigest: DIGEST_B, commit: 'abc1234' })
      .set('Idempotency-Key', 'run-7:attempt-1');
    expectProblem(blocked, 409, 'DEPLOYMENT_BLOCKED');
    expect(blocked.body).toMatchObject({
      outcome: 'blocked',
      requestId: expect.stringMatching(/^idem-[0-9a-f]{40}$/),
      requestStatus: 'blocked',
      task: null,
      aiPolicy: { decision: 'blocked', policies: [] },
    });
    expect(blocked.headers.location).toBe(`/v1/ai-systems/fraud-model/deployments/${blocked.body.requestId as string}`);
    expect(blocked.body.reasons.map((r: { code: string }) => r.code).sort()).toEqual(['MODEL_VERSION_UNKNOWN', 'VALIDATION_MISSING']);
    for (const reason of blocked.body.reasons) expect(reason.message).toEqual(expect.any(String));
    expect(
      (
        await api
          .as('auditor')
          .get(`/v1/ai-systems/fraud-model/deployments/${blocked.body.requestId as string}`)
          .expect(200)
      ).body,
    ).toMatchObject({
      outcome: 'blocked',
      reasons: blocked.body.reasons,
    });
  });
});
