/**
 * The `objective` workflow on a real Temporal server with a real SQLite evidence store: an objective on the
 * open nonconformities measure, measured as soon as it is set, finds a nonconformity open against a target
 * of at most none, records the measurement with the evidence it rests on, and opens its improvement action
 * (started as an `improvement` workflow, vouched for by the objective's own evidence); another objective
 * set to raise a nonconformity raises one. Withdrawing ends the run.
 */
import { improvementWorkflowId } from '../../../domain/improvement';
import { nonconformityWorkflowId } from '../../../domain/nonconformity';
import { objectiveWorkflowId } from '../../../domain/objective';
import type { objective } from '../../../workflows';
import { withdrawObjectiveUpdate, type ObjectiveInput } from '../../../workflows/objective.messages';
import {
  eventually,
  expectRefused,
  people,
  raisedInput,
  readStream,
  startHarness,
  startNonconformity,
  type Harness,
} from '../nonconformity/nonconformity-harness';
import { writeHistoryFixture } from '../../support/history-fixtures';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const objectiveInput = (objectiveId: string, overrides: Partial<ObjectiveInput> = {}): ObjectiveInput => ({
  objectiveId,
  title: 'No nonconformity stays open',
  commitment: { text: 'We correct what goes wrong and learn from it.', documentRef: null },
  measureId: 'open-nonconformities',
  target: 0,
  direction: 'at_most',
  dueDate: '2027-06-30',
  owner: 'erin',
  interval: 'P7D',
  offTargetAction: 'action',
  offTargetSeverity: 'minor',
  by: people.ava,
  ...overrides,
});

async function startObjective(input: ObjectiveInput) {
  await h.env.client.workflow.start('objective', {
    taskQueue: h.taskQueue,
    workflowId: objectiveWorkflowId(input.objectiveId),
    args: [input],
  });
  return h.env.client.workflow.getHandle<typeof objective>(objectiveWorkflowId(input.objectiveId));
}

test('given an open nonconformity, when an objective of at most none open is set, then it is measured off target and its improvement action opens', async () => {
  const nc = await startNonconformity(h, raisedInput(`nc-${h.runTag}`));
  const [raised] = await eventually(
    () => readStream(h.store, nonconformityWorkflowId(`nc-${h.runTag}`)),
    (events) => events.length > 0,
    'the nonconformity raised',
  );

  const id = `obj-${h.runTag}`;
  const handle = await startObjective(objectiveInput(id));
  const actionId = `${id}-off-1`;
  const [proposed] = await eventually(
    () => readStream(h.store, improvementWorkflowId(actionId)),
    (events) => events.length > 0,
    'the improvement action proposed',
  );
  expect(proposed.type).toBe('ImprovementProposed');

  const events = await readStream(h.store, objectiveWorkflowId(id));
  expect(events.map((e) => [e.type, e.metadata.actor?.id])).toEqual([
    ['AiObjectiveSet', 'ava'],
    ['ObjectiveMeasured', 'aims:objective'],
    ['ObjectiveOffTargetActionOpened', 'aims:objective'],
  ]);
  expect(events[1].data).toMatchObject({
    measureId: 'open-nonconformities',
    value: 1,
    target: 0,
    direction: 'at_most',
    onTarget: false,
    evidence: [raised.id],
  });
  expect(events[1].data.position).toBeGreaterThanOrEqual(raised.position);
  expect(events[1].metadata.iso42001).toEqual({ clauses: ['6.2', '9.1'], controls: [] });
  expect(events[2].data).toMatchObject({ kind: 'action', actionId, owner: 'erin' });
  // The improvement names the objective's evidence as what vouched for it, and is owned by the objective's owner.
  expect(proposed.data).toMatchObject({ owner: 'erin', by: { id: 'aims:objective', role: 'system' } });
  expect(proposed.metadata.vouchedBy).toMatchObject({ kind: 'evidence', eventId: events[2].id });

  await expectRefused(handle.executeUpdate(withdrawObjectiveUpdate, { args: [{ by: people.erin, reason: 'done' }] }), 'MISSING_ROLE');
  await handle.executeUpdate(withdrawObjectiveUpdate, { args: [{ by: people.ava, reason: 'replaced by a severity objective' }] });
  expect(await handle.result()).toMatchObject({ status: 'withdrawn', measurementCount: 1 });
  writeHistoryFixture('objective', 'measured-off-target-action-opened-withdrawn', await handle.fetchHistory());
  await nc.terminate('test over');
});

test('given an objective set to raise a nonconformity, when it is measured off target, then a nonconformity of its severity is raised', async () => {
  const id = `objnc-${h.runTag}`;
  const handle = await startObjective(objectiveInput(id, { offTargetAction: 'nonconformity', offTargetSeverity: 'major', target: -1 }));
  const [raised] = await eventually(
    () => readStream(h.store, nonconformityWorkflowId(`${id}-off-1`)),
    (events) => events.length > 0,
    'the nonconformity raised by the objective',
  );
  expect(raised.type).toBe('NonconformityRaised');
  expect(raised.data).toMatchObject({ severity: 'major', source: 'control_failure', clauseIds: ['6.2', '9.1'] });
  expect(raised.metadata.correlationId).toBe(objectiveWorkflowId(id));
  await handle.executeUpdate(withdrawObjectiveUpdate, { args: [{ by: people.ava, reason: 'test over' }] });
  await handle.result();
  await h.env.client.workflow.getHandle(nonconformityWorkflowId(`${id}-off-1`)).terminate('test over');
});
