/** What every lifecycle command answers: the step's evidence, the tasks it opened, and its projection. */
import { ApiProperty } from '@nestjs/swagger';
import { HUMAN_TASK_KINDS, LIFECYCLE_STAGES } from '../../../../../domain/ai-system/model';
import { ProjectionDto } from '../../common/projection.dto';

export class RecordedEvidenceDto {
  @ApiProperty({ example: 'ImpactAssessmentSubmitted' }) type!: string;
  @ApiProperty({ description: 'The evidence event id (GET /v1/ai-systems/{id}/evidence)' }) evidenceId!: string;
}

export class OpenedTaskDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: HUMAN_TASK_KINDS }) kind!: string;
  @ApiProperty({ type: [String] }) requiredRoles!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) subject!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestedBy!: string | null;
  @ApiProperty() dueAt!: string;
}

/** What every lifecycle command answers, once its evidence is stored. */
export class LifecycleStepResultDto extends ProjectionDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ enum: LIFECYCLE_STAGES, description: 'The stage after the step' }) stage!: string;
  @ApiProperty({ type: [RecordedEvidenceDto], description: 'Evidence this step appended' }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: [OpenedTaskDto], description: 'Human tasks this step opened (decide them with POST /v1/tasks/{taskId}/decision)' })
  openedTasks!: OpenedTaskDto[];
}
