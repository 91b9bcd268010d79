/**
 * Every way a command can be refused, as a typed error: `code` to branch on, `message` to show,
 * `details` with the facts. Human-task codes come from domain/shared/human-task.ts; malformed input is
 * `VALIDATION_FAILED` with `details.issues` (domain/shared/validation.ts), as in every domain.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import type { HumanTaskErrorCode } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import { describeIssues, validationFailed, type ValidationFailed, type ValidationIssue } from '../shared/validation';
import type { PolicyError } from './policy';

export type AiSystemErrorCode =
  | HumanTaskErrorCode
  | 'VALIDATION_FAILED'
  | 'INVALID_POLICY'
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
  | 'DECOMMISSIONING_NOT_APPROVED'
  | 'POLICY_VERSION_OLDER'
  | 'POLICY_ALREADY_APPLIED';

/** Codes whose details are typed; the others carry the facts of the refusal as plain JSON. */
type TypedCode = 'VALIDATION_FAILED' | 'INVALID_POLICY' | 'IMPACT_ASSESSMENT_INCOMPLETE';

export type ImpactAssessmentIncomplete = DomainError<'IMPACT_ASSESSMENT_INCOMPLETE'> & { details: { issues: ValidationIssue[] } };

export type AiSystemError =
  DomainError<Exclude<AiSystemErrorCode, TypedCode>> | ValidationFailed | PolicyError | ImpactAssessmentIncomplete;

export function aiSystemError(code: Exclude<AiSystemErrorCode, TypedCode>, message: string, details: JsonObject = {}): AiSystemError {
  return domainError(code, message, details);
}

/** Input that is malformed rather than illegal: every issue found, each under its field's path. */
export function invalid(command: string, issues: readonly ValidationIssue[]): ValidationFailed {
  return validationFailed(command, issues);
}

/** An impact assessment that does not describe what 8.4 and A.5 require (IMPACT_ASSESSMENT_INCOMPLETE). */
export function incompleteImpactAssessment(issues: readonly ValidationIssue[]): ImpactAssessmentIncomplete {
  return {
    kind: 'DomainError',
    code: 'IMPACT_ASSESSMENT_INCOMPLETE',
    message: `The impact assessment is incomplete: ${describeIssues(issues)}.`,
    details: { issues: issues.map((i) => ({ field: i.field, problem: i.problem })) },
  };
}
