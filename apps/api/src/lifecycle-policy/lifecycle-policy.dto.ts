/**
 * The organisation's lifecycle policy over HTTP (issue 11, finding 1): what is in force, proposing a
 * change (organisation-wide, per risk tier) or a deviation for one system, and the answers.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { INCIDENT_SEVERITIES } from '../../../../domain/ai-system/model';
import type { TierPolicyOverrides } from '../../../../domain/ai-system/organisation-policy';
import type { RiskTier } from '../../../../domain/ai-system/vocabulary';
import { AIMS_ROLES, type Actor } from '../../../../domain/shared/roles';
import type { ProposePolicyChangeInput } from '../../../../workflows/lifecycle-policy.messages';
import { Nested, plainJson, PositiveInteger, Text, TextList } from '../common/dto-decorators';
import { IsEntityId } from '../common/ids';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

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

/**
 * The fields of one risk tier's lifecycle policy that a change sets (domain/ai-system/organisation-policy.ts);
 * durations in milliseconds. The domain checks the whole result against the floors.
 */
export class TierPolicyDto {
  @ApiPropertyOptional({
    description: 'Deployments of this tier that pass every check are approved by the policy, without a person (never high or unacceptable)',
  })
  @IsOptional()
  @IsBoolean()
  autoApproveDeployment?: boolean;

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

/** Per risk tier, the fields that change. */
export class TierChangesDto {
  @ApiPropertyOptional({ type: () => TierPolicyDto }) @IsOptional() @Nested(() => TierPolicyDto) minimal?: TierPolicyDto;
  @ApiPropertyOptional({ type: () => TierPolicyDto }) @IsOptional() @Nested(() => TierPolicyDto) limited?: TierPolicyDto;
  @ApiPropertyOptional({ type: () => TierPolicyDto }) @IsOptional() @Nested(() => TierPolicyDto) high?: TierPolicyDto;
  @ApiPropertyOptional({ type: () => TierPolicyDto }) @IsOptional() @Nested(() => TierPolicyDto) unacceptable?: TierPolicyDto;
}

export const POLICY_CHANGE_SCOPES = ['organisation', 'system'] as const;

export class ProposePolicyChangeDto {
  @ApiProperty({
    enum: POLICY_CHANGE_SCOPES,
    description: "organisation: the organisation's policy (AIMS owner or top management); system: a deviation for one AI system",
  })
  @IsIn(POLICY_CHANGE_SCOPES)
  scope!: (typeof POLICY_CHANGE_SCOPES)[number];

  @ApiPropertyOptional({ description: 'scope system: the AI system the deviation is for', example: 'credit-scoring' })
  @IsOptional()
  @IsEntityId()
  systemId?: string;

  @ApiPropertyOptional({ type: () => TierChangesDto, description: 'scope organisation: per risk tier, the fields that change' })
  @IsOptional()
  @Nested(() => TierChangesDto)
  tiers?: TierChangesDto;

  @ApiPropertyOptional({ type: () => TierPolicyDto, description: "scope system: the fields laid over the system's tier policy" })
  @IsOptional()
  @Nested(() => TierPolicyDto)
  overrides?: TierPolicyDto;

  @ApiProperty({ description: 'Why the change is needed (recorded in the evidence)', example: 'Approvers on leave in August' })
  @Text(4000)
  justification!: string;

  toInput(by: Actor): ProposePolicyChangeInput {
    const b = plainJson(this);
    return {
      by,
      scope: b.scope === 'system' ? { kind: 'system', systemId: b.systemId ?? '' } : { kind: 'organisation' },
      ...(b.tiers === undefined ? {} : { tiers: b.tiers as Partial<Record<RiskTier, TierPolicyOverrides>> }),
      ...(b.overrides === undefined ? {} : { overrides: b.overrides as TierPolicyOverrides }),
      justification: b.justification,
    };
  }
}

export class PolicyChangeProposedDto extends ProjectionDto {
  @ApiProperty({ example: 'policy-change-1' }) changeId!: string;
  @ApiProperty({ description: 'The decision task (POST /v1/tasks/{taskId}/decision)', example: 'policy-change-1-review' }) taskId!: string;
  @ApiProperty({ description: 'The version in force' }) version!: number;
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
}

export class ApplyLifecyclePolicyDto {
  @ApiPropertyOptional({
    minimum: 0,
    description:
      'The version you read and mean to apply (GET /v1/lifecycle-policy); refused (409 POLICY_VERSION_CHANGED) if another is in force now',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}

export class PolicyAppliedDto extends ProjectionDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ description: 'The version the system now runs under' }) version!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The deviation laid over its tier, if any' }) deviationChangeId!: string | null;
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
}

export class PolicyApplicationDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ enum: ['applied', 'already_current', 'failed'] }) outcome!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed (the problem code)' }) problem!: string | null;
}

export class LifecyclePolicyViewDto {
  @ApiProperty({ description: 'The version in force; 0 is the built-in default' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Per risk tier, its lifecycle policy' }) tiers!: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Per AI system, its approved deviation' })
  deviations!: Record<string, unknown>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Every change proposed, with its decision',
  })
  changes!: Array<Record<string, unknown>>;
}
