/**
 * The risk register over HTTP: the bodies of each step (their shape checked here, their rules in
 * domain/risk) and the answers. Scores name steps of the criteria in force; the domain checks them.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { ANNEX_C_RISK_SOURCES, TREATMENT_OPTIONS, type RiskSource, type TreatmentOption } from '../../../../domain/risk';
import type { Actor } from '../../../../domain/shared/roles';
import { OWN_CONTROL_ID, OWN_CONTROL_ID_RULE } from '../../../../domain/soa';
import type { CompleteTreatmentActionInput, PlanRiskTreatmentInput, RecordResidualRiskInput } from '../../../../workflows/risk.messages';
import { IsInstant, IsStepId, Nested, NestedList, OptionalText, plainJson, Text, TextList } from '../common/dto-decorators';
import { IsEntityId } from '../common/ids';
import { PageQueryDto } from '../common/pagination';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';
import type { IdentifyRiskInput } from './risk.process';

const FREE = { type: 'object', additionalProperties: true } as const;
const SOURCE_KINDS = ['annex-c', 'organisation'] as const;

export class RiskIdParamsDto {
  @ApiProperty({ example: 'credit-scoring-bias' }) @IsEntityId() id!: string;
}
export class RiskActionParamsDto extends RiskIdParamsDto {
  @ApiProperty({ example: 'act-1' }) @IsStepId() actionId!: string;
}

export class RiskSourceDto {
  @ApiProperty({ enum: SOURCE_KINDS }) @IsIn(SOURCE_KINDS) kind!: (typeof SOURCE_KINDS)[number];
  @ApiPropertyOptional({ enum: ANNEX_C_RISK_SOURCES, description: 'kind annex-c: the Annex C.3 risk source' })
  @IsOptional()
  @IsIn(ANNEX_C_RISK_SOURCES)
  id?: (typeof ANNEX_C_RISK_SOURCES)[number];
  @ApiPropertyOptional({ description: "kind organisation: the organisation's own risk source" }) @OptionalText(200) name?: string;
}

export class IdentifyRiskDto {
  @ApiProperty({ example: 'credit-scoring-bias', description: "The risk's id, chosen by the caller; its stream is risk-<id>" })
  @IsEntityId()
  riskId!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'credit-scoring',
    description: 'The AI system it concerns (none: organisation-wide)',
  })
  @IsOptional()
  @IsEntityId()
  systemId?: string | null;
  @ApiProperty({ type: () => RiskSourceDto }) @Nested(() => RiskSourceDto) source!: RiskSourceDto;
  @ApiProperty({ example: 'Scores drift against a protected group' }) @Text(4000) description!: string;
  @ApiProperty({ example: 'rita', description: 'Who owns the risk' }) @Text(200) owner!: string;

  toInput(): IdentifyRiskInput {
    const b = plainJson(this);
    // An annex-c source without its id is the domain's to refuse (400 naming source).
    const source = (
      b.source.kind === 'annex-c' ? { kind: 'annex-c', id: b.source.id } : { kind: 'organisation', name: b.source.name ?? '' }
    ) as RiskSource;
    return { riskId: b.riskId, systemId: b.systemId ?? null, source, description: b.description, owner: b.owner };
  }
}

export class ScoreDto {
  @ApiProperty({ example: 'possible', description: 'A likelihood step of the criteria in force' }) @Text(40) likelihood!: string;
  @ApiProperty({ example: 'minor', description: 'A consequence step of the criteria in force' }) @Text(40) consequence!: string;
}

export class AssessRiskDto {
  @ApiProperty({ type: () => ScoreDto }) @Nested(() => ScoreDto) inherent!: ScoreDto;
  @ApiProperty({ example: 'Bias audit of March' }) @Text(4000) rationale!: string;

  toInput(by: Actor): { by: Actor; inherent: ScoreDto; rationale: string } {
    const b = plainJson(this);
    return { by, inherent: b.inherent, rationale: b.rationale };
  }
}

export class TreatmentActionDto {
  @ApiProperty({ example: 'act-1' }) @IsStepId() actionId!: string;
  @ApiProperty() @Text(4000) description!: string;
  @ApiProperty({ example: 'erin' }) @Text(200) owner!: string;
  @ApiProperty({ example: '2026-12-31T00:00:00Z' }) @IsInstant() dueDate!: string;
}

export class PlanRiskTreatmentDto {
  @ApiProperty({ enum: TREATMENT_OPTIONS }) @IsIn(TREATMENT_OPTIONS) option!: TreatmentOption;
  @ApiPropertyOptional({ type: [String], example: ['A.7.4'] })
  @IsOptional()
  @TextList({ max: 50, itemMax: 20 })
  annexAControlIds?: string[];
  @ApiPropertyOptional({
    type: [String],
    example: ['ORG-fairness-review'],
    description:
      "The organisation's own controls, by their id in the Statement of Applicability (ORG-…), so that a plan adding or dropping one asks for a revision of it",
  })
  @IsOptional()
  @TextList({ max: 50, itemMax: 200 })
  // An own control is named as the SoA names it: a free-text name would never reach the SoA's revision request.
  @Matches(OWN_CONTROL_ID, { each: true, message: `each of ownControls must be an own control id: ${OWN_CONTROL_ID_RULE}` })
  ownControls?: string[];
  @ApiPropertyOptional({ type: [TreatmentActionDto] })
  @IsOptional()
  @NestedList(() => TreatmentActionDto, { max: 50 })
  actions?: TreatmentActionDto[];

  toInput(by: Actor): PlanRiskTreatmentInput {
    const b = plainJson(this);
    return { by, option: b.option, annexAControlIds: b.annexAControlIds ?? [], ownControls: b.ownControls ?? [], actions: b.actions ?? [] };
  }
}

export class CompleteTreatmentActionDto {
  @ApiProperty({ type: [String], description: 'Where the evidence of the completed action is' })
  @TextList({ min: 1, max: 50, itemMax: 500 })
  evidenceRefs!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) @OptionalText(4000) note?: string | null;

  toInput(by: Actor, actionId: string): CompleteTreatmentActionInput {
    const b = plainJson(this);
    return { by, actionId, evidenceRefs: b.evidenceRefs, note: b.note ?? null };
  }
}

export class RecordResidualRiskDto {
  @ApiProperty({ type: () => ScoreDto }) @Nested(() => ScoreDto) residual!: ScoreDto;
  @ApiProperty() @Text(4000) rationale!: string;

  toInput(by: Actor): RecordResidualRiskInput {
    const b = plainJson(this);
    return { by, residual: b.residual, rationale: b.rationale };
  }
}

const BooleanQuery = () =>
  // Query strings are text: only the words true and false are booleans; anything else fails validation.
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

export class RiskListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only risks of this AI system' }) @IsOptional() @IsEntityId() system?: string;
  @ApiPropertyOptional({ description: 'Only risks this person owns' }) @IsOptional() @Text(200) owner?: string;
  @ApiPropertyOptional({ description: 'Only risks at this level now (residual once recorded, else inherent)' })
  @IsOptional()
  @Text(40)
  level?: string;
  @ApiPropertyOptional({ description: 'true: its level now is above appetite' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean({ message: 'aboveAppetite must be true or false' })
  aboveAppetite?: boolean;
  @ApiPropertyOptional({ description: 'true: a treatment action is past due' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
  @ApiPropertyOptional({ description: 'true: its reassessment is due' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean({ message: 'dueForReassessment must be true or false' })
  dueForReassessment?: boolean;
}

export class RiskDto {
  @ApiProperty() riskId!: string;
  @ApiProperty({ type: String, nullable: true }) systemId!: string | null;
  @ApiProperty(FREE) source!: Record<string, unknown>;
  @ApiProperty() description!: string;
  @ApiProperty() owner!: string;
  @ApiProperty({ example: 'assessed' }) status!: string;
  @ApiProperty({ description: 'The assessment round (1 for the first)' }) assessment!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Its level now: residual once recorded, else inherent' }) level!: string | null;
  @ApiProperty({ description: 'Its level now is above appetite' }) aboveAppetite!: boolean;
  @ApiProperty({ ...FREE, nullable: true, description: 'The criteria version that scored it' }) criteria!: Record<string, unknown> | null;
  @ApiProperty({ ...FREE, nullable: true }) inherent!: Record<string, unknown> | null;
  @ApiProperty({ ...FREE, nullable: true }) plan!: Record<string, unknown> | null;
  @ApiProperty({ type: 'array', items: FREE }) actions!: Array<Record<string, unknown>>;
  @ApiProperty({ ...FREE, nullable: true }) residual!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) acceptedLevel!: string | null;
  @ApiProperty({ type: String, nullable: true }) reassessmentDueAt!: string | null;
  @ApiProperty({ type: 'array', items: FREE, description: 'Its human tasks, open and decided' }) tasks!: Array<Record<string, unknown>>;
}

export class RiskListDto {
  @ApiProperty({ type: [RiskDto] }) items!: RiskDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class RiskIdentifiedDto extends ProjectionDto {
  @ApiProperty() riskId!: string;
  @ApiProperty({ description: 'false: the workflow started but had not recorded the identification when we stopped waiting' })
  recorded!: boolean;
}

export class RiskStepAnswerDto extends ProjectionDto {
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: () => RiskDto, description: 'The risk after the step' }) risk!: RiskDto;
}

export class RiskTaskDecidedDto extends RiskStepAnswerDto {
  @ApiProperty() riskId!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: ['risk_assessment_review', 'risk_treatment_plan_approval', 'risk_acceptance'] }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}
