/**
 * AI objectives (6.2, A.6.1.2, A.9.3) over HTTP: set one (it starts objective-<id>, measured on its
 * interval), revise or withdraw it, enter a manual measurement; list and read them. Who may do each is the
 * domain's (domain/objective); the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OBJECTIVE_SETTER_ROLES } from '../../../../domain/objective/model';
import type { Actor, AimsRole } from '../../../../domain/shared/roles';
import { recordManualMeasurementUpdate, reviseObjectiveUpdate, withdrawObjectiveUpdate } from '../../../../workflows/objective.messages';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { plainJson } from '../common/dto-decorators';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import {
  ManualMeasurementDto,
  ObjectiveAnswerDto,
  ObjectiveDefinitionDto,
  ObjectiveDto,
  ObjectiveIdParamsDto,
  ObjectiveListDto,
  ObjectiveListQueryDto,
  ObjectiveSetDto,
  SetObjectiveDto,
  WithdrawObjectiveDto,
} from './objectives.dto';
import { ObjectiveProcess } from './objective.process';

/** An objective's owner may be anyone who acts in the AIMS; the domain checks it is the owner (or the AIMS owner). */
const MEASURERS: AimsRole[] = ['aims_owner', 'top_management', 'risk_owner', 'approver', 'validator', 'engineer'];

@ApiTags('objectives')
@Controller('v1/objectives')
export class ObjectivesController {
  constructor(private readonly objectives: ObjectiveProcess) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'AI objectives with their latest measurements, filtered by status, owner, measure or on/off target, as of a date or position; paged',
  })
  @ApiOkResponse({ type: ObjectiveListDto })
  list(@Query() q: ObjectiveListQueryDto): Promise<ObjectiveListDto> {
    const { limit, cursor, ...filters } = q;
    return this.objectives.list(filters, { limit: limit ?? DEFAULT_PAGE_LIMIT, cursor });
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One AI objective as its evidence records it' })
  @ApiOkResponse({ type: ObjectiveDto })
  @ApiNotFoundResponse({ description: 'No such objective (problem+json OBJECTIVE_NOT_SET)' })
  show(@Param() p: ObjectiveIdParamsDto): Promise<object> {
    return this.objectives.show(p.id);
  }

  @Post()
  @Roles(...OBJECTIVE_SETTER_ROLES)
  @ApiOperation({
    summary: 'Set an AI objective (top management or the AIMS owner); starts objective-<id>, measured at once and then on its interval',
  })
  @ApiCreatedResponse({ type: ObjectiveSetDto })
  @CommandErrors()
  set(@Acting() by: Actor, @Body() body: SetObjectiveDto): Promise<ObjectiveSetDto> {
    return this.objectives.set(by, body.objectiveId, body.toDefinition());
  }

  @Post(':id/revision')
  @Roles(...OBJECTIVE_SETTER_ROLES)
  @ApiOperation({ summary: 'Revise an objective: its whole definition again (recorded as AiObjectiveSet, the next revision)' })
  @ApiCreatedResponse({ type: ObjectiveAnswerDto })
  @CommandErrors()
  revise(@Acting() by: Actor, @Param() p: ObjectiveIdParamsDto, @Body() body: ObjectiveDefinitionDto): Promise<ObjectiveAnswerDto> {
    return this.objectives.send(p.id, reviseObjectiveUpdate, { by, ...body.toDefinition() });
  }

  @Post(':id/withdrawal')
  @Roles(...OBJECTIVE_SETTER_ROLES)
  @ApiOperation({ summary: 'Withdraw an objective, with the reason; it is no longer measured' })
  @ApiCreatedResponse({ type: ObjectiveAnswerDto })
  @CommandErrors()
  withdraw(@Acting() by: Actor, @Param() p: ObjectiveIdParamsDto, @Body() body: WithdrawObjectiveDto): Promise<ObjectiveAnswerDto> {
    return this.objectives.send(p.id, withdrawObjectiveUpdate, { by, reason: plainJson(body).reason });
  }

  @Post(':id/measurements')
  @Roles(...MEASURERS)
  @ApiOperation({ summary: "Enter a manual measure's value (its owner or the AIMS owner); answers the open measurement task" })
  @ApiCreatedResponse({ type: ObjectiveAnswerDto })
  @CommandErrors()
  measure(@Acting() by: Actor, @Param() p: ObjectiveIdParamsDto, @Body() body: ManualMeasurementDto): Promise<ObjectiveAnswerDto> {
    const b = plainJson(body);
    return this.objectives.send(p.id, recordManualMeasurementUpdate, {
      by,
      value: b.value,
      note: b.note ?? null,
      evidenceRefs: b.evidenceRefs ?? [],
    });
  }
}
