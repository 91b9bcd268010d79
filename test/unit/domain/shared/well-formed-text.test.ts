import { firstMalformedText, isWellFormedText } from '../../../../domain/shared/well-formed-text';

describe('well-formed Unicode text', () => {
  it.each([
    ['plain text', 'credit scoring', true],
    ['a surrogate pair (emoji)', 'ok 🚀', true],
    ['a lone high surrogate', 'a\ud800', false],
    ['a lone low surrogate', '\udc00b', false],
    ['two high surrogates', '\ud800\ud800\udc00', false],
    ['pairs reversed', '\udc00\ud800', false],
  ])('given %s, when checked, then well-formed is %s', (_what, text, expected) => {
    expect(isWellFormedText(text)).toBe(expected);
  });

  it('given a nested value, when searched, then the path of the first field at fault is named, keys included', () => {
    expect(firstMalformedText({ a: 'ok', b: [{ c: 'x' }, { d: 'y\ud800' }] }, '')).toBe('b.1.d');
    expect(firstMalformedText({ ['k\udc00']: 1 }, 'body')).toBe('body.k\udc00');
    expect(firstMalformedText('\ud800', 'id')).toBe('id');
    expect(firstMalformedText({ a: ['fine', 1, null, true] }, '')).toBeNull();
  });

  it('given a deeply nested body, when searched, then the stack holds (iterative)', () => {
    let deep: unknown = 'x\ud800';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(firstMalformedText(deep, '')?.split('.')).toHaveLength(100_000);
  });
});
