/** Impact assessment (6.1.4, 8.4, A.5): who is affected, the impacts, and how they are mitigated. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AFFECTED_PARTIES, IMPACT_LIKELIHOODS, IMPACT_SEVERITIES } from '../../../../../domain/ai-system/model';
import type { Actor } from '../../../../../domain/shared/roles';
import type { SubmitImpactAssessmentInput } from '../../../../../workflows/ai-system-lifecycle.messages';
import { LIST_MAX, NAME_MAX, Nested, NestedList, OptionalText, plainJson, Text, TextList } from '../../common/dto-decorators';
import { IsEntityId } from '../../common/ids';
import { LifecycleStepResultDto } from './step-answer.dto';

export class AffectedPartiesDto {
  @ApiProperty({ example: 'Loan applicants' }) @Text() individuals!: string;
  @ApiProperty({ example: 'Applicants from protected groups' }) @Text() groups!: string;
  @ApiProperty({ example: 'Access to credit in the region' }) @Text() society!: string;
}

export class ImpactDto {
  @ApiProperty({ example: 'I1' }) @Text(128) impactId!: string;
  @ApiProperty({ enum: AFFECTED_PARTIES }) @IsIn(AFFECTED_PARTIES) affects!: (typeof AFFECTED_PARTIES)[number];
  @ApiProperty({ example: 'Unfair refusal of credit' }) @Text() description!: string;
  @ApiProperty({ enum: IMPACT_SEVERITIES }) @IsIn(IMPACT_SEVERITIES) severity!: (typeof IMPACT_SEVERITIES)[number];
  @ApiProperty({ enum: IMPACT_LIKELIHOODS }) @IsIn(IMPACT_LIKELIHOODS) likelihood!: (typeof IMPACT_LIKELIHOODS)[number];
}

export class MitigationDto {
  @ApiProperty({ example: 'M1' }) @Text(128) mitigationId!: string;
  @ApiProperty({ example: 'A credit officer reviews every refusal' }) @Text() description!: string;
  @ApiProperty({ type: [String], example: ['I1'] }) @TextList({ min: 1, max: LIST_MAX, itemMax: 128 }) addressesImpactIds!: string[];
  @ApiPropertyOptional({ type: String, nullable: true, example: 'erin' }) @OptionalText(NAME_MAX) owner?: string | null;
}

export class SubmitImpactAssessmentDto {
  @ApiPropertyOptional({ description: 'Its id; derived (ia-1, ia-2, …) when left out', example: 'ia-2026-01' })
  @IsOptional()
  @IsEntityId()
  assessmentId?: string;

  @ApiProperty({ type: () => AffectedPartiesDto, description: 'Who is affected, in each circle A.5.4 and A.5.5 ask about' })
  @Nested(() => AffectedPartiesDto)
  affectedParties!: AffectedPartiesDto;

  @ApiProperty({ type: [ImpactDto] }) @NestedList(() => ImpactDto, { min: 1 }) impacts!: ImpactDto[];

  @ApiProperty({ type: [MitigationDto], description: 'Every major or critical impact needs at least one' })
  @NestedList(() => MitigationDto)
  mitigations!: MitigationDto[];

  toInput(by: Actor): SubmitImpactAssessmentInput {
    const b = plainJson(this);
    return {
      by,
      ...(b.assessmentId === undefined ? {} : { assessmentId: b.assessmentId }),
      content: {
        affectedParties: b.affectedParties,
        impacts: b.impacts,
        mitigations: b.mitigations.map((m) => ({ ...m, owner: m.owner ?? null })),
      },
    };
  }
}

export class ImpactAssessmentSubmittedDto extends LifecycleStepResultDto {
  @ApiProperty() assessmentId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'The review task an approver or risk owner decides' }) reviewTaskId!: string;
}
