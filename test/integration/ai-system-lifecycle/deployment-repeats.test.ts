/**
 * Repeated deployment requests on a real Temporal dev server (issue 11, finding 8; DEPLOYMENT_REPEATS_PATCH):
 * the same caller repeating a request gets the first answer and the repeat is recorded as evidence; another
 * identity reusing the request id is refused before the Update enters history; the person named in
 * `triggeredBy` may not approve. With AIMS_RECORD_HISTORIES=1 the run is kept as a replay fixture.
 */
import { decideTaskUpdate, requestDeploymentUpdate } from '../../../workflows/ai-system-lifecycle.workflow';
import {
  driveToSignedOff,
  DIGEST_A,
  EVIDENCE_TO_SIGNED_OFF,
  expectEvidenceMatchesDomain,
  goodMetrics,
  LifecycleDriver,
  people,
  recordHistoryFixture,
  registration,
  startHarness,
  startLifecycle,
  type Harness,
} from './lifecycle-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

test('given a pending request, when its caller repeats it, then the first answer comes back and the repeat is recorded; another identity reusing its id is refused; the pusher may not approve', async () => {
  const reg = registration('churn-model');
  const d = new LifecycleDriver(await startLifecycle(h.env, h.taskQueue, reg), h.store, reg.systemId);
  await driveToSignedOff(d, goodMetrics);

  const request = {
    by: people.ci,
    requestId: 'idem-run-1',
    modelVersion: '1.0.0',
    artifactDigest: DIGEST_A,
    environment: 'production',
    commit: '9f2c1e7',
    triggeredBy: 'alice',
  };
  const first = await d.send(requestDeploymentUpdate, request);
  expect(first).toMatchObject({
    outcome: 'pending',
    repeated: false,
    recorded: [{ type: 'DeploymentRequested' }, { type: 'HumanTaskOpened' }],
  });

  // the same caller (another spelling of its identity): the first answer, and the repeat on record
  const again = await d.send(requestDeploymentUpdate, { ...request, by: { id: 'CI-Pipeline', roles: ['ci'] } });
  expect(again).toMatchObject({
    outcome: 'pending',
    requestId: 'idem-run-1',
    repeated: true,
    recorded: [{ type: 'DeploymentRequestRepeated' }],
    openedTasks: [],
    task: { taskId: first.approvalTaskId },
  });

  // another identity with the same id and content: not its request
  await d.refused(requestDeploymentUpdate, { ...request, by: { id: 'ci-other', roles: ['ci'] } }, 'DUPLICATE_ID', 'replay-by-another');
  // the same caller with other content: refused as before
  await d.refused(requestDeploymentUpdate, { ...request, commit: 'deadbee' }, 'DUPLICATE_ID', 'other-content');

  // alice started the run: she may not approve it; bob may
  await d.refused(
    decideTaskUpdate,
    { by: people.alice, taskId: first.approvalTaskId as string, outcome: 'approved' },
    'SEGREGATION_OF_DUTIES',
    'pusher-approves',
  );
  await d.send(decideTaskUpdate, { by: people.bob, taskId: first.approvalTaskId as string, outcome: 'approved' });
  expect(await d.send(requestDeploymentUpdate, request)).toMatchObject({ outcome: 'allowed', repeated: true });

  const events = await expectEvidenceMatchesDomain(d, [
    ...EVIDENCE_TO_SIGNED_OFF,
    'DeploymentRequested',
    'HumanTaskOpened',
    'DeploymentRequestRepeated',
    'HumanTaskDecided',
    'DeploymentApproved',
    'AiPolicyAtGateNoted',
    'DeploymentRequestRepeated',
  ]);
  const repeats = events.filter((e) => e.type === 'DeploymentRequestRepeated');
  expect(repeats.map((e) => [e.data.status, e.metadata.actor])).toEqual([
    ['pending_approval', { id: 'CI-Pipeline', role: 'ci' }],
    ['approved', { id: 'ci-pipeline', role: 'ci' }],
  ]);
  expect(events.find((e) => e.type === 'DeploymentRequested')?.data).toMatchObject({ triggeredBy: 'alice' });
  await recordHistoryFixture(d.handle, 'deployment-repeats-recorded');
  await d.handle.terminate('test finished');
});
