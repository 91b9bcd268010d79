/**
 * Controlled documents over HTTP: the bodies (their shape checked here, their rules in domain/document)
 * and the answers. Content is uploaded first (POST /v1/documents/content, raw bytes) and referenced by
 * its digest; Markdown may also come inline with a version.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  DOCUMENT_CLASSIFICATIONS,
  DOCUMENT_KINDS,
  type DocumentClassification,
  type DocumentKind,
} from '../../../../domain/document/model';
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import { IsFixedDuration, IsSha256Digest, Nested, NestedList, OptionalText, Text } from '../common/dto-decorators';
import { IsEntityId } from '../common/ids';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

const FREE = { type: 'object', additionalProperties: true } as const;
export const DOCUMENT_STATUSES = ['draft', 'in_review', 'awaiting_approval', 'published', 'review_due'] as const;

const BooleanQuery = () =>
  // Query strings are text: only the words true and false are booleans; anything else fails validation.
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

export class DocumentIdParamsDto {
  @ApiProperty({ example: 'ai-policy' }) @IsEntityId() id!: string;
}
export class DocumentVersionParamsDto extends DocumentIdParamsDto {
  @ApiProperty({ example: '1' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'version must be a version number (1, 2, …)' })
  @Min(1)
  @Max(999_999)
  version!: number;
}
export class DigestParamsDto {
  @ApiProperty({ example: `sha256:${'0'.repeat(64)}` }) @IsSha256Digest() digest!: string;
}

export class CreateDocumentDto {
  @ApiProperty({ example: 'ai-policy', description: "The document's id, chosen by the caller; its stream is document-<id>" })
  @IsEntityId()
  documentId!: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) @IsIn(DOCUMENT_KINDS) kind!: DocumentKind;
  @ApiProperty({ example: 'AI policy' }) @Text(200) title!: string;
  @ApiProperty({ example: 'alice', description: 'Who is answerable for the document' }) @Text(200) owner!: string;
  @ApiProperty({ enum: DOCUMENT_CLASSIFICATIONS }) @IsIn(DOCUMENT_CLASSIFICATIONS) classification!: DocumentClassification;
  @ApiProperty({ example: 'P7Y', description: 'How long superseded versions are kept' }) @Text(200) retention!: string;
  @ApiPropertyOptional({ enum: AIMS_ROLES, isArray: true, description: 'Whose holders must acknowledge each published version (7.3)' })
  @IsOptional()
  @IsIn(AIMS_ROLES, { each: true })
  acknowledgementRoles?: AimsRole[];
  @ApiPropertyOptional({ example: 'P12M', description: "The review interval (the kind's default, 12 months, when absent)" })
  @OptionalText(20)
  reviewInterval?: string | null;
  @ApiPropertyOptional({ example: 'P10D', description: 'How long a review or approval may take before it is reminded (default P10D)' })
  @IsOptional()
  @IsFixedDuration()
  decisionTime?: string;
  @ApiPropertyOptional({ example: 'P14D', description: 'How long an acknowledgement may take before it is reminded (default P14D)' })
  @IsOptional()
  @IsFixedDuration()
  acknowledgementTime?: string;
}

export class AttachmentRefDto {
  @ApiProperty({ example: 'policy.pdf' }) @Text(200) name!: string;
  @ApiProperty({ description: 'The digest POST /v1/documents/content answered' }) @IsSha256Digest() digest!: string;
}

export class PlannedChangeDto {
  @ApiProperty({ example: 'Generative AI was out of the policy' }) @Text(4000) reason!: string;
  @ApiProperty({ example: 'GenAI projects are assessed from now on' }) @Text(4000) consequences!: string;
}

export class SubmitDocumentVersionDto {
  @ApiPropertyOptional({ description: 'The text in Markdown (stored by its digest; the AI policy needs its required sections)' })
  @OptionalText(200_000)
  markdown?: string | null;
  @ApiPropertyOptional({ type: [AttachmentRefDto], description: 'Attachments uploaded first, by digest' })
  @IsOptional()
  @NestedList(() => AttachmentRefDto, { max: 20 })
  attachments?: AttachmentRefDto[];
  @ApiProperty({ example: 'First issue' }) @Text(4000) changeSummary!: string;
  @ApiPropertyOptional({ type: () => PlannedChangeDto, description: 'Required for the AI policy, the AIMS scope and risk criteria (6.3)' })
  @IsOptional()
  @Nested(() => PlannedChangeDto)
  change?: PlannedChangeDto | null;
}

export class DocumentListQueryDto {
  @ApiPropertyOptional({ enum: DOCUMENT_KINDS }) @IsOptional() @IsIn(DOCUMENT_KINDS) kind?: DocumentKind;
  @ApiPropertyOptional({ enum: DOCUMENT_STATUSES }) @IsOptional() @IsIn(DOCUMENT_STATUSES) status?: (typeof DOCUMENT_STATUSES)[number];
  @ApiPropertyOptional({ description: 'Only documents this person owns' }) @IsOptional() @Text(200) owner?: string;
  @ApiPropertyOptional({ description: 'true: the version in force is due for review' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean({ message: 'dueForReview must be true or false' })
  dueForReview?: boolean;
  @ApiPropertyOptional({ description: 'As the evidence stood at this instant or date (YYYY-MM-DD)' }) @IsOptional() @Text(40) asOf?: string;
}
export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'As the evidence stood at this instant or date (YYYY-MM-DD)' }) @IsOptional() @Text(40) asOf?: string;
}

export class DocumentSummaryDto {
  @ApiProperty() documentId!: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() owner!: string;
  @ApiProperty({ enum: DOCUMENT_CLASSIFICATIONS }) classification!: string;
  @ApiProperty({ enum: DOCUMENT_STATUSES }) status!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The version in force' }) publishedVersion!: number | null;
  @ApiProperty({ type: String, nullable: true }) reviewDueAt!: string | null;
  @ApiProperty() dueForReview!: boolean;
  @ApiProperty({ description: 'Versions submitted so far' }) versions!: number;
  @ApiProperty({ description: 'Acknowledgements of the version in force still outstanding' }) acknowledgementsOutstanding!: number;
}
export class DocumentListDto {
  @ApiProperty({ type: [DocumentSummaryDto] }) items!: DocumentSummaryDto[];
  @ApiProperty({ description: 'The instant the list describes' }) at!: string;
}

export class DocumentDto extends DocumentSummaryDto {
  @ApiProperty() retention!: string;
  @ApiProperty({ type: [String] }) acknowledgementRoles!: string[];
  @ApiProperty() reviewInterval!: string;
  @ApiProperty({ type: 'array', items: FREE, description: 'Every version, current and obsolete, with its review, approval or return' })
  versionHistory!: Array<Record<string, unknown>>;
  @ApiProperty({ type: 'array', items: FREE, description: 'Who was asked to acknowledge which version, and when they did' })
  acknowledgements!: Array<Record<string, unknown>>;
  @ApiProperty({ type: 'array', items: FREE, description: 'Periodic reviews confirmed' }) reviews!: Array<Record<string, unknown>>;
  @ApiProperty({ type: 'array', items: FREE, description: 'Its human tasks, open and closed' }) tasks!: Array<Record<string, unknown>>;
}

export class MasterListRowDto {
  @ApiProperty() documentId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() owner!: string;
  @ApiProperty() classification!: string;
  @ApiProperty() retention!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['published', 'obsolete'] }) status!: string;
  @ApiProperty() changeSummary!: string;
  @ApiProperty({ type: String, nullable: true }) markdownDigest!: string | null;
  @ApiProperty() reviewedBy!: string;
  @ApiProperty() approvedBy!: string;
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ type: String, nullable: true }) obsoleteAt!: string | null;
}
export class MasterListDto {
  @ApiProperty({ type: [MasterListRowDto], description: 'Every published version, current and obsolete' }) items!: MasterListRowDto[];
  @ApiProperty() at!: string;
}

export class StoredContentDto {
  @ApiProperty() digest!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty() storedAt!: string;
  @ApiProperty({ description: 'false: the same bytes were already stored' }) created!: boolean;
}

export class DocumentCreatedDto extends ProjectionDto {
  @ApiProperty() documentId!: string;
  @ApiProperty({ description: 'false: the workflow started but had not recorded the creation when we stopped waiting' })
  recorded!: boolean;
}

export class DocumentStepAnswerDto extends ProjectionDto {
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: Number, nullable: true }) version!: number | null;
  @ApiProperty({ type: [String], description: 'Tasks the step opened' }) taskIds!: string[];
  @ApiProperty({ type: () => DocumentDto }) document!: DocumentDto;
}

export class DocumentTaskDecidedDto extends DocumentStepAnswerDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: ['document_review', 'document_approval', 'document_periodic_review', 'document_acknowledgement'] }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected', 'changes_requested'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}
