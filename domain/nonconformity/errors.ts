/**
 * Why `decide` refused a command. Each error has the project's common DomainError shape (domain/shared):
 * a stable `code`, a `message` for people, and `details` (plain JSON, typed per code) with the facts a
 * caller needs, so the same converter turns it into an RFC 9457 problem and it can cross Temporal payloads.
 */
import type { DomainError } from '../shared/domain-error';
import type { AimsRole } from '../shared/roles';
import type { ValidationIssue } from '../shared/validation';
import type { NonconformityCommandType, NonconformityStepName } from './commands';
import type { NonconformityStatus } from './nonconformity';

// The issue type is shared by every domain's VALIDATION_FAILED; re-exported so this module's users keep their import.
export type { ValidationIssue } from '../shared/validation';

type Err<Code extends string, Details> = DomainError<Code> & { details: Details };

export type NonconformityError =
  | Err<'VALIDATION_FAILED', { issues: ValidationIssue[] }>
  | Err<'UNKNOWN_COMMAND', { commandType: string }>
  // Who may act (authority.ts).
  | Err<'INVALID_ACTOR', { update: NonconformityStepName }>
  | Err<'MISSING_ROLE', { update: NonconformityStepName; actorId: string; actorRoles: AimsRole[]; requiredRoles: AimsRole[] }>
  | Err<'NOT_ACTION_OWNER', { actionId: string; owner: string; actorId: string; escalated: boolean }>
  | Err<
      'REVIEWER_NOT_INDEPENDENT',
      { actorId: string; planAuthorId: string; conflict: 'plan_author' | 'corrective_action_completer'; actionIds: string[] }
    >
  | Err<'UNKNOWN_ANNEX_A_CONTROL', { controlIds: string[] }>
  | Err<'UNKNOWN_CLAUSE', { clauseIds: string[] }>
  | Err<'NONCONFORMITY_ALREADY_RAISED', { nonconformityId: string }>
  | Err<'NONCONFORMITY_NOT_RAISED', { nonconformityId: string }>
  | Err<'NONCONFORMITY_ID_MISMATCH', { nonconformityId: string; commandNonconformityId: string }>
  | Err<'NONCONFORMITY_CLOSED', { nonconformityId: string }>
  | Err<'TIME_BEFORE_LAST_EVENT', { at: string; lastEventAt: string }>
  | Err<'INVALID_TRANSITION', { commandType: NonconformityCommandType; status: NonconformityStatus; allowedIn: NonconformityStatus[] }>
  | Err<'ROOT_CAUSE_ANALYSIS_MISSING', { round: number }>
  | Err<'DUPLICATE_ID', { kind: 'plan' | 'corrective_action'; ids: string[] }>
  | Err<'DUE_DATE_NOT_AFTER_SUBMISSION', { actionIds: string[] }>
  | Err<'PLAN_NOT_PENDING', { planId: string; pendingPlanId: string | null }>
  | Err<'SEGREGATION_OF_DUTIES', { planId: string; actorId: string; conflict: 'plan_author' }>
  | Err<'UNKNOWN_CORRECTIVE_ACTION', { actionId: string; round: number }>
  | Err<'CORRECTIVE_ACTION_ALREADY_COMPLETED', { actionId: string; completedAt: string }>
  | Err<'CORRECTIVE_ACTION_NOT_YET_DUE', { actionId: string; dueDate: string }>
  | Err<'CORRECTIVE_ACTION_ALREADY_OVERDUE', { actionId: string; overdueSince: string }>
  | Err<'CORRECTIVE_ACTION_NOT_OVERDUE', { actionId: string }>
  | Err<'EFFECTIVENESS_REVIEW_NOT_DUE', { dueAt: string }>
  | Err<'EFFECTIVENESS_REVIEW_ALREADY_DUE', { dueAt: string; dueNotifiedAt: string }>;

export type NonconformityErrorCode = NonconformityError['code'];

type DetailsOf<C extends NonconformityErrorCode> = Extract<NonconformityError, { code: C }>['details'];

/** Builds an error of the given code; the compiler checks the details against the code. */
export function nonconformityError<C extends NonconformityErrorCode>(
  code: C,
  message: string,
  details: DetailsOf<C>,
): Extract<NonconformityError, { code: C }> {
  return { kind: 'DomainError', code, message, details } as Extract<NonconformityError, { code: C }>;
}
