/** The improvement register (10.1) over HTTP: a proposal, a decision, an outcome, and the answers. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IMPROVEMENT_SOURCES, type Improvement } from '../../../../domain/improvement/improvement';
import { Nested, OptionalText, plainJson, Text, TextList } from '../common/dto-decorators';
import { PageQueryDto } from '../common/pagination';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

const IMPROVEMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const IMPROVEMENT_ID_RULE = '$property must be 1–128 letters, digits, ".", "_" or "-"';

export class ImprovementIdParamsDto {
  @ApiProperty({ example: 'OFI-7' }) @IsString() @Matches(IMPROVEMENT_ID, { message: IMPROVEMENT_ID_RULE }) id!: string;
}

export class ImprovementSourceDto {
  @ApiProperty({ enum: IMPROVEMENT_SOURCES }) @IsIn(IMPROVEMENT_SOURCES) kind!: (typeof IMPROVEMENT_SOURCES)[number];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The review, incident or lesson it comes from' })
  @OptionalText(500)
  reference?: string | null;
}

export class ProposeImprovementDto {
  @ApiProperty({ example: 'OFI-7', description: 'Its id, chosen by the caller; its stream is improvement-<id>' })
  @IsString()
  @Matches(IMPROVEMENT_ID, { message: IMPROVEMENT_ID_RULE })
  improvementId!: string;
  @ApiProperty({ type: () => ImprovementSourceDto }) @Nested(() => ImprovementSourceDto) source!: ImprovementSourceDto;
  @ApiProperty() @Text() description!: string;
  @ApiProperty({ example: 'olivia', description: 'Who owns it (records its outcome)' }) @Text(200) owner!: string;

  toInput() {
    const b = plainJson(this);
    return {
      improvementId: b.improvementId,
      source: { kind: b.source.kind, reference: b.source.reference ?? null },
      description: b.description,
      owner: b.owner,
    };
  }
}

export class DecideImprovementDto {
  @ApiProperty({ enum: ['accepted', 'rejected'] }) @IsIn(['accepted', 'rejected']) outcome!: 'accepted' | 'rejected';
  @ApiProperty() @Text() rationale!: string;
}

export class ImprovementOutcomeDto {
  @ApiProperty({ description: 'What was done and what it achieved' }) @Text() text!: string;
  @ApiProperty({ type: [String] }) @IsOptional() @TextList({ max: 100, itemMax: 500 }) evidenceRefs!: string[];
}

export class ImprovementDto {
  @ApiProperty() improvementId!: string;
  @ApiProperty({ enum: ['proposed', 'accepted', 'rejected', 'implemented'] }) status!: string;
  @ApiProperty({ type: () => ImprovementSourceDto }) source!: ImprovementSourceDto;
  @ApiProperty() description!: string;
  @ApiProperty() owner!: string;
  @ApiProperty({ type: Object }) proposedBy!: object;
  @ApiProperty() proposedAt!: string;
  @ApiProperty({ type: Object, nullable: true, description: 'accepted or rejected, why, by whom, when' }) decision!: object | null;
  @ApiProperty({ type: Object, nullable: true, description: 'What was done, with evidence refs' }) outcome!: object | null;
}

export class ImprovementListDto {
  @ApiProperty({ type: [ImprovementDto] }) items!: Improvement[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;
}

export const IMPROVEMENT_STATUSES = ['proposed', 'accepted', 'rejected', 'implemented'] as const;

export class ImprovementListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: IMPROVEMENT_STATUSES, description: 'Only improvements where they stand now' })
  @IsOptional()
  @IsIn(IMPROVEMENT_STATUSES)
  status?: (typeof IMPROVEMENT_STATUSES)[number];
  @ApiPropertyOptional({ description: 'Only the improvements this person owns' }) @IsOptional() @Text(200) owner?: string;
  @ApiPropertyOptional({ enum: IMPROVEMENT_SOURCES, description: 'Only improvements from this kind of source' })
  @IsOptional()
  @IsIn(IMPROVEMENT_SOURCES)
  source?: (typeof IMPROVEMENT_SOURCES)[number];
}

export class ImprovementAnswerDto extends ProjectionDto {
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: () => ImprovementDto, nullable: true }) improvement!: Improvement | null;
}

export class ImprovementProposedDto extends ProjectionDto {
  @ApiProperty() improvementId!: string;
  @ApiProperty({ description: 'Whether the proposal is in the evidence yet' }) recorded!: boolean;
}
