import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { aiSystemStreamName } from '../../../../domain/ai-system/identity';
import { AI_SYSTEM_INVENTORY, HUMAN_TASKS, type AiSystemInventoryRow, type HumanTaskRow } from '../../../../infra/projections/read-models';
import { sameIdentity } from '../../../../domain/shared/actor-identity';
import type { ApiActor } from '../auth/api-actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { TaskPageDto } from '../tasks/tasks.dto';
import { StreamHistoryDto, StreamHistoryQueryDto } from '../audit/audit.dto';
import { streamHistory } from '../audit/audit.controller';
import { EvidenceReader } from '../audit/evidence-reader';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination';
import { notFound } from '../common/problems';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import { AiSystemResourcesDto } from './dto/resources.dto';
import { AiSystemDto, AiSystemIdParamsDto, AiSystemListQueryDto, AiSystemPageDto } from './ai-systems.dto';

/** Paging through a system's open tasks. */
class AiSystemTaskListQueryDto extends PageQueryDto {}

/** The AI-system inventory (A.4.2) and each system's evidence; lists come from the inventory projection. */
@ApiTags('ai-systems')
@Controller('v1/ai-systems')
export class AiSystemsController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly evidence: EvidenceReader,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'The inventory, filtered by stage, risk tier, owner and provider, ordered by id' })
  @ApiOkResponse({ type: AiSystemPageDto })
  async list(@Query() query: AiSystemListQueryDto): Promise<AiSystemPageDto> {
    const where: ReadModelCondition[] = [];
    if (query.stage) where.push({ column: 'stage', op: 'eq', value: query.stage });
    if (query.riskTier) where.push({ column: 'risk_tier', op: 'eq', value: query.riskTier });
    if (query.owner) where.push({ column: 'owner', op: 'eq', value: query.owner });
    if (query.provider) where.push({ column: 'provider_kind', op: 'eq', value: query.provider });
    const { checkpoint } = await this.readModels.status();
    const page = await this.readModels
      .query<AiSystemInventoryRow>(AI_SYSTEM_INVENTORY, { where, limit: query.limit ?? DEFAULT_PAGE_LIMIT, after: query.cursor })
      .catch(readModelQueryAsBadRequest);
    return { ...page, checkpoint };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One AI system as the inventory knows it' })
  @ApiOkResponse({ type: AiSystemDto })
  async get(@Param() params: AiSystemIdParamsDto): Promise<AiSystemDto> {
    const row = await this.readModels.get<AiSystemInventoryRow>(AI_SYSTEM_INVENTORY, params.id);
    if (!row) throw notFound('AI system', params.id);
    return row;
  }

  @Get(':id/resources')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'The tooling, compute and human resources the system depends on now, with owners (7.1, A.4.2, A.4.4–A.4.6), from its evidence',
  })
  @ApiOkResponse({ type: AiSystemResourcesDto })
  @ApiNotFoundResponse({ description: 'No such AI system (problem+json)' })
  async resources(@Param() params: AiSystemIdParamsDto): Promise<AiSystemResourcesDto> {
    const answer: AiSystemResourcesDto = {
      systemId: params.id,
      resources: [],
      reason: null,
      recordedBy: null,
      recordedAt: null,
      evidenceId: null,
    };
    let registered = false;
    // Streamed: only the latest list is kept, however long the system's history.
    for await (const e of this.events.readStream(aiSystemStreamName(params.id))) {
      registered = true;
      if (e.type !== 'ResourcesRecorded') continue;
      const d = e.data as unknown as {
        resources: AiSystemResourcesDto['resources'];
        reason: string;
        by: Record<string, unknown>;
        at: string;
      };
      Object.assign(answer, { resources: d.resources, reason: d.reason, recordedBy: d.by, recordedAt: d.at, evidenceId: e.id });
    }
    if (!registered) throw notFound('AI system', params.id);
    return answer;
  }

  @Get(':id/tasks')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      "The system's open tasks, whoever may take them, soonest due first (eligibleRoles says who may; GET /v1/tasks is your own inbox)",
  })
  @ApiOkResponse({ type: TaskPageDto })
  async openTasks(
    @CurrentActor() actor: ApiActor,
    @Param() params: AiSystemIdParamsDto,
    @Query() query: AiSystemTaskListQueryDto,
  ): Promise<TaskPageDto> {
    const where: ReadModelCondition[] = [
      { column: 'status', op: 'eq', value: 'open' },
      { column: 'ai_system_ids', op: 'overlaps', values: [params.id] },
    ];
    const { checkpoint } = await this.readModels.status();
    const page = await this.readModels
      .query<HumanTaskRow>(HUMAN_TASKS, { where, orderBy: 'due_at', limit: query.limit ?? DEFAULT_PAGE_LIMIT, after: query.cursor })
      .catch(readModelQueryAsBadRequest);
    return {
      items: page.items.map((task) => ({ ...task, requestedByYou: task.requestedBy !== null && sameIdentity(task.requestedBy, actor.id) })),
      nextCursor: page.nextCursor,
      checkpoint,
    };
  }

  @Get(':id/evidence')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: "The system's evidence history (its stream), optionally as of a position or time" })
  @ApiOkResponse({ type: StreamHistoryDto })
  async evidenceHistory(@Param() params: AiSystemIdParamsDto, @Query() query: StreamHistoryQueryDto): Promise<StreamHistoryDto> {
    return streamHistory(this.evidence, aiSystemStreamName(params.id), query, 'evidence for AI system', params.id);
  }
}
