/**
 * The AI policy in force at the deployment gate (5.2, A.2.2; issue 15 item 3), on a real Temporal dev
 * server with a real SQLite evidence store: a deployment approved before any AI policy is published records
 * that none was in force; once the AI policy is reviewed, approved by top management and published through
 * the `document` workflow, the next approval records that policy's id, version and content digest, caused
 * by the approval's own evidence, and the gate's view shows it. With AIMS_RECORD_HISTORIES=1 the second
 * run is kept as a replay fixture.
 */
import { createHash } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { approvalTaskIdOf, documentWorkflowId, reviewTaskIdOf } from '../../../domain/document';
import type { Actor } from '../../../domain/shared/roles';
import {
  decideTaskUpdate,
  deploymentRequestQuery,
  requestDeploymentUpdate,
  AI_POLICY_AT_GATE_PATCH,
} from '../../../workflows/ai-system-lifecycle.workflow';
import { AI_POLICY_LOCAL_READ_PATCH } from '../../../workflows/ai-system-lifecycle.policy';
import { decideDocumentTaskUpdate, submitDocumentVersionUpdate, type DocumentWorkflowInput } from '../../../workflows/document.messages';
import {
  collect,
  deploymentRequest,
  driveToSignedOff,
  EVIDENCE_TO_SIGNED_OFF,
  expectEvidenceMatchesDomain,
  LifecycleDriver,
  people,
  recordHistoryFixture,
  registration,
  startHarness,
  startLifecycle,
  type Harness,
} from './lifecycle-harness';

jest.setTimeout(180_000);

const alice: Actor = { id: 'alice-owner', roles: ['aims_owner'] };
const tess: Actor = { id: 'tess', roles: ['top_management'] };

const POLICY = [
  '# AI policy',
  '## Purpose',
  'We develop and use AI responsibly.',
  '## Commitments',
  'We commit to satisfy applicable requirements and to continual improvement of the AIMS.',
  '## Framework for objectives',
  'Top management sets AI objectives each year.',
  '## Related policies',
  '- Information security policy v4',
].join('\n');
const POLICY_DIGEST = `sha256:${createHash('sha256').update(POLICY, 'utf8').digest('hex')}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A system signed off, its deployment requested and approved by an approver: the approval's answer. */
async function approvedDeployment(systemId: string): Promise<{ d: LifecycleDriver; approvalEvidenceId: string | undefined }> {
  const reg = registration(systemId);
  const d = new LifecycleDriver(await startLifecycle(h.env, h.taskQueue, reg), h.store, reg.systemId);
  await driveToSignedOff(d);
  const pending = await d.send(requestDeploymentUpdate, deploymentRequest('run-1'));
  expect(pending).toMatchObject({ outcome: 'pending' });
  expect(pending).not.toHaveProperty('aiPolicy');
  const approved = await d.send(decideTaskUpdate, { by: people.bob, taskId: pending.approvalTaskId as string, outcome: 'approved' });
  expect(approved.recorded.map((r) => r.type)).toEqual(['HumanTaskDecided', 'DeploymentApproved', 'AiPolicyAtGateNoted']);
  return { d, approvalEvidenceId: approved.recorded.find((r) => r.type === 'DeploymentApproved')?.evidenceId };
}

test('a deployment approved before any AI policy records none in force; after the policy is published, the next records its version and digest', async () => {
  // no AI policy yet: the decision records that none was in force
  const first = await approvedDeployment('before-policy');
  expect(await first.d.handle.query(deploymentRequestQuery, 'run-1')).toMatchObject({
    outcome: 'allowed',
    aiPolicy: { decision: 'approved', decisionEventId: first.approvalEvidenceId, policies: [] },
  });

  // the AI policy: submitted by the AIMS owner, reviewed by the risk owner, approved by top management
  const documentId = `ai-policy-${h.taskQueue.slice(h.taskQueue.lastIndexOf('-') + 1)}`;
  const input: DocumentWorkflowInput = {
    documentId,
    kind: 'ai_policy',
    title: 'AI policy',
    owner: alice.id,
    classification: 'internal',
    retention: 'P7Y',
    acknowledgementRoles: [],
    by: alice,
  };
  const policy = await h.env.client.workflow.start('document', {
    taskQueue: h.taskQueue,
    workflowId: documentWorkflowId(documentId),
    args: [input],
  });
  await policy.executeUpdate(submitDocumentVersionUpdate, {
    args: [
      {
        by: alice,
        markdown: POLICY,
        markdownDigest: POLICY_DIGEST,
        changeSummary: 'First issue',
        change: { reason: 'The AIMS needs a policy (5.2)', consequences: 'Every AI system follows it' },
      },
    ],
  });
  await policy.executeUpdate(decideDocumentTaskUpdate, {
    args: [{ by: people.rita, taskId: reviewTaskIdOf(documentId, 1), outcome: 'approved', reasons: [] }],
  });
  const published = await policy.executeUpdate(decideDocumentTaskUpdate, {
    args: [{ by: tess, taskId: approvalTaskIdOf(documentId, 1), outcome: 'approved', reasons: [] }],
  });
  const publishedAt = published.document.versions[0]?.publishedAt;
  expect(publishedAt).toEqual(expect.any(String));

  // the next decision records the policy in force, caused by the decision's own evidence
  const second = await approvedDeployment('after-policy');
  const view = await second.d.handle.query(deploymentRequestQuery, 'run-1');
  expect(view?.aiPolicy).toEqual({
    decision: 'approved',
    decisionEventId: second.approvalEvidenceId,
    decidedAt: expect.any(String),
    policies: [{ documentId, title: 'AI policy', version: 1, markdownDigest: POLICY_DIGEST, attachmentDigests: [], publishedAt }],
    source: expect.any(String),
    notedAt: expect.any(String),
  });
  const events = await expectEvidenceMatchesDomain(second.d, [
    ...EVIDENCE_TO_SIGNED_OFF,
    'DeploymentRequested',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'DeploymentApproved',
    'AiPolicyAtGateNoted',
  ]);
  const noted = events.find((e) => e.type === 'AiPolicyAtGateNoted');
  expect(noted?.metadata).toMatchObject({ causationId: second.approvalEvidenceId, actor: { role: 'system' } });

  // the run's history carries the patch markers (runs without them replay as before: no activity, no note;
  // or the read as a scheduled activity) and the read ran as a local activity: no activity was scheduled
  // after the approval (only the local activities' markers)
  const patches = ((await second.d.handle.fetchHistory()).events ?? [])
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    .map((m) => defaultPayloadConverter.fromPayload<{ id: string }>(m?.details?.['patch-data']?.payloads?.[0] as Payload).id);
  expect(patches).toContain(AI_POLICY_AT_GATE_PATCH);
  expect(patches).toContain(AI_POLICY_LOCAL_READ_PATCH);
  const scheduled = ((await second.d.handle.fetchHistory()).events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
    .filter((name): name is string => typeof name === 'string');
  expect(scheduled).not.toContain('aiPolicyInForce');
  await recordHistoryFixture(second.d.handle, 'deployment-reads-ai-policy-locally');
  expect((await collect(h.store.readStream(first.d.stream))).filter((e) => e.type === 'AiPolicyAtGateNoted')).toHaveLength(1);
});
