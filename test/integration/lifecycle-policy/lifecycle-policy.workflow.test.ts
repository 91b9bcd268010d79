/**
 * The `lifecyclePolicy` workflow on a real Temporal server with a real SQLite evidence store: proposals
 * and decisions are recorded once each, refusals record nothing and leave the run going, and the run
 * continues as new carrying its state. Records the replay fixtures (AIMS_RECORD_HISTORIES=1).
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  evolveRecorded,
  INITIAL_LIFECYCLE_POLICY_STATE,
  LIFECYCLE_POLICY_STREAM,
  LIFECYCLE_POLICY_WORKFLOW_ID,
  type LifecyclePolicyState,
} from '../../../domain/lifecycle-policy';
import type { Actor } from '../../../domain/shared/roles';
import type { lifecyclePolicy } from '../../../workflows';
import {
  decidePolicyChangeUpdate,
  lifecyclePolicyStateQuery,
  proposePolicyChangeUpdate,
  type LifecyclePolicyInput,
} from '../../../workflows/lifecycle-policy.messages';
import { eventually } from '../../support/eventually';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { startHarness, runHistories, registerFirstRun, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

let h: Harness;
let handle: WorkflowHandle<typeof lifecyclePolicy>;

beforeAll(async () => {
  h = await startHarness();
  const started = await h.env.client.workflow.start('lifecyclePolicy', {
    taskQueue: h.taskQueue,
    workflowId: LIFECYCLE_POLICY_WORKFLOW_ID,
    // Low, so this file's few steps span several runs.
    args: [{ continueAsNewAfterHistoryLength: 40 } satisfies LifecyclePolicyInput],
  });
  registerFirstRun(started.workflowId, started.firstExecutionRunId);
  handle = h.env.client.workflow.getHandle(LIFECYCLE_POLICY_WORKFLOW_ID);
});
afterAll(async () => {
  await h?.stop();
});

async function recorded(): Promise<{ types: string[]; state: LifecyclePolicyState }> {
  const types: string[] = [];
  let state = INITIAL_LIFECYCLE_POLICY_STATE;
  for await (const e of h.store.readStream(LIFECYCLE_POLICY_STREAM)) {
    types.push(e.type);
    state = evolveRecorded(state, e);
  }
  return { types, state };
}

test('given changes proposed and decided by different governors, when refused ones are mixed in, then each accepted step is recorded once, refusals leave nothing, and the state survives continue-as-new', async () => {
  const refusedBy = async (p: Promise<unknown>, code: string) => {
    const error = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(JSON.stringify((error as WorkflowUpdateFailedError).cause)).toContain(code);
  };

  await refusedBy(
    handle.executeUpdate(proposePolicyChangeUpdate, {
      args: [{ by: erin, scope: { kind: 'organisation' }, tiers: { limited: { autoApproveDeployment: true } }, justification: 'faster' }],
    }),
    'MISSING_ROLE',
  );
  await refusedBy(
    handle.executeUpdate(proposePolicyChangeUpdate, {
      args: [
        { by: amara, scope: { kind: 'organisation' }, tiers: { high: { autoApproveDeployment: true } }, justification: 'no approvers' },
      ],
    }),
    'INVALID_POLICY',
  );
  expect((await recorded()).types).toEqual([]);

  for (let n = 1; n <= 4; n++) {
    const proposed = await handle.executeUpdate(proposePolicyChangeUpdate, {
      args: [
        {
          by: n % 2 === 0 ? tara : amara,
          scope: n === 3 ? { kind: 'system', systemId: 'credit-scoring' } : { kind: 'organisation' },
          ...(n === 3 ? { overrides: { escalationAfterMs: 3_600_000 * n } } : { tiers: { limited: { escalationAfterMs: 3_600_000 * n } } }),
          justification: `change ${n}`,
        },
      ],
    });
    expect(proposed).toMatchObject({ changeId: `policy-change-${n}`, taskId: `policy-change-${n}-review`, version: n - 1 });
    await refusedBy(
      handle.executeUpdate(decidePolicyChangeUpdate, {
        args: [{ by: n % 2 === 0 ? tara : amara, taskId: proposed.taskId, outcome: 'approved', reasons: [] }],
      }),
      'SEGREGATION_OF_DUTIES',
    );
    const decided = await handle.executeUpdate(decidePolicyChangeUpdate, {
      args: [{ by: n % 2 === 0 ? amara : tara, taskId: proposed.taskId, outcome: 'approved', reasons: [] }],
    });
    expect(decided).toMatchObject({ changeId: `policy-change-${n}`, version: n });
  }

  const { types, state } = await recorded();
  // Each of the four changes: proposed with its review task, then decided and approved; nothing refused.
  const change = ['LifecyclePolicyChangeProposed', 'HumanTaskOpened', 'HumanTaskDecided', 'LifecyclePolicyChangeApproved'];
  expect(types).toEqual([...change, ...change, ...change, ...change]);
  expect(state.version).toBe(4);
  expect(state.tiers.limited.escalationAfterMs).toBe(4 * 3_600_000);
  expect(state.deviations['credit-scoring']).toEqual({ changeId: 'policy-change-3', overrides: { escalationAfterMs: 3 * 3_600_000 } });
  // The workflow's own state (after continuing as new) is the evidence's fold.
  const queried = await eventually(
    () => handle.query(lifecyclePolicyStateQuery),
    (s) => s.version === 4,
    'the workflow to report version 4',
  );
  expect(queried).toEqual(state);
  expect((await h.store.verify()).intact).toBe(true);

  const histories = await runHistories(h, LIFECYCLE_POLICY_WORKFLOW_ID);
  expect(histories.length).toBeGreaterThan(1);
  if (process.env.AIMS_RECORD_HISTORIES === '1') {
    histories
      .slice(0, 2)
      .forEach((history, i) => writeHistoryFixture('lifecycle-policy', `changes-proposed-and-decided-run-${i + 1}`, history));
  }
});
