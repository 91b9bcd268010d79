/**
 * The resources an AI system depends on (7.1, A.4.2, A.4.4–A.4.6) through the lifecycle workflow on a
 * real Temporal server and SQLite store: an engineer records the tooling, compute and human resources with
 * owners, the AIMS owner replaces the list, the workflow's state shows the current one; bad input and a
 * role that may not record them are refused by the validator and record nothing; the run records the
 * patch marker of the new step (so histories holding it replay with it), and its history is kept as a
 * replay fixture.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { AiSystemResource } from '../../../domain/ai-system';
import { RESOURCES_PATCH, recordResourcesUpdate, stateQuery } from '../../../workflows/ai-system-lifecycle.workflow';
import {
  beginLifecycle,
  expectEvidenceMatchesDomain,
  people,
  recordHistoryFixture,
  registeredRecord,
  registration,
  startHarness,
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

const gpu: AiSystemResource = {
  resourceId: 'gpu-pool',
  kind: 'compute',
  name: 'GPU pool',
  description: '4 × A100',
  owner: 'it-operations',
};
const mlflow: AiSystemResource = { resourceId: 'mlflow', kind: 'tooling', name: 'MLflow', description: 'tracking', owner: 'erin' };
const validators: AiSystemResource = { resourceId: 'validators', kind: 'human', name: 'Validation team', description: '', owner: 'victor' };

test('given a registered system, when its resources are recorded and replaced, then each list is evidence, the state shows the current one and refusals record nothing', async () => {
  const d = await beginLifecycle(h, registration('resourced-system'));
  const first = await d.send(recordResourcesUpdate, { by: people.erin, resources: [gpu, mlflow, validators], reason: 'first inventory' });
  expect(first.resources).toEqual([gpu, mlflow, validators]);
  await d.refused(
    recordResourcesUpdate,
    { by: people.erin, resources: [{ ...gpu, kind: 'budget' as AiSystemResource['kind'] }], reason: 'x' },
    'VALIDATION_FAILED',
    'bad-kind',
  );
  await d.refused(recordResourcesUpdate, { by: people.alice, resources: [gpu], reason: 'x' }, 'MISSING_ROLE', 'approver-may-not');
  const second = await d.send(recordResourcesUpdate, { by: people.amara, resources: [gpu, validators], reason: 'MLflow retired' });
  expect(second.resources.map((r) => r.resourceId)).toEqual(['gpu-pool', 'validators']);
  expect(registeredRecord(await d.handle.query(stateQuery)).resources).toEqual([gpu, validators]);

  const events = await expectEvidenceMatchesDomain(d, ['AiSystemRegistered', 'ResourcesRecorded', 'ResourcesRecorded']);
  expect(events.slice(1).map((e) => [e.data.previousCount, e.metadata.actor])).toEqual([
    [0, expect.objectContaining({ id: 'erin', role: 'engineer' })],
    [3, expect.objectContaining({ id: 'amara', role: 'aims_owner' })],
  ]);
  expect(events[1]?.metadata.iso42001).toEqual({ clauses: ['7.1'], controls: ['A.4.2', 'A.4.4', 'A.4.5', 'A.4.6'] });

  const history = await d.handle.fetchHistory();
  const markers = (history.events ?? [])
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    .map((m) => defaultPayloadConverter.fromPayload<{ id: string }>(m?.details?.['patch-data']?.payloads?.[0] as Payload).id);
  expect(markers.filter((m) => m === RESOURCES_PATCH)).toHaveLength(1);
  await recordHistoryFixture(d.handle, 'resources-recorded-then-replaced');
});
