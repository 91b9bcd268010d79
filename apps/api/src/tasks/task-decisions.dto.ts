import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { HUMAN_TASK_KINDS } from '../../../../domain/ai-system/model';
import { LifecycleStepResultDto } from '../ai-systems/dto/step-answer.dto';
import { OptionalText, TextList } from '../common/dto-decorators';
import { IsEntityId } from '../common/ids';

/** The API's words for a decision; the domain records approved, rejected, changes_requested. */
export const DECISION_OUTCOMES = ['approve', 'reject', 'request_changes'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export class TaskIdParamsDto {
  @ApiProperty({ description: 'The task id (GET /v1/tasks)', example: 'credit-scoring-task-1' })
  @IsEntityId()
  taskId!: string;
}

export class TaskDecisionInputDto {
  @ApiProperty({ enum: DECISION_OUTCOMES, description: 'request_changes only for impact-assessment reviews' })
  @IsIn(DECISION_OUTCOMES)
  outcome!: DecisionOutcome;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'A remark recorded with the decision', example: 'Mitigations are adequate' })
  @OptionalText(4000)
  comment?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Required to reject or request changes: what must be addressed', example: ['Mitigation M2 has no owner'] })
  @IsOptional()
  @TextList({ max: 50, itemMax: 2000 })
  reasons?: string[];

  @ApiPropertyOptional({ type: [String], description: 'What the decision relied on: documents, tickets, evidence ids', example: ['DOC-17'] })
  @IsOptional()
  @TextList({ max: 50, itemMax: 500 })
  evidenceRefs?: string[];
}

export class TaskDecidedDto extends LifecycleStepResultDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: HUMAN_TASK_KINDS }) kind!: string;
  @ApiProperty({ enum: ['approved', 'rejected', 'changes_requested'] }) outcome!: string;
  @ApiProperty({ description: 'The AI system whose lifecycle owns the task' }) aiSystemId!: string;
}

