import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalize, NotJsonSerialisableError, utf8ByteLength } from '../../../domain/evidence/canonical-json';

// Vendored from the RFC 8785 reference implementation (Apache-2.0): see test/fixtures/rfc8785/SOURCE.md.
const VECTORS = path.resolve(__dirname, '../../fixtures/rfc8785');
const vectorNames = fs
  .readdirSync(path.join(VECTORS, 'input'))
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('RFC 8785 canonical JSON', () => {
  it('given the vendored vectors folder, when listed, then it holds the six reference vectors', () => {
    expect(vectorNames).toEqual(['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json']);
  });

  it.each(vectorNames)('given input/%s, when canonicalised, then the UTF-8 bytes equal output/ byte for byte', (name) => {
    // given
    const input: unknown = JSON.parse(fs.readFileSync(path.join(VECTORS, 'input', name), 'utf8'));
    const expected = fs.readFileSync(path.join(VECTORS, 'output', name));
    // when
    const actual = Buffer.from(canonicalize(input), 'utf8');
    // then
    expect(actual.toString('hex')).toBe(expected.toString('hex'));
    expect(utf8ByteLength(canonicalize(input))).toBe(expected.length);
  });

  it('given the hex files, when compared, then they agree with the output files (the vectors are intact)', () => {
    for (const name of vectorNames) {
      const hex = fs.readFileSync(path.join(VECTORS, 'outhex', name.replace(/\.json$/, '.txt')), 'utf8').replace(/\s+/g, '');
      expect(fs.readFileSync(path.join(VECTORS, 'output', name)).toString('hex')).toBe(hex.toLowerCase());
    }
  });

  it('given canonical text, when parsed and canonicalised again, then not a byte changes', () => {
    for (const name of vectorNames) {
      const canonical = fs.readFileSync(path.join(VECTORS, 'output', name), 'utf8');
      expect(canonicalize(JSON.parse(canonical))).toBe(canonical);
    }
  });

  it.each([
    ['-0', -0, '0'],
    ['1e21', 1e21, '1e+21'],
    ['1e-7', 1e-7, '1e-7'],
    ['max safe', 9007199254740991, '9007199254740991'],
    ['min value', 5e-324, '5e-324'],
    ['max value', 1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('given the number %s, when canonicalised, then it is written as ECMAScript does', (_name, value, text) => {
    expect(canonicalize(value)).toBe(text);
  });

  it('given control characters and non-ASCII, when canonicalised, then only the RFC escapes are used', () => {
    expect(canonicalize('\u0000\b\t\n\f\r\u001f"\\/\u007f\u2028é😂')).toBe('"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f\u2028é😂"');
  });

  it.each<[string, () => unknown, string, string]>([
    ['undefined member', () => ({ a: 1, b: undefined }), '$.b', 'undefined'],
    ['undefined in array', () => [1, undefined], '$[1]', 'undefined'],
    ['function', () => ({ f: () => 1 }), '$.f', 'function'],
    ['symbol', () => ({ s: Symbol('x') }), '$.s', 'symbol'],
    ['NaN', () => ({ n: Number.NaN }), '$.n', 'non-finite-number'],
    ['Infinity', () => ({ n: [Number.POSITIVE_INFINITY] }), '$.n[0]', 'non-finite-number'],
    ['bigint', () => ({ big: BigInt(1) }), '$.big', 'bigint'],
    [
      'cycle',
      () => {
        const o: Record<string, unknown> = {};
        o.self = { back: o };
        return o;
      },
      '$.self.back',
      'cycle',
    ],
    ['sparse array', () => ({ list: [1, , 3] }), '$.list[1]', 'sparse-array'], // eslint-disable-line no-sparse-arrays
    ['Date', () => ({ when: new Date(0) }), '$.when', 'not-plain-object'],
    ['Map', () => ({ m: new Map() }), '$.m', 'not-plain-object'],
    ['lone surrogate', () => ({ ['odd key \ud800']: 1 }), '$["odd key \\ud800"]', 'lone-surrogate'],
  ])('given %s, when canonicalised, then a NotJsonSerialisableError names the path', (_name, make, where, reason) => {
    let error: unknown;
    try {
      canonicalize(make());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotJsonSerialisableError);
    expect((error as NotJsonSerialisableError).path).toBe(where);
    expect((error as NotJsonSerialisableError).reason).toBe(reason);
  });

  it('given the same object shared twice (not a cycle), when canonicalised, then it is written twice', () => {
    const shared = { z: 1 };
    expect(canonicalize({ b: shared, a: shared })).toBe('{"a":{"z":1},"b":{"z":1}}');
  });

  it('given an object without a prototype, when canonicalised, then it is plain JSON data', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.k = 'v';
    expect(canonicalize(bare)).toBe('{"k":"v"}');
  });
});
