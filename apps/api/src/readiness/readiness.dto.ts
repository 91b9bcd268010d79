import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { READINESS_CHECKS, type ReadinessCheckId } from '../../../../domain/readiness/model';

const CHECK_IDS = Object.keys(READINESS_CHECKS) as ReadinessCheckId[];

export class ReadinessQueryDto {
  @ApiPropertyOptional({ description: 'The certification stage to check for (default 1)', enum: ['1', '2'], example: '2' })
  @IsOptional()
  @IsIn(['1', '2'], { message: 'stage must be 1 or 2' })
  stage?: '1' | '2';

  @ApiPropertyOptional({
    description: 'As the evidence stood at this instant or date (YYYY-MM-DD: the end of that day, UTC); absent: now',
    example: '2026-03-31',
  })
  @IsOptional()
  @IsString()
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Stage 2: start of the operating period (an instant or date); absent: the first deployment recorded',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsString()
  since?: string;
}

export class ReadinessReportQueryDto extends ReadinessQueryDto {
  @ApiPropertyOptional({ enum: ['md', 'html'], default: 'md', description: 'md: text/markdown; html: one self-contained text/html file' })
  @IsOptional()
  @IsIn(['md', 'html'], { message: 'format must be md or html' })
  format?: 'md' | 'html';
}

export class ReadinessCheckDto {
  @ApiProperty({ enum: CHECK_IDS, example: 'aims-scope-approved' }) id!: ReadinessCheckId;
  @ApiProperty({ description: 'The clause or Annex A control that asks for it', example: '4.3' }) clause!: string;
  @ApiProperty({ example: 'The scope of the AI management system is approved' }) title!: string;
  @ApiProperty({ enum: ['met', 'gap'] }) status!: 'met' | 'gap';
  @ApiProperty({ description: 'The stream, AI system or process the line is about', example: 'aims-scope' }) where!: string;
  @ApiProperty({ description: 'What was found, or what is missing and why', example: 'no scope statement has been approved' })
  what!: string;
  @ApiProperty({ type: [String], description: 'Ids of the evidence events the line rests on (none for an absence)' })
  evidence!: string[];
}

export class ReadinessBasisDto {
  @ApiProperty({ description: 'Global position of the last event the check read (0: none)' }) position!: number;
  @ApiPropertyOptional({ description: 'recordedAt of that event' }) recordedAt?: string;
  @ApiPropertyOptional({ description: 'Hash of that event in the evidence chain' }) hash?: string;
  @ApiPropertyOptional({ description: 'The date asked for, when one was' }) asOf?: string;
}

export class ReadinessDto {
  @ApiProperty({ enum: [1, 2] }) stage!: 1 | 2;
  @ApiProperty({ description: 'The instant the evidence was read as of' }) asOf!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Stage 2: start of the operating period looked at; null when none' })
  operatingPeriodFrom!: string | null;
  @ApiProperty({ description: 'True when every check is met' }) ready!: boolean;
  @ApiProperty({ description: 'Lines that are met' }) met!: number;
  @ApiProperty({ description: 'Lines that are gaps' }) gaps!: number;
  @ApiProperty({ type: [ReadinessCheckDto], description: 'One line per check met and per gap, in the order of the standard' })
  checks!: ReadinessCheckDto[];
  @ApiProperty({ type: ReadinessBasisDto }) basis!: ReadinessBasisDto;
}
