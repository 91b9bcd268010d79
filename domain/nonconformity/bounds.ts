/**
 * The bounds of every duration and date a nonconformity takes (issue 11, finding 7). Without them a review
 * delay of `P100000000D` made the last action's completion compute an instant past the end of time (a
 * RangeError, so the nonconformity could never close) and `PT1S` made the review immediate.
 *
 * `boundsIssues` holds them and `decideWithinBounds` (decide.ts) applies them before `decide`: the API
 * and every `nonconformity` run since NONCONFORMITY_BOUNDS_PATCH decide with it, while runs recorded before
 * keep plain `decide` and replay as they ran (one recorded plan has an action due in 2099).
 *
 * Two floors for the review delay: the hard one (a second) is the domain's; the API applies the
 * deployment's (AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY, a day unless lowered for tests and demos).
 */
import { dueInstant, parseFixedDuration, parseInstant } from '../shared/iso-time';
import type { ValidationIssue } from '../shared/validation';
import type { NonconformityCommand } from './commands';

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

/** The latest instant the domain writes (`9999-12-31T23:59:59.999Z`): four-digit years, and always a Date. */
export const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * When the effectiveness review falls due: `completedAt` plus the delay. A nonconformity raised before the
 * bounds may carry a delay that reaches past LATEST_INSTANT_MS (the completion threw, so nothing was ever
 * recorded from it): its review falls due after the longest delay instead, so it can still close.
 */
export function reviewDueMs(completedAtMs: number, delay: string): number {
  const ms = parseFixedDuration(delay);
  const due = ms === null ? Number.NaN : completedAtMs + ms;
  return Number.isFinite(due) && due <= LATEST_INSTANT_MS ? due : completedAtMs + EFFECTIVENESS_REVIEW_DELAY_MAX_MS;
}

/** Every bound the command breaks (empty when within them, or when its shape is wrong: `decide` says so). */
export function boundsIssues(command: NonconformityCommand): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (command.type === 'RaiseNonconformity') {
    const delay = reviewDelayIssue(command.effectivenessReviewDelay, EFFECTIVENESS_REVIEW_DELAY_HARD_MIN_MS);
    if (delay !== null && parseFixedDuration(command.effectivenessReviewDelay) !== null) issues.push(delay);
  }
  if (command.type === 'SubmitCorrectiveActionPlan' && Array.isArray(command.actions) && typeof command.at === 'string') {
    command.actions.forEach((a, i) => {
      const tooFar = typeof a?.dueDate === 'string' ? dueDateHorizonIssue(`actions[${i}].dueDate`, a.dueDate, command.at) : null;
      if (tooFar !== null) issues.push(tooFar);
    });
  }
  return issues;
}
