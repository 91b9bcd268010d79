/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), written here rather than taken from a package because the
 * evidence hash depends on every byte of it and an auditor must be able to read exactly what we do.
 *
 * The scheme, in short (RFC 8785 §3.2):
 *   - no whitespace between tokens;
 *   - object members sorted by their names compared as arrays of UTF-16 code units (what JavaScript's default
 *     string ordering does), recursively;
 *   - strings escaped as ECMAScript's JSON.stringify does (§3.2.2.2: only `"`, `\` and U+0000..U+001F are
 *     escaped, as \b \t \n \f \r or \u00xx in lower case; everything else is written as is, in UTF-8);
 *   - numbers written as ECMAScript's Number.prototype.toString does (§3.2.2.3), which is why -0 is "0";
 *   - literals null, true, false.
 *
 * The input must be JSON data (I-JSON, RFC 7493): anything JSON cannot carry is refused with a
 * NotJsonSerialisableError naming the path to the offending value, instead of being silently dropped or
 * changed the way JSON.stringify drops `undefined` and turns NaN into null.
 */

/** Nesting deeper than this is refused: it is never evidence, and it would exhaust the call stack. */
export const MAX_JSON_DEPTH = 256;

export type NotJsonReason =
  | 'undefined'
  | 'function'
  | 'symbol'
  | 'bigint'
  | 'non-finite-number'
  | 'lone-surrogate'
  | 'cycle'
  | 'sparse-array'
  | 'not-plain-object'
  | 'too-deep';

/** The value (at `path`, in JSONPath-like notation from `$`) is not JSON data. */
export class NotJsonSerialisableError extends Error {
  readonly code = 'not-json-serialisable' as const;
  constructor(
    readonly path: string,
    readonly reason: NotJsonReason,
    readonly detail: string,
  ) {
    super(`${path} is not JSON data: ${detail}`);
    this.name = 'NotJsonSerialisableError';
  }
}

/** A lone (unpaired) UTF-16 surrogate cannot be encoded as UTF-8, so I-JSON forbids it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Cheap first test: most strings have no surrogate at all, and then none can be lone. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
/** Strings with nothing to escape and no surrogate (nearly all of them) are written as they are, quoted. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what RFC 8785 must escape
const NOTHING_TO_ESCAPE = /^[^"\\\u0000-\u001F\uD800-\uDFFF]*$/;

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The members and indexes from the root to the value being written. The path text is only built when an
 * error names it: building it for every member would cost more than the serialisation itself.
 */
type Trail = Array<string | number>;

function pathOf(trail: Trail): string {
  let path = '$';
  for (const key of trail) path = childPath(path, key);
  return path;
}

function quote(value: string, trail: Trail): string {
  if (NOTHING_TO_ESCAPE.test(value)) return `"${value}"`;
  if (ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value)) {
    throw new NotJsonSerialisableError(pathOf(trail), 'lone-surrogate', 'the string contains an unpaired UTF-16 surrogate');
  }
  // ECMAScript's QuoteJSONString is, by RFC 8785's own definition, the canonical string form (and with no
  // lone surrogates left, ES2019's extra escaping of them never applies).
  return JSON.stringify(value);
}

/** Serialises one string per RFC 8785 §3.2.2.2. */
export function canonicalString(value: string, path = '$'): string {
  if (NOTHING_TO_ESCAPE.test(value)) return `"${value}"`;
  if (ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value)) {
    throw new NotJsonSerialisableError(path, 'lone-surrogate', 'the string contains an unpaired UTF-16 surrogate');
  }
  return JSON.stringify(value);
}

/** Serialises one number per RFC 8785 §3.2.2.3. */
export function canonicalNumber(value: number, path = '$'): string {
  if (!Number.isFinite(value)) {
    throw new NotJsonSerialisableError(path, 'non-finite-number', `${String(value)} has no JSON form`);
  }
  // Number.prototype.toString is the algorithm RFC 8785 adopts; String(-0) is already "0".
  return String(value);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  // A plain object's prototype is null or *an* Object.prototype (another realm's counts too: test runners
  // and worker threads create objects in other realms).
  return proto === null || (typeof proto === 'object' && Object.getPrototypeOf(proto) === null);
}

function describe(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an exotic object';
}

/**
 * Appends the canonical text of `value`, found at `trail` below the root, to `out`; `ancestors` are the objects
 * above it (a stack: evidence nests a few levels, where a linear scan beats a Set).
 */
function write(value: unknown, trail: Trail, ancestors: object[], out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(quote(value, trail));
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw new NotJsonSerialisableError(pathOf(trail), 'non-finite-number', `${String(value)} has no JSON form`);
      // Number.prototype.toString is the algorithm RFC 8785 adopts; String(-0) is already "0".
      out.push(String(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      throw new NotJsonSerialisableError(pathOf(trail), 'undefined', 'undefined has no JSON form (omit the member or use null)');
    case 'function':
      throw new NotJsonSerialisableError(pathOf(trail), 'function', 'a function has no JSON form');
    case 'symbol':
      throw new NotJsonSerialisableError(pathOf(trail), 'symbol', 'a symbol has no JSON form');
    case 'bigint':
      throw new NotJsonSerialisableError(pathOf(trail), 'bigint', 'a bigint has no exact JSON number form (send it as a string)');
    case 'object':
      break;
    default: {
      const unexpected: never = value as never;
      throw new NotJsonSerialisableError(pathOf(trail), 'not-plain-object', `unexpected ${typeof unexpected}`);
    }
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const object = value;
  if (trail.length >= MAX_JSON_DEPTH) {
    throw new NotJsonSerialisableError(pathOf(trail), 'too-deep', `nesting deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (ancestors.includes(object)) {
    throw new NotJsonSerialisableError(pathOf(trail), 'cycle', 'the value contains itself (a cycle)');
  }
  ancestors.push(object);
  if (Array.isArray(object)) {
    out.push('[');
    for (let i = 0; i < object.length; i++) {
      trail.push(i);
      if (!(i in object)) throw new NotJsonSerialisableError(pathOf(trail), 'sparse-array', 'the array has a hole');
      if (i > 0) out.push(',');
      write(object[i], trail, ancestors, out);
      trail.pop();
    }
    out.push(']');
  } else {
    if (!isPlainObject(object)) {
      throw new NotJsonSerialisableError(
        pathOf(trail),
        'not-plain-object',
        `${describe(object)} is not a plain object (convert it to JSON data first)`,
      );
    }
    if (Object.getOwnPropertySymbols(object).length > 0) {
      throw new NotJsonSerialisableError(pathOf(trail), 'symbol', 'the object has symbol-keyed members');
    }
    // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 prescribes.
    const keys = Object.keys(object).sort();
    out.push('{');
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      trail.push(key);
      out.push(i > 0 ? ',' : '', quote(key, trail), ':');
      write((object as Record<string, unknown>)[key], trail, ancestors, out);
      trail.pop();
    }
    out.push('}');
  }
  ancestors.pop();
}

/**
 * The RFC 8785 canonical JSON text of `value`. Throws NotJsonSerialisableError when `value` is not JSON data.
 * Parsing canonical text and canonicalising it again gives the same text, so stored canonical JSON can be
 * handed out parsed and re-serialised without changing a byte.
 */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, [], [], out);
  // join gives one flat string: it is hashed, measured and sent to the database, each of which would
  // otherwise flatten a tree of concatenations again.
  return out.join('');
}

/** The number of bytes `text` takes in UTF-8 (well-formed text; counted without any I/O or Node API). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Whether `text` is exactly the canonical JSON text of an object, decided in one pass over the text without
 * building the value (verify runs it on every stored event, where parsing and re-serialising cost several
 * times the hash). It answers true only for text equal to canonicalize(JSON.parse(text)); a false is
 * confirmed, and explained, by nonCanonicalObjectText, which is the definition.
 */
export function isCanonicalObjectText(text: string): boolean {
  if (text.charCodeAt(0) !== 0x7b /* { */) return false;
  const end = scanValue(text, 0, 0);
  return end === text.length;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The index after the canonical value starting at `at`, or -1 when there is none. */
function scanValue(text: string, at: number, depth: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return scanString(text, at);
  if (c === 0x7b /* { */) return depth >= MAX_JSON_DEPTH ? -1 : scanObject(text, at, depth);
  if (c === 0x5b /* [ */) return depth >= MAX_JSON_DEPTH ? -1 : scanArray(text, at, depth);
  if (c === 0x74 /* t */) return text.startsWith('true', at) ? at + 4 : -1;
  if (c === 0x66 /* f */) return text.startsWith('false', at) ? at + 5 : -1;
  if (c === 0x6e /* n */) return text.startsWith('null', at) ? at + 4 : -1;
  return scanNumber(text, at);
}

function scanObject(text: string, at: number, depth: number): number {
  let i = at + 1;
  if (text.charCodeAt(i) === 0x7d /* } */) return i + 1;
  let previousStart = -1;
  let previousEnd = -1;
  let previousKey: string | undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return -1;
    const keyEnd = scanString(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== 0x3a /* : */) return -1;
    // Strictly increasing in UTF-16 code-unit order: sorted, and no member twice. Keys without an escape
    // (nearly all) are compared where they stand; a key with one (a control character) is decoded first.
    if (lastStringHadEscape || previousKey !== undefined) {
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      const before = previousKey ?? (previousStart < 0 ? undefined : text.slice(previousStart, previousEnd));
      if (before !== undefined && !(before < key)) return -1;
      previousKey = key;
    } else if (previousStart >= 0 && compareInPlace(text, previousStart, previousEnd, i + 1, keyEnd - 1) >= 0) {
      return -1;
    }
    previousStart = i + 1;
    previousEnd = keyEnd - 1;
    i = scanValue(text, keyEnd + 1, depth + 1);
    if (i < 0) return -1;
    const next = text.charCodeAt(i);
    if (next === 0x7d /* } */) return i + 1;
    if (next !== 0x2c /* , */) return -1;
    i++;
  }
}

/** Compares text[aStart, aEnd) with text[bStart, bEnd) by UTF-16 code units, as `<` compares strings. */
function compareInPlace(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < length; k++) {
    const difference = text.charCodeAt(aStart + k) - text.charCodeAt(bStart + k);
    if (difference !== 0) return difference;
  }
  return aEnd - aStart - (bEnd - bStart);
}

function scanArray(text: string, at: number, depth: number): number {
  let i = at + 1;
  if (text.charCodeAt(i) === 0x5d /* ] */) return i + 1;
  for (;;) {
    i = scanValue(text, i, depth + 1);
    if (i < 0) return -1;
    const next = text.charCodeAt(i);
    if (next === 0x5d /* ] */) return i + 1;
    if (next !== 0x2c /* , */) return -1;
    i++;
  }
}

const LOWER_HEX_CONTROL = /^00[01][0-9a-f]$/;
/** Whether the string scanString last scanned held an escape (read right after the call: it is synchronous). */
let lastStringHadEscape = false;

function scanString(text: string, at: number): number {
  lastStringHadEscape = false;
  const length = text.length;
  for (let i = at + 1; i < length; i++) {
    const c = text.charCodeAt(i);
    // Nearly every character stands for itself.
    if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH && (c < 0xd800 || c > 0xdfff)) continue;
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      lastStringHadEscape = true;
      const e = text.charCodeAt(i + 1);
      // \" \\ and the short escapes \b \t \n \f \r
      if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x74 || e === 0x6e || e === 0x66 || e === 0x72) {
        i++;
        continue;
      }
      if (e !== 0x75 /* u */) return -1;
      // \u only for a control character that has no short escape, in lower-case hex.
      const hex = text.slice(i + 2, i + 6);
      if (!LOWER_HEX_CONTROL.test(hex)) return -1;
      const code = parseInt(hex, 16);
      if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return -1;
      i += 5;
      continue;
    }
    // A surrogate: only a high one followed by a low one (a character beyond U+FFFF) is well-formed.
    const low = text.charCodeAt(i + 1);
    if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return -1;
    i++;
  }
  return -1;
}

function scanNumber(text: string, at: number): number {
  let i = at;
  let integer = true;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c === 0x2d /* - */ && i === at) continue;
    // . e E + - : the rest of what a JSON number can hold
    if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) integer = false;
    else break;
  }
  const digits = i - at - (text.charCodeAt(at) === 0x2d ? 1 : 0);
  if (digits === 0 && integer) return -1;
  // An integer of up to 15 digits is exact in a double and written back digit for digit, unless it has a
  // leading zero or is -0.
  if (integer && digits <= 15) {
    const first = text.charCodeAt(i - digits);
    return first !== 0x30 || (digits === 1 && i - at === 1) ? i : -1;
  }
  const token = text.slice(at, i);
  const value = Number(token);
  // Canonical exactly when ECMAScript writes the number back as the same text (RFC 8785 §3.2.2.3).
  return Number.isFinite(value) && String(value) === token ? i : -1;
}

/**
 * Why `text` is not the canonical JSON text of an object, or undefined when it is. Stored `data` and
 * `metadata` must be canonical: the hash covers their text as stored, so a text that an auditor's own
 * parser reads differently (a duplicated member, which parsers resolve differently) could verify intact
 * while meaning something else. A mismatch is reported at the first character that differs.
 */
export function nonCanonicalObjectText(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  let canonical: string;
  try {
    canonical = canonicalize(value);
  } catch (error) {
    return `it has no canonical form (${error instanceof Error ? error.message : String(error)})`;
  }
  if (canonical === text) return undefined;
  let at = 0;
  while (at < text.length && text.charCodeAt(at) === canonical.charCodeAt(at)) at++;
  const excerpt = (s: string): string => JSON.stringify(s.slice(Math.max(0, at - 10), at + 20));
  return (
    `it differs from its RFC 8785 canonical form from character ${at} (stored ${excerpt(text)}, canonical ${excerpt(canonical)}): ` +
    'a duplicated member, another member order, whitespace, an escape or a number written otherwise'
  );
}
