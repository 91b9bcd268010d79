/**
 * Time as the domain handles it: ISO 8601 strings supplied by callers (a workflow's deterministic clock, a
 * command's `at`). Pure arithmetic on those strings; nothing here reads a clock (`new Date(ms)` only formats
 * a number it is given), so the same code runs inside Temporal workflows and replays identically.
 *
 * Two readings of an instant live here: `isIsoTimestamp` (the AI-system lifecycle: the shape, then
 * `Date.parse`, which lets `2025-02-30` roll over into March) and the stricter `parseInstant`/`isInstant`
 * (nonconformities: a real calendar date and time of day). Making the lifecycle strict would change which
 * of its commands are accepted, and recorded histories replay against that; it is a change of its own.
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

// ---------------------------------------------------------------------------------------------------------
// Strict instants, due dates and fixed-length durations
// ---------------------------------------------------------------------------------------------------------

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// Only units of fixed length (weeks, days, hours, minutes, seconds): months and years have no fixed length,
// and a review period must mean the same span whenever it is computed.
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

const MS_PER_SECOND = 1000;
const MS_PER_DAY = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Milliseconds since the epoch for an ISO 8601 instant with an explicit offset (`2025-03-01T09:30:00Z`,
 * `2025-03-01T10:30:00.123+01:00`), or null when the text is not one. Fractions beyond milliseconds are
 * truncated (PostgreSQL gives microseconds).
 */
export function parseInstant(text: string): number | null {
  if (typeof text !== 'string') return null;
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (!validCalendarDate(year, month, day)) return null;
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offH * 60 + offM);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

export function isInstant(text: unknown): text is string {
  return typeof text === 'string' && parseInstant(text) !== null;
}

/**
 * The instant from which a corrective action counts as overdue. A due date may be an instant, or a calendar
 * date (`2025-03-31`), which means "by the end of that day (UTC)": overdue from the next midnight UTC.
 */
export function dueInstant(dueDate: string): number | null {
  const m = typeof dueDate === 'string' ? DATE_ONLY.exec(dueDate) : null;
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (!validCalendarDate(year, month, day)) return null;
    return Date.UTC(year, month - 1, day) + MS_PER_DAY;
  }
  return parseInstant(dueDate);
}

export function isDueDate(text: unknown): text is string {
  return typeof text === 'string' && dueInstant(text) !== null;
}

/**
 * Milliseconds in an ISO 8601 duration of fixed-length units (`P30D`, `P2W`, `PT12H`, `P1DT6H`, `PT5S`), or
 * null when the text is not one (including `P1M`/`P1Y`, whose length depends on the calendar).
 */
export function parseFixedDuration(text: string): number | null {
  if (typeof text !== 'string' || text === 'P' || text.endsWith('T')) return null;
  const m = DURATION.exec(text);
  if (!m) return null;
  const [, w, d, h, mi, s] = m;
  if ([w, d, h, mi, s].every((part) => part === undefined)) return null;
  const n = (part: string | undefined): number => (part === undefined ? 0 : Number(part));
  return Math.round(n(w) * 7 * MS_PER_DAY + n(d) * MS_PER_DAY + n(h) * 3_600_000 + n(mi) * 60_000 + n(s) * MS_PER_SECOND);
}

/** An instant as the domain writes it: UTC, millisecond precision (`2025-03-01T09:30:00.000Z`). */
export function formatInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
