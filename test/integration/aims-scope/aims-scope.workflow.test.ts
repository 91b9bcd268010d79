/**
 * The AIMS scope (4.3) and the deployment gate, on a real Temporal dev server with a real SQLite evidence
 * store: a statement proposed by the AIMS owner and approved by top management; a system the statement does
 * not name registers and the AIMS owner is asked to decide; decided out of scope, its deployment is refused
 * with OUT_OF_AIMS_SCOPE (naming the decision the gate used); decided in, it passes; a new version of the
 * statement that puts it out blocks it again. With AIMS_RECORD_HISTORIES=1 both runs are kept as replay fixtures.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  AIMS_SCOPE_STREAM,
  AIMS_SCOPE_WORKFLOW_ID,
  evolveRecorded,
  INITIAL_AIMS_SCOPE_STATE,
  type AimsScopeState,
  type ScopeStatementInput,
} from '../../../domain/aims-scope';
import type { Actor } from '../../../domain/shared/roles';
import type { aimsScope } from '../../../workflows';
import {
  aimsScopeStateQuery,
  decideAiSystemScopeUpdate,
  decideScopeStatementUpdate,
  proposeScopeStatementUpdate,
  type AimsScopeInput,
} from '../../../workflows/aims-scope.messages';
import { requestDeploymentUpdate } from '../../../workflows/ai-system-lifecycle.workflow';
import {
  collect,
  deploymentRequest,
  driveToSignedOff,
  eventually,
  EVIDENCE_TO_SIGNED_OFF,
  expectEvidenceMatchesDomain,
  LifecycleDriver,
  recordHistoryFixture,
  registration,
  startHarness,
  startLifecycle,
  type Harness,
} from '../ai-system-lifecycle/lifecycle-harness';

jest.setTimeout(180_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

const statement = (systemsOut: ScopeStatementInput['systemsOut'] = []): ScopeStatementInput => ({
  organisationalUnits: ['Retail credit'],
  locations: ['Lisbon'],
  lifecycleStages: ['development', 'deployment', 'operation'],
  systemsIn: ['credit-scoring'],
  systemsOut,
  thirdPartyServices: [
    { serviceId: 'llm-api', provider: 'Example LLM Inc.', description: 'Summaries', inScope: true, justification: 'Feeds decisions' },
  ],
  exclusions: [{ subject: 'Research sandbox', justification: 'Nothing is deployed from it' }],
});

let h: Harness;
let scope: WorkflowHandle<typeof aimsScope>;

beforeAll(async () => {
  h = await startHarness();
  await h.env.client.workflow.start('aimsScope', {
    taskQueue: h.taskQueue,
    workflowId: AIMS_SCOPE_WORKFLOW_ID,
    args: [{} satisfies AimsScopeInput],
  });
  scope = h.env.client.workflow.getHandle(AIMS_SCOPE_WORKFLOW_ID);
});
afterAll(async () => {
  await h?.stop();
});

async function recordedScope(): Promise<{ types: string[]; state: AimsScopeState }> {
  const types: string[] = [];
  let state = INITIAL_AIMS_SCOPE_STATE;
  for await (const e of h.store.readStream(AIMS_SCOPE_STREAM)) {
    types.push(e.type);
    state = evolveRecorded(state, e);
  }
  return { types, state };
}

test('given a system decided out of scope, when its deployment is requested, then it is refused with OUT_OF_AIMS_SCOPE; decided in, it passes; a new statement putting it out blocks it again', async () => {
  // the statement: proposed by the AIMS owner, never approved by her, approved by top management
  const proposed = await scope.executeUpdate(proposeScopeStatementUpdate, {
    args: [{ by: amara, summary: 'First scope', statement: statement() }],
  });
  expect(proposed).toMatchObject({ subjectId: 'scope-proposal-1', taskId: 'scope-proposal-1-approval', version: 0 });
  const refused = await scope
    .executeUpdate(decideScopeStatementUpdate, {
      args: [{ by: erin, taskId: 'scope-proposal-1-approval', outcome: 'approved', reasons: [] }],
    })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(JSON.stringify((refused as WorkflowUpdateFailedError).cause)).toContain('MISSING_ROLE');
  await scope.executeUpdate(decideScopeStatementUpdate, {
    args: [{ by: tara, taskId: 'scope-proposal-1-approval', outcome: 'approved', reasons: [] }],
  });

  // a system the statement does not name registers: the AIMS owner is asked
  const reg = registration('scoped-model');
  const d = new LifecycleDriver(await startLifecycle(h.env, h.taskQueue, reg), h.store, reg.systemId);
  const asked = await eventually(
    () => scope.query(aimsScopeStateQuery),
    (s) => s.tasks.some((t) => t.kind === 'ai_system_scope_decision' && t.status === 'open'),
    'the scope to ask for a decision on the new system',
  );
  expect(asked.systems[reg.systemId]).toMatchObject({ systemId: reg.systemId, name: reg.name });
  await driveToSignedOff(d);

  const noted = async (count: number): Promise<void> => {
    await eventually(
      async () => (await collect(h.store.readStream(d.stream))).filter((e) => e.type === 'AimsScopeDecisionNoted').length,
      (n) => n >= count,
      `${count} scope decisions noted`,
    );
  };

  // out of scope, by the AIMS owner: the gate refuses, naming the decision it used
  const out = await scope.executeUpdate(decideAiSystemScopeUpdate, {
    args: [{ by: amara, systemId: reg.systemId, inScope: false, justification: 'Prototype for an internal hackathon' }],
  });
  const outEvidenceId = out.recorded.find((r) => r.type === 'AiSystemScopeDecided')?.evidenceId;
  await noted(1);
  const blocked = await d.send(requestDeploymentUpdate, deploymentRequest('run-1'));
  expect(blocked).toMatchObject({
    outcome: 'blocked',
    reasons: [
      {
        code: 'OUT_OF_AIMS_SCOPE',
        message: expect.stringContaining('Prototype for an internal hackathon'),
        scopeDecision: { causeEventId: outEvidenceId, basis: { kind: 'person', id: 'amara', role: 'aims_owner' } },
      },
    ],
  });

  // brought in scope: the gate lets it through to its approval
  await scope.executeUpdate(decideAiSystemScopeUpdate, {
    args: [{ by: amara, systemId: reg.systemId, inScope: true, justification: 'Now scores real applications' }],
  });
  await noted(2);
  const pending = await d.send(requestDeploymentUpdate, deploymentRequest('run-2'));
  expect(pending).toMatchObject({ outcome: 'pending', reasons: [] });

  // a new version of the statement puts it out: decided from the statement, the pending request blocked
  await scope.executeUpdate(proposeScopeStatementUpdate, {
    args: [
      {
        by: amara,
        summary: 'Hackathon systems out',
        statement: statement([{ systemId: reg.systemId, justification: 'Moved to the lab' }]),
      },
    ],
  });
  await scope.executeUpdate(decideScopeStatementUpdate, {
    args: [{ by: tara, taskId: 'scope-proposal-2-approval', outcome: 'approved', reasons: [] }],
  });
  await noted(3);
  const again = await d.send(requestDeploymentUpdate, deploymentRequest('run-3'));
  expect(again).toMatchObject({
    outcome: 'blocked',
    reasons: [{ code: 'OUT_OF_AIMS_SCOPE', scopeDecision: { basis: { kind: 'statement', version: 2, proposalId: 'scope-proposal-2' } } }],
  });

  const events = await expectEvidenceMatchesDomain(d, [
    ...EVIDENCE_TO_SIGNED_OFF,
    'AimsScopeDecisionNoted',
    'DeploymentRequested',
    'DeploymentBlocked',
    'AiPolicyAtGateNoted',
    'AimsScopeDecisionNoted',
    'DeploymentRequested',
    'HumanTaskOpened',
    'AimsScopeDecisionNoted',
    'HumanTaskSuperseded',
    'DeploymentBlocked',
    'AiPolicyAtGateNoted',
    'DeploymentRequested',
    'DeploymentBlocked',
    'AiPolicyAtGateNoted',
  ]);
  const notes = events.filter((e) => e.type === 'AimsScopeDecisionNoted');
  expect(notes.map((e) => [e.data.inScope, e.metadata.actor])).toEqual([
    [false, { id: 'aims:lifecycle', role: 'system' }],
    [true, { id: 'aims:lifecycle', role: 'system' }],
    [false, { id: 'aims:lifecycle', role: 'system' }],
  ]);
  expect(notes[0]?.metadata.causationId).toBe(outEvidenceId);
  expect(notes[0]?.metadata.iso42001).toEqual({ clauses: ['4.3'], controls: ['A.6.2.5'] });

  const { types, state } = await recordedScope();
  expect(types).toEqual([
    'ScopeStatementProposed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'ScopeStatementApproved',
    'AiSystemRegistrationNoted',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'AiSystemScopeDecided',
    'AiSystemScopeDecided',
    'ScopeStatementProposed',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'ScopeStatementApproved',
    'AiSystemScopeDecided',
  ]);
  expect(await scope.query(aimsScopeStateQuery)).toEqual(state);
  expect(state.versions.map((v) => [v.version, v.replacedAt === null])).toEqual([
    [1, false],
    [2, true],
  ]);
  expect((await h.store.verify()).intact).toBe(true);
  await recordHistoryFixture(scope, 'statement-decisions-and-gate', 'aims-scope');
  await recordHistoryFixture(d.handle, 'aims-scope-decisions-at-the-gate');
  await d.handle.terminate('test finished');
  await scope.terminate('test finished');
});
