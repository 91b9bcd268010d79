/**
 * The `statementOfApplicability` workflow on a real Temporal server with a real SQLite evidence store: a
 * revision proposed, reviewed and approved by top management is recorded as exactly this evidence, in
 * this order; refusals (wrong role, the proposer deciding, an incomplete SoA) record nothing; a revision
 * request is answered by the next revision; attestations are recorded and tagged with their control.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ANNEX_A_CONTROL_IDS } from '../../../domain/catalogue';
import type { Actor } from '../../../domain/shared/roles';
import { evolveRecorded, INITIAL_SOA_STATE, SOA_STREAM, SOA_WORKFLOW_ID, type SoaEntryInput, type SoaState } from '../../../domain/soa';
import type { statementOfApplicability } from '../../../workflows';
import {
  approveSoaRevisionUpdate,
  attestControlUpdate,
  proposeSoaRevisionUpdate,
  requestSoaRevisionUpdate,
  reviewSoaRevisionUpdate,
  soaStateQuery,
  type SoaInput,
} from '../../../workflows/soa.messages';
import { eventually } from '../../support/eventually';
import { startHarness, registerFirstRun, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const rita: Actor = { id: 'rita', roles: ['risk_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

const entries = (excluded: string[]): SoaEntryInput[] =>
  ANNEX_A_CONTROL_IDS.map((controlId) =>
    excluded.includes(controlId)
      ? { controlId, applicable: false, justification: { text: 'Out of scope: no customers' } }
      : {
          controlId,
          applicable: true,
          justification: { text: 'In scope', riskIds: ['R-1'] },
          owner: 'amara',
          implementation: 'AIMS engine',
        },
  );

let h: Harness;
let handle: WorkflowHandle<typeof statementOfApplicability>;

beforeAll(async () => {
  h = await startHarness();
  const started = await h.env.client.workflow.start('statementOfApplicability', {
    taskQueue: h.taskQueue,
    workflowId: SOA_WORKFLOW_ID,
    args: [{ continueAsNewAfterHistoryLength: 60 } satisfies SoaInput],
  });
  registerFirstRun(started.workflowId, started.firstExecutionRunId);
  handle = h.env.client.workflow.getHandle(SOA_WORKFLOW_ID);
});
afterAll(async () => {
  await h?.stop();
});

async function recorded(): Promise<{ events: Array<{ type: string; metadata: unknown }>; state: SoaState }> {
  const events: Array<{ type: string; metadata: unknown }> = [];
  let state = INITIAL_SOA_STATE;
  for await (const e of h.store.readStream(SOA_STREAM)) {
    events.push({ type: e.type, metadata: e.metadata });
    state = evolveRecorded(state, e);
  }
  return { events, state };
}

const refusedBy = async (p: Promise<unknown>, code: string): Promise<void> => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(JSON.stringify((error as WorkflowUpdateFailedError).cause)).toContain(code);
};

test('a revision proposed, reviewed and approved is in force; refusals record nothing; a request is answered by the next revision; attestations are evidence for their control', async () => {
  await refusedBy(
    handle.executeUpdate(proposeSoaRevisionUpdate, { args: [{ by: erin, summary: 'x', entries: entries([]) }] }),
    'MISSING_ROLE',
  );
  await refusedBy(
    handle.executeUpdate(proposeSoaRevisionUpdate, { args: [{ by: amara, summary: 'x', entries: entries([]).slice(1) }] }),
    'VALIDATION_FAILED',
  );
  expect((await recorded()).events).toEqual([]);

  const proposed = await handle.executeUpdate(proposeSoaRevisionUpdate, {
    args: [{ by: amara, summary: 'First SoA', entries: entries(['A.10.4']) }],
  });
  expect(proposed).toMatchObject({ subjectId: 'soa-revision-1', taskId: 'soa-revision-1-review', version: 0 });
  await refusedBy(
    handle.executeUpdate(reviewSoaRevisionUpdate, {
      args: [{ by: { id: 'Amara', roles: ['aims_owner'] }, taskId: 'soa-revision-1-review', outcome: 'approved', reasons: [] }],
    }),
    'SEGREGATION_OF_DUTIES',
  );
  const reviewed = await handle.executeUpdate(reviewSoaRevisionUpdate, {
    args: [{ by: rita, taskId: 'soa-revision-1-review', outcome: 'approved', reasons: [] }],
  });
  expect(reviewed).toMatchObject({ subjectId: 'soa-revision-1', taskId: 'soa-revision-1-approval' });
  await refusedBy(
    handle.executeUpdate(approveSoaRevisionUpdate, {
      args: [{ by: rita, taskId: 'soa-revision-1-approval', outcome: 'approved', reasons: [] }],
    }),
    'MISSING_ROLE',
  );
  const approved = await handle.executeUpdate(approveSoaRevisionUpdate, {
    args: [{ by: tara, taskId: 'soa-revision-1-approval', outcome: 'approved', reasons: [] }],
  });
  expect(approved).toMatchObject({ subjectId: 'soa-revision-1', version: 1 });

  const request = await handle.executeUpdate(requestSoaRevisionUpdate, {
    args: [
      {
        by: rita,
        reason: 'Treatment of R-7 adds A.10.4',
        cause: { kind: 'risk_treatment', riskId: 'R-7', controlsAdded: ['A.10.4'], controlsDropped: [] },
      },
    ],
  });
  expect(request).toMatchObject({ subjectId: 'soa-request-1', taskId: 'soa-request-1-task' });
  await handle.executeUpdate(proposeSoaRevisionUpdate, {
    args: [{ by: rita, summary: 'A.10.4 in', entries: entries([]), answersRequestIds: ['soa-request-1'] }],
  });
  await handle.executeUpdate(reviewSoaRevisionUpdate, {
    args: [{ by: amara, taskId: 'soa-revision-2-review', outcome: 'approved', reasons: [] }],
  });
  await handle.executeUpdate(approveSoaRevisionUpdate, {
    args: [{ by: tara, taskId: 'soa-revision-2-approval', outcome: 'approved', reasons: [] }],
  });
  await refusedBy(
    handle.executeUpdate(attestControlUpdate, {
      args: [{ by: amara, controlId: 'A.6.2.4', status: 'operates', evidenceRefs: ['x'], note: 'n', reviewBy: '2099-01-01' }],
    }),
    'CONTROL_HAS_RULE',
  );
  await handle.executeUpdate(attestControlUpdate, {
    args: [
      {
        by: amara,
        controlId: 'A.2.2',
        status: 'operates',
        evidenceRefs: ['doc:ai-policy-v3'],
        note: 'Approved by the board',
        reviewBy: '2099-01-01',
      },
    ],
  });

  const { events, state } = await recorded();
  expect(events.map((e) => e.type)).toEqual([
    'SoaRevisionProposed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'SoaRevisionReviewed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'SoaRevisionApproved',
    'SoaRevisionRequested',
    'HumanTaskOpened',
    'SoaRevisionProposed',
    'HumanTaskOpened',
    'SoaRevisionRequestAnswered',
    'HumanTaskSuperseded',
    'HumanTaskDecided',
    'SoaRevisionReviewed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'SoaRevisionApproved',
    'ControlStatusAttested',
  ]);
  expect(events[events.length - 1].metadata).toMatchObject({ iso42001: { clauses: ['8.1', '9.1'], controls: ['A.2.2'] } });
  expect(events[0].metadata).toMatchObject({ iso42001: { clauses: ['6.1.3', '8.3'], controls: [] } });
  expect([state.inForce?.revisionId, state.version, state.requests[0].status]).toEqual(['soa-revision-2', 2, 'answered']);
  const queried = await eventually(
    () => handle.query(soaStateQuery),
    (s) => s.attestations['A.2.2'] !== undefined,
    'the workflow to report the attestation',
  );
  expect(queried).toEqual(state);
  expect((await h.store.verify()).intact).toBe(true);
});
