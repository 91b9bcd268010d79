import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ANNEX_A_CONTROL_IDS } from '../../../../domain/catalogue/annex-a-controls';
import { CLAUSE_IDS } from '../../../../domain/catalogue/clauses';
import { IsAsOf, IsStreamName } from '../common/ids';
import { PageQueryDto } from '../common/pagination';

const CATEGORY = /^[A-Za-z][A-Za-z0-9_.:@]*(-[A-Za-z0-9_.:@]+)*$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;
const commaList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value);

export class AuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Stream categories, comma-separated (a stream `ai-system-42` is in category `ai-system`).',
    example: 'ai-system,nonconformity',
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CATEGORY, { each: true, message: 'each category must be dash-separated segments of letters, digits and _ . : @' })
  category?: string[];

  @ApiPropertyOptional({ description: 'Event types, comma-separated.', example: 'AiSystemRegistered,DeploymentApproved' })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(EVENT_TYPE, { each: true, message: 'each type must be an event type name' })
  type?: string[];

  @ApiPropertyOptional({
    description:
      "Only evidence for this Annex A control (an event is tagged in its metadata `iso42001.controls`; evidence recorded before tagging is matched by its process's table of references).",
    enum: ANNEX_A_CONTROL_IDS,
    example: 'A.6.2.4',
  })
  @IsOptional()
  @IsIn(ANNEX_A_CONTROL_IDS, { message: 'control must be an Annex A control id of ISO/IEC 42001:2023, such as A.6.2.4' })
  control?: string;

  @ApiPropertyOptional({
    description:
      'Only evidence for this clause of ISO/IEC 42001:2023 or one of its sub-clauses (`6.1` includes `6.1.2`). Not with `control`.',
    enum: CLAUSE_IDS,
    example: '9.1',
  })
  @IsOptional()
  @IsIn(CLAUSE_IDS, { message: 'clause must be a clause number of ISO/IEC 42001:2023, such as 8.4' })
  clause?: string;

  @ApiPropertyOptional({ description: 'Only this stream.', example: 'ai-system-credit-scoring' })
  @IsOptional()
  @IsStreamName()
  stream?: string;

  @ApiPropertyOptional({ description: 'First global position to include.', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  fromPosition?: number;

  @ApiPropertyOptional({
    description: 'Only what was recorded up to this point: a position, or an ISO-8601 date/time.',
    example: '2026-03-31T23:59:59Z',
  })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class StreamHistoryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'The stream as it was at this point: a position, or an ISO-8601 date/time.', example: '2026-03-31' })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class StreamParamsDto {
  @ApiProperty({ example: 'ai-system-credit-scoring' })
  @IsStreamName()
  stream!: string;
}

export class ChainAnchorDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  position!: number;

  @ApiProperty({ description: 'The hash noted at that position (64 lower-case hex digits).' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'hash must be 64 lower-case hex digits' })
  hash!: string;
}

export class VerifyChainDto {
  @ApiPropertyOptional({ minimum: 1, description: 'First position to check (default 1).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fromPosition?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Last position to check (default: the head when verification starts).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  toPosition?: number;

  @ApiPropertyOptional({
    type: ChainAnchorDto,
    description: 'A head noted earlier: it must still be in the chain, unchanged (detects truncation).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChainAnchorDto)
  anchor?: ChainAnchorDto;
}

export class EvidenceEventDto {
  @ApiProperty() id!: string;
  @ApiProperty() stream!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ description: '0-based revision within the stream' }) revision!: number;
  @ApiProperty({ description: '1-based global position' }) position!: number;
  @ApiProperty({ description: 'When the store recorded it (ISO-8601 UTC)' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'actor {id, role}, workflowId, runId, correlationId, causationId, source, vouchedBy, httpRequestId, and iso42001 {clauses, controls}: the ISO/IEC 42001 clauses and Annex A controls the event is evidence for (absent on evidence recorded before tagging)',
  })
  metadata!: Record<string, unknown>;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export class EvidencePageDto {
  @ApiProperty({ type: [EvidenceEventDto] }) items!: EvidenceEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!:
    string | null;
}

export class StreamHistoryDto extends EvidencePageDto {
  @ApiProperty() stream!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The asOf asked for, if any.' }) asOf!: string | null;
  @ApiProperty({ description: 'The stream revision as of that point.' }) revision!: number;
}

export class VerifyTrustSourceDto {
  @ApiProperty({
    enum: ['none', 'anchor', 'checkpoint'],
    description:
      'What the chain was compared with from outside the database: nothing, the anchor given in the request, or the latest signed checkpoint (its signature verified with a configured key).',
  })
  kind!: 'none' | 'anchor' | 'checkpoint';
  @ApiPropertyOptional({ description: 'kind anchor: the anchored position' }) position?: number;
  @ApiPropertyOptional({ description: 'kind anchor: the anchored hash' }) hash?: string;
  @ApiPropertyOptional({ description: "kind checkpoint: the log's origin line" }) origin?: string;
  @ApiPropertyOptional({ description: 'kind checkpoint: the tree size (events) it covers' }) size?: number;
  @ApiPropertyOptional({ description: 'kind checkpoint: the name of the key that signed it' }) keyName?: string;
  @ApiPropertyOptional({ description: 'kind checkpoint: its Merkle root, hex' }) rootHash?: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', properties: { witness: { type: 'string' }, timestamp: { type: 'integer' } } },
    description: 'kind checkpoint: the configured witnesses whose cosignatures of it verified (AIMS_WITNESS_KEYS), when any',
  })
  cosignedBy?: Array<{ witness: string; timestamp: number }>;
}

export class VerifyScopeDto {
  @ApiProperty({ type: VerifyTrustSourceDto }) trustSource!: VerifyTrustSourceDto;
  @ApiProperty({ type: [String], description: 'What this verification established, in plain words.' }) proves!: string[];
  @ApiProperty({
    type: [String],
    description:
      'What it could not exclude, in plain words: without a trust source, a consistent rewrite of the whole chain and the deletion of its newest events.',
  })
  cannotExclude!: string[];
}

export class VerifyReportDto {
  @ApiProperty({ description: 'true when every checked event still hashes and links as recorded' }) intact!: boolean;
  @ApiProperty() fromPosition!: number;
  @ApiProperty() toPosition!: number;
  @ApiProperty() eventsChecked!: number;
  @ApiPropertyOptional({ description: 'When intact: the hash at toPosition' }) lastHash?: string;
  @ApiPropertyOptional({ description: 'When not intact: the first broken position' }) position?: number;
  @ApiPropertyOptional({ enum: ['content-changed', 'event-missing', 'order-changed', 'not-canonical', 'checkpoint-mismatch'] })
  problem?: string;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional() lastIntactPosition?: number;
  @ApiPropertyOptional() expectedPrevHash?: string;
  @ApiPropertyOptional() recordedHash?: string;
  @ApiPropertyOptional() recomputedHash?: string;
  @ApiPropertyOptional({ description: 'order-changed: where the event that belongs at `position` was found' }) foundAtPosition?: number;
  @ApiProperty() genesisHash!: string;
  @ApiProperty({
    type: VerifyScopeDto,
    description: 'What this verification proves, what it cannot exclude, and against which trust source',
  })
  scope!: VerifyScopeDto;
}
