import {
  countBySeverity,
  countByStatus,
  hasOverdueActions,
  measureNonconformities,
  meanTimeToClose,
  overdueCorrectiveActions,
  projectNonconformities,
  projectNonconformitiesAsync,
  recurrenceByAiSystem,
  recurrenceByControl,
  reopenedCorrections,
  replay,
  type Nonconformity,
  type NonconformityCommand,
  type NonconformityEvent,
} from '../../../../domain/nonconformity';
import { analyse, approve, complete, contain, day, history, plan, raise, review } from './nonconformity-fixtures';

const DAY_MS = 86_400_000;

function forNonconformity(id: string, commands: NonconformityCommand[]): NonconformityEvent[] {
  return history(...commands.map((c) => ({ ...c, nonconformityId: id })));
}

function stateOf(events: NonconformityEvent[]): Nonconformity {
  const state = replay(events);
  if (state === null) throw new Error('not raised');
  return state;
}

// A: major, closed after 36 days on the first round.
const eventsA = forNonconformity('nc-a', [
  raise({ severity: 'major', aiSystemIds: ['credit-scoring'], annexAControlIds: ['A.6.2.6'], clauseIds: ['9.1'] }),
  contain(),
  analyse(),
  plan(),
  approve(),
  complete('act-retrain', day(5)),
  complete('act-drift-alert', day(6)),
  review('effective', day(36)),
]);

// B: critical, two systems, both actions still open (act-retrain due day 10, act-drift-alert due 2025-03-20).
const eventsB = forNonconformity('nc-b', [
  raise({
    at: day(0.05),
    severity: 'critical',
    aiSystemIds: ['credit-scoring', 'support-chatbot'],
    annexAControlIds: ['A.6.2.6', 'A.7.4'],
    clauseIds: [],
  }),
  contain(),
  analyse(),
  plan(),
  approve(),
]);

// C: minor, found ineffective once, closed on round 2 after 75 days.
const eventsC = forNonconformity('nc-c', [
  raise({ severity: 'minor', source: 'complaint', aiSystemIds: ['support-chatbot'], annexAControlIds: [], clauseIds: ['7.5.3'] }),
  contain(),
  analyse(),
  plan(),
  approve(),
  complete('act-retrain', day(5)),
  complete('act-drift-alert', day(6)),
  review('ineffective', day(36)),
  analyse({ at: day(37) }),
  plan({
    at: day(38),
    planId: 'plan-2',
    actions: [{ actionId: 'act-c2', description: 'Rewrite the prompt policy', owner: 'erin', dueDate: day(50) }],
  }),
  approve({ at: day(39), planId: 'plan-2' }),
  complete('act-c2', day(45)),
  review('effective', day(75)),
]);

// D: minor internal audit finding on a clause only, just raised.
const eventsD = forNonconformity('nc-d', [
  raise({ severity: 'minor', source: 'internal_audit_finding', aiSystemIds: [], annexAControlIds: [], clauseIds: ['9.2.1'] }),
]);

const states = [eventsA, eventsB, eventsC, eventsD].map(stateOf);

describe('counts by status and severity', () => {
  it('given four nonconformities, when counted, then every status and severity appears, zero included', () => {
    expect(countByStatus(states)).toEqual({
      raised: 1,
      containment: 0,
      root_cause_analysis: 0,
      plan_approval: 0,
      actions_in_progress: 1,
      effectiveness_review: 0,
      closed: 2,
    });
    expect(countBySeverity(states)).toEqual({ minor: 2, major: 1, critical: 1 });
  });

  it('given no nonconformity, when counted, then all counts are zero and no mean is given', () => {
    const measures = measureNonconformities([], day(0));
    expect(measures.total).toBe(0);
    expect(Object.values(measures.byStatus).every((n) => n === 0)).toBe(true);
    expect(measures.timeToClose).toMatchObject({ closedCount: 0, meanMs: null, meanDays: null });
    expect(measures.reopenedCorrections.ineffectiveShare).toBeNull();
  });
});

describe('mean time to close', () => {
  it('given closures after 36 and 75 days, when measured, then the mean is 55.5 days, and per severity', () => {
    const result = meanTimeToClose(states);
    expect(result).toMatchObject({ closedCount: 2, meanMs: 55.5 * DAY_MS, meanDays: 55.5 });
    expect(result.bySeverity).toEqual({
      minor: { closedCount: 1, meanMs: 75 * DAY_MS, meanDays: 75 },
      major: { closedCount: 1, meanMs: 36 * DAY_MS, meanDays: 36 },
      critical: { closedCount: 0, meanMs: null, meanDays: null },
    });
  });
});

describe('overdue corrective actions', () => {
  it('given B with two open actions, when asked on day 20, then both are overdue, the most overdue first', () => {
    const overdue = overdueCorrectiveActions(states, day(20));
    expect(overdue.map((o) => [o.nonconformityId, o.actionId, o.overdueByMs])).toEqual([
      ['nc-b', 'act-retrain', 10 * DAY_MS],
      // due 2025-03-20 means overdue from 2025-03-21T00:00Z; day 20 is 2025-03-23T09:00Z
      ['nc-b', 'act-drift-alert', 2 * DAY_MS + 9 * 3_600_000],
    ]);
    expect(overdue[0]).toMatchObject({
      severity: 'critical',
      aiSystemIds: ['credit-scoring', 'support-chatbot'],
      owner: 'erin',
      round: 1,
      planId: 'plan-1',
      escalationLevel: 0,
    });
  });

  it('given the same states, when asked on day 9, then nothing is overdue yet', () => {
    expect(overdueCorrectiveActions(states, day(9))).toEqual([]);
  });

  it('given the same states, when asked at something that is not an instant, then a RangeError rather than a silent empty list', () => {
    expect(() => overdueCorrectiveActions(states, '2025-03-23')).toThrow(RangeError);
  });

  it('given C, whose round-2 plan was approved on day 39, when asked on day 20, then round 2 does not count yet', () => {
    expect(hasOverdueActions(states[2], day(20))).toBe(false);
    expect(hasOverdueActions(states[2], day(51))).toBe(false); // completed on day 45, before its due date
  });

  it('given an action completed three days late, when asked during the delay and after, then it is overdue only during', () => {
    const late = stateOf(forNonconformity('nc-late', [raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(13))]));
    expect(overdueCorrectiveActions([late], day(12)).map((o) => o.actionId)).toEqual(['act-retrain']);
    expect(overdueCorrectiveActions([late], day(14))).toEqual([]);
  });
});

describe('reopened (ineffective) corrections', () => {
  it('given C found ineffective once of three reviews, when measured, then one reopening and a share of 1/3', () => {
    expect(reopenedCorrections(states)).toEqual({
      ineffectiveReviewCount: 1,
      reopenedNonconformityCount: 1,
      ineffectiveShare: 0.3333,
      nonconformities: [
        {
          nonconformityId: 'nc-c',
          severity: 'minor',
          status: 'closed',
          reopenCount: 1,
          ineffectiveReviews: [{ round: 1, reviewedAt: day(36), reviewedBy: 'rolf', findings: 'Recall fell to 0.76 again in week 3' }],
        },
      ],
    });
  });
});

describe('recurrence per AI system and per control', () => {
  it('given credit-scoring in A and B and the chatbot in B and C, when measured, then both recur; the one with a reopening first', () => {
    expect(recurrenceByAiSystem(states)).toEqual([
      {
        id: 'support-chatbot',
        title: null,
        nonconformityCount: 2,
        openCount: 1,
        reopenCount: 1,
        recurring: true,
        firstRaisedAt: day(0),
        lastRaisedAt: day(0.05),
        nonconformityIds: ['nc-c', 'nc-b'],
      },
      {
        id: 'credit-scoring',
        title: null,
        nonconformityCount: 2,
        openCount: 1,
        reopenCount: 0,
        recurring: true,
        firstRaisedAt: day(0),
        lastRaisedAt: day(0.05),
        nonconformityIds: ['nc-a', 'nc-b'],
      },
    ]);
  });

  it('given A.6.2.6 in A and B and A.7.4 in B, when measured per control, then A.6.2.6 recurs, with catalogue titles', () => {
    const byControl = recurrenceByControl(states);
    expect(byControl.map((r) => [r.id, r.nonconformityCount, r.recurring])).toEqual([
      ['A.6.2.6', 2, true],
      ['A.7.4', 1, false],
    ]);
    expect(byControl[0].title).toBe('AI systems run and watched in operation');
  });
});

describe('all measures at once, and the fold over events', () => {
  it('given the four nonconformities, when all measures are taken on day 20, then they agree with the parts', () => {
    const measures = measureNonconformities(states, day(20));
    expect(measures).toMatchObject({ at: day(20), total: 4, open: 2, overdueActions: { count: 2 } });
    expect(measures.recurrenceByClause.map((r) => [r.id, r.title])).toEqual([
      ['7.5.3', 'Keeping documents under control'],
      ['9.1', 'Monitoring, measuring, analysing and evaluating'],
      ['9.2.1', 'Auditing the system internally'],
    ]);
    expect(JSON.parse(JSON.stringify(measures))).toStrictEqual(measures);
  });

  it('given the events of all four interleaved, when folded, then the states equal the per-stream replays, in order of first event', async () => {
    const streams = [eventsA, eventsB, eventsC, eventsD].map((events) => [...events]);
    const interleaved: NonconformityEvent[] = [];
    while (streams.some((s) => s.length > 0)) for (const s of streams) if (s.length > 0) interleaved.push(s.shift() as NonconformityEvent);
    expect(projectNonconformities(interleaved)).toStrictEqual(states);
    async function* stream() {
      yield* interleaved;
    }
    expect(await projectNonconformitiesAsync(stream())).toStrictEqual(states);
  });
});
