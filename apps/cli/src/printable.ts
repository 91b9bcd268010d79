/**
 * Text from the server (titles, descriptions, reasons, actor names) is printed to terminals and CI logs.
 * Control characters in it could rewrite what the reader sees: ESC sequences move the cursor, recolour or
 * retitle the terminal, CR overwrites a line, bidi overrides (U+202E) reverse text, and a newline can forge
 * a log line (`::error::` in a CI log). `printable` shows each as a visible escape instead (issue 11,
 * finding 9). `--json` output needs none of this: JSON.stringify escapes C0 controls itself.
 */

// C0 (except none: tab and newline are escaped too, a value is one field), DEL, C1, the bidi embeddings,
// overrides and isolates, the line and paragraph separators, zero-width and BOM characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control, bidi and invisible formatting character (and lone surrogate) shown escaped. */
export function printable(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  // Well-formed surrogate pairs (emoji) are kept; lone halves are escaped.
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[^]/g, (match) => (match.length === 2 ? match : match.replace(UNSAFE, escape)));
}
