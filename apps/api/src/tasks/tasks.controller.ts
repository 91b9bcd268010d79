import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { HUMAN_TASKS, type HumanTaskRow } from '../../../../infra/projections/read-models';
import type { ApiActor } from '../auth/api-actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { READ_MODEL_STORE } from '../stores/store.tokens';
import { TASK_PROCESSES } from './task-kinds';
import { TaskKindListDto, TaskListQueryDto, TaskPageDto } from './tasks.dto';
import { sameIdentity } from '../../../../domain/shared/actor-identity';

/**
 * Human tasks (5.3): one inbox of the decisions and work waiting for a person, whichever process asks for
 * them (a lifecycle's approvals, a nonconformity's corrective action); served from the human-task projection.
 */
@ApiTags('tasks')
@Controller('v1/tasks')
export class TasksController {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  @Get('kinds')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Every task kind the inbox decides: the outcomes and body fields POST /v1/tasks/{taskId}/decision takes for it',
  })
  @ApiOkResponse({ type: TaskKindListDto })
  kinds(): TaskKindListDto {
    return {
      items: TASK_PROCESSES.flatMap((p) => p.routes).map((r) => ({
        kinds: [...r.kinds],
        outcomes: [...r.outcomes],
        fields: [...r.fields],
        summary: r.summary,
      })),
    };
  }

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'My open tasks, from every process: those one of my roles may take, and those assigned to me; soonest due first',
  })
  @ApiOkResponse({ type: TaskPageDto })
  @ApiBadRequestResponse({ description: 'A filter or the cursor is not valid (problem+json naming it)' })
  async mine(@CurrentActor() actor: ApiActor, @Query() query: TaskListQueryDto): Promise<TaskPageDto> {
    const where: ReadModelCondition[] = [
      { column: 'status', op: 'eq', value: 'open' },
      {
        op: 'or',
        conditions: [
          { column: 'eligible_roles', op: 'overlaps', values: actor.roles },
          { column: 'assignee', op: 'eq', value: actor.id },
        ],
      },
    ];
    if (query.kind) where.push({ column: 'kind', op: 'eq', value: query.kind });
    if (query.aiSystemId) where.push({ column: 'ai_system_ids', op: 'overlaps', values: [query.aiSystemId] });
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
}
