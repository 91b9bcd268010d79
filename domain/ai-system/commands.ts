/**
 * Commands: what a caller asks of one AI system. Each carries `at` (ISO-8601, the caller's clock: in the
 * workflow, workflow time) and the ids of anything it creates (the workflow derives them deterministically),
 * so `decide` is a pure function of command and state.
 */
import type { AiSystemResource } from './model';
import type { AiPolicyVersionRef } from '../shared/policy-in-force';
import type { AimsScopeDecisionBasis } from '../shared/scope-links';
import type { Actor } from '../shared/roles';
import type { HumanTaskOutcome } from '../shared/human-task';
import type {
  AcceptanceEvaluation,
  DataAcquisition,
  DataPreparation,
  DataProvenance,
  DataQualityResult,
  DataRetention,
  DatasetPurpose,
  ImpactAssessmentContent,
  IncidentSeverity,
  MetricCriterion,
  MetricValue,
  ProfileAmendments,
  Provider,
  RiskTier,
} from './model';
import type { NonconformityIdScheme } from './identity';
import type { LifecyclePolicyOverrides } from './policy';
import type { PolicySnapshot } from './organisation-policy';
import type { RiskDeploymentBlocker } from '../shared/risk-links';

type Base = { by: Actor; at: string };
/** Steps the workflow takes on its own (timers, automatic checks) act as the system unless `by` is given. */
type AutomaticBase = { by?: Actor; at: string };

export type RegisterAiSystem = Base & {
  type: 'RegisterAiSystem';
  systemId: string;
  name: string;
  purpose: string;
  intendedUse: string;
  owner: string;
  provider: Provider;
  riskTier: RiskTier;
  acceptanceCriteria: MetricCriterion[];
  /** Defaults to the acceptance criteria. */
  monitoringThresholds?: MetricCriterion[];
  /**
   * Only for runs started before the organisation's policy existed (they replay with it) and for the
   * engine's own tests: the API never accepts it. Refused together with `organisationPolicy`.
   */
  policy?: LifecyclePolicyOverrides;
  /** The organisation's policy in force, read from its evidence by the API (never from the caller). */
  organisationPolicy?: PolicySnapshot;
};

/** Puts the system under the organisation's policy now in force (read from its evidence, never a caller's). */
export type ApplyLifecyclePolicy = Base & { type: 'ApplyLifecyclePolicy'; organisationPolicy: PolicySnapshot };

export type SubmitImpactAssessment = Base & {
  type: 'SubmitImpactAssessment';
  assessmentId: string;
  content: ImpactAssessmentContent;
  /** Id of the review task this submission opens. */
  reviewTaskId: string;
};

/** Decides any human task; what follows depends on the task's kind. */
export type DecideHumanTask = Base & {
  type: 'DecideHumanTask';
  taskId: string;
  outcome: HumanTaskOutcome;
  /** Required unless approving: what the author must address. */
  reasons: string[];
  /** A remark recorded with the decision (not a reason to send back). */
  comment?: string | null;
  /** References to what the decider relied on (documents, tickets, evidence event ids). */
  evidenceRefs?: string[];
  /** Approving an impact assessment confirms (or corrects) the system's risk tier: required then. */
  riskTier?: RiskTier;
};

export type RecordDataset = Base & {
  type: 'RecordDataset';
  datasetId: string;
  name: string;
  purpose: DatasetPurpose;
  provenance: DataProvenance;
  acquisition: DataAcquisition;
  preparation: DataPreparation;
};

export type RecordDataQualityCheck = Base & {
  type: 'RecordDataQualityCheck';
  checkId: string;
  datasetId: string;
  /** The check passes only if every result passes. */
  results: DataQualityResult[];
};

export type ProposeModelVersion = Base & {
  type: 'ProposeModelVersion';
  modelVersion: string;
  artifactDigest: string;
  description: string;
};

export type RecordValidationResults = Base & {
  type: 'RecordValidationResults';
  validationId: string;
  modelVersion: string;
  artifactDigest: string;
  datasetIds: string[];
  metrics: MetricValue[];
};

/** Checks recorded results against the acceptance criteria; a pass opens the sign-off task. */
export type EvaluateAcceptanceCriteria = AutomaticBase & {
  type: 'EvaluateAcceptanceCriteria';
  validationId: string;
  signOffTaskId: string;
  /**
   * The evaluation as made by the workflow's acceptance-criteria activity. When given it must be exactly
   * what the criteria yield for the recorded metrics (a stale or faulty evaluator is refused); when left
   * out, `decide` evaluates.
   */
  evaluation?: AcceptanceEvaluation;
};

export type RequestDeployment = Base & {
  type: 'RequestDeployment';
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  commit: string;
  /**
   * The person behind the pipeline run (who pushed or started it), when the gate call says so: an identity
   * like an actor id. They may not approve the deployment (segregation of duties). Optional.
   */
  triggeredBy?: string;
  /** Used only when the request needs a person's approval. */
  approvalTaskId: string;
};

/** The deployment pipeline reports an approved deployment done. */
export type RecordDeploymentCompleted = Base & {
  type: 'RecordDeploymentCompleted';
  requestId: string;
};

export type RecordMonitoringReport = Base & {
  type: 'RecordMonitoringReport';
  reportId: string;
  window: { from: string; to: string };
  metrics: MetricValue[];
  /** How a nonconformity it opens is named (identity.ts); absent: 'legacy', as runs recorded before it. */
  nonconformityIds?: NonconformityIdScheme;
};

export type ReportIncident = Base & {
  type: 'ReportIncident';
  incidentId: string;
  /** As in RecordMonitoringReport. */
  nonconformityIds?: NonconformityIdScheme;
  severity: IncidentSeverity;
  description: string;
  modelVersion?: string | null;
  occurredAt?: string | null;
};

/** The workflow's review timer fired; opens a monitoring review task unless one is open. */
export type RecordMonitoringReviewDue = AutomaticBase & {
  type: 'RecordMonitoringReviewDue';
  reviewTaskId: string;
};

/**
 * The lifecycle could not start the corrective action (the `nonconformity` workflow) of a nonconformity it
 * opened: recorded with the reason, and a task for the AIMS owner (issue 11, finding 5). Only the workflow
 * issues it.
 */
export type RecordCorrectiveActionNotStarted = AutomaticBase & {
  type: 'RecordCorrectiveActionNotStarted';
  nonconformityId: string;
  reason: { code: string; message: string };
  taskId: string;
};

/** A person closes it, or the system does when the nonconformity workflow reports its closure. */
export type CloseNonconformity = AutomaticBase & {
  type: 'CloseNonconformity';
  nonconformityId: string;
  resolution: string;
};

export type RecordChange = Base & {
  type: 'RecordChange';
  changeId: string;
  description: string;
  /** A significant change sends the system back to impact assessment (6.3, 8.4). */
  significant: boolean;
  amendments?: ProfileAmendments;
};

/** The resources the system depends on now (7.1, A.4.4–A.4.6): the whole list, replacing the one before. */
export type RecordResources = Base & {
  type: 'RecordResources';
  resources: AiSystemResource[];
  reason: string;
};

export type RequestDecommissioning = Base & {
  type: 'RequestDecommissioning';
  requestId: string;
  reason: string;
  approvalTaskId: string;
};

export type CompleteDecommissioning = Base & {
  type: 'CompleteDecommissioning';
  dataRetention: DataRetention;
};

/** A risk of this system reported whether it blocks deployment (riskPostureChanged signal); the system's own step. */
export type RecordRiskPosture = AutomaticBase & {
  type: 'RecordRiskPosture';
  riskId: string;
  level: string;
  blockers: RiskDeploymentBlocker[];
  causeEventId: string;
  /** When the risk recorded the change. */
  changedAt: string;
};

/** The AIMS scope process told the lifecycle its decision about the system (aimsScopeDecided signal). */
export type RecordAimsScopeDecision = AutomaticBase & {
  type: 'RecordAimsScopeDecision';
  inScope: boolean;
  justification: string;
  basis: AimsScopeDecisionBasis;
  causeEventId: string;
  /** When the scope process recorded it. */
  decidedAt: string;
};

/**
 * The AI policy in force when a deployment request was decided (5.2, A.2.2), as the lifecycle's activity
 * read it from the documents' evidence; the system's own step, right after the decision.
 */
export type NoteAiPolicyAtGate = AutomaticBase & {
  type: 'NoteAiPolicyAtGate';
  requestId: string;
  decision: 'approved' | 'blocked';
  /** The decision's evidence id (DeploymentApproved or DeploymentBlocked) and its instant. */
  decisionEventId: string;
  decidedAt: string;
  policies: AiPolicyVersionRef[];
  source: string;
};

export type SendHumanTaskReminder = AutomaticBase & { type: 'SendHumanTaskReminder'; taskId: string };
export type EscalateHumanTask = AutomaticBase & { type: 'EscalateHumanTask'; taskId: string };

export type AiSystemCommand =
  | RegisterAiSystem
  | ApplyLifecyclePolicy
  | SubmitImpactAssessment
  | DecideHumanTask
  | RecordDataset
  | RecordDataQualityCheck
  | ProposeModelVersion
  | RecordValidationResults
  | EvaluateAcceptanceCriteria
  | RequestDeployment
  | RecordDeploymentCompleted
  | RecordMonitoringReport
  | ReportIncident
  | RecordMonitoringReviewDue
  | RecordCorrectiveActionNotStarted
  | CloseNonconformity
  | RecordChange
  | RecordResources
  | RequestDecommissioning
  | CompleteDecommissioning
  | SendHumanTaskReminder
  | EscalateHumanTask
  | RecordRiskPosture
  | RecordAimsScopeDecision
  | NoteAiPolicyAtGate;

export type AiSystemCommandType = AiSystemCommand['type'];
