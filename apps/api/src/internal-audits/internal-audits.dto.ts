/**
 * Internal audits (9.2.1) over HTTP: the bodies of a plan, a sample, a checklist result, a finding and a
 * report (their shape checked here, their rules in domain/internal-audit), and the answers.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { AUDIT_AREA_KINDS, CHECKLIST_RESULTS, FINDING_TYPES, type InternalAudit } from '../../../../domain/internal-audit/model';
import type { Actor } from '../../../../domain/shared/roles';
import type {
  IssueReportInput,
  RecordChecklistResultInput,
  RecordFindingInput,
  RecordSampleInput,
} from '../../../../workflows/internal-audit.messages';
import { IsAsOf } from '../common/ids';
import { IsInstant, Nested, NestedList, OptionalText, PositiveInteger, plainJson, Text, TextList } from '../common/dto-decorators';
import { PageQueryDto } from '../common/pagination';
import { ProjectionDto } from '../common/projection.dto';
import { ActorRefDto } from '../common/actor-ref.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';
import type { PlanAuditInput } from './internal-audit.process';

const AUDIT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const AUDIT_ID_RULE = '$property must be 1–64 letters, digits, ".", "_" or "-"';

export class AuditIdParamsDto {
  @ApiProperty({ example: 'IA-2026-1' }) @IsString() @Matches(AUDIT_ID, { message: AUDIT_ID_RULE }) id!: string;
}

export class AuditReportQueryDto {
  @ApiPropertyOptional({ enum: ['md', 'html'], default: 'md', description: 'md: text/markdown; html: one self-contained text/html file' })
  @IsOptional()
  @IsIn(['md', 'html'])
  format?: 'md' | 'html';

  @ApiPropertyOptional({
    description: 'The records as of this point: a global position, or an ISO-8601 date/time (default: now).',
    example: '2026-03-31',
  })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class AuditAreaDto {
  @ApiProperty({ enum: AUDIT_AREA_KINDS }) @IsIn(AUDIT_AREA_KINDS) kind!: (typeof AUDIT_AREA_KINDS)[number];
  @ApiProperty({ example: 'A.6.2.4', description: 'A clause (8.2), an Annex A control (A.6.2.4), a process name or an AI system id' })
  @Text(200)
  id!: string;
}

export class AuditCriterionDto {
  @ApiProperty({ example: 'C1' }) @IsString() @Matches(AUDIT_ID, { message: AUDIT_ID_RULE }) criterionId!: string;
  @ApiProperty({ example: 'Validation results are signed off before deployment (A.6.2.4)' }) @Text() text!: string;
}

export class AreaResponsibilityDto {
  @ApiProperty({ type: () => AuditAreaDto }) @Nested(() => AuditAreaDto) area!: AuditAreaDto;
  @ApiProperty({ type: [String], description: 'Who is responsible for (appointed to) the area: none of them may audit it' })
  @TextList({ max: 50, itemMax: 200 })
  personIds!: string[];
}

export class PlanAuditDto {
  @ApiProperty({ example: 'IA-2026-1', description: "The audit's id, chosen by the caller; its stream is internal-audit-<id>" })
  @IsString()
  @Matches(AUDIT_ID, { message: AUDIT_ID_RULE })
  auditId!: string;
  @ApiProperty() @Text(200) title!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The audit programme it belongs to' }) @OptionalText(100) programmeId?:
    string | null;
  @ApiProperty({ type: [AuditAreaDto] }) @NestedList(() => AuditAreaDto, { min: 1, max: 100 }) scope!: AuditAreaDto[];
  @ApiProperty({ type: [AuditCriterionDto] }) @NestedList(() => AuditCriterionDto, { min: 1, max: 100 }) criteria!: AuditCriterionDto[];
  @ApiProperty({ example: 'ines' }) @Text(200) leadAuditor!: string;
  @ApiProperty({ type: [String] }) @TextList({ max: 20, itemMax: 200 }) team!: string[];
  @ApiProperty({ example: '2026-03-01T00:00:00Z' }) @IsInstant() plannedStart!: string;
  @ApiProperty({ example: '2026-03-15T00:00:00Z' }) @IsInstant() plannedEnd!: string;
  @ApiProperty({
    type: [AreaResponsibilityDto],
    description:
      'Who is responsible for each area, as the programme names them (a declared fact until the people register records appointments)',
  })
  @NestedList(() => AreaResponsibilityDto, { max: 200 })
  responsibilities!: AreaResponsibilityDto[];

  toInput(): PlanAuditInput {
    const b = plainJson(this);
    return { ...b, programmeId: b.programmeId ?? null };
  }
}

export class AuditSampleDto {
  @ApiProperty({ example: 'S1' }) @IsString() @Matches(AUDIT_ID, { message: AUDIT_ID_RULE }) sampleId!: string;
  @ApiProperty({ description: 'The global evidence position the sample is taken as of (the records must be at or before it)' })
  @PositiveInteger()
  asOfPosition!: number;
  @ApiProperty({ type: [String], description: 'Evidence event ids to sample' })
  @TextList({ min: 1, max: 500, itemMax: 128 })
  eventIds!: string[];

  toInput(by: Actor): RecordSampleInput {
    return { by, ...plainJson(this) };
  }
}

export class ChecklistResultDto {
  @ApiProperty({ example: 'C1' }) @Text(64) criterionId!: string;
  @ApiProperty({ enum: CHECKLIST_RESULTS }) @IsIn(CHECKLIST_RESULTS) result!: (typeof CHECKLIST_RESULTS)[number];
  @ApiProperty({ type: [String], description: 'Sampled evidence ids' }) @TextList({ max: 100, itemMax: 128 }) evidenceRefs!: string[];
  @ApiPropertyOptional() @IsOptional() @Text() note?: string;

  toInput(by: Actor): RecordChecklistResultInput {
    return { by, ...plainJson(this) };
  }
}

export class FindingDto {
  @ApiProperty({ example: 'F1' }) @IsString() @Matches(AUDIT_ID, { message: AUDIT_ID_RULE }) findingId!: string;
  @ApiProperty({ enum: FINDING_TYPES }) @IsIn(FINDING_TYPES) type!: (typeof FINDING_TYPES)[number];
  @ApiPropertyOptional({ type: String, nullable: true }) @OptionalText(64) criterionId?: string | null;
  @ApiPropertyOptional({ type: () => AuditAreaDto, nullable: true }) @IsOptional() @Nested(() => AuditAreaDto) area?: AuditAreaDto | null;
  @ApiProperty() @Text() statement!: string;
  @ApiProperty({ type: [String], description: 'Sampled evidence ids (a nonconformity needs at least one)' })
  @TextList({ max: 100, itemMax: 128 })
  evidenceRefs!: string[];

  toInput(by: Actor): RecordFindingInput {
    const b = plainJson(this);
    return { by, ...b, criterionId: b.criterionId ?? null, area: b.area ?? null };
  }
}

export class AuditReportDto {
  @ApiProperty() @Text() summary!: string;
  @ApiProperty() @Text() conclusion!: string;

  toInput(by: Actor): IssueReportInput {
    return { by, ...plainJson(this) };
  }
}

export const AUDIT_STATUSES = ['planned', 'fieldwork', 'follow_up', 'closed'] as const;

/** The plan as recorded (the answers' view of a PlanAuditDto). */
export class AuditPlanViewDto {
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The audit programme (its period) it belongs to' }) programmeId!: string | null;
  @ApiProperty({ type: [AuditAreaDto] }) scope!: AuditAreaDto[];
  @ApiProperty({ type: [AuditCriterionDto] }) criteria!: AuditCriterionDto[];
  @ApiProperty() leadAuditor!: string;
  @ApiProperty({ type: [String] }) team!: string[];
  @ApiProperty() plannedStart!: string;
  @ApiProperty() plannedEnd!: string;
  @ApiProperty({ type: [AreaResponsibilityDto] }) responsibilities!: AreaResponsibilityDto[];
}

export class SampledRecordDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() stream!: string;
  @ApiProperty() type!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Who the evidence names as its actor' }) authorId!: string | null;
}

export class AuditSampleViewDto {
  @ApiProperty() sampleId!: string;
  @ApiProperty({ description: 'The global position the sample was taken as of' }) asOfPosition!: number;
  @ApiProperty({ type: [SampledRecordDto] }) records!: SampledRecordDto[];
  @ApiProperty({ type: ActorRefDto }) takenBy!: ActorRefDto;
  @ApiProperty() takenAt!: string;
}

export class ChecklistEntryDto {
  @ApiProperty() criterionId!: string;
  @ApiProperty({ enum: CHECKLIST_RESULTS }) result!: (typeof CHECKLIST_RESULTS)[number];
  @ApiProperty({ type: [String] }) evidenceRefs!: string[];
  @ApiProperty() note!: string;
  @ApiProperty({ type: ActorRefDto }) by!: ActorRefDto;
  @ApiProperty() at!: string;
}

export const CORRECTIVE_ACTION_PROGRESS = ['opened', 'plan_approved', 'closed', 'not_started'] as const;

export class AuditFindingViewDto {
  @ApiProperty() findingId!: string;
  @ApiProperty({ enum: FINDING_TYPES }) type!: (typeof FINDING_TYPES)[number];
  @ApiProperty({ type: String, nullable: true }) criterionId!: string | null;
  @ApiProperty({ type: () => AuditAreaDto, nullable: true }) area!: AuditAreaDto | null;
  @ApiProperty() statement!: string;
  @ApiProperty({ type: [String], description: 'Sampled evidence ids' }) evidenceRefs!: string[];
  @ApiProperty({ type: ActorRefDto }) recordedBy!: ActorRefDto;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The nonconformity a nonconformity finding opened' }) nonconformityId!:
    string | null;
  @ApiProperty({
    enum: CORRECTIVE_ACTION_PROGRESS,
    nullable: true,
    description: 'Where its corrective action stands, as the audit heard it',
  })
  correctiveAction!: (typeof CORRECTIVE_ACTION_PROGRESS)[number] | null;
}

export class IssuedAuditReportDto {
  @ApiProperty() summary!: string;
  @ApiProperty() conclusion!: string;
  @ApiProperty({ type: ActorRefDto }) issuedBy!: ActorRefDto;
  @ApiProperty() issuedAt!: string;
}

export class InternalAuditDto {
  @ApiProperty() auditId!: string;
  @ApiProperty({ enum: AUDIT_STATUSES }) status!: string;
  @ApiProperty({ type: AuditPlanViewDto, description: 'Scope, criteria, lead auditor and team, dates, declared responsibilities' })
  plan!: AuditPlanViewDto;
  @ApiProperty({ type: ActorRefDto }) plannedBy!: ActorRefDto;
  @ApiProperty() plannedAt!: string;
  @ApiProperty({ type: String, nullable: true }) fieldworkStartedAt!: string | null;
  @ApiProperty({ type: [AuditSampleViewDto], description: 'Samples: position, records (event id, stream, type, position, author)' })
  samples!: AuditSampleViewDto[];
  @ApiProperty({ type: [ChecklistEntryDto], description: 'The latest checklist result per criterion' }) checklist!: ChecklistEntryDto[];
  @ApiProperty({
    type: [AuditFindingViewDto],
    description: 'Findings, each nonconformity with its linked corrective action and where it stands',
  })
  findings!: AuditFindingViewDto[];
  @ApiProperty({ type: IssuedAuditReportDto, nullable: true }) report!: IssuedAuditReportDto | null;
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
  @ApiPropertyOptional({
    type: Object,
    description: "The lead auditor's follow-up task (inbox), opened with the report: due date, reminder, escalation, status",
  })
  followUp?: object;
}

export class InternalAuditAnswerDto extends ProjectionDto {
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: () => InternalAuditDto, nullable: true }) audit!: InternalAudit | null;
  @ApiProperty({ type: String, nullable: true, description: 'The nonconformity a nonconformity finding opened (nonconformity-<id>)' })
  nonconformityId!: string | null;
}

/** An audit's follow-up done from the one inbox (the audit closed): the audit's answer, and which task it was. */
export class InternalAuditTaskDecidedDto extends InternalAuditAnswerDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: ['internal_audit_follow_up'] }) kind!: string;
  @ApiProperty({ enum: ['closed'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

export class AuditPlannedDto extends ProjectionDto {
  @ApiProperty() auditId!: string;
  @ApiProperty({ description: 'Whether the plan is in the evidence yet' }) recorded!: boolean;
}

export class InternalAuditListDto {
  @ApiProperty({ type: [InternalAuditDto] }) items!: InternalAudit[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;
}

export class InternalAuditListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_STATUSES, description: 'Only audits where they stand now' })
  @IsOptional()
  @IsIn(AUDIT_STATUSES)
  status?: (typeof AUDIT_STATUSES)[number];
  @ApiPropertyOptional({ description: 'Only the audits of this programme (its period)' }) @IsOptional() @Text(100) programme?: string;
  @ApiPropertyOptional({ description: 'Only the audits this auditor leads' }) @IsOptional() @Text(200) leadAuditor?: string;
}
