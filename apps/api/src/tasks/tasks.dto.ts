import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsEntityId } from '../common/ids';
import { PageQueryDto } from '../common/pagination';

export class TaskListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only tasks of this kind', example: 'deployment_approval' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'kind must be a task kind such as deployment_approval' })
  kind?: string;

  @ApiPropertyOptional({ description: 'Only tasks about this AI system' })
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
  @ApiProperty({ nullable: true, type: String }) aiSystemId!: string | null;
  @ApiProperty({ example: 'deployment_approval' }) kind!: string;
  @ApiProperty({ type: [String] }) requiredRoles!: string[];
  @ApiProperty({ type: [String], description: 'Roles that may decide now (required roles plus an escalation)' }) eligibleRoles!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the decision concerns' }) subject!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'Who asked for the decision; they may not take it' }) requestedBy!: string | null;
  @ApiProperty({ description: 'true when you asked for this decision, so someone else must take it' }) requestedByYou!: boolean;
  @ApiProperty({ enum: ['open', 'decided', 'superseded'] }) status!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty() dueAt!: string;
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
