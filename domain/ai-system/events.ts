/**
 * Events: what happened to one AI system, named in the standard's words. They are the audit evidence
 * appended to stream `ai-system-<id>`, so each one is self-describing plain JSON carrying who (`by`, with
 * the single role acted under) and when (`at`). The lifecycle stage changes only through
 * `LifecycleStageChanged`, so every transition is itself a record.
 */
import type { AiSystemResource } from './model';
import type { AimsScopeDecisionBasis } from '../shared/scope-links';
import type { AiPolicyVersionRef } from '../shared/policy-in-force';
import type { ActorRef, AimsRole } from '../shared/roles';
import type { HumanTaskOutcome } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type {
  AiSystemTaskKind,
  AiSystemTaskSubject,
  CriterionResult,
  DataAcquisition,
  DataPreparation,
  DataProvenance,
  DataQualityResult,
  DataRetention,
  DatasetPurpose,
  DeploymentApproval,
  DeploymentBlockReason,
  DeploymentRequestStatus,
  ImpactAssessmentContent,
  IncidentSeverity,
  LifecycleStage,
  MetricCriterion,
  MetricValue,
  MonitoringReviewOutcome,
  NonconformitySource,
  ProfileAmendments,
  Provider,
  RiskTier,
} from './model';
import type { LifecyclePolicy } from './policy';
import type { PolicySnapshot } from './organisation-policy';
import type { RiskDeploymentBlocker } from '../shared/risk-links';

type Base = { by: ActorRef; at: string };

export type AiSystemRegistered = Base & {
  type: 'AiSystemRegistered';
  systemId: string;
  name: string;
  purpose: string;
  intendedUse: string;
  owner: string;
  provider: Provider;
  riskTier: RiskTier;
  acceptanceCriteria: MetricCriterion[];
  monitoringThresholds: MetricCriterion[];
  policy: LifecyclePolicy;
  /** The organisation's policy the system was registered under (absent: registered before it existed). */
  organisationPolicy?: PolicySnapshot;
};

/**
 * The impact-assessment review confirmed (or corrected) the risk tier the registrant proposed; `policy`
 * is the lifecycle policy of the confirmed tier, in force from now on.
 */
export type RiskTierConfirmed = Base & {
  type: 'RiskTierConfirmed';
  assessmentId: string;
  proposed: RiskTier;
  confirmed: RiskTier;
  policy: LifecyclePolicy;
};

/** The system now runs under this version of the organisation's policy (and its approved deviation). */
export type LifecyclePolicyApplied = Base & {
  type: 'LifecyclePolicyApplied';
  version: number;
  deviationChangeId: string | null;
  organisationPolicy: PolicySnapshot;
  policy: LifecyclePolicy;
};

export type LifecycleStageChanged = Base & {
  type: 'LifecycleStageChanged';
  from: LifecycleStage;
  to: LifecycleStage;
  /** The event type that caused the move, e.g. `ImpactAssessmentApproved`. */
  cause: string;
};

export type ImpactAssessmentSubmitted = Base & {
  type: 'ImpactAssessmentSubmitted';
  assessmentId: string;
  revision: number;
  content: ImpactAssessmentContent;
  reviewTaskId: string;
};
export type ImpactAssessmentApproved = Base & { type: 'ImpactAssessmentApproved'; assessmentId: string; revision: number };
export type ImpactAssessmentRejected = Base & {
  type: 'ImpactAssessmentRejected';
  assessmentId: string;
  revision: number;
  reasons: string[];
};
export type ImpactAssessmentChangesRequested = Base & {
  type: 'ImpactAssessmentChangesRequested';
  assessmentId: string;
  revision: number;
  reasons: string[];
};

export type DatasetRecorded = Base & {
  type: 'DatasetRecorded';
  datasetId: string;
  name: string;
  purpose: DatasetPurpose;
  provenance: DataProvenance;
  acquisition: DataAcquisition;
  preparation: DataPreparation;
};
export type DataQualityCheckRecorded = Base & {
  type: 'DataQualityCheckRecorded';
  checkId: string;
  datasetId: string;
  results: DataQualityResult[];
  passed: boolean;
};

export type ModelVersionProposed = Base & {
  type: 'ModelVersionProposed';
  modelVersion: string;
  artifactDigest: string;
  description: string;
  /** Earlier versions that had not reached production and are now superseded. */
  supersedes: string[];
};

export type ValidationResultsRecorded = Base & {
  type: 'ValidationResultsRecorded';
  validationId: string;
  modelVersion: string;
  artifactDigest: string;
  datasetIds: string[];
  metrics: MetricValue[];
  impactAssessmentId: string;
};
export type AcceptanceCriteriaEvaluated = Base & {
  type: 'AcceptanceCriteriaEvaluated';
  validationId: string;
  modelVersion: string;
  artifactDigest: string;
  passed: boolean;
  results: CriterionResult[];
  /** The sign-off task opened on a pass; null on a fail. */
  signOffTaskId: string | null;
};
export type ValidationSignedOff = Base & {
  type: 'ValidationSignedOff';
  validationId: string;
  modelVersion: string;
  artifactDigest: string;
};
export type ValidationSignOffRefused = Base & {
  type: 'ValidationSignOffRefused';
  validationId: string;
  modelVersion: string;
  artifactDigest: string;
  reasons: string[];
};

export type DeploymentRequested = Base & {
  type: 'DeploymentRequested';
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  commit: string;
  /** The approval task opened for it, or null when the gate decided at once. */
  approvalTaskId: string | null;
  /** The person behind the pipeline run, present only when the request named one (events before it have none). */
  triggeredBy?: string;
};
/**
 * The same caller sent the same request again (a pipeline's retry under its Idempotency-Key): nothing is
 * decided again, but the repeat is itself evidence of who asked and when. `status` is where the request stood.
 */
export type DeploymentRequestRepeated = Base & {
  type: 'DeploymentRequestRepeated';
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  status: DeploymentRequestStatus;
};
export type DeploymentApproved = Base & {
  type: 'DeploymentApproved';
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  approval: DeploymentApproval;
};
export type DeploymentBlocked = Base & {
  type: 'DeploymentBlocked';
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  reasons: DeploymentBlockReason[];
};
export type DeploymentCompleted = Base & {
  type: 'DeploymentCompleted';
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  commit: string;
  production: boolean;
  /** The version it replaced in production, if any. */
  replacedVersion: string | null;
};

export type MonitoringReportRecorded = Base & {
  type: 'MonitoringReportRecorded';
  reportId: string;
  modelVersion: string;
  artifactDigest: string;
  window: { from: string; to: string };
  metrics: MetricValue[];
  /** Thresholded metrics the report did not measure. */
  unmeasured: string[];
};
export type MonitoringThresholdBreached = Base & {
  type: 'MonitoringThresholdBreached';
  reportId: string;
  modelVersion: string;
  metric: string;
  direction: MetricCriterion['direction'];
  threshold: number;
  value: number;
  /** The nonconformity this breach is recorded against (newly opened or already open for this metric). */
  nonconformityId: string;
};
export type NonconformityOpened = Base & {
  type: 'NonconformityOpened';
  nonconformityId: string;
  source: NonconformitySource;
  description: string;
};
/** The nonconformity's corrective action (its workflow) could not be started; `taskId` asks the AIMS owner to act. */
export type CorrectiveActionNotStarted = Base & {
  type: 'CorrectiveActionNotStarted';
  nonconformityId: string;
  code: string;
  reason: string;
  taskId: string;
};
export type NonconformityClosed = Base & { type: 'NonconformityClosed'; nonconformityId: string; resolution: string };
export type IncidentReported = Base & {
  type: 'IncidentReported';
  incidentId: string;
  severity: IncidentSeverity;
  description: string;
  modelVersion: string | null;
  occurredAt: string | null;
  nonconformityId: string | null;
};
export type MonitoringReviewDue = Base & {
  type: 'MonitoringReviewDue';
  modelVersion: string | null;
  /** The review task opened, or null when one was still open. */
  reviewTaskId: string | null;
};
export type MonitoringReviewCompleted = Base & {
  type: 'MonitoringReviewCompleted';
  taskId: string;
  outcome: MonitoringReviewOutcome;
  reasons: string[];
};

export type ChangeRecorded = Base & {
  type: 'ChangeRecorded';
  changeId: string;
  description: string;
  significant: boolean;
  amendments: ProfileAmendments;
  /** The lifecycle policy of the new risk tier, when the change moved the system to another tier. */
  policy?: LifecyclePolicy;
};

/** The resources the system depends on now, replacing the list before (`previousCount` entries). */
export type ResourcesRecorded = Base & {
  type: 'ResourcesRecorded';
  resources: AiSystemResource[];
  reason: string;
  previousCount: number;
};

export type DecommissioningRequested = Base & {
  type: 'DecommissioningRequested';
  requestId: string;
  reason: string;
  approvalTaskId: string;
  stageBefore: LifecycleStage;
};
export type DecommissioningApproved = Base & { type: 'DecommissioningApproved'; requestId: string };
export type DecommissioningRejected = Base & { type: 'DecommissioningRejected'; requestId: string; reasons: string[] };
export type AiSystemDecommissioned = Base & {
  type: 'AiSystemDecommissioned';
  requestId: string;
  reason: string;
  dataRetention: DataRetention;
  retiredVersion: string | null;
};

/**
 * A risk of this system reported its posture: non-empty `blockers` block every deployment request until it
 * reports none (6.1.3, 8.3, A.6.2.5). `causeEventId` is the risk's own evidence of the change.
 */
export type RiskPostureNoted = Base & {
  type: 'RiskPostureNoted';
  riskId: string;
  level: string;
  blockers: RiskDeploymentBlocker[];
  causeEventId: string;
  changedAt: string;
};

/**
 * The AIMS scope process decided whether the system is in scope (4.3): out of scope blocks every deployment
 * request (OUT_OF_AIMS_SCOPE) until it is decided in. `causeEventId` is the scope process's evidence.
 */
export type AimsScopeDecisionNoted = Base & {
  type: 'AimsScopeDecisionNoted';
  inScope: boolean;
  justification: string;
  basis: AimsScopeDecisionBasis;
  causeEventId: string;
  decidedAt: string;
};

/**
 * The AI policy in force when a deployment request was decided (5.2, A.2.2): every published version of a
 * document of kind ai_policy at the decision's instant, by digest; an empty list records that none was.
 */
export type AiPolicyAtGateNoted = Base & {
  type: 'AiPolicyAtGateNoted';
  requestId: string;
  decision: 'approved' | 'blocked';
  decisionEventId: string;
  decidedAt: string;
  policies: AiPolicyVersionRef[];
  source: string;
};

export type HumanTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: AiSystemTaskKind;
  requiredRoles: AimsRole[];
  subject: AiSystemTaskSubject;
  requestedBy: string | null;
  dueAt: string;
};
export type HumanTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: AiSystemTaskKind;
  outcome: HumanTaskOutcome;
  reasons: string[];
  comment: string | null;
  evidenceRefs: string[];
};
export type HumanTaskReminderSent = Base & {
  type: 'HumanTaskReminderSent';
  taskId: string;
  dueAt: string;
  /** Roles notified: whoever may decide. */
  notifiedRoles: AimsRole[];
};
export type HumanTaskEscalated = Base & { type: 'HumanTaskEscalated'; taskId: string; escalatedTo: AimsRole };
export type HumanTaskSuperseded = Base & { type: 'HumanTaskSuperseded'; taskId: string; reason: string };

export type AiSystemEvent =
  | AiSystemRegistered
  | RiskTierConfirmed
  | LifecyclePolicyApplied
  | LifecycleStageChanged
  | ImpactAssessmentSubmitted
  | ImpactAssessmentApproved
  | ImpactAssessmentRejected
  | ImpactAssessmentChangesRequested
  | DatasetRecorded
  | DataQualityCheckRecorded
  | ModelVersionProposed
  | ValidationResultsRecorded
  | AcceptanceCriteriaEvaluated
  | ValidationSignedOff
  | ValidationSignOffRefused
  | DeploymentRequested
  | DeploymentRequestRepeated
  | DeploymentApproved
  | DeploymentBlocked
  | DeploymentCompleted
  | MonitoringReportRecorded
  | MonitoringThresholdBreached
  | NonconformityOpened
  | NonconformityClosed
  | CorrectiveActionNotStarted
  | IncidentReported
  | MonitoringReviewDue
  | MonitoringReviewCompleted
  | ChangeRecorded
  | DecommissioningRequested
  | DecommissioningApproved
  | DecommissioningRejected
  | AiSystemDecommissioned
  | HumanTaskOpened
  | HumanTaskDecided
  | HumanTaskReminderSent
  | HumanTaskEscalated
  | HumanTaskSuperseded
  | RiskPostureNoted
  | AimsScopeDecisionNoted
  | ResourcesRecorded
  | AiPolicyAtGateNoted;

export type AiSystemEventType = AiSystemEvent['type'];

/**
 * The event as evidence `data` (everything but `type`). Typed as JsonObject, so this only compiles while
 * every event stays plain JSON: the serialisability guarantee is checked by the compiler.
 */
export function eventData(event: AiSystemEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

/** The actor for evidence metadata. */
export function eventActor(event: AiSystemEvent): ActorRef {
  return event.by;
}

/** Which clauses and Annex A controls each event is evidence for (ISO/IEC 42001:2023 clause numbers and Annex A control ids, as in domain/catalogue). */
export const ISO_42001_REFERENCES: Record<AiSystemEventType, string[]> = {
  AiSystemRegistered: ['A.4.2', 'A.6.2.2', 'A.9.4'],
  RiskTierConfirmed: ['6.1.2', '6.1.4', 'A.5.2'],
  LifecyclePolicyApplied: ['5.3', '8.1', 'A.6.1.3'],
  LifecycleStageChanged: ['8.1', 'A.6.2.8'],
  ImpactAssessmentSubmitted: ['6.1.4', '8.4', 'A.5.2', 'A.5.3', 'A.5.4', 'A.5.5'],
  ImpactAssessmentApproved: ['6.1.4', '8.4', 'A.5.2', 'A.5.3'],
  ImpactAssessmentRejected: ['6.1.4', '8.4', 'A.5.2', 'A.5.3'],
  ImpactAssessmentChangesRequested: ['6.1.4', '8.4', 'A.5.2', 'A.5.3'],
  DatasetRecorded: ['A.7.2', 'A.7.3', 'A.7.5', 'A.7.6'],
  DataQualityCheckRecorded: ['A.7.4'],
  ModelVersionProposed: ['6.3', 'A.6.2.3'],
  ValidationResultsRecorded: ['A.6.2.4'],
  AcceptanceCriteriaEvaluated: ['A.6.2.4'],
  ValidationSignedOff: ['A.6.2.4'],
  ValidationSignOffRefused: ['A.6.2.4'],
  DeploymentRequested: ['A.6.2.5'],
  DeploymentRequestRepeated: ['A.6.2.5'],
  DeploymentApproved: ['A.6.2.5'],
  DeploymentBlocked: ['A.6.2.5'],
  DeploymentCompleted: ['A.6.2.5'],
  MonitoringReportRecorded: ['9.1', 'A.6.2.6'],
  MonitoringThresholdBreached: ['9.1', 'A.6.2.6'],
  NonconformityOpened: ['10.2'],
  NonconformityClosed: ['10.2'],
  CorrectiveActionNotStarted: ['10.2'],
  IncidentReported: ['A.8.4', '10.2'],
  MonitoringReviewDue: ['9.1', 'A.6.2.6'],
  MonitoringReviewCompleted: ['9.1', 'A.6.2.6'],
  ChangeRecorded: ['6.3', 'A.6.2.5'],
  DecommissioningRequested: ['A.6.2.5', '8.1'],
  DecommissioningApproved: ['A.6.2.5', '8.1'],
  DecommissioningRejected: ['A.6.2.5', '8.1'],
  AiSystemDecommissioned: ['A.6.2.5', '8.1', 'A.7.2'],
  HumanTaskOpened: ['5.3', 'A.3.2', '8.1'],
  HumanTaskDecided: ['5.3', 'A.3.2', '8.1'],
  HumanTaskReminderSent: ['8.1'],
  HumanTaskEscalated: ['5.3', '8.1'],
  HumanTaskSuperseded: ['8.1'],
  RiskPostureNoted: ['6.1.3', '8.3', 'A.6.2.5'],
  AimsScopeDecisionNoted: ['4.3', 'A.6.2.5'],
  ResourcesRecorded: ['7.1', 'A.4.2', 'A.4.4', 'A.4.5', 'A.4.6'],
  AiPolicyAtGateNoted: ['5.2', 'A.2.2', 'A.6.2.5'],
};

/** The clauses and controls one event is evidence for (the runtime tags its evidence with them). */
export function eventReferences(event: AiSystemEvent): readonly string[] {
  return ISO_42001_REFERENCES[event.type];
}
