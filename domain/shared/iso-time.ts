/**
 * Time enters the domain only as ISO-8601 strings supplied by callers (the workflow's deterministic clock),
 * so decisions replay identically. These helpers compute with those strings; no clock is read here.
 */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoTimestamp(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

export function toEpochMs(iso: string): number {
  return Date.parse(iso);
}

/** `iso` plus `ms`, as a UTC ISO string with millisecond precision. */
export function addMilliseconds(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

export function isAtOrAfter(a: string, b: string): boolean {
  return Date.parse(a) >= Date.parse(b);
}

export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

/** The earliest of the given instants, or null when there are none. */
export function earliest(instants: readonly (string | null)[]): string | null {
  let best: string | null = null;
  for (const i of instants) {
    if (i !== null && (best === null || Date.parse(i) < Date.parse(best))) best = i;
  }
  return best;
}
