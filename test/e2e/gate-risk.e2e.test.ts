/**
 * The deployment gate honours the system's risks, over HTTP and through `aims gate` (issue 14 item 3): a
 * risk's blocking posture (signalled to the lifecycle as the `risk` workflow will) makes the gate answer
 * 409 RISK_BLOCKS_DEPLOYMENT with the risk ids, which OpenAPI documents and `aims gate` prints; once the risk
 * reports no blockers, a new gate call is allowed.
 */
import type { AddressInfo } from 'node:net';
import { gateCommand, type GateIo } from '../../apps/cli/src/commands/gate.command';
import { aiSystemStreamName, lifecycleWorkflowId } from '../../domain/ai-system';
import type { RiskPostureChange } from '../../domain/shared/risk-links';
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

/** Signals the posture and waits until the lifecycle has noted it (a signal has no answer). */
async function postureOf(
  riskId: string,
  blockers: RiskPostureChange['blockers'],
  causeEventId: string,
  notedBefore: number,
): Promise<void> {
  await api.temporal.client.workflow
    .getHandle(lifecycleWorkflowId(SYSTEM))
    .signal(riskPostureChangedSignal, { riskId, level: 'very high', blockers, causeEventId, at: new Date().toISOString() });
  await eventually(
    async () => {
      let n = 0;
      for await (const e of api.events.readStream(aiSystemStreamName(SYSTEM))) if (e.type === 'RiskPostureNoted') n += 1;
      return n;
    },
    (n) => n > notedBefore,
    `posture ${causeEventId} noted`,
  );
}

test('given a risk above appetite not accepted, when gated, then 409 RISK_BLOCKS_DEPLOYMENT with the risk id (HTTP, OpenAPI, aims gate); once accepted, allowed', async () => {
  await postureOf('R-7', ['above-appetite-not-accepted'], 'risk-ev-1', 0);

  const blocked = await api
    .as('ci')
    .post(`/v1/ai-systems/${SYSTEM}/deployments`, { version: '1.0.0', artifactDigest: DIGEST_A })
    .set('Idempotency-Key', 'risk-gate-run-1')
    .expect(409);
  expect(blocked.body).toMatchObject({
    outcome: 'blocked',
    reasons: [{ code: 'RISK_BLOCKS_DEPLOYMENT', riskIds: ['R-7'], message: expect.stringContaining('risk R-7 (level very high)') }],
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

  await postureOf('R-7', [], 'risk-ev-2', 1);
  const allowed = io(api.tokens.ci);
  expect(await gateCommand(['--system', SYSTEM, '--version', '1.0.0', '--digest', DIGEST_A, '--commit', 'c3c3c3c'], allowed)).toBe(0);
  expect(allowed.out.join('')).toMatch(/^ALLOWED: /);
});
