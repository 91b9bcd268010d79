/** GET /v1/measures: the query and the answer. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsAsOf } from '../common/ids';

export const MAX_TREND_POINTS = 50;

export class MeasuresQueryDto {
  @ApiPropertyOptional({ description: 'The date or instant the figures are for (ISO 8601); default: now', example: '2026-03-31' })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TREND_POINTS, default: 5, description: 'How many recorded measurements make the trend' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TREND_POINTS)
  last?: number;
}

export class TrendPointDto {
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) onTarget!: boolean | null;
  @ApiProperty() objectiveId!: string;
  @ApiProperty() at!: string;
  @ApiProperty() position!: number;
}

export class MeasureFigureDto {
  @ApiProperty({ example: 'open-nonconformities' }) measureId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['share', 'hours', 'count', 'manual'] }) unit!: string;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why there is no value' }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) breakdown!: Record<string, number>;
  @ApiProperty({ type: [String], description: 'Ids of the evidence the value rests on' }) evidence!: string[];
  @ApiProperty({ type: [TrendPointDto], description: 'The last recorded measurements of it, oldest first' }) trend!: TrendPointDto[];
}

export class MeasuresDto {
  @ApiProperty({ description: 'The instant the figures are for' }) asOf!: string;
  @ApiProperty({ description: 'The last evidence position read' }) position!: number;
  @ApiProperty({ type: [MeasureFigureDto] }) measures!: MeasureFigureDto[];
}
