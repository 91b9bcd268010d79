/**
 * The AIMS scope over HTTP: the bodies of a statement proposal and a per-system decision (their shape
 * checked here, their rules in domain/aims-scope), and the answers.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import type { Actor } from '../../../../domain/shared/roles';
import type { DecideAiSystemScopeInput, ProposeScopeStatementInput } from '../../../../workflows/aims-scope.messages';
import { Nested, NestedList, plainJson, Text, TextList } from '../common/dto-decorators';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

const ITEM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const FREE = { type: 'object', additionalProperties: true } as const;

export class ScopeSystemOutDto {
  @ApiProperty({ example: 'hr-screening' })
  @IsString()
  @Matches(ITEM_ID, { message: 'systemId must be a system id' })
  systemId!: string;
  @ApiProperty({ description: 'Why the system is outside the AIMS' }) @Text(4000) justification!: string;
}

export class ThirdPartyAiServiceDto {
  @ApiProperty({ example: 'llm-api' })
  @IsString()
  @Matches(ITEM_ID, { message: 'serviceId must be an id' })
  serviceId!: string;
  @ApiProperty({ example: 'Example LLM Inc.' }) @Text(200) provider!: string;
  @ApiProperty({ description: 'What the service does for the organisation' }) @Text(4000) description!: string;
  @ApiProperty() @IsBoolean() inScope!: boolean;
  @ApiProperty() @Text(4000) justification!: string;
}

export class ScopeExclusionDto {
  @ApiProperty({ description: 'What is excluded (a unit, a site, an activity)' }) @Text(500) subject!: string;
  @ApiProperty() @Text(4000) justification!: string;
}

export class ScopeStatementDto {
  @ApiProperty({ type: [String], example: ['Retail credit'] }) @TextList({ min: 1, max: 500, itemMax: 500 }) organisationalUnits!: string[];
  @ApiProperty({ type: [String], example: ['Lisbon'] }) @TextList({ min: 1, max: 500, itemMax: 500 }) locations!: string[];
  @ApiProperty({ type: [String], example: ['design', 'deployment', 'operation'] })
  @TextList({ min: 1, max: 50, itemMax: 200 })
  lifecycleStages!: string[];
  @ApiProperty({ type: [String], description: 'AI system ids in scope', example: ['credit-scoring'] })
  @TextList({ max: 500, itemMax: 128 })
  systemsIn!: string[];
  @ApiProperty({ type: [ScopeSystemOutDto] }) @NestedList(() => ScopeSystemOutDto, { max: 500 }) systemsOut!: ScopeSystemOutDto[];
  @ApiProperty({ type: [ThirdPartyAiServiceDto], description: 'Third-party AI services and APIs the organisation uses' })
  @NestedList(() => ThirdPartyAiServiceDto, { max: 500 })
  thirdPartyServices!: ThirdPartyAiServiceDto[];
  @ApiProperty({ type: [ScopeExclusionDto] }) @NestedList(() => ScopeExclusionDto, { max: 500 }) exclusions!: ScopeExclusionDto[];
}

/** A controlled document version by its id and number (the API reads the rest from its evidence). */
export class ScopeDocumentNameDto {
  @ApiProperty({ example: 'aims-scope', description: 'A controlled document of kind aims_scope (GET /v1/documents?kind=aims_scope)' })
  @IsString()
  @Matches(ITEM_ID, { message: 'documentId must be a document id' })
  documentId!: string;
  @ApiProperty({ example: 1, description: 'Its version in force' }) @IsInt() @Min(1) version!: number;
}

export class ProposeScopeStatementDto {
  @ApiProperty({ description: 'What the version changes and why (a planned change, 6.3)' }) @Text(4000) summary!: string;
  @ApiProperty({ type: () => ScopeStatementDto }) @Nested(() => ScopeStatementDto) statement!: ScopeStatementDto;
  @ApiPropertyOptional({
    type: () => ScopeDocumentNameDto,
    description:
      'The controlled AIMS scope document (kind aims_scope) the statement rests on: its version in force now (404 unknown document, 422 SCOPE_DOCUMENT_WRONG_KIND, 409 SCOPE_DOCUMENT_NOT_IN_FORCE)',
  })
  @IsOptional()
  @Nested(() => ScopeDocumentNameDto)
  document?: ScopeDocumentNameDto;

  toInput(by: Actor): ProposeScopeStatementInput {
    const b = plainJson(this);
    return { by, summary: b.summary, statement: b.statement };
  }
}

export class DecideAiSystemScopeDto {
  @ApiProperty({ example: 'credit-scoring' })
  @IsString()
  @Matches(ITEM_ID, { message: 'systemId must be a system id' })
  systemId!: string;
  @ApiProperty() @IsBoolean() inScope!: boolean;
  @ApiProperty() @Text(4000) justification!: string;

  toInput(by: Actor): DecideAiSystemScopeInput {
    const b = plainJson(this);
    return { by, systemId: b.systemId, inScope: b.inScope, justification: b.justification };
  }
}

export class ScopeAsOfQueryDto {
  @ApiPropertyOptional({ description: 'An instant, a date (YYYY-MM-DD: the end of that day, UTC) or an evidence position; absent: now' })
  @IsOptional()
  @IsString()
  asOf?: string;
}

export class ScopeStepAnswerDto extends ProjectionDto {
  @ApiProperty({ description: 'The proposal or system the step concerned', example: 'scope-proposal-1' }) subjectId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The task it opened (POST /v1/tasks/{taskId}/decision)' }) taskId!:
    string | null;
  @ApiProperty({ description: 'The statement version in force after the step' }) version!: number;
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
}

export class ScopeTaskDecidedDto extends ScopeStepAnswerDto {
  @ApiProperty({ enum: ['aims_scope_approval', 'ai_system_scope_decision'] }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

export class ScopeViewDto {
  @ApiProperty({ description: 'The version in force (0: none approved yet)' }) version!: number;
  @ApiProperty({ ...FREE, nullable: true, description: 'version, proposalId, statement, approvedBy, approvedAt' }) inForce!: object | null;
  @ApiProperty({ type: 'array', items: FREE, description: 'Every approved version, each with when the next replaced it' })
  versions!: object[];
  @ApiProperty({ type: 'array', items: FREE, description: 'Proposals awaiting approval' }) pending!: object[];
  @ApiProperty({ type: 'array', items: FREE, description: 'The latest scope decision per AI system, with its basis' }) decisions!: object[];
  @ApiProperty({ type: 'array', items: FREE, description: 'The AI systems whose lifecycle told the scope they registered' })
  systems!: object[];
  @ApiProperty({
    ...FREE,
    nullable: true,
    description:
      "The controlled document the statement in force rests on (documentId, version, title, markdownDigest, publishedAt), the document's versionInForce at the instant viewed, and current: whether they are the same; null when it names none",
  })
  document!: object | null;
}

export class ScopeCheckDto {
  @ApiProperty({ type: Number, nullable: true }) version!: number | null;
  @ApiProperty({ description: 'No gap of any kind' }) reconciled!: boolean;
  @ApiProperty({ description: 'The instant the inventory is judged at' }) at!: string;
  @ApiProperty({
    type: 'array',
    items: FREE,
    description: "Registered systems and the statement's third-party AI services, each with its decision",
  })
  inventory!: object[];
  @ApiProperty({ type: [String] }) withoutDecision!: string[];
  @ApiProperty({ type: 'array', items: FREE }) contradictions!: object[];
  @ApiProperty({ type: [String] }) namedNotRegistered!: string[];
  @ApiProperty({ ...FREE, nullable: true, description: 'The controlled document the statement in force rests on, as in GET /v1/scope' })
  document!: object | null;
}
