/**
 * A risk treatment that adds a control opens a revision of the Statement of Applicability (6.1.3), on a
 * real Temporal server with the real `risk` and `statementOfApplicability` workflows: nothing is signalled
 * by the test. The request names only the control the SoA in force does not hold as applicable, is asked
 * as the risk owner who planned the treatment, and is vouched for by the risk's recorded plan approval.
 */
import { ANNEX_A_CONTROL_IDS } from '../../../domain/catalogue';
import { DEFAULT_RISK_CRITERIA } from '../../../domain/risk-criteria';
import { riskWorkflowId } from '../../../domain/shared/risk-links';
import type { Actor } from '../../../domain/shared/roles';
import { SOA_STREAM, SOA_WORKFLOW_ID, type SoaEntryInput } from '../../../domain/soa';
import type { risk, statementOfApplicability } from '../../../workflows';
import { assessRiskUpdate, decideRiskTaskUpdate, planRiskTreatmentUpdate, type RiskWorkflowInput } from '../../../workflows/risk.messages';
import {
  approveSoaRevisionUpdate,
  proposeSoaRevisionUpdate,
  reviewSoaRevisionUpdate,
  soaStateQuery,
} from '../../../workflows/soa.messages';
import { eventually } from '../../support/eventually';
import { readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';

import { writeHistoryFixture } from '../../support/history-fixtures';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const rita: Actor = { id: 'rita', roles: ['risk_owner'] };
const ravi: Actor = { id: 'ravi', roles: ['risk_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

const entries: SoaEntryInput[] = ANNEX_A_CONTROL_IDS.map((controlId) =>
  controlId === 'A.10.4'
    ? { controlId, applicable: false, justification: { text: 'No customers yet' } }
    : { controlId, applicable: true, justification: { text: 'In scope' }, owner: 'amara', implementation: 'AIMS engine' },
);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given an SoA in force without A.10.4, when a risk treatment naming A.10.4 and A.6.2.4 is approved, then a revision request for A.10.4 alone opens, asked by the planner and vouched for by the approval', async () => {
  // given: the SoA in force
  await h.env.client.workflow.start('statementOfApplicability', { taskQueue: h.taskQueue, workflowId: SOA_WORKFLOW_ID, args: [{}] });
  const soa = h.env.client.workflow.getHandle<typeof statementOfApplicability>(SOA_WORKFLOW_ID);
  await soa.executeUpdate(proposeSoaRevisionUpdate, { args: [{ by: amara, summary: 'First SoA', entries }] });
  await soa.executeUpdate(reviewSoaRevisionUpdate, {
    args: [{ by: rita, taskId: 'soa-revision-1-review', outcome: 'approved', reasons: [] }],
  });
  await soa.executeUpdate(approveSoaRevisionUpdate, {
    args: [{ by: tara, taskId: 'soa-revision-1-approval', outcome: 'approved', reasons: [] }],
  });

  // when: a risk's treatment naming A.10.4 (not applicable) and A.6.2.4 (applicable) is approved
  const riskId = `r-soa-${h.runTag}`;
  const input: RiskWorkflowInput = {
    riskId,
    systemId: null,
    source: { kind: 'annex-c', id: 'machine-learning' },
    description: 'Customers are not told how their data trains the models',
    owner: 'rita',
    by: erin,
    timing: { reminderLeadTime: 'PT0S', escalationDelay: 'PT1H' },
  };
  await h.env.client.workflow.start('risk', { taskQueue: h.taskQueue, workflowId: riskWorkflowId(riskId), args: [input] });
  const r = h.env.client.workflow.getHandle<typeof risk>(riskWorkflowId(riskId));
  await r.executeUpdate(assessRiskUpdate, {
    args: [
      {
        by: erin,
        inherent: { likelihood: 'possible', consequence: 'moderate' },
        rationale: 'review',
        criteria: { version: 1, content: DEFAULT_RISK_CRITERIA },
      },
    ],
  });
  await r.executeUpdate(decideRiskTaskUpdate, {
    args: [{ by: rita, taskId: `${riskId}-risk-assessment-review-1-1`, outcome: 'approved', reasons: [] }],
  });
  await r.executeUpdate(planRiskTreatmentUpdate, {
    args: [
      {
        by: rita,
        option: 'modify',
        annexAControlIds: ['A.10.4', 'A.6.2.4'],
        ownControls: [],
        actions: [
          { actionId: 'a1', description: 'Tell customers', owner: 'erin', dueDate: new Date(Date.now() + 3_600_000).toISOString() },
        ],
      },
    ],
  });
  // Not before the approval: a planned treatment asks for nothing.
  expect((await soa.query(soaStateQuery)).requests).toEqual([]);
  await r.executeUpdate(decideRiskTaskUpdate, {
    args: [{ by: ravi, taskId: `${riskId}-risk-treatment-plan-approval-1-1`, outcome: 'approved', reasons: [] }],
  });

  // then: the request, for the control the SoA lacks, with its task in the inbox
  const state = await eventually(
    () => soa.query(soaStateQuery),
    (s) => s.requests.length > 0,
    'the SoA to open a revision request',
  );
  expect(state.requests).toEqual([
    expect.objectContaining({
      cause: { kind: 'risk_treatment', riskId, controlsAdded: ['A.10.4'], controlsDropped: [] },
      requestedBy: { id: 'rita', role: 'risk_owner' },
      status: 'open',
    }),
  ]);
  const approval = (await readStream(h.store, riskWorkflowId(riskId))).find((e) => e.type === 'RiskTreatmentPlanDecided');
  const requested = (await readStream(h.store, SOA_STREAM)).find((e) => e.type === 'SoaRevisionRequested');
  expect(requested?.metadata).toMatchObject({
    causationId: approval?.id,
    vouchedBy: { kind: 'evidence', stream: riskWorkflowId(riskId), eventId: approval?.id },
  });
  // With AIMS_RECORD_HISTORIES=1: both runs kept as replay fixtures.
  writeHistoryFixture('risk', 'plan-approved-tells-soa', await r.fetchHistory());
  writeHistoryFixture('soa', 'approved-then-revision-requested-by-risk', await soa.fetchHistory());
});
