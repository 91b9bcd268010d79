/**
 * The Statement of Applicability over HTTP: bodies of a revision, a revision request and an attestation
 * (their shape checked here, their rules in domain/soa), and the answers.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ATTESTED_STATUSES } from '../../../../domain/soa/model';
import type { Actor } from '../../../../domain/shared/roles';
import type { AttestControlInput, ProposeSoaRevisionInput, RequestSoaRevisionInput } from '../../../../workflows/soa.messages';
import { Nested, NestedList, OptionalText, plainJson, Text, TextList } from '../common/dto-decorators';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

const CONTROL_ID = /^(A\.\d{1,2}(\.\d{1,2}){1,2}|ORG-[A-Za-z0-9][A-Za-z0-9._-]{0,62})$/;

export class SoaJustificationDto {
  @ApiProperty({ description: 'Why the control is included or excluded' }) @Text(4000) text!: string;
  @ApiPropertyOptional({ type: [String], description: 'Risk ids whose treatment chose it' })
  @IsOptional()
  @TextList({ max: 50, itemMax: 128 })
  riskIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Obligations it answers (e.g. EU AI Act Art.10)' })
  @IsOptional()
  @TextList({ max: 50, itemMax: 500 })
  obligations?: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The part of the AIMS scope it rests on' }) @OptionalText(500) scope?:
    string | null;
}

export class SoaEntryDto {
  @ApiProperty({ example: 'A.6.2.4', description: 'An Annex A control id, or ORG-… for an own control' })
  @IsString()
  @Matches(CONTROL_ID, { message: 'controlId must be an Annex A control id (A.6.2.4) or ORG-…' })
  controlId!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Own controls only: its title' }) @OptionalText(200) title?:
    string | null;
  @ApiProperty() @IsBoolean() applicable!: boolean;
  @ApiProperty({ type: () => SoaJustificationDto }) @Nested(() => SoaJustificationDto) justification!: SoaJustificationDto;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required when applicable: who answers for it' })
  @OptionalText(200)
  owner?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required when applicable: how it is implemented' })
  @OptionalText(4000)
  implementation?: string | null;
}

export class ProposeSoaRevisionDto {
  @ApiProperty({ description: 'What the revision changes and why' }) @Text(4000) summary!: string;
  @ApiProperty({ type: [SoaEntryDto], description: 'Every Annex A control (all 38) and any own controls' })
  @NestedList(() => SoaEntryDto, { min: 1, max: 300 })
  entries!: SoaEntryDto[];
  @ApiPropertyOptional({ type: [String], description: 'Revision requests this revision answers' })
  @IsOptional()
  @TextList({ max: 50, itemMax: 128 })
  answersRequestIds?: string[];

  toInput(by: Actor): ProposeSoaRevisionInput {
    const b = plainJson(this);
    return {
      by,
      summary: b.summary,
      entries: b.entries,
      ...(b.answersRequestIds === undefined ? {} : { answersRequestIds: b.answersRequestIds }),
    };
  }
}

export class RequestSoaRevisionDto {
  @ApiProperty() @Text(4000) reason!: string;
  @ApiPropertyOptional({ description: 'The risk whose treatment adds or drops controls' }) @OptionalText(128) riskId?: string | null;
  @ApiProperty({ type: [String] }) @TextList({ max: 100, itemMax: 70 }) controlsAdded!: string[];
  @ApiProperty({ type: [String] }) @TextList({ max: 100, itemMax: 70 }) controlsDropped!: string[];

  toInput(by: Actor): RequestSoaRevisionInput {
    const b = plainJson(this);
    const common = { controlsAdded: b.controlsAdded, controlsDropped: b.controlsDropped };
    return {
      by,
      reason: b.reason,
      cause:
        typeof b.riskId === 'string' ? { kind: 'risk_treatment', riskId: b.riskId, ...common } : { kind: 'other', riskId: null, ...common },
    };
  }
}

export class AttestControlDto {
  @ApiProperty({ enum: ATTESTED_STATUSES }) @IsIn(ATTESTED_STATUSES) status!: (typeof ATTESTED_STATUSES)[number];
  @ApiProperty({ type: [String], description: 'Where the evidence is (documents, records, evidence ids)' })
  @TextList({ max: 50, itemMax: 500 })
  evidenceRefs!: string[];
  @ApiProperty() @Text(4000) note!: string;
  @ApiProperty({ example: '2026-07-01', description: 'The date by which it must be attested again' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'reviewBy must be a date, YYYY-MM-DD' })
  reviewBy!: string;

  toInput(by: Actor, controlId: string): AttestControlInput {
    const b = plainJson(this);
    return { by, controlId, status: b.status, evidenceRefs: b.evidenceRefs, note: b.note, reviewBy: b.reviewBy };
  }
}

export class ControlIdParamsDto {
  @ApiProperty({ example: 'A.6.2.4' })
  @IsString()
  @Matches(CONTROL_ID, { message: 'id must be an Annex A control id (A.6.2.4) or ORG-…' })
  id!: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'An instant or a date (YYYY-MM-DD: the end of that day, UTC); absent: now', example: '2026-03-01' })
  @IsOptional()
  @IsString()
  asOf?: string;
}

export class SoaStepAnswerDto extends ProjectionDto {
  @ApiProperty({ description: 'The revision, request or control the step concerned', example: 'soa-revision-1' }) subjectId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The task it opened (POST /v1/tasks/{taskId}/decision)' }) taskId!:
    string | null;
  @ApiProperty({ description: 'The SoA version in force after the step' }) version!: number;
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
}

export class SoaTaskDecidedDto extends SoaStepAnswerDto {
  @ApiProperty({ enum: ['soa_revision_review', 'soa_revision_approval', 'soa_revision_request'] }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

const FREE = { type: 'object', additionalProperties: true } as const;

export class ControlStatusDto {
  @ApiProperty() controlId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['annex_a', 'own'] }) source!: string;
  @ApiProperty() applicable!: boolean;
  @ApiProperty(FREE) justification!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) owner!: string | null;
  @ApiProperty({ type: String, nullable: true }) implementation!: string | null;
  @ApiProperty({ enum: ['rule', 'attestation', 'none'] }) method!: string;
  @ApiProperty({ enum: ['operates', 'does_not_operate', 'manual', 'not_applicable'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: "The rule's statement, for ruled controls" }) rule!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'How many AI systems the rule checked' }) checked!: number | null;
  @ApiProperty({ type: 'array', items: FREE, description: 'systemId, record, problem: what breaks the control' }) findings!: Array<
    Record<string, unknown>
  >;
  @ApiProperty({ ...FREE, nullable: true }) attestation!: Record<string, unknown> | null;
  @ApiProperty({ type: [String], description: 'What keeps it from operating' }) missing!: string[];
  @ApiProperty({ type: [String], description: 'EU AI Act alignment (analytical)' }) euAiAct!: string[];
  @ApiProperty({ type: [String], description: 'NIST AI RMF functions' }) nistAiRmf!: string[];
}

export class SoaViewDto {
  @ApiProperty({ type: String, nullable: true, description: 'The revision in force; null before any was approved' }) revisionId!:
    string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, nullable: true }) approvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) approvedBy!: string | null;
  @ApiProperty({ description: 'The instant the statuses are judged at' }) at!: string;
  @ApiProperty({ type: [ControlStatusDto] }) controls!: ControlStatusDto[];
  @ApiProperty(FREE) summary!: Record<string, number>;
}

export class SoaGapsDto {
  @ApiProperty({ type: String, nullable: true }) revisionId!: string | null;
  @ApiProperty() at!: string;
  @ApiProperty({ type: [ControlStatusDto], description: 'Applicable controls that do not (or cannot be shown to) operate' })
  gaps!: ControlStatusDto[];
}

export class ControlViewDto extends ControlStatusDto {
  @ApiProperty({ type: String, nullable: true, description: 'The SoA revision it is read from' }) revisionId!: string | null;
  @ApiProperty() at!: string;
  @ApiProperty({ type: 'array', items: FREE, description: 'Its evidence (the first page of GET /v1/audit/events?control=…)' })
  evidence!: Array<Record<string, unknown>>;
  @ApiProperty({ type: String, nullable: true, description: 'Cursor for the next page of evidence (GET /v1/audit/events)' })
  evidenceNextCursor!: string | null;
}
