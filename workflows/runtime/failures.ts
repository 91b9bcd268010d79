/**
 * The one way a process refuses a caller: a non-retryable ApplicationFailure whose type is the domain
 * error's code and whose details carry the whole error, so the API maps every process's refusals alike.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { DomainError } from '../../domain/shared/domain-error';
import { validationFailed } from '../../domain/shared/validation';

export function failureOf(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: error.message, details: [error], nonRetryable: true });
}

/** An argument that is not even the shape of a command (the API never sends one; a direct Update may). */
export function validationFailure(update: string, field: string, problem: string): ApplicationFailure {
  return failureOf(validationFailed(update, [{ field, problem }]));
}
