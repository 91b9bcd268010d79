/**
 * The AI system as the AIMS knows it, and the records its lifecycle accumulates. Every type here is a
 * `type` alias of plain JSON (no classes, Dates, Maps or Sets) because the state travels through Temporal
 * payloads and continue-as-new, and the events that build it are the audit evidence.
 */
import type { AimsScopeDecisionBasis } from '../shared/scope-links';
import type { AiPolicyVersionRef } from '../shared/policy-in-force';
import type { ActorRef } from '../shared/roles';
import type { JsonObject } from '../shared/json';
import type { HumanTask } from '../shared/human-task';
import type { LifecyclePolicy } from './policy';
import type { PolicySnapshot } from './organisation-policy';
import type { AiSystemTaskKind, IncidentSeverity, RiskTier } from './vocabulary';
import type { RiskDeploymentBlocker } from '../shared/risk-links';

// Kept in vocabulary.ts so that policy.ts can use them without importing this file (no cycle).
export {
  HUMAN_TASK_KINDS,
  INCIDENT_SEVERITIES,
  RISK_TIERS,
  type AiSystemTaskKind,
  type IncidentSeverity,
  type RiskTier,
} from './vocabulary';

/** Lifecycle stages (A.6.2): the order a system normally moves through. */
export const LIFECYCLE_STAGES = [
  'registered',
  'impact_assessment',
  'validation',
  'deployment_approval',
  'in_production',
  'decommissioning',
  'decommissioned',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/**
 * How the organisation obtains the system (A.10: third-party relationships):
 * - `in_house`: built by the organisation;
 * - `deployed`: a third party's model that the organisation runs itself;
 * - `third_party_api`: used through a provider's API.
 */
export const PROVIDER_KINDS = ['in_house', 'deployed', 'third_party_api'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
/** `supplier` names the third party; required unless the system is built in-house (A.10.3). */
export type Provider = { kind: ProviderKind; supplier: string | null };

export const METRIC_DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];

/** A named metric with its threshold: an acceptance criterion (A.6.2.4) or a monitoring threshold (9.1). */
export type MetricCriterion = { metric: string; direction: MetricDirection; threshold: number };
export type MetricValue = { metric: string; value: number };

export type AiSystemProfile = {
  systemId: string;
  name: string;
  purpose: string;
  /** A.9.4 intended use. */
  intendedUse: string;
  /** Actor id of the person accountable for the system. */
  owner: string;
  provider: Provider;
  riskTier: RiskTier;
  acceptanceCriteria: MetricCriterion[];
  /** Thresholds that monitoring reports are checked against; the acceptance criteria unless set. */
  monitoringThresholds: MetricCriterion[];
};

/** Fields a recorded change may amend; see `SIGNIFICANT_AMENDMENTS` in decide.ts for which force reassessment. */
export type ProfileAmendments = {
  name?: string;
  purpose?: string;
  intendedUse?: string;
  owner?: string;
  provider?: Provider;
  riskTier?: RiskTier;
  acceptanceCriteria?: MetricCriterion[];
  monitoringThresholds?: MetricCriterion[];
};

// ---------- Impact assessment (6.1.4, 8.4, A.5) ----------

export const AFFECTED_PARTIES = ['individuals', 'groups', 'society'] as const;
export type AffectedParty = (typeof AFFECTED_PARTIES)[number];
export const IMPACT_SEVERITIES = ['negligible', 'minor', 'moderate', 'major', 'critical'] as const;
export type ImpactSeverity = (typeof IMPACT_SEVERITIES)[number];
export const IMPACT_LIKELIHOODS = ['rare', 'unlikely', 'possible', 'likely', 'almost_certain'] as const;
export type ImpactLikelihood = (typeof IMPACT_LIKELIHOODS)[number];
/** Severities that must be answered by at least one mitigation before an assessment can be submitted. */
export const SEVERITIES_REQUIRING_MITIGATION: readonly ImpactSeverity[] = ['major', 'critical'];

export type Impact = {
  impactId: string;
  affects: AffectedParty;
  description: string;
  severity: ImpactSeverity;
  likelihood: ImpactLikelihood;
};

export type Mitigation = {
  mitigationId: string;
  description: string;
  addressesImpactIds: string[];
  owner: string | null;
};

export type ImpactAssessmentContent = {
  /** Who is affected, in each of the three circles A.5.4 and A.5.5 ask about. */
  affectedParties: { individuals: string; groups: string; society: string };
  impacts: Impact[];
  mitigations: Mitigation[];
};

/**
 * `approved` and current → `outdated` once a significant change is recorded; an assessment still
 * `under_review` when a significant change arrives is `withdrawn` (its review task superseded).
 */
export type ImpactAssessmentStatus = 'under_review' | 'approved' | 'rejected' | 'changes_requested' | 'withdrawn' | 'outdated';

export type ImpactAssessmentRecord = {
  assessmentId: string;
  /** 1 for the system's first submission, then counting every resubmission. */
  revision: number;
  content: ImpactAssessmentContent;
  submittedBy: ActorRef;
  submittedAt: string;
  reviewTaskId: string;
  status: ImpactAssessmentStatus;
  decidedBy: ActorRef | null;
  decidedAt: string | null;
  reasons: string[];
};

// ---------- Data (A.7) ----------

export const DATASET_PURPOSES = ['training', 'validation', 'test', 'monitoring'] as const;
export type DatasetPurpose = (typeof DATASET_PURPOSES)[number];

export type DataProvenance = {
  /** Where the data comes from (A.7.5). */
  source: string;
  /** Who is answerable for the data at its source. */
  custodian: string | null;
  licence: string | null;
  /** `sha256:` digest of the dataset snapshot, when it has one. */
  contentDigest: string | null;
};
export type DataAcquisition = { method: string; acquiredAt: string | null; notes: string | null };
export type DataPreparation = { steps: string[] };

export type DataQualityResult = { dimension: string; measure: string | null; value: number | null; passed: boolean; notes: string | null };
export type DataQualityCheck = { checkId: string; results: DataQualityResult[]; passed: boolean; checkedBy: ActorRef; checkedAt: string };

export type DatasetRecord = {
  datasetId: string;
  name: string;
  purpose: DatasetPurpose;
  provenance: DataProvenance;
  acquisition: DataAcquisition;
  preparation: DataPreparation;
  recordedBy: ActorRef;
  recordedAt: string;
  /** In the order recorded; the latest decides whether the dataset may back a validation. */
  qualityChecks: DataQualityCheck[];
};

// ---------- Model versions and validation (A.6.2.4) ----------

/**
 * `superseded`: a newer version was proposed before this one reached production.
 * `retired`: it was in production and another version (or decommissioning) replaced it.
 */
export type ModelVersionStatus =
  'proposed' | 'validation_failed' | 'validated' | 'approved_for_deployment' | 'in_production' | 'superseded' | 'retired';

export type ModelVersionRecord = {
  modelVersion: string;
  artifactDigest: string;
  description: string;
  proposedBy: ActorRef;
  proposedAt: string;
  status: ModelVersionStatus;
  /** Non-production environments it has been deployed to. */
  deployedEnvironments: string[];
};

export type CriterionResult = MetricCriterion & { value: number | null; passed: boolean };
export type AcceptanceEvaluation = { passed: boolean; results: CriterionResult[] };

export type ValidationStatus = 'awaiting_evaluation' | 'failed' | 'awaiting_sign_off' | 'signed_off' | 'sign_off_refused' | 'superseded';

export type ValidationRecord = {
  validationId: string;
  modelVersion: string;
  artifactDigest: string;
  datasetIds: string[];
  metrics: MetricValue[];
  /** The approved impact assessment this validation was made under. */
  impactAssessmentId: string;
  submittedBy: ActorRef;
  recordedAt: string;
  status: ValidationStatus;
  evaluation: AcceptanceEvaluation | null;
  signOffTaskId: string | null;
  signedOffBy: ActorRef | null;
  signedOffAt: string | null;
};

// ---------- Deployment (A.6.2.5) ----------

export type DeploymentBlockCode =
  | 'SYSTEM_DECOMMISSIONED'
  | 'SYSTEM_DECOMMISSIONING'
  | 'PROHIBITED_RISK_TIER'
  | 'IMPACT_ASSESSMENT_MISSING'
  | 'IMPACT_ASSESSMENT_NOT_CURRENT'
  | 'INVALID_ARTIFACT_DIGEST'
  | 'MODEL_VERSION_UNKNOWN'
  | 'MODEL_VERSION_SUPERSEDED'
  | 'ARTIFACT_DIGEST_MISMATCH'
  | 'VALIDATION_MISSING'
  | 'VALIDATION_NOT_PASSED'
  | 'VALIDATION_NOT_SIGNED_OFF'
  | 'VALIDATION_OUTDATED'
  | 'DEPLOYMENT_APPROVAL_REFUSED'
  | 'RISK_BLOCKS_DEPLOYMENT'
  | 'OUT_OF_AIMS_SCOPE';

/**
 * `riskIds`: only on RISK_BLOCKS_DEPLOYMENT, the risks that block (so a caller can look each one up).
 * `scopeDecision`: only on OUT_OF_AIMS_SCOPE, the scope decision the gate used (its evidence and basis).
 */
export type DeploymentBlockReason = {
  code: DeploymentBlockCode;
  message: string;
  riskIds?: string[];
  scopeDecision?: { causeEventId: string; basis: AimsScopeDecisionBasis; justification: string };
};

export type DeploymentApproval = {
  by: ActorRef;
  at: string;
  /** true when the system's policy approved it without a person (risk tier in `autoApproveRiskTiers`). */
  automatic: boolean;
  taskId: string | null;
};

export type DeploymentRequestStatus = 'pending_approval' | 'approved' | 'blocked' | 'completed';

export type DeploymentRequestRecord = {
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  commit: string;
  requestedBy: ActorRef;
  /** The person behind the pipeline run, when the request named one (may not approve it). */
  triggeredBy?: string;
  requestedAt: string;
  approvalTaskId: string | null;
  status: DeploymentRequestStatus;
  approval: DeploymentApproval | null;
  blockReasons: DeploymentBlockReason[];
  completedAt: string | null;
  /** The AI policy in force at the request's latest decision (5.2); absent before it is noted (earlier runs never note it). */
  aiPolicy?: AiPolicyAtDecision;
};

/** The AI policy versions in force when a deployment request was decided; `policies` empty: none was in force. */
export type AiPolicyAtDecision = {
  decision: 'approved' | 'blocked';
  decisionEventId: string;
  decidedAt: string;
  policies: AiPolicyVersionRef[];
  source: string;
  notedAt: string;
};

export type ProductionDeployment = {
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  requestId: string;
  since: string;
};

// ---------- Operation, monitoring, incidents, nonconformities (A.6.2.6, 9.1, A.8.4, 10.2) ----------

export type MonitoringSummary = {
  reportCount: number;
  breachCount: number;
  lastReportId: string | null;
  lastReportAt: string | null;
  lastReviewDueAt: string | null;
  lastReviewCompletedAt: string | null;
  lastReviewOutcome: MonitoringReviewOutcome | null;
};
export type MonitoringReviewOutcome = 'satisfactory' | 'action_required';

export type IncidentRecord = {
  incidentId: string;
  severity: IncidentSeverity;
  description: string;
  modelVersion: string | null;
  occurredAt: string | null;
  reportedBy: ActorRef;
  reportedAt: string;
  nonconformityId: string | null;
};

export type NonconformitySource =
  { type: 'monitoring_breach'; reportId: string; metric: string } | { type: 'incident'; incidentId: string };
export type NonconformityRecord = {
  nonconformityId: string;
  source: NonconformitySource;
  description: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  resolution: string | null;
};

// ---------- Change (6.3) and decommissioning ----------

export type ChangeRecord = {
  changeId: string;
  description: string;
  significant: boolean;
  amendments: ProfileAmendments;
  recordedBy: ActorRef;
  recordedAt: string;
};

export const DATA_RETENTION_DECISIONS = ['retain', 'archive', 'delete'] as const;
export type DataRetention = { decision: (typeof DATA_RETENTION_DECISIONS)[number]; retainUntil: string | null; justification: string };

export type DecommissioningRecord = {
  requestId: string;
  reason: string;
  requestedBy: ActorRef;
  requestedAt: string;
  approvalTaskId: string;
  /** Where the lifecycle returns if the request is rejected. */
  stageBefore: LifecycleStage;
  status: 'requested' | 'approved' | 'rejected' | 'completed';
  decidedBy: ActorRef | null;
  reasons: string[];
  dataRetention: DataRetention | null;
  completedAt: string | null;
};

// ---------- Risks of this system (6.1.2, 6.1.3, 8.2, 8.3) ----------

/** The latest posture a risk of this system reported (domain/shared/risk-links.ts): empty blockers do not block. */
export type RiskPostureRecord = {
  riskId: string;
  level: string;
  blockers: RiskDeploymentBlocker[];
  /** The risk's evidence that changed the posture. */
  causeEventId: string;
  /** When the risk recorded it. */
  changedAt: string;
  /** When this lifecycle noted it. */
  notedAt: string;
};

// ---------- The AIMS scope (4.3) ----------

/** The latest scope decision the scope process told this lifecycle (domain/shared/scope-links.ts). */
export type AimsScopeRecord = {
  inScope: boolean;
  justification: string;
  basis: AimsScopeDecisionBasis;
  /** The scope process's evidence of the decision. */
  causeEventId: string;
  decidedAt: string;
  notedAt: string;
};

// ---------- Human tasks of this lifecycle ----------

export type AiSystemTaskSubject =
  | { type: 'impact_assessment'; assessmentId: string; revision: number }
  | { type: 'validation'; validationId: string; modelVersion: string; artifactDigest: string }
  | { type: 'deployment'; requestId: string; modelVersion: string; artifactDigest: string; environment: string }
  | { type: 'decommissioning'; requestId: string }
  | { type: 'monitoring_review'; modelVersion: string | null; dueAt: string }
  | { type: 'corrective_action_start'; nonconformityId: string };

export type AiSystemTask = HumanTask<AiSystemTaskKind, AiSystemTaskSubject>;

// ---------- State ----------

export type UnregisteredAiSystem = { stage: 'unregistered' };

/** The kinds of resource a system depends on: tooling (A.4.4), system and computing (A.4.5), human (A.4.6). */
export const RESOURCE_KINDS = ['tooling', 'compute', 'human'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
/** One resource: what it is, what kind, and who owns it (an identity, a person id or a unit). */
export type AiSystemResource = { resourceId: string; kind: ResourceKind; name: string; description: string; owner: string };
export const MAX_RESOURCES = 100;

export type AiSystemRecord = {
  stage: LifecycleStage;
  profile: AiSystemProfile;
  /** The lifecycle policy in force: the organisation's for the system's risk tier (with its deviation). */
  policy: LifecyclePolicy;
  /** The organisation's policy the system runs under; null for systems registered before it existed. */
  organisationPolicy: PolicySnapshot | null;
  registeredBy: ActorRef;
  registeredAt: string;
  impactAssessments: ImpactAssessmentRecord[];
  /** The latest approved assessment (which may since have become outdated), or null. */
  approvedImpactAssessmentId: string | null;
  datasets: DatasetRecord[];
  versions: ModelVersionRecord[];
  /** The most recently proposed version. */
  candidateVersion: string | null;
  validations: ValidationRecord[];
  deploymentRequests: DeploymentRequestRecord[];
  production: ProductionDeployment | null;
  monitoring: MonitoringSummary;
  incidents: IncidentRecord[];
  nonconformities: NonconformityRecord[];
  changes: ChangeRecord[];
  decommissioning: DecommissioningRecord | null;
  tasks: AiSystemTask[];
  /**
   * The latest posture of each risk that reported one, in the order first reported. Absent until the first
   * (records of earlier runs and of systems without risks have none), so their state stays as it was.
   */
  riskPostures?: RiskPostureRecord[];
  /** The latest AIMS scope decision noted; absent until the first (earlier runs have none), so they stay as they were. */
  aimsScope?: AimsScopeRecord;
  /** The resources it depends on now (7.1, A.4.4–A.4.6); absent until first recorded (earlier runs have none). */
  resources?: AiSystemResource[];
};

export type AiSystemState = UnregisteredAiSystem | AiSystemRecord;

export const INITIAL_AI_SYSTEM_STATE: UnregisteredAiSystem = { stage: 'unregistered' };

export function isRegistered(state: AiSystemState): state is AiSystemRecord {
  return state.stage !== 'unregistered';
}

/** The state as plain JSON; compiles only while the state stays serialisable. */
export function stateAsJson(state: AiSystemState): JsonObject {
  return state;
}
