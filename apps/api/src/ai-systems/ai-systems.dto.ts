import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  LIFECYCLE_STAGES,
  PROVIDER_KINDS,
  RISK_TIERS,
  type LifecycleStage,
  type ProviderKind,
  type RiskTier,
} from '../../../../domain/ai-system/model';
import { IsEntityId } from '../common/ids';
import { PageQueryDto } from '../common/pagination';

export class AiSystemIdParamsDto {
  @ApiProperty({ description: 'The AI system id', example: 'credit-scoring' })
  @IsEntityId()
  id!: string;
}

export class AiSystemListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  stage?: LifecycleStage;

  @ApiPropertyOptional({ enum: RISK_TIERS })
  @IsOptional()
  @IsIn(RISK_TIERS)
  riskTier?: RiskTier;

  @ApiPropertyOptional({ description: 'Actor id of the accountable owner' })
  @IsOptional()
  @IsEntityId()
  owner?: string;

  @ApiPropertyOptional({ enum: PROVIDER_KINDS, description: 'How the system is obtained' })
  @IsOptional()
  @IsIn(PROVIDER_KINDS)
  provider?: ProviderKind;
}

export class AiSystemVersionDto {
  @ApiProperty() modelVersion!: string;
  @ApiProperty() artifactDigest!: string;
  @ApiProperty({
    enum: ['proposed', 'validation_failed', 'validated', 'approved_for_deployment', 'in_production', 'superseded', 'retired'],
  })
  status!: string;
  @ApiProperty() proposedAt!: string;
  @ApiProperty({ type: [String] }) deployedEnvironments!: string[];
}

export class ProviderDto {
  @ApiProperty({ enum: PROVIDER_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) supplier!: string | null;
}

export class AiSystemDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ description: 'Its evidence stream' }) stream!: string;
  @ApiProperty() name!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty() intendedUse!: string;
  @ApiProperty({ description: 'Actor id of the accountable owner' }) owner!: string;
  @ApiProperty({ type: ProviderDto }) provider!: ProviderDto;
  @ApiProperty({ enum: RISK_TIERS }) riskTier!: string;
  @ApiProperty({ enum: LIFECYCLE_STAGES }) stage!: string;
  @ApiProperty({ type: [AiSystemVersionDto] }) versions!: AiSystemVersionDto[];
  @ApiProperty({ nullable: true, type: String }) candidateVersion!: string | null;
  @ApiProperty({ nullable: true, type: String }) productionVersion!: string | null;
  @ApiProperty() openTaskCount!: number;
  @ApiProperty() registeredAt!: string;
  @ApiProperty({ description: 'When the latest evidence of the system was recorded' }) updatedAt!: string;
  @ApiProperty({ description: 'Global position of that evidence' }) lastPosition!: number;
  @ApiProperty() lastRevision!: number;
}

export class AiSystemPageDto {
  @ApiProperty({ type: [AiSystemDto] }) items!: AiSystemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ description: 'The global position the inventory reflects (evidence after it is not in it yet)' }) checkpoint!: number;
}
