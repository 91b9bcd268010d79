/**
 * Request bodies (and their answers) of the commands on an AI system's lifecycle. Validation here is the
 * shape (types, vocabularies, lengths, id rules) so a malformed body is a 400 naming each field before
 * anything reaches the workflow; the rules that depend on the system's state stay in the domain.
 * None of these bodies names the actor: who acts is the bearer token's holder.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  AFFECTED_PARTIES,
  DATA_RETENTION_DECISIONS,
  DATASET_PURPOSES,
  HUMAN_TASK_KINDS,
  IMPACT_LIKELIHOODS,
  IMPACT_SEVERITIES,
  INCIDENT_SEVERITIES,
  LIFECYCLE_STAGES,
  METRIC_DIRECTIONS,
  PROVIDER_KINDS,
  RISK_TIERS,
} from '../../../../domain/ai-system/model';
import { isIsoTimestamp } from '../../../../domain/shared/iso-time';
import { AIMS_ROLES } from '../../../../domain/shared/roles';
import { IsEntityId } from '../common/ids';

const NAME_MAX = 200;
const TEXT_MAX = 4000;
const LIST_MAX = 100;
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const SHA256_MESSAGE = '$property must be sha256: followed by 64 lower-case hex digits';
/** Model versions: "1.0.0", "v2", "2026-03-01+build.7". */
export const MODEL_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** An ISO-8601 timestamp with a zone, as the domain requires (e.g. 2026-03-31T12:00:00Z). */
function IsIsoTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoTimestamp',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO-8601 timestamp with a zone, e.g. 2026-03-31T12:00:00Z', ...options },
      validator: { validate: (value: unknown) => isIsoTimestamp(value) },
    });
}

/** A required non-empty text of at most `max` characters. */
function Text(max = TEXT_MAX): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(max)(target, key);
  };
}

/** An optional text that may also be null. */
function OptionalText(max = TEXT_MAX): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsOptional()(target, key);
    IsString()(target, key);
    MaxLength(max)(target, key);
  };
}

/** A list of non-empty texts. */
function TextList(min: number, max = LIST_MAX, itemMax = NAME_MAX): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsArray()(target, key);
    ArrayMinSize(min)(target, key);
    ArrayMaxSize(max)(target, key);
    IsString({ each: true })(target, key);
    IsNotEmpty({ each: true })(target, key);
    MaxLength(itemMax, { each: true })(target, key);
  };
}

/** A required nested object of class `type`. */
function Nested(type: () => new () => object): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsObject()(target, key);
    ValidateNested()(target, key);
    Type(type)(target, key);
  };
}

/** A list of nested objects of class `type`. */
function NestedList(type: () => new () => object, min: number, max = LIST_MAX): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsArray()(target, key);
    ArrayMinSize(min)(target, key);
    ArrayMaxSize(max)(target, key);
    ValidateNested({ each: true })(target, key);
    Type(type)(target, key);
  };
}

const finite = { allowNaN: false, allowInfinity: false };

// ---------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------

export class DatasetParamsDto {
  @ApiProperty({ description: 'The AI system id', example: 'credit-scoring' })
  @IsEntityId()
  id!: string;

  @ApiProperty({ description: 'The dataset id', example: 'dataset-1' })
  @IsEntityId()
  datasetId!: string;
}

export class DeploymentParamsDto {
  @ApiProperty({ description: 'The AI system id', example: 'credit-scoring' })
  @IsEntityId()
  id!: string;

  @ApiProperty({ description: 'The deployment request id (the answer of POST …/deployments)', example: 'deployment-1' })
  @IsEntityId()
  requestId!: string;
}

/** Commands that carry nothing but the actor: any field sent is refused, so typos do not pass silently. */
export class EmptyBodyDto {}

// ---------------------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------------------

export class MetricCriterionDto {
  @ApiProperty({ example: 'auc' }) @Text(128) metric!: string;
  @ApiProperty({ enum: METRIC_DIRECTIONS }) @IsIn(METRIC_DIRECTIONS) direction!: (typeof METRIC_DIRECTIONS)[number];
  @ApiProperty({ example: 0.8 }) @IsNumber(finite) threshold!: number;
}

export class ProviderInputDto {
  @ApiProperty({ enum: PROVIDER_KINDS, description: 'in_house: built here; deployed: a third party model run here; third_party_api: used through a provider API' })
  @IsIn(PROVIDER_KINDS)
  kind!: (typeof PROVIDER_KINDS)[number];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The third party; required unless in_house (A.10.3)', example: 'LLM Provider Ltd' })
  @OptionalText(NAME_MAX)
  supplier?: string | null;
}

class TaskRolesDto {
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(AIMS_ROLES, { each: true }) impact_assessment_review?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(AIMS_ROLES, { each: true }) validation_sign_off?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(AIMS_ROLES, { each: true }) deployment_approval?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(AIMS_ROLES, { each: true }) decommissioning_approval?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(AIMS_ROLES, { each: true }) monitoring_review?: string[];
}

class TaskDurationsDto {
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) impact_assessment_review?: number;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) validation_sign_off?: number;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) deployment_approval?: number;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) decommissioning_approval?: number;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) monitoring_review?: number;
}

/** Overrides of the default lifecycle policy (domain/ai-system/policy.ts); durations in milliseconds. */
export class LifecyclePolicyDto {
  @ApiPropertyOptional({ enum: RISK_TIERS, isArray: true, description: 'Tiers whose deployments are approved by policy once every check passes (default: minimal)' })
  @IsOptional()
  @IsArray()
  @IsIn(RISK_TIERS, { each: true })
  autoApproveRiskTiers?: Array<(typeof RISK_TIERS)[number]>;

  @ApiPropertyOptional({ type: [String], description: 'Environments whose completed deployment puts a version in production (default: production)' })
  @IsOptional()
  @TextList(1, 20, 64)
  productionEnvironments?: string[];

  @ApiPropertyOptional({ type: () => TaskRolesDto, description: 'Roles that decide each kind of task' })
  @IsOptional()
  @Nested(() => TaskRolesDto)
  taskRoles?: TaskRolesDto;

  @ApiPropertyOptional({ type: () => TaskDurationsDto, description: 'Time to decide each kind of task before a reminder (ms)' })
  @IsOptional()
  @Nested(() => TaskDurationsDto)
  taskResponseTimeMs?: TaskDurationsDto;

  @ApiPropertyOptional({ minimum: 1, description: 'From the reminder to escalation to the AIMS owner (ms)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  escalationAfterMs?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'How often a monitoring review falls due in production (ms)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  monitoringReviewIntervalMs?: number;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, description: 'How long an approved impact assessment stays current (ms); null: until a significant change' })
  @IsOptional()
  @IsInt()
  @Min(1)
  impactAssessmentValidityMs?: number | null;

  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES, isArray: true, description: 'Incident severities that open a nonconformity' })
  @IsOptional()
  @IsArray()
  @IsIn(INCIDENT_SEVERITIES, { each: true })
  incidentSeveritiesOpeningNonconformity?: Array<(typeof INCIDENT_SEVERITIES)[number]>;
}

export class RegisterAiSystemDto {
  @ApiProperty({ description: 'Its id: 1-128 letters, digits or _ . : @ -, starting with a letter or digit', example: 'credit-scoring' })
  @IsEntityId()
  systemId!: string;

  @ApiProperty({ example: 'Credit scoring model' }) @Text(NAME_MAX) name!: string;
  @ApiProperty({ example: 'Rank consumer-loan applications by default risk' }) @Text() purpose!: string;
  @ApiProperty({ description: 'Intended use (A.9.4)', example: 'Decision support for credit officers; never an automatic refusal' }) @Text() intendedUse!: string;

  @ApiProperty({ description: 'Actor id of the person accountable for the system (a token name or JWT subject)', example: 'erin' })
  @IsEntityId()
  owner!: string;

  @ApiProperty({ type: () => ProviderInputDto }) @Nested(() => ProviderInputDto) provider!: ProviderInputDto;
  @ApiProperty({ enum: RISK_TIERS }) @IsIn(RISK_TIERS) riskTier!: (typeof RISK_TIERS)[number];

  @ApiProperty({ type: [MetricCriterionDto], description: 'What validation results must meet (A.6.2.4)' })
  @NestedList(() => MetricCriterionDto, 1)
  acceptanceCriteria!: MetricCriterionDto[];

  @ApiPropertyOptional({ type: [MetricCriterionDto], description: 'What monitoring reports are checked against; the acceptance criteria when left out' })
  @IsOptional()
  @NestedList(() => MetricCriterionDto, 0)
  monitoringThresholds?: MetricCriterionDto[];

  @ApiPropertyOptional({ type: () => LifecyclePolicyDto, description: 'Overrides of the default lifecycle policy' })
  @IsOptional()
  @Nested(() => LifecyclePolicyDto)
  policy?: LifecyclePolicyDto;
}

// ---------------------------------------------------------------------------------------------------------
// Impact assessment
// ---------------------------------------------------------------------------------------------------------

export class AffectedPartiesDto {
  @ApiProperty({ example: 'Loan applicants' }) @Text() individuals!: string;
  @ApiProperty({ example: 'Applicants from protected groups' }) @Text() groups!: string;
  @ApiProperty({ example: 'Access to credit in the region' }) @Text() society!: string;
}

export class ImpactDto {
  @ApiProperty({ example: 'I1' }) @Text(128) impactId!: string;
  @ApiProperty({ enum: AFFECTED_PARTIES }) @IsIn(AFFECTED_PARTIES) affects!: (typeof AFFECTED_PARTIES)[number];
  @ApiProperty({ example: 'Unfair refusal of credit' }) @Text() description!: string;
  @ApiProperty({ enum: IMPACT_SEVERITIES }) @IsIn(IMPACT_SEVERITIES) severity!: (typeof IMPACT_SEVERITIES)[number];
  @ApiProperty({ enum: IMPACT_LIKELIHOODS }) @IsIn(IMPACT_LIKELIHOODS) likelihood!: (typeof IMPACT_LIKELIHOODS)[number];
}

export class MitigationDto {
  @ApiProperty({ example: 'M1' }) @Text(128) mitigationId!: string;
  @ApiProperty({ example: 'A credit officer reviews every refusal' }) @Text() description!: string;
  @ApiProperty({ type: [String], example: ['I1'] }) @TextList(1, LIST_MAX, 128) addressesImpactIds!: string[];
  @ApiPropertyOptional({ type: String, nullable: true, example: 'erin' }) @OptionalText(NAME_MAX) owner?: string | null;
}

export class SubmitImpactAssessmentDto {
  @ApiPropertyOptional({ description: 'Its id; derived (ia-1, ia-2, …) when left out', example: 'ia-2026-01' })
  @IsOptional()
  @IsEntityId()
  assessmentId?: string;

  @ApiProperty({ type: () => AffectedPartiesDto, description: 'Who is affected, in each circle A.5.4 and A.5.5 ask about' })
  @Nested(() => AffectedPartiesDto)
  affectedParties!: AffectedPartiesDto;

  @ApiProperty({ type: [ImpactDto] }) @NestedList(() => ImpactDto, 1) impacts!: ImpactDto[];

  @ApiProperty({ type: [MitigationDto], description: 'Every major or critical impact needs at least one' })
  @NestedList(() => MitigationDto, 0)
  mitigations!: MitigationDto[];
}

// ---------------------------------------------------------------------------------------------------------
// Data (A.7)
// ---------------------------------------------------------------------------------------------------------

export class DataProvenanceDto {
  @ApiProperty({ description: 'Where the data comes from (A.7.5)', example: 'core banking export' }) @Text() source!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'data office' }) @OptionalText(NAME_MAX) custodian?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'internal' }) @OptionalText(NAME_MAX) licence?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'sha256: digest of the dataset snapshot' })
  @IsOptional()
  @Matches(SHA256, { message: SHA256_MESSAGE })
  contentDigest?: string | null;
}

export class DataAcquisitionDto {
  @ApiProperty({ example: 'internal export' }) @Text() method!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-01-15T00:00:00Z' }) @IsOptional() @IsIsoTimestamp() acquiredAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @OptionalText() notes?: string | null;
}

export class DataPreparationDto {
  @ApiProperty({ type: [String], description: 'Empty when the data is used as acquired', example: ['deduplicated', 'pseudonymised'] })
  @TextList(0, LIST_MAX, TEXT_MAX)
  steps!: string[];
}

export class RecordDatasetDto {
  @ApiPropertyOptional({ description: 'Its id; derived (dataset-1, …) when left out', example: 'applications-2025' })
  @IsOptional()
  @IsEntityId()
  datasetId?: string;

  @ApiProperty({ example: 'Applications 2020-2025' }) @Text(NAME_MAX) name!: string;
  @ApiProperty({ enum: DATASET_PURPOSES }) @IsIn(DATASET_PURPOSES) purpose!: (typeof DATASET_PURPOSES)[number];
  @ApiProperty({ type: () => DataProvenanceDto }) @Nested(() => DataProvenanceDto) provenance!: DataProvenanceDto;
  @ApiProperty({ type: () => DataAcquisitionDto }) @Nested(() => DataAcquisitionDto) acquisition!: DataAcquisitionDto;

  @ApiPropertyOptional({ type: () => DataPreparationDto, description: 'Preparation steps (A.7.6); none when left out' })
  @IsOptional()
  @Nested(() => DataPreparationDto)
  preparation?: DataPreparationDto;
}

export class DataQualityResultDto {
  @ApiProperty({ example: 'completeness' }) @Text(NAME_MAX) dimension!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'non-null ratio' }) @OptionalText(NAME_MAX) measure?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 0.99 }) @IsOptional() @IsNumber(finite) value?: number | null;
  @ApiProperty({ example: true }) @IsBoolean() passed!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) @OptionalText() notes?: string | null;
}

export class RecordDataQualityCheckDto {
  @ApiPropertyOptional({ description: 'Its id; derived (dq-check-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  checkId?: string;

  @ApiProperty({ type: [DataQualityResultDto], description: 'The check passes only if every result passes (A.7.4)' })
  @NestedList(() => DataQualityResultDto, 1)
  results!: DataQualityResultDto[];
}

// ---------------------------------------------------------------------------------------------------------
// Versions and validation (A.6.2.4)
// ---------------------------------------------------------------------------------------------------------

export class ProposeModelVersionDto {
  @ApiProperty({ example: '1.0.0' })
  @IsString()
  @Matches(MODEL_VERSION, { message: '$property must be 1-128 letters, digits or . _ + -, starting with a letter or digit' })
  modelVersion!: string;

  @ApiProperty({ example: `sha256:${'a'.repeat(64)}` })
  @IsString()
  @Matches(SHA256, { message: SHA256_MESSAGE })
  artifactDigest!: string;

  @ApiPropertyOptional({ description: 'What changed in this version', example: 'Gradient-boosted model retrained on 2025 data' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_MAX)
  description?: string;
}

export class MetricValueDto {
  @ApiProperty({ example: 'auc' }) @Text(128) metric!: string;
  @ApiProperty({ example: 0.86 }) @IsNumber(finite) value!: number;
}

export class RecordValidationResultsDto {
  @ApiPropertyOptional({ description: 'Its id; derived (validation-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  validationId?: string;

  @ApiProperty({ example: '1.0.0' })
  @IsString()
  @Matches(MODEL_VERSION, { message: '$property must be a model version such as 1.0.0' })
  modelVersion!: string;

  @ApiProperty({ example: `sha256:${'a'.repeat(64)}` })
  @IsString()
  @Matches(SHA256, { message: SHA256_MESSAGE })
  artifactDigest!: string;

  @ApiProperty({ type: [String], description: 'Datasets the results were measured on (each with a passing quality check)', example: ['dataset-1'] })
  @TextList(1, LIST_MAX, 128)
  datasetIds!: string[];

  @ApiProperty({ type: [MetricValueDto] }) @NestedList(() => MetricValueDto, 1) metrics!: MetricValueDto[];
}

// ---------------------------------------------------------------------------------------------------------
// Deployment gate (A.6.2.5)
// ---------------------------------------------------------------------------------------------------------

export class RequestDeploymentDto {
  @ApiPropertyOptional({ description: 'The model version to deploy (what `aims gate --version` sends); give this or modelVersion', example: '1.0.0' })
  @IsOptional()
  @IsString()
  @Matches(MODEL_VERSION, { message: '$property must be a model version such as 1.0.0' })
  version?: string;

  @ApiPropertyOptional({ description: 'The same as version', example: '1.0.0' })
  @IsOptional()
  @IsString()
  @Matches(MODEL_VERSION, { message: '$property must be a model version such as 1.0.0' })
  modelVersion?: string;

  @ApiProperty({ description: 'Digest of the exact artifact the pipeline will deploy', example: `sha256:${'a'.repeat(64)}` })
  @IsString()
  @Matches(SHA256, { message: SHA256_MESSAGE })
  artifactDigest!: string;

  @ApiPropertyOptional({ default: 'production', example: 'production' })
  @IsOptional()
  @IsString()
  @Matches(ENVIRONMENT, { message: '$property must be 1-64 letters, digits or . _ -' })
  environment?: string;

  @ApiPropertyOptional({ description: 'The source commit being deployed; recorded as "unspecified" when left out', example: '9f2c1e7' })
  @IsOptional()
  @Text(NAME_MAX)
  commit?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Operation and monitoring (9.1, A.6.2.6, A.8.4)
// ---------------------------------------------------------------------------------------------------------

export class ReportWindowDto {
  @ApiProperty({ example: '2026-03-01T00:00:00Z' }) @IsIsoTimestamp() from!: string;
  @ApiProperty({ example: '2026-03-08T00:00:00Z' }) @IsIsoTimestamp() to!: string;
}

export class RecordMonitoringReportDto {
  @ApiPropertyOptional({ description: 'Its id; derived (report-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  reportId?: string;

  @ApiProperty({ type: () => ReportWindowDto, description: 'The period the metrics were measured over' })
  @Nested(() => ReportWindowDto)
  window!: ReportWindowDto;

  @ApiProperty({ type: [MetricValueDto], description: "Checked against the system's monitoring thresholds; a breach opens a nonconformity" })
  @NestedList(() => MetricValueDto, 1)
  metrics!: MetricValueDto[];
}

export class ReportIncidentDto {
  @ApiPropertyOptional({ description: 'Its id; derived (incident-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  incidentId?: string;

  @ApiProperty({ enum: INCIDENT_SEVERITIES }) @IsIn(INCIDENT_SEVERITIES) severity!: (typeof INCIDENT_SEVERITIES)[number];
  @ApiProperty({ example: 'Assistant disclosed another customer order number' }) @Text() description!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '1.0.0' })
  @IsOptional()
  @IsString()
  @Matches(MODEL_VERSION, { message: '$property must be a model version such as 1.0.0' })
  modelVersion?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-03-02T09:30:00Z' }) @IsOptional() @IsIsoTimestamp() occurredAt?: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Change (6.3) and decommissioning
// ---------------------------------------------------------------------------------------------------------

export class ProfileAmendmentsDto {
  @ApiPropertyOptional() @IsOptional() @Text(NAME_MAX) name?: string;
  @ApiPropertyOptional() @IsOptional() @Text() purpose?: string;
  @ApiPropertyOptional() @IsOptional() @Text() intendedUse?: string;
  @ApiPropertyOptional() @IsOptional() @IsEntityId() owner?: string;
  @ApiPropertyOptional({ type: () => ProviderInputDto }) @IsOptional() @Nested(() => ProviderInputDto) provider?: ProviderInputDto;
  @ApiPropertyOptional({ enum: RISK_TIERS }) @IsOptional() @IsIn(RISK_TIERS) riskTier?: (typeof RISK_TIERS)[number];
  @ApiPropertyOptional({ type: [MetricCriterionDto] }) @IsOptional() @NestedList(() => MetricCriterionDto, 1) acceptanceCriteria?: MetricCriterionDto[];
  @ApiPropertyOptional({ type: [MetricCriterionDto] }) @IsOptional() @NestedList(() => MetricCriterionDto, 0) monitoringThresholds?: MetricCriterionDto[];
}

export class RecordChangeDto {
  @ApiPropertyOptional({ description: 'Its id; derived (change-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  changeId?: string;

  @ApiProperty({ example: 'Extend to small-business loans' }) @Text() description!: string;

  @ApiProperty({ description: 'A significant change sends the system back to impact assessment (6.3, 8.4); amending purpose, intended use, provider, risk tier or acceptance criteria must be significant' })
  @IsBoolean()
  significant!: boolean;

  @ApiPropertyOptional({ type: () => ProfileAmendmentsDto, description: 'Fields of the registration this change amends' })
  @IsOptional()
  @Nested(() => ProfileAmendmentsDto)
  amendments?: ProfileAmendmentsDto;
}

export class RequestDecommissioningDto {
  @ApiPropertyOptional({ description: 'Its id; derived (decommissioning-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  requestId?: string;

  @ApiProperty({ example: 'Replaced by the 2027 scoring platform' }) @Text() reason!: string;
}

export class DataRetentionDto {
  @ApiProperty({ enum: DATA_RETENTION_DECISIONS }) @IsIn(DATA_RETENTION_DECISIONS) decision!: (typeof DATA_RETENTION_DECISIONS)[number];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Until when (null when deleted)', example: '2033-12-31T00:00:00Z' }) @IsOptional() @IsIsoTimestamp() retainUntil?: string | null;
  @ApiProperty({ example: 'Consumer-credit records are kept for seven years' }) @Text() justification!: string;
}

export class CompleteDecommissioningDto {
  @ApiProperty({ type: () => DataRetentionDto, description: 'What happens to the data and models (A.7, A.6.2.6)' })
  @Nested(() => DataRetentionDto)
  dataRetention!: DataRetentionDto;
}

// ---------------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------------

export class RecordedEvidenceDto {
  @ApiProperty({ example: 'ImpactAssessmentSubmitted' }) type!: string;
  @ApiProperty({ description: 'The evidence event id (GET /v1/ai-systems/{id}/evidence)' }) evidenceId!: string;
}

export class OpenedTaskDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: HUMAN_TASK_KINDS }) kind!: string;
  @ApiProperty({ type: [String] }) requiredRoles!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) subject!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestedBy!: string | null;
  @ApiProperty() dueAt!: string;
}

/** What every command answers, once its evidence is stored and the read models show it. */
export class LifecycleStepResultDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ enum: LIFECYCLE_STAGES, description: 'The stage after the step' }) stage!: string;
  @ApiProperty({ type: [RecordedEvidenceDto], description: 'Evidence this step appended' }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: [OpenedTaskDto], description: 'Human tasks this step opened (decide them with POST /v1/tasks/{taskId}/decision)' })
  openedTasks!: OpenedTaskDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Global position the read models reflect at least (null when nothing was recorded)' })
  evidencePosition!: number | null;
}

export class AiSystemRegisteredDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ description: 'Its lifecycle workflow (Temporal UI)', example: 'ai-system-credit-scoring' }) workflowId!: string;
  @ApiProperty({ description: 'Its evidence stream', example: 'ai-system-credit-scoring' }) stream!: string;
  @ApiProperty({ enum: ['registered', 'registering'], description: 'registering: the workflow started but has not recorded the registration yet' })
  stage!: string;
  @ApiProperty({ nullable: true, type: Number }) evidencePosition!: number | null;
}

export class ImpactAssessmentSubmittedDto extends LifecycleStepResultDto {
  @ApiProperty() assessmentId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'The review task an approver or risk owner decides' }) reviewTaskId!: string;
}

export class DatasetRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() datasetId!: string;
}

export class DataQualityCheckRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() checkId!: string;
  @ApiProperty() datasetId!: string;
  @ApiProperty() passed!: boolean;
}

export class ModelVersionProposedDto extends LifecycleStepResultDto {
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ type: [String], description: 'Versions this one supersedes' }) supersedes!: string[];
}

export class ValidationRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() validationId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Pass/fail per acceptance criterion' }) evaluation!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: "The validator's sign-off task when the criteria passed" }) signOffTaskId!: string | null;
}

export class NonconformityParamsDto {
  @ApiProperty({ description: 'The AI system id', example: 'credit-scoring' })
  @IsEntityId()
  id!: string;

  @ApiProperty({ description: 'The nonconformity id, as the system opened it', example: 'nc-credit-scoring-report-1-auc' })
  @IsEntityId()
  nonconformityId!: string;
}

export class CloseNonconformityDto {
  @ApiProperty({ description: 'How it was resolved', example: 'Handled outside the corrective-action workflow: retrained model 1.3.0 deployed' })
  @Text()
  resolution!: string;
}

export class NonconformityClosedDto extends LifecycleStepResultDto {
  @ApiProperty() nonconformityId!: string;
}

export class DeploymentCompletedDto extends LifecycleStepResultDto {
  @ApiProperty() requestId!: string;
  @ApiProperty({ description: 'true when the environment is a production one: the version is now in production' }) production!: boolean;
}

export class MonitoringBreachDto {
  @ApiProperty() metric!: string;
  @ApiProperty() value!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty({ enum: METRIC_DIRECTIONS }) direction!: string;
  @ApiProperty() nonconformityId!: string;
}

export class MonitoringReportRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() reportId!: string;
  @ApiProperty({ type: [MonitoringBreachDto] }) breaches!: MonitoringBreachDto[];
  @ApiProperty({ type: [String] }) nonconformitiesOpened!: string[];
}

export class IncidentReportedDto extends LifecycleStepResultDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty({ nullable: true, type: String }) nonconformityId!: string | null;
}

export class ChangeRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() changeId!: string;
  @ApiProperty() significant!: boolean;
}

export class DecommissioningRequestedDto extends LifecycleStepResultDto {
  @ApiProperty() requestId!: string;
  @ApiProperty({ description: 'The approval task an approver decides' }) approvalTaskId!: string;
}

export class DecommissionedDto extends LifecycleStepResultDto {
  @ApiProperty() requestId!: string;
}

export class GateReasonDto {
  @ApiProperty({ example: 'VALIDATION_NOT_SIGNED_OFF' }) code!: string;
  @ApiProperty() message!: string;
}

export class GateTaskDto {
  @ApiProperty({ description: 'The approval task id', example: 'credit-scoring-task-3' }) id!: string;
  @ApiProperty({ example: 'deployment_approval' }) kind!: string;
  @ApiProperty({ type: [String], example: ['approver'] }) requiredRoles!: string[];
  @ApiProperty() dueAt!: string;
  @ApiProperty({ description: 'Where the approver decides it', example: '/v1/tasks/credit-scoring-task-3/decision' }) decision!: string;
}

/** The gate's answer: 200 allowed, 202 pending; a blocked answer is the 409 problem with the same fields. */
export class DeploymentGateDto {
  @ApiProperty({ enum: ['allowed', 'pending', 'blocked'] }) outcome!: string;
  @ApiProperty({ example: 'gate-1f3a…' }) requestId!: string;
  @ApiProperty() systemId!: string;
  @ApiProperty({ enum: ['approved', 'pending_approval', 'blocked', 'completed'], description: 'Where the request stands' }) requestStatus!: string;
  @ApiProperty({ type: [GateReasonDto], description: 'Every reason it is blocked (empty otherwise)' }) reasons!: GateReasonDto[];
  @ApiProperty({ type: GateTaskDto, nullable: true, description: 'The approval task while pending' }) task!: GateTaskDto | null;
  @ApiPropertyOptional({ description: 'true when this request id had been answered before: nothing new was recorded' }) repeated?: boolean;
  @ApiPropertyOptional({ type: [RecordedEvidenceDto] }) recorded?: RecordedEvidenceDto[];
  @ApiPropertyOptional({ nullable: true, type: Number }) evidencePosition?: number | null;
}
