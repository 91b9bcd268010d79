/**
 * A lifecycle under the organisation's lifecycle policy (issue 11, finding 1) on a real Temporal server:
 * registered with the policy the API read from the evidence, the risk tier confirmed in the impact-
 * assessment review (refused without it), then a newer version applied. Records the replay fixture.
 */
import { DEFAULT_POLICY_SNAPSHOT, DEFAULT_TIER_POLICIES, type PolicySnapshot } from '../../../domain/ai-system/organisation-policy';
import { isRegistered } from '../../../domain/ai-system';
import {
  applyLifecyclePolicyUpdate,
  decideTaskUpdate,
  stateQuery,
  submitImpactAssessmentUpdate,
} from '../../../workflows/ai-system-lifecycle.messages';
import {
  expectEvidenceMatchesDomain,
  iaContent,
  LifecycleDriver,
  people,
  recordHistoryFixture,
  registration,
  startHarness,
  startLifecycle,
  type Harness,
} from './lifecycle-harness';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const QUIET = 30 * 24 * 3_600_000;
/** Version 0's rules with timers far beyond the test, so nothing fires on its own. */
const quiet = (version: number, deploymentApprovalMs = QUIET): PolicySnapshot => ({
  version,
  deviation: null,
  tiers: Object.fromEntries(
    Object.entries(DEFAULT_TIER_POLICIES).map(([tier, p]) => [
      tier,
      {
        ...p,
        escalationAfterMs: QUIET,
        monitoringReviewIntervalMs: QUIET,
        taskResponseTimeMs: { ...p.taskResponseTimeMs, impact_assessment_review: QUIET, deployment_approval: deploymentApprovalMs },
      },
    ]),
  ) as PolicySnapshot['tiers'],
});

test('given a system registered under the organisation policy, when its assessment is approved with a confirmed tier and a newer version is applied, then each is evidence and the state follows', async () => {
  const { policy: _legacy, ...reg } = registration('tiered-credit', { riskTier: 'limited' });
  const handle = await startLifecycle(h.env, h.taskQueue, { ...reg, organisationPolicy: quiet(0) });
  const d = new LifecycleDriver(handle, h.store, reg.systemId);

  const ia = await d.send(submitImpactAssessmentUpdate, { by: people.erin, content: iaContent() });
  await d.refused(decideTaskUpdate, { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved' }, 'VALIDATION_FAILED', 'no-tier');
  await d.refused(
    decideTaskUpdate,
    { by: people.erin, taskId: ia.reviewTaskId, outcome: 'approved', riskTier: 'high' },
    'MISSING_ROLE',
    'registrant-confirms',
  );
  await d.send(decideTaskUpdate, { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved', riskTier: 'high' });

  await d.refused(applyLifecyclePolicyUpdate, { by: people.erin, organisationPolicy: quiet(1) }, 'MISSING_ROLE', 'engineer-applies');
  const applied = await d.send(applyLifecyclePolicyUpdate, { by: people.amara, organisationPolicy: quiet(1, 3_600_000) });
  expect(applied).toMatchObject({ version: 1, deviationChangeId: null });

  const state = await handle.query(stateQuery);
  if (!isRegistered(state)) throw new Error('not registered');
  expect(state.profile.riskTier).toBe('high');
  expect(state.organisationPolicy?.version).toBe(1);
  expect(state.policy.taskResponseTimeMs.deployment_approval).toBe(3_600_000);
  expect(state.policy.autoApproveRiskTiers).toEqual([]);
  expect(DEFAULT_POLICY_SNAPSHOT.version).toBe(0);

  await expectEvidenceMatchesDomain(d, [
    'AiSystemRegistered',
    'ImpactAssessmentSubmitted',
    'HumanTaskOpened',
    'LifecycleStageChanged',
    'HumanTaskDecided',
    'RiskTierConfirmed',
    'ImpactAssessmentApproved',
    'LifecycleStageChanged',
    'LifecyclePolicyApplied',
  ]);
  await recordHistoryFixture(handle, 'organisation-policy-applied');
  await handle.terminate('test finished');
});
