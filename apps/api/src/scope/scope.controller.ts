/**
 * The AIMS scope (4.3) over HTTP: the statement in force (as of any instant or position) with its versions
 * and the per-system decisions; the reconciliation of the inventory; proposing a statement (approved by top
 * management in the task inbox); deciding a system's scope. Who may do each is the domain's
 * (domain/aims-scope); the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SCOPE_DECIDER_ROLES, SCOPE_PROPOSER_ROLES } from '../../../../domain/aims-scope/model';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import {
  DecideAiSystemScopeDto,
  ProposeScopeStatementDto,
  ScopeAsOfQueryDto,
  ScopeCheckDto,
  ScopeStepAnswerDto,
  ScopeViewDto,
} from './scope.dto';
import { ScopeProcess } from './scope.process';
import { ScopeReader } from './scope-reader';
import { ScopeDocuments } from './scope-document';

@ApiTags('scope')
@Controller('v1/scope')
export class ScopeController {
  constructor(
    private readonly reader: ScopeReader,
    private readonly scope: ScopeProcess,
    private readonly documents: ScopeDocuments,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'The AIMS scope statement in force (as of an instant, date or position), every version, and the decision per AI system',
  })
  @ApiOkResponse({ type: ScopeViewDto })
  show(@Query() q: ScopeAsOfQueryDto): Promise<ScopeViewDto> {
    return this.reader.viewAt(q.asOf);
  }

  @Get('check')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'The inventory reconciled against the scope: systems (and third-party AI services) without a decision, decisions the statement contradicts, named systems not registered',
  })
  @ApiOkResponse({ type: ScopeCheckDto })
  check(@Query() q: ScopeAsOfQueryDto): Promise<ScopeCheckDto> {
    return this.reader.checkAt(q.asOf);
  }

  @Post('proposals')
  @Roles(...SCOPE_PROPOSER_ROLES)
  @ApiOperation({
    summary:
      'Propose a scope statement (the AIMS owner), naming the controlled AIMS scope document version it rests on; opens its approval task for top management',
  })
  @ApiCreatedResponse({ type: ScopeStepAnswerDto })
  @CommandErrors()
  async propose(@Acting() by: Actor, @Body() body: ProposeScopeStatementDto): Promise<ScopeStepAnswerDto> {
    const document = body.document === undefined ? null : await this.documents.resolve(body.document);
    return this.scope.propose({ ...body.toInput(by), document });
  }

  @Post('decisions')
  @Roles(...SCOPE_DECIDER_ROLES)
  @ApiOperation({
    summary:
      "Decide whether an AI system is in the AIMS scope, with a justification (never against the statement in force); told to the system's lifecycle",
  })
  @ApiCreatedResponse({ type: ScopeStepAnswerDto })
  @CommandErrors()
  decide(@Acting() by: Actor, @Body() body: DecideAiSystemScopeDto): Promise<ScopeStepAnswerDto> {
    return this.scope.decideSystem(body.toInput(by));
  }
}
