/**
 * Competence (7.2) over HTTP: the bodies of the policy's changes and of a record (their shape checked here,
 * their rules in domain/people/competence*.ts) and the list queries.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { COMPETENCE_KINDS, MAX_WITHIN_MONTHS, type CompetenceKind } from '../../../../domain/people';
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import { IsInstant, IsStepId, Text } from '../common/dto-decorators';
import { IsAsOf, IsEntityId } from '../common/ids';
import { PageQueryDto } from '../common/pagination';

const FREE = { type: 'object', additionalProperties: true } as const;
const HUMAN_ROLES = AIMS_ROLES.filter((r) => r !== 'ci');

export class CompetenceReasonDto {
  @ApiProperty({ example: 'validators sign off model validation' }) @Text(4000) reason!: string;
}

export class CompetenceRequirementDto extends CompetenceReasonDto {
  @ApiProperty({ enum: HUMAN_ROLES }) @IsIn(HUMAN_ROLES) role!: AimsRole;
  @ApiProperty({ example: 'model validation' }) @Text(200) competence!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 24,
    description: 'How recent the record must be, in months; null: any age while the record has not expired',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_WITHIN_MONTHS)
  withinMonths!: number | null;
}

export class CompetenceRequirementRemovalDto extends CompetenceReasonDto {
  @ApiProperty({ enum: HUMAN_ROLES }) @IsIn(HUMAN_ROLES) role!: AimsRole;
  @ApiProperty({ example: 'model validation' }) @Text(200) competence!: string;
}

export class CompetenceEnforcementDto extends CompetenceReasonDto {
  @ApiProperty({ enum: HUMAN_ROLES }) @IsIn(HUMAN_ROLES) role!: AimsRole;
  @ApiProperty({
    description:
      "true: a step in this role is refused (403 COMPETENCE_MISSING) unless the person's records show the role's requirements now",
  })
  @IsBoolean()
  enforced!: boolean;
}

export class CompetenceRecordDto {
  @ApiProperty({ example: 'vera' }) @IsEntityId() personId!: string;
  @ApiProperty({ example: 'mv-2026-01' }) @IsStepId() recordId!: string;
  @ApiProperty({ example: 'model validation' }) @Text(200) competence!: string;
  @ApiProperty({ enum: COMPETENCE_KINDS }) @IsIn(COMPETENCE_KINDS) kind!: CompetenceKind;
  @ApiProperty({ example: '2026-01-10T00:00:00Z' }) @IsInstant() obtainedAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2028-01-10T00:00:00Z', description: 'None: it does not lapse by itself' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string | null;
  @ApiProperty({ example: 'certificate 2026-117', description: 'Where the proof is (a document id, a certificate number)' })
  @Text(400)
  evidenceRef!: string;
}

export class CompetenceRequirementQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AIMS_ROLES }) @IsOptional() @IsIn(AIMS_ROLES) role?: AimsRole;
  @ApiPropertyOptional({ description: 'The requirements as they stood at this instant (ISO 8601 date or timestamp)' })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class CompetencePeopleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'vera' }) @IsOptional() @IsEntityId() person?: string;
  @ApiPropertyOptional({ example: 'model validation' }) @IsOptional() @Text(200) competence?: string;
  @ApiPropertyOptional({ description: 'As the evidence stood at this instant (ISO 8601 date or timestamp); default now' })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class CompetenceGapQueryDto extends CompetencePeopleQueryDto {
  @ApiPropertyOptional({ enum: AIMS_ROLES }) @IsOptional() @IsIn(AIMS_ROLES) role?: AimsRole;
}

export class CompetenceListDto {
  @ApiProperty({ type: 'array', items: FREE }) items!: Array<Record<string, unknown>>;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class CompetenceEnforcementViewDto {
  @ApiProperty({ type: [String], description: 'The roles whose steps need current competence' }) roles!: string[];
  @ApiProperty({ type: 'array', items: FREE }) requirements!: Array<Record<string, unknown>>;
}

export class CompetenceStepAnswerDto {
  @ApiProperty({ type: 'array', items: FREE }) recorded!: Array<Record<string, unknown>>;
}
