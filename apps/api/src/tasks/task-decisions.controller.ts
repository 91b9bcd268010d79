/**
 * Deciding a task from the one inbox (5.3, A.3.2): whichever process owns it, the task's kind says what
 * the decision body takes and which of the process's commands it becomes (task-kinds.ts). The owning
 * process checks the decider's role, segregation of duties and independence (403), and its other rules.
 */
import { SoaTaskDecidedDto } from '../soa/soa.dto';
import { ScopeTaskDecidedDto } from '../scope/scope.dto';
import { ContextTaskDecidedDto } from '../context/context.dto';
import { ObjectiveTaskDecidedDto } from '../objectives/objectives.dto';
import { ManagementReviewTaskDecidedDto } from '../management-reviews/management-reviews.dto';
import { InternalAuditTaskDecidedDto } from '../internal-audits/internal-audits.dto';
import { RiskCriteriaTaskDecidedDto } from '../risk-criteria/risk-criteria.dto';
import { RiskTaskDecidedDto } from '../risks/risks.dto';
import { DocumentTaskDecidedDto } from '../documents/documents.dto';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { AIMS_ROLES, READ_ONLY_ROLES, type Actor, type AimsRole } from '../../../../domain/shared/roles';
import { Acting } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ConcernsAiSystem } from '../auth/request-subject.decorator';
import {
  LifecycleTaskDecidedDto,
  NonconformityTaskDecidedDto,
  PolicyTaskDecidedDto,
  TaskDecisionInputDto,
  TaskIdParamsDto,
  type TaskDecided,
} from './task-decisions.dto';
import { TaskInbox } from './task-inbox';
import { describeTaskKinds } from './task-kinds';

/**
 * Roles that may take some task: every role but the read-only ones and `admin` (no process gives them a
 * task). Which of them decides a given task is the owning process's business.
 */
export const TASK_DECIDER_ROLES: readonly AimsRole[] = AIMS_ROLES.filter((r) => !READ_ONLY_ROLES.includes(r) && r !== 'admin');

@ApiTags('tasks')
@Controller('v1/tasks')
@ApiExtraModels(
  LifecycleTaskDecidedDto,
  NonconformityTaskDecidedDto,
  PolicyTaskDecidedDto,
  SoaTaskDecidedDto,
  RiskCriteriaTaskDecidedDto,
  RiskTaskDecidedDto,
  DocumentTaskDecidedDto,
  ScopeTaskDecidedDto,
  ContextTaskDecidedDto,
  ObjectiveTaskDecidedDto,
  ManagementReviewTaskDecidedDto,
  InternalAuditTaskDecidedDto,
)
export class TaskDecisionsController {
  constructor(private readonly inbox: TaskInbox) {}

  @Post(':taskId/decision')
  @HttpCode(200)
  @Roles(...TASK_DECIDER_ROLES)
  // An approver appointed for other AI systems only is not one for the systems this task concerns.
  @ConcernsAiSystem({ task: 'taskId' })
  @ApiOperation({
    summary: 'Decide a task, or do the work it asks for, whichever process owns it',
    description:
      "The task's kind (GET /v1/tasks) says which outcomes and fields the body takes; any other field is refused (400 naming it). " +
      'The process that owns the task decides who may take it: its roles, or its assignee (403 MISSING_ROLE, NOT_ACTION_OWNER), never whoever asked for the decision (403 SEGREGATION_OF_DUTIES, REVIEWER_NOT_INDEPENDENT).\n\n' +
      describeTaskKinds(),
  })
  @ApiOkResponse({
    description: "The owning process's answer, with the task it decided",
    schema: {
      oneOf: [
        { $ref: getSchemaPath(LifecycleTaskDecidedDto) },
        { $ref: getSchemaPath(NonconformityTaskDecidedDto) },
        { $ref: getSchemaPath(PolicyTaskDecidedDto) },
        { $ref: getSchemaPath(SoaTaskDecidedDto) },
        { $ref: getSchemaPath(RiskCriteriaTaskDecidedDto) },
        { $ref: getSchemaPath(RiskTaskDecidedDto) },
        { $ref: getSchemaPath(DocumentTaskDecidedDto) },
        { $ref: getSchemaPath(ScopeTaskDecidedDto) },
        { $ref: getSchemaPath(ContextTaskDecidedDto) },
        { $ref: getSchemaPath(ObjectiveTaskDecidedDto) },
        { $ref: getSchemaPath(ManagementReviewTaskDecidedDto) },
        { $ref: getSchemaPath(InternalAuditTaskDecidedDto) },
      ],
    },
  })
  @ApiBadRequestResponse({
    description:
      'Malformed body or task id, an outcome or field the task kind does not take (problem+json naming each field); nothing is recorded',
  })
  @ApiNotFoundResponse({ description: 'No such task (HUMAN_TASK_UNKNOWN)' })
  @ApiConflictResponse({
    description: "The task is closed or superseded, or the process's state does not allow it now (the process's code)",
  })
  @ApiUnprocessableEntityResponse({ description: 'Reasons missing for a rejection, or another refusal of the content as a whole' })
  @ApiServiceUnavailableResponse({
    description: 'Temporal or the worker did not answer (COMMAND_TIMED_OUT: the decision may still be recorded)',
  })
  decide(@Acting() by: Actor, @Param() p: TaskIdParamsDto, @Body() body: TaskDecisionInputDto): Promise<TaskDecided> {
    return this.inbox.decide(p.taskId, body, by);
  }
}
