/**
 * The organisation's AI risk criteria (6.1.1, 6.1.2) over HTTP: the version in force and past ones, read
 * from their evidence; drafting a version, reviewed and approved in the task inbox by others. Who may do
 * each is the domain's (domain/risk-criteria).
 */
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CRITERIA_DRAFT_ROLES } from '../../../../domain/risk-criteria';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { DraftRiskCriteriaDto, RiskCriteriaStepAnswerDto, RiskCriteriaViewDto } from './risk-criteria.dto';
import { RiskCriteriaProcess } from './risk-criteria.process';
import { RiskCriteriaReader, riskCriteriaView } from './risk-criteria-reader';

@ApiTags('risk-criteria')
@Controller('v1/risk-criteria')
export class RiskCriteriaController {
  constructor(
    private readonly reader: RiskCriteriaReader,
    private readonly criteria: RiskCriteriaProcess,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'The risk criteria in force (the default set, flagged, until one is approved), every version and draft' })
  @ApiOkResponse({ type: RiskCriteriaViewDto })
  async show(): Promise<RiskCriteriaViewDto> {
    return riskCriteriaView(await this.reader.current());
  }

  @Post('drafts')
  @Roles(...CRITERIA_DRAFT_ROLES)
  @ApiOperation({
    summary: 'Draft a version of the risk criteria; opens its review task (risk_criteria_review), then approval, never by its author',
  })
  @ApiCreatedResponse({ type: RiskCriteriaStepAnswerDto })
  @CommandErrors()
  draft(@Acting() by: Actor, @Body() body: DraftRiskCriteriaDto): Promise<RiskCriteriaStepAnswerDto> {
    return this.criteria.draft(body.toInput(by));
  }
}
