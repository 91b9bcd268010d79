/**
 * The contract between an AI system's lifecycle and the risks registered against it (ISO/IEC 42001 6.1.2,
 * 6.1.3, 8.2, 8.3). Two processes, two directions:
 *   - a risk tells its system's lifecycle whether it blocks deployment (`RiskPostureChange`), at every step
 *     that changes the answer, so the deployment gate decides from the lifecycle's own recorded state;
 *   - the lifecycle tells every risk it knows of to reassess (`RiskReassessmentRequest`) when it records a
 *     significant change, a monitoring breach or a serious incident.
 * And a third: a risk whose approved treatment adds or drops controls tells the Statement of Applicability
 * (`RiskTreatmentControlsChange`), which opens a revision request when the SoA in force does not already
 * reflect it (6.1.3 d-f).
 * Kept apart from the domains so none imports another.
 */
import type { AimsRole } from './roles';

/** Why a risk blocks its system's deployments. */
export const RISK_DEPLOYMENT_BLOCKERS = ['above-appetite-not-accepted', 'treatment-action-overdue'] as const;
export type RiskDeploymentBlocker = (typeof RISK_DEPLOYMENT_BLOCKERS)[number];

/** What a risk process sends to the lifecycle of the system it belongs to. An empty `blockers` unblocks. */
export interface RiskPostureChange {
  riskId: string;
  /** The risk level the posture was computed from (the residual level once one is recorded). */
  level: string;
  blockers: RiskDeploymentBlocker[];
  /** The risk event that changed the posture (its evidence id), so the lifecycle's record points to it. */
  causeEventId: string;
  /** When the risk recorded it (ISO 8601). */
  at: string;
}

/** The lifecycle events that reopen a system's risks. */
export const RISK_REASSESSMENT_CAUSES = ['ChangeRecorded', 'MonitoringThresholdBreached', 'IncidentReported'] as const;
export type RiskReassessmentCause = (typeof RISK_REASSESSMENT_CAUSES)[number];

/** What a lifecycle sends to each risk of its system. */
export interface RiskReassessmentRequest {
  systemId: string;
  cause: { eventId: string; type: RiskReassessmentCause; summary: string };
}

/** The id of the `risk` workflow of a risk, and the name of its evidence stream. */
export function riskWorkflowId(riskId: string): string {
  return `risk-${riskId}`;
}

/** What a risk sends to the Statement of Applicability when a treatment plan of it is approved. */
export interface RiskTreatmentControlsChange {
  riskId: string;
  /** The controls (Annex A ids, own `ORG-…` ids) of the plan just approved. */
  controls: string[];
  /** Those of the plan approved before it (empty for the first). */
  previousControls: string[];
  /** The risk owner who planned the treatment: who asks for the revision. */
  plannedBy: { id: string; role: AimsRole };
  /** The plan's approval in the risk's evidence. */
  causeEventId: string;
  at: string;
}
