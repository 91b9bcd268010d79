/**
 * Whoever can reach Temporal's port (the embedded dev server has no authentication; the UI can send
 * Updates) but holds no command key cannot make the evidence say that someone acted: unsigned, forged and
 * replayed commands, forged starts and forged closure notices change nothing. The worker checks what
 * vouches for every step before recording it (activities/command-vouch.ts).
 */
import { ApplicationFailure, Client, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { aiSystemStreamName, lifecycleWorkflowId } from '../../../domain/ai-system';
import type { AiSystemRecord } from '../../../domain/ai-system';
import { newCommandKey, parseCommandKeys, signArgument } from '../../../infra/signing/command-keys';
import { commandSigningInterceptor } from '../../../infra/temporal/command-signing';
import {
  decideTaskUpdate,
  openTasksQuery,
  reportIncidentUpdate,
  stateQuery,
  submitImpactAssessmentUpdate,
  type aiSystemLifecycle,
} from '../../../workflows/ai-system-lifecycle.workflow';
import { nonconformityClosedSignal } from '../../../workflows/nonconformity.messages';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import {
  collect,
  iaContent,
  people,
  registration,
  startHarness,
  startLifecycle,
  type Harness,
} from '../ai-system-lifecycle/lifecycle-harness';

let h: Harness;
/** A client that reaches Temporal but holds no command key. */
let unsigned: Client;
/** A client that signs with a key of its own, which the worker does not know. */
let forger: Client;

beforeAll(async () => {
  h = await startHarness();
  unsigned = new Client({ connection: h.env.connection });
  forger = new Client({
    connection: h.env.connection,
    interceptors: { workflow: [commandSigningInterceptor(parseCommandKeys(newCommandKey('test-1')))] },
  });
});

afterAll(async () => {
  await h?.stop();
});

async function failureOf(work: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

test('given a system whose impact assessment awaits review, when an approval arrives unsigned, forged or replayed, then it is refused and nothing is recorded', async () => {
  const systemId = 'unsigned-target';
  const handle = await startLifecycle(h.env, h.taskQueue, registration(systemId));
  const ia = await handle.executeUpdate(submitImpactAssessmentUpdate, { args: [{ by: people.erin, content: iaContent() }] });
  const stream = aiSystemStreamName(systemId);
  const before = await h.store.streamRevision(stream);
  const approval = { by: people.alice, taskId: ia.reviewTaskId, outcome: 'approved' as const };

  // No signature: refused by the validator, so the Update never enters history.
  const plain = await failureOf(
    unsigned.workflow.getHandle<typeof aiSystemLifecycle>(handle.workflowId).executeUpdate(decideTaskUpdate, { args: [approval] }),
  );
  expect(plain.type).toBe('COMMAND_NOT_SIGNED');

  // Signed with a key the worker does not hold (under the real key's id): refused where the step would be recorded.
  const forged = await failureOf(
    forger.workflow.getHandle<typeof aiSystemLifecycle>(handle.workflowId).executeUpdate(decideTaskUpdate, { args: [approval] }),
  );
  expect([forged.type, forged.message]).toEqual(['COMMAND_NOT_VOUCHED', expect.stringContaining('does not match')]);

  // A genuine signature made for one Update id does not carry over to another (Temporal's Update id is the nonce).
  const signedForAnother = signArgument(TEST_COMMAND_KEYS, {
    workflowId: handle.workflowId,
    message: decideTaskUpdate.name,
    messageId: 'original-id',
    argument: approval,
  });
  const replayed = await failureOf(
    unsigned.workflow.getHandle(handle.workflowId).executeUpdate(decideTaskUpdate, { args: [signedForAnother], updateId: 'another-id' }),
  );
  expect([replayed.type, replayed.message]).toEqual(['COMMAND_NOT_VOUCHED', expect.stringContaining('does not match')]);

  // Nor does one whose content was changed after signing (here: someone else named as the approver).
  const altered = {
    ...signArgument(TEST_COMMAND_KEYS, {
      workflowId: handle.workflowId,
      message: decideTaskUpdate.name,
      messageId: 'third-id',
      argument: approval,
    }),
    by: { id: 'mallory', roles: ['approver' as const] },
  };
  const changed = await failureOf(
    unsigned.workflow.getHandle(handle.workflowId).executeUpdate(decideTaskUpdate, { args: [altered], updateId: 'third-id' }),
  );
  expect(changed.type).toBe('COMMAND_NOT_VOUCHED');

  // Nothing was recorded, and the task is still open for the real approver.
  expect(await h.store.streamRevision(stream)).toBe(before);
  expect((await handle.query(openTasksQuery)).map((t) => t.taskId)).toContain(ia.reviewTaskId);
  const real = await handle.executeUpdate(decideTaskUpdate, { args: [approval] });
  expect(real.recorded.map((r) => r.type)).toContain('HumanTaskDecided');
});

test('given only Temporal access, when a lifecycle is started unsigned, then the workflow fails and its stream stays empty', async () => {
  const systemId = 'forged-registration';
  const handle = await unsigned.workflow.start<typeof aiSystemLifecycle>('aiSystemLifecycle', {
    taskQueue: h.taskQueue,
    workflowId: lifecycleWorkflowId(systemId),
    args: [{ registration: registration(systemId) }],
  });
  const error = await handle.result().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect(JSON.stringify((error as WorkflowFailedError).cause)).toMatch(/COMMAND_NOT_VOUCHED|carries no signed command/);
  expect(await h.store.streamRevision(aiSystemStreamName(systemId))).toBeNull();
});

test('given an open nonconformity, when a closure notice is forged by signal, then nothing is closed in the lifecycle', async () => {
  const systemId = 'forged-closure';
  const handle = await startLifecycle(h.env, h.taskQueue, registration(systemId));
  const incident = await handle.executeUpdate(reportIncidentUpdate, {
    args: [{ by: people.erin, severity: 'critical', description: 'wrong decisions for a day' }],
  });
  const nonconformityId = incident.nonconformityId as string;
  expect(nonconformityId).toEqual(expect.any(String));
  const stream = aiSystemStreamName(systemId);
  const before = await h.store.streamRevision(stream);
  const opened = incident.recorded.find((r) => r.type === 'NonconformityOpened')?.evidenceId as string;
  const notice = { nonconformityId, closedAt: new Date().toISOString(), round: 1 };
  const target = unsigned.workflow.getHandle(handle.workflowId);
  await target.signal(nonconformityClosedSignal, { ...notice, causationId: null });
  await target.signal(nonconformityClosedSignal, { ...notice, causationId: 'no-such-event' });
  // A real event, but not a closure of this nonconformity.
  await target.signal(nonconformityClosedSignal, { ...notice, causationId: opened });
  // Signals take their turn in the queue; an Update after them is answered only once they have run.
  await handle.executeUpdate(submitImpactAssessmentUpdate, { args: [{ by: people.erin, content: iaContent() }] });
  const types = (await collect(h.store.readStream(stream))).slice((before ?? -1) + 1).map((e) => e.type);
  expect(types).not.toContain('NonconformityClosed');
  expect((await handle.query(stateQuery)) as AiSystemRecord).toMatchObject({
    nonconformities: expect.arrayContaining([expect.objectContaining({ nonconformityId, status: 'open' })]),
  });
});
