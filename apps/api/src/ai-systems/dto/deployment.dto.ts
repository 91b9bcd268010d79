/** The CI/CD deployment gate (A.6.2.5): the request, the gate's answer, and the pipeline's completion. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { TRIGGERED_BY_MAX } from '../../../../../domain/ai-system';
import type { Actor } from '../../../../../domain/shared/roles';
import type { RequestDeploymentInput } from '../../../../../workflows/ai-system-lifecycle.messages';
import { IsModelVersion, IsSha256Digest, NAME_MAX, Text } from '../../common/dto-decorators';
import { invalidField } from '../../common/problems';
import { LifecycleStepResultDto, RecordedEvidenceDto } from './step-answer.dto';

const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Recorded when a pipeline does not say which commit it deploys (the domain requires a value). */
export const UNSPECIFIED_COMMIT = 'unspecified';

export class RequestDeploymentDto {
  @ApiPropertyOptional({
    description: 'The model version to deploy (what `aims gate --version` sends); give this or modelVersion',
    example: '1.0.0',
  })
  @IsOptional()
  @IsModelVersion()
  version?: string;

  @ApiPropertyOptional({ description: 'The same as version', example: '1.0.0' })
  @IsOptional()
  @IsModelVersion()
  modelVersion?: string;

  @ApiProperty({ description: 'Digest of the exact artifact the pipeline will deploy', example: `sha256:${'a'.repeat(64)}` })
  @IsSha256Digest()
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

  @ApiPropertyOptional({
    description:
      'The person behind the pipeline run (who pushed or started it), as their aims identity (token name or JWT subject). ' +
      'Recorded with the request; they may not approve this deployment (segregation of duties). Not an aims: identity.',
    example: 'erin.engineer',
    maxLength: TRIGGERED_BY_MAX,
  })
  @IsOptional()
  @Text(TRIGGERED_BY_MAX)
  triggeredBy?: string;

  /** `requestId`: from the Idempotency-Key, or undefined for the workflow to number the request. */
  toInput(by: Actor, requestId: string | undefined): RequestDeploymentInput {
    if (this.version !== undefined && this.modelVersion !== undefined && this.version !== this.modelVersion) {
      throw invalidField('version', `version (${this.version}) and modelVersion (${this.modelVersion}) differ; send one of them`);
    }
    const modelVersion = this.version ?? this.modelVersion;
    if (modelVersion === undefined) throw invalidField('version', 'the model version to deploy is required (version or modelVersion)');
    return {
      by,
      ...(requestId === undefined ? {} : { requestId }),
      modelVersion,
      artifactDigest: this.artifactDigest,
      environment: this.environment ?? 'production',
      commit: this.commit ?? UNSPECIFIED_COMMIT,
      ...(this.triggeredBy === undefined ? {} : { triggeredBy: this.triggeredBy }),
    };
  }
}

export class GateReasonDto {
  @ApiProperty({ example: 'VALIDATION_NOT_SIGNED_OFF' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'Only on RISK_BLOCKS_DEPLOYMENT: the risks that block it (above appetite and not accepted, or a treatment action overdue)',
    example: ['risk-7'],
  })
  riskIds?: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Only on OUT_OF_AIMS_SCOPE: the scope decision the gate used: causeEventId (its evidence), basis (statement version or person), justification',
  })
  scopeDecision?: Record<string, unknown>;
}

export class GateTaskDto {
  @ApiProperty({ description: 'The approval task id', example: 'credit-scoring-task-3' }) id!: string;
  @ApiProperty({ example: 'deployment_approval' }) kind!: string;
  @ApiProperty({ type: [String], example: ['approver'] }) requiredRoles!: string[];
  @ApiProperty() dueAt!: string;
  @ApiProperty({ description: 'Where the approver decides it', example: '/v1/tasks/credit-scoring-task-3/decision' }) decision!: string;
}

/** The gate's answer: 200 allowed, 202 pending; a blocked answer is the 409 problem with the same fields. */
export class AiPolicyVersionDto {
  @ApiProperty({ example: 'ai-policy' }) documentId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the version’s Markdown text' }) markdownDigest!: string | null;
  @ApiProperty({ type: [String], description: 'SHA-256 of each attachment' }) attachmentDigests!: string[];
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
}

export class AiPolicyAtDecisionDto {
  @ApiProperty({ enum: ['approved', 'blocked'] }) decision!: string;
  @ApiProperty({ description: 'The decision’s evidence id' }) decisionEventId!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
  @ApiProperty({ type: [AiPolicyVersionDto], description: 'Every AI policy version in force at the decision; empty: none was in force' })
  policies!: AiPolicyVersionDto[];
  @ApiProperty({ description: 'Where the policies were read' }) source!: string;
  @ApiProperty({ format: 'date-time' }) notedAt!: string;
}

export class DeploymentGateDto {
  @ApiProperty({ enum: ['allowed', 'pending', 'blocked'] }) outcome!: string;
  @ApiProperty({ example: 'gate-1f3a…' }) requestId!: string;
  @ApiProperty() systemId!: string;
  @ApiProperty({ enum: ['approved', 'pending_approval', 'blocked', 'completed'], description: 'Where the request stands' })
  requestStatus!: string;
  @ApiProperty({ type: [GateReasonDto], description: 'Every reason it is blocked (empty otherwise)' }) reasons!: GateReasonDto[];
  @ApiProperty({ type: GateTaskDto, nullable: true, description: 'The approval task while pending' }) task!: GateTaskDto | null;
  @ApiPropertyOptional({
    type: AiPolicyAtDecisionDto,
    description: 'The AI policy in force when the request was decided (5.2), once noted; absent while pending',
  })
  aiPolicy?: AiPolicyAtDecisionDto;
  @ApiPropertyOptional({
    description:
      'true when this caller had sent this request before (same Idempotency-Key and content): the first answer, nothing decided again; the repeat is recorded',
  })
  repeated?: boolean;
  @ApiPropertyOptional({ type: [RecordedEvidenceDto] }) recorded?: RecordedEvidenceDto[];
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Global evidence position of the last event this request recorded (null when nothing new was)',
  })
  lastPosition?: number | null;
  @ApiPropertyOptional({ description: 'The read models include what this request recorded' }) projected?: boolean;
}

export class DeploymentCompletedDto extends LifecycleStepResultDto {
  @ApiProperty() requestId!: string;
  @ApiProperty({ description: 'true when the environment is a production one: the version is now in production' }) production!: boolean;
}
