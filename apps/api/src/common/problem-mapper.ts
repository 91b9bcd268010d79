/**
 * The one mapping from what a process answers through Temporal to problem+json, for every process. A
 * refusal carries the domain's error (code, message, details); its status says what the caller can do:
 *
 *   400  a field of the request breaks a rule (VALIDATION_FAILED, with `errors` naming each field): fix it
 *   403  this caller may not take the step (roles, segregation of duties, independence, an unusable
 *        actor): someone else must act, or the caller's token must change; nothing in the body helps
 *   404  what the request names does not exist
 *   422  every field is well-formed, but the rules refuse the content as a whole: rethink it
 *   409  any other refusal: the process's state does not allow the step now
 *   500  not a refusal at all (a JavaScript error inside a workflow: a bug): `internal-error`, a generic
 *        detail, the error logged with its stack; its name and message never reach the caller
 *   503  Temporal or the worker did not answer (the step may still be recorded)
 *
 * A code means the same everywhere: one table, whichever process refused.
 */
import type { HttpException } from '@nestjs/common';
import {
  ApplicationFailure,
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { isDomainError, type DomainError } from '../../../../domain/shared/domain-error';
import { internalError, problem, unavailable, type FieldErrors } from './problems';

/** Every refusal code that is not a 409, with its status. */
export const REFUSAL_STATUS: Readonly<Record<string, 400 | 403 | 404 | 422>> = {
  // who acts
  MISSING_ROLE: 403,
  SEGREGATION_OF_DUTIES: 403,
  NOT_ACTION_OWNER: 403,
  REVIEWER_NOT_INDEPENDENT: 403,
  // internal audits (9.2.1): an auditor auditing an area they answer for or a record they authored
  AUDITOR_NOT_INDEPENDENT: 403,
  NOT_ON_AUDIT_TEAM: 403,
  NOT_IMPROVEMENT_OWNER: 403,
  // management review (9.3): sign-off is top management's, by someone who attended
  SIGN_OFF_NEEDS_TOP_MANAGEMENT: 403,
  SIGNER_NOT_IN_ATTENDANCE: 403,
  // The actor comes from the token, never the body: an actor the rules cannot use is the credentials'
  // shortcoming (RFC 9110 403), not the content's.
  INVALID_ACTOR: 403,
  // a field breaks a rule
  VALIDATION_FAILED: 400,
  INVALID_UPDATE: 400,
  UNKNOWN_COMMAND: 400,
  UNKNOWN_ANNEX_A_CONTROL: 400,
  UNKNOWN_CLAUSE: 400,
  // the content as a whole
  INVALID_POLICY: 422,
  INVALID_ARTIFACT_DIGEST: 422,
  IMPACT_ASSESSMENT_INCOMPLETE: 422,
  IMPACT_WITHOUT_MITIGATION: 422,
  HUMAN_TASK_REASON_REQUIRED: 422,
  HUMAN_TASK_OUTCOME_NOT_ALLOWED: 422,
  DUE_DATE_NOT_AFTER_SUBMISSION: 422,
  // what the request names
  AI_SYSTEM_NOT_REGISTERED: 404,
  NONCONFORMITY_NOT_RAISED: 404,
  UNKNOWN_CORRECTIVE_ACTION: 404,
  HUMAN_TASK_UNKNOWN: 404,
  // the Statement of Applicability: the control the path names is not in the SoA in force
  CONTROL_NOT_IN_SOA: 404,
  // the risk register: the risk or treatment action the path names does not exist
  RISK_NOT_IDENTIFIED: 404,
  TREATMENT_ACTION_UNKNOWN: 404,
  // internal audits: the audit the path names was never planned
  INTERNAL_AUDIT_NOT_PLANNED: 404,
  IMPROVEMENT_NOT_PROPOSED: 404,
  REVIEW_NOT_PLANNED: 404,
  PROGRAMME_NOT_DRAFTED: 404,
  PROGRAMME_FREQUENCY_NOT_MET: 422,
  // AI objectives: only its owner or the AIMS owner enters a manual measurement; the objective the path names
  NOT_OBJECTIVE_OWNER: 403,
  OBJECTIVE_NOT_SET: 404,
  MEASURE_COMPUTED: 422,
};

/** What the API knows about the request that a refusal alone does not say. */
export interface RefusalContext {
  /**
   * Codes that mean "what the path names does not exist" for this request: 404 here, though the same code
   * about something a body refers to is a 409 (DATASET_UNKNOWN on …/datasets/{datasetId}/quality-checks).
   */
  notFound?: readonly string[];
  /** The request field an id named by a refusal came from (`actions[1].dueDate`), for `errors`. */
  fieldOf?: (id: string) => string | undefined;
}

export function refusalStatus(code: string, context: RefusalContext = {}): number {
  return REFUSAL_STATUS[code] ?? (context.notFound?.includes(code) ? 404 : 409);
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The fields a refusal is about, for the codes whose details say which. */
function fieldErrorsOf(error: DomainError, context: RefusalContext): FieldErrors | undefined {
  const details = error.details as Record<string, unknown>;
  switch (error.code) {
    case 'VALIDATION_FAILED': {
      const issues = Array.isArray(details.issues) ? (details.issues as Array<{ field?: unknown; problem?: unknown }>) : [];
      return issues.map((issue) => ({ field: String(issue.field), messages: [`${String(issue.field)} ${String(issue.problem)}`] }));
    }
    case 'UNKNOWN_ANNEX_A_CONTROL':
      return [{ field: 'annexAControlIds', messages: [`not Annex A controls: ${texts(details.controlIds).join(', ')}`] }];
    case 'UNKNOWN_CLAUSE':
      return [{ field: 'clauseIds', messages: [`not clauses of 4-10: ${texts(details.clauseIds).join(', ')}`] }];
    case 'DUE_DATE_NOT_AFTER_SUBMISSION':
      return texts(details.actionIds).map((actionId) => ({
        field: context.fieldOf?.(actionId) ?? 'actions',
        messages: [`the due date of ${actionId} must lie after the plan's submission`],
      }));
    default:
      return undefined;
  }
}

/** A domain refusal as problem+json: its code and details, `errors` per field where it names fields. */
export function refusalProblem(error: DomainError, context: RefusalContext = {}): HttpException {
  const errors = fieldErrorsOf(error, context);
  return problem(refusalStatus(error.code, context), error.code, error.message, {
    details: error.details,
    ...(errors === undefined ? {} : { errors }),
  });
}

/** The process a command went to: its workflow, and what it means that none of that id runs. */
export interface ProcessAddress {
  workflowId: string;
  /** The problem when no such workflow runs: it never started (404), or it has ended (409). */
  notRunning(): Promise<HttpException>;
  /** Where a caller who timed out can see whether the step was recorded. */
  evidencePath: string;
}

/**
 * A failure type the engine gives itself (`WRONG_WORKFLOW_ID`, `INVALID_TIMING`): an upper-case code.
 * Anything else (`RangeError`, `TypeError`, `Error`) is a JavaScript error a workflow or validator threw.
 */
export function isEngineFailureType(type: string | undefined | null): type is string {
  return typeof type === 'string' && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(type);
}

/** The domain error a Temporal failure carries (`details[0]`), if it carries one. */
export function domainErrorOf(failure: ApplicationFailure): DomainError | null {
  const first = failure.details?.[0];
  return isDomainError(first) ? first : null;
}

/**
 * Any error of a Temporal call as problem+json: a refusal of the process, its absence, a deadline missed,
 * Temporal unreachable. Undefined for an error that is none of these (a bug of ours: 500).
 */
export async function temporalProblem(
  error: unknown,
  to: ProcessAddress,
  context: RefusalContext,
  deadlineMs: number,
): Promise<HttpException | undefined> {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) {
      const refusal = domainErrorOf(cause);
      if (refusal !== null) return refusalProblem(refusal, context);
      if (isEngineFailureType(cause.type)) return problem(409, cause.type, cause.message);
      return internalError(error);
    }
    return unavailable('TEMPORAL_UNAVAILABLE', `${to.workflowId} failed the step: ${cause?.message ?? error.message}`);
  }
  if (error instanceof WorkflowNotFoundError) return to.notRunning();
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error)) {
    return unavailable(
      'COMMAND_TIMED_OUT',
      `${to.workflowId} did not answer within ${deadlineMs / 1000} s (is a worker running?). The step may still be recorded: read ${to.evidencePath} before sending it again.`,
    );
  }
  if (error instanceof ServiceError || isGrpcServiceError(error))
    return unavailable('TEMPORAL_UNAVAILABLE', `Temporal did not take the command for ${to.workflowId}: ${(error as Error).message}`);
  return undefined;
}
