/**
 * The Statement of Applicability (6.1.3, Annex A) over HTTP: the SoA in force as of any date with each
 * control's status from the evidence, its gaps, one control with its evidence; proposing a revision
 * (reviewed and approved in the task inbox), asking for one, attesting a manual control. Who may do each
 * is the domain's (domain/soa); the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SOA_PROPOSER_ROLES, SOA_REQUEST_ROLES } from '../../../../domain/soa';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { Acting } from '../auth/current-actor.decorator';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import {
  AsOfQueryDto,
  AttestControlDto,
  ControlIdParamsDto,
  ControlViewDto,
  ProposeSoaRevisionDto,
  RequestSoaRevisionDto,
  SoaGapsDto,
  SoaStepAnswerDto,
  SoaViewDto,
} from './soa.dto';
import { SoaProcess } from './soa.process';
import { SoaReader } from './soa-reader';

@ApiTags('soa')
@Controller('v1')
export class SoaController {
  constructor(
    private readonly reader: SoaReader,
    private readonly soa: SoaProcess,
  ) {}

  @Get('soa')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'The SoA in force (as of a date), each control with its status from the evidence and its crosswalk' })
  @ApiOkResponse({ type: SoaViewDto })
  show(@Query() q: AsOfQueryDto): Promise<SoaViewDto> {
    return this.reader.viewAt(q.asOf);
  }

  @Get('soa/gaps')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Applicable controls that do not operate (or cannot be shown to), each with what is missing' })
  @ApiOkResponse({ type: SoaGapsDto })
  gaps(@Query() q: AsOfQueryDto): Promise<SoaGapsDto> {
    return this.reader.gapsAt(q.asOf);
  }

  @Get('controls/:id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: "One control: its SoA entry, status, its rule's findings and its evidence (as of a date)" })
  @ApiOkResponse({ type: ControlViewDto })
  control(@Param() p: ControlIdParamsDto, @Query() q: AsOfQueryDto): Promise<ControlViewDto> {
    return this.reader.controlAt(p.id, q.asOf);
  }

  @Post('soa/revisions')
  @Roles(...SOA_PROPOSER_ROLES)
  @ApiOperation({ summary: 'Propose a revision of the SoA (every Annex A control, and own controls); opens its review task' })
  @ApiCreatedResponse({ type: SoaStepAnswerDto })
  @CommandErrors()
  propose(@Acting() by: Actor, @Body() body: ProposeSoaRevisionDto): Promise<SoaStepAnswerDto> {
    return this.soa.propose(body.toInput(by));
  }

  @Post('soa/revision-requests')
  @Roles(...SOA_REQUEST_ROLES)
  @ApiOperation({ summary: 'Ask for a revision (e.g. a risk treatment added or dropped controls); opens a task for the AIMS owner' })
  @ApiCreatedResponse({ type: SoaStepAnswerDto })
  @CommandErrors()
  request(@Acting() by: Actor, @Body() body: RequestSoaRevisionDto): Promise<SoaStepAnswerDto> {
    return this.soa.request(body.toInput(by));
  }

  @Post('controls/:id/attestations')
  @Roles('aims_owner', 'top_management', 'risk_owner', 'approver', 'validator', 'engineer')
  @ApiOperation({
    summary: "Attest a manual control's status (its owner in the SoA, or the AIMS owner), with evidence refs and a review date",
  })
  @ApiCreatedResponse({ type: SoaStepAnswerDto })
  @CommandErrors()
  attest(@Acting() by: Actor, @Param() p: ControlIdParamsDto, @Body() body: AttestControlDto): Promise<SoaStepAnswerDto> {
    return this.soa.attest(body.toInput(by, p.id));
  }
}
