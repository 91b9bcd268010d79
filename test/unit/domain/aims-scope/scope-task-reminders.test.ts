/**
 * The scope's tasks are reminded like every task: an open task past its due date is reminded once to the
 * roles that may take it; a system's scope decision left unanswered goes to top management; a statement's
 * approval is reminded only (nobody but top management may approve a scope). The task time the workflow
 * sets gives the due dates.
 */
import {
  decide,
  evolve,
  eventReferences,
  INITIAL_AIMS_SCOPE_STATE,
  nextScopeFollowUp,
  type AimsScopeCommand,
  type AimsScopeEvent,
  type AimsScopeState,
} from '../../../../domain/aims-scope';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_AIMS_SCOPE_STATE });
const DAY = 24 * 3_600_000;
const AT = '2026-01-05T10:00:00.000Z';
const owner: Actor = { id: 'amara', roles: ['aims_owner'] };
const top: Actor = { id: 'tara', roles: ['top_management'] };

const propose: AimsScopeCommand = {
  type: 'ProposeScopeStatement',
  proposalId: 'scope-proposal-1',
  approvalTaskId: 'scope-proposal-1-approval',
  summary: 'Scope v1',
  statement: {
    organisationalUnits: ['Retail credit'],
    locations: ['Lisbon'],
    lifecycleStages: ['operation'],
    systemsIn: ['credit-scoring'],
    systemsOut: [],
    thirdPartyServices: [],
    exclusions: [],
  },
  by: owner,
  at: AT,
};
const registered: AimsScopeCommand = {
  type: 'NoteAiSystemRegistration',
  systemId: 'fraud-detection',
  name: 'Fraud detection',
  causeEventId: 'ev-1',
  registeredAt: AT,
  taskId: 'scope-decision-1-fraud-detection',
  at: AT,
  taskTimeMs: 2 * DAY,
};

function run(...commands: AimsScopeCommand[]): { events: AimsScopeEvent[]; state: AimsScopeState } {
  let state: AimsScopeState = INITIAL_AIMS_SCOPE_STATE;
  const events: AimsScopeEvent[] = [];
  for (const c of commands) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    events.push(...r.value);
    state = r.value.reduce(evolve, state);
  }
  return { events, state };
}

const at = (ms: number): string => new Date(ms).toISOString();

describe('scope task reminders', () => {
  test('the task time set by the workflow gives the due date; absent, the ten days as before; a bad one is refused', () => {
    expect(run(registered).events[1]).toMatchObject({ type: 'HumanTaskOpened', dueAt: '2026-01-07T10:00:00.000Z' });
    expect(run(propose).events[1]).toMatchObject({ type: 'HumanTaskOpened', dueAt: '2026-01-15T10:00:00.000Z' });
    given([])
      .when({ ...propose, taskTimeMs: -1 })
      .then(expectError('VALIDATION_FAILED'));
  });

  test('a system’s scope decision: reminded to the AIMS owner when due, then escalated to top management, each once', () => {
    const opened = run(registered);
    const f = nextScopeFollowUp(opened.state, 5 * DAY);
    expect(f?.at).toBe(Date.parse('2026-01-07T10:00:00.000Z'));
    given(opened.events)
      .when({ type: 'SendScopeTaskReminder', taskId: 'scope-decision-1-fraud-detection', at: '2026-01-06T10:00:00.000Z' })
      .then(expectError('HUMAN_TASK_NOT_OVERDUE'));
    const reminded = given(opened.events)
      .when(f?.command('2026-01-07T10:00:00.000Z') as AimsScopeCommand)
      .then([
        {
          type: 'HumanTaskReminderSent',
          taskId: 'scope-decision-1-fraud-detection',
          dueAt: '2026-01-07T10:00:00.000Z',
          notifiedRoles: ['aims_owner'],
          notifiedPeople: [],
          by: { id: 'aims:scope', role: 'system' },
          at: '2026-01-07T10:00:00.000Z',
        },
      ]);
    expect(eventReferences(reminded.events[0])).toEqual(['5.3', 'A.3.2']);
    const g = nextScopeFollowUp(reminded.state, 5 * DAY);
    expect(g?.at).toBe(Date.parse('2026-01-12T10:00:00.000Z'));
    const escalated = given([...opened.events, ...reminded.events])
      .when(g?.command(at(g.at)) as AimsScopeCommand)
      .then([expect.objectContaining({ type: 'HumanTaskEscalated', escalatedTo: 'top_management' })]);
    expect(nextScopeFollowUp(escalated.state, 5 * DAY)).toBeNull();
  });

  test('a statement’s approval is reminded to top management and never escalated; a decided task is not reminded', () => {
    const opened = run(propose);
    const f = nextScopeFollowUp(opened.state, 5 * DAY);
    const reminded = given(opened.events)
      .when(f?.command('2026-01-15T10:00:00.000Z') as AimsScopeCommand)
      .then([expect.objectContaining({ type: 'HumanTaskReminderSent', notifiedRoles: ['top_management'] })]);
    expect(nextScopeFollowUp(reminded.state, 5 * DAY)).toBeNull();
    given([...opened.events, ...reminded.events])
      .when({ type: 'EscalateScopeTask', taskId: 'scope-proposal-1-approval', escalationAfterMs: 5 * DAY, at: '2026-02-15T10:00:00.000Z' })
      .then(expectError('HUMAN_TASK_NOT_ESCALATED'));
    const decided = run(propose, {
      type: 'DecideScopeStatement',
      taskId: 'scope-proposal-1-approval',
      outcome: 'approved',
      reasons: [],
      by: top,
      at: AT,
    });
    expect(nextScopeFollowUp(decided.state, 5 * DAY)).toBeNull();
  });
});
