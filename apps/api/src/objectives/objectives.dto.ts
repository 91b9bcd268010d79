/** AI objectives (6.2) over HTTP: the bodies (their shape checked here, their rules in domain/objective) and the answers. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import {
  OBJECTIVE_DIRECTIONS,
  OBJECTIVE_ID,
  OFF_TARGET_ACTION_KINDS,
  OFF_TARGET_SEVERITIES,
  type ObjectiveDefinition,
} from '../../../../domain/objective/model';
import { IsAsOf } from '../common/ids';
import { FiniteNumber, Nested, OptionalText, plainJson, Text, TextList } from '../common/dto-decorators';
import { PageQueryDto } from '../common/pagination';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

const FREE = { type: 'object', additionalProperties: true } as const;
const ID_RULE = '$property must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit';

export class ObjectiveIdParamsDto {
  @ApiProperty({ example: 'OBJ-IA-COVERAGE' }) @IsString() @Matches(OBJECTIVE_ID, { message: ID_RULE }) id!: string;
}

export class PolicyCommitmentDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: "The policy commitment's words" }) @OptionalText(2000) text?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The controlled document stating it (e.g. POL-AI-1)' })
  @OptionalText(200)
  documentRef?: string | null;
}

export class ObjectiveDefinitionDto {
  @ApiProperty({ example: 'Every production AI system has a current impact assessment' }) @Text(500) title!: string;
  @ApiProperty({ type: () => PolicyCommitmentDto }) @Nested(() => PolicyCommitmentDto) commitment!: PolicyCommitmentDto;
  @ApiProperty({ example: 'production-impact-assessment-coverage', description: 'A computed measure (GET /v1/measures) or manual:<name>' })
  @Text(80)
  measureId!: string;
  @ApiProperty({ example: 1 }) @FiniteNumber() target!: number;
  @ApiProperty({ enum: OBJECTIVE_DIRECTIONS }) @IsIn(OBJECTIVE_DIRECTIONS) direction!: (typeof OBJECTIVE_DIRECTIONS)[number];
  @ApiProperty({ example: '2026-12-31', description: 'A date (YYYY-MM-DD) or an instant' }) @Text(40) dueDate!: string;
  @ApiProperty({ example: 'olivia', description: "The owner's id" }) @Text(200) owner!: string;
  @ApiProperty({ example: 'P7D', description: 'How often it is measured: an ISO 8601 duration of fixed units, PT1H to P366D' })
  @Text(40)
  interval!: string;
  @ApiProperty({ enum: OFF_TARGET_ACTION_KINDS, description: 'What a missed target opens' })
  @IsIn(OFF_TARGET_ACTION_KINDS)
  offTargetAction!: (typeof OFF_TARGET_ACTION_KINDS)[number];
  @ApiPropertyOptional({ enum: OFF_TARGET_SEVERITIES, default: 'minor', description: 'Severity of a nonconformity it raises' })
  @IsOptional()
  @IsIn(OFF_TARGET_SEVERITIES)
  offTargetSeverity?: (typeof OFF_TARGET_SEVERITIES)[number];

  toDefinition(): ObjectiveDefinition {
    const b = plainJson(this);
    return {
      title: b.title,
      commitment: { text: b.commitment.text ?? null, documentRef: b.commitment.documentRef ?? null },
      measureId: b.measureId,
      target: b.target,
      direction: b.direction,
      dueDate: b.dueDate,
      owner: b.owner,
      interval: b.interval,
      offTargetAction: b.offTargetAction,
      offTargetSeverity: b.offTargetSeverity ?? 'minor',
    };
  }
}

export class SetObjectiveDto extends ObjectiveDefinitionDto {
  @ApiProperty({ example: 'OBJ-IA-COVERAGE', description: 'Its id, chosen by the caller; its stream is objective-<id>' })
  @IsString()
  @Matches(OBJECTIVE_ID, { message: ID_RULE })
  objectiveId!: string;
}

export class WithdrawObjectiveDto {
  @ApiProperty() @Text(2000) reason!: string;
}

export class ManualMeasurementDto {
  @ApiProperty({ example: 0.85 }) @FiniteNumber() value!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) @OptionalText(2000) note?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @TextList({ max: 100, itemMax: 500 }) evidenceRefs?: string[];
}

export class ObjectiveListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'withdrawn'] }) @IsOptional() @IsIn(['active', 'withdrawn']) status?: string;
  @ApiPropertyOptional({ example: 'olivia' }) @IsOptional() @Text(200) owner?: string;
  @ApiPropertyOptional({ example: 'open-nonconformities' }) @IsOptional() @Text(80) measureId?: string;
  @ApiPropertyOptional({ description: 'Only objectives whose latest measurement is on (true) or off (false) target' })
  @IsOptional()
  @IsIn(['true', 'false'])
  onTarget?: 'true' | 'false';

  @ApiPropertyOptional({
    description:
      'The objectives and their measurements as the evidence stood then: a global position, or an ISO-8601 date/time (default: now)',
    example: '2026-03-31',
  })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class ObjectiveDto {
  @ApiProperty() objectiveId!: string;
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status!: string;
  @ApiProperty() revision!: number;
  @ApiProperty(FREE) definition!: Record<string, unknown>;
  @ApiProperty(FREE) setBy!: Record<string, unknown>;
  @ApiProperty() setAt!: string;
  @ApiProperty({ type: String, nullable: true }) nextMeasurementAt!: string | null;
  @ApiProperty() measurementCount!: number;
  @ApiProperty({ type: 'array', items: FREE, description: 'The latest measurements, oldest first' }) measurements!: Array<
    Record<string, unknown>
  >;
  @ApiProperty() offTarget!: boolean;
  @ApiProperty({ type: 'array', items: FREE, description: 'Improvement actions or nonconformities it opened' }) actions!: Array<
    Record<string, unknown>
  >;
  @ApiProperty({ type: 'array', items: FREE }) tasks!: Array<Record<string, unknown>>;
  @ApiProperty({ ...FREE, nullable: true }) withdrawn!: Record<string, unknown> | null;
}

export class ObjectiveListDto {
  @ApiProperty({ type: [ObjectiveDto] }) items!: ObjectiveDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class ObjectiveAnswerDto extends ProjectionDto {
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: () => ObjectiveDto, nullable: true }) objective!: ObjectiveDto | null;
}

/** A manual measurement entered from the one inbox: the objective's answer, and which task it was. */
export class ObjectiveTaskDecidedDto extends ObjectiveAnswerDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: ['objective_measurement'] }) kind!: string;
  @ApiProperty({ enum: ['recorded'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

export class ObjectiveSetDto extends ProjectionDto {
  @ApiProperty() objectiveId!: string;
  @ApiProperty({ description: 'Whether the objective is in the evidence yet' }) recorded!: boolean;
}
