/**
 * The scope's tasks reminded on a real Temporal server with a real SQLite evidence store: a proposed
 * statement's approval, left undecided, is reminded to top management (never escalated); a registered
 * system the statement does not name opens a scope decision for the AIMS owner, reminded and then
 * escalated to top management, who decides it. The evidence folds to the workflow's state and the run
 * carries the patch marker. With AIMS_RECORD_HISTORIES=1 the run is a replay fixture.
 */
import { AIMS_SCOPE_STREAM, AIMS_SCOPE_WORKFLOW_ID, evolveRecorded, INITIAL_AIMS_SCOPE_STATE } from '../../../domain/aims-scope';
import type { Actor } from '../../../domain/shared/roles';
import type { aimsScope } from '../../../workflows';
import {
  aimsScopeStateQuery,
  decideAiSystemScopeUpdate,
  decideScopeStatementUpdate,
  proposeScopeStatementUpdate,
  type AimsScopeInput,
} from '../../../workflows/aims-scope.messages';
import { aiSystemRegisteredSignal } from '../../../workflows/scope-signals';
import { eventually } from '../../support/eventually';
import { recordHistoryFixture } from '../ai-system-lifecycle/lifecycle-harness';
import { startHarness, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('overdue scope tasks are reminded; a system’s scope decision goes on to top management, who decides it', async () => {
  const input: AimsScopeInput = { timing: { taskTime: 'PT2S', escalationDelay: 'PT2S' } };
  const handle = await h.env.client.workflow.start<typeof aimsScope>('aimsScope', {
    taskQueue: h.taskQueue,
    workflowId: AIMS_SCOPE_WORKFLOW_ID,
    args: [input],
  });
  const proposed = await handle.executeUpdate(proposeScopeStatementUpdate, {
    args: [
      {
        by: amara,
        summary: 'First scope',
        statement: {
          organisationalUnits: ['Retail credit'],
          locations: ['Lisbon'],
          lifecycleStages: ['development', 'operation'],
          systemsIn: ['credit-scoring'],
          systemsOut: [],
          thirdPartyServices: [],
          exclusions: [],
        },
      },
    ],
  });
  await handle.signal(aiSystemRegisteredSignal, {
    systemId: 'fraud-detection',
    name: 'Fraud detection',
    causeEventId: 'registration-evidence-1',
    registeredAt: new Date().toISOString(),
  });

  const escalated = await eventually(
    () => handle.query(aimsScopeStateQuery),
    (s) => s.tasks.some((t) => t.escalatedAt !== null) && s.tasks.every((t) => t.reminderSentAt !== null),
    'both tasks reminded and the scope decision escalated',
  );
  expect(escalated.tasks.map((t) => [t.kind, t.status, t.reminderSentAt !== null, t.escalatedTo])).toEqual([
    ['aims_scope_approval', 'open', true, null],
    ['ai_system_scope_decision', 'open', true, 'top_management'],
  ]);

  const decided = await handle.executeUpdate(decideAiSystemScopeUpdate, {
    args: [{ by: tara, systemId: 'fraud-detection', inScope: true, justification: 'Screens customer payments' }],
  });
  expect(decided.recorded.map((r) => r.type)).toEqual(['HumanTaskDecided', 'AiSystemScopeDecided']);
  await handle.executeUpdate(decideScopeStatementUpdate, {
    args: [{ by: tara, taskId: proposed.taskId ?? '', outcome: 'approved', reasons: [] }],
  });

  const recorded = [];
  let state = INITIAL_AIMS_SCOPE_STATE;
  for await (const e of h.store.readStream(AIMS_SCOPE_STREAM)) {
    recorded.push(e);
    state = evolveRecorded(state, e);
  }
  const types = recorded.map((e) => e.type);
  expect(types.filter((t) => t === 'HumanTaskReminderSent')).toHaveLength(2);
  expect(types.filter((t) => t === 'HumanTaskEscalated')).toHaveLength(1);
  expect(types.slice(-2)).toEqual(['HumanTaskDecided', 'ScopeStatementApproved']);
  const reminders = recorded.filter((e) => e.type === 'HumanTaskReminderSent').map((e) => e.data.notifiedRoles);
  expect(reminders).toEqual(expect.arrayContaining([['top_management'], ['aims_owner']]));
  expect(recorded.find((e) => e.type === 'HumanTaskEscalated')?.data).toMatchObject({
    taskId: 'scope-decision-2-fraud-detection',
    escalatedTo: 'top_management',
  });
  expect(await handle.query(aimsScopeStateQuery)).toEqual(state);
  expect(state.tasks.every((t) => t.status === 'decided')).toBe(true);

  const history = await handle.fetchHistory();
  const patches = (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => Buffer.from(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? []).toString());
  expect(patches.filter((p) => p.includes('"aims-scope-task-reminders"'))).toHaveLength(1);
  expect((await h.store.verify()).intact).toBe(true);
  await recordHistoryFixture(handle, 'tasks-reminded-decision-escalated', 'aims-scope');
  await handle.terminate('test finished');
});
