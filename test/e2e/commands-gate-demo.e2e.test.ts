/**
 * The command side's edges on the real engine (API app, Temporal dev server, worker, SQLite store):
 *  - bad input (missing, wrong-typed and unknown fields, malformed JSON, an oversized body, invalid ids,
 *    a bad Idempotency-Key, content the domain refuses, unknown systems and tasks) → 4xx problem+json,
 *    and the evidence store's head does not move;
 *  - a deployment request retried with the same Idempotency-Key → the same requestId, only the repeat recorded;
 *    the key is scoped to the caller (another identity gets its own request; a key taken first breaks nothing);
 *  - the person named in triggeredBy cannot approve the deployment;
 *  - `aims gate` run in-process against the app listening on an ephemeral port: exit 0 allowed,
 *    1 blocked, 1 pending, 0 once approved while it waits, and an error for an unknown system;
 *  - `aims demo` against the same app: three systems, one deployment pending, one monitoring breach.
 */
import type { AddressInfo } from 'node:net';
import { runDemo, type DemoIo } from '../../apps/cli/src/commands/demo.command';
import type { ScopeCheckBody } from '../../apps/cli/src/commands/scope.command';
import { eventually } from '../support/eventually';
import { gateCommand, type GateIo } from '../../apps/cli/src/commands/gate.command';
import {
  DIGEST_A,
  DIGEST_B,
  datasetBody,
  driveToSignedOff,
  expectProblem,
  impactAssessmentBody,
  registrationBody,
  startLifecycleApi,
  type LifecycleApi,
} from './support/lifecycle-api-harness';

let api: LifecycleApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startLifecycleApi();
  // The CLI speaks real HTTP: listen on an ephemeral port of the loopback interface.
  await api.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  // minimal risk: the policy approves its deployments; high risk: a person must
  await driveToSignedOff(api, 'vision-qc', { riskTier: 'minimal', name: 'Vision quality inspection' });
  await driveToSignedOff(api, 'support-bot', { riskTier: 'high', name: 'Support assistant' });
});

afterAll(async () => {
  await api?.close();
});

describe('bad input is refused with problem+json and writes nothing', () => {
  /** Sends, expects the problem, and checks the evidence store's head did not move. */
  async function refused(
    send: () => PromiseLike<import('supertest').Response>,
    status: number,
    check: (body: Record<string, unknown>) => void = () => undefined,
  ): Promise<void> {
    const before = await api.head();
    const response = await send();
    expectProblem(response, status);
    check(response.body);
    expect(await api.head()).toBe(before);
  }
  const fields = (body: Record<string, unknown>) => (body.errors as Array<{ field: string }>).map((e) => e.field);

  test('given a body missing required fields, when sent, then 400 names each of them', async () => {
    const { name: _name, ...noName } = datasetBody('DS-2');
    await refused(
      () => api.as('engineer').post('/v1/ai-systems/vision-qc/datasets', noName),
      400,
      (b) => expect(fields(b)).toContain('name'),
    );
    await refused(
      () => api.as('engineer').post('/v1/ai-systems', registrationBody('new-one', { provider: {} })),
      400,
      (b) => expect(fields(b)).toContain('provider.kind'),
    );
    await refused(
      () => api.as('ci').post('/v1/ai-systems/vision-qc/deployments', { artifactDigest: DIGEST_A }),
      400,
      (b) => expect(fields(b)).toEqual(['version']),
    );
    await refused(
      () => api.as('engineer').post('/v1/ai-systems/vision-qc/decommissioning/completion', {}),
      400,
      (b) => expect(fields(b)).toContain('dataRetention'),
    );
  });

  test('given wrong-typed fields, when sent, then 400 names each field', async () => {
    await refused(
      () => api.as('ci').post('/v1/ai-systems/vision-qc/versions', { modelVersion: 2, artifactDigest: 'sha256:short' }),
      400,
      (b) => expect(fields(b)).toEqual(expect.arrayContaining(['modelVersion', 'artifactDigest'])),
    );
    await refused(
      () => api.as('engineer').post('/v1/ai-systems', registrationBody('typed', { riskTier: 5, acceptanceCriteria: 'auc>0.8' })),
      400,
      (b) => expect(fields(b)).toEqual(expect.arrayContaining(['riskTier', 'acceptanceCriteria'])),
    );
    await refused(
      () =>
        api.as('ci').post('/v1/ai-systems/vision-qc/monitoring-reports', {
          window: { from: 'yesterday', to: '2026-03-08T00:00:00Z' },
          metrics: [{ metric: 'auc', value: 'high' }],
        }),
      400,
      (b) => expect(fields(b)).toEqual(expect.arrayContaining(['window.from', 'metrics.0.value'])),
    );
    await refused(
      () => api.as('approver').post('/v1/tasks/vision-qc-task-1/decision', { outcome: 'approved' }),
      400,
      (b) => expect(fields(b)).toEqual(['outcome']),
    );
  });

  test('given unknown fields — an actor in the body among them — when sent, then 400 names them', async () => {
    await refused(
      () =>
        api.as('ci').post('/v1/ai-systems/vision-qc/incidents', {
          severity: 'low',
          description: 'x',
          by: { id: 'someone-else', roles: ['aims_owner'] },
        }),
      400,
      (b) => expect(fields(b)).toEqual(['by']),
    );
    const dataset = datasetBody('DS-3') as { provenance: Record<string, unknown> };
    await refused(
      () => api.as('engineer').post('/v1/ai-systems/vision-qc/datasets', { ...dataset, provenance: { ...dataset.provenance, secret: 1 } }),
      400,
      (b) => expect(fields(b)).toEqual(['provenance.secret']),
    );
    await refused(
      () => api.as('ci').post('/v1/ai-systems/vision-qc/deployments/deployment-1/completion', { force: true }),
      400,
      (b) => expect(fields(b)).toEqual(['force']),
    );
  });

  test('given malformed JSON or an oversized body, when sent, then 400 and 413', async () => {
    await refused(
      () => api.as('engineer').post('/v1/ai-systems').set('Content-Type', 'application/json').send('{"systemId": "half",'),
      400,
      (b) => {
        expect(b.type).toBe('urn:aims:problem:malformed-json');
        expect(b.detail).toMatch(/not valid JSON/);
      },
    );
    const huge = { ...registrationBody('huge'), purpose: 'x'.repeat(1_100_000) };
    await refused(
      () => api.as('engineer').post('/v1/ai-systems', huge),
      413,
      (b) => expect(b.type).toBe('urn:aims:problem:payload-too-large'),
    );
  });

  test('given invalid ids in the path, the body or the Idempotency-Key, when sent, then 400 names them', async () => {
    await refused(
      () => api.as('ci').post('/v1/ai-systems/bad--id/incidents', { severity: 'low', description: 'x' }),
      400,
      (b) => expect(fields(b)).toEqual(['id']),
    );
    await refused(
      () => api.as('ci').post('/v1/ai-systems/vision-qc/datasets/-DS/quality-checks', { results: [{ dimension: 'x', passed: true }] }),
      400,
      (b) => expect(fields(b)).toEqual(['datasetId']),
    );
    await refused(
      () => api.as('approver').post(`/v1/tasks/${'t'.repeat(129)}/decision`, { outcome: 'approve' }),
      400,
      (b) => expect(fields(b)).toEqual(['taskId']),
    );
    await refused(
      () => api.as('engineer').post('/v1/ai-systems', registrationBody('has space')),
      400,
      (b) => expect(fields(b)).toEqual(['systemId']),
    );
    await refused(
      () =>
        api
          .as('ci')
          .post('/v1/ai-systems/vision-qc/deployments', { version: '1.0.0', artifactDigest: DIGEST_A })
          .set('Idempotency-Key', 'not ok!'),
      400,
      (b) => expect(fields(b)).toEqual(['Idempotency-Key']),
    );
  });

  test('given content the lifecycle rules refuse, when sent, then 400 VALIDATION_FAILED naming the field, as for any process; unknown things are 404; a wrong state is 409', async () => {
    // 400 (it was 422): a process's VALIDATION_FAILED has one status, the same as a malformed body's (README).
    await refused(
      () => api.as('engineer').post('/v1/ai-systems', registrationBody('llm-x', { provider: { kind: 'third_party_api' } })),
      400,
      (b) => {
        expect(b.code).toBe('VALIDATION_FAILED');
        expect((b.details as { issues: unknown }).issues).toEqual([expect.objectContaining({ field: 'provider.supplier' })]);
      },
    );
    await refused(
      () => api.as('engineer').post('/v1/ai-systems/vision-qc/impact-assessments', impactAssessmentBody()),
      409,
      (b) => expect(b.code).toBe('IMPACT_ASSESSMENT_ALREADY_CURRENT'),
    );
    await refused(
      () => api.as('ci').post('/v1/ai-systems/no-such-system/incidents', { severity: 'low', description: 'x' }),
      404,
      (b) => expect(b.code).toBe('AI_SYSTEM_NOT_REGISTERED'),
    );
    await refused(
      () => api.as('approver').post('/v1/tasks/no-such-task/decision', { outcome: 'approve' }),
      404,
      (b) => expect(b.code).toBe('HUMAN_TASK_UNKNOWN'),
    );
    await refused(
      () => api.as('ci').post('/v1/ai-systems/vision-qc/deployments/no-such-request/completion'),
      404,
      (b) => expect(b.code).toBe('DEPLOYMENT_REQUEST_UNKNOWN'),
    );
    await refused(
      () =>
        api
          .as('ci')
          .post('/v1/ai-systems/vision-qc/datasets/no-such-dataset/quality-checks', { results: [{ dimension: 'x', passed: true }] }),
      404,
      (b) => expect(b.code).toBe('DATASET_UNKNOWN'),
    );
    await refused(() => api.as('ci').get('/v1/ai-systems/vision-qc/deployments/no-such-request'), 404);
  });
});

describe('the OpenAPI document', () => {
  test('given /docs/openapi.json, when read, then every command names its body schema, and every body schema lists its fields', async () => {
    const doc = (await api.anonymous().get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const commands = Object.entries(doc.paths).filter(([path, ops]) => ops.post && /^\/v1\/(ai-systems|tasks)/.test(path));
    expect(commands.length).toBeGreaterThanOrEqual(14);
    for (const [path, ops] of commands) {
      const ref = ops.post.requestBody?.content['application/json']?.schema.$ref;
      expect({ path, ref }).toEqual({ path, ref: expect.stringMatching(/^#\/components\/schemas\//) });
      const schema = doc.components.schemas[(ref as string).split('/').pop() as string];
      if (!path.endsWith('/deployments/{requestId}/completion'))
        expect({ path, fields: Object.keys(schema.properties ?? {}).length > 0 }).toEqual({ path, fields: true });
    }
  });
});

describe('a deployment request retried with the same Idempotency-Key (scoped to the caller, issue 11 finding 8)', () => {
  const body = { version: '1.0.0', artifactDigest: DIGEST_A, environment: 'production', commit: 'c0ffee1' };
  /** The types of the evidence a system's stream holds after `position` (global head). */
  const recordedSince = async (systemId: string, position: number): Promise<string[]> => {
    const evidence = await api.as('auditor').get(`/v1/ai-systems/${systemId}/evidence?limit=500`).expect(200);
    return (evidence.body.items as Array<{ type: string; position: number }>).filter((e) => e.position > position).map((e) => e.type);
  };

  test('given a pending request, when the pipeline retries it with the same key, then the same requestId comes back and each repeat is recorded, nothing decided again', async () => {
    const first = await api.as('ci').post('/v1/ai-systems/support-bot/deployments', body).set('Idempotency-Key', 'ci-run-1001').expect(202);
    // The key is never the id verbatim: it is hashed with the caller's identity.
    expect(first.body).toMatchObject({ requestId: expect.stringMatching(/^idem-[0-9a-f]{40}$/), repeated: false });
    const head = await api.head();
    for (let i = 0; i < 3; i += 1) {
      const retry = await api
        .as('ci')
        .post('/v1/ai-systems/support-bot/deployments', body)
        .set('Idempotency-Key', 'ci-run-1001')
        .expect(202);
      expect(retry.body).toMatchObject({
        outcome: 'pending',
        requestId: first.body.requestId,
        repeated: true,
        recorded: [{ type: 'DeploymentRequestRepeated' }],
        task: { id: first.body.task.id },
      });
    }
    expect(await recordedSince('support-bot', head)).toEqual(Array(3).fill('DeploymentRequestRepeated'));
    const repeats = await api.as('auditor').get('/v1/ai-systems/support-bot/evidence?limit=500').expect(200);
    const repeat = (repeats.body.items as Array<{ type: string; data: Record<string, unknown> }>).find(
      (e) => e.type === 'DeploymentRequestRepeated',
    );
    expect(repeat?.data).toMatchObject({ requestId: first.body.requestId, status: 'pending_approval', by: { id: 'ci-token', role: 'ci' } });
    // one request, one approval task
    const tasks = await api.as('approver').get('/v1/tasks?aiSystemId=support-bot&kind=deployment_approval').expect(200);
    expect(tasks.body.items.map((t: { taskId: string }) => t.taskId)).toEqual([first.body.task.id]);
  });

  test('given a used key, when the same caller sends it with different content, then 409 DUPLICATE_ID and nothing is written', async () => {
    const head = await api.head();
    const response = await api
      .as('ci')
      .post('/v1/ai-systems/support-bot/deployments', { ...body, commit: 'deadbee' })
      .set('Idempotency-Key', 'ci-run-1001');
    expectProblem(response, 409, 'DUPLICATE_ID');
    expect(await api.head()).toBe(head);
  });

  test("given the pipeline's request, when another identity replays its key and content, then it gets a request of its own, not the pipeline's answer", async () => {
    const pipeline = await api
      .as('ci')
      .post('/v1/ai-systems/vision-qc/deployments', body)
      .set('Idempotency-Key', 'ci-run-3003')
      .expect(200);
    const head = await api.head();
    const other = await api
      .as('engineer')
      .post('/v1/ai-systems/vision-qc/deployments', body)
      .set('Idempotency-Key', 'ci-run-3003')
      .expect(200);
    expect(other.body.requestId).toMatch(/^idem-[0-9a-f]{40}$/);
    expect(other.body.requestId).not.toBe(pipeline.body.requestId);
    expect(other.body).toMatchObject({
      repeated: false,
      recorded: expect.arrayContaining([expect.objectContaining({ type: 'DeploymentRequested' })]),
    });
    // its call is evidence under its own name
    const evidence = await api.as('auditor').get('/v1/ai-systems/vision-qc/evidence?limit=500').expect(200);
    const own = (evidence.body.items as Array<{ type: string; position: number; data: Record<string, unknown> }>).find(
      (e) => e.position > head && e.type === 'DeploymentRequested',
    );
    expect(own?.data).toMatchObject({ requestId: other.body.requestId, by: { id: 'engineer-token' } });
  });

  test("given a predictable key taken first by another identity with other content, when the pipeline sends it, then the pipeline's request goes through (no 409)", async () => {
    await api
      .as('engineer')
      .post('/v1/ai-systems/vision-qc/deployments', { ...body, commit: 'bad0bad' })
      .set('Idempotency-Key', 'ci-run-4004')
      .expect(200);
    const pipeline = await api
      .as('ci')
      .post('/v1/ai-systems/vision-qc/deployments', body)
      .set('Idempotency-Key', 'ci-run-4004')
      .expect(200);
    expect(pipeline.body).toMatchObject({ outcome: 'allowed', repeated: false });
  });
});

describe('the person behind a pipeline run (triggeredBy) may not approve its deployment (issue 11 finding 4)', () => {
  test('given a gate call naming the approver as the pusher, when that approver decides the task, then 403 SEGREGATION_OF_DUTIES; another approver may', async () => {
    await driveToSignedOff(api, 'triage-bot', { riskTier: 'high', name: 'Ticket triage' });
    const pending = await api
      .as('ci')
      .post('/v1/ai-systems/triage-bot/deployments', { ...body(), triggeredBy: 'Approver-Token' })
      .set('Idempotency-Key', 'ci-run-6006')
      .expect(202);
    const evidence = await api.as('auditor').get('/v1/ai-systems/triage-bot/evidence?limit=500').expect(200);
    const requested = (evidence.body.items as Array<{ type: string; data: Record<string, unknown> }>).find(
      (e) => e.type === 'DeploymentRequested',
    );
    expect(requested?.data).toMatchObject({ requestId: pending.body.requestId, triggeredBy: 'Approver-Token', by: { id: 'ci-token' } });

    const head = await api.head();
    const refused = await api.as('approver').post(`/v1/tasks/${pending.body.task.id}/decision`, { outcome: 'approve' });
    expectProblem(refused, 403, 'SEGREGATION_OF_DUTIES');
    expect(refused.body.details).toMatchObject({ conflict: 'deployment_triggered_by', conflictingIdentity: 'Approver-Token' });
    expect(await api.head()).toBe(head);

    const second = await api.issue('second-approver', ['approver']);
    await api.as(second).post(`/v1/tasks/${pending.body.task.id}/decision`, { outcome: 'approve' }).expect(200);
  });

  test('given a gate call naming a system identity as the pusher, when sent, then 400 names triggeredBy and nothing is written', async () => {
    const head = await api.head();
    const response = await api
      .as('ci')
      .post('/v1/ai-systems/vision-qc/deployments', { ...body(), triggeredBy: 'aims:policy:auto-approval' })
      .set('Idempotency-Key', 'ci-run-7007');
    expectProblem(response, 400);
    expect(await api.head()).toBe(head);
  });

  function body() {
    return { version: '1.0.0', artifactDigest: DIGEST_A, environment: 'production', commit: 'c0ffee2' };
  }
});

/** The gate command's I/O, captured; `onSleep` runs where it would wait between polls. */
function io(token: string, onSleep: () => Promise<void> = async () => undefined): GateIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { AIMS_URL: baseUrl, AIMS_TOKEN: token },
    sleep: onSleep,
    now: () => Date.now(),
  };
}

describe('aims gate against the running API', () => {
  test('given a signed-off minimal-risk artifact, when gated, then exit 0 ALLOWED', async () => {
    const run = io(api.tokens.ci);
    expect(await gateCommand(['--system', 'vision-qc', '--version', '1.0.0', '--digest', DIGEST_A, '--commit', 'a1a1a1a'], run)).toBe(0);
    expect(run.out.join('')).toMatch(/^ALLOWED: deployment request idem-[0-9a-f]{40} may go out/);
  });

  test('given an artifact nobody validated, when gated, then exit 1 BLOCKED with every reason', async () => {
    const run = io(api.tokens.ci);
    expect(await gateCommand(['--system', 'vision-qc', '--version', '9.9.9', '--digest', DIGEST_B], run)).toBe(1);
    const text = run.out.join('');
    expect(text).toMatch(/^BLOCKED: deployment request idem-[0-9a-f]{40} may not go out/);
    expect(text).toContain('MODEL_VERSION_UNKNOWN');
    expect(text).toContain('VALIDATION_MISSING');
  });

  test('given a high-risk artifact, when gated without waiting, then exit 1 PENDING; when the same token gates again with --wait while an approver approves, then exit 0 on the same request', async () => {
    const args = ['--system', 'support-bot', '--version', '1.0.0', '--digest', DIGEST_A, '--commit', 'b2b2b2b', '--json'];
    const first = io(api.tokens.engineer);
    expect(await gateCommand(args, first)).toBe(1);
    const pending = JSON.parse(first.out.join('')) as { outcome: string; requestId: string; task: { id: string } };
    expect(pending).toMatchObject({ outcome: 'pending', task: { id: expect.any(String) } });

    let approvals = 0;
    // the same token: the key is scoped to the caller, so another token would ask about a request of its own
    const waiting = io(api.tokens.engineer, async () => {
      approvals += 1;
      await api.as('approver').post(`/v1/tasks/${pending.task.id}/decision`, { outcome: 'approve' }).expect(200);
    });
    expect(await gateCommand([...args, '--wait', '10m'], waiting)).toBe(0);
    expect(approvals).toBe(1);
    expect(waiting.err.join('')).toContain(`pending approval: task ${pending.task.id}`);
    expect(JSON.parse(waiting.out.join(''))).toMatchObject({ outcome: 'allowed', requestId: pending.requestId });
  });

  test('given --triggered-by, when gated, then the request records the person behind the run; a blank one is a usage error', async () => {
    const run = io(api.tokens.ci);
    const args = ['--system', 'vision-qc', '--version', '1.0.0', '--digest', DIGEST_A, '--commit', 'e5e5e5e', '--json'];
    expect(await gateCommand([...args, '--triggered-by', 'erin.engineer'], run)).toBe(0);
    const { requestId } = JSON.parse(run.out.join('')) as { requestId: string };
    const evidence = await api.as('auditor').get('/v1/ai-systems/vision-qc/evidence?limit=500').expect(200);
    const requested = (evidence.body.items as Array<{ type: string; data: Record<string, unknown> }>).find(
      (e) => e.type === 'DeploymentRequested' && e.data.requestId === requestId,
    );
    expect(requested?.data).toMatchObject({ triggeredBy: 'erin.engineer', by: { id: 'ci-token' } });
    await expect(gateCommand([...args, '--triggered-by', '  '], io(api.tokens.ci))).rejects.toThrow(/--triggered-by/);
  });

  test('given an unknown system or a wrong token, when gated, then it fails with the API problem (exit 2 in the CLI)', async () => {
    await expect(gateCommand(['--system', 'nowhere', '--version', '1.0.0', '--digest', DIGEST_A], io(api.tokens.ci))).rejects.toThrow(
      /404/,
    );
    await expect(
      gateCommand(['--system', 'vision-qc', '--version', '1.0.0', '--digest', DIGEST_A], io('aims_0000000000000000_wrong')),
    ).rejects.toThrow(/401/);
  });
});

describe('aims demo against the running API', () => {
  test('given a running engine where credit-scoring is taken, when the demo runs, then three suffixed systems are driven through, one deployment is pending and one report breached', async () => {
    await api.as('engineer').post('/v1/ai-systems', registrationBody('credit-scoring')).expect(201);
    const out: string[] = [];
    const demoIo: DemoIo = { stdout: (t) => out.push(t), stderr: () => undefined, env: { AIMS_DATA_DIR: api.config.dataDir } };
    const result = await runDemo({ url: baseUrl, store: api.storeUrl }, demoIo);
    const text = out.join('');

    expect(result.systems).toEqual({
      creditScoring: 'credit-scoring-2',
      supportAssistant: 'support-assistant-2',
      visualInspection: 'visual-inspection-2',
    });
    const stageOf = async (id: string) => (await api.as('auditor').get(`/v1/ai-systems/${id}`).expect(200)).body.stage;
    expect(await stageOf('credit-scoring-2')).toBe('in_production');
    expect(await stageOf('support-assistant-2')).toBe('deployment_approval');
    expect(await stageOf('visual-inspection-2')).toBe('in_production');

    // the default risk criteria approved by others than their author; credit scoring's risk within appetite (its deployment went out)
    const criteria = await api.as('auditor').get('/v1/risk-criteria').expect(200);
    expect(criteria.body).toMatchObject({ isDefault: false, inForce: { version: 1 } });
    expect(criteria.body.drafts[0]).toMatchObject({ status: 'approved', draftedBy: { id: 'olivia.owner' } });
    const risks = await api.as('auditor').get('/v1/risks?system=credit-scoring-2').expect(200);
    expect(risks.body.items).toMatchObject([{ riskId: 'credit-scoring-2-drift', level: 'low', aboveAppetite: false, status: 'reviewed' }]);
    expect(text).toContain('Risk criteria: default set drafted by olivia.owner');

    // the AI objectives (6.2), each measured once from the demo's evidence; the breach's open nonconformity puts the second off target
    expect(text).toMatch(
      /AI objective OBJ-IMPACT-ASSESSED: production-impact-assessment-coverage >= 1, measured [0-9.]+ \((on target|OFF TARGET)\)/,
    );
    expect(text).toMatch(
      /AI objective OBJ-NO-OPEN-NC: open-nonconformities <= 0, measured [1-9]\d* \(OFF TARGET\) → improvement OBJ-NO-OPEN-NC-off-1/,
    );
    const objectives = await api.as('auditor').get('/v1/objectives').expect(200);
    expect(
      objectives.body.items.map((o: { objectiveId: string; measurementCount: number }) => [o.objectiveId, o.measurementCount]),
    ).toEqual([
      ['OBJ-IMPACT-ASSESSED', 1],
      ['OBJ-NO-OPEN-NC', 1],
    ]);

    // the first SoA in force, approved by top management; the controls the engine enforces judged from the demo's evidence
    const soa = await api.as('auditor').get('/v1/soa').expect(200);
    expect(soa.body).toMatchObject({ version: 1, approvedBy: 'tara.topmanagement' });
    expect(soa.body.controls).toHaveLength(38);
    const statusOf = (id: string) =>
      (soa.body.controls as Array<{ controlId: string; status: string }>).find((c) => c.controlId === id)?.status;
    expect(statusOf('A.2.2')).toBe('manual');
    expect(['operates', 'does_not_operate']).toContain(statusOf('A.6.2.4'));
    expect(text).toMatch(/Statement of Applicability: 38 Annex A controls, proposed by olivia\.owner/);
    expect((await api.as('auditor').get('/v1/soa/gaps').expect(200)).body.gaps.length).toBeGreaterThan(0);

    // the AI policy in force is version 2; version 1 is obsolete with both its approvals; acknowledgements wait in people's inboxes
    const policy = await api.as('auditor').get('/v1/documents/ai-policy').expect(200);
    expect(policy.body).toMatchObject({ kind: 'ai_policy', publishedVersion: 2, status: 'published' });
    expect(
      (
        policy.body.versionHistory as Array<{
          version: number;
          status: string;
          review: { by: { id: string } };
          approval: { by: { id: string } };
        }>
      ).map((v) => [v.version, v.status, v.review.by.id, v.approval.by.id]),
    ).toEqual([
      [1, 'obsolete', 'rik.risk', 'tara.topmanagement'],
      [2, 'published', 'rik.risk', 'tara.topmanagement'],
    ]);
    expect(policy.body.acknowledgementsOutstanding).toBeGreaterThan(0);
    const acks = await api.as(result.tokens.engineer.token).get('/v1/tasks?kind=document_acknowledgement').expect(200);
    expect(acks.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ assignee: 'erin.engineer', subject: expect.objectContaining({ version: 2 }) })]),
    );
    expect(text).toContain('AI policy: written by olivia.owner');
    // the context registers kept; the scope approved by top management before the systems registered, so each
    // registration took its decision from it; credit-scoring, registered before the scope ran, has none
    const obligations = await api.as('auditor').get('/v1/context/obligations').expect(200);
    expect(obligations.body.items).toMatchObject([{ content: { references: expect.arrayContaining(['EU AI Act Art.9']) } }]);
    expect(text).toContain('AIMS scope: version 1 proposed by olivia.owner, approved by tara.topmanagement');
    const demoIds = Object.values(result.systems);
    const scopeChecked = await eventually(
      async () => (await api.as('auditor').get('/v1/scope/check').expect(200)).body as ScopeCheckBody,
      (c) => demoIds.every((id) => c.inventory.some((i) => i.id === id && i.decision !== null)),
      'the demo systems decided in scope from the statement',
    );
    expect(scopeChecked.inventory.filter((i) => demoIds.includes(i.id)).map((i) => i.decision?.basis)).toEqual(
      demoIds.map(() => ({ kind: 'statement', version: 1, proposalId: 'scope-proposal-1' })),
    );
    // the systems registered before the scope process ran have no decision: the check names them
    expect(scopeChecked).toMatchObject({ version: 1, reconciled: false, namedNotRegistered: [] });
    // the statement rests on the controlled scope document the demo published (kind aims_scope, approved by top management)
    expect(scopeChecked.document).toMatchObject({ documentId: 'aims-scope', version: 1, current: true });
    expect(text).toContain('resting on the controlled document aims-scope v1');
    expect(scopeChecked.withoutDecision).toContain('credit-scoring');

    // the internal audit (9.2): a programme approved by the AIMS owner (not its drafter), one audit of credit
    // scoring sampled as of a date, a minor nonconformity whose corrective-action plan is approved, closed
    const programme = await api.as('auditor').get('/v1/audit-programmes/demo-2').expect(200);
    expect(programme.body).toMatchObject({
      status: 'approved',
      draftedBy: { role: 'internal_auditor' },
      approvedBy: { id: 'olivia.owner' },
    });
    const audit = await api.as('auditor').get('/v1/internal-audits/IA-demo-2-1').expect(200);
    expect(audit.body).toMatchObject({
      status: 'closed',
      plan: { programmeId: 'demo-2', scope: [{ kind: 'ai_system', id: 'credit-scoring-2' }] },
      findings: [{ findingId: 'F1', type: 'minor_nonconformity', correctiveAction: 'plan_approved' }],
    });
    const [sample] = audit.body.samples as Array<{ asOfPosition: number; records: Array<{ stream: string; position: number }> }>;
    expect(sample.records.length).toBeGreaterThan(0);
    for (const r of sample.records) {
      expect(r.stream).toBe('ai-system-credit-scoring-2');
      expect(r.position).toBeLessThanOrEqual(sample.asOfPosition);
    }
    expect(text).toContain('Internal audit: programme demo-2 drafted by');

    // the pending deployment is an approver's open task; the breach opened a nonconformity
    const tasks = await api.as('approver').get('/v1/tasks?aiSystemId=support-assistant-2').expect(200);
    expect(tasks.body.items).toMatchObject([{ taskId: result.pendingDeployment.taskId, kind: 'deployment_approval', status: 'open' }]);
    expect(result.breach.nonconformityIds).toHaveLength(1);
    const evidence = await api.as('auditor').get('/v1/ai-systems/visual-inspection-2/evidence?limit=500').expect(200);
    expect(evidence.body.items.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['MonitoringThresholdBreached', 'NonconformityOpened']),
    );

    // each step was taken by the token of its role; each token is printed exactly once
    const actors = new Set(evidence.body.items.map((e: { metadata: { actor: { id: string } } }) => e.metadata.actor.id));
    expect([...actors]).toEqual(expect.arrayContaining(['olivia.owner', 'erin.engineer', 'rik.risk', 'ci.pipeline', 'victor.validator']));
    for (const { token } of Object.values(result.tokens)) expect(text.split(token).length - 1).toBe(1);
    expect(text).toContain(`${baseUrl}/docs`);
    expect(text).toContain('aims evidence verify');
    expect(text).toContain('Temporal UI');

    // the gate command it prints asks about the same pending request (and records only the repeat)
    const printed = text
      .slice(text.indexOf('npx aims gate') + 'npx aims gate'.length)
      .split('\n')
      .slice(0, 2)
      .join(' ')
      .replace(/\\/g, ' ')
      .trim()
      .split(/\s+/);
    // (the system's own stream, not the global head: the nonconformity the breach started keeps
    // recording its first steps in the background)
    const revision = await api.events.streamRevision('ai-system-support-assistant-2');
    const gate = io(result.tokens.ci.token);
    expect(await gateCommand([...printed, '--json'], gate)).toBe(1);
    expect(JSON.parse(gate.out.join(''))).toMatchObject({
      outcome: 'pending',
      requestId: result.pendingDeployment.requestId,
      repeated: true,
      recorded: [{ type: 'DeploymentRequestRepeated' }],
    });
    expect(await api.events.streamRevision('ai-system-support-assistant-2')).toBe((revision ?? -1) + 1);
  });
});
