import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CORRECTIVE_ACTION_ROLES,
  evolve,
  measureNonconformities,
  NONCONFORMITY_COMMAND_ROLES,
  nonconformityStreamName,
  type Nonconformity,
  type NonconformityEvent,
  type NonconformityState,
} from '../../../../domain/nonconformity';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import type { Actor } from '../../../../domain/shared/roles';
import { NONCONFORMITIES, type NonconformityRow } from '../../../../infra/projections/read-models';
import {
  completeCorrectiveActionUpdate,
  recordContainmentUpdate,
  recordEffectivenessReviewUpdate,
  submitCorrectiveActionPlanUpdate,
  submitRootCauseAnalysisUpdate,
} from '../../../../workflows/nonconformity.messages';
import { StreamHistoryDto, StreamHistoryQueryDto } from '../audit/audit.dto';
import { streamHistory } from '../audit/audit.controller';
import { asBadRequest, EvidenceReader } from '../audit/evidence-reader';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { parseAsOf } from '../common/ids';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { notFound } from '../common/problems';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import {
  ActionCompletionParamsDto,
  CompleteCorrectiveActionDto,
  DecideCorrectiveActionPlanDto,
  NonconformityIdParamsDto,
  NonconformityMeasuresQueryDto,
  PlanDecisionParamsDto,
  planDueDateField,
  RaiseNonconformityDto,
  RecordContainmentDto,
  RecordEffectivenessReviewDto,
  SubmitCorrectiveActionPlanDto,
  SubmitRootCauseAnalysisDto,
} from './nonconformity-commands.dto';
import { NonconformityProcess, PLAN_DECIDERS } from './nonconformity.process';
import {
  NonconformityDetailDto,
  NonconformityDto,
  NonconformityListQueryDto,
  NonconformityMeasuresDto,
  NonconformityPageDto,
  NonconformityRaisedDto,
  NonconformityStepDto,
  stepDto,
} from './nonconformities.dto';

/** Error answers every step shares, for the OpenAPI document. */
function StepErrors(): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'A field breaks a rule (problem+json naming each field); nothing is recorded' }),
    ApiNotFoundResponse({ description: 'No such nonconformity (NONCONFORMITY_NOT_RAISED), or no such action' }),
    ApiConflictResponse({
      description: "The nonconformity is not where this step belongs (the domain's code: INVALID_TRANSITION, NONCONFORMITY_CLOSED, …)",
    }),
    ApiUnprocessableEntityResponse({ description: 'The content as a whole is refused (e.g. DUE_DATE_NOT_AFTER_SUBMISSION)' }),
    ApiServiceUnavailableResponse({
      description: 'Temporal or the worker did not answer (COMMAND_TIMED_OUT: the step may still be recorded)',
    }),
  );
}

/** How many read-model rows a measures scan holds at once (the states themselves are kept: the measures need them all). */
const MEASURES_PAGE_SIZE = 500;

/**
 * Nonconformities and corrective action (10.2). Reads come from the nonconformity projection and the
 * evidence store; every step is a Workflow Update of `nonconformity-<id>` taken as the token's actor, and
 * answers once the step is in the evidence and in the read models.
 */
@ApiTags('nonconformities')
@Controller('v1/nonconformities')
export class NonconformitiesController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly evidence: EvidenceReader,
    private readonly nonconformities: NonconformityProcess,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Nonconformities, filtered by status, severity, AI system and whether an action is overdue now' })
  @ApiOkResponse({ type: NonconformityPageDto })
  @ApiBadRequestResponse({ description: 'A filter or the cursor is not valid (problem+json naming it)' })
  async list(@Query() query: NonconformityListQueryDto): Promise<NonconformityPageDto> {
    const now = new Date().toISOString();
    const where: ReadModelCondition[] = [];
    if (query.status) where.push({ column: 'status', op: 'eq', value: query.status });
    if (query.severity) where.push({ column: 'severity', op: 'eq', value: query.severity });
    if (query.system) where.push({ column: 'ai_system_ids', op: 'overlaps', values: [query.system] });
    if (query.overdue === true) where.push({ column: 'next_action_due_at', op: 'lte', value: now });
    if (query.overdue === false) {
      where.push({
        op: 'or',
        conditions: [
          { column: 'next_action_due_at', op: 'isNull' },
          { column: 'next_action_due_at', op: 'gt', value: now },
        ],
      });
    }
    const { checkpoint } = await this.readModels.status();
    const page = await this.readModels
      .query<NonconformityRow>(NONCONFORMITIES, {
        where,
        orderBy: 'raised_at',
        limit: query.limit ?? DEFAULT_PAGE_LIMIT,
        after: query.cursor,
      })
      .catch(readModelQueryAsBadRequest);
    return {
      items: page.items.map((nc) => withOverdue(nc, now)),
      nextCursor: page.nextCursor,
      checkpoint,
    };
  }

  @Post()
  @Roles(...NONCONFORMITY_COMMAND_ROLES.RaiseNonconformity)
  @ApiOperation({ summary: 'Raise a nonconformity: starts its corrective-action workflow; the raiser is the token holder' })
  @ApiCreatedResponse({ type: NonconformityRaisedDto, description: 'Raised and recorded; Location names it' })
  @ApiAcceptedResponse({ type: NonconformityRaisedDto, description: 'Its workflow started; no worker has recorded the raise yet' })
  @StepErrors()
  async raise(
    @Acting() by: Actor,
    @Body() body: RaiseNonconformityDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NonconformityRaisedDto> {
    const raised = await this.nonconformities.raise(by, body);
    response.status(raised.recorded ? 201 : 202).location(`/v1/nonconformities/${encodeURIComponent(raised.nonconformityId)}`);
    const { row, ...answer } = raised;
    return { ...answer, nonconformity: row === null ? null : withOverdue(row, new Date().toISOString()) };
  }

  // Declared before `:id`, which would otherwise take "measures" for an id.
  @Get('measures')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'Clause 9.1 measures: counts by status and severity, mean time to close, overdue actions, reopened corrections, recurrence per AI system, control and clause',
  })
  @ApiOkResponse({ type: NonconformityMeasuresDto })
  @ApiBadRequestResponse({ description: '`at` is not an ISO 8601 instant' })
  async measures(@Query() query: NonconformityMeasuresQueryDto): Promise<NonconformityMeasuresDto> {
    const at = query.at ?? new Date().toISOString();
    const { checkpoint } = await this.readModels.status();
    // The projection's fold states, streamed a page at a time from the read model (never the evidence).
    const states: Nonconformity[] = [];
    for await (const { state } of this.readModels.scan<NonconformityRow, NonconformityState>(NONCONFORMITIES, {
      pageSize: MEASURES_PAGE_SIZE,
    })) {
      if (state !== null) states.push(state);
    }
    return { ...measureNonconformities(states, at), checkpoint };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One nonconformity: its row, the whole record folded from its evidence, and its evidence history' })
  @ApiOkResponse({ type: NonconformityDetailDto })
  @ApiBadRequestResponse({ description: 'The id, asOf or paging is not valid' })
  @ApiNotFoundResponse({ description: 'No such nonconformity' })
  async get(@Param() params: NonconformityIdParamsDto, @Query() query: StreamHistoryQueryDto): Promise<NonconformityDetailDto> {
    const row = await this.readModels.get<NonconformityRow>(NONCONFORMITIES, params.id);
    if (!row) throw notFound('nonconformity', params.id);
    const stream = nonconformityStreamName(params.id);
    const history: StreamHistoryDto = await streamHistory(this.evidence, stream, query, 'nonconformity', params.id);
    const asOf = query.asOf === undefined ? undefined : (parseAsOf(query.asOf) ?? undefined);
    // Folded while streaming: memory is one state, whatever the stream's length.
    const folded = await this.store
      .aggregateStream<NonconformityState>(
        stream,
        { initial: null, evolve: (state, event) => evolve(state, { ...event.data, type: event.type } as unknown as NonconformityEvent) },
        { asOf },
      )
      .catch(asBadRequest);
    return { ...withOverdue(row, new Date().toISOString()), record: folded.state as unknown as Record<string, unknown> | null, history };
  }

  @Post(':id/containment')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.RecordContainment)
  @ApiOperation({ summary: 'Record containment: what was done at once (or why nothing was needed)' })
  @ApiOkResponse({ type: NonconformityStepDto })
  @StepErrors()
  containment(
    @Acting() by: Actor,
    @Param() p: NonconformityIdParamsDto,
    @Body() body: RecordContainmentDto,
  ): Promise<NonconformityStepDto> {
    return this.nonconformities.send(p.id, recordContainmentUpdate, body.toInput(by)).then(stepDto);
  }

  @Post(':id/root-cause-analysis')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.SubmitRootCauseAnalysis)
  @ApiOperation({ summary: "Submit (or revise, until a plan is submitted) the current round's root-cause analysis" })
  @ApiOkResponse({ type: NonconformityStepDto })
  @StepErrors()
  rootCauseAnalysis(
    @Acting() by: Actor,
    @Param() p: NonconformityIdParamsDto,
    @Body() body: SubmitRootCauseAnalysisDto,
  ): Promise<NonconformityStepDto> {
    return this.nonconformities.send(p.id, submitRootCauseAnalysisUpdate, body.toInput(by)).then(stepDto);
  }

  @Post(':id/corrective-action-plans')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.SubmitCorrectiveActionPlan)
  @ApiOperation({ summary: 'Submit a corrective action plan (actions with owner and due date); someone else decides on it' })
  @ApiOkResponse({ type: NonconformityStepDto })
  @StepErrors()
  plan(
    @Acting() by: Actor,
    @Param() p: NonconformityIdParamsDto,
    @Body() body: SubmitCorrectiveActionPlanDto,
  ): Promise<NonconformityStepDto> {
    const plan = body.toInput(by);
    return this.nonconformities.send(p.id, submitCorrectiveActionPlanUpdate, plan, { fieldOf: planDueDateField(plan) }).then(stepDto);
  }

  @Post(':id/corrective-action-plans/:planId/decision')
  @HttpCode(200)
  @Roles(...PLAN_DECIDERS)
  @ApiOperation({
    summary: 'Approve or reject the plan awaiting its decision (never by its author); the same as deciding its task in /v1/tasks',
  })
  @ApiOkResponse({ type: NonconformityStepDto })
  @StepErrors()
  decidePlan(
    @Acting() by: Actor,
    @Param() p: PlanDecisionParamsDto,
    @Body() body: DecideCorrectiveActionPlanDto,
  ): Promise<NonconformityStepDto> {
    return this.nonconformities.decidePlan(p.id, p.planId, body, by).then(stepDto);
  }

  @Post(':id/actions/:actionId/completion')
  @HttpCode(200)
  @Roles(...CORRECTIVE_ACTION_ROLES)
  @ApiOperation({
    summary: 'Complete a corrective action: by its owner (or, once escalated, an AIMS owner), with the evidence it was done',
  })
  @ApiOkResponse({ type: NonconformityStepDto })
  @StepErrors()
  completeAction(
    @Acting() by: Actor,
    @Param() p: ActionCompletionParamsDto,
    @Body() body: CompleteCorrectiveActionDto,
  ): Promise<NonconformityStepDto> {
    return this.nonconformities.send(p.id, completeCorrectiveActionUpdate, body.toInput(by, p.actionId)).then(stepDto);
  }

  @Post(':id/effectiveness-review')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.RecordEffectivenessReview)
  @ApiOperation({
    summary: 'Record the effectiveness review once due: effective closes it, ineffective reopens it (not by the plan author)',
  })
  @ApiOkResponse({ type: NonconformityStepDto })
  @StepErrors()
  effectivenessReview(
    @Acting() by: Actor,
    @Param() p: NonconformityIdParamsDto,
    @Body() body: RecordEffectivenessReviewDto,
  ): Promise<NonconformityStepDto> {
    return this.nonconformities.send(p.id, recordEffectivenessReviewUpdate, body.toInput(by)).then(stepDto);
  }
}

function withOverdue(row: NonconformityRow, now: string): NonconformityDto {
  return { ...row, overdue: row.nextActionDueAt !== null && row.nextActionDueAt <= now };
}
