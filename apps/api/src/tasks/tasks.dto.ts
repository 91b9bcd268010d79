import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsEntityId } from '../common/ids';
import { PageQueryDto } from '../common/pagination';
import { TASK_OUTCOMES } from './task-decisions.dto';

export class TaskListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only tasks of this kind', example: 'deployment_approval' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'kind must be a task kind such as deployment_approval' })
  kind?: string;

  @ApiPropertyOptional({ description: "Only tasks about this AI system (its lifecycle's, and the work on nonconformities that name it)" })
  @IsOptional()
  @IsEntityId()
  aiSystemId?: string;
}

export class TaskDecisionDto {
  @ApiProperty() outcome!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) by!: Record<string, unknown> | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty() at!: string;
}

export class TaskDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ description: 'The evidence stream of the workflow that owns the task' }) stream!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The AI system whose lifecycle owns the task' }) aiSystemId!: string | null;
  @ApiProperty({ type: [String], description: 'Every AI system the task concerns' }) aiSystemIds!: string[];
  @ApiProperty({
    example: 'deployment_approval',
    description: 'What is to be decided or done; POST /v1/tasks/{taskId}/decision takes the body its kind needs',
  })
  kind!: string;
  @ApiProperty({ type: [String] }) requiredRoles!: string[];
  @ApiProperty({ type: [String], description: 'Roles that may decide now (required roles plus an escalation)' }) eligibleRoles!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The one person it is assigned to (a corrective action's owner), whatever their roles",
  })
  assignee!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the decision concerns' }) subject!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'Who asked for the decision; they may not take it' }) requestedBy!:
    string | null;
  @ApiProperty({ description: 'true when you asked for this decision, so someone else must take it' }) requestedByYou!: boolean;
  @ApiProperty({ enum: ['open', 'decided', 'superseded'] }) status!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for work without a due date; such tasks come after the dated ones' })
  dueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reminderSentAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) escalatedTo!: string | null;
  @ApiProperty({ nullable: true, type: String }) escalatedAt!: string | null;
  @ApiProperty({ type: TaskDecisionDto, nullable: true }) decision!: TaskDecisionDto | null;
  @ApiProperty({ nullable: true, type: String }) supersededReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() lastPosition!: number;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskDto] }) items!: TaskDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ description: 'The global position the task list reflects' }) checkpoint!: number;
}

export class TaskKindDto {
  @ApiProperty({ type: [String], description: 'The task kinds decided this way' }) kinds!: string[];
  @ApiProperty({ enum: TASK_OUTCOMES, isArray: true, description: 'The outcomes a decision may give' }) outcomes!: string[];
  @ApiProperty({ type: [String], description: 'The body fields it takes besides outcome' }) fields!: string[];
  @ApiProperty({ description: 'What the decision does' }) summary!: string;
}

export class TaskKindListDto {
  @ApiProperty({ type: [TaskKindDto] }) items!: TaskKindDto[];
}
