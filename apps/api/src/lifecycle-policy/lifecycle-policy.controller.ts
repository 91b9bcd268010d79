/**
 * The organisation's lifecycle policy (5.2, 5.3, 6.1.3; issue 11 finding 1): read what is in force,
 * propose a change or a system's deviation (decided in the task inbox by someone else), and put one
 * system under the version in force. Who may do each is the domain's (domain/lifecycle-policy).
 */
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { COMMAND_ROLES } from '../../../../domain/ai-system';
import { DEVIATION_REQUEST_ROLES } from '../../../../domain/lifecycle-policy';
import type { Actor } from '../../../../domain/shared/roles';
import { AiSystemIdParamsDto } from '../ai-systems/ai-systems.dto';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import {
  ApplyLifecyclePolicyDto,
  LifecyclePolicyViewDto,
  PolicyAppliedDto,
  PolicyChangeProposedDto,
  ProposePolicyChangeDto,
} from './lifecycle-policy.dto';
import { LifecyclePolicyProcess } from './lifecycle-policy.process';

@ApiTags('lifecycle-policy')
@Controller('v1')
export class LifecyclePolicyController {
  constructor(private readonly policy: LifecyclePolicyProcess) {}

  @Get('lifecycle-policy')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: "The organisation's lifecycle policy in force (per risk tier), the deviations and every change" })
  @ApiOkResponse({ type: LifecyclePolicyViewDto })
  async current(): Promise<LifecyclePolicyViewDto> {
    const s = await this.policy.current();
    return { version: s.version, tiers: s.tiers, deviations: s.deviations, changes: s.changes };
  }

  @Post('lifecycle-policy/changes')
  @Roles(...DEVIATION_REQUEST_ROLES)
  @ApiOperation({
    summary: "Propose a change of the organisation's lifecycle policy (AIMS owner, top management) or a deviation for one system",
    description:
      'Opens a decision task (lifecycle_policy_change_approval) for the AIMS owner or top management; the proposer can never decide it. ' +
      'No change may go below the floors: high-risk deployments always need a person, no task names ci, critical incidents always open a nonconformity.',
  })
  @ApiCreatedResponse({ type: PolicyChangeProposedDto })
  @CommandErrors()
  propose(@Acting() by: Actor, @Body() body: ProposePolicyChangeDto): Promise<PolicyChangeProposedDto> {
    return this.policy.propose(body.toInput(by));
  }

  @Post('ai-systems/:id/lifecycle-policy')
  @HttpCode(200)
  @Roles(...COMMAND_ROLES.ApplyLifecyclePolicy)
  @ApiOperation({ summary: 'Put one AI system under the version of the organisation policy in force (with its approved deviation)' })
  @ApiOkResponse({ type: PolicyAppliedDto })
  @CommandErrors()
  async apply(@Acting() by: Actor, @Param() p: AiSystemIdParamsDto, @Body() body: ApplyLifecyclePolicyDto): Promise<PolicyAppliedDto> {
    const a = await this.policy.applyTo(p.id, by, body.expectedVersion);
    return {
      systemId: p.id,
      version: a.version,
      deviationChangeId: a.deviationChangeId,
      recorded: a.recorded,
      lastPosition: a.lastPosition,
      projected: a.projected,
    };
  }
}
