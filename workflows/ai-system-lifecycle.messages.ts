/**
 * The messages of workflow `aiSystemLifecycle` (workflows/ai-system-lifecycle.workflow.ts): its input, the
 * Updates people and pipelines send with their arguments and answers, and its queries. Callers (the API,
 * the CLI, tests) import these and never the workflow code itself.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AcceptanceEvaluation,
  Actor,
  AiSystemEventType,
  AiSystemRecord,
  AiSystemState,
  AiSystemTask,
  AiSystemTaskKind,
  CloseNonconformity,
  CompleteDecommissioning,
  AiPolicyAtDecision,
  DeploymentBlockReason,
  DeploymentRequestStatus,
  DeploymentRequestView,
  HumanTaskOutcome,
  ImpactAssessmentContent,
  LifecycleStage,
  LifecycleView,
  MetricDirection,
  ModelVersionView,
  ProposeModelVersion,
  RecordChange,
  RecordResources,
  RecordDataQualityCheck,
  RecordDataset,
  RecordDeploymentCompleted,
  RecordMonitoringReport,
  RecordValidationResults,
  RegisterAiSystem,
  ReportIncident,
  RequestDecommissioning,
  RequestDeployment,
} from '../domain/ai-system';
import type { NonconformityTiming } from './nonconformity.workflow';
import type { PolicySnapshot } from '../domain/ai-system/organisation-policy';
import type { RiskTier } from '../domain/ai-system/vocabulary';
import type { AiSystemResource } from '../domain/ai-system/model';

/** What the workflow carries into its next run when it continues as new. */
export interface LifecycleCarriedState {
  state: AiSystemRecord;
  lastEvidenceId?: string | null;
}

export interface AiSystemLifecycleInput {
  /**
   * The system as registered (the domain's RegisterAiSystem without type and time: the workflow stamps
   * the time). `policy` holds every duration: task response times, escalation delay, review interval.
   */
  registration: Omit<RegisterAiSystem, 'type' | 'at'>;
  /** Continue as new past this many history events even before Temporal suggests it (optional bound). */
  continueAsNewAfterHistoryLength?: number;
  /**
   * Timing of the `nonconformity` workflows this system's breaches and serious incidents start (review
   * delay, reminder lead time, escalation delay); DEFAULT_NONCONFORMITY_TIMING when left out.
   */
  nonconformityTiming?: NonconformityTiming;
  /** Set by the workflow itself when it continues as new; callers leave it out. */
  carried?: LifecycleCarriedState;
}

/** Who acts: an actor id and every AIMS role they hold (the API takes both from the token). */
export type ActingPerson = { by: Actor };
/** A command's fields as a caller gives them: no type, no time (the workflow's clock), `by` from the caller. */
type Fields<C> = Omit<C, 'type' | 'at' | 'by'>;
/** Ids a caller may leave to the workflow (then derived from the state, so deterministic). */
type WithOptional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type SubmitImpactAssessmentInput = ActingPerson & { assessmentId?: string; content: ImpactAssessmentContent };
export type DecideTaskInput = ActingPerson & {
  taskId: string;
  outcome: HumanTaskOutcome;
  /** Required unless approving. */
  reasons?: string[];
  comment?: string | null;
  evidenceRefs?: string[];
  /** Approving an impact assessment: the risk tier the reviewer confirms. */
  riskTier?: RiskTier;
};
/** The organisation's policy now in force, as the API read it from that policy's evidence. */
export type ApplyLifecyclePolicyInput = ActingPerson & { organisationPolicy: PolicySnapshot };
export type RecordDatasetInput = ActingPerson & WithOptional<Fields<RecordDataset>, 'datasetId'>;
export type RecordDataQualityCheckInput = ActingPerson & WithOptional<Fields<RecordDataQualityCheck>, 'checkId'>;
export type ProposeModelVersionInput = ActingPerson & Fields<ProposeModelVersion>;
export type RecordValidationResultsInput = ActingPerson & WithOptional<Fields<RecordValidationResults>, 'validationId'>;
/**
 * `requestId` doubles as an idempotency key: the same caller sending the same request again gets the same
 * answer (and, in runs with DEPLOYMENT_REPEATS_PATCH, the repeat is recorded). `triggeredBy`: the person
 * behind the pipeline run, who may then not approve it.
 */
export type RequestDeploymentInput = ActingPerson & WithOptional<Omit<Fields<RequestDeployment>, 'approvalTaskId'>, 'requestId'>;
export type RecordDeploymentCompletedInput = ActingPerson & Fields<RecordDeploymentCompleted>;
export type RecordMonitoringReportInput = ActingPerson & WithOptional<Omit<Fields<RecordMonitoringReport>, 'nonconformityIds'>, 'reportId'>;
export type ReportIncidentInput = ActingPerson & WithOptional<Omit<Fields<ReportIncident>, 'nonconformityIds'>, 'incidentId'>;
export type CloseNonconformityInput = ActingPerson & Fields<CloseNonconformity>;
export type RecordChangeInput = ActingPerson & WithOptional<Fields<RecordChange>, 'changeId'>;
export type RecordResourcesInput = ActingPerson & Fields<RecordResources>;
export type RequestDecommissioningInput = ActingPerson & WithOptional<Omit<Fields<RequestDecommissioning>, 'approvalTaskId'>, 'requestId'>;
export type CompleteDecommissioningInput = ActingPerson & Fields<CompleteDecommissioning>;

/** One evidence event a step appended to `ai-system-<id>`. */
export interface RecordedEvidenceRef {
  type: AiSystemEventType;
  evidenceId: string;
}

/** What every update answers; the evidence listed is in the store before the answer is given. */
export interface LifecycleStepResult {
  systemId: string;
  stage: LifecycleStage;
  recorded: RecordedEvidenceRef[];
  /** Human tasks this step opened (someone must now decide them). */
  openedTasks: AiSystemTask[];
  /**
   * Global evidence position of the last event this answer's steps recorded (null when nothing new was
   * recorded): a caller waits for its projections to reach it instead of reading the stream again.
   */
  lastPosition: number | null;
}

export type ImpactAssessmentSubmittedResult = LifecycleStepResult & { assessmentId: string; revision: number; reviewTaskId: string };
export type TaskDecidedResult = LifecycleStepResult & { taskId: string; kind: AiSystemTaskKind; outcome: HumanTaskOutcome };
export type LifecyclePolicyAppliedResult = LifecycleStepResult & { version: number; deviationChangeId: string | null };
export type DatasetRecordedResult = LifecycleStepResult & { datasetId: string };
export type DataQualityCheckResult = LifecycleStepResult & { checkId: string; datasetId: string; passed: boolean };
export type ModelVersionProposedResult = LifecycleStepResult & { modelVersion: string; supersedes: string[] };
export type ValidationRecordedResult = LifecycleStepResult & {
  validationId: string;
  /** Pass/fail per acceptance criterion, as the acceptance-criteria activity found. */
  evaluation: AcceptanceEvaluation;
  /** The validator's sign-off task when the criteria passed, else null. */
  signOffTaskId: string | null;
};
/** The deployment gate's answer: allowed, blocked with every reason, or pending with the task to sign. */
export type DeploymentGateAnswer = LifecycleStepResult & {
  requestId: string;
  outcome: 'allowed' | 'blocked' | 'pending';
  status: DeploymentRequestStatus;
  reasons: DeploymentBlockReason[];
  approvalTaskId: string | null;
  task: AiSystemTask | null;
  /** true when this request id had been answered before: nothing new was decided (newer runs record the repeat). */
  repeated: boolean;
  /** The AI policy in force at the decision, once noted (absent while pending, and in runs before the patch). */
  aiPolicy?: AiPolicyAtDecision;
};
export type DeploymentCompletedResult = LifecycleStepResult & { requestId: string; production: boolean };
export type MonitoringReportResult = LifecycleStepResult & {
  reportId: string;
  breaches: { metric: string; value: number; threshold: number; direction: MetricDirection; nonconformityId: string }[];
  /** Nonconformities this report opened (references; corrective action follows in their own workflow). */
  nonconformitiesOpened: string[];
};
export type IncidentReportedResult = LifecycleStepResult & { incidentId: string; nonconformityId: string | null };
export type NonconformityClosedResult = LifecycleStepResult & { nonconformityId: string };
export type ChangeRecordedResult = LifecycleStepResult & { changeId: string; significant: boolean };
export type ResourcesRecordedResult = LifecycleStepResult & { resources: AiSystemResource[] };
export type DecommissioningRequestedResult = LifecycleStepResult & { requestId: string; approvalTaskId: string };
export type DecommissionedResult = LifecycleStepResult & { requestId: string };

export const submitImpactAssessmentUpdate = defineUpdate<ImpactAssessmentSubmittedResult, [SubmitImpactAssessmentInput]>(
  'submitImpactAssessment',
);
export const decideTaskUpdate = defineUpdate<TaskDecidedResult, [DecideTaskInput]>('decideTask');
export const applyLifecyclePolicyUpdate = defineUpdate<LifecyclePolicyAppliedResult, [ApplyLifecyclePolicyInput]>('applyLifecyclePolicy');
export const recordDatasetUpdate = defineUpdate<DatasetRecordedResult, [RecordDatasetInput]>('recordDataset');
export const recordDataQualityCheckUpdate = defineUpdate<DataQualityCheckResult, [RecordDataQualityCheckInput]>('recordDataQualityCheck');
export const proposeModelVersionUpdate = defineUpdate<ModelVersionProposedResult, [ProposeModelVersionInput]>('proposeModelVersion');
export const recordValidationResultsUpdate = defineUpdate<ValidationRecordedResult, [RecordValidationResultsInput]>(
  'recordValidationResults',
);
export const requestDeploymentUpdate = defineUpdate<DeploymentGateAnswer, [RequestDeploymentInput]>('requestDeployment');
export const recordDeploymentCompletedUpdate = defineUpdate<DeploymentCompletedResult, [RecordDeploymentCompletedInput]>(
  'recordDeploymentCompleted',
);
export const recordMonitoringReportUpdate = defineUpdate<MonitoringReportResult, [RecordMonitoringReportInput]>('recordMonitoringReport');
export const reportIncidentUpdate = defineUpdate<IncidentReportedResult, [ReportIncidentInput]>('reportIncident');
export const closeNonconformityUpdate = defineUpdate<NonconformityClosedResult, [CloseNonconformityInput]>('closeNonconformity');
export const recordChangeUpdate = defineUpdate<ChangeRecordedResult, [RecordChangeInput]>('recordChange');
/** The resources the system depends on now (7.1, A.4.4–A.4.6), replacing the list before (ai-system-lifecycle.resources.ts). */
export const recordResourcesUpdate = defineUpdate<ResourcesRecordedResult, [RecordResourcesInput]>('recordResources');
export const requestDecommissioningUpdate = defineUpdate<DecommissioningRequestedResult, [RequestDecommissioningInput]>(
  'requestDecommissioning',
);
export const completeDecommissioningUpdate = defineUpdate<DecommissionedResult, [CompleteDecommissioningInput]>('completeDecommissioning');

export const stageQuery = defineQuery<LifecycleStage | 'unregistered'>('stage');
export const openTasksQuery = defineQuery<AiSystemTask[]>('openTasks');
export const versionsQuery = defineQuery<ModelVersionView[]>('versions');
export const lifecycleQuery = defineQuery<LifecycleView>('lifecycle');
/** The whole state, for audits and tests (the evidence stream folds to exactly this). */
export const stateQuery = defineQuery<AiSystemState>('state');
export const deploymentRequestQuery = defineQuery<DeploymentRequestView | null, [string]>('deploymentRequest');
