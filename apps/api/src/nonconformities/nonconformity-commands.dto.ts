/**
 * What callers send to raise a nonconformity and to take its corrective-action steps (clause 10.2). These
 * check shape and size; the domain's `decide` (in the workflow's validators) checks the rest and its
 * refusals come back as problem+json too. Who acts is never in a body: it is the token's actor.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  EFFECTIVENESS_OUTCOMES,
  NONCONFORMITY_SEVERITIES,
  NONCONFORMITY_SOURCES,
  ROOT_CAUSE_ANALYSIS_METHODS,
  type EffectivenessOutcome,
  type NonconformitySeverity,
  type NonconformitySource,
  type RootCauseAnalysisMethod,
} from '../../../../domain/nonconformity/nonconformity';
import { isInstant, parseFixedDuration } from '../../../../domain/shared/iso-time';
import { IsEntityId } from '../common/ids';

const MAX_TITLE = 200;
const MAX_TEXT = 10_000;
const MAX_LIST = 100;
/** Plan and action ids: the domain's id rule (they never form stream names). */
export const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const STEP_ID_MESSAGE = '$property must be 1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

/** A fixed-length ISO 8601 duration (`P30D`, `PT12H`); months and years have no fixed length. */
function IsFixedDuration(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFixedDuration',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. P30D or PT12H', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseFixedDuration(value) !== null },
    });
}

/** An ISO 8601 instant with an offset (`2026-03-31T12:00:00Z`). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO 8601 instant with an offset, e.g. 2026-03-31T12:00:00Z', ...options },
      validator: { validate: (value: unknown) => isInstant(value) },
    });
}

/** A list of non-empty strings (references, causes, actions taken…). */
function TextList(options: { min?: number; max?: number } = {}): PropertyDecorator {
  const decorators: PropertyDecorator[] = [
    IsArray(),
    ArrayMaxSize(MAX_LIST),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(options.max ?? MAX_TEXT, { each: true }),
  ];
  if (options.min !== undefined) decorators.push(ArrayMinSize(options.min));
  return (target: object, key: string | symbol) => decorators.forEach((d) => d(target, key));
}

export class RaiseNonconformityDto {
  @ApiPropertyOptional({ description: 'Your id for it (made when left out): the workflow and the evidence stream are `nonconformity-<id>`.', example: 'nc-2026-014' })
  @IsOptional()
  @IsEntityId()
  nonconformityId?: string;

  @ApiProperty({ maxLength: MAX_TITLE, example: 'Credit model recall below threshold' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE)
  title!: string;

  @ApiProperty({ maxLength: MAX_TEXT })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  description!: string;

  @ApiProperty({ enum: NONCONFORMITY_SOURCES })
  @IsIn(NONCONFORMITY_SOURCES)
  source!: NonconformitySource;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'The record it came from (monitoring report, incident, audit finding id…).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  sourceReference?: string | null;

  @ApiProperty({ enum: NONCONFORMITY_SEVERITIES })
  @IsIn(NONCONFORMITY_SEVERITIES)
  severity!: NonconformitySeverity;

  @ApiPropertyOptional({ type: [String], description: 'AI systems it concerns. At least one AI system, control or clause is needed.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @IsEntityId({ each: true })
  aiSystemIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Annex A controls it concerns, e.g. A.6.2.6.' })
  @IsOptional()
  @TextList({ max: 32 })
  annexAControlIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Clauses (4-10) it concerns, e.g. 8.3.' })
  @IsOptional()
  @TextList({ max: 32 })
  clauseIds?: string[];

  @ApiPropertyOptional({ description: 'From the last corrective action to the effectiveness review.', default: 'P30D' })
  @IsOptional()
  @IsFixedDuration()
  effectivenessReviewDelay?: string;

  @ApiPropertyOptional({ description: "How long before an action's due date its owner is reminded (PT0S: no reminder).", default: 'P2D' })
  @IsOptional()
  @IsFixedDuration()
  reminderLeadTime?: string;

  @ApiPropertyOptional({ description: 'How long an action stays overdue before it is escalated to the AIMS owner.', default: 'P3D' })
  @IsOptional()
  @IsFixedDuration()
  escalationDelay?: string;
}

export class NonconformityIdParamsDto {
  @ApiProperty({ description: 'The nonconformity id', example: 'nc-2026-014' })
  @IsEntityId()
  id!: string;
}

export class PlanDecisionParamsDto extends NonconformityIdParamsDto {
  @ApiProperty({ description: 'The plan awaiting its decision', example: 'plan-1' })
  @Matches(STEP_ID, { message: STEP_ID_MESSAGE })
  planId!: string;
}

export class ActionCompletionParamsDto extends NonconformityIdParamsDto {
  @ApiProperty({ description: 'A corrective action of the approved plan', example: 'plan-1-a1' })
  @Matches(STEP_ID, { message: STEP_ID_MESSAGE })
  actionId!: string;
}

export class RecordContainmentDto {
  @ApiProperty({ type: [String], description: 'What was done at once to contain it; empty only with a justification.' })
  @TextList()
  actions!: string[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why no (further) containment is needed.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  justification?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @TextList()
  evidenceRefs?: string[];
}

export class SubmitRootCauseAnalysisDto {
  @ApiProperty({ enum: ROOT_CAUSE_ANALYSIS_METHODS })
  @IsIn(ROOT_CAUSE_ANALYSIS_METHODS)
  method!: RootCauseAnalysisMethod;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Which method, when method is `other`.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE)
  methodDescription?: string | null;

  @ApiProperty({ type: [String], minItems: 1 })
  @TextList({ min: 1 })
  causes!: string[];

  @ApiPropertyOptional({ type: [String], default: [] })
  @IsOptional()
  @TextList()
  contributingFactors?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Similar nonconformities, or ones that could occur for the same causes (10.2 b).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @Matches(STEP_ID, { each: true, message: 'each similarNonconformityIds entry must be a nonconformity id' })
  similarNonconformityIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @TextList()
  evidenceRefs?: string[];
}

export class PlannedCorrectiveActionDto {
  @ApiPropertyOptional({ description: 'Made from the plan id when left out (`<planId>-a<n>`).', example: 'retrain-on-2025-data' })
  @IsOptional()
  @Matches(STEP_ID, { message: STEP_ID_MESSAGE })
  actionId?: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  description!: string;

  @ApiProperty({ description: 'Actor id of whoever must carry it out (the id their token carries).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE)
  owner!: string;

  @ApiProperty({ description: 'An ISO 8601 instant, or a date (by the end of that day, UTC); after the submission.', example: '2026-04-30' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}(T.+)?$/, { message: 'dueDate must be an ISO 8601 instant with an offset or a date (YYYY-MM-DD)' })
  dueDate!: string;
}

export class SubmitCorrectiveActionPlanDto {
  @ApiPropertyOptional({ description: 'Made when left out; a rejected plan is revised by submitting a new plan.', example: 'plan-1' })
  @IsOptional()
  @Matches(STEP_ID, { message: STEP_ID_MESSAGE })
  planId?: string;

  @ApiProperty({ type: [PlannedCorrectiveActionDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LIST)
  @ValidateNested({ each: true })
  @Type(() => PlannedCorrectiveActionDto)
  actions!: PlannedCorrectiveActionDto[];
}

export const PLAN_DECISION_OUTCOMES = ['approve', 'reject'] as const;

export class DecideCorrectiveActionPlanDto {
  @ApiProperty({ enum: PLAN_DECISION_OUTCOMES })
  @IsIn(PLAN_DECISION_OUTCOMES)
  outcome!: (typeof PLAN_DECISION_OUTCOMES)[number];

  @ApiPropertyOptional({ type: [String], description: 'Why it is rejected: required to reject, not taken with an approval.' })
  @IsOptional()
  @TextList({ min: 1 })
  reasons?: string[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'A remark with an approval.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  comment?: string | null;
}

export class CompleteCorrectiveActionDto {
  @ApiProperty({ type: [String], minItems: 1, description: 'Where the evidence that it was done is (tickets, documents, reports).' })
  @TextList({ min: 1 })
  evidenceRefs!: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  note?: string | null;
}

export class RecordEffectivenessReviewDto {
  @ApiProperty({ enum: EFFECTIVENESS_OUTCOMES, description: '`ineffective` reopens the nonconformity into a new root-cause analysis.' })
  @IsIn(EFFECTIVENESS_OUTCOMES)
  outcome!: EffectivenessOutcome;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  findings!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @TextList()
  evidenceRefs?: string[];
}

export class NonconformityMeasuresQueryDto {
  @ApiPropertyOptional({ description: 'The instant "overdue" is judged at (default: now).', example: '2026-03-31T23:59:59Z' })
  @IsOptional()
  @IsInstant()
  at?: string;
}
