import { printable } from '../../apps/cli/src/printable';

describe('printable: server text shown, never obeyed, on terminals and in CI logs', () => {
  it.each([
    ['an ESC sequence (recolour, move the cursor)', 'ok\u001b[2J\u001b]0;pwned\u0007', 'ok\\x1b[2J\\x1b]0;pwned\\x07'],
    ['a newline forging a CI log line', 'reason\n::error::fake', 'reason\\n::error::fake'],
    ['a carriage return overwriting the line', 'BLOCKED\rALLOWED', 'BLOCKED\\rALLOWED'],
    ['DEL and C1 controls (CSI 0x9b)', 'a\u007fb\u009b2Jc', 'a\\x7fb\\x9b2Jc'],
    ['a bidi override reversing text', 'approved \u202edevorppa ton\u202c', 'approved \\u202edevorppa ton\\u202c'],
    ['isolates, zero-width characters and the BOM', '\u2066x\u2069\u200by\ufeff', '\\u2066x\\u2069\\u200by\\ufeff'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ])('given %s, when printed, then it is escaped', (_what, text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  it('given ordinary text in any script, with emoji, when printed, then it is unchanged', () => {
    const text = 'Modell für Kreditwürdigkeit — 信用评分 🚀 (risk: high)';
    expect(printable(text)).toBe(text);
  });
});
