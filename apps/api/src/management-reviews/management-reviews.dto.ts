/**
 * Management reviews (9.3) over HTTP: the bodies of a plan, the minutes, a decision, and the answers (their
 * shape checked here, their rules in domain/management-review).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { REVIEW_INPUT_KEYS } from '../../../../domain/management-review/inputs';
import { DECISION_KINDS, REVIEW_ID, type ManagementReview } from '../../../../domain/management-review/model';
import type { Actor } from '../../../../domain/shared/roles';
import type { RecordReviewDecisionInput, RecordReviewMinutesInput } from '../../../../workflows/management-review.messages';
import { IsFixedDuration, IsInstant, plainJson, Text, TextList } from '../common/dto-decorators';
import { PageQueryDto } from '../common/pagination';
import { ProjectionDto } from '../common/projection.dto';
import { ActorRefDto } from '../common/actor-ref.dto';
import { RecordedEvidenceDto } from '../ai-systems/dto/step-answer.dto';
import type { PlanReviewInput } from './management-review.process';

const REVIEW_ID_RULE = '$property must be 1–100 letters, digits, ".", "_" or "-"';

export class ReviewIdParamsDto {
  @ApiProperty({ example: 'MR-2026' }) @IsString() @Matches(REVIEW_ID, { message: REVIEW_ID_RULE }) id!: string;
}

export class ReviewListQueryDto extends PageQueryDto {}

export class ReviewInputsQueryDto {
  @ApiPropertyOptional({ example: 'MR-2026', description: 'The review the pack is for (its own record is left out); default "preview"' })
  @IsOptional()
  @IsString()
  @Matches(REVIEW_ID, { message: REVIEW_ID_RULE })
  reviewId?: string;
  @ApiPropertyOptional({ example: '2026-06-30T00:00:00Z', description: 'Compile from the evidence recorded at or before this instant' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
  @ApiPropertyOptional({ description: 'Compile as of this global evidence position (default: the head of the log)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  position?: number;
}

export class PlanReviewDto {
  @ApiProperty({ example: 'MR-2026', description: "The review's id, chosen by the caller; its stream is management-review-<id>" })
  @IsString()
  @Matches(REVIEW_ID, { message: REVIEW_ID_RULE })
  reviewId!: string;
  @ApiProperty({ example: 'Management review H1 2026' }) @Text(300) title!: string;
  @ApiProperty({ example: '2026-06-30T09:00:00Z', description: 'When the input pack is compiled (the durable timer)' })
  @IsInstant()
  plannedFor!: string;
  @ApiProperty({ example: 'tess', description: 'Who chairs it (must attend)' }) @Text(200) chair!: string;
  @ApiProperty({ example: 'P182D', description: 'Fixed ISO 8601 duration to the next review' }) @IsFixedDuration() interval!: string;

  toInput(): PlanReviewInput {
    return plainJson(this);
  }
}

export class ReviewMinutesDto {
  @ApiProperty({ type: [String], description: 'Who attended (the chair among them)' })
  @TextList({ min: 1, max: 100, itemMax: 200 })
  attendees!: string[];
  @ApiProperty() @Text(20_000) minutes!: string;

  toInput(by: Actor): RecordReviewMinutesInput {
    return { by, ...plainJson(this) };
  }
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: DECISION_KINDS }) @IsIn(DECISION_KINDS) kind!: (typeof DECISION_KINDS)[number];
  @ApiProperty({ example: 'olivia', description: 'Who owns the action' }) @Text(200) owner!: string;
  @ApiProperty({ example: '2026-09-30', description: 'A date (YYYY-MM-DD) or an instant' }) @Text(40) dueDate!: string;
  @ApiProperty() @Text(10_000) text!: string;

  toInput(by: Actor): RecordReviewDecisionInput {
    return { by, ...plainJson(this) };
  }
}

export class ReviewPlanViewDto {
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'When the input pack is compiled (the durable timer)' }) plannedFor!: string;
  @ApiProperty() chair!: string;
  @ApiProperty({ example: 'P182D' }) interval!: string;
  @ApiProperty({ description: 'The series it belongs to: the next review is <series>-<sequence + 1>' }) series!: string;
  @ApiProperty() sequence!: number;
  @ApiProperty({ type: String, nullable: true }) previousReviewId!: string | null;
}

export class ReviewInputEntryDto {
  @ApiProperty() text!: string;
  @ApiProperty({ type: [String], description: 'The evidence ids it rests on' }) evidence!: string[];
}

export class ReviewInputItemDto {
  @ApiProperty({ enum: REVIEW_INPUT_KEYS }) key!: (typeof REVIEW_INPUT_KEYS)[number];
  @ApiProperty({ example: '9.3.2 a' }) clause!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String], description: 'What the evidence shows, in sentences' }) summary!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'What is missing when the evidence holds nothing for this input' })
  gap!: string | null;
  @ApiProperty({ type: [ReviewInputEntryDto] }) entries!: ReviewInputEntryDto[];
  @ApiProperty({ type: [String], description: 'Every event id the item rests on' }) evidence!: string[];
}

export class PreviousReviewRefDto {
  @ApiProperty() reviewId!: string;
  @ApiProperty() position!: number;
}

export class ReviewInputPackDto {
  @ApiProperty() reviewId!: string;
  @ApiProperty({ description: 'The last log position the pack read' }) position!: number;
  @ApiProperty({ type: String, nullable: true, description: 'When the event at that position was recorded' }) recordedAt!: string | null;
  @ApiProperty({ type: PreviousReviewRefDto, nullable: true, description: 'The review whose inputs mark "since the previous review"' })
  previousReview!: PreviousReviewRefDto | null;
  @ApiProperty({ type: [ReviewInputItemDto], description: 'The 9.3.2 inputs, in its order' }) items!: ReviewInputItemDto[];
}

export class RecordedReviewInputsDto {
  @ApiProperty() position!: number;
  @ApiProperty({ description: 'SHA-256 of the canonical pack' }) packHash!: string;
  @ApiProperty({ type: ReviewInputPackDto }) pack!: ReviewInputPackDto;
  @ApiProperty({ type: ActorRefDto }) by!: ActorRefDto;
  @ApiProperty() at!: string;
}

export class RecordedReviewMinutesDto {
  @ApiProperty({ type: [String] }) attendees!: string[];
  @ApiProperty() minutes!: string;
  @ApiProperty({ type: ActorRefDto }) by!: ActorRefDto;
  @ApiProperty() at!: string;
}

export class RecordedReviewDecisionDto {
  @ApiProperty() decisionId!: string;
  @ApiProperty({ enum: DECISION_KINDS }) kind!: (typeof DECISION_KINDS)[number];
  @ApiProperty() owner!: string;
  @ApiProperty({ description: 'A date (YYYY-MM-DD) or an instant' }) dueDate!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'The improvement (10.1) that carries the action: improvement-<actionId>' }) actionId!: string;
  @ApiProperty({ type: ActorRefDto }) by!: ActorRefDto;
  @ApiProperty() at!: string;
}

export class ReviewStepDto {
  @ApiProperty({ type: ActorRefDto }) by!: ActorRefDto;
  @ApiProperty() at!: string;
}

export class ReviewCancelledDto extends ReviewStepDto {
  @ApiProperty() reason!: string;
}

export class NextReviewRefDto {
  @ApiProperty() reviewId!: string;
  @ApiProperty() plannedFor!: string;
}

export class ManagementReviewDto {
  @ApiProperty() reviewId!: string;
  @ApiProperty({ enum: ['planned', 'inputs_compiled', 'minuted', 'signed_off', 'cancelled'] }) status!: string;
  @ApiProperty({ type: ReviewPlanViewDto, description: 'Title, plannedFor, chair, interval, series, sequence, previousReviewId' })
  plan!: ReviewPlanViewDto;
  @ApiProperty({ type: ActorRefDto }) plannedBy!: ActorRefDto;
  @ApiProperty() plannedAt!: string;
  @ApiProperty({
    type: RecordedReviewInputsDto,
    nullable: true,
    description: 'position, packHash (SHA-256 of the canonical pack), pack, by, at',
  })
  inputs!: RecordedReviewInputsDto | null;
  @ApiProperty({ type: RecordedReviewMinutesDto, nullable: true, description: 'attendees, minutes, by, at' })
  minutes!: RecordedReviewMinutesDto | null;
  @ApiProperty({
    type: [RecordedReviewDecisionDto],
    description: 'Each decision with its owner, due date and the improvement action that carries it',
  })
  decisions!: RecordedReviewDecisionDto[];
  @ApiProperty({ type: ReviewStepDto, nullable: true }) signedOff!: ReviewStepDto | null;
  @ApiProperty({ type: NextReviewRefDto, nullable: true }) nextReview!: NextReviewRefDto | null;
  @ApiProperty({ type: ReviewCancelledDto, nullable: true }) cancelled!: ReviewCancelledDto | null;
  @ApiPropertyOptional({
    type: [Object],
    description: "Top management's steps as inbox tasks (minutes, then sign-off), open or closed; absent before the first opens",
  })
  tasks?: object[];
}

export class ManagementReviewListDto {
  @ApiProperty({ type: [ManagementReviewDto] }) items!: ManagementReview[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page (null: the last page)' }) nextCursor!:
    string | null;
}

export class ManagementReviewAnswerDto extends ProjectionDto {
  @ApiProperty({ type: [RecordedEvidenceDto] }) recorded!: RecordedEvidenceDto[];
  @ApiProperty({ type: () => ManagementReviewDto, nullable: true }) review!: ManagementReview | null;
  @ApiProperty({ type: String, nullable: true, description: 'The improvement a decision started (improvement-<id>)' }) actionId!:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The next review a sign-off started' }) nextReviewId!: string | null;
}

/** A review's inbox task done from the one inbox: the review's answer, and which task it was. */
export class ManagementReviewTaskDecidedDto extends ManagementReviewAnswerDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: ['management_review_minutes', 'management_review_sign_off'] }) kind!: string;
  @ApiProperty({ enum: ['recorded', 'signed_off'] }) outcome!: string;
  @ApiProperty({ description: 'The evidence stream of the process that owns the task' }) stream!: string;
}

export class ReviewPlannedDto extends ProjectionDto {
  @ApiProperty() reviewId!: string;
  @ApiProperty({ description: 'Whether the plan is in the evidence yet' }) recorded!: boolean;
}

export class ReviewInputsDto {
  @ApiProperty({ description: 'The last evidence position read' }) position!: number;
  @ApiProperty({ description: 'Hex SHA-256 of the canonical JSON of the pack' }) packHash!: string;
  @ApiProperty({ type: ReviewInputPackDto, description: 'The 9.3.2 inputs, each with the evidence ids it rests on and its gap, if any' })
  pack!: ReviewInputPackDto;
}

export class ReviewInputsVerificationDto {
  @ApiProperty() reviewId!: string;
  @ApiProperty() position!: number;
  @ApiProperty() recordedHash!: string;
  @ApiProperty() recomputedHash!: string;
  @ApiProperty({ description: 'The pack recomputed from the evidence at its position has the recorded hash' }) matches!: boolean;
}
