/** The resources an AI system depends on (7.1, A.4.2, A.4.4–A.4.6): the list with owners, as recorded and as read. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MAX_RESOURCES, RESOURCE_KINDS, type AiSystemResource, type ResourceKind } from '../../../../../domain/ai-system';
import type { Actor } from '../../../../../domain/shared/roles';
import type { RecordResourcesInput } from '../../../../../workflows/ai-system-lifecycle.messages';
import { IsStepId, NAME_MAX, NestedList, plainJson, Text } from '../../common/dto-decorators';
import { LifecycleStepResultDto } from './step-answer.dto';

export class ResourceDto {
  @ApiProperty({ example: 'gpu-pool' }) @IsStepId() resourceId!: string;
  @ApiProperty({ enum: RESOURCE_KINDS, description: 'tooling (A.4.4), compute: system and computing resources (A.4.5), human (A.4.6)' })
  @IsIn(RESOURCE_KINDS)
  kind!: ResourceKind;
  @ApiProperty({ example: 'Shared GPU pool' }) @Text(NAME_MAX) name!: string;
  @ApiPropertyOptional({ example: '4 × A100 in the training cluster' }) @IsOptional() @Text(4000) description?: string;
  @ApiProperty({ example: 'it-operations', description: 'Who answers for it: a person, an identity or a unit' }) @Text(200) owner!: string;
}

export class RecordResourcesDto {
  @ApiProperty({ type: [ResourceDto], description: `The whole current list (at most ${MAX_RESOURCES}); it replaces the one before` })
  @NestedList(() => ResourceDto, { max: MAX_RESOURCES })
  resources!: ResourceDto[];
  @ApiProperty({ example: 'first inventory of what it runs on' }) @Text(4000) reason!: string;

  toInput(by: Actor): RecordResourcesInput {
    const b = plainJson(this);
    return {
      by,
      resources: b.resources.map((r): AiSystemResource => ({
        resourceId: r.resourceId,
        kind: r.kind,
        name: r.name,
        description: r.description ?? '',
        owner: r.owner,
      })),
      reason: b.reason,
    };
  }
}

export class ResourcesRecordedDto extends LifecycleStepResultDto {
  @ApiProperty({ type: [ResourceDto], description: 'The list now in force' }) resources!: ResourceDto[];
}

export class AiSystemResourcesDto {
  @ApiProperty() systemId!: string;
  @ApiProperty({ type: [ResourceDto], description: 'What the system depends on now (empty when never recorded)' })
  resources!: ResourceDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Why the list was last recorded' }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Who recorded it ({ id, role })' })
  recordedBy!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) recordedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The evidence event holding it' }) evidenceId!: string | null;
}
