/**
 * Deciding a human task (5.3, A.3.2): approve, reject or request changes, with a comment, reasons and
 * references to what the decision relied on. The task is found in the human-task read model (by its
 * `task_id`), which names the stream — and so the workflow — that owns it; the decision is sent there as
 * the `decideTask` Update, where the domain checks the decider's role and segregation of duties (403).
 */
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import { AIMS_ROLES, READ_ONLY_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { HUMAN_TASKS, type HumanTaskRow } from '../../../../infra/projections/read-models';
import { decideTaskUpdate } from '../../../../workflows/ai-system-lifecycle.messages';
import { LifecycleProcess } from '../ai-systems/lifecycle.process';
import { problem } from '../common/problems';
import { domainActor, type ApiActor } from '../auth/api-actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { READ_MODEL_STORE } from '../stores/store.tokens';
import { DECISION_OUTCOMES, TaskDecidedDto, TaskDecisionInputDto, TaskIdParamsDto, type DecisionOutcome } from './task-decisions.dto';

/**
 * Roles a lifecycle policy may give a task to: every role but the read-only ones and `admin` (the policy
 * refuses those, domain/ai-system/policy.ts). Which of them decides a given task is the task's own
 * business, checked by the domain.
 */
export const TASK_DECIDER_ROLES: readonly AimsRole[] = AIMS_ROLES.filter((r) => !READ_ONLY_ROLES.includes(r) && r !== 'admin');

const OUTCOMES: Record<DecisionOutcome, HumanTaskOutcome> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
};

@ApiTags('tasks')
@Controller('v1/tasks')
export class TaskDecisionsController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly lifecycle: LifecycleProcess,
  ) {}

  @Post(':taskId/decision')
  @HttpCode(200)
  @Roles(...TASK_DECIDER_ROLES)
  @ApiOperation({
    summary: 'Decide a task: approve, reject or request changes',
    description: `outcome is one of ${DECISION_OUTCOMES.join(', ')}; reject and request_changes need reasons. The task's own roles decide (403 otherwise), never whoever asked for the decision (403 SEGREGATION_OF_DUTIES).`,
  })
  @ApiOkResponse({ type: TaskDecidedDto })
  @ApiBadRequestResponse({ description: 'Malformed body or task id (problem+json naming each field); nothing is recorded' })
  @ApiNotFoundResponse({ description: 'No such task' })
  @ApiConflictResponse({ description: 'The task is closed or superseded, or the outcome does not fit its kind' })
  @ApiUnprocessableEntityResponse({ description: 'Reasons missing for a rejection, or another refusal of the content' })
  @ApiServiceUnavailableResponse({ description: 'Temporal or the lifecycle worker did not answer' })
  async decide(@CurrentActor() actor: ApiActor, @Param() params: TaskIdParamsDto, @Body() body: TaskDecisionInputDto): Promise<TaskDecidedDto> {
    const task = await this.findTask(params.taskId);
    if (task.aiSystemId === null) {
      throw problem(409, 'TASK_NOT_DECIDABLE_HERE', `Task ${task.taskId} belongs to ${task.stream}, whose decisions are not taken through this endpoint.`, {
        details: { stream: task.stream },
      });
    }
    const decided = await this.lifecycle.send(
      task.aiSystemId,
      decideTaskUpdate,
      {
        by: domainActor(actor),
        taskId: task.taskId,
        outcome: OUTCOMES[body.outcome],
        ...(body.reasons === undefined ? {} : { reasons: [...body.reasons] }),
        ...(body.comment === undefined ? {} : { comment: body.comment }),
        ...(body.evidenceRefs === undefined ? {} : { evidenceRefs: [...body.evidenceRefs] }),
      },
      ['HUMAN_TASK_UNKNOWN'],
    );
    return { ...decided, aiSystemId: task.aiSystemId };
  }

  private async findTask(taskId: string): Promise<HumanTaskRow> {
    const page = await this.readModels.query<HumanTaskRow>(HUMAN_TASKS, { where: [{ column: 'task_id', op: 'eq', value: taskId }], limit: 2 });
    const [task, other] = page.items;
    if (task === undefined) throw problem(404, 'HUMAN_TASK_UNKNOWN', `There is no task ${taskId}.`, { details: { taskId } });
    // Lifecycle task ids embed the system id, so two streams never share one; refuse to guess if they do.
    if (other !== undefined) {
      throw problem(409, 'HUMAN_TASK_AMBIGUOUS', `Task id ${taskId} names tasks in ${task.stream} and ${other.stream}.`, { details: { streams: [task.stream, other.stream] } });
    }
    return task;
  }
}
