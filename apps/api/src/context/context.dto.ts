/**
 * The context registers over HTTP (4.1, 4.2): one body for an entry of any register (its fields checked
 * here for shape, for its register by the domain, domain/aims-context), and the answers.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { AI_ROLES, type ContextContent, type ContextRegister } from '../../../../domain/aims-context/model';
import type { Actor } from '../../../../domain/shared/roles';
import type { RecordContextEntryInput } from '../../../../workflows/aims-context.messages';
import { OptionalText, plainJson, Text, TextList } from '../common/dto-decorators';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

/** The registers as the paths name them. */
export const REGISTER_PATHS = {
  issues: 'issue',
  'interested-parties': 'interested_party',
  obligations: 'obligation',
} as const satisfies Record<string, ContextRegister>;
export type RegisterPath = keyof typeof REGISTER_PATHS;
const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FREE = { type: 'object', additionalProperties: true } as const;

export class RegisterParamsDto {
  @ApiProperty({ enum: Object.keys(REGISTER_PATHS) })
  @IsIn(Object.keys(REGISTER_PATHS), { message: 'register must be issues, interested-parties or obligations' })
  register!: RegisterPath;
}

export class EntryParamsDto extends RegisterParamsDto {
  @ApiProperty({ example: 'obligation-1' })
  @IsString()
  @Matches(ENTRY_ID, { message: 'entryId must be an entry id' })
  entryId!: string;
}

/** An entry of any register: issues take origin, title, description, aiRoles; parties name, description, requirements, addressedThrough; obligations source, title, description, references, appliesTo. */
export class ContextEntryDto {
  @ApiPropertyOptional({ enum: ['internal', 'external'], description: 'Issues' })
  @IsOptional()
  @IsIn(['internal', 'external'])
  origin?: string;
  @ApiPropertyOptional({ description: 'Issues and obligations' }) @IsOptional() @Text(500) title?: string;
  @ApiProperty({ description: 'What it is and why it matters to the AIMS' }) @Text(4000) description!: string;
  @ApiPropertyOptional({ enum: AI_ROLES, isArray: true, description: "Issues: the organisation's roles towards AI it records" })
  @IsOptional()
  @TextList({ max: 7, itemMax: 40 })
  aiRoles?: string[];
  @ApiPropertyOptional({ description: 'Interested parties' }) @IsOptional() @Text(500) name?: string;
  @ApiPropertyOptional({ type: [String], description: 'Interested parties: their requirements relevant to the AIMS' })
  @IsOptional()
  @TextList({ max: 100, itemMax: 500 })
  requirements?: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Interested parties: how the AIMS addresses them' })
  @OptionalText(4000)
  addressedThrough?: string | null;
  @ApiPropertyOptional({ enum: ['legal', 'regulatory', 'contractual', 'other'], description: 'Obligations' })
  @IsOptional()
  @IsIn(['legal', 'regulatory', 'contractual', 'other'])
  source?: string;
  @ApiPropertyOptional({ type: [String], example: ['EU AI Act Art.9'], description: 'Obligations: where it comes from' })
  @IsOptional()
  @TextList({ max: 100, itemMax: 500 })
  references?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Obligations: the AI systems it applies to (none: the organisation)' })
  @IsOptional()
  @TextList({ max: 100, itemMax: 128 })
  appliesTo?: string[];
  @ApiProperty({ description: 'Who answers for the entry (actor id)' }) @Text(200) owner!: string;
  @ApiProperty({ example: '2027-01-31', description: 'The date by which it must be reviewed' })
  @IsString()
  @Matches(DATE, { message: 'reviewBy must be a date, YYYY-MM-DD' })
  reviewBy!: string;
  @ApiProperty({ description: 'Why it is recorded or changed' }) @Text(4000) reason!: string;

  toInput(by: Actor, register: ContextRegister, revision?: { entryId: string; expectedVersion: number }): RecordContextEntryInput {
    const b = plainJson(this);
    const content = {
      issue: { register, origin: b.origin, title: b.title, description: b.description, aiRoles: b.aiRoles ?? [] },
      interested_party: {
        register,
        name: b.name,
        description: b.description,
        requirements: b.requirements,
        addressedThrough: b.addressedThrough ?? null,
      },
      obligation: {
        register,
        source: b.source,
        title: b.title,
        description: b.description,
        references: b.references,
        appliesTo: b.appliesTo ?? [],
      },
    }[register] as ContextContent;
    return { by, content, owner: b.owner, reviewBy: b.reviewBy, reason: b.reason, ...(revision ?? {}) };
  }
}

export class ContextRevisionDto extends ContextEntryDto {
  @ApiProperty({ description: 'The version the change is made against (409 CONTEXT_ENTRY_CHANGED if it moved on)' })
  @IsInt()
  @Min(1)
  expectedVersion!: number;
}

export class ReviewContextEntryDto {
  @ApiProperty({ example: '2027-06-30' })
  @IsString()
  @Matches(DATE, { message: 'reviewBy must be a date, YYYY-MM-DD' })
  reviewBy!: string;
  @ApiProperty({ description: 'What the review found' }) @Text(4000) note!: string;
}

export class RetireContextEntryDto {
  @ApiProperty({ description: 'Why the entry no longer applies' }) @Text(4000) reason!: string;
}

export class ContextListQueryDto {
  @ApiPropertyOptional({ description: 'An instant, a date (YYYY-MM-DD: end of that day, UTC) or an evidence position; absent: now' })
  @IsOptional()
  @IsString()
  asOf?: string;
  @ApiPropertyOptional({ description: 'Also the retired entries' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  includeRetired?: boolean;
  @ApiPropertyOptional({
    description: 'true: only the entries due for review (review date reached, or review task open); false: only the others. Absent: all',
  })
  @IsOptional()
  // Query strings are text: only the words true and false are booleans; anything else fails validation.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'dueForReview must be true or false' })
  dueForReview?: boolean;
}

export class ContextChangesQueryDto {
  @ApiProperty({ description: 'An evidence position (exclusive), an instant or a date', example: '2026-01-01' })
  @IsString()
  since!: string;
}

export class ContextStepAnswerDto extends ProjectionDto {
  @ApiProperty({ example: 'obligation-1' }) entryId!: string;
  @ApiProperty({ description: "The entry's version after the step" }) version!: number;
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
}

export class ContextEntryViewDto {
  @ApiProperty() entryId!: string;
  @ApiProperty({ enum: ['issue', 'interested_party', 'obligation'] }) register!: string;
  @ApiProperty() version!: number;
  @ApiProperty(FREE) content!: object;
  @ApiProperty() owner!: string;
  @ApiProperty() reviewBy!: string;
  @ApiProperty({ enum: ['active', 'retired'] }) status!: string;
  @ApiProperty(FREE) recordedBy!: object;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: String, nullable: true }) lastReviewedAt!: string | null;
  @ApiProperty({ description: 'The review date has passed' }) reviewOverdue!: boolean;
  @ApiProperty({ description: 'Due for review: the review date has come, or its review task is open' }) dueForReview!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The open review task in the inbox (GET /v1/tasks), if any' })
  reviewTaskId!: string | null;
}

export class ContextTaskDecidedDto extends ContextStepAnswerDto {
  @ApiProperty({ enum: ['context_entry_review'] }) kind!: string;
  @ApiProperty({ enum: ['approved'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

export class ContextListDto {
  @ApiProperty({ enum: ['issue', 'interested_party', 'obligation'] }) register!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: [ContextEntryViewDto] }) items!: ContextEntryViewDto[];
}

export class ContextChangesDto {
  @ApiProperty(FREE) since!: object;
  @ApiProperty({
    type: 'array',
    items: FREE,
    description: 'entryId, register, change (added, revised, reviewed, retired), version, at, position, by, why',
  })
  changes!: object[];
}
