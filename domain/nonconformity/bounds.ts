/**
 * The bounds of every duration and date a nonconformity takes (issue 11, finding 7). Without them a review
 * delay of `P100000000D` made the last action's completion compute an instant past the end of time (a
 * RangeError, so the nonconformity could never close) and `PT1S` made the review immediate.
 *
 * Two floors for the review delay: `decide` refuses only what can never be right (zero, or beyond two
 * years), which every recorded run respects, so replay is unaffected; the API also refuses anything
 * shorter than a day (`reviewDelayIssue` with the deployment's floor, AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY),
 * which test deployments lower to run a whole corrective action in seconds.
 */
import { dueInstant, parseFixedDuration, parseInstant } from '../shared/iso-time';
import type { ValidationIssue } from '../shared/validation';

const DAY_MS = 86_400_000;

/** The review delay a person may choose: at least a day of operation, at most two years. */
export const EFFECTIVENESS_REVIEW_DELAY_MIN = 'P1D';
export const EFFECTIVENESS_REVIEW_DELAY_MAX = 'P730D';
export const EFFECTIVENESS_REVIEW_DELAY_MIN_MS = DAY_MS;
export const EFFECTIVENESS_REVIEW_DELAY_MAX_MS = 730 * DAY_MS;
/** The lowest floor a deployment may set (tests, demos); `decide`'s own floor. */
export const EFFECTIVENESS_REVIEW_DELAY_HARD_MIN_MS = 1_000;

/** The longest reminder lead time and escalation delay of the workflow's timers. */
export const FOLLOW_UP_DURATION_MAX = 'P365D';
export const FOLLOW_UP_DURATION_MAX_MS = 365 * DAY_MS;

/** How far after a plan's submission an action may be due: five years (365-day years). */
export const DUE_DATE_HORIZON_MS = 5 * 365 * DAY_MS;

const DURATION_SHAPE = 'must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. P30D';

/** A duration as words people read: `P1D` → "1 day(s)", `PT1S` → "1 second(s)". */
function spoken(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS} day(s)` : `${ms / 1000} second(s)`;
}

/** Why `value` is no duration between `minMs` and `maxMs` (inclusive), or null when it is one. */
export function durationIssue(field: string, value: unknown, minMs: number, maxMs: number): ValidationIssue | null {
  const ms = typeof value === 'string' ? parseFixedDuration(value) : null;
  if (ms === null) return { field, problem: DURATION_SHAPE };
  if (ms < minMs || ms > maxMs) return { field, problem: `must be between ${spoken(minMs)} and ${spoken(maxMs)}` };
  return null;
}

/**
 * The effectiveness-review delay against the floor `minMs` (by default a day; never below the hard floor
 * of a second) and the two-year ceiling.
 */
export function reviewDelayIssue(
  value: unknown,
  minMs: number = EFFECTIVENESS_REVIEW_DELAY_MIN_MS,
  field = 'effectivenessReviewDelay',
): ValidationIssue | null {
  return durationIssue(field, value, Math.max(minMs, EFFECTIVENESS_REVIEW_DELAY_HARD_MIN_MS), EFFECTIVENESS_REVIEW_DELAY_MAX_MS);
}

/** A reminder lead time or escalation delay: at most a year (PT0S: no reminder, escalation at once). */
export function followUpDurationIssue(field: string, value: unknown): ValidationIssue | null {
  return durationIssue(field, value, 0, FOLLOW_UP_DURATION_MAX_MS);
}

/** Why a due date given at `at` lies too far ahead, or null (whether it lies after `at` is decide's own check). */
export function dueDateHorizonIssue(field: string, dueDate: string, at: string): ValidationIssue | null {
  const due = dueInstant(dueDate);
  const from = parseInstant(at);
  if (due === null || from === null) return null; // the shape checks report these
  return due - from > DUE_DATE_HORIZON_MS ? { field, problem: 'must lie at most 5 years after the plan is submitted' } : null;
}

/**
 * The review delay as milliseconds, within the bounds: a nonconformity raised before the ceiling existed
 * may carry a longer one, and is reviewed after two years rather than never.
 */
export function boundedReviewDelayMs(delay: string): number {
  const ms = parseFixedDuration(delay) ?? EFFECTIVENESS_REVIEW_DELAY_MAX_MS;
  return Math.min(Math.max(ms, 0), EFFECTIVENESS_REVIEW_DELAY_MAX_MS);
}
