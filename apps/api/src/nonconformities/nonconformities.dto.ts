import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import {
  NONCONFORMITY_SEVERITIES,
  NONCONFORMITY_STATUSES,
  type NonconformitySeverity,
  type NonconformityStatus,
} from '../../../../domain/nonconformity/nonconformity';
import { IsEntityId } from '../common/ids';
import { ProjectionDto } from '../common/projection.dto';
import { StreamHistoryDto } from '../audit/audit.dto';
import { PageQueryDto } from '../common/pagination';
import type { NonconformityStep } from './nonconformity.process';

export class NonconformityListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: NONCONFORMITY_STATUSES })
  @IsOptional()
  @IsIn(NONCONFORMITY_STATUSES)
  status?: NonconformityStatus;

  @ApiPropertyOptional({ enum: NONCONFORMITY_SEVERITIES })
  @IsOptional()
  @IsIn(NONCONFORMITY_SEVERITIES)
  severity?: NonconformitySeverity;

  @ApiPropertyOptional({ description: 'Only nonconformities concerning this AI system' })
  @IsOptional()
  @IsEntityId()
  system?: string;

  @ApiPropertyOptional({ description: 'true: a corrective action is past due now; false: none is' })
  @IsOptional()
  // Query strings are text: only the words true and false are booleans; anything else fails validation.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
}

export class OpenCorrectiveActionDto {
  @ApiProperty() round!: number;
  @ApiProperty() planId!: string;
  @ApiProperty() actionId!: string;
  @ApiProperty() description!: string;
  @ApiProperty() owner!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
}

export class NonconformityDto {
  @ApiProperty() nonconformityId!: string;
  @ApiProperty() stream!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: NONCONFORMITY_STATUSES }) status!: string;
  @ApiProperty({ enum: NONCONFORMITY_SEVERITIES }) severity!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ nullable: true, type: String }) sourceReference!: string | null;
  @ApiProperty({ type: [String] }) aiSystemIds!: string[];
  @ApiProperty({ type: [String] }) annexAControlIds!: string[];
  @ApiProperty({ type: [String] }) clauseIds!: string[];
  @ApiProperty() raisedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) raisedBy!: { id: string; role: string };
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty() reopenCount!: number;
  @ApiProperty() round!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'What it waits for' })
  awaiting!: unknown[];
  @ApiProperty({ type: [OpenCorrectiveActionDto] }) openActions!: OpenCorrectiveActionDto[];
  @ApiProperty({ nullable: true, type: String }) nextActionDueAt!: string | null;
  @ApiProperty({ description: 'A corrective action is past due now' }) overdue!: boolean;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() lastPosition!: number;
}

export class NonconformityPageDto {
  @ApiProperty({ type: [NonconformityDto] }) items!: NonconformityDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ description: 'The global position the list reflects' }) checkpoint!: number;
}

export class RecordedEvidenceRefDto {
  @ApiProperty() type!: string;
  @ApiProperty({ description: 'Id of the evidence event in the nonconformity stream' }) evidenceId!: string;
}

export class NonconformityRaisedDto extends ProjectionDto {
  @ApiProperty() nonconformityId!: string;
  @ApiProperty({ description: 'false: the workflow started but its evidence is not recorded yet (202)' }) recorded!: boolean;
  @ApiProperty({ type: NonconformityDto, nullable: true, description: 'As the read models show it, once projected' })
  nonconformity!: NonconformityDto | null;
}

export class NonconformityStepDto extends ProjectionDto {
  @ApiProperty() nonconformityId!: string;
  @ApiProperty({ type: [RecordedEvidenceRefDto], description: 'What the step recorded, already in the evidence store' })
  recorded!: RecordedEvidenceRefDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The whole nonconformity after the step (rounds, plans, actions, reviews)',
  })
  nonconformity!: Record<string, unknown>;
}

export class NonconformityDetailDto extends NonconformityDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The whole nonconformity folded from its evidence (as of `asOf` when given): rounds, analyses, plans, actions, reviews',
  })
  record!: Record<string, unknown> | null;
  @ApiProperty({ type: StreamHistoryDto, description: 'Its evidence stream `nonconformity-<id>`, a page at a time' })
  history!: StreamHistoryDto;
}

export class NonconformityMeasuresDto {
  @ApiProperty({ description: 'The instant "overdue" refers to' }) at!: string;
  @ApiProperty() total!: number;
  @ApiProperty() open!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) byStatus!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) bySeverity!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) bySeverityAndStatus!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'closedCount, meanMs, meanDays, overall and by severity' })
  timeToClose!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'count and the actions, most overdue first' })
  overdueActions!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ineffective corrections and the reopenings they caused' })
  reopenedCorrections!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) recurrenceByAiSystem!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) recurrenceByControl!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) recurrenceByClause!: unknown[];
  @ApiProperty({ description: 'The global position the read models reflect' }) checkpoint!: number;
}

/** A step's answer as served: the nonconformity is the domain's record, shown as plain JSON. */
export function stepDto(step: NonconformityStep): NonconformityStepDto {
  return { ...step, nonconformity: step.nonconformity };
}
