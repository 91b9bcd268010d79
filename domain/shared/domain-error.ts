/**
 * A typed domain error: a stable `code` a caller can branch on, a `message` fit to show a person, and
 * `details` (plain JSON) carrying the facts behind the refusal. A plain object, not an Error subclass, so
 * it can travel through Temporal payloads and be recorded; the workflow converts it to a failure.
 */
import type { JsonObject } from './json';

export type DomainError<Code extends string = string> = {
  kind: 'DomainError';
  code: Code;
  message: string;
  details: JsonObject;
};

export function domainError<Code extends string>(code: Code, message: string, details: JsonObject = {}): DomainError<Code> {
  return { kind: 'DomainError', code, message, details };
}

export function isDomainError(value: unknown): value is DomainError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'DomainError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
