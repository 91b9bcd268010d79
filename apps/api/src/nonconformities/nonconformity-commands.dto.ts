/**
 * What callers send to raise a nonconformity and to take its corrective-action steps (clause 10.2). These
 * check shape and size; the domain's `decide` (in the workflow's validators) checks the rest and its
 * refusals come back as problem+json too. Who acts is never in a body: it is the token's actor.
 */
import { randomUUID } from 'node:crypto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, Matches } from 'class-validator';
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
import type { Actor } from '../../../../domain/shared/roles';
import type {
  CompleteCorrectiveActionInput,
  RecordContainmentInput,
  RecordEffectivenessReviewInput,
  SubmitCorrectiveActionPlanInput,
  SubmitRootCauseAnalysisInput,
} from '../../../../workflows/nonconformity.messages';
import { IsFixedDuration, IsInstant, IsStepId, LIST_MAX, NestedList, OptionalText, Text, TextList } from '../common/dto-decorators';
import { IsEntityId } from '../common/ids';

/** A nonconformity's texts may be long (an audit finding, a root cause); titles and names are short. */
const MAX_TITLE = 200;
const MAX_TEXT = 10_000;

export class RaiseNonconformityDto {
  @ApiPropertyOptional({
    description:
      "Your id for it (made when left out): the workflow and the evidence stream are `nonconformity-<id>`. Ids starting with `aims:` are the engine's (a breach's, an incident's) and are refused (400).",
    example: 'nc-2026-014',
  })
  @IsOptional()
  @IsEntityId()
  nonconformityId?: string;

  @ApiProperty({ maxLength: MAX_TITLE, example: 'Credit model recall below threshold' }) @Text(MAX_TITLE) title!: string;
  @ApiProperty({ maxLength: MAX_TEXT }) @Text(MAX_TEXT) description!: string;
  @ApiProperty({ enum: NONCONFORMITY_SOURCES }) @IsIn(NONCONFORMITY_SOURCES) source!: NonconformitySource;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The record it came from (monitoring report, incident, audit finding id…).',
  })
  @OptionalText(MAX_TEXT)
  sourceReference?: string | null;

  @ApiProperty({ enum: NONCONFORMITY_SEVERITIES }) @IsIn(NONCONFORMITY_SEVERITIES) severity!: NonconformitySeverity;

  @ApiPropertyOptional({ type: [String], description: 'AI systems it concerns. At least one AI system, control or clause is needed.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @IsEntityId({ each: true })
  aiSystemIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Annex A controls it concerns, e.g. A.6.2.6.' })
  @IsOptional()
  @TextList({ itemMax: 32 })
  annexAControlIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Clauses (4-10) it concerns, e.g. 8.3.' })
  @IsOptional()
  @TextList({ itemMax: 32 })
  clauseIds?: string[];

  @ApiPropertyOptional({
    description:
      "From the last corrective action to the effectiveness review: from P1D (or the deployment's AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY) to P730D; otherwise 400.",
    default: 'P30D',
  })
  @IsOptional()
  @IsFixedDuration()
  effectivenessReviewDelay?: string;

  @ApiPropertyOptional({
    description: "How long before an action's due date its owner is reminded (PT0S: no reminder; at most P365D).",
    default: 'P2D',
  })
  @IsOptional()
  @IsFixedDuration()
  reminderLeadTime?: string;

  @ApiPropertyOptional({
    description: 'How long an action stays overdue before it is escalated to the AIMS owner (at most P365D).',
    default: 'P3D',
  })
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
  @ApiProperty({ description: 'The plan awaiting its decision', example: 'plan-1' }) @IsStepId() planId!: string;
}

export class ActionCompletionParamsDto extends NonconformityIdParamsDto {
  @ApiProperty({ description: 'A corrective action of the approved plan', example: 'plan-1-a1' }) @IsStepId() actionId!: string;
}

export class RecordContainmentDto {
  @ApiProperty({ type: [String], description: 'What was done at once to contain it; empty only with a justification.' })
  @TextList({ itemMax: MAX_TEXT })
  actions!: string[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why no (further) containment is needed.' })
  @OptionalText(MAX_TEXT)
  justification?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @TextList({ itemMax: MAX_TEXT })
  evidenceRefs?: string[];

  toInput(by: Actor): RecordContainmentInput {
    return { by, actions: [...this.actions], justification: this.justification ?? null, evidenceRefs: [...(this.evidenceRefs ?? [])] };
  }
}

export class SubmitRootCauseAnalysisDto {
  @ApiProperty({ enum: ROOT_CAUSE_ANALYSIS_METHODS }) @IsIn(ROOT_CAUSE_ANALYSIS_METHODS) method!: RootCauseAnalysisMethod;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Which method, when method is `other`.' })
  @OptionalText(MAX_TITLE)
  methodDescription?: string | null;

  @ApiProperty({ type: [String], minItems: 1 })
  @TextList({ min: 1, itemMax: MAX_TEXT })
  causes!: string[];

  @ApiPropertyOptional({ type: [String], default: [] })
  @IsOptional()
  @TextList({ itemMax: MAX_TEXT })
  contributingFactors?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Similar nonconformities, or ones that could occur for the same causes (10.2 b).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @IsStepId({ each: true, message: 'each similarNonconformityIds entry must be a nonconformity id' })
  similarNonconformityIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @TextList({ itemMax: MAX_TEXT })
  evidenceRefs?: string[];

  toInput(by: Actor): SubmitRootCauseAnalysisInput {
    return {
      by,
      method: this.method,
      methodDescription: this.methodDescription ?? null,
      causes: [...this.causes],
      contributingFactors: [...(this.contributingFactors ?? [])],
      similarNonconformityIds: [...(this.similarNonconformityIds ?? [])],
      evidenceRefs: [...(this.evidenceRefs ?? [])],
    };
  }
}

export class PlannedCorrectiveActionDto {
  @ApiPropertyOptional({ description: 'Made from the plan id when left out (`<planId>-a<n>`).', example: 'retrain-on-2025-data' })
  @IsOptional()
  @IsStepId()
  actionId?: string;

  @ApiProperty() @Text(MAX_TEXT) description!: string;
  @ApiProperty({ description: 'Actor id of whoever must carry it out (the id their token carries).' }) @Text(MAX_TITLE) owner!: string;

  // A date alone is allowed here (by the end of that day): the domain judges it; the shape is checked here.
  @ApiProperty({
    description: 'An ISO 8601 instant, or a date (by the end of that day, UTC); after the submission, at most 5 years ahead.',
    example: '2026-04-30',
  })
  @Matches(/^\d{4}-\d{2}-\d{2}(T.+)?$/, { message: 'dueDate must be an ISO 8601 instant with an offset or a date (YYYY-MM-DD)' })
  dueDate!: string;
}

export class SubmitCorrectiveActionPlanDto {
  @ApiPropertyOptional({ description: 'Made when left out; a rejected plan is revised by submitting a new plan.', example: 'plan-1' })
  @IsOptional()
  @IsStepId()
  planId?: string;

  @ApiProperty({ type: [PlannedCorrectiveActionDto], minItems: 1 })
  @NestedList(() => PlannedCorrectiveActionDto, { min: 1 })
  actions!: PlannedCorrectiveActionDto[];

  /** The plan with its ids made where the caller left them out (a workflow's validator never makes ids). */
  toInput(by: Actor): SubmitCorrectiveActionPlanInput {
    const planId = this.planId ?? `plan-${randomUUID().slice(0, 8)}`;
    const actions = this.actions.map((a, i) => ({
      actionId: a.actionId ?? `${planId}-a${i + 1}`,
      description: a.description,
      owner: a.owner,
      dueDate: a.dueDate,
    }));
    return { by, planId, actions };
  }
}

/** Where in a plan's request an action came from: `<prefix>actions[i].dueDate`, for refusals of its due date. */
export function planDueDateField(plan: SubmitCorrectiveActionPlanInput, prefix = ''): (actionId: string) => string | undefined {
  return (actionId) => {
    const index = plan.actions.findIndex((a) => a.actionId === actionId);
    return index < 0 ? undefined : `${prefix}actions[${index}].dueDate`;
  };
}

export const PLAN_DECISION_OUTCOMES = ['approve', 'reject'] as const;

export class DecideCorrectiveActionPlanDto {
  @ApiProperty({ enum: PLAN_DECISION_OUTCOMES }) @IsIn(PLAN_DECISION_OUTCOMES) outcome!: (typeof PLAN_DECISION_OUTCOMES)[number];

  @ApiPropertyOptional({ type: [String], description: 'Why it is rejected: required to reject, not taken with an approval.' })
  @IsOptional()
  @TextList({ min: 1, itemMax: MAX_TEXT })
  reasons?: string[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'A remark with an approval.' })
  @OptionalText(MAX_TEXT)
  comment?: string | null;
}

export class CompleteCorrectiveActionDto {
  @ApiProperty({ type: [String], minItems: 1, description: 'Where the evidence that it was done is (tickets, documents, reports).' })
  @TextList({ min: 1, itemMax: MAX_TEXT })
  evidenceRefs!: string[];

  @ApiPropertyOptional({ nullable: true, type: String }) @OptionalText(MAX_TEXT) note?: string | null;

  /** The completion of `actionId` (named by the path). */
  toInput(by: Actor, actionId: string): CompleteCorrectiveActionInput {
    return { by, actionId, evidenceRefs: [...this.evidenceRefs], note: this.note ?? null };
  }
}

export class RecordEffectivenessReviewDto {
  @ApiProperty({ enum: EFFECTIVENESS_OUTCOMES, description: '`ineffective` reopens the nonconformity into a new root-cause analysis.' })
  @IsIn(EFFECTIVENESS_OUTCOMES)
  outcome!: EffectivenessOutcome;

  @ApiProperty() @Text(MAX_TEXT) findings!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @TextList({ itemMax: MAX_TEXT })
  evidenceRefs?: string[];

  toInput(by: Actor): RecordEffectivenessReviewInput {
    return { by, outcome: this.outcome, findings: this.findings, evidenceRefs: [...(this.evidenceRefs ?? [])] };
  }
}

export class NonconformityMeasuresQueryDto {
  @ApiPropertyOptional({ description: 'The instant "overdue" is judged at (default: now).', example: '2026-03-31T23:59:59Z' })
  @IsOptional()
  @IsInstant()
  at?: string;
}
