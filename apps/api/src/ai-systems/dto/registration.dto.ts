/**
 * Registering an AI system (A.4.2 inventory, A.6.2 lifecycle): its profile and acceptance criteria. No
 * lifecycle policy: the system takes the organisation's for its risk tier (issue 11, finding 1), and a
 * `policy` field is refused like any unknown one.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { METRIC_DIRECTIONS, PROVIDER_KINDS, RISK_TIERS } from '../../../../../domain/ai-system/model';
import type { Actor } from '../../../../../domain/shared/roles';
import type { AiSystemLifecycleInput } from '../../../../../workflows/ai-system-lifecycle.messages';
import { FiniteNumber, NAME_MAX, Nested, NestedList, OptionalText, plainJson, Text } from '../../common/dto-decorators';
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
