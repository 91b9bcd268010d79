/** Data (A.7.2–A.7.6), its quality checks (A.7.4), model versions and validation results (A.6.2.4). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DATASET_PURPOSES } from '../../../../../domain/ai-system/model';
import type { Actor } from '../../../../../domain/shared/roles';
import type {
  ProposeModelVersionInput,
  RecordDataQualityCheckInput,
  RecordDatasetInput,
  RecordValidationResultsInput,
} from '../../../../../workflows/ai-system-lifecycle.messages';
import {
  FiniteNumber,
  IsInstant,
  IsModelVersion,
  IsSha256Digest,
  LIST_MAX,
  NAME_MAX,
  Nested,
  NestedList,
  OptionalText,
  plainJson,
  Text,
  TEXT_MAX,
  TextList,
} from '../../common/dto-decorators';
import { IsEntityId } from '../../common/ids';
import { LifecycleStepResultDto } from './step-answer.dto';

export class DataProvenanceDto {
  @ApiProperty({ description: 'Where the data comes from (A.7.5)', example: 'core banking export' }) @Text() source!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'data office' }) @OptionalText(NAME_MAX) custodian?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'internal' }) @OptionalText(NAME_MAX) licence?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'sha256: digest of the dataset snapshot' })
  @IsOptional()
  @IsSha256Digest()
  contentDigest?: string | null;
}

export class DataAcquisitionDto {
  @ApiProperty({ example: 'internal export' }) @Text() method!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-01-15T00:00:00Z' }) @IsOptional() @IsInstant() acquiredAt?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @OptionalText() notes?: string | null;
}

export class DataPreparationDto {
  @ApiProperty({ type: [String], description: 'Empty when the data is used as acquired', example: ['deduplicated', 'pseudonymised'] })
  @TextList({ itemMax: TEXT_MAX })
  steps!: string[];
}

export class RecordDatasetDto {
  @ApiPropertyOptional({ description: 'Its id; derived (dataset-1, …) when left out', example: 'applications-2025' })
  @IsOptional()
  @IsEntityId()
  datasetId?: string;

  @ApiProperty({ example: 'Applications 2020-2025' }) @Text(NAME_MAX) name!: string;
  @ApiProperty({ enum: DATASET_PURPOSES }) @IsIn(DATASET_PURPOSES) purpose!: (typeof DATASET_PURPOSES)[number];
  @ApiProperty({ type: () => DataProvenanceDto }) @Nested(() => DataProvenanceDto) provenance!: DataProvenanceDto;
  @ApiProperty({ type: () => DataAcquisitionDto }) @Nested(() => DataAcquisitionDto) acquisition!: DataAcquisitionDto;

  @ApiPropertyOptional({ type: () => DataPreparationDto, description: 'Preparation steps (A.7.6); none when left out' })
  @IsOptional()
  @Nested(() => DataPreparationDto)
  preparation?: DataPreparationDto;

  toInput(by: Actor): RecordDatasetInput {
    const b = plainJson(this);
    return {
      by,
      ...(b.datasetId === undefined ? {} : { datasetId: b.datasetId }),
      name: b.name,
      purpose: b.purpose,
      provenance: {
        source: b.provenance.source,
        custodian: b.provenance.custodian ?? null,
        licence: b.provenance.licence ?? null,
        contentDigest: b.provenance.contentDigest ?? null,
      },
      acquisition: { method: b.acquisition.method, acquiredAt: b.acquisition.acquiredAt ?? null, notes: b.acquisition.notes ?? null },
      preparation: { steps: b.preparation?.steps ?? [] },
    };
  }
}

export class DataQualityResultDto {
  @ApiProperty({ example: 'completeness' }) @Text(NAME_MAX) dimension!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'non-null ratio' }) @OptionalText(NAME_MAX) measure?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 0.99 }) @IsOptional() @FiniteNumber() value?: number | null;
  @ApiProperty({ example: true }) @IsBoolean() passed!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) @OptionalText() notes?: string | null;
}

export class RecordDataQualityCheckDto {
  @ApiPropertyOptional({ description: 'Its id; derived (dq-check-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  checkId?: string;

  @ApiProperty({ type: [DataQualityResultDto], description: 'The check passes only if every result passes (A.7.4)' })
  @NestedList(() => DataQualityResultDto, { min: 1 })
  results!: DataQualityResultDto[];

  /** A check of `datasetId` (named by the path). */
  toInput(by: Actor, datasetId: string): RecordDataQualityCheckInput {
    return {
      by,
      ...(this.checkId === undefined ? {} : { checkId: this.checkId }),
      datasetId,
      results: this.results.map((r) => ({
        dimension: r.dimension,
        measure: r.measure ?? null,
        value: r.value ?? null,
        passed: r.passed,
        notes: r.notes ?? null,
      })),
    };
  }
}

export class ProposeModelVersionDto {
  @ApiProperty({ example: '1.0.0' }) @IsModelVersion() modelVersion!: string;
  @ApiProperty({ example: `sha256:${'a'.repeat(64)}` }) @IsSha256Digest() artifactDigest!: string;

  // An empty description is allowed: it is what leaving the field out records.
  @ApiPropertyOptional({ description: 'What changed in this version', example: 'Gradient-boosted model retrained on 2025 data' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_MAX)
  description?: string;

  toInput(by: Actor): ProposeModelVersionInput {
    return { by, modelVersion: this.modelVersion, artifactDigest: this.artifactDigest, description: this.description ?? '' };
  }
}

export class MetricValueDto {
  @ApiProperty({ example: 'auc' }) @Text(128) metric!: string;
  @ApiProperty({ example: 0.86 }) @FiniteNumber() value!: number;
}

export class RecordValidationResultsDto {
  @ApiPropertyOptional({ description: 'Its id; derived (validation-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  validationId?: string;

  @ApiProperty({ example: '1.0.0' }) @IsModelVersion() modelVersion!: string;
  @ApiProperty({ example: `sha256:${'a'.repeat(64)}` }) @IsSha256Digest() artifactDigest!: string;

  @ApiProperty({
    type: [String],
    description: 'Datasets the results were measured on (each with a passing quality check)',
    example: ['dataset-1'],
  })
  @TextList({ min: 1, max: LIST_MAX, itemMax: 128 })
  datasetIds!: string[];

  @ApiProperty({ type: [MetricValueDto] }) @NestedList(() => MetricValueDto, { min: 1 }) metrics!: MetricValueDto[];

  toInput(by: Actor): RecordValidationResultsInput {
    const b = plainJson(this);
    return {
      by,
      ...(b.validationId === undefined ? {} : { validationId: b.validationId }),
      modelVersion: b.modelVersion,
      artifactDigest: b.artifactDigest,
      datasetIds: b.datasetIds,
      metrics: b.metrics,
    };
  }
}

export class DatasetRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() datasetId!: string;
}

export class DataQualityCheckRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() checkId!: string;
  @ApiProperty() datasetId!: string;
  @ApiProperty() passed!: boolean;
}

export class ModelVersionProposedDto extends LifecycleStepResultDto {
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ type: [String], description: 'Versions this one supersedes' }) supersedes!: string[];
}

export class ValidationRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() validationId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Pass/fail per acceptance criterion' }) evaluation!: Record<
    string,
    unknown
  >;
  @ApiProperty({ nullable: true, type: String, description: "The validator's sign-off task when the criteria passed" }) signOffTaskId!:
    string | null;
}
