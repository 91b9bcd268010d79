/**
 * Refusals of the nonconformity domain (its role rules included) as RFC 9457 problems. Every problem
 * carries the refusal's `code` and `details`, so a caller can branch on the code rather than the prose:
 *
 *   403  who may act: MISSING_ROLE, SEGREGATION_OF_DUTIES, NOT_ACTION_OWNER, REVIEWER_NOT_INDEPENDENT,
 *        INVALID_ACTOR
 *   400  the input: VALIDATION_FAILED, INVALID_UPDATE, UNKNOWN_COMMAND, UNKNOWN_ANNEX_A_CONTROL, UNKNOWN_CLAUSE
 *        (with `errors` naming each field)
 *   422  well-formed but not acceptable: DUE_DATE_NOT_AFTER_SUBMISSION (naming each due date)
 *   404  what the step refers to is unknown: NONCONFORMITY_NOT_RAISED, UNKNOWN_CORRECTIVE_ACTION
 *   409  everything else: the nonconformity is not where the step belongs (INVALID_TRANSITION, PLAN_NOT_PENDING,
 *        NONCONFORMITY_CLOSED, EFFECTIVENESS_REVIEW_NOT_DUE, DUPLICATE_ID, NONCONFORMITY_ALREADY_RAISED …)
 */
import { HttpException } from '@nestjs/common';
import type { DomainError } from '../../../../domain/shared/domain-error';
import type { ProblemDetails } from '../common/problem-details.filter';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  MISSING_ROLE: 403,
  SEGREGATION_OF_DUTIES: 403,
  NOT_ACTION_OWNER: 403,
  REVIEWER_NOT_INDEPENDENT: 403,
  INVALID_ACTOR: 403,
  VALIDATION_FAILED: 400,
  INVALID_UPDATE: 400,
  UNKNOWN_COMMAND: 400,
  UNKNOWN_ANNEX_A_CONTROL: 400,
  UNKNOWN_CLAUSE: 400,
  DUE_DATE_NOT_AFTER_SUBMISSION: 422,
  NONCONFORMITY_NOT_RAISED: 404,
  UNKNOWN_CORRECTIVE_ACTION: 404,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
};

/** The HTTP status a refusal with this code gets. */
export function statusOfRefusal(code: string): number {
  return STATUS_BY_CODE[code] ?? 409;
}

type FieldErrors = NonNullable<ProblemDetails['errors']>;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The fields a refusal is about, for the validation-ish codes. `actionIds` are the plan's action ids in the
 * order the request listed them, so due-date refusals can name `actions[i].dueDate`.
 */
function fieldErrorsOf(error: DomainError, context: { actionIds?: string[] }): FieldErrors | undefined {
  const details = error.details as Record<string, unknown>;
  switch (error.code) {
    case 'VALIDATION_FAILED': {
      const issues = Array.isArray(details.issues) ? (details.issues as Array<{ field?: unknown; problem?: unknown }>) : [];
      return issues.map((issue) => ({ field: String(issue.field), messages: [`${String(issue.field)} ${String(issue.problem)}`] }));
    }
    case 'UNKNOWN_ANNEX_A_CONTROL':
      return [{ field: 'annexAControlIds', messages: [`not Annex A controls: ${stringList(details.controlIds).join(', ')}`] }];
    case 'UNKNOWN_CLAUSE':
      return [{ field: 'clauseIds', messages: [`not clauses of 4-10: ${stringList(details.clauseIds).join(', ')}`] }];
    case 'DUE_DATE_NOT_AFTER_SUBMISSION':
      return stringList(details.actionIds).map((actionId) => {
        const index = context.actionIds?.indexOf(actionId) ?? -1;
        return { field: index >= 0 ? `actions[${index}].dueDate` : 'actions', messages: [`the due date of ${actionId} must lie after the plan's submission`] };
      });
    default:
      return undefined;
  }
}

function kebab(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}

/** A domain or role refusal as the HttpException the problem filter renders. */
export function refusalProblem(error: DomainError, context: { actionIds?: string[] } = {}): HttpException {
  const status = statusOfRefusal(error.code);
  const body: ProblemDetails = {
    type: `urn:aims:problem:${kebab(error.code)}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
    details: error.details,
  };
  const errors = fieldErrorsOf(error, context);
  if (errors !== undefined) body.errors = errors;
  return new HttpException(body, status);
}

/** A problem of the API's own (not a domain refusal) in the same shape: status, code and details. */
export function nonconformityProblem(status: number, code: string, detail: string, details: Record<string, unknown> = {}): HttpException {
  return new HttpException({ type: `urn:aims:problem:${kebab(code)}`, title: TITLES[status] ?? 'Error', status, detail, code, details }, status);
}
