/** Who took a step, as the evidence names them (the answers' `by`, `plannedBy`, `signedOff.by`...). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ActorRefDto {
  @ApiProperty({ example: 'ines' }) id!: string;
  @ApiProperty({ example: 'internal_auditor', description: 'The role it acted under (system: the engine itself)' }) role!: string;
  @ApiPropertyOptional({ description: 'The person of the register it acted as, when known' }) personId?: string;
  @ApiPropertyOptional({ description: 'The appointment that let it act, when one did' }) appointmentId?: string;
}
