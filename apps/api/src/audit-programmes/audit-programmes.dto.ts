/** The internal audit programme (9.2.2) over HTTP: a draft, and the answers. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IMPORTANCES, PREVIOUS_RESULTS, type AuditProgramme } from '../../../../domain/audit-programme/programme';
import { IsInstant, Nested, NestedList, plainJson, Text, TextList } from '../common/dto-decorators';
import { PageQueryDto } from '../common/pagination';
import { ProjectionDto } from '../common/projection.dto';
import { ActorRefDto } from '../common/actor-ref.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';
import { AreaResponsibilityDto, AuditAreaDto } from '../internal-audits/internal-audits.dto';
import type { AuditProgrammeInput } from '../../../../workflows/audit-programme.messages';
import type { Actor } from '../../../../domain/shared/roles';

const PERIOD = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const AUDIT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class PeriodParamsDto {
  @ApiProperty({ example: '2026' })
  @IsString()
  @Matches(PERIOD, { message: '$property must be 1–32 letters, digits, ".", "_" or "-"' })
  period!: string;
}

export class ProgrammeAreaDto {
  @ApiProperty({ type: () => AuditAreaDto }) @Nested(() => AuditAreaDto) area!: AuditAreaDto;
  @ApiProperty({ enum: IMPORTANCES }) @IsIn(IMPORTANCES) importance!: (typeof IMPORTANCES)[number];
  @ApiProperty({ enum: PREVIOUS_RESULTS, description: 'The result of its previous audit (sets how often it is audited)' })
  @IsIn(PREVIOUS_RESULTS)
  previousResult!: (typeof PREVIOUS_RESULTS)[number];
}

export class ProgrammedAuditDto {
  @ApiProperty({ example: 'IA-2026-1' }) @IsString() @Matches(AUDIT_ID, { message: '$property must be an audit id' }) auditId!: string;
  @ApiProperty({ type: [AuditAreaDto] }) @NestedList(() => AuditAreaDto, { min: 1, max: 100 }) areas!: AuditAreaDto[];
  @ApiProperty({ example: 'ines' }) @Text(200) leadAuditor!: string;
  @ApiProperty() @IsInstant() plannedStart!: string;
  @ApiProperty() @IsInstant() plannedEnd!: string;
}

export class DraftAuditProgrammeDto {
  @ApiProperty({ example: '2026' })
  @IsString()
  @Matches(PERIOD, { message: '$property must be 1–32 letters, digits, ".", "_" or "-"' })
  period!: string;
  @ApiProperty({ type: [ProgrammeAreaDto] }) @NestedList(() => ProgrammeAreaDto, { min: 1, max: 200 }) areas!: ProgrammeAreaDto[];
  @ApiProperty({ type: [String], example: ['evidence sampling', 'interviews'] })
  @TextList({ min: 1, max: 20, itemMax: 500 })
  methods!: string[];
  @ApiProperty({ type: [AreaResponsibilityDto] })
  @NestedList(() => AreaResponsibilityDto, { max: 200 })
  responsibilities!: AreaResponsibilityDto[];
  @ApiProperty({ type: [ProgrammedAuditDto] }) @NestedList(() => ProgrammedAuditDto, { max: 200 }) audits!: ProgrammedAuditDto[];

  toInput(by: Actor): AuditProgrammeInput {
    return { by, ...plainJson(this) };
  }
}

const PROGRAMMED_AUDIT_STATUSES = ['scheduled', 'due', 'started', 'late'] as const;

export class AuditProgrammeDto {
  @ApiProperty() period!: string;
  @ApiProperty({ enum: ['draft', 'approved'] }) status!: string;
  @ApiProperty({ type: [ProgrammeAreaDto] }) areas!: ProgrammeAreaDto[];
  @ApiProperty({ type: [String] }) methods!: string[];
  @ApiProperty({ type: [AreaResponsibilityDto] }) responsibilities!: AreaResponsibilityDto[];
  @ApiProperty({ type: [ProgrammedAuditDto] }) audits!: ProgrammedAuditDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...PROGRAMMED_AUDIT_STATUSES] },
    description: 'Each audit by its id: scheduled, due, started or late',
  })
  schedule!: Record<string, (typeof PROGRAMMED_AUDIT_STATUSES)[number]>;
  @ApiProperty({ type: ActorRefDto }) draftedBy!: ActorRefDto;
  @ApiProperty({ type: ActorRefDto, nullable: true }) approvedBy!: ActorRefDto | null;
  @ApiPropertyOptional({
    type: Object,
    description:
      'The responsibilities resolved against the people register when drafted (asOf): per area, the people responsible, the appointments that make them so, and those only the programme declares',
  })
  resolvedResponsibilities?: object;
}

export class AuditProgrammeListDto {
  @ApiProperty({ type: [AuditProgrammeDto] }) items!: AuditProgramme[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;
}

// Query strings are text: only the words true and false are booleans; anything else fails validation.
const BooleanQuery = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

export const PROGRAMME_STATUSES = ['draft', 'approved'] as const;

export class AuditProgrammeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROGRAMME_STATUSES, description: 'Only programmes where they stand now' })
  @IsOptional()
  @IsIn(PROGRAMME_STATUSES)
  status?: (typeof PROGRAMME_STATUSES)[number];
  @ApiPropertyOptional({ description: 'true: a programmed audit of it was escalated as late' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean({ message: 'late must be true or false' })
  late?: boolean;
}

export class AuditProgrammeAnswerDto extends ProjectionDto {
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: () => AuditProgrammeDto, nullable: true }) programme!: AuditProgramme | null;
}

export class AuditProgrammeDraftedDto extends ProjectionDto {
  @ApiProperty() period!: string;
  @ApiProperty({ description: 'Whether the draft is in the evidence yet' }) recorded!: boolean;
}
