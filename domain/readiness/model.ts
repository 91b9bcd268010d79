/**
 * Certification readiness (issue 17 item 5): what a certification body's auditor asks to see at Stage 1 (the
 * documented AIMS: scope, policy, risk criteria and results, SoA, objectives, competence, audit programme, a
 * management review) and at Stage 2 (that the AIMS has operated: records over an operating period). Each
 * check is computed from recorded evidence only; what a check cannot see is a gap with the reason, never an
 * assumed value.
 */
import type { JsonObject } from '../shared/json';

/** The part of a recorded evidence event the checks read (a RecordedEvidenceEvent has all of it). */
export interface ReadinessEvidence {
  readonly id: string;
  readonly stream: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: JsonObject;
}

export type ReadinessStage = 1 | 2;

export const STAGE_1_CHECK_IDS = [
  'aims-scope-approved',
  'ai-policy-published',
  'risk-criteria-approved',
  'risk-assessment-results',
  'soa-approved',
  'ai-objectives-set',
  'competence-records',
  'audit-programme-approved',
  'management-review-signed-off',
] as const;

export const STAGE_2_CHECK_IDS = [
  'impact-assessed-before-deployment',
  'validation-signed-off-before-deployment',
  'monitoring-within-intervals',
  'audits-done-as-planned',
  'nonconformities-handled',
] as const;

export type ReadinessCheckId = (typeof STAGE_1_CHECK_IDS)[number] | (typeof STAGE_2_CHECK_IDS)[number];

/**
 * One line of the answer: a check that is met (one line, with the evidence it rests on) or one gap of a check
 * (a check has as many gap lines as it has things missing, each naming where and what).
 */
export interface ReadinessCheck {
  readonly id: ReadinessCheckId;
  /** The clause or Annex A control, in the standard's numbering. */
  readonly clause: string;
  readonly title: string;
  readonly status: 'met' | 'gap';
  /** The stream, AI system or process the line is about ("aims-scope", "ai-system-credit-scoring"). */
  readonly where: string;
  /** What was found (met) or what is missing and why (gap). */
  readonly what: string;
  /** Ids of the evidence events the line rests on (none for an absence). */
  readonly evidence: readonly string[];
}

export interface ReadinessResult {
  readonly stage: ReadinessStage;
  readonly asOf: string;
  /** Start of the operating period the Stage 2 checks looked at; null at Stage 1 or when none could be found. */
  readonly operatingPeriodFrom: string | null;
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
}

/** Titles and clauses of the checks, in the standard's words. */
export const READINESS_CHECKS: Readonly<Record<ReadinessCheckId, { clause: string; title: string }>> = {
  'aims-scope-approved': { clause: '4.3', title: 'The scope of the AI management system is approved' },
  'ai-policy-published': { clause: '5.2', title: 'The AI policy is published' },
  'risk-criteria-approved': { clause: '6.1.1', title: 'The AI risk criteria are approved' },
  'risk-assessment-results': { clause: '6.1.2', title: 'AI risk assessment results exist' },
  'soa-approved': { clause: '6.1.3', title: 'The Statement of Applicability is approved, every exclusion justified' },
  'ai-objectives-set': { clause: '6.2', title: 'AI objectives are set' },
  'competence-records': { clause: '7.2', title: 'Competence is recorded for the people appointed to AIMS roles' },
  'audit-programme-approved': { clause: '9.2.2', title: 'An internal audit programme is approved' },
  'management-review-signed-off': { clause: '9.3', title: 'At least one management review is signed off' },
  'impact-assessed-before-deployment': {
    clause: '6.1.4',
    title: 'Each deployment in the operating period followed an approved impact assessment',
  },
  'validation-signed-off-before-deployment': {
    clause: 'A.6.2.4',
    title: 'Each deployed artifact digest had its validation signed off before deployment',
  },
  'monitoring-within-intervals': { clause: '9.1', title: 'Systems in production were monitored within their policy interval' },
  'audits-done-as-planned': { clause: '9.2.1', title: 'The audits the programme planned in the period were done' },
  'nonconformities-handled': {
    clause: '10.2',
    title: 'Nonconformities are closed or have an approved plan within its deadlines',
  },
};
