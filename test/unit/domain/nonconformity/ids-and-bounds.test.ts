/**
 * Issue 11, findings 5 and 7: the two namespaces of nonconformity ids (the engine's `aims:` ids, always
 * valid and unguessable; callers' ids, never in that namespace), and the bounds of every duration and date
 * a nonconformity takes, which `decideWithinBounds` applies and plain `decide` (older runs) does not.
 */
import {
  callerNonconformityIdProblem,
  decide,
  decideWithinBounds,
  engineNonconformityId,
  evolve,
  initialNonconformityState,
  isEngineNonconformityId,
  LATEST_INSTANT_MS,
  NONCONFORMITY_ID,
  nonconformityStreamName,
  reviewDelayIssue,
  reviewDueMs,
} from '../../../../domain/nonconformity';
import { streamNameProblem } from '../../../../domain/evidence/stream-name';
import { deciderSpec, expectError } from '../../../support/decider-spec';
import { analyse, approve, complete, contain, day, engineer, history, monitoringPipeline, NC, plan, raise } from './nonconformity-fixtures';

const bounded = deciderSpec({ decide: decideWithinBounds, evolve, initialState: initialNonconformityState });
const plain = deciderSpec({ decide, evolve, initialState: initialNonconformityState });

const ENGINE_ID = engineNonconformityId('credit-scoring', 'report-1/auc', 'salt-1');

describe('nonconformity ids: the engine namespace', () => {
  it.each([
    ['a system id with "@"', 'scoring@eu', 'report-1/auc'],
    ['a metric with spaces', 'credit-scoring', 'report-1/false positive rate'],
    ['a 200-character system id and a long metric', `${'s'.repeat(199)}@`, `report-1/${'m '.repeat(200)}`],
    ['unicode and slashes', 'système', 'rapport/taux d’erreur ✓'],
    ['an empty source', 'x', ''],
  ])(
    'given %s, when the engine names the nonconformity, then the id is valid, in its namespace, and a valid stream name',
    (_, system, source) => {
      const id = engineNonconformityId(system, source, 'salt');
      expect(id).toMatch(NONCONFORMITY_ID);
      expect(isEngineNonconformityId(id)).toBe(true);
      expect(streamNameProblem(nonconformityStreamName(id))).toBeUndefined();
    },
  );

  it('given the same system and source, when the salt differs, then the id differs (nobody can compute it before the breach)', () => {
    expect(engineNonconformityId('credit-scoring', 'report-1/auc', 'salt-1')).toBe(ENGINE_ID);
    expect(engineNonconformityId('credit-scoring', 'report-1/auc', 'salt-2')).not.toBe(ENGINE_ID);
  });

  it('given parts that read alike, when the engine names them, then the exact parts keep the ids apart', () => {
    expect(engineNonconformityId('a@b', 'r/m', 's')).not.toBe(engineNonconformityId('a_b', 'r/m', 's'));
    expect(engineNonconformityId('sys', 'report-1/auc', 's')).not.toBe(engineNonconformityId('sys', 'report-1/auc ', 's'));
  });

  it.each(['aims:nc-x', 'AIMS:nc-x', 'Aims:anything'])(
    'given a caller id %s, when checked, then it is refused as the engine namespace',
    (id) => {
      expect(callerNonconformityIdProblem(id)).toMatch(/namespace is the engine's/);
    },
  );

  it.each(['nc-2026-014', 'aims-nc-1', 'aimsx:1'])(
    'given a caller id %s outside the namespace, when checked, then it is accepted',
    (id) => {
      expect(callerNonconformityIdProblem(id)).toBeNull();
    },
  );
});

describe('raising under an id of the engine', () => {
  it('given nothing, when a person raises a nonconformity under an aims: id, then VALIDATION_FAILED on nonconformityId', () => {
    plain
      .given([])
      .when(raise({ nonconformityId: ENGINE_ID, by: engineer, openedBy: undefined }))
      .then(
        expectError('VALIDATION_FAILED', {
          issues: [{ field: 'nonconformityId', problem: expect.stringContaining('namespace is the engine') }],
        }),
      );
  });

  it('given nothing, when a lifecycle raises it under its engine id (openedBy), then it is raised', () => {
    plain
      .given([])
      .when(raise({ nonconformityId: ENGINE_ID, openedBy: monitoringPipeline }))
      .then([expect.objectContaining({ type: 'NonconformityRaised', nonconformityId: ENGINE_ID })]);
  });
});

describe('bounds of durations and dates', () => {
  it.each(['P100000000D', 'P731D', 'PT0.5S'])(
    'given nothing, when raised with a review delay of %s, then VALIDATION_FAILED on effectivenessReviewDelay',
    (delay) => {
      bounded
        .given([])
        .when(raise({ effectivenessReviewDelay: delay }))
        .then(
          expectError('VALIDATION_FAILED', { issues: [{ field: 'effectivenessReviewDelay', problem: expect.stringMatching(/between/) }] }),
        );
    },
  );

  it.each(['PT1S', 'P1D', 'P730D'])(
    'given nothing, when raised with a review delay of %s within the hard bounds, then it is raised',
    (delay) => {
      bounded
        .given([])
        .when(raise({ effectivenessReviewDelay: delay }))
        .then([expect.objectContaining({ type: 'NonconformityRaised', effectivenessReviewDelay: delay })]);
    },
  );

  it('given the default floor of a day, when PT1S or P100000000D is checked, then both are refused; P1D and P730D pass', () => {
    expect(reviewDelayIssue('PT1S')).toEqual({ field: 'effectivenessReviewDelay', problem: 'must be between 1 day(s) and 730 day(s)' });
    expect(reviewDelayIssue('P100000000D')).not.toBeNull();
    expect(reviewDelayIssue('P1D')).toBeNull();
    expect(reviewDelayIssue('P730D')).toBeNull();
    expect(reviewDelayIssue('P1M')).toEqual({ field: 'effectivenessReviewDelay', problem: expect.stringMatching(/ISO 8601 duration/) });
  });

  it('given a contained and analysed nonconformity, when a plan has an action due more than five years ahead, then VALIDATION_FAILED naming that action', () => {
    bounded
      .given(history(raise(), contain(), analyse()))
      .when(
        plan({
          actions: [
            { actionId: 'act-retrain', description: 'Retrain', owner: 'erin', dueDate: day(10) },
            { actionId: 'act-drift-alert', description: 'Drift alert', owner: 'omar', dueDate: '2099-12-31' },
          ],
        }),
      )
      .then(expectError('VALIDATION_FAILED', { issues: [{ field: 'actions[1].dueDate', problem: expect.stringContaining('5 years') }] }));
  });

  it('given the same plan in a run recorded before the bounds (plain decide), when submitted, then it is accepted as it was', () => {
    plain
      .given(history(raise(), contain(), analyse()))
      .when(plan({ actions: [{ actionId: 'act-1', description: 'Drift alert', owner: 'omar', dueDate: '2099-12-31' }] }))
      .then([expect.objectContaining({ type: 'CorrectiveActionPlanSubmitted' })]);
  });

  it('given a nonconformity raised before the bounds with a review delay of P100000000D, when its last action completes, then the review falls due after two years instead of throwing', () => {
    const events = history(
      raise({ effectivenessReviewDelay: 'P100000000D' }),
      contain(),
      analyse(),
      plan({ actions: [{ actionId: 'act-retrain', description: 'Retrain', owner: 'erin', dueDate: day(10) }] }),
      approve(),
    );
    plain
      .given(events)
      .when(complete('act-retrain', day(5)))
      .then([
        expect.objectContaining({ type: 'CorrectiveActionCompleted' }),
        expect.objectContaining({
          type: 'EffectivenessReviewScheduled',
          dueAt: new Date(Date.parse(day(5)) + 730 * 86_400_000).toISOString(),
        }),
      ]);
  });

  it('given any delay, when the review instant is computed, then it is a date no later than year 9999', () => {
    for (const delay of ['P100000000D', 'P2000000W', 'PT1S', 'nonsense']) {
      const due = reviewDueMs(Date.parse('9999-06-01T00:00:00Z'), delay);
      expect(Number.isFinite(due)).toBe(true);
      expect(() => new Date(due).toISOString()).not.toThrow();
    }
    expect(reviewDueMs(0, 'P100000000D')).toBeLessThanOrEqual(LATEST_INSTANT_MS);
  });

  it('given a raise refused for who acts and its bounds, when decided within bounds, then who acts answers first', () => {
    bounded
      .given([])
      .when(raise({ by: { id: 'aude', roles: ['auditor'] }, openedBy: undefined, effectivenessReviewDelay: 'P100000000D' }))
      .then(expectError('MISSING_ROLE'));
  });

  it('given a raised nonconformity, when raised again with an out-of-bounds delay, then the state answers (NONCONFORMITY_ALREADY_RAISED)', () => {
    bounded
      .given(history(raise()))
      .when(raise({ effectivenessReviewDelay: 'P100000000D', nonconformityId: NC }))
      .then(expectError('NONCONFORMITY_ALREADY_RAISED'));
  });
});
