/**
 * The one way every domain refuses malformed input: `VALIDATION_FAILED` with `details.issues`, each issue
 * naming the field by its path in the command (`content.impacts[2].likelihood`) and saying what is wrong
 * with it (`problem`, a predicate that reads after the field name: "must be a non-empty string"). Commands
 * arrive as JSON from untyped callers, so every problem is collected and reported at once.
 */
import { isIsoTimestamp } from './iso-time';
import type { DomainError } from './domain-error';

export type ValidationIssue = { field: string; problem: string };

export type ValidationFailed = DomainError<'VALIDATION_FAILED'> & { details: { issues: ValidationIssue[] } };

/** "field problem; field problem": the issues as one sentence fragment, for messages. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.field === '' ? i.problem : `${i.field} ${i.problem}`)).join('; ');
}

/** The refusal of `subject` (usually the command type) for these issues. */
export function validationFailed(subject: string, issues: readonly ValidationIssue[]): ValidationFailed {
  return {
    kind: 'DomainError',
    code: 'VALIDATION_FAILED',
    message: `${subject} is invalid: ${describeIssues(issues)}.`,
    details: { issues: issues.map((i) => ({ field: i.field, problem: i.problem })) },
  };
}

/**
 * Collects issues. Each check reports at most one issue for its field and returns whether the value
 * passed, so a caller can skip checks that would only repeat the same failure.
 */
export class ValidationIssues {
  readonly list: ValidationIssue[] = [];

  get empty(): boolean {
    return this.list.length === 0;
  }

  add(field: string, problem: string): false {
    this.list.push({ field, problem });
    return false;
  }

  /** Every issue of a nested check, its field placed under `prefix` (`policy` + `taskRoles.x` = `policy.taskRoles.x`). */
  addAll(issues: readonly ValidationIssue[], prefix = ''): void {
    for (const i of issues) this.add(prefix === '' ? i.field : i.field === '' ? prefix : `${prefix}.${i.field}`, i.problem);
  }

  text(field: string, value: unknown): boolean {
    return (typeof value === 'string' && value.trim() !== '') || this.add(field, 'must be a non-empty string');
  }

  optionalText(field: string, value: unknown): boolean {
    return value === null || value === undefined || typeof value === 'string' || this.add(field, 'must be a string or null');
  }

  timestamp(field: string, value: unknown): boolean {
    return isIsoTimestamp(value) || this.add(field, 'must be an ISO-8601 timestamp, e.g. 2025-03-01T09:30:00Z');
  }

  optionalTimestamp(field: string, value: unknown): boolean {
    return value === null || value === undefined || isIsoTimestamp(value) || this.add(field, 'must be an ISO-8601 timestamp or null');
  }

  oneOf(field: string, value: unknown, allowed: readonly string[]): boolean {
    return (typeof value === 'string' && allowed.includes(value)) || this.add(field, `must be one of: ${allowed.join(', ')}`);
  }

  boolean(field: string, value: unknown): boolean {
    return typeof value === 'boolean' || this.add(field, 'must be true or false');
  }

  finiteNumber(field: string, value: unknown): boolean {
    return (typeof value === 'number' && Number.isFinite(value)) || this.add(field, 'must be a finite number');
  }

  /** No value named twice in `values` (the field is the list); `what` says what the values are. */
  distinct(field: string, values: readonly unknown[], what = 'value'): boolean {
    const repeated = repeatedValues(values);
    return repeated.length === 0 || this.add(field, `names the ${what} ${repeated.join(', ')} more than once`);
  }
}

/** The values that occur more than once, each once, in order of their second occurrence. */
export function repeatedValues(values: readonly unknown[]): string[] {
  const seen = new Set<unknown>();
  const repeated: string[] = [];
  for (const v of values) {
    if (seen.has(v) && !repeated.includes(String(v))) repeated.push(String(v));
    seen.add(v);
  }
  return repeated;
}
