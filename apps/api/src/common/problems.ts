/**
 * RFC 9457 problem details as the API builds them: one table of titles per status, one way to name a
 * problem type after its code, and the few problems of the API's own (a bad field, an unknown resource).
 * Refusals of the processes are mapped in problem-mapper.ts; the filter renders every problem.
 */
import { HttpException } from '@nestjs/common';

/** The title of each status the API answers with (RFC 9110 reason phrases). */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleOf(status: number): string {
  return STATUS_TITLES[status] ?? 'Error';
}

/** `urn:aims:problem:<code in kebab case>`: DEPLOYMENT_BLOCKED → urn:aims:problem:deployment-blocked. */
export function problemType(code: string): string {
  return `urn:aims:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/** A problem carrying a `code` (and whatever else the caller needs to act on it). */
export function problem(status: number, code: string, detail: string, extension: Record<string, unknown> = {}): HttpException {
  return new HttpException({ type: problemType(code), title: titleOf(status), status, detail, code, ...extension }, status);
}

/** Fields of a request that failed validation, each with what is wrong with it. */
export type FieldErrors = Array<{ field: string; messages: string[] }>;

/**
 * 400 VALIDATION_FAILED naming each field at fault: what the validation pipe answers, what a controller
 * answers for a rule between fields, and what a process's own VALIDATION_FAILED refusal becomes.
 */
export function validationFailed(
  errors: FieldErrors,
  detail = `${errors.length} field(s) failed validation`,
  extension: Record<string, unknown> = {},
): HttpException {
  return problem(400, 'VALIDATION_FAILED', detail, { ...extension, errors });
}

/** A 400 problem naming the one field at fault. */
export function invalidField(field: string, message: string): HttpException {
  return validationFailed([{ field, messages: [message] }], `${field}: ${message}`);
}

/** A 404 for a resource a read endpoint looked up by id. */
export function notFound(what: string, id: string, qualifier = ''): HttpException {
  return new HttpException(
    { type: 'urn:aims:problem:not-found', title: titleOf(404), status: 404, detail: `There is no ${what} ${id}${qualifier}.` },
    404,
  );
}

/** What every caller sees of a bug (500): nothing of the error itself, which the exception filter logs. */
export const INTERNAL_ERROR_DETAIL = 'An unexpected error occurred; it has been logged.';

/**
 * A 500 `internal-error` problem for an error that is no refusal; `cause` stays on the exception (never in
 * the body) so the filter logs its stack.
 */
export function internalError(cause: unknown): HttpException {
  return new HttpException(
    { type: 'urn:aims:problem:internal-error', title: titleOf(500), status: 500, detail: INTERNAL_ERROR_DETAIL },
    500,
    { cause },
  );
}

/** Temporal (or the worker behind it) could not be reached or did not answer. */
export function unavailable(code: 'TEMPORAL_UNAVAILABLE' | 'COMMAND_TIMED_OUT', detail: string): HttpException {
  return new HttpException({ type: problemType(code), title: titleOf(503), status: 503, detail, code }, 503);
}
