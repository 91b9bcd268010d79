/**
 * The improvement register (10.1) over HTTP: opportunities for improvement from audits (every OFI finding
 * lands here by itself), reviews, incidents and lessons learned, each with its owner, decision and outcome.
 * Who may take each step is the domain's (domain/improvement); route roles keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IMPROVEMENT_DECIDER_ROLES, IMPROVEMENT_PROPOSER_ROLES } from '../../../../domain/improvement/improvement';
import type { Actor } from '../../../../domain/shared/roles';
import { decideImprovementUpdate, recordImprovementOutcomeUpdate } from '../../../../workflows/improvement.messages';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { plainJson } from '../common/dto-decorators';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import {
  DecideImprovementDto,
  ImprovementAnswerDto,
  ImprovementDto,
  ImprovementIdParamsDto,
  ImprovementListDto,
  ImprovementListQueryDto,
  ImprovementOutcomeDto,
  ImprovementProposedDto,
  ProposeImprovementDto,
} from './improvements.dto';
import { ImprovementProcess } from './improvement.process';

@ApiTags('improvements')
@Controller('v1/improvements')
export class ImprovementsController {
  constructor(private readonly improvements: ImprovementProcess) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'A page of the improvement register: opportunities for improvement with their owner, decision and outcome' })
  @ApiOkResponse({ type: ImprovementListDto })
  list(@Query() { limit, cursor, ...filters }: ImprovementListQueryDto): Promise<ImprovementListDto> {
    return this.improvements.list(filters, { limit: limit ?? DEFAULT_PAGE_LIMIT, cursor });
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One opportunity for improvement as its evidence records it' })
  @ApiOkResponse({ type: ImprovementDto })
  show(@Param() p: ImprovementIdParamsDto): Promise<object> {
    return this.improvements.show(p.id);
  }

  @Post()
  @Roles(...IMPROVEMENT_PROPOSER_ROLES)
  @ApiOperation({
    summary: 'Propose an opportunity for improvement (from a review, an incident, lessons learned); starts improvement-<id>',
  })
  @ApiCreatedResponse({ type: ImprovementProposedDto })
  @CommandErrors()
  propose(@Acting() by: Actor, @Body() body: ProposeImprovementDto): Promise<ImprovementProposedDto> {
    return this.improvements.propose(by, body.toInput());
  }

  @Post(':id/decision')
  @Roles(...IMPROVEMENT_DECIDER_ROLES)
  @ApiOperation({ summary: 'Accept or reject it, with a rationale (the AIMS owner or top management)' })
  @ApiCreatedResponse({ type: ImprovementAnswerDto })
  @CommandErrors()
  decide(@Acting() by: Actor, @Param() p: ImprovementIdParamsDto, @Body() body: DecideImprovementDto): Promise<ImprovementAnswerDto> {
    return this.improvements.send(p.id, decideImprovementUpdate, { by, ...plainJson(body) });
  }

  @Post(':id/outcome')
  @Roles(...IMPROVEMENT_PROPOSER_ROLES)
  @ApiOperation({ summary: 'Record the outcome of an accepted improvement (its owner, or the AIMS owner), with evidence refs' })
  @ApiCreatedResponse({ type: ImprovementAnswerDto })
  @CommandErrors()
  outcome(@Acting() by: Actor, @Param() p: ImprovementIdParamsDto, @Body() body: ImprovementOutcomeDto): Promise<ImprovementAnswerDto> {
    const b = plainJson(body);
    return this.improvements.send(p.id, recordImprovementOutcomeUpdate, { by, text: b.text, evidenceRefs: b.evidenceRefs ?? [] });
  }
}
