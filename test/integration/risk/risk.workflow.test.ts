/**
 * The `risk` workflow on a real Temporal server with a real SQLite evidence store: a risk above appetite
 * through review, treatment (an action falls overdue on its durable timer), residual level and acceptance by
 * the AIMS owner, then reassessment when its interval runs out. Refusals (segregation of duties, the wrong
 * acceptor) record nothing; the exact evidence sequence is checked.
 */
import { DEFAULT_RISK_CRITERIA, type RiskCriteriaSnapshot } from '../../../domain/risk-criteria';
import { riskWorkflowId } from '../../../domain/shared/risk-links';
import type { Actor } from '../../../domain/shared/roles';
import type { risk } from '../../../workflows';
import {
  assessRiskUpdate,
  completeTreatmentActionUpdate,
  decideRiskTaskUpdate,
  planRiskTreatmentUpdate,
  recordResidualRiskUpdate,
  riskStateQuery,
  type RiskWorkflowInput,
} from '../../../workflows/risk.messages';
import { eventually, expectRefused, inSeconds, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';

import { writeHistoryFixture } from '../../support/history-fixtures';

jest.setTimeout(120_000);

const erin: Actor = { id: 'erin', roles: ['engineer'] };
const rita: Actor = { id: 'rita', roles: ['risk_owner'] };
const ravi: Actor = { id: 'ravi', roles: ['risk_owner'] };
const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
// The default criteria with a reassessment interval of seconds, so the timer fires within the test.
const criteria: RiskCriteriaSnapshot = {
  version: 1,
  content: { ...DEFAULT_RISK_CRITERIA, levels: DEFAULT_RISK_CRITERIA.levels.map((l) => ({ ...l, reassessmentInterval: 'PT3S' })) },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given a risk above appetite, when it is reviewed, treated, its residual level accepted by the AIMS owner, then its interval runs out and it falls due for reassessment; refusals record nothing', async () => {
  const riskId = `r-${h.runTag}`;
  const input: RiskWorkflowInput = {
    riskId,
    systemId: 'credit-scoring',
    source: { kind: 'annex-c', id: 'machine-learning' },
    description: 'Scores drift against a protected group',
    owner: 'rita',
    by: erin,
    // No reminder (lead 0): the action goes straight to overdue at its due date.
    timing: { reminderLeadTime: 'PT0S', escalationDelay: 'PT1H' },
  };
  await h.env.client.workflow.start('risk', { taskQueue: h.taskQueue, workflowId: riskWorkflowId(riskId), args: [input] });
  const handle = h.env.client.workflow.getHandle<typeof risk>(riskWorkflowId(riskId));

  const assessed = await handle.executeUpdate(assessRiskUpdate, {
    args: [{ by: erin, inherent: { likelihood: 'likely', consequence: 'moderate' }, rationale: 'bias audit', criteria }],
  });
  expect(assessed.risk.inherent).toMatchObject({ level: 'high', aboveAppetite: true });
  const review = `${riskId}-risk-assessment-review-1-1`;
  await expectRefused(
    handle.executeUpdate(decideRiskTaskUpdate, { args: [{ by: erin, taskId: review, outcome: 'approved', reasons: [] }] }),
    'MISSING_ROLE',
  );
  await handle.executeUpdate(decideRiskTaskUpdate, { args: [{ by: rita, taskId: review, outcome: 'approved', reasons: [] }] });
  await handle.executeUpdate(planRiskTreatmentUpdate, {
    args: [
      {
        by: rita,
        option: 'modify',
        annexAControlIds: ['A.6.2.4'],
        ownControls: [],
        actions: [{ actionId: 'a1', description: 'Fairness gate', owner: 'erin', dueDate: inSeconds(2) }],
      },
    ],
  });
  const approval = `${riskId}-risk-treatment-plan-approval-1-1`;
  await expectRefused(
    handle.executeUpdate(decideRiskTaskUpdate, { args: [{ by: rita, taskId: approval, outcome: 'approved', reasons: [] }] }),
    'SEGREGATION_OF_DUTIES',
  );
  await handle.executeUpdate(decideRiskTaskUpdate, { args: [{ by: ravi, taskId: approval, outcome: 'approved', reasons: [] }] });
  await eventually(
    () => handle.query(riskStateQuery),
    (s) => s?.actions[0]?.overdueSince != null,
    'the treatment action to fall overdue',
  );
  await handle.executeUpdate(completeTreatmentActionUpdate, { args: [{ by: erin, actionId: 'a1', evidenceRefs: ['PR-42'] }] });
  await handle.executeUpdate(recordResidualRiskUpdate, {
    args: [{ by: erin, residual: { likelihood: 'likely', consequence: 'minor' }, rationale: 'after the gate' }],
  });
  const acceptance = `${riskId}-risk-acceptance-1-1`;
  const residual = await handle.query(riskStateQuery);
  expect(residual?.residual).toMatchObject({ level: 'medium', aboveAppetite: false, acceptedBy: ['risk_owner', 'aims_owner'] });
  await expectRefused(
    handle.executeUpdate(decideRiskTaskUpdate, { args: [{ by: erin, taskId: acceptance, outcome: 'approved', reasons: [] }] }),
    'MISSING_ROLE',
  );
  await handle.executeUpdate(decideRiskTaskUpdate, { args: [{ by: amara, taskId: acceptance, outcome: 'approved', reasons: [] }] });
  await eventually(
    () => handle.query(riskStateQuery),
    (s) => s?.status === 'reassessment_due',
    'the reassessment interval to run out',
  );

  const events = await readStream(h.store, riskWorkflowId(riskId));
  expect(events.map((e) => e.type)).toEqual([
    'RiskIdentified',
    'RiskAssessed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'RiskAssessmentReviewed',
    'RiskTreatmentPlanned',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'RiskTreatmentPlanDecided',
    'TreatmentActionOverdue',
    'TreatmentActionCompleted',
    'ResidualRiskAssessed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'RiskAcceptanceDecided',
    'AiPolicyAtAcceptanceNoted',
    'RiskReassessmentDue',
  ]);
  // No AI policy is published here: the acceptance records that none was in force (5.2), caused by the decision.
  expect(events.find((e) => e.type === 'AiPolicyAtAcceptanceNoted')).toMatchObject({
    data: { outcome: 'approved', policies: [], decisionEventId: events.find((e) => e.type === 'RiskAcceptanceDecided')?.id },
    metadata: { causationId: events.find((e) => e.type === 'RiskAcceptanceDecided')?.id, actor: { id: 'aims:risk', role: 'system' } },
  });
  expect(events.find((e) => e.type === 'RiskAcceptanceDecided')?.metadata).toMatchObject({
    actor: { id: 'amara', role: 'aims_owner' },
    iso42001: { clauses: ['5.3', '6.1.3', '8.3'], controls: ['A.3.2'] },
  });
  expect(events.find((e) => e.type === 'RiskReassessmentDue')?.data).toMatchObject({ cause: { kind: 'interval' } });
  // With AIMS_RECORD_HISTORIES=1: kept as a replay fixture, so a change that would break running risks fails replay.
  writeHistoryFixture('risk', 'treated-accepted-then-reassessed', await handle.fetchHistory());
});
