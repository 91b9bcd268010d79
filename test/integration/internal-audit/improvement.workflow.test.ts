/**
 * The `improvement` workflow on a real Temporal server with a real SQLite evidence store: an opportunity
 * proposed by an engineer, accepted by the AIMS owner (an engineer refused), its outcome recorded by its
 * owner; the run ends, and its evidence is exactly these steps, each tagged 10.1.
 */
import { improvementWorkflowId } from '../../../domain/improvement';
import type { improvement } from '../../../workflows';
import { decideImprovementUpdate, recordImprovementOutcomeUpdate, type ImprovementInput } from '../../../workflows/improvement.messages';
import { expectRefused, people, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';
import { writeHistoryFixture } from '../../support/history-fixtures';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given a proposed improvement, when the AIMS owner accepts it and its owner records the outcome, then it is implemented and the run ends', async () => {
  const id = `ofi-${h.runTag}`;
  const input: ImprovementInput = {
    improvementId: id,
    source: { kind: 'lessons_learned', reference: 'retro-12' },
    description: 'Pin dataset snapshots per model version',
    owner: 'erin',
    by: people.omar,
  };
  await h.env.client.workflow.start('improvement', { taskQueue: h.taskQueue, workflowId: improvementWorkflowId(id), args: [input] });
  const handle = h.env.client.workflow.getHandle<typeof improvement>(improvementWorkflowId(id));
  await expectRefused(
    handle.executeUpdate(decideImprovementUpdate, { args: [{ by: people.erin, outcome: 'accepted', rationale: 'mine' }] }),
    'MISSING_ROLE',
  );
  await handle.executeUpdate(decideImprovementUpdate, {
    args: [{ by: people.ava, outcome: 'accepted', rationale: 'Cheap, avoids repeats' }],
  });
  await expectRefused(
    handle.executeUpdate(recordImprovementOutcomeUpdate, { args: [{ by: people.olga, text: 'done', evidenceRefs: [] }] }),
    'NOT_IMPROVEMENT_OWNER',
  );
  await handle.executeUpdate(recordImprovementOutcomeUpdate, {
    args: [{ by: people.erin, text: 'Snapshots pinned', evidenceRefs: ['PR-77'] }],
  });
  expect(await handle.result()).toMatchObject({ status: 'implemented', owner: 'erin' });

  const events = await readStream(h.store, improvementWorkflowId(id));
  expect(events.map((e) => [e.type, e.metadata.actor?.id, e.metadata.iso42001])).toEqual([
    ['ImprovementProposed', 'omar', { clauses: ['10.1'], controls: [] }],
    ['ImprovementDecided', 'ava', { clauses: ['5.1', '10.1'], controls: [] }],
    ['ImprovementOutcomeRecorded', 'erin', { clauses: ['10.1'], controls: [] }],
  ]);
  writeHistoryFixture('improvement', 'proposed-accepted-implemented', await handle.fetchHistory());
});
