/**
 * The `aimsContext` workflow on a real Temporal server with a real SQLite evidence store: entries of the
 * three registers recorded with derived ids, revised against their version (a stale revision and a wrong
 * role record nothing), reviewed and retired; the evidence folds to the workflow's state and the changes
 * since a position are what a management review reads. With AIMS_RECORD_HISTORIES=1 the run is a replay fixture.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  AIMS_CONTEXT_STREAM,
  AIMS_CONTEXT_WORKFLOW_ID,
  contextChangesSince,
  evolveRecorded,
  INITIAL_AIMS_CONTEXT_STATE,
  type ContextContent,
} from '../../../domain/aims-context';
import type { Actor } from '../../../domain/shared/roles';
import type { aimsContext } from '../../../workflows';
import {
  aimsContextStateQuery,
  recordContextEntryUpdate,
  retireContextEntryUpdate,
  reviewContextEntryUpdate,
  type AimsContextInput,
} from '../../../workflows/aims-context.messages';
import { recordHistoryFixture } from '../ai-system-lifecycle/lifecycle-harness';
import { startHarness, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const rita: Actor = { id: 'rita', roles: ['risk_owner'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

const party: ContextContent = {
  register: 'interested_party',
  name: 'Loan applicants',
  description: 'People whose applications are scored',
  requirements: ['An explanation of a refusal', 'Human review on request'],
  addressedThrough: 'A.8.2 user information; A.9.3 human oversight',
};
const obligation: ContextContent = {
  register: 'obligation',
  source: 'legal',
  title: 'High-risk AI system',
  description: 'Credit scoring is high-risk (Annex III 5(b))',
  references: ['EU AI Act Art.9', 'EU AI Act Art.14'],
  appliesTo: ['credit-scoring'],
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const refusedWith = async (p: Promise<unknown>, code: string): Promise<void> => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(JSON.stringify((error as WorkflowUpdateFailedError).cause)).toContain(code);
};

test('entries recorded, revised against their version, reviewed and retired; refusals record nothing; the changes since a position', async () => {
  const handle = await h.env.client.workflow.start<typeof aimsContext>('aimsContext', {
    taskQueue: h.taskQueue,
    workflowId: AIMS_CONTEXT_WORKFLOW_ID,
    args: [{} satisfies AimsContextInput],
  });
  const base = { owner: 'amara', reviewBy: '2099-01-01' };
  const p1 = await handle.executeUpdate(recordContextEntryUpdate, {
    args: [{ by: amara, content: party, reason: 'Initial register', ...base }],
  });
  expect([p1.entryId, p1.version]).toEqual(['party-1', 1]);
  const o1 = await handle.executeUpdate(recordContextEntryUpdate, {
    args: [{ by: rita, content: obligation, reason: 'EU AI Act', ...base }],
  });
  expect([o1.entryId, o1.version]).toEqual(['obligation-1', 1]);
  await refusedWith(
    handle.executeUpdate(recordContextEntryUpdate, { args: [{ by: erin, content: party, reason: 'x', ...base }] }),
    'MISSING_ROLE',
  );

  const revised = await handle.executeUpdate(recordContextEntryUpdate, {
    args: [
      {
        by: amara,
        entryId: 'obligation-1',
        expectedVersion: 1,
        content: { ...obligation, references: ['EU AI Act Art.9'] },
        reason: 'Art.14 moved to its own entry',
        ...base,
      },
    ],
  });
  expect(revised.version).toBe(2);
  await refusedWith(
    handle.executeUpdate(recordContextEntryUpdate, {
      args: [{ by: amara, entryId: 'obligation-1', expectedVersion: 1, content: obligation, reason: 'stale', ...base }],
    }),
    'CONTEXT_ENTRY_CHANGED',
  );
  await handle.executeUpdate(reviewContextEntryUpdate, {
    args: [{ by: amara, entryId: 'party-1', reviewBy: '2099-06-01', note: 'Unchanged' }],
  });
  await handle.executeUpdate(retireContextEntryUpdate, { args: [{ by: amara, entryId: 'party-1', reason: 'Merged into customers' }] });

  const recorded = [];
  let state = INITIAL_AIMS_CONTEXT_STATE;
  for await (const e of h.store.readStream(AIMS_CONTEXT_STREAM)) {
    recorded.push(e);
    state = evolveRecorded(state, e);
  }
  expect(recorded.map((e) => e.type)).toEqual([
    'ContextEntryRecorded',
    'ContextEntryRecorded',
    'ContextEntryRecorded',
    'ContextEntryReviewed',
    'ContextEntryRetired',
  ]);
  expect(recorded[0].metadata).toMatchObject({ iso42001: { clauses: ['4.2'], controls: [] } });
  expect(await handle.query(aimsContextStateQuery)).toEqual(state);
  expect(contextChangesSince(recorded, { position: recorded[1].position }).map((c) => [c.entryId, c.change, c.version])).toEqual([
    ['obligation-1', 'revised', 2],
    ['party-1', 'reviewed', 1],
    ['party-1', 'retired', 1],
  ]);
  expect((await h.store.verify()).intact).toBe(true);
  await recordHistoryFixture(handle, 'registers-recorded-revised-retired', 'aims-context');
  await handle.terminate('test finished');
});
