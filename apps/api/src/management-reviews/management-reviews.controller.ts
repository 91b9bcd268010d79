/**
 * Management reviews (9.3) over HTTP: plan one, compile its input pack (or let its timer do it), record the
 * minutes and the decisions, sign it off; read it from its evidence, preview a pack as of a position, and
 * verify a recorded pack against the evidence. Who may take each step is the domain's
 * (domain/management-review: top management decides and signs off, the AIMS owner alone may not); the route
 * roles only keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DECISION_ROLES, MINUTES_ROLES, REVIEW_PLANNER_ROLES, SIGN_OFF_ROLES } from '../../../../domain/management-review/model';
import type { Actor } from '../../../../domain/shared/roles';
import {
  compileReviewInputsUpdate,
  recordReviewDecisionUpdate,
  recordReviewMinutesUpdate,
  signOffReviewUpdate,
} from '../../../../workflows/management-review.messages';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { REPORT_RESPONSE, sendReport } from '../common/report-answer';
import { AuditReportQueryDto } from '../internal-audits/internal-audits.dto';
import {
  ManagementReviewAnswerDto,
  ManagementReviewDto,
  ManagementReviewListDto,
  PlanReviewDto,
  ReviewDecisionDto,
  ReviewIdParamsDto,
  ReviewInputsDto,
  ReviewInputsQueryDto,
  ReviewInputsVerificationDto,
  ReviewListQueryDto,
  ReviewMinutesDto,
  ReviewPlannedDto,
} from './management-reviews.dto';
import { ManagementReviewProcess } from './management-review.process';

@ApiTags('management-reviews')
@Controller('v1/management-reviews')
export class ManagementReviewsController {
  constructor(private readonly reviews: ManagementReviewProcess) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'The management reviews, in the order they were planned, as their evidence records them (paged)' })
  @ApiOkResponse({ type: ManagementReviewListDto })
  list(@Query() q: ReviewListQueryDto): Promise<ManagementReviewListDto> {
    return this.reviews.list(q.limit ?? DEFAULT_PAGE_LIMIT, q.cursor);
  }

  @Get('inputs')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'The 9.3.2 input pack as the evidence gives it now, at a position or as of an instant (a preview: nothing is recorded)',
  })
  @ApiOkResponse({ type: ReviewInputsDto })
  @ApiBadRequestResponse({ description: 'A position beyond the log, or a malformed query (problem+json naming the field)' })
  inputs(@Query() q: ReviewInputsQueryDto): Promise<ReviewInputsDto> {
    return this.reviews.preview(q.reviewId ?? 'preview', q.position, q.asOf);
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One management review as its evidence records it: plan, input pack, minutes, decisions, sign-off' })
  @ApiOkResponse({ type: ManagementReviewDto })
  @ApiNotFoundResponse({ description: 'No such review (REVIEW_NOT_PLANNED)' })
  show(@Param() p: ReviewIdParamsDto): Promise<object> {
    return this.reviews.show(p.id);
  }

  @Get(':id/report')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'The review as a report an auditor reads, as of a point of the evidence (default: now), as Markdown or one self-contained HTML file: plan, input pack item by item with its gaps, minutes, decisions and their actions, sign-off, each statement with the evidence ids it rests on',
  })
  @ApiProduces('text/markdown', 'text/html')
  @ApiOkResponse(REPORT_RESPONSE)
  @ApiNotFoundResponse({ description: 'No such review (as of that point): problem+json REVIEW_NOT_PLANNED' })
  readReport(@Param() p: ReviewIdParamsDto, @Query() q: AuditReportQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const format = q.format ?? 'md';
    return this.reviews.report(p.id, format, q.asOf).then((text) => sendReport(res, format, `management-review-${p.id}-report`, text));
  }

  @Get(':id/inputs/verification')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Recompute the recorded input pack from the evidence at its recorded position and compare the SHA-256' })
  @ApiOkResponse({ type: ReviewInputsVerificationDto })
  @ApiNotFoundResponse({ description: 'No such review (REVIEW_NOT_PLANNED)' })
  @ApiConflictResponse({ description: 'The review has no input pack yet (INPUTS_NOT_COMPILED)' })
  verify(@Param() p: ReviewIdParamsDto): Promise<ReviewInputsVerificationDto> {
    return this.reviews.verify(p.id);
  }

  @Post()
  @Roles(...REVIEW_PLANNER_ROLES)
  @ApiOperation({ summary: 'Plan a management review (starts management-review-<id>; its inputs are compiled at plannedFor)' })
  @ApiCreatedResponse({ type: ReviewPlannedDto })
  @CommandErrors()
  plan(@Acting() by: Actor, @Body() body: PlanReviewDto): Promise<ReviewPlannedDto> {
    return this.reviews.plan(by, body.toInput());
  }

  @Post(':id/inputs')
  @Roles(...REVIEW_PLANNER_ROLES)
  @ApiOperation({ summary: 'Compile the input pack now, from the evidence up to the head of the log (position and hash recorded)' })
  @ApiCreatedResponse({ type: ManagementReviewAnswerDto })
  @CommandErrors()
  compile(@Acting() by: Actor, @Param() p: ReviewIdParamsDto): Promise<ManagementReviewAnswerDto> {
    return this.reviews.send(p.id, compileReviewInputsUpdate, { by });
  }

  @Post(':id/minutes')
  @Roles(...MINUTES_ROLES)
  @ApiOperation({ summary: 'Record the attendees (the chair among them) and the minutes; the input pack is then frozen' })
  @ApiCreatedResponse({ type: ManagementReviewAnswerDto })
  @CommandErrors()
  minutes(@Acting() by: Actor, @Param() p: ReviewIdParamsDto, @Body() body: ReviewMinutesDto): Promise<ManagementReviewAnswerDto> {
    return this.reviews.send(p.id, recordReviewMinutesUpdate, body.toInput(by));
  }

  @Post(':id/decisions')
  @Roles(...DECISION_ROLES)
  @ApiOperation({
    summary: 'Record a decision (top management); it starts an owned improvement action (improvement-<reviewId>.<decisionId>)',
  })
  @ApiCreatedResponse({ type: ManagementReviewAnswerDto })
  @CommandErrors()
  decision(@Acting() by: Actor, @Param() p: ReviewIdParamsDto, @Body() body: ReviewDecisionDto): Promise<ManagementReviewAnswerDto> {
    return this.reviews.send(p.id, recordReviewDecisionUpdate, body.toInput(by));
  }

  @Post(':id/sign-off')
  @Roles(...SIGN_OFF_ROLES)
  @ApiOperation({ summary: 'Sign the review off (top management who attended; the AIMS owner alone may not); starts the next review' })
  @ApiCreatedResponse({ type: ManagementReviewAnswerDto })
  @CommandErrors()
  signOff(@Acting() by: Actor, @Param() p: ReviewIdParamsDto): Promise<ManagementReviewAnswerDto> {
    return this.reviews.send(p.id, signOffReviewUpdate, { by });
  }
}
