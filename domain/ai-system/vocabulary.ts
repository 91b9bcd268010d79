/**
 * Closed vocabularies that both the model and the policy use: risk tiers, incident severities and the kinds
 * of human task. They live apart from model.ts so that policy.ts (which model.ts refers to) can import
 * them without an import cycle; model.ts re-exports them.
 */
/**
 * Risk tiers in the vocabulary of the EU AI Act, which the reference aligns 42001 controls to:
 * `unacceptable` systems are prohibited practices and can be recorded but never deployed.
 */
export const RISK_TIERS = ['minimal', 'limited', 'high', 'unacceptable'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export const HUMAN_TASK_KINDS = [
  'impact_assessment_review',
  'validation_sign_off',
  'deployment_approval',
  'decommissioning_approval',
  'monitoring_review',
  // The lifecycle could not start a nonconformity's corrective action: the AIMS owner must see to it.
  'corrective_action_start',
] as const;
export type AiSystemTaskKind = (typeof HUMAN_TASK_KINDS)[number];
