/**
 * The deployment gate honours the system's risks, over HTTP and through `aims gate` (issue 14 item 3): a
 * risk identified and assessed above appetite over HTTP (its `risk` workflow tells the lifecycle, whose
 * record the risk's evidence vouches for) makes the gate answer 409 RISK_BLOCKS_DEPLOYMENT with the risk ids,
 * which OpenAPI documents and `aims gate` prints; a posture signalled by anyone else is not noted; once the
 * risk's residual level is accepted by the AIMS owner, a new gate call is allowed.
 */
import type { AddressInfo } from 'node:net';
import { gateCommand, type GateIo } from '../../apps/cli/src/commands/gate.command';
import { aiSystemStreamName, lifecycleWorkflowId } from '../../domain/ai-system';
import type { AimsRole } from '../../domain/shared/roles';
import { riskPostureChangedSignal } from '../../workflows/risk-signals';
import { eventually } from '../support/eventually';
import { DIGEST_A, driveToSignedOff, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

let api: LifecycleApi;
let baseUrl: string;
const SYSTEM = 'risky-bot';

beforeAll(async () => {
  api = await startLifecycleApi();
  await api.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  // minimal risk: the policy approves its deployments, so only the risk can stand in the way
  await driveToSignedOff(api, SYSTEM, { riskTier: 'minimal', name: 'Risky assistant' });
});

afterAll(async () => {
  await api?.close();
});

function io(token: string): GateIo & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    stdout: (t) => out.push(t),
    stderr: () => undefined,
    env: { AIMS_URL: baseUrl, AIMS_TOKEN: token },
    sleep: async () => undefined,
    now: () => Date.now(),
  };
}

const post = async (role: AimsRole, path: string, body: object, status = 201): Promise<Record<string, unknown>> =>
  (await api.as(role).post(path, body).expect(status)).body as Record<string, unknown>;
const decide = (role: AimsRole, taskId: string) => post(role, `/v1/tasks/${taskId}/decision`, { outcome: 'approve' }, 200);

/** The postures the lifecycle has noted, oldest first (a signal has no answer: read its evidence). */
async function notedPostures(): Promise<Array<{ riskId: string; level: string; blockers: string[] }>> {
  const notes: Array<{ riskId: string; level: string; blockers: string[] }> = [];
  for await (const e of api.events.readStream(aiSystemStreamName(SYSTEM)))
    if (e.type === 'RiskPostureNoted') notes.push(e.data as unknown as { riskId: string; level: string; blockers: string[] });
  return notes;
}
const untilPosture = (blockers: string[]) =>
  eventually(
    notedPostures,
    (notes) => JSON.stringify(notes.at(-1)?.blockers) === JSON.stringify(blockers),
    `the lifecycle to note R-7 with blockers [${blockers.join(', ')}]`,
  );

test('given a risk above appetite not accepted, when gated, then 409 RISK_BLOCKS_DEPLOYMENT with the risk id (HTTP, OpenAPI, aims gate); once accepted, allowed', async () => {
  // the criteria in force, then R-7 identified and assessed above appetite over HTTP
  const draft = await post('aims_owner', '/v1/risk-criteria/drafts', { justification: 'The default criteria' });
  await decide('risk_owner', `${String(draft.draftId)}-review`);
  await decide('top_management', `${String(draft.draftId)}-approval`);
  await post('engineer', '/v1/risks', {
    riskId: 'R-7',
    systemId: SYSTEM,
    source: { kind: 'annex-c', id: 'level-of-automation' },
    description: 'Answers customers without review',
    owner: 'rita',
  });
  await post('engineer', '/v1/risks/R-7/assessments', { inherent: { likelihood: 'likely', consequence: 'moderate' }, rationale: 'pilot' });
  await untilPosture(['above-appetite-not-accepted']);

  const blocked = await api
    .as('ci')
    .post(`/v1/ai-systems/${SYSTEM}/deployments`, { version: '1.0.0', artifactDigest: DIGEST_A })
    .set('Idempotency-Key', 'risk-gate-run-1')
    .expect(409);
  expect(blocked.body).toMatchObject({
    outcome: 'blocked',
    reasons: [{ code: 'RISK_BLOCKS_DEPLOYMENT', riskIds: ['R-7'], message: expect.stringContaining('risk R-7 (level high)') }],
  });
  const view = await api
    .as('auditor')
    .get(`/v1/ai-systems/${SYSTEM}/deployments/${blocked.body.requestId as string}`)
    .expect(200);
  expect(view.body.reasons).toEqual(blocked.body.reasons);

  const document = (await api.anonymous().get('/docs/openapi.json').expect(200)).body as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  expect(document.components.schemas.GateReasonDto?.properties.riskIds).toMatchObject({ type: 'array', items: { type: 'string' } });

  const gated = io(api.tokens.ci);
  expect(await gateCommand(['--system', SYSTEM, '--version', '1.0.0', '--digest', DIGEST_A, '--commit', 'b2b2b2b'], gated)).toBe(1);
  expect(gated.out.join('')).toMatch(/ {2}- RISK_BLOCKS_DEPLOYMENT: .*risk R-7.* \[risks: R-7\]\n/);

  // a posture sent by anyone but the risk's evidence is not noted: still blocked
  const before = (await notedPostures()).length;
  await api.temporal.client.workflow.getHandle(lifecycleWorkflowId(SYSTEM)).signal(riskPostureChangedSignal, {
    riskId: 'R-7',
    level: 'high',
    blockers: [],
    causeEventId: 'made-up',
    at: new Date().toISOString(),
  });
  const stillBlocked = io(api.tokens.ci);
  expect(await gateCommand(['--system', SYSTEM, '--version', '1.0.0', '--digest', DIGEST_A, '--commit', 'b3b3b3b'], stillBlocked)).toBe(1);
  expect((await notedPostures()).length).toBe(before);

  // reviewed, retained (plan approved by another), residual level accepted by the AIMS owner
  await decide('risk_owner', 'R-7-risk-assessment-review-1-1');
  await post('risk_owner', '/v1/risks/R-7/treatment-plans', { option: 'retain' });
  await decide('aims_owner', 'R-7-risk-treatment-plan-approval-1-1');
  await post('engineer', '/v1/risks/R-7/residual-assessments', {
    residual: { likelihood: 'likely', consequence: 'moderate' },
    rationale: 'retained',
  });
  await decide('aims_owner', 'R-7-risk-acceptance-1-1');
  await untilPosture([]);
  const allowed = io(api.tokens.ci);
  expect(await gateCommand(['--system', SYSTEM, '--version', '1.0.0', '--digest', DIGEST_A, '--commit', 'c3c3c3c'], allowed)).toBe(0);
  expect(allowed.out.join('')).toMatch(/^ALLOWED: /);
});
