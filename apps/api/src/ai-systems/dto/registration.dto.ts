/**
 * Registering an AI system (A.4.2 inventory, A.6.2 lifecycle): its profile, acceptance criteria and
 * overrides of the default lifecycle policy. The domain's resolveLifecyclePolicy checks the rest.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { INCIDENT_SEVERITIES, METRIC_DIRECTIONS, PROVIDER_KINDS, RISK_TIERS } from '../../../../../domain/ai-system/model';
import type { LifecyclePolicyOverrides } from '../../../../../domain/ai-system';
import { AIMS_ROLES, type Actor } from '../../../../../domain/shared/roles';
import type { AiSystemLifecycleInput } from '../../../../../workflows/ai-system-lifecycle.messages';
import {
  FiniteNumber,
  NAME_MAX,
  Nested,
  NestedList,
  OptionalText,
  plainJson,
  PositiveInteger,
  Text,
  TextList,
} from '../../common/dto-decorators';
import { IsEntityId } from '../../common/ids';
import { ProjectionDto } from '../../common/projection.dto';

export class MetricCriterionDto {
  @ApiProperty({ example: 'auc' }) @Text(128) metric!: string;
  @ApiProperty({ enum: METRIC_DIRECTIONS }) @IsIn(METRIC_DIRECTIONS) direction!: (typeof METRIC_DIRECTIONS)[number];
  @ApiProperty({ example: 0.8 }) @FiniteNumber() threshold!: number;
}

export class ProviderInputDto {
  @ApiProperty({
    enum: PROVIDER_KINDS,
    description: 'in_house: built here; deployed: a third party model run here; third_party_api: used through a provider API',
  })
  @IsIn(PROVIDER_KINDS)
  kind!: (typeof PROVIDER_KINDS)[number];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The third party; required unless in_house (A.10.3)',
    example: 'LLM Provider Ltd',
  })
  @OptionalText(NAME_MAX)
  supplier?: string | null;
}

/** Roles that may decide one kind of task: at least one, each an AIMS role. */
function RoleList(): PropertyDecorator {
  return (target: object, key: string | symbol) =>
    [IsOptional(), IsArray(), ArrayMinSize(1), IsIn(AIMS_ROLES, { each: true })].forEach((d) => d(target, key));
}

/** An optional duration in milliseconds. */
function OptionalMs(): PropertyDecorator {
  return (target: object, key: string | symbol) => [IsOptional(), PositiveInteger()].forEach((d) => d(target, key));
}

class TaskRolesDto {
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @RoleList() impact_assessment_review?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @RoleList() validation_sign_off?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @RoleList() deployment_approval?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @RoleList() decommissioning_approval?: string[];
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true }) @RoleList() monitoring_review?: string[];
}

class TaskDurationsDto {
  @ApiPropertyOptional({ minimum: 1 }) @OptionalMs() impact_assessment_review?: number;
  @ApiPropertyOptional({ minimum: 1 }) @OptionalMs() validation_sign_off?: number;
  @ApiPropertyOptional({ minimum: 1 }) @OptionalMs() deployment_approval?: number;
  @ApiPropertyOptional({ minimum: 1 }) @OptionalMs() decommissioning_approval?: number;
  @ApiPropertyOptional({ minimum: 1 }) @OptionalMs() monitoring_review?: number;
}

/** Overrides of the default lifecycle policy (domain/ai-system/policy.ts); durations in milliseconds. */
export class LifecyclePolicyDto {
  @ApiPropertyOptional({
    enum: RISK_TIERS,
    isArray: true,
    description: 'Tiers whose deployments are approved by policy once every check passes (default: minimal)',
  })
  @IsOptional()
  @IsArray()
  @IsIn(RISK_TIERS, { each: true })
  autoApproveRiskTiers?: Array<(typeof RISK_TIERS)[number]>;

  @ApiPropertyOptional({
    type: [String],
    description: 'Environments whose completed deployment puts a version in production (default: production)',
  })
  @IsOptional()
  @TextList({ min: 1, max: 20, itemMax: 64 })
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
  @OptionalMs()
  escalationAfterMs?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'How often a monitoring review falls due in production (ms)' })
  @OptionalMs()
  monitoringReviewIntervalMs?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    description: 'How long an approved impact assessment stays current (ms); null: until a significant change',
  })
  @OptionalMs()
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
  @ApiProperty({ description: 'Intended use (A.9.4)', example: 'Decision support for credit officers; never an automatic refusal' })
  @Text()
  intendedUse!: string;

  @ApiProperty({ description: 'Actor id of the person accountable for the system (a token name or JWT subject)', example: 'erin' })
  @IsEntityId()
  owner!: string;

  @ApiProperty({ type: () => ProviderInputDto }) @Nested(() => ProviderInputDto) provider!: ProviderInputDto;
  @ApiProperty({ enum: RISK_TIERS }) @IsIn(RISK_TIERS) riskTier!: (typeof RISK_TIERS)[number];

  @ApiProperty({ type: [MetricCriterionDto], description: 'What validation results must meet (A.6.2.4)' })
  @NestedList(() => MetricCriterionDto, { min: 1 })
  acceptanceCriteria!: MetricCriterionDto[];

  @ApiPropertyOptional({
    type: [MetricCriterionDto],
    description: 'What monitoring reports are checked against; the acceptance criteria when left out',
  })
  @IsOptional()
  @NestedList(() => MetricCriterionDto)
  monitoringThresholds?: MetricCriterionDto[];

  @ApiPropertyOptional({ type: () => LifecyclePolicyDto, description: 'Overrides of the default lifecycle policy' })
  @IsOptional()
  @Nested(() => LifecyclePolicyDto)
  policy?: LifecyclePolicyDto;

  /** The registration the lifecycle workflow starts with, registered by `by`. */
  toRegistration(by: Actor): Registration {
    const b = plainJson(this);
    return {
      systemId: b.systemId,
      name: b.name,
      purpose: b.purpose,
      intendedUse: b.intendedUse,
      owner: b.owner,
      provider: { kind: b.provider.kind, supplier: b.provider.supplier ?? null },
      riskTier: b.riskTier,
      acceptanceCriteria: b.acceptanceCriteria,
      ...(b.monitoringThresholds === undefined ? {} : { monitoringThresholds: b.monitoringThresholds }),
      // Only the policy's fields, with the domain's vocabularies (roles as plain strings): the domain's
      // resolveLifecyclePolicy checks the rest before the workflow starts.
      ...(b.policy === undefined ? {} : { policy: b.policy as LifecyclePolicyOverrides }),
      by,
    };
  }
}

export type Registration = AiSystemLifecycleInput['registration'];

export class AiSystemRegisteredDto extends ProjectionDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ description: 'Its lifecycle workflow (Temporal UI)', example: 'ai-system-credit-scoring' }) workflowId!: string;
  @ApiProperty({ description: 'Its evidence stream', example: 'ai-system-credit-scoring' }) stream!: string;
  @ApiProperty({
    enum: ['registered', 'registering'],
    description: 'registering: the workflow started but has not recorded the registration yet',
  })
  stage!: string;
}
