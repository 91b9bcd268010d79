/**
 * Every way a command can be refused, as a typed error: `code` to branch on, `message` to show,
 * `details` with the facts. Human-task codes come from domain/shared/human-task.ts.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import type { HumanTaskErrorCode } from '../shared/human-task';
import type { JsonObject } from '../shared/json';

export type AiSystemErrorCode =
  | HumanTaskErrorCode
  | 'INVALID_POLICY'
  | 'INVALID_COMMAND'
  | 'UNKNOWN_COMMAND'
  | 'INVALID_ARTIFACT_DIGEST'
  | 'DUPLICATE_ID'
  | 'AI_SYSTEM_NOT_REGISTERED'
  | 'AI_SYSTEM_ALREADY_REGISTERED'
  | 'AI_SYSTEM_DECOMMISSIONED'
  | 'DECOMMISSIONING_IN_PROGRESS'
  | 'COMMAND_NOT_ALLOWED_IN_STAGE'
  | 'IMPACT_ASSESSMENT_UNDER_REVIEW'
  | 'IMPACT_ASSESSMENT_ALREADY_CURRENT'
  | 'IMPACT_ASSESSMENT_INCOMPLETE'
  | 'IMPACT_WITHOUT_MITIGATION'
  | 'IMPACT_ASSESSMENT_NOT_CURRENT'
  | 'DATASET_UNKNOWN'
  | 'DATASET_QUALITY_NOT_PASSED'
  | 'MODEL_VERSION_UNKNOWN'
  | 'MODEL_VERSION_EXISTS'
  | 'MODEL_VERSION_NOT_CURRENT'
  | 'ARTIFACT_DIGEST_ALREADY_REGISTERED'
  | 'ARTIFACT_DIGEST_MISMATCH'
  | 'VALIDATION_UNKNOWN'
  | 'VALIDATION_IN_PROGRESS'
  | 'VALIDATION_ALREADY_EVALUATED'
  | 'VALIDATION_NO_LONGER_CURRENT'
  | 'ACCEPTANCE_EVALUATION_MISMATCH'
  | 'DEPLOYMENT_REQUEST_UNKNOWN'
  | 'DEPLOYMENT_NOT_APPROVED'
  | 'DEPLOYMENT_ALREADY_COMPLETED'
  | 'DEPLOYMENT_NO_LONGER_ALLOWED'
  | 'NOT_IN_PRODUCTION'
  | 'NONCONFORMITY_UNKNOWN'
  | 'NONCONFORMITY_ALREADY_CLOSED'
  | 'CHANGE_MUST_BE_SIGNIFICANT'
  | 'DECOMMISSIONING_NOT_APPROVED';

export type AiSystemError = DomainError<AiSystemErrorCode>;

export function aiSystemError(code: AiSystemErrorCode, message: string, details: JsonObject = {}): AiSystemError {
  return domainError(code, message, details);
}

/** Input that is malformed rather than illegal: every problem found, by field. */
export function invalidCommand(command: string, problems: string[]): AiSystemError {
  return aiSystemError('INVALID_COMMAND', `${command} is invalid: ${problems.join('; ')}.`, { command, problems });
}
