/**
 * Deciding a task from the inbox, whichever process owns it. One body for every kind: `outcome` and the
 * fields the task's kind takes (the kinds and their fields are listed in the operation's description);
 * a field another kind takes is refused, naming it, so a decision never half-applies.
 */
import { SoaTaskDecidedDto } from '../soa/soa.dto';
import type { ScopeTaskDecidedDto } from '../scope/scope.dto';
import type { ContextTaskDecidedDto } from '../context/context.dto';
import type { ObjectiveTaskDecidedDto } from '../objectives/objectives.dto';
import type { ManagementReviewTaskDecidedDto } from '../management-reviews/management-reviews.dto';
import type { InternalAuditTaskDecidedDto } from '../internal-audits/internal-audits.dto';
import { RiskCriteriaTaskDecidedDto } from '../risk-criteria/risk-criteria.dto';
import { RiskTaskDecidedDto } from '../risks/risks.dto';
import { DocumentTaskDecidedDto } from '../documents/documents.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { HUMAN_TASK_KINDS, RISK_TIERS } from '../../../../domain/ai-system/model';
import { PolicyApplicationDto, PolicyChangeProposedDto } from '../lifecycle-policy/lifecycle-policy.dto';
import { LifecycleStepResultDto } from '../ai-systems/dto/step-answer.dto';
import { FiniteNumber, Nested, OptionalText, Text, TextList } from '../common/dto-decorators';
import { IsEntityId } from '../common/ids';
import { NonconformityStepDto } from '../nonconformities/nonconformities.dto';
import {
  RecordContainmentDto,
  SubmitCorrectiveActionPlanDto,
  SubmitRootCauseAnalysisDto,
} from '../nonconformities/nonconformity-commands.dto';

/**
 * The API's words for what a person does with a task: decide an approval (approve, reject, request
 * changes), judge a correction (effective, ineffective), complete an action, record or submit work.
 */
export const TASK_OUTCOMES = ['approve', 'reject', 'request_changes', 'effective', 'ineffective', 'complete', 'record', 'submit'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

export class TaskIdParamsDto {
  @ApiProperty({ description: 'The task id (GET /v1/tasks)', example: 'credit-scoring-task-1' })
  @IsEntityId()
  taskId!: string;
}

export class TaskDecisionInputDto {
  @ApiProperty({ enum: TASK_OUTCOMES, description: "Which ones a task takes depends on its kind (see the operation's description)" })
  @IsIn(TASK_OUTCOMES)
  outcome!: TaskOutcome;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'A remark recorded with the decision (for a corrective action: its completion note)',
    example: 'Mitigations are adequate',
  })
  @OptionalText(4000)
  comment?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: 'Required to reject or request changes: what must be addressed',
    example: ['Mitigation M2 has no owner'],
  })
  @IsOptional()
  @TextList({ max: 50, itemMax: 2000 })
  reasons?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'What the decision relied on, or where the evidence of the work is: documents, tickets, evidence ids',
    example: ['DOC-17'],
  })
  @IsOptional()
  @TextList({ max: 50, itemMax: 500 })
  evidenceRefs?: string[];

  @ApiPropertyOptional({
    description: "context_entry_review, to approve: the entry's next review date (YYYY-MM-DD)",
    example: '2027-06-30',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'reviewBy must be a date, YYYY-MM-DD' })
  reviewBy?: string;

  @ApiPropertyOptional({ description: 'objective_measurement, to record: the measured value', example: 0.85 })
  @IsOptional()
  @FiniteNumber()
  value?: number;

  @ApiPropertyOptional({ type: [String], description: 'management_review_minutes: who attended (the chair among them)', example: ['tess'] })
  @IsOptional()
  @TextList({ min: 1, max: 100, itemMax: 200 })
  attendees?: string[];

  @ApiPropertyOptional({ description: "management_review_minutes: the minutes' text", example: 'Pack reviewed; one resource need.' })
  @IsOptional()
  @Text(20_000)
  minutes?: string;

  @ApiPropertyOptional({
    enum: RISK_TIERS,
    description: 'impact_assessment_review, to approve: the risk tier the reviewer confirms (or corrects); the system takes its policy',
  })
  @IsOptional()
  @IsIn(RISK_TIERS)
  riskTier?: (typeof RISK_TIERS)[number];

  @ApiPropertyOptional({ description: 'effectiveness_review: what the review found', example: 'Recall stayed above 0.80 for 30 days' })
  @IsOptional()
  @Text(10_000)
  findings?: string;

  @ApiPropertyOptional({ type: () => RecordContainmentDto, description: 'containment: what was done at once' })
  @IsOptional()
  @Nested(() => RecordContainmentDto)
  containment?: RecordContainmentDto;

  @ApiPropertyOptional({ type: () => SubmitRootCauseAnalysisDto, description: 'root_cause_analysis: the analysis' })
  @IsOptional()
  @Nested(() => SubmitRootCauseAnalysisDto)
  rootCauseAnalysis?: SubmitRootCauseAnalysisDto;

  @ApiPropertyOptional({
    type: () => SubmitCorrectiveActionPlanDto,
    description: 'corrective_action_plan: the plan (someone else decides it)',
  })
  @IsOptional()
  @Nested(() => SubmitCorrectiveActionPlanDto)
  plan?: SubmitCorrectiveActionPlanDto;
}

/** The fields of a decision besides its outcome: each task kind takes some of them. */
export type TaskDecisionField = Exclude<keyof TaskDecisionInputDto, 'outcome'>;

/** A lifecycle task decided: the lifecycle's answer. */
export class LifecycleTaskDecidedDto extends LifecycleStepResultDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: HUMAN_TASK_KINDS }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected', 'changes_requested'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
  @ApiProperty({ description: 'The AI system whose lifecycle owns the task' }) aiSystemId!: string;
}

/** A nonconformity's work item done: the nonconformity workflow's answer. */
export class NonconformityTaskDecidedDto extends NonconformityStepDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({
    enum: ['containment', 'root_cause_analysis', 'corrective_action_plan', 'plan_decision', 'corrective_action', 'effectiveness_review'],
  })
  kind!: string;
  @ApiProperty({ enum: ['recorded', 'submitted', 'approved', 'rejected', 'completed', 'effective', 'ineffective'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

/** A lifecycle-policy change decided; after an approval, the systems put under the new version. */
export class PolicyTaskDecidedDto extends PolicyChangeProposedDto {
  @ApiProperty({ enum: ['lifecycle_policy_change_approval'] }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
  @ApiProperty({ type: [PolicyApplicationDto], description: 'After an approval: each AI system it concerns, put under the new version' })
  applied!: PolicyApplicationDto[];
}

/** What deciding a task answers: the owning process's answer to the step, and which task it was. */
export type TaskDecided =
  | LifecycleTaskDecidedDto
  | NonconformityTaskDecidedDto
  | PolicyTaskDecidedDto
  | SoaTaskDecidedDto
  | RiskCriteriaTaskDecidedDto
  | RiskTaskDecidedDto
  | DocumentTaskDecidedDto
  | ScopeTaskDecidedDto
  | ContextTaskDecidedDto
  | ObjectiveTaskDecidedDto
  | ManagementReviewTaskDecidedDto
  | InternalAuditTaskDecidedDto;
