/**
 * The stored-text check verify runs on every event: isCanonicalObjectText (the one-pass scan) must never
 * accept a text that the definition, canonicalize(JSON.parse(text)) === text, refuses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalize, isCanonicalObjectText, MAX_JSON_DEPTH, nonCanonicalObjectText } from '../../../domain/evidence/canonical-json';

const VECTORS = path.resolve(__dirname, '../../fixtures/rfc8785/input');

/** A small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'b', 'é', '€', '😀', '"', '\\', '\n', '\u0001', '\u001f', '/', ' ', '\u2028', 'z', 'A', '\u007f'];
const NUMBERS = [0, -0, 1, -1, 0.5, 1e21, 1e-7, 123456789012, 0.1 + 0.2, -1.5e300, 5e-324, 2 ** 53];

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 5 : 7));
  const text = (): string => Array.from({ length: Math.floor(next() * 4) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
  switch (pick) {
    case 0:
      return text();
    case 1:
      return NUMBERS[Math.floor(next() * NUMBERS.length)];
    case 2:
      return next() < 0.5;
    case 3:
      return null;
    case 4:
      return Math.floor(next() * 1000) - 500;
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
    default:
      return object(next, depth + 1);
  }
}

function object(next: () => number, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const members = Math.floor(next() * 5);
  for (let i = 0; i < members; i++) result[PIECES[Math.floor(next() * PIECES.length)] + String(i % 3)] = value(next, depth);
  return result;
}

/** Small edits a forger (or a careless tool) might make to canonical text. */
const EDITS: Array<(text: string, at: number) => string> = [
  (t, at) => `${t.slice(0, at)} ${t.slice(at)}`,
  (t, at) => t.slice(0, at) + t.slice(at + 1),
  (t, at) => `${t.slice(0, at)}${t[at]}${t.slice(at)}`,
  (t, at) => t.slice(0, at) + '\\u0041' + t.slice(at),
  (t, at) => t.slice(0, at) + '.0' + t.slice(at),
  (t, at) => t.slice(0, at) + 'e1' + t.slice(at),
  (t, at) => t.slice(0, at) + ',"a0":1' + t.slice(at),
  (t) => t.replace(/\\n/, '\\u000a'),
  (t) => t.replace(/\\u001f/, '\\u001F'),
  (t) => t.replace(/😀/, '\\ud83d\\ude00'),
  (t) => t.replace(/"(\w+)":([^,{}[\]]+),"(\w+)":/, '"$3":$2,"$1":'),
];

const definition = (text: string): boolean => nonCanonicalObjectText(text) === undefined;

describe('isCanonicalObjectText', () => {
  it('given canonical text of random objects and of the RFC 8785 vectors, when scanned, then each is accepted', () => {
    const next = random(42);
    const texts = Array.from({ length: 2000 }, () => canonicalize(object(next, 0)));
    for (const name of fs.readdirSync(VECTORS)) {
      const parsed: unknown = JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) texts.push(canonicalize(parsed));
    }
    for (const text of texts) expect([text, isCanonicalObjectText(text)]).toEqual([text, true]);
  });

  it('given random edits of canonical text, when scanned, then it agrees with parse-and-recanonicalise on every one', () => {
    const next = random(7);
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = canonicalize(object(next, 0));
      const edited = EDITS[Math.floor(next() * EDITS.length)](text, Math.floor(next() * (text.length + 1)));
      const expected = definition(edited);
      expect([edited, isCanonicalObjectText(edited)]).toEqual([edited, expected]);
      if (!expected) refused++;
    }
    // the edits do produce non-canonical text, most of the time
    expect(refused).toBeGreaterThan(10_000);
  });

  it.each([
    ['a duplicated member', '{"a":1,"a":1}', /character 6/],
    ['members out of order', '{"b":1,"a":2}', /character 2/],
    ['whitespace', '{"a": 1}', /character 5/],
    ['a number not in shortest form', '{"a":1.0}', /character 6/],
    ['an escaped non-ASCII character', '{"a":"\\u00e9"}', /character 6/],
    ['-0', '{"a":-0}', /character 5/],
    ['an escaped lone surrogate', '{"a":"\\ud800"}', /no canonical form/],
    ['an array at the top', '[1]', /not a JSON object/],
    ['not JSON', '{"a":', /not JSON/],
  ])('given %s, when checked, then both checks refuse it and the reason names where', (_what, text, reason) => {
    expect(isCanonicalObjectText(text)).toBe(false);
    expect(nonCanonicalObjectText(text)).toMatch(reason);
  });

  it.each([
    ['{"a":0}', true],
    ['{"a":-1}', true],
    ['{"a":123456789012345}', true],
    ['{"a":-123456789012345}', true],
    ['{"a":9007199254740992}', true],
    ['{"a":1e+21}', true],
    ['{"a":01}', false],
    ['{"a":-01}', false],
    ['{"a":-}', false],
    ['{"a":1234567890123456789}', false],
    ['{"a":1E+21}', false],
    ['{"a":1e21}', false],
    ['{"\\u0001":1,"a":2}', true],
    ['{"a":1,"\\u0001":2}', false],
    ['{"\\n":1,"\\u0001":2}', false],
  ])("given the number or key in %s, when scanned, then the answer (%s) is the definition's", (text, canonical) => {
    expect(definition(text)).toBe(canonical);
    expect(isCanonicalObjectText(text)).toBe(canonical);
  });

  it('given nesting at the depth limit and one past it, when scanned, then it agrees with canonicalize', () => {
    const nested = (levels: number): string => '{"a":'.repeat(levels) + '{}' + '}'.repeat(levels);
    expect(isCanonicalObjectText(nested(MAX_JSON_DEPTH - 1))).toBe(true);
    expect(definition(nested(MAX_JSON_DEPTH - 1))).toBe(true);
    expect(isCanonicalObjectText(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(definition(nested(MAX_JSON_DEPTH))).toBe(false);
  });
});
