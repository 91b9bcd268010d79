/**
 * The two processes together on a real Temporal server (issue 14 item 3, "how it will be checked"): the real
 * `risk` workflow of a system's risk above appetite blocks that system's real lifecycle gate, naming the
 * risk, until its residual level is accepted; then a significant change recorded by the lifecycle sends the
 * risk back to reassessment. No signal is sent by the test: each process tells the other.
 */
import { DEFAULT_RISK_CRITERIA, type RiskCriteriaSnapshot } from '../../../domain/risk-criteria';
import { riskWorkflowId } from '../../../domain/shared/risk-links';
import type { Actor } from '../../../domain/shared/roles';
import type { risk } from '../../../workflows';
import { recordChangeUpdate, requestDeploymentUpdate } from '../../../workflows/ai-system-lifecycle.workflow';
import {
  assessRiskUpdate,
  completeTreatmentActionUpdate,
  decideRiskTaskUpdate,
  planRiskTreatmentUpdate,
  recordResidualRiskUpdate,
  riskStateQuery,
  type RiskWorkflowInput,
} from '../../../workflows/risk.messages';
import {
  collect,
  deploymentRequest,
  driveToSignedOff,
  eventually,
  goodMetrics,
  LifecycleDriver,
  people,
  registration,
  startHarness,
  startLifecycle,
  type Harness,
} from '../ai-system-lifecycle/lifecycle-harness';

jest.setTimeout(120_000);

const ravi: Actor = { id: 'ravi', roles: ['risk_owner'] };
const criteria: RiskCriteriaSnapshot = { version: 1, content: DEFAULT_RISK_CRITERIA };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given a risk above appetite on a signed-off system, when a deployment is requested, then blocked naming the risk until the AIMS owner accepts its residual level; a significant change then reopens the risk', async () => {
  const reg = registration('risk-gated');
  const d = new LifecycleDriver(await startLifecycle(h.env, h.taskQueue, reg), h.store, reg.systemId);
  await driveToSignedOff(d, goodMetrics);
  // The last posture noted blocks (the one told on identification may be refused if the assessment has
  // already moved the risk on by the time the lifecycle checks it against the risk's evidence).
  const blockingNoted = async (): Promise<void> => {
    await eventually(
      async () => (await collect(h.store.readStream(d.stream))).filter((e) => e.type === 'RiskPostureNoted').at(-1),
      (e) => JSON.stringify((e?.data as { blockers?: unknown } | undefined)?.blockers) === JSON.stringify(['above-appetite-not-accepted']),
      'the lifecycle to note the risk blocks',
    );
  };

  // given: the risk, identified and assessed above appetite by its own workflow
  const riskId = 'R-gate-1';
  const input: RiskWorkflowInput = {
    riskId,
    systemId: reg.systemId,
    source: { kind: 'annex-c', id: 'machine-learning' },
    description: 'Scores drift against a protected group',
    owner: 'rita',
    by: people.erin,
    timing: { reminderLeadTime: 'PT0S', escalationDelay: 'PT1H' },
  };
  await h.env.client.workflow.start('risk', { taskQueue: h.taskQueue, workflowId: riskWorkflowId(riskId), args: [input] });
  const r = h.env.client.workflow.getHandle<typeof risk>(riskWorkflowId(riskId));
  await r.executeUpdate(assessRiskUpdate, {
    args: [{ by: people.erin, inherent: { likelihood: 'likely', consequence: 'moderate' }, rationale: 'bias audit', criteria }],
  });
  await blockingNoted();

  // when / then: the gate answers blocked, naming the risk
  const blocked = await d.send(requestDeploymentUpdate, deploymentRequest('run-risk-1'));
  expect(blocked).toMatchObject({
    outcome: 'blocked',
    reasons: [expect.objectContaining({ code: 'RISK_BLOCKS_DEPLOYMENT', riskIds: [riskId] })],
  });

  // when: reviewed, treated, residual level recorded and accepted by the AIMS owner
  await r.executeUpdate(decideRiskTaskUpdate, {
    args: [{ by: people.rita, taskId: `${riskId}-risk-assessment-review-1-1`, outcome: 'approved', reasons: [] }],
  });
  await r.executeUpdate(planRiskTreatmentUpdate, {
    args: [
      {
        by: people.rita,
        option: 'modify',
        annexAControlIds: ['A.6.2.4'],
        ownControls: [],
        actions: [{ actionId: 'a1', description: 'Fairness gate', owner: 'erin', dueDate: new Date(Date.now() + 3_600_000).toISOString() }],
      },
    ],
  });
  await r.executeUpdate(decideRiskTaskUpdate, {
    args: [{ by: ravi, taskId: `${riskId}-risk-treatment-plan-approval-1-1`, outcome: 'approved', reasons: [] }],
  });
  await r.executeUpdate(completeTreatmentActionUpdate, { args: [{ by: people.erin, actionId: 'a1', evidenceRefs: ['PR-42'] }] });
  await r.executeUpdate(recordResidualRiskUpdate, {
    args: [{ by: people.erin, residual: { likelihood: 'likely', consequence: 'minor' }, rationale: 'after the gate' }],
  });
  await r.executeUpdate(decideRiskTaskUpdate, {
    args: [{ by: people.amara, taskId: `${riskId}-risk-acceptance-1-1`, outcome: 'approved', reasons: [] }],
  });
  const lastPosture = await eventually(
    async () => (await collect(h.store.readStream(d.stream))).filter((e) => e.type === 'RiskPostureNoted').at(-1),
    (e) =>
      Array.isArray((e?.data as { blockers?: unknown[] } | undefined)?.blockers) &&
      (e?.data as { blockers: unknown[] }).blockers.length === 0,
    'the lifecycle to note the risk no longer blocks',
  );
  expect(lastPosture?.data).toMatchObject({ riskId, blockers: [] });

  // then: a new request is no longer blocked by the risk
  const allowed = await d.send(requestDeploymentUpdate, deploymentRequest('run-risk-2'));
  expect(allowed.outcome).not.toBe('blocked');
  expect(allowed.reasons).toEqual([]);

  // when: the lifecycle records a significant change, then the risk falls due for reassessment by that cause
  const change = await d.send(recordChangeUpdate, {
    by: people.erin,
    description: 'New training data source',
    significant: true,
    amendments: {},
  });
  const changeEventId = change.recorded.find((e) => e.type === 'ChangeRecorded')?.evidenceId;
  const reopened = await eventually(
    () => r.query(riskStateQuery),
    (s) => s?.status === 'reassessment_due',
    'the risk to be reopened by the change',
  );
  expect(reopened?.status).toBe('reassessment_due');
  const due = (await collect(h.store.readStream(riskWorkflowId(riskId)))).filter((e) => e.type === 'RiskReassessmentDue');
  expect(due.at(-1)?.data).toMatchObject({ cause: { kind: 'lifecycle', type: 'ChangeRecorded', eventId: changeEventId } });
});
