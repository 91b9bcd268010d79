import { ApiProperty } from '@nestjs/swagger';

/** Where a step left the evidence, and whether the read models show it yet: every command answers this. */
export class ProjectionDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Global evidence position of the last event the step recorded (null when it recorded nothing new)',
  })
  lastPosition!: number | null;
  @ApiProperty({
    description: 'The read models include the step, so a GET right after this answer shows it (false: they had not caught up in time)',
  })
  projected!: boolean;
}
