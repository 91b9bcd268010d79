/**
 * The `riskCriteria` workflow on a real Temporal server and SQLite evidence store: the default criteria are
 * drafted, reviewed and approved by people other than the author and become version 1; the author's own
 * decision is refused and records nothing; a later draft sent back at review leaves version 1 in force.
 * With AIMS_RECORD_HISTORIES=1 its history is kept as a replay fixture.
 */
import { DEFAULT_RISK_CRITERIA, RISK_CRITERIA_STREAM, RISK_CRITERIA_WORKFLOW_ID } from '../../../domain/risk-criteria';
import type { Actor } from '../../../domain/shared/roles';
import type { riskCriteria } from '../../../workflows';
import {
  decideRiskCriteriaTaskUpdate,
  draftRiskCriteriaUpdate,
  riskCriteriaStateQuery,
  type RiskCriteriaInput,
} from '../../../workflows/risk.messages';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { expectRefused, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const rita: Actor = { id: 'rita', roles: ['risk_owner', 'aims_owner'] };
const ravi: Actor = { id: 'ravi', roles: ['risk_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given the default criteria drafted, when reviewed and approved by others, then version 1 applies; the author may not decide', async () => {
  await h.env.client.workflow.start('riskCriteria', {
    taskQueue: h.taskQueue,
    workflowId: RISK_CRITERIA_WORKFLOW_ID,
    args: [{} satisfies RiskCriteriaInput],
  });
  const handle = h.env.client.workflow.getHandle<typeof riskCriteria>(RISK_CRITERIA_WORKFLOW_ID);
  const drafted = await handle.executeUpdate(draftRiskCriteriaUpdate, {
    args: [{ by: rita, content: DEFAULT_RISK_CRITERIA, justification: 'adopt the defaults' }],
  });
  expect(drafted).toMatchObject({ draftId: 'criteria-draft-1', version: 0 });
  await expectRefused(
    handle.executeUpdate(decideRiskCriteriaTaskUpdate, {
      args: [{ by: rita, taskId: 'criteria-draft-1-review', outcome: 'approved', reasons: [] }],
    }),
    'SEGREGATION_OF_DUTIES',
  );
  await handle.executeUpdate(decideRiskCriteriaTaskUpdate, {
    args: [{ by: ravi, taskId: 'criteria-draft-1-review', outcome: 'approved', reasons: [] }],
  });
  await expectRefused(
    handle.executeUpdate(decideRiskCriteriaTaskUpdate, {
      args: [{ by: ravi, taskId: 'criteria-draft-1-approval', outcome: 'approved', reasons: [] }],
    }),
    'MISSING_ROLE',
  );
  const approved = await handle.executeUpdate(decideRiskCriteriaTaskUpdate, {
    args: [{ by: tara, taskId: 'criteria-draft-1-approval', outcome: 'approved', reasons: [] }],
  });
  expect(approved).toMatchObject({ draftId: 'criteria-draft-1', version: 1 });
  expect((await handle.query(riskCriteriaStateQuery)).versions.map((v) => v.version)).toEqual([1]);
  const events = await readStream(h.store, RISK_CRITERIA_STREAM);
  expect(events.map((e) => e.type)).toEqual([
    'RiskCriteriaDrafted',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'RiskCriteriaReviewed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'RiskCriteriaApproved',
  ]);
  expect(events.at(-1)?.metadata).toMatchObject({ actor: { id: 'tara', role: 'top_management' } });

  // a second draft, sent back at review: returned, and version 1 still applies
  const again = await handle.executeUpdate(draftRiskCriteriaUpdate, {
    args: [{ by: tara, content: { ...DEFAULT_RISK_CRITERIA, appetite: 'high' }, justification: 'raise the appetite' }],
  });
  expect(again).toMatchObject({ draftId: 'criteria-draft-2', version: 1 });
  await handle.executeUpdate(decideRiskCriteriaTaskUpdate, {
    args: [{ by: ravi, taskId: 'criteria-draft-2-review', outcome: 'changes_requested', reasons: ['no basis for a higher appetite'] }],
  });
  const state = await handle.query(riskCriteriaStateQuery);
  expect([state.versions.map((v) => v.version), state.drafts.map((d) => d.status)]).toEqual([[1], ['approved', 'returned']]);
  expect((await readStream(h.store, RISK_CRITERIA_STREAM)).at(-1)?.type).toBe('RiskCriteriaReturned');
  writeHistoryFixture('risk-criteria', 'approved-then-draft-returned', await handle.fetchHistory());
});
