import { describeVerifyScope } from '../../../domain/evidence/verify-scope';

const HASH = 'a'.repeat(64);
const text = (lines: string[]): string => lines.join('\n');

describe('describeVerifyScope', () => {
  it('given an intact chain checked against nothing, then it proves the links and cannot exclude a whole rewrite or a cut tail', () => {
    const scope = describeVerifyScope({ fromPosition: 1, toPosition: 50, headPosition: 50, trustSource: { kind: 'none' }, lastHash: HASH });
    expect(scope.trustSource).toEqual({ kind: 'none' });
    expect(text(scope.proves)).toMatch(
      /positions 1 to 50 is present[^]*from the genesis value[^]*canonical form[^]*head at position 50 has hash a{64}/,
    );
    expect(scope.cannotExclude).toEqual([
      expect.stringMatching(/^a consistent rewrite of the whole chain/),
      expect.stringMatching(/^deletion of the newest events from the end of the chain \(after position 50\)/),
    ]);
  });

  it('given an anchor below the head, then it proves everything up to the anchor and cannot exclude a rewrite after it', () => {
    const scope = describeVerifyScope({
      fromPosition: 1,
      toPosition: 80,
      headPosition: 80,
      trustSource: { kind: 'anchor', position: 50, hash: HASH },
      lastHash: 'b'.repeat(64),
    });
    expect(text(scope.proves)).toMatch(/still reaches the anchor noted earlier \(position 50/);
    expect(text(scope.cannotExclude)).not.toMatch(/whole chain/);
    expect(text(scope.cannotExclude)).toMatch(/rewrite of the events after the anchor \(positions 51 to 80\)[^]*recorded after the anchor/);
  });

  it('given a range after the start and before the head, then what lies outside it is named as unchecked', () => {
    const scope = describeVerifyScope({
      fromPosition: 10,
      toPosition: 20,
      headPosition: 30,
      trustSource: { kind: 'none' },
      lastHash: HASH,
    });
    expect(text(scope.proves)).toMatch(/positions 10 to 20 [^]*from the stored hash of position 9/);
    expect(text(scope.cannotExclude)).toMatch(
      /changes before position 10[^]*changes after position 20: not checked \(the store's head is 30\)/,
    );
  });

  it('given a break, then it proves the break and the intact part before it, and says nothing after it was assessed', () => {
    const scope = describeVerifyScope({
      fromPosition: 1,
      toPosition: 10,
      headPosition: 10,
      trustSource: { kind: 'anchor', position: 10, hash: HASH },
      brokenAt: { position: 4, lastIntactPosition: 3 },
    });
    expect(text(scope.proves)).toMatch(/positions 1 to 3 is present[^]*broken at position 4/);
    expect(text(scope.proves)).not.toMatch(/reaches the anchor/);
    expect(text(scope.cannotExclude)).toMatch(/anything after position 4/);
  });
});
