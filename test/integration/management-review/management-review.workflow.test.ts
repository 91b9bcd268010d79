/**
 * The `managementReview` workflow on a real Temporal server with a real SQLite evidence store: a review
 * planned a few seconds ahead compiles its input pack on its own timer (the pack recomputed from the
 * evidence at the recorded position gives the recorded hash); the AIMS owner takes the minutes but may not
 * decide or sign off; top management's decision starts an owned improvement action; sign-off by top
 * management schedules and starts the next review of the series. Top management's steps are tasks of the one
 * inbox: one left undone is reminded and escalated on the review's timer, and each step closes its task.
 */
import { randomUUID } from 'node:crypto';
import { improvementWorkflowId } from '../../../domain/improvement';
import { managementReviewWorkflowId, type ManagementReviewState } from '../../../domain/management-review';
import type { Actor } from '../../../domain/shared/roles';
import { compileInputsFromStore } from '../../../activities/management-review.activities';
import type { improvement, managementReview } from '../../../workflows';
import { improvementStateQuery } from '../../../workflows/improvement.messages';
import {
  cancelReviewUpdate,
  compileReviewInputsUpdate,
  managementReviewStateQuery,
  recordReviewDecisionUpdate,
  recordReviewMinutesUpdate,
  signOffReviewUpdate,
  type ManagementReviewInput,
} from '../../../workflows/management-review.messages';
import { eventually, expectRefused, inSeconds, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';
import { writeHistoryFixture } from '../../support/history-fixtures';

jest.setTimeout(120_000);

const tess: Actor = { id: 'tess', roles: ['top_management'] };
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('a review compiles its inputs on its timer, turns a decision into an action, and signing off starts the next one', async () => {
  const reviewId = `MR-${h.runTag}`;
  // Evidence another process would have recorded: one objective measured on target.
  await h.store.append(`objective-fairness-${h.runTag}`, [
    {
      id: randomUUID(),
      type: 'ObjectiveMeasured',
      data: { value: 0.94, onTarget: true },
      metadata: { actor: { id: 'erin', role: 'engineer' } },
    },
  ]);
  const input: ManagementReviewInput = {
    reviewId,
    title: 'Half-year management review',
    plannedFor: inSeconds(2),
    chair: 'tess',
    interval: 'P182D',
    by: olivia,
  };
  await h.env.client.workflow.start('managementReview', {
    taskQueue: h.taskQueue,
    workflowId: managementReviewWorkflowId(reviewId),
    args: [input],
  });
  const handle = h.env.client.workflow.getHandle<typeof managementReview>(managementReviewWorkflowId(reviewId));
  // Nothing to minute before the pack exists.
  await expectRefused(
    handle.executeUpdate(recordReviewMinutesUpdate, { args: [{ by: olivia, attendees: ['tess'], minutes: 'early' }] }),
    'INVALID_TRANSITION',
  );

  const compiled = await eventually(
    () => handle.query(managementReviewStateQuery),
    (s: ManagementReviewState) => s?.status === 'inputs_compiled',
    'the inputs compiled on the timer',
  );
  const inputs = compiled?.inputs;
  if (!inputs) throw new Error('no inputs');
  expect(inputs.by).toEqual({ id: 'aims:management-review', role: 'system' });
  const monitoring = inputs.pack.items.find((i) => i.key === 'monitoring_results');
  expect(monitoring?.gap).toBeNull();
  expect(monitoring?.entries).toHaveLength(1);
  // Recomputed from the evidence at the recorded position: the same pack, the same hash.
  const again = await compileInputsFromStore(h.store, { reviewId, toPosition: inputs.position });
  expect(again.packHash).toBe(inputs.packHash);
  expect(again.pack).toEqual(inputs.pack);

  await expectRefused(handle.executeUpdate(compileReviewInputsUpdate, { args: [{ by: erin }] }), 'MISSING_ROLE');
  await handle.executeUpdate(recordReviewMinutesUpdate, {
    args: [{ by: olivia, attendees: ['tess', 'olivia'], minutes: 'Pack reviewed; fairness on target; one resource need.' }],
  });
  await expectRefused(
    handle.executeUpdate(recordReviewDecisionUpdate, {
      args: [
        { by: olivia, kind: 'resource_need', owner: 'olivia', dueDate: inSeconds(86_400 * 60).slice(0, 10), text: 'A second validator' },
      ],
    }),
    'MISSING_ROLE',
  );
  const decided = await handle.executeUpdate(recordReviewDecisionUpdate, {
    args: [{ by: tess, kind: 'resource_need', owner: 'olivia', dueDate: inSeconds(86_400 * 60).slice(0, 10), text: 'A second validator' }],
  });
  expect(decided.actionId).toBe(`${reviewId}.decision-1`);
  const action = h.env.client.workflow.getHandle<typeof improvement>(improvementWorkflowId(decided.actionId as string));
  const proposed = await eventually(
    () => action.query(improvementStateQuery).catch(() => null),
    (s) => s?.status === 'proposed',
    'the decision’s improvement proposed',
  );
  expect(proposed).toMatchObject({ owner: 'olivia', source: { kind: 'management_review', reference: `${reviewId}/decision-1` } });

  await expectRefused(handle.executeUpdate(signOffReviewUpdate, { args: [{ by: olivia }] }), 'SIGN_OFF_NEEDS_TOP_MANAGEMENT');
  const signed = await handle.executeUpdate(signOffReviewUpdate, { args: [{ by: tess }] });
  expect(signed.nextReviewId).toBe(`${reviewId}-2`);
  expect(await handle.result()).toMatchObject({ status: 'signed_off', decisions: [expect.objectContaining({ owner: 'olivia' })] });

  const events = await readStream(h.store, managementReviewWorkflowId(reviewId));
  // Each step of top management's is an inbox task: opened by the step before, closed by its own.
  expect(events.map((e) => [e.type, e.data.taskId ?? null, e.metadata.actor?.id])).toEqual([
    ['ManagementReviewPlanned', null, 'olivia'],
    ['ManagementReviewInputsCompiled', null, 'aims:management-review'],
    ['HumanTaskOpened', `${reviewId}.minutes`, 'aims:management-review'],
    ['ManagementReviewMinutesRecorded', null, 'olivia'],
    ['HumanTaskDecided', `${reviewId}.minutes`, 'olivia'],
    ['HumanTaskOpened', `${reviewId}.sign-off`, 'olivia'],
    ['ManagementReviewDecisionRecorded', null, 'tess'],
    ['ManagementReviewSignedOff', null, 'tess'],
    ['ManagementReviewNextScheduled', null, 'tess'],
    ['HumanTaskDecided', `${reviewId}.sign-off`, 'tess'],
  ]);
  const decisionEvidence = events.find((e) => e.type === 'ManagementReviewDecisionRecorded');
  const improvementEvents = await readStream(h.store, improvementWorkflowId(decided.actionId as string));
  expect(improvementEvents[0]).toMatchObject({
    type: 'ImprovementProposed',
    metadata: { vouchedBy: { kind: 'evidence', eventId: decisionEvidence?.id } },
  });

  const next = h.env.client.workflow.getHandle<typeof managementReview>(managementReviewWorkflowId(`${reviewId}-2`));
  const planned = await eventually(
    () => next.query(managementReviewStateQuery).catch(() => null),
    (s) => s?.status === 'planned',
    'the next review planned',
  );
  expect(planned?.plan).toMatchObject({ series: reviewId, sequence: 2, previousReviewId: reviewId, chair: 'tess' });
  await next.executeUpdate(cancelReviewUpdate, { args: [{ by: olivia, reason: 'end of the test' }] });
  await next.result();
  // The era before the inbox tasks keeps its own fixture (timer-minutes-decision-sign-off); this is the path with them.
  writeHistoryFixture('management-review', 'inbox-tasks-timer-minutes-decision-sign-off', await handle.fetchHistory());
});

test('an inbox task left undone is reminded when due and escalated to the AIMS owner; the step closes it, and the next one opens', async () => {
  const reviewId = `MR-late-${h.runTag}`;
  const input: ManagementReviewInput = {
    reviewId,
    title: 'Quarterly management review',
    plannedFor: inSeconds(1),
    chair: 'tess',
    interval: 'P91D',
    by: olivia,
    timing: { taskTime: 'PT2S', escalationDelay: 'PT2S' },
  };
  await h.env.client.workflow.start('managementReview', {
    taskQueue: h.taskQueue,
    workflowId: managementReviewWorkflowId(reviewId),
    args: [input],
  });
  const handle = h.env.client.workflow.getHandle<typeof managementReview>(managementReviewWorkflowId(reviewId));
  const escalated = await eventually(
    () => handle.query(managementReviewStateQuery),
    (s: ManagementReviewState) => s?.tasks?.[0]?.escalatedAt !== null && s?.tasks?.[0]?.escalatedAt !== undefined,
    'the minutes task reminded, then escalated',
  );
  expect(escalated?.tasks?.[0]).toMatchObject({
    taskId: `${reviewId}.minutes`,
    kind: 'management_review_minutes',
    status: 'open',
    requiredRoles: ['top_management', 'aims_owner'],
    escalatedTo: 'aims_owner',
  });
  await handle.executeUpdate(recordReviewMinutesUpdate, { args: [{ by: tess, attendees: ['tess'], minutes: 'Late, but held.' }] });
  const signedOff = await handle.executeUpdate(signOffReviewUpdate, { args: [{ by: tess }] });
  expect(signedOff.review?.tasks?.map((t) => [t.kind, t.status])).toEqual([
    ['management_review_minutes', 'decided'],
    ['management_review_sign_off', 'decided'],
  ]);
  await handle.result();

  const events = await readStream(h.store, managementReviewWorkflowId(reviewId));
  const tasks = events.filter((e) => e.type.startsWith('HumanTask')).map((e) => [e.type, e.data.taskId, e.metadata.actor?.id]);
  expect(tasks).toEqual([
    ['HumanTaskOpened', `${reviewId}.minutes`, 'aims:management-review'],
    ['HumanTaskReminderSent', `${reviewId}.minutes`, 'aims:management-review'],
    ['HumanTaskEscalated', `${reviewId}.minutes`, 'aims:management-review'],
    ['HumanTaskDecided', `${reviewId}.minutes`, 'tess'],
    ['HumanTaskOpened', `${reviewId}.sign-off`, 'tess'],
    ['HumanTaskDecided', `${reviewId}.sign-off`, 'tess'],
  ]);
  expect(events.find((e) => e.type === 'HumanTaskReminderSent')?.data).toMatchObject({
    notifiedRoles: ['top_management', 'aims_owner'],
    notifiedPeople: [],
  });

  // The next review of the series keeps the timing; nothing of it is due for a quarter.
  const next = h.env.client.workflow.getHandle<typeof managementReview>(managementReviewWorkflowId(`${reviewId}-2`));
  await eventually(
    () => next.query(managementReviewStateQuery).catch(() => null),
    (s) => s?.status === 'planned',
    'the next review planned',
  );
  await next.executeUpdate(cancelReviewUpdate, { args: [{ by: olivia, reason: 'end of the test' }] });
  await next.result();
  writeHistoryFixture('management-review', 'inbox-tasks-reminded-escalated-closed', await handle.fetchHistory());
});
