/**
 * The risk register (6.1.2, 6.1.3, 8.2, 8.3) over HTTP: identify a risk, assess it with the criteria in
 * force, plan its treatment, complete actions, record its residual level; review, plan approval and
 * acceptance are decided in the task inbox. Who may do each is the domain's (domain/risk); the route
 * roles only keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ASSESS_ROLES, IDENTIFY_ROLES, PLAN_ROLES } from '../../../../domain/risk';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import {
  AssessRiskDto,
  CompleteTreatmentActionDto,
  IdentifyRiskDto,
  PlanRiskTreatmentDto,
  RecordResidualRiskDto,
  RiskActionParamsDto,
  RiskDto,
  RiskIdentifiedDto,
  RiskIdParamsDto,
  RiskListDto,
  RiskListQueryDto,
  RiskStepAnswerDto,
} from './risks.dto';
import { RiskProcess } from './risk.process';
import { RiskReader, riskView } from './risk-reader';

/** Treatment actions are done by their owners, whoever they are; the domain checks it is the owner. */
const ACTION_ROLES = ['aims_owner', 'top_management', 'risk_owner', 'approver', 'validator', 'engineer'] as const;

@ApiTags('risks')
@Controller('v1/risks')
export class RisksController {
  constructor(
    private readonly reader: RiskReader,
    private readonly risks: RiskProcess,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'The risk register, filtered by system, owner, level, above appetite, overdue action, reassessment due; paged in the order risks were identified',
  })
  @ApiOkResponse({ type: RiskListDto })
  async list(@Query() q: RiskListQueryDto): Promise<RiskListDto> {
    const { system, limit, cursor, ...rest } = q;
    const page = await this.reader.list({ ...rest, systemId: system }, { limit: limit ?? DEFAULT_PAGE_LIMIT, cursor });
    return { items: page.items.map(riskView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One risk as its evidence records it' })
  @ApiOkResponse({ type: RiskDto })
  async show(@Param() p: RiskIdParamsDto): Promise<RiskDto> {
    return riskView(await this.reader.risk(p.id));
  }

  @Post()
  @Roles(...IDENTIFY_ROLES)
  @ApiOperation({ summary: 'Identify a risk (starts its process, risk-<id>)' })
  @ApiCreatedResponse({ type: RiskIdentifiedDto })
  @CommandErrors()
  identify(@Acting() by: Actor, @Body() body: IdentifyRiskDto): Promise<RiskIdentifiedDto> {
    return this.risks.identify(by, body.toInput());
  }

  @Post(':id/assessments')
  @Roles(...ASSESS_ROLES)
  @ApiOperation({ summary: 'Assess a risk with the criteria in force (read by the API); opens its review task (risk_assessment_review)' })
  @ApiCreatedResponse({ type: RiskStepAnswerDto })
  @CommandErrors()
  assess(@Acting() by: Actor, @Param() p: RiskIdParamsDto, @Body() body: AssessRiskDto): Promise<RiskStepAnswerDto> {
    return this.risks.assess(p.id, body.toInput(by));
  }

  @Post(':id/treatment-plans')
  @Roles(...PLAN_ROLES)
  @ApiOperation({ summary: "Plan a reviewed risk's treatment; opens its approval task (risk_treatment_plan_approval)" })
  @ApiCreatedResponse({ type: RiskStepAnswerDto })
  @CommandErrors()
  plan(@Acting() by: Actor, @Param() p: RiskIdParamsDto, @Body() body: PlanRiskTreatmentDto): Promise<RiskStepAnswerDto> {
    return this.risks.plan(p.id, body.toInput(by));
  }

  @Post(':id/actions/:actionId/completion')
  @Roles(...ACTION_ROLES)
  @ApiOperation({ summary: 'Complete a treatment action (its owner), with evidence refs' })
  @ApiCreatedResponse({ type: RiskStepAnswerDto })
  @CommandErrors()
  complete(@Acting() by: Actor, @Param() p: RiskActionParamsDto, @Body() body: CompleteTreatmentActionDto): Promise<RiskStepAnswerDto> {
    return this.risks.complete(p.id, body.toInput(by, p.actionId));
  }

  @Post(':id/residual-assessments')
  @Roles(...ASSESS_ROLES)
  @ApiOperation({ summary: 'Record the residual level after treatment; opens its acceptance task (risk_acceptance)' })
  @ApiCreatedResponse({ type: RiskStepAnswerDto })
  @CommandErrors()
  residual(@Acting() by: Actor, @Param() p: RiskIdParamsDto, @Body() body: RecordResidualRiskDto): Promise<RiskStepAnswerDto> {
    return this.risks.residual(p.id, body.toInput(by));
  }
}
