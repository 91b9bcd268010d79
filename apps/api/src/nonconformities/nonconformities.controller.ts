import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { NONCONFORMITIES, type NonconformityRow } from '../../../../infra/projections/read-models';
import {
  approveCorrectiveActionPlanUpdate,
  completeCorrectiveActionUpdate,
  recordContainmentUpdate,
  recordEffectivenessReviewUpdate,
  rejectCorrectiveActionPlanUpdate,
  submitCorrectiveActionPlanUpdate,
  submitRootCauseAnalysisUpdate,
} from '../../../../workflows/nonconformity.workflow';
import { StreamHistoryDto, StreamHistoryQueryDto } from '../audit/audit.dto';
import { streamHistory } from '../audit/audit.controller';
import { asBadRequest, EvidenceReader } from '../audit/evidence-reader';
import { domainActor, type ApiActor } from '../auth/api-actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { parseAsOf } from '../common/ids';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { invalidField, notFound } from '../common/problems';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import {
  ActionCompletionParamsDto,
  CompleteCorrectiveActionDto,
  DecideCorrectiveActionPlanDto,
  NonconformityIdParamsDto,
  NonconformityMeasuresQueryDto,
  PlanDecisionParamsDto,
  RaiseNonconformityDto,
  RecordContainmentDto,
  RecordEffectivenessReviewDto,
  SubmitCorrectiveActionPlanDto,
  SubmitRootCauseAnalysisDto,
} from './nonconformity-commands.dto';
import { NonconformityWorkflows, type StepOutcome } from './nonconformity-workflows.service';
import {
  NonconformityDetailDto,
  NonconformityDto,
  NonconformityListQueryDto,
  NonconformityMeasuresDto,
  NonconformityPageDto,
  NonconformityRaisedDto,
  NonconformityStepDto,
} from './nonconformities.dto';

const PLAN_DECIDERS = [...new Set([...NONCONFORMITY_COMMAND_ROLES.ApproveCorrectiveActionPlan, ...NONCONFORMITY_COMMAND_ROLES.RejectCorrectiveActionPlan])];

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
    private readonly workflows: NonconformityWorkflows,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Nonconformities, filtered by status, severity, AI system and whether an action is overdue now' })
  @ApiOkResponse({ type: NonconformityPageDto })
  async list(@Query() query: NonconformityListQueryDto): Promise<NonconformityPageDto> {
    const now = new Date().toISOString();
    const where: ReadModelCondition[] = [];
    if (query.status) where.push({ column: 'status', op: 'eq', value: query.status });
    if (query.severity) where.push({ column: 'severity', op: 'eq', value: query.severity });
    if (query.system) where.push({ column: 'ai_system_ids', op: 'overlaps', values: [query.system] });
    if (query.overdue === true) where.push({ column: 'next_action_due_at', op: 'lte', value: now });
    if (query.overdue === false) {
      where.push({ op: 'or', conditions: [{ column: 'next_action_due_at', op: 'isNull' }, { column: 'next_action_due_at', op: 'gt', value: now }] });
    }
    const { checkpoint } = await this.readModels.status();
    const page = await this.readModels
      .query<NonconformityRow>(NONCONFORMITIES, { where, orderBy: 'raised_at', limit: query.limit ?? DEFAULT_PAGE_LIMIT, after: query.cursor })
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
  async raise(@CurrentActor() actor: ApiActor, @Body() body: RaiseNonconformityDto, @Res({ passthrough: true }) response: Response): Promise<NonconformityRaisedDto> {
    const outcome = await this.workflows.raise(actor, body);
    response.status(outcome.recorded ? 201 : 202).location(`/v1/nonconformities/${encodeURIComponent(outcome.nonconformityId)}`);
    return {
      nonconformityId: outcome.nonconformityId,
      recorded: outcome.recorded,
      nonconformity: outcome.row === null ? null : withOverdue(outcome.row, new Date().toISOString()),
    };
  }

  // Declared before `:id`, which would otherwise take "measures" for an id.
  @Get('measures')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Clause 9.1 measures: counts by status and severity, mean time to close, overdue actions, reopened corrections, recurrence per AI system, control and clause',
  })
  @ApiOkResponse({ type: NonconformityMeasuresDto })
  async measures(@Query() query: NonconformityMeasuresQueryDto): Promise<NonconformityMeasuresDto> {
    const at = query.at ?? new Date().toISOString();
    const { checkpoint } = await this.readModels.status();
    // The projection's fold states, streamed a page at a time from the read model (never the evidence).
    const states: Nonconformity[] = [];
    for await (const { state } of this.readModels.scan<NonconformityRow, NonconformityState>(NONCONFORMITIES, { pageSize: MEASURES_PAGE_SIZE })) {
      if (state !== null) states.push(state);
    }
    return { ...measureNonconformities(states, at), checkpoint };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One nonconformity: its row, the whole record folded from its evidence, and its evidence history' })
  @ApiOkResponse({ type: NonconformityDetailDto })
  async get(@Param() params: NonconformityIdParamsDto, @Query() query: StreamHistoryQueryDto): Promise<NonconformityDetailDto> {
    const row = await this.readModels.get<NonconformityRow>(NONCONFORMITIES, params.id);
    if (!row) throw notFound('nonconformity', params.id);
    const stream = nonconformityStreamName(params.id);
    const history: StreamHistoryDto = await streamHistory(this.evidence, stream, query, 'nonconformity', params.id);
    const asOf = query.asOf === undefined ? undefined : (parseAsOf(query.asOf) ?? undefined);
    // Folded while streaming: memory is one state, whatever the stream's length.
    const folded = await this.store
      .aggregateStream<NonconformityState>(stream, { initial: null, evolve: (state, event) => evolve(state, { ...event.data, type: event.type } as unknown as NonconformityEvent) }, { asOf })
      .catch(asBadRequest);
    return { ...withOverdue(row, new Date().toISOString()), record: folded.state as unknown as Record<string, unknown> | null, history };
  }

  @Post(':id/containment')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.RecordContainment)
  @ApiOperation({ summary: 'Record containment: what was done at once (or why nothing was needed)' })
  @ApiOkResponse({ type: NonconformityStepDto })
  async containment(@CurrentActor() actor: ApiActor, @Param() params: NonconformityIdParamsDto, @Body() body: RecordContainmentDto): Promise<NonconformityStepDto> {
    return stepDto(
      await this.workflows.step(params.id, recordContainmentUpdate, {
        by: domainActor(actor),
        actions: body.actions,
        justification: body.justification ?? null,
        evidenceRefs: body.evidenceRefs ?? [],
      }),
    );
  }

  @Post(':id/root-cause-analysis')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.SubmitRootCauseAnalysis)
  @ApiOperation({ summary: "Submit (or revise, until a plan is submitted) the current round's root-cause analysis" })
  @ApiOkResponse({ type: NonconformityStepDto })
  async rootCauseAnalysis(@CurrentActor() actor: ApiActor, @Param() params: NonconformityIdParamsDto, @Body() body: SubmitRootCauseAnalysisDto): Promise<NonconformityStepDto> {
    return stepDto(
      await this.workflows.step(params.id, submitRootCauseAnalysisUpdate, {
        by: domainActor(actor),
        method: body.method,
        methodDescription: body.methodDescription ?? null,
        causes: body.causes,
        contributingFactors: body.contributingFactors ?? [],
        similarNonconformityIds: body.similarNonconformityIds ?? [],
        evidenceRefs: body.evidenceRefs ?? [],
      }),
    );
  }

  @Post(':id/corrective-action-plans')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.SubmitCorrectiveActionPlan)
  @ApiOperation({ summary: 'Submit a corrective action plan (actions with owner and due date); someone else decides on it' })
  @ApiOkResponse({ type: NonconformityStepDto })
  async plan(@CurrentActor() actor: ApiActor, @Param() params: NonconformityIdParamsDto, @Body() body: SubmitCorrectiveActionPlanDto): Promise<NonconformityStepDto> {
    const planId = body.planId ?? `plan-${randomSuffix()}`;
    const actions = body.actions.map((a, i) => ({ actionId: a.actionId ?? `${planId}-a${i + 1}`, description: a.description, owner: a.owner, dueDate: a.dueDate }));
    return stepDto(
      await this.workflows.step(params.id, submitCorrectiveActionPlanUpdate, { by: domainActor(actor), planId, actions }, { actionIds: actions.map((a) => a.actionId) }),
    );
  }

  @Post(':id/corrective-action-plans/:planId/decision')
  @HttpCode(200)
  @Roles(...PLAN_DECIDERS)
  @ApiOperation({ summary: 'Approve or reject the plan awaiting its decision (never by its author)' })
  @ApiOkResponse({ type: NonconformityStepDto })
  async decidePlan(@CurrentActor() actor: ApiActor, @Param() params: PlanDecisionParamsDto, @Body() body: DecideCorrectiveActionPlanDto): Promise<NonconformityStepDto> {
    const by = domainActor(actor);
    if (body.outcome === 'approve') {
      if (body.reasons !== undefined) throw invalidField('reasons', 'reasons go with a rejection; an approval takes a comment');
      return stepDto(await this.workflows.step(params.id, approveCorrectiveActionPlanUpdate, { by, planId: params.planId, comment: body.comment ?? null }));
    }
    if (body.reasons === undefined) throw invalidField('reasons', 'reasons are required to reject a plan');
    if (body.comment !== undefined && body.comment !== null) throw invalidField('comment', 'a rejection gives its reasons, not a comment');
    return stepDto(await this.workflows.step(params.id, rejectCorrectiveActionPlanUpdate, { by, planId: params.planId, reasons: body.reasons }));
  }

  @Post(':id/actions/:actionId/completion')
  @HttpCode(200)
  @Roles(...CORRECTIVE_ACTION_ROLES)
  @ApiOperation({ summary: "Complete a corrective action: by its owner (or, once escalated, an AIMS owner), with the evidence it was done" })
  @ApiOkResponse({ type: NonconformityStepDto })
  async completeAction(@CurrentActor() actor: ApiActor, @Param() params: ActionCompletionParamsDto, @Body() body: CompleteCorrectiveActionDto): Promise<NonconformityStepDto> {
    return stepDto(
      await this.workflows.step(params.id, completeCorrectiveActionUpdate, {
        by: domainActor(actor),
        actionId: params.actionId,
        evidenceRefs: body.evidenceRefs,
        note: body.note ?? null,
      }),
    );
  }

  @Post(':id/effectiveness-review')
  @HttpCode(200)
  @Roles(...NONCONFORMITY_COMMAND_ROLES.RecordEffectivenessReview)
  @ApiOperation({ summary: 'Record the effectiveness review once due: effective closes it, ineffective reopens it (not by the plan author)' })
  @ApiOkResponse({ type: NonconformityStepDto })
  async effectivenessReview(@CurrentActor() actor: ApiActor, @Param() params: NonconformityIdParamsDto, @Body() body: RecordEffectivenessReviewDto): Promise<NonconformityStepDto> {
    return stepDto(
      await this.workflows.step(params.id, recordEffectivenessReviewUpdate, {
        by: domainActor(actor),
        outcome: body.outcome,
        findings: body.findings,
        evidenceRefs: body.evidenceRefs ?? [],
      }),
    );
  }
}

function withOverdue(row: NonconformityRow, now: string): NonconformityDto {
  return { ...row, overdue: row.nextActionDueAt !== null && row.nextActionDueAt <= now };
}

function stepDto(outcome: StepOutcome): NonconformityStepDto {
  return {
    nonconformityId: outcome.nonconformityId,
    recorded: outcome.recorded,
    nonconformity: outcome.nonconformity as unknown as Record<string, unknown>,
    position: outcome.position,
    projected: outcome.projected,
  };
}

function randomSuffix(): string {
  return randomUUID().slice(0, 8);
}
