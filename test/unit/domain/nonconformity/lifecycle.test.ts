/**
 * Whole corrective-action paths through decide/evolve, and the properties the workflow and the evidence
 * store rely on: plain-JSON state and events, no mutation, a total evolve.
 */
import type { JsonObject } from '../../../../infra/ports/event-store.port';
import {
  decide,
  evolve,
  replay,
  NONCONFORMITY_EVENT_TYPES,
  isNonconformityEventType,
  nonconformityStreamName,
  nonconformityEventActor,
  nonconformityEventData,
  NONCONFORMITY_ISO_42001_REFERENCES,
  type NonconformityCommand,
  type NonconformityEvent,
  type NonconformityState,
} from '../../../../domain/nonconformity';
import { isAnnexAControlId, isClauseId } from '../../../../domain/catalogue';
import {
  NC,
  analyse,
  approve,
  complete,
  contain,
  day,
  engineer,
  given,
  history,
  plan,
  raise,
  recorded,
  reject,
  review,
} from './nonconformity-fixtures';

/** Fails unless `value` is made only of JSON values: no undefined, Date, Map, Set or class instance. */
function expectPlainJson(value: unknown, path = '$'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is not a finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => expectPlainJson(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) throw new Error(`${path}.${k} is undefined`);
      expectPlainJson(v, `${path}.${k}`);
    }
    return;
  }
  throw new Error(`${path} is not plain JSON (${Object.prototype.toString.call(value)})`);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Runs commands one by one against a deep-frozen state, as a workflow would, and returns every event. */
function run(commands: NonconformityCommand[]): { state: NonconformityState; events: NonconformityEvent[] } {
  let state: NonconformityState = null;
  const events: NonconformityEvent[] = [];
  for (const command of commands) {
    const result = decide(deepFreeze(command), deepFreeze(state));
    if (!result.ok) throw new Error(`${command.type}: ${result.error.code}`);
    for (const event of result.value) {
      state = evolve(deepFreeze(state), deepFreeze(event));
      events.push(event);
    }
  }
  return { state, events };
}

describe('a monitoring breach corrected and closed', () => {
  const commands: NonconformityCommand[] = [
    raise(),
    contain(),
    analyse(),
    plan(),
    approve(),
    complete('act-retrain', day(5)),
    complete('act-drift-alert', day(6)),
    { type: 'MarkEffectivenessReviewDue', nonconformityId: NC, at: day(36) },
    review('effective', day(37)),
  ];

  it('given the commands of each role in turn, when all are decided on frozen inputs, then it closes with the full record', () => {
    const { state, events } = run(commands);
    expect(events.map((e) => e.type)).toEqual([
      'NonconformityRaised',
      'ContainmentRecorded',
      'RootCauseAnalysisSubmitted',
      'CorrectiveActionPlanSubmitted',
      'CorrectiveActionPlanApproved',
      'CorrectiveActionCompleted',
      'CorrectiveActionCompleted',
      'EffectivenessReviewScheduled',
      'EffectivenessReviewDue',
      'EffectivenessReviewRecorded',
      'NonconformityClosed',
    ]);
    expect(state).toMatchObject({ status: 'closed', closedAt: day(37), lastEventAt: day(37), reopenCount: 0 });
    expect(state?.rounds).toHaveLength(1);
    expect(state?.rounds[0].effectivenessReview).toEqual({
      scheduledAt: day(6),
      dueAt: day(36),
      dueNotifiedAt: day(36),
      result: {
        reviewedAt: day(37),
        reviewedBy: { id: 'rolf', role: 'risk_owner' },
        outcome: 'effective',
        findings: expect.any(String),
        evidenceRefs: ['monitoring-report-91'],
      },
    });
  });

  it('given the full history, when state and events go through JSON, then they come back identical and contain only JSON values', () => {
    const { state, events } = run(commands);
    expectPlainJson(state);
    events.forEach((e) => expectPlainJson(e));
    expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
    expect(JSON.parse(JSON.stringify(events))).toStrictEqual(events);
    // Events are the `data` of evidence envelopes: they must fit the store's JSON type.
    const asData: JsonObject[] = events;
    expect(asData).toHaveLength(events.length);
  });

  it('given the events replayed from their JSON form, when folded, then the state is the same as the live one', () => {
    const { state, events } = run(commands);
    expect(replay(JSON.parse(JSON.stringify(events)) as NonconformityEvent[])).toStrictEqual(state);
  });
});

describe('a plan rejected, then approved', () => {
  it('given a rejected plan, when a revised analysis and a second plan follow, then the second is approved and both decisions are kept', () => {
    const { state } = run([
      raise(),
      contain(),
      analyse(),
      plan(),
      reject(),
      analyse({ at: day(3.5), method: 'fishbone', causes: ['Stale training data', 'No drift monitoring'] }),
      plan({ at: day(4), planId: 'plan-2' }),
      approve({ at: day(5), planId: 'plan-2' }),
    ]);
    expect(state?.status).toBe('actions_in_progress');
    const round = state?.rounds[0];
    expect(round?.rootCauseAnalyses.map((a) => a.method)).toEqual(['five_whys', 'fishbone']);
    expect(round?.plans.map((p) => [p.planId, p.decision?.outcome])).toEqual([
      ['plan-1', 'rejected'],
      ['plan-2', 'approved'],
    ]);
  });
});

describe('an overdue action escalated', () => {
  it('given an action past due, when reminded, marked overdue, escalated and finally completed, then the record shows each step', () => {
    const { state } = run([
      raise(),
      contain(),
      analyse(),
      plan(),
      approve(),
      { type: 'IssueCorrectiveActionReminder', nonconformityId: NC, at: day(9), actionId: 'act-retrain' },
      { type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(10), actionId: 'act-retrain' },
      { type: 'EscalateCorrectiveAction', nonconformityId: NC, at: day(12), actionId: 'act-retrain', escalatedTo: 'aims_owner' },
      complete('act-retrain', day(13)),
    ]);
    const action = state?.rounds[0].plans[0].actions.find((a) => a.actionId === 'act-retrain');
    expect(action).toEqual({
      actionId: 'act-retrain',
      description: 'Retrain on data from 2024 onwards',
      owner: 'erin',
      dueDate: day(10),
      completion: { completedAt: day(13), completedBy: recorded(engineer), evidenceRefs: ['evidence-act-retrain'], note: null },
      remindersIssuedAt: [day(9)],
      overdueSince: day(10),
      escalations: [{ escalatedAt: day(12), escalatedTo: 'aims_owner', level: 1 }],
    });
  });
});

describe('an ineffective correction reopened and closed on the second round', () => {
  const firstRound: NonconformityCommand[] = [
    raise(),
    contain(),
    analyse(),
    plan(),
    approve(),
    complete('act-retrain', day(5)),
    complete('act-drift-alert', day(6)),
    review('ineffective', day(36)),
  ];

  it('given round 1 found ineffective, when round 2 runs to an effective review, then it closes with both rounds kept and one reopening', () => {
    const { state, events } = run([
      ...firstRound,
      analyse({ at: day(37), method: 'fault_tree', causes: ['Label noise in the 2024 data'] }),
      plan({
        at: day(38),
        planId: 'plan-2',
        actions: [{ actionId: 'act-relabel', description: 'Relabel the 2024 data', owner: 'erin', dueDate: day(50) }],
      }),
      approve({ at: day(39), planId: 'plan-2' }),
      complete('act-relabel', day(45)),
      review('effective', day(75)),
    ]);
    expect(events.filter((e) => e.type === 'NonconformityReopened')).toHaveLength(1);
    expect(state).toMatchObject({ status: 'closed', reopenCount: 1, closedAt: day(75) });
    expect(state?.rounds.map((r) => [r.round, r.effectivenessReview?.result?.outcome, r.plans.map((p) => p.planId)])).toEqual([
      [1, 'ineffective', ['plan-1']],
      [2, 'effective', ['plan-2']],
    ]);
    expect(state?.rounds[1].effectivenessReview?.dueAt).toBe(day(75));
  });

  it("given round 1 found ineffective, when round 2's plan reuses an approved action id, then DUPLICATE_ID", () => {
    const reopened = history(...firstRound, analyse({ at: day(37) }));
    const error = given(reopened)
      .when(plan({ at: day(38), planId: 'plan-2' }))
      .thenError('DUPLICATE_ID');
    expect(error.details).toMatchObject({ kind: 'corrective_action', ids: ['act-retrain', 'act-drift-alert'] });
  });

  it('given round 2 in progress, when a round-1 action is completed again, then it is unknown to the current round', () => {
    const round2 = history(
      ...firstRound,
      analyse({ at: day(37) }),
      plan({ at: day(38), planId: 'plan-2', actions: [{ actionId: 'act-2', description: 'Relabel', owner: 'erin', dueDate: day(50) }] }),
      approve({ at: day(39), planId: 'plan-2' }),
    );
    given(round2)
      .when(complete('act-retrain', day(40)))
      .thenError('UNKNOWN_CORRECTIVE_ACTION');
  });
});

describe('evolve is total and never mutates', () => {
  const raised = history(raise());

  it('given no nonconformity, when an event other than the raise arrives, then the state stays null', () => {
    expect(evolve(null, history(raise(), contain())[1])).toBeNull();
  });

  it("given nonconformity A, when another nonconformity's event arrives, then A is unchanged (same object)", () => {
    const state = replay(raised);
    const foreign = { ...history(raise(), contain())[1], nonconformityId: 'nc-other' };
    expect(evolve(state, foreign)).toBe(state);
  });

  it('given a raised nonconformity, when a second raise event arrives, then the first raise stands', () => {
    const state = replay(raised);
    expect(evolve(state, { ...raised[0], title: 'Another title' } as NonconformityEvent)).toBe(state);
  });

  it('given a raised nonconformity, when an event type this version does not know arrives, then the state is unchanged', () => {
    const state = replay(raised);
    const future = { type: 'NonconformityArchived', nonconformityId: NC, at: day(1) } as unknown as NonconformityEvent; // a later version's event
    expect(evolve(state, future)).toBe(state);
  });

  it('given an event for a round that is not current, when folded, then it is ignored', () => {
    const state = replay(history(raise(), contain()));
    const stale = { ...history(raise(), contain(), analyse())[2], round: 7 } as NonconformityEvent;
    expect(evolve(state, stale)).toBe(state);
  });
});

describe('event catalogue', () => {
  it('given the event type list, when checked, then it names every event the issue asks for and the stream is nonconformity-<id>', () => {
    for (const type of [
      'NonconformityRaised',
      'ContainmentRecorded',
      'RootCauseAnalysisSubmitted',
      'CorrectiveActionPlanSubmitted',
      'CorrectiveActionPlanApproved',
      'CorrectiveActionPlanRejected',
      'CorrectiveActionCompleted',
      'CorrectiveActionOverdue',
      'CorrectiveActionReminderIssued',
      'CorrectiveActionEscalated',
      'EffectivenessReviewDue',
      'EffectivenessReviewRecorded',
      'NonconformityClosed',
      'NonconformityReopened',
    ]) {
      expect(isNonconformityEventType(type)).toBe(true);
    }
    expect(isNonconformityEventType('AiSystemRegistered')).toBe(false);
    expect(new Set(NONCONFORMITY_EVENT_TYPES).size).toBe(NONCONFORMITY_EVENT_TYPES.length);
    expect(nonconformityStreamName(NC)).toBe('nonconformity-nc-2025-001');
  });
});

describe('events as evidence', () => {
  const { events } = run([
    raise(),
    contain(),
    analyse(),
    plan(),
    approve(),
    { type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(10), actionId: 'act-retrain' },
    complete('act-retrain', day(11)),
    complete('act-drift-alert', day(12)),
    review('ineffective', day(42)),
  ]);

  it('given recorded events, when turned into evidence data, then everything but the type is kept', () => {
    const data = nonconformityEventData(events[0]);
    expect(data).not.toHaveProperty('type');
    expect({ type: events[0].type, ...data }).toStrictEqual(events[0]);
  });

  it('given recorded events, when their actor is asked, then people are named and timer-driven steps have none', () => {
    expect(events.map((e) => [e.type, nonconformityEventActor(e)?.id ?? null])).toEqual([
      ['NonconformityRaised', 'ci-monitoring'],
      ['ContainmentRecorded', 'erin'],
      ['RootCauseAnalysisSubmitted', 'erin'],
      ['CorrectiveActionPlanSubmitted', 'erin'],
      ['CorrectiveActionPlanApproved', 'ana'],
      ['CorrectiveActionOverdue', null],
      ['CorrectiveActionCompleted', 'erin'],
      ['CorrectiveActionCompleted', 'omar'],
      ['EffectivenessReviewScheduled', null],
      ['EffectivenessReviewRecorded', 'rolf'],
      ['NonconformityReopened', null],
    ]);
  });

  it('given the reference table, when checked against the catalogue, then every event cites 10.2 and only real ids', () => {
    expect(Object.keys(NONCONFORMITY_ISO_42001_REFERENCES).sort()).toEqual([...NONCONFORMITY_EVENT_TYPES].sort());
    for (const ids of Object.values(NONCONFORMITY_ISO_42001_REFERENCES)) {
      expect(ids).toContain('10.2');
      for (const id of ids) expect(isClauseId(id) || isAnnexAControlId(id)).toBe(true);
    }
  });
});
