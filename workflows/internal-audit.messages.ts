/**
 * The messages of workflow `internalAudit` (internal-audit.workflow.ts): one internal audit, id and stream
 * `internal-audit-<id>`. Callers (the API, tests) import these, never the workflow code. What a finding's
 * corrective action tells the audit is `correctiveActionProgressSignal` (nonconformity.messages.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AuditArea,
  AuditorAppointment,
  AuditPlan,
  ChecklistResult,
  FindingType,
  InternalAuditEventType,
  InternalAuditState,
} from '../domain/internal-audit/model';
import type { AuditFollowUpTiming } from '../domain/internal-audit/follow-up';
import type { Actor } from '../domain/shared/roles';
import type { NonconformityTiming } from './nonconformity.messages';
import type { RecordedEvidence } from './runtime/decider';

/** The start input plans the audit (its first step, vouched for by the signed start). */
export interface InternalAuditInput extends AuditPlan {
  auditId: string;
  by: Actor;
  /** The timing of the corrective actions its nonconformity findings open (default: the engine's). */
  nonconformityTiming?: NonconformityTiming;
  /**
   * The auditors' appointments in force when the plan was decided, as the API read them from the people
   * register (never the caller's); the plan is decided again against them. Absent in audits started before.
   */
  appointments?: AuditorAppointment[];
  /** When the follow-up is due after the report, and when an unanswered reminder escalates (default P30D, P7D). */
  followUpTiming?: AuditFollowUpTiming;
}

type ActingAuditor = { by: Actor };

export type StartFieldworkInput = ActingAuditor;
/** The records are read from the evidence store as of `asOfPosition` (ids only come from the caller). */
export type RecordSampleInput = ActingAuditor & { sampleId: string; asOfPosition: number; eventIds: string[] };
export type RecordChecklistResultInput = ActingAuditor & {
  criterionId: string;
  result: ChecklistResult;
  evidenceRefs: string[];
  note?: string;
};
export type RecordFindingInput = ActingAuditor & {
  findingId: string;
  type: FindingType;
  criterionId?: string | null;
  area?: AuditArea | null;
  statement: string;
  evidenceRefs: string[];
};
export type IssueReportInput = ActingAuditor & { summary: string; conclusion: string };
export type CloseAuditInput = ActingAuditor;

export interface InternalAuditStepResult {
  recorded: RecordedEvidence<InternalAuditEventType>[];
  audit: InternalAuditState;
  /** The corrective action a nonconformity finding started (its workflow id), if any. */
  nonconformityId: string | null;
  lastPosition: number | null;
}

export const startFieldworkUpdate = defineUpdate<InternalAuditStepResult, [StartFieldworkInput]>('startFieldwork');
export const recordSampleUpdate = defineUpdate<InternalAuditStepResult, [RecordSampleInput]>('recordSample');
export const recordChecklistResultUpdate = defineUpdate<InternalAuditStepResult, [RecordChecklistResultInput]>('recordChecklistResult');
export const recordFindingUpdate = defineUpdate<InternalAuditStepResult, [RecordFindingInput]>('recordFinding');
export const issueReportUpdate = defineUpdate<InternalAuditStepResult, [IssueReportInput]>('issueAuditReport');
export const closeAuditUpdate = defineUpdate<InternalAuditStepResult, [CloseAuditInput]>('closeAudit');
export const internalAuditStateQuery = defineQuery<InternalAuditState>('state');
