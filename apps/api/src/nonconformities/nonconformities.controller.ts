import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { NONCONFORMITIES, type NonconformityRow } from '../../../../infra/projections/read-models';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { READ_MODEL_STORE } from '../stores/store.tokens';
import { NonconformityListQueryDto, NonconformityPageDto } from './nonconformities.dto';

/** Nonconformities and corrective action (10.2), from the nonconformity projection, oldest first. */
@ApiTags('nonconformities')
@Controller('v1/nonconformities')
export class NonconformitiesController {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

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
      items: page.items.map((nc) => ({ ...nc, overdue: nc.nextActionDueAt !== null && nc.nextActionDueAt <= now })),
      nextCursor: page.nextCursor,
      checkpoint,
    };
  }
}
