/**
 * The `internalAudit` workflow on a real Temporal server with a real SQLite evidence store: an audit is
 * planned (an auditor responsible for an area of the scope is refused), evidence is sampled as of a stated
 * position (a record the sampler authored is refused), a major finding opens a linked nonconformity, and the
 * audit cannot close until that nonconformity's corrective-action plan is approved, which the nonconformity
 * tells the audit by signal. The report opens the lead auditor's follow-up task; left open past its due date
 * it is reminded and then escalated on the audit's timer, and closing the audit closes it.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { findingNonconformityId, internalAuditWorkflowId, type InternalAudit } from '../../../domain/internal-audit';
import { nonconformityWorkflowId } from '../../../domain/nonconformity';
import type { Actor } from '../../../domain/shared/roles';
import type { internalAudit } from '../../../workflows';
import {
  closeAuditUpdate,
  internalAuditStateQuery,
  issueReportUpdate,
  recordChecklistResultUpdate,
  recordFindingUpdate,
  recordSampleUpdate,
  startFieldworkUpdate,
  type InternalAuditInput,
} from '../../../workflows/internal-audit.messages';
import {
  approveCorrectiveActionPlanUpdate,
  nonconformityStateQuery,
  recordContainmentUpdate,
  submitCorrectiveActionPlanUpdate,
  submitRootCauseAnalysisUpdate,
} from '../../../workflows/nonconformity.messages';
import {
  eventually,
  expectRefused,
  FAST_TIMING,
  inSeconds,
  people,
  readStream,
  startHarness,
  type Harness,
} from '../nonconformity/nonconformity-harness';
import { writeHistoryFixture } from '../../support/history-fixtures';

jest.setTimeout(120_000);

const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const ines: Actor = { id: 'ines', roles: ['internal_auditor'] };
const ivan: Actor = { id: 'ivan', roles: ['internal_auditor'] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const planFor = (auditId: string, overrides: Partial<InternalAuditInput> = {}): InternalAuditInput => ({
  auditId,
  title: 'Validation and deployment of credit-scoring',
  programmeId: null,
  scope: [
    { kind: 'control', id: 'A.6.2.4' },
    { kind: 'ai_system', id: 'credit-scoring' },
  ],
  criteria: [{ criterionId: 'C1', text: 'Validation results are signed off by an independent validator (A.6.2.4)' }],
  leadAuditor: 'ines',
  team: ['ivan'],
  plannedStart: inSeconds(0),
  plannedEnd: inSeconds(14 * 86_400),
  responsibilities: [
    { area: { kind: 'ai_system', id: 'credit-scoring' }, personIds: ['erin'] },
    { area: { kind: 'process', id: 'procurement' }, personIds: ['ines'] },
  ],
  by: olivia,
  nonconformityTiming: FAST_TIMING,
  ...overrides,
});

test('an internal auditor responsible for an area of the scope cannot audit it: the audit is never planned', async () => {
  const auditId = `ia-own-${h.runTag}`;
  const handle = await h.env.client.workflow.start('internalAudit', {
    taskQueue: h.taskQueue,
    workflowId: internalAuditWorkflowId(auditId),
    args: [planFor(auditId, { scope: [{ kind: 'process', id: 'procurement' }] })],
  });
  const failure = await handle.result().catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'AUDITOR_NOT_INDEPENDENT' });
  expect(await readStream(h.store, internalAuditWorkflowId(auditId))).toEqual([]);
});

test('given a sample as of a position, when a major finding is recorded, then a linked nonconformity opens and the audit closes only once its plan is approved', async () => {
  // given: records in the evidence, one signed off by a validator, one recorded by ivan
  const [signedOff, byIvan, later] = [randomUUID(), randomUUID(), randomUUID()];
  const stream = `ai-system-credit-scoring-${h.runTag}`;
  await h.store.append(stream, [
    { id: signedOff, type: 'ValidationSignedOff', data: { validationId: 'v1' }, metadata: { actor: { id: 'victor', role: 'validator' } } },
    { id: byIvan, type: 'DatasetRegistered', data: { datasetId: 'd1' }, metadata: { actor: { id: 'ivan', role: 'engineer' } } },
  ]);
  const asOf = (await h.store.head())?.position ?? 0;
  await h.store.append(stream, [
    { id: later, type: 'ValidationSignedOff', data: { validationId: 'v2' }, metadata: { actor: { id: 'victor', role: 'validator' } } },
  ]);

  const auditId = `ia-${h.runTag}`;
  await h.env.client.workflow.start('internalAudit', {
    taskQueue: h.taskQueue,
    workflowId: internalAuditWorkflowId(auditId),
    args: [planFor(auditId)],
  });
  const audit = h.env.client.workflow.getHandle<typeof internalAudit>(internalAuditWorkflowId(auditId));

  await expectRefused(audit.executeUpdate(startFieldworkUpdate, { args: [{ by: ivan }] }), 'NOT_ON_AUDIT_TEAM');
  await audit.executeUpdate(startFieldworkUpdate, { args: [{ by: ines }] });
  // independence: ivan may not sample a record he authored; a record after the position is not in the store then
  await expectRefused(
    audit.executeUpdate(recordSampleUpdate, { args: [{ by: ivan, sampleId: 'S1', asOfPosition: asOf, eventIds: [signedOff, byIvan] }] }),
    'AUDITOR_NOT_INDEPENDENT',
  );
  await expectRefused(
    audit.executeUpdate(recordSampleUpdate, { args: [{ by: ines, sampleId: 'S1', asOfPosition: asOf, eventIds: [signedOff, later] }] }),
    'EVIDENCE_NOT_FOUND',
  );
  const sampled = await audit.executeUpdate(recordSampleUpdate, {
    args: [{ by: ines, sampleId: 'S1', asOfPosition: asOf, eventIds: [signedOff, byIvan] }],
  });
  expect(sampled.audit?.samples[0]).toMatchObject({
    asOfPosition: asOf,
    records: [
      { eventId: signedOff, stream, authorId: 'victor', position: asOf - 1 },
      { eventId: byIvan, stream, authorId: 'ivan', position: asOf },
    ],
  });
  await audit.executeUpdate(recordChecklistResultUpdate, {
    args: [{ by: ines, criterionId: 'C1', result: 'does_not_conform', evidenceRefs: [signedOff], note: 'signed off after deployment' }],
  });
  await expectRefused(
    audit.executeUpdate(recordFindingUpdate, {
      args: [{ by: ivan, findingId: 'F0', type: 'observation', statement: 'x', evidenceRefs: [byIvan] }],
    }),
    'AUDITOR_NOT_INDEPENDENT',
  );
  const found = await audit.executeUpdate(recordFindingUpdate, {
    args: [
      {
        by: ines,
        findingId: 'F1',
        type: 'major_nonconformity',
        criterionId: 'C1',
        area: { kind: 'control', id: 'A.6.2.4' },
        statement: 'Validation v1 was signed off after the model was deployed.',
        evidenceRefs: [signedOff],
      },
    ],
  });
  const ncId = findingNonconformityId(auditId, 'F1');
  expect(found.nonconformityId).toBe(ncId);
  await audit.executeUpdate(issueReportUpdate, {
    args: [{ by: ines, summary: 'One criterion audited', conclusion: 'One major nonconformity' }],
  });

  // when: the audit's lead tries to close while the corrective action has no approved plan
  await expectRefused(audit.executeUpdate(closeAuditUpdate, { args: [{ by: ines }] }), 'CORRECTIVE_ACTION_PENDING');

  // the linked nonconformity runs, raised by the auditor, caused by the finding's evidence
  const nc = h.env.client.workflow.getHandle(nonconformityWorkflowId(ncId));
  await eventually(
    () => nc.query(nonconformityStateQuery),
    (s) => s !== null,
    'the nonconformity to be raised',
  );
  await nc.executeUpdate(recordContainmentUpdate, { args: [{ by: people.olga, actions: ['Deployments held until sign-off'] }] });
  await nc.executeUpdate(submitRootCauseAnalysisUpdate, {
    args: [{ by: people.erin, method: 'five_whys', causes: ['The gate did not check sign-off'], contributingFactors: [] }],
  });
  await nc.executeUpdate(submitCorrectiveActionPlanUpdate, {
    args: [
      {
        by: people.rolf,
        planId: 'plan-1',
        actions: [{ actionId: 'a1', description: 'Gate on sign-off', owner: 'erin', dueDate: inSeconds(3600) }],
      },
    ],
  });
  await expectRefused(audit.executeUpdate(closeAuditUpdate, { args: [{ by: ines }] }), 'CORRECTIVE_ACTION_PENDING');
  await nc.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-1' }] });

  // then: the audit hears of the approval and may close
  await eventually(
    () => audit.query(internalAuditStateQuery),
    (s) => s?.findings[0]?.correctiveAction === 'plan_approved',
    'the audit to hear of the approved plan',
  );
  await expectRefused(audit.executeUpdate(closeAuditUpdate, { args: [{ by: ivan }] }), 'NOT_ON_AUDIT_TEAM');
  await audit.executeUpdate(closeAuditUpdate, { args: [{ by: ines }] });
  const closed: InternalAudit = await audit.result();
  expect(closed.status).toBe('closed');

  const events = await readStream(h.store, internalAuditWorkflowId(auditId));
  expect(events.map((e) => e.type)).toEqual([
    'AuditPlanned',
    'AuditFieldworkStarted',
    'AuditSampleRecorded',
    'AuditChecklistResultRecorded',
    'AuditFindingRecorded',
    'AuditReportIssued',
    'HumanTaskOpened', // the lead auditor's follow-up task
    'FindingCorrectiveActionNoted',
    'AuditClosed',
    'HumanTaskDecided', // closing the audit closes the follow-up
  ]);
  expect(events.map((e) => `${e.metadata.actor?.id}/${e.metadata.actor?.role}`)).toEqual([
    'olivia/aims_owner',
    'ines/internal_auditor',
    'ines/internal_auditor',
    'ines/internal_auditor',
    'ines/internal_auditor',
    'ines/internal_auditor',
    'ines/internal_auditor',
    'aims:internal-audit/system',
    'ines/internal_auditor',
    'ines/internal_auditor',
  ]);
  expect(events[6].data).toMatchObject({ kind: 'internal_audit_follow_up', assignee: 'ines', taskId: `${auditId}-follow-up` });
  expect(events[4].metadata.iso42001).toEqual({ clauses: ['9.2.1', '10.2'], controls: [] });
  // the two streams link: the raise names the finding as its cause, and is the auditor's act
  const [raised] = await readStream(h.store, nonconformityWorkflowId(ncId));
  expect(raised).toMatchObject({
    type: 'NonconformityRaised',
    data: { source: 'internal_audit_finding', severity: 'major', annexAControlIds: ['A.6.2.4'] },
    metadata: {
      causationId: events[4].id,
      correlationId: internalAuditWorkflowId(auditId),
      actor: { id: 'ines', role: 'internal_auditor' },
    },
  });
  writeHistoryFixture('internal-audit', 'major-finding-blocks-closure-until-plan-approved', await audit.fetchHistory());
});

test('given a reported audit left open, when its follow-up falls due, then the lead auditor and team are reminded, the AIMS owner is told after that, and closing ends the task', async () => {
  const sampled = randomUUID();
  await h.store.append(`ai-system-fraud-${h.runTag}`, [
    { id: sampled, type: 'ValidationSignedOff', data: { validationId: 'v9' }, metadata: { actor: { id: 'victor', role: 'validator' } } },
  ]);
  const asOf = (await h.store.head())?.position ?? 0;
  const auditId = `ia-follow-${h.runTag}`;
  await h.env.client.workflow.start('internalAudit', {
    taskQueue: h.taskQueue,
    workflowId: internalAuditWorkflowId(auditId),
    args: [planFor(auditId, { followUpTiming: { followUpTime: 'PT2S', escalationDelay: 'PT2S' } })],
  });
  const audit = h.env.client.workflow.getHandle<typeof internalAudit>(internalAuditWorkflowId(auditId));
  await audit.executeUpdate(startFieldworkUpdate, { args: [{ by: ines }] });
  await audit.executeUpdate(recordSampleUpdate, { args: [{ by: ines, sampleId: 'S1', asOfPosition: asOf, eventIds: [sampled] }] });
  await audit.executeUpdate(recordChecklistResultUpdate, {
    args: [{ by: ines, criterionId: 'C1', result: 'conforms', evidenceRefs: [sampled] }],
  });
  const reported = await audit.executeUpdate(issueReportUpdate, { args: [{ by: ines, summary: 'One criterion', conclusion: 'Conforms' }] });
  expect(reported.audit?.followUp).toMatchObject({ status: 'open', assignee: 'ines', reminderSentAt: null });

  const escalated = await eventually(
    () => audit.query(internalAuditStateQuery),
    (s) => typeof s?.followUp?.escalatedAt === 'string',
    'the follow-up reminded, then escalated',
  );
  expect(escalated?.followUp).toMatchObject({ status: 'open', escalatedTo: 'aims_owner' });
  await audit.executeUpdate(closeAuditUpdate, { args: [{ by: ines }] });
  expect((await audit.result()).followUp?.status).toBe('decided');

  const events = await readStream(h.store, internalAuditWorkflowId(auditId));
  const followUp = events.filter((e) => e.type.startsWith('HumanTask')).map((e) => [e.type, e.metadata.actor?.id]);
  expect(followUp).toEqual([
    ['HumanTaskOpened', 'ines'],
    ['HumanTaskReminderSent', 'aims:internal-audit'],
    ['HumanTaskEscalated', 'aims:internal-audit'],
    ['HumanTaskDecided', 'ines'],
  ]);
  expect(events.find((e) => e.type === 'HumanTaskReminderSent')?.data).toMatchObject({
    notifiedRoles: [],
    notifiedPeople: ['ines', 'ivan'],
    pending: [],
  });
  writeHistoryFixture('internal-audit', 'follow-up-reminded-escalated-closed', await audit.fetchHistory());
});
