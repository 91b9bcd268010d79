import { alternatingRounds, rotatingRounds, spread } from '../../../bench/rounds';

describe('bench rounds', () => {
  it('given three sides and three rounds, when rotated, then each side runs first once and every round is on fresh state', async () => {
    const order: string[][] = [];
    const dropped: number[] = [];
    const side = (name: string) => (state: { round: number }) => {
      (order[state.round - 1] ??= []).push(name);
      return Promise.resolve(state.round * 10 + name.length);
    };
    const results = await rotatingRounds(3, (round) => Promise.resolve({ round, drop: () => Promise.resolve(void dropped.push(round)) }), {
      evidence: side('evidence'),
      raw: side('raw'),
      emmett: side('emmett'),
    });
    expect(order).toEqual([
      ['evidence', 'raw', 'emmett'],
      ['raw', 'emmett', 'evidence'],
      ['emmett', 'evidence', 'raw'],
    ]);
    expect(dropped).toEqual([1, 2, 3]);
    expect(results).toEqual({ evidence: [18, 28, 38], raw: [13, 23, 33], emmett: [16, 26, 36] });
  });

  it('given two sides, when alternated, then the ratios are taken within each round', async () => {
    const runs = await alternatingRounds(
      2,
      () => Promise.resolve({ drop: () => Promise.resolve() }),
      (_s, round) => Promise.resolve(round * 2),
      (_s, round) => Promise.resolve(round * 4),
    );
    expect(runs.ratios).toEqual([0.5, 0.5]);
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
  });
});
