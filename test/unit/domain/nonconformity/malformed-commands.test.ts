/**
 * Commands reach `decide` as JSON from outside (API bodies, Temporal payloads). Whatever a field holds, the
 * answer must be a typed refusal, never an exception.
 */
import { decide, type NonconformityCommand, type NonconformityState } from '../../../../domain/nonconformity';
import {
  NC,
  analyse,
  approve,
  approvedPlanHistory,
  complete,
  contain,
  day,
  given,
  history,
  plan,
  raise,
  reject,
  review,
} from './nonconformity-fixtures';

const JUNK: unknown[] = [undefined, null, 42, -1, true, '', ' ', 'x', {}, [], [null], [42], [{}], { id: 7 }, ['a', 'a']];

const states: [string, NonconformityState][] = [
  ['nothing', null],
  ['raised', given(history(raise())).state],
  ['plan approval', given(history(raise(), contain(), analyse(), plan())).state],
  ['actions in progress', given(approvedPlanHistory()).state],
];

const samples: NonconformityCommand[] = [
  raise(),
  contain(),
  analyse(),
  plan(),
  approve(),
  reject(),
  complete('act-retrain', day(5)),
  { type: 'IssueCorrectiveActionReminder', nonconformityId: NC, at: day(5), actionId: 'act-retrain' },
  { type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(11), actionId: 'act-retrain' },
  { type: 'EscalateCorrectiveAction', nonconformityId: NC, at: day(11), actionId: 'act-retrain', escalatedTo: 'aims_owner' },
  { type: 'MarkEffectivenessReviewDue', nonconformityId: NC, at: day(40) },
  review('effective', day(40)),
];

describe('malformed commands', () => {
  it.each(states)('given %s, when any field of any command holds junk, then decide answers without throwing', (_name, state) => {
    let refusals = 0;
    for (const sample of samples) {
      for (const field of Object.keys(sample).filter((k) => k !== 'type')) {
        for (const junk of JUNK) {
          const command = { ...sample, [field]: junk }; // deliberately malformed
          const result = decide(command, state);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) {
            refusals += 1;
            expect(typeof result.error.code).toBe('string');
            expect(result.error.message.length).toBeGreaterThan(0);
          }
        }
      }
    }
    expect(refusals).toBeGreaterThan(0);
  });

  it('given a plan whose actions hold junk, when submitted, then VALIDATION_FAILED names each bad action', () => {
    const error = given(history(raise(), contain(), analyse()))
      .when({
        ...plan(),
        actions: [null, { actionId: 'ok-1', description: 'Fine', owner: 'erin', dueDate: 7 }],
      } as unknown as NonconformityCommand)
      .thenError('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.field)).toEqual(['actions[0]', 'actions[1].dueDate']);
  });
});
