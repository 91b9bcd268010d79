/** Changes (6.3) to a system's profile, and its decommissioning with the data-retention decision. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { ProfileAmendments } from '../../../../../domain/ai-system';
import { DATA_RETENTION_DECISIONS, RISK_TIERS } from '../../../../../domain/ai-system/model';
import type { Actor } from '../../../../../domain/shared/roles';
import type {
  CompleteDecommissioningInput,
  RecordChangeInput,
  RequestDecommissioningInput,
} from '../../../../../workflows/ai-system-lifecycle.messages';
import { IsInstant, NAME_MAX, Nested, NestedList, plainJson, Text } from '../../common/dto-decorators';
import { IsEntityId } from '../../common/ids';
import { MetricCriterionDto, ProviderInputDto } from './registration.dto';
import { LifecycleStepResultDto } from './step-answer.dto';

export class ProfileAmendmentsDto {
  @ApiPropertyOptional() @IsOptional() @Text(NAME_MAX) name?: string;
  @ApiPropertyOptional() @IsOptional() @Text() purpose?: string;
  @ApiPropertyOptional() @IsOptional() @Text() intendedUse?: string;
  @ApiPropertyOptional() @IsOptional() @IsEntityId() owner?: string;
  @ApiPropertyOptional({ type: () => ProviderInputDto }) @IsOptional() @Nested(() => ProviderInputDto) provider?: ProviderInputDto;
  @ApiPropertyOptional({ enum: RISK_TIERS }) @IsOptional() @IsIn(RISK_TIERS) riskTier?: (typeof RISK_TIERS)[number];
  @ApiPropertyOptional({ type: [MetricCriterionDto] })
  @IsOptional()
  @NestedList(() => MetricCriterionDto, { min: 1 })
  acceptanceCriteria?: MetricCriterionDto[];
  @ApiPropertyOptional({ type: [MetricCriterionDto] })
  @IsOptional()
  @NestedList(() => MetricCriterionDto)
  monitoringThresholds?: MetricCriterionDto[];
}

export class RecordChangeDto {
  @ApiPropertyOptional({ description: 'Its id; derived (change-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  changeId?: string;

  @ApiProperty({ example: 'Extend to small-business loans' }) @Text() description!: string;

  @ApiProperty({
    description:
      'A significant change sends the system back to impact assessment (6.3, 8.4); amending purpose, intended use, provider, risk tier or acceptance criteria must be significant',
  })
  @IsBoolean()
  significant!: boolean;

  @ApiPropertyOptional({ type: () => ProfileAmendmentsDto, description: 'Fields of the registration this change amends' })
  @IsOptional()
  @Nested(() => ProfileAmendmentsDto)
  amendments?: ProfileAmendmentsDto;

  toInput(by: Actor): RecordChangeInput {
    const b = plainJson(this);
    const amendments = b.amendments === undefined ? undefined : { ...b.amendments };
    if (amendments?.provider) amendments.provider = { kind: amendments.provider.kind, supplier: amendments.provider.supplier ?? null };
    return {
      by,
      ...(b.changeId === undefined ? {} : { changeId: b.changeId }),
      description: b.description,
      significant: b.significant,
      // Shape checked here; the domain checks what may be amended and whether it is significant.
      ...(amendments === undefined ? {} : { amendments: amendments as ProfileAmendments }),
    };
  }
}

export class RequestDecommissioningDto {
  @ApiPropertyOptional({ description: 'Its id; derived (decommissioning-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  requestId?: string;

  @ApiProperty({ example: 'Replaced by the 2027 scoring platform' }) @Text() reason!: string;

  toInput(by: Actor): RequestDecommissioningInput {
    return { by, ...(this.requestId === undefined ? {} : { requestId: this.requestId }), reason: this.reason };
  }
}

export class DataRetentionDto {
  @ApiProperty({ enum: DATA_RETENTION_DECISIONS }) @IsIn(DATA_RETENTION_DECISIONS) decision!: (typeof DATA_RETENTION_DECISIONS)[number];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Until when (null when deleted)', example: '2033-12-31T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  retainUntil?: string | null;
  @ApiProperty({ example: 'Consumer-credit records are kept for seven years' }) @Text() justification!: string;
}

export class CompleteDecommissioningDto {
  @ApiProperty({ type: () => DataRetentionDto, description: 'What happens to the data and models (A.7, A.6.2.6)' })
  @Nested(() => DataRetentionDto)
  dataRetention!: DataRetentionDto;

  toInput(by: Actor): CompleteDecommissioningInput {
    const r = this.dataRetention;
    return { by, dataRetention: { decision: r.decision, retainUntil: r.retainUntil ?? null, justification: r.justification } };
  }
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
