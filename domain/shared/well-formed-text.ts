/**
 * Well-formed Unicode (issue 11, finding 9): a lone surrogate (`"\ud800"` in JSON) is no character. It
 * passes length and "not blank" checks, cannot be encoded as UTF-8 (PostgreSQL refuses it, SQLite and
 * hashes see U+FFFD), and so can make a step fail after its id was taken. The API refuses such text at the
 * edge; identities and JWT subjects are checked with this too.
 */

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** String.prototype.isWellFormed, which the TypeScript target here does not declare. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * The path of the first string (or object key) in a JSON-like value that is not well-formed, or null.
 * Paths read like the validation errors' fields: `a.b.0.c`; `prefix` names the root. Iterative, so a
 * deeply nested body cannot exhaust the stack.
 */
export function firstMalformedText(value: unknown, prefix: string): string | null {
  const pending: Array<[string, unknown]> = [[prefix, value]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [path, item] = next;
    if (typeof item === 'string') {
      if (!isWellFormedText(item)) return path;
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    const entries: Array<[string, unknown]> = Array.isArray(item) ? item.map((v, i) => [String(i), v]) : Object.entries(item);
    // Pushed in reverse so the first field at fault is the one reported.
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, inner] = entries[i];
      const innerPath = path === '' ? key : `${path}.${key}`;
      if (!isWellFormedText(key)) return innerPath;
      pending.push([innerPath, inner]);
    }
  }
  return null;
}
