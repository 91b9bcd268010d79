/**
 * Who may do what with a controlled document (5.3, A.3.2), and the time each kind allows: who creates and
 * submits versions, who reviews (anyone with a governance role but the author), who approves (top
 * management for the AI policy and the AIMS scope, the AIMS owner otherwise, never the author), and how
 * long a published version stays in force before its review falls due.
 */
import type { AimsRole } from '../shared/roles';
import type { DocumentKind } from './model';

/** The kinds whose changes are planned changes to the AIMS (6.3): a version states reason and consequences. */
export const PLANNED_CHANGE_KINDS: readonly DocumentKind[] = ['ai_policy', 'aims_scope', 'risk_criteria'];

/** Who may create a document of a kind and submit its versions. */
export function authorRoles(kind: DocumentKind): readonly AimsRole[] {
  return PLANNED_CHANGE_KINDS.includes(kind)
    ? ['aims_owner', 'top_management']
    : ['aims_owner', 'top_management', 'risk_owner', 'engineer'];
}

/** Who may review a submitted version (never its author). */
export const DOCUMENT_REVIEWER_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management', 'risk_owner', 'approver'];

/** Who approves a reviewed version of a kind (never its author). */
export function approverRoles(kind: DocumentKind): readonly AimsRole[] {
  return kind === 'ai_policy' || kind === 'aims_scope' ? ['top_management'] : ['aims_owner'];
}

/** Who confirms a periodic review (the document's owner may too). */
export function periodicReviewRoles(kind: DocumentKind): readonly AimsRole[] {
  const approvers = approverRoles(kind);
  return approvers.includes('aims_owner') ? approvers : [...approvers, 'aims_owner'];
}

/** Default review interval per kind: 12 months (an ISO 8601 duration in calendar months or fixed units). */
export const DEFAULT_REVIEW_INTERVAL: Readonly<Record<DocumentKind, string>> = {
  ai_policy: 'P12M',
  aims_scope: 'P12M',
  risk_criteria: 'P12M',
  procedure: 'P12M',
  ai_system_user_information: 'P12M',
  other: 'P12M',
};

/** Time a reviewer, approver or reader has before the task is overdue (reminded, then escalated). */
export const DEFAULT_DECISION_TIME = 'P10D';
export const DEFAULT_ACKNOWLEDGEMENT_TIME = 'P14D';
/** How long after a reminder an open task is escalated to the AIMS owner, unless the workflow is told otherwise. */
export const DOCUMENT_ESCALATION_AFTER_MS = 5 * 24 * 3_600_000;
