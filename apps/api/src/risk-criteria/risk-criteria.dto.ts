/**
 * The organisation's risk criteria over HTTP: a draft's body (its content checked in full by the domain,
 * domain/risk-criteria criteriaContentIssues, before anything is recorded) and the answers.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
import { DEFAULT_RISK_CRITERIA, type RiskCriteriaContent } from '../../../../domain/risk-criteria';
import type { Actor } from '../../../../domain/shared/roles';
import type { DraftRiskCriteriaInput } from '../../../../workflows/risk.messages';
import { plainJson, Text } from '../common/dto-decorators';
import { ProjectionDto } from '../common/projection.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';

const FREE = { type: 'object', additionalProperties: true } as const;

export class DraftRiskCriteriaDto {
  @ApiPropertyOptional({
    ...FREE,
    description:
      'The criteria: likelihood and consequence scales (lowest first), levels (acceptedBy, reassessmentInterval), the matrix[likelihood][consequence] of level ids and the appetite (a level id). Absent: the default set that ships.',
  })
  @IsOptional()
  @IsObject()
  content?: Record<string, unknown>;

  @ApiProperty({ description: 'Why this version (recorded in the evidence)', example: 'First criteria of the AIMS' })
  @Text(4000)
  justification!: string;

  toInput(by: Actor): DraftRiskCriteriaInput {
    const b = plainJson(this);
    // The shape is the domain's to check (every issue named, 400); here it is passed on as given.
    const content = (b.content ?? DEFAULT_RISK_CRITERIA) as unknown as RiskCriteriaContent;
    return { by, content, justification: b.justification };
  }
}

export class RiskCriteriaStepAnswerDto extends ProjectionDto {
  @ApiProperty({ example: 'criteria-draft-1' }) draftId!: string;
  @ApiProperty({ description: 'The version in force after the step (0: none approved yet)' }) version!: number;
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
}

export class RiskCriteriaTaskDecidedDto extends RiskCriteriaStepAnswerDto {
  @ApiProperty({ example: 'criteria-draft-1-review' }) taskId!: string;
  @ApiProperty({ enum: ['risk_criteria_review', 'risk_criteria_approval'] }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

export class RiskCriteriaVersionDto {
  @ApiProperty({ description: '0 is the built-in default (not approved)' }) version!: number;
  @ApiProperty(FREE) content!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) draftId!: string | null;
  @ApiProperty({ ...FREE, nullable: true, description: 'Who approved it (null for the default)' }) approvedBy!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: String, nullable: true }) approvedAt!: string | null;
}

export class RiskCriteriaViewDto {
  @ApiProperty({ type: () => RiskCriteriaVersionDto, description: 'The version in force, or the default set until one is approved' })
  inForce!: RiskCriteriaVersionDto;
  @ApiProperty({ description: 'true while no version is approved: inForce is the default set, which no assessment may use' })
  isDefault!: boolean;
  @ApiProperty({ type: [RiskCriteriaVersionDto], description: 'Every approved version, oldest first' })
  versions!: RiskCriteriaVersionDto[];
  @ApiProperty({ type: 'array', items: FREE, description: 'Every draft with its status and decisions' })
  drafts!: Array<Record<string, unknown>>;
}
