/**
 * Stream names are `<category>-<id>`, as in EventStoreDB/KurrentDB: `ai-system-42`, `risk-assessment-7f3e…`.
 *
 * Allowed characters are ASCII letters, digits and `_ . : @`, in dash-separated segments: at least two
 * segments, none empty, the first starting with a letter, 256 characters at most. Restricting the alphabet
 * keeps names safe to print in audit reports, to pass on a command line and to compare byte for byte.
 *
 * Categories may themselves contain dashes (`ai-system`), so a stream belongs to category C when its name
 * begins with `C-`: `ai-system-42` is in `ai-system` (and, by the same rule, in `ai`). Filters by category
 * use exactly this prefix rule.
 */
import { InvalidReadOptionsError, InvalidStreamNameError } from './evidence-errors';

export const MAX_STREAM_NAME_LENGTH = 256;

const SEGMENT_CHARS = 'A-Za-z0-9_.:@';
const STREAM_NAME = new RegExp(`^[A-Za-z][${SEGMENT_CHARS}]*(?:-[${SEGMENT_CHARS}]+)+$`);
const CATEGORY = new RegExp(`^[A-Za-z][${SEGMENT_CHARS}]*(?:-[${SEGMENT_CHARS}]+)*$`);

/** Why `stream` is not a valid stream name, or undefined when it is. */
export function streamNameProblem(stream: unknown): string | undefined {
  if (typeof stream !== 'string') return 'must be a string';
  if (stream.length === 0) return 'must not be empty';
  if (stream.length > MAX_STREAM_NAME_LENGTH) return `must be at most ${MAX_STREAM_NAME_LENGTH} characters`;
  if (!stream.includes('-')) return 'must be <category>-<id> (no "-" found)';
  if (!/^[A-Za-z]/.test(stream)) return 'must start with a letter';
  if (/--|-$/.test(stream)) return 'must not have an empty segment ("--" or a trailing "-")';
  if (!STREAM_NAME.test(stream)) return 'may contain only ASCII letters, digits, "-" and _ . : @';
  return undefined;
}

export function assertValidStreamName(stream: unknown): asserts stream is string {
  const problem = streamNameProblem(stream);
  if (problem !== undefined) throw new InvalidStreamNameError(stream, problem);
}

export function assertValidCategory(category: unknown, option = 'categories'): asserts category is string {
  if (typeof category !== 'string' || category.length === 0 || category.length >= MAX_STREAM_NAME_LENGTH || !CATEGORY.test(category)) {
    throw new InvalidReadOptionsError(
      option,
      category,
      'a category is one or more dash-separated segments of letters, digits and _ . : @, starting with a letter',
    );
  }
}

/** Builds `<category>-<id>` and checks the result. */
export function streamName(category: string, id: string | number): string {
  assertValidCategory(category, 'category');
  const stream = `${category}-${String(id)}`;
  assertValidStreamName(stream);
  return stream;
}

/** True when `stream` belongs to `category` (its name begins with `<category>-`). */
export function isStreamInCategory(stream: string, category: string): boolean {
  return stream.startsWith(`${category}-`);
}
