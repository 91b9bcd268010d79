/**
 * How the lifecycle's refusals leave the API: every domain error as problem+json carrying its `code` and
 * `details`, with the status that tells a caller what to do about it:
 *   403  MISSING_ROLE, SEGREGATION_OF_DUTIES      — someone else must act
 *   422  INVALID_*, UNKNOWN_COMMAND, an incomplete impact assessment, a decision without its reasons or
 *        with an outcome its task does not offer — fix the request's content
 *   404  the system (or the resource the path names) does not exist
 *   409  everything else: the request is well-formed but the system's state does not allow it now
 */
import { HttpException } from '@nestjs/common';
import { isDomainError, type DomainError } from '../../../../domain/shared/domain-error';
import type { JsonValue } from '../../../../infra/ports/event-store.port';

const FORBIDDEN: ReadonlySet<string> = new Set(['MISSING_ROLE', 'SEGREGATION_OF_DUTIES']);
const UNPROCESSABLE: ReadonlySet<string> = new Set([
  'VALIDATION_FAILED',
  'INVALID_ACTOR',
  'INVALID_POLICY',
  'INVALID_ARTIFACT_DIGEST',
  'UNKNOWN_COMMAND',
  'IMPACT_ASSESSMENT_INCOMPLETE',
  'IMPACT_WITHOUT_MITIGATION',
  'HUMAN_TASK_REASON_REQUIRED',
  'HUMAN_TASK_OUTCOME_NOT_ALLOWED',
]);
const NOT_FOUND: ReadonlySet<string> = new Set(['AI_SYSTEM_NOT_REGISTERED']);

const TITLES: Record<number, string> = { 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Content' };

export function problemType(code: string): string {
  return `urn:aims:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * The HTTP status of a refusal. `pathResources` lists codes that mean "the resource named in the path does
 * not exist" for this endpoint (e.g. DEPLOYMENT_REQUEST_UNKNOWN on …/deployments/{requestId}/completion).
 */
export function statusOfRefusal(code: string, pathResources: readonly string[] = []): number {
  if (FORBIDDEN.has(code)) return 403;
  if (UNPROCESSABLE.has(code)) return 422;
  if (NOT_FOUND.has(code) || pathResources.includes(code)) return 404;
  return 409;
}

export function domainProblem(error: DomainError, pathResources: readonly string[] = []): HttpException {
  const status = statusOfRefusal(error.code, pathResources);
  const body: Record<string, unknown> = {
    type: problemType(error.code),
    title: TITLES[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
    details: error.details,
  };
  const problems = (error.details as { problems?: JsonValue }).problems;
  if (Array.isArray(problems)) body.problems = problems;
  return new HttpException(body, status);
}

/** The domain error a Temporal failure carries (`details[0]`), if it carries one. */
export function domainErrorOf(details: unknown): DomainError | null {
  const first = Array.isArray(details) ? details[0] : undefined;
  return isDomainError(first) ? first : null;
}

export function notFoundProblem(code: string, detail: string): HttpException {
  return new HttpException({ type: problemType(code), title: 'Not Found', status: 404, detail, code }, 404);
}

export function conflictProblem(code: string, detail: string, extra: Record<string, unknown> = {}): HttpException {
  return new HttpException({ type: problemType(code), title: 'Conflict', status: 409, detail, code, ...extra }, 409);
}

export function unavailableProblem(detail: string): HttpException {
  return new HttpException({ type: 'urn:aims:problem:lifecycle-unavailable', title: 'Service Unavailable', status: 503, detail }, 503);
}
