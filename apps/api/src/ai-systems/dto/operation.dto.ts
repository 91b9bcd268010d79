/** Operation and monitoring (9.1, A.6.2.6, A.8.4): monitoring reports, incidents, closing a nonconformity. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { INCIDENT_SEVERITIES, METRIC_DIRECTIONS } from '../../../../../domain/ai-system/model';
import type { Actor } from '../../../../../domain/shared/roles';
import type {
  CloseNonconformityInput,
  RecordMonitoringReportInput,
  ReportIncidentInput,
} from '../../../../../workflows/ai-system-lifecycle.messages';
import { IsInstant, IsModelVersion, Nested, NestedList, plainJson, Text } from '../../common/dto-decorators';
import { IsEntityId } from '../../common/ids';
import { MetricValueDto } from './data-and-validation.dto';
import { LifecycleStepResultDto } from './step-answer.dto';

export class ReportWindowDto {
  @ApiProperty({ example: '2026-03-01T00:00:00Z' }) @IsInstant() from!: string;
  @ApiProperty({ example: '2026-03-08T00:00:00Z' }) @IsInstant() to!: string;
}

export class RecordMonitoringReportDto {
  @ApiPropertyOptional({ description: 'Its id; derived (report-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  reportId?: string;

  @ApiProperty({ type: () => ReportWindowDto, description: 'The period the metrics were measured over' })
  @Nested(() => ReportWindowDto)
  window!: ReportWindowDto;

  @ApiProperty({
    type: [MetricValueDto],
    description: "Checked against the system's monitoring thresholds; a breach opens a nonconformity",
  })
  @NestedList(() => MetricValueDto, { min: 1 })
  metrics!: MetricValueDto[];

  toInput(by: Actor): RecordMonitoringReportInput {
    const b = plainJson(this);
    return {
      by,
      ...(b.reportId === undefined ? {} : { reportId: b.reportId }),
      window: { from: b.window.from, to: b.window.to },
      metrics: b.metrics,
    };
  }
}

export class ReportIncidentDto {
  @ApiPropertyOptional({ description: 'Its id; derived (incident-1, …) when left out' })
  @IsOptional()
  @IsEntityId()
  incidentId?: string;

  @ApiProperty({ enum: INCIDENT_SEVERITIES }) @IsIn(INCIDENT_SEVERITIES) severity!: (typeof INCIDENT_SEVERITIES)[number];
  @ApiProperty({ example: 'Assistant disclosed another customer order number' }) @Text() description!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1.0.0' }) @IsOptional() @IsModelVersion() modelVersion?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-03-02T09:30:00Z' }) @IsOptional() @IsInstant() occurredAt?:
    string | null;

  toInput(by: Actor): ReportIncidentInput {
    return {
      by,
      ...(this.incidentId === undefined ? {} : { incidentId: this.incidentId }),
      severity: this.severity,
      description: this.description,
      ...(this.modelVersion === undefined ? {} : { modelVersion: this.modelVersion }),
      ...(this.occurredAt === undefined ? {} : { occurredAt: this.occurredAt }),
    };
  }
}

export class CloseNonconformityDto {
  @ApiProperty({
    description: 'How it was resolved',
    example: 'Handled outside the corrective-action workflow: retrained model 1.3.0 deployed',
  })
  @Text()
  resolution!: string;

  /** The closure of `nonconformityId` (named by the path). */
  toInput(by: Actor, nonconformityId: string): CloseNonconformityInput {
    return { by, nonconformityId, resolution: this.resolution };
  }
}

export class MonitoringBreachDto {
  @ApiProperty() metric!: string;
  @ApiProperty() value!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty({ enum: METRIC_DIRECTIONS }) direction!: string;
  @ApiProperty() nonconformityId!: string;
}

export class MonitoringReportRecordedDto extends LifecycleStepResultDto {
  @ApiProperty() reportId!: string;
  @ApiProperty({ type: [MonitoringBreachDto] }) breaches!: MonitoringBreachDto[];
  @ApiProperty({ type: [String] }) nonconformitiesOpened!: string[];
}

export class IncidentReportedDto extends LifecycleStepResultDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty({ nullable: true, type: String }) nonconformityId!: string | null;
}

export class NonconformityClosedDto extends LifecycleStepResultDto {
  @ApiProperty() nonconformityId!: string;
}
