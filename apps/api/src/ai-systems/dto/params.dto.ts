/** Path parameters of the AI-system commands, and the body of commands that carry nothing. */
import { ApiProperty } from '@nestjs/swagger';
import { IsEntityId } from '../../common/ids';

export class DatasetParamsDto {
  @ApiProperty({ description: 'The AI system id', example: 'credit-scoring' })
  @IsEntityId()
  id!: string;

  @ApiProperty({ description: 'The dataset id', example: 'dataset-1' })
  @IsEntityId()
  datasetId!: string;
}

export class DeploymentParamsDto {
  @ApiProperty({ description: 'The AI system id', example: 'credit-scoring' })
  @IsEntityId()
  id!: string;

  @ApiProperty({ description: 'The deployment request id (the answer of POST …/deployments)', example: 'deployment-1' })
  @IsEntityId()
  requestId!: string;
}

export class NonconformityParamsDto {
  @ApiProperty({ description: 'The AI system id', example: 'credit-scoring' })
  @IsEntityId()
  id!: string;

  @ApiProperty({ description: 'The nonconformity id, as the system opened it', example: 'nc-credit-scoring-report-1-auc' })
  @IsEntityId()
  nonconformityId!: string;
}

/** Commands that carry nothing but the actor: any field sent is refused, so typos do not pass silently. */
export class EmptyBodyDto {}
