/**
 * Competence (7.2, A.4.6) over HTTP: the requirements per role and the per-role switch that makes the engine
 * refuse a step without current competence (set by the AIMS owner or top management, as evidence on the
 * people policy's stream), competence records approved by someone other than the person (on the person's
 * stream), and the requirements, records and gaps as of an instant. The rules are the domain's
 * (domain/people/competence*.ts); the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APPOINTING_ROLES, evolvePeoplePolicy, type CompetencePolicyEvent, type PeoplePolicyState } from '../../../../domain/people';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { domainActor, type ApiActor } from '../auth/api-actor';
import { Acting, CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { parseAsOf } from '../common/ids';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { invalidField, problem } from '../common/problems';
import { AppointmentEnforcement } from '../people/appointment-enforcement';
import { CompetenceReader } from './competence-reader';
import {
  CompetenceEnforcementDto,
  CompetenceEnforcementViewDto,
  CompetenceGapQueryDto,
  CompetenceListDto,
  CompetencePeopleQueryDto,
  CompetenceRecordDto,
  CompetenceRequirementDto,
  CompetenceRequirementQueryDto,
  CompetenceRequirementRemovalDto,
  CompetenceStepAnswerDto,
} from './competence.dto';
import { CompetenceProcess } from './competence.process';

const appointers = [...APPOINTING_ROLES];
const LOCK_OUT = 'Whoever changes it must keep an appointing role they can act in, or nobody could change it back';

/** The instant `asOf` names (a date or time, not an evidence position), or now. */
function instantOf(asOf: string | undefined): string {
  if (asOf === undefined) return new Date().toISOString();
  const parsed = parseAsOf(asOf);
  if (parsed === null || !('time' in parsed))
    throw invalidField('asOf', 'competence is asked for as of a date or time, not an evidence position');
  return new Date(parsed.time).toISOString();
}

@ApiTags('competence')
@Controller('v1/competence')
export class CompetenceController {
  constructor(
    private readonly reader: CompetenceReader,
    private readonly competence: CompetenceProcess,
    private readonly enforcement: AppointmentEnforcement,
  ) {}

  @Get('requirements')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'What each role requires (competence, maximum age) as of an instant, and whether the role is enforced' })
  @ApiOkResponse({ type: CompetenceListDto })
  requirements(@Query() q: CompetenceRequirementQueryDto): Promise<unknown> {
    return this.reader.requirements(instantOf(q.asOf), q.role, { limit: q.limit ?? DEFAULT_PAGE_LIMIT, cursor: q.cursor });
  }

  @Put('requirements')
  @Roles(...appointers)
  @ApiOperation({
    summary: 'Set what a role requires (replaces its maximum age), with a reason (AIMS owner or top management), as evidence',
  })
  @ApiOkResponse({ type: CompetenceStepAnswerDto })
  @ApiForbiddenResponse({ description: 'MISSING_ROLE, or COMPETENCE_MISSING when the caller acts in an enforced role without it' })
  @ApiConflictResponse({ description: `COMPETENCE_REQUIREMENT_UNCHANGED; COMPETENCE_ENFORCEMENT_WOULD_LOCK_OUT (${LOCK_OUT})` })
  @CommandErrors()
  async setRequirement(@CurrentActor() caller: ApiActor, @Body() body: CompetenceRequirementDto): Promise<unknown> {
    await this.refuseLockOut(caller, { type: 'CompetenceRequirementSet', ...body, by: { id: caller.id, role: 'aims_owner' }, at: '' });
    return this.competence.setRequirement(domainActor(caller), body);
  }

  @Post('requirements/removal')
  @Roles(...appointers)
  @ApiOperation({ summary: 'Remove a requirement of a role, with a reason, as evidence' })
  @ApiCreatedResponse({ type: CompetenceStepAnswerDto })
  @ApiForbiddenResponse({ description: 'MISSING_ROLE, or COMPETENCE_MISSING' })
  @CommandErrors()
  removeRequirement(@Acting() by: Actor, @Body() body: CompetenceRequirementRemovalDto): Promise<unknown> {
    return this.competence.removeRequirement(by, body);
  }

  @Get('enforcement')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'The roles whose steps need current competence now (off for every role by default), with the requirements' })
  @ApiOkResponse({ type: CompetenceEnforcementViewDto })
  async enforced(): Promise<CompetenceEnforcementViewDto> {
    const policy = await this.enforcement.policy();
    return { roles: policy.competenceEnforcedRoles ?? [], requirements: policy.competenceRequirements ?? [] };
  }

  @Put('enforcement')
  @Roles(...appointers)
  @ApiOperation({
    summary: 'Switch competence enforcement for one role on or off, with a reason (AIMS owner or top management), as evidence',
  })
  @ApiOkResponse({ type: CompetenceStepAnswerDto })
  @ApiForbiddenResponse({ description: 'MISSING_ROLE, or COMPETENCE_MISSING' })
  @ApiConflictResponse({ description: `COMPETENCE_ENFORCEMENT_UNCHANGED; COMPETENCE_ENFORCEMENT_WOULD_LOCK_OUT (${LOCK_OUT})` })
  @CommandErrors()
  async setEnforcement(@CurrentActor() caller: ApiActor, @Body() body: CompetenceEnforcementDto): Promise<unknown> {
    await this.refuseLockOut(caller, { type: 'CompetenceEnforcementSet', ...body, by: { id: caller.id, role: 'aims_owner' }, at: '' });
    return this.competence.setEnforcement(domainActor(caller), body);
  }

  @Post('records')
  @Roles(...appointers)
  @ApiOperation({
    summary: "Record a person's competence (course, assessment or experience), approved by the caller: never the person themselves",
  })
  @ApiCreatedResponse({ type: CompetenceStepAnswerDto })
  @ApiForbiddenResponse({ description: 'MISSING_ROLE; SEGREGATION_OF_DUTIES (the caller acts for the person); COMPETENCE_MISSING' })
  @CommandErrors()
  record(@Acting() by: Actor, @Body() body: CompetenceRecordDto): Promise<unknown> {
    const { personId, ...record } = body;
    return this.competence.record(personId, { by, ...record, expiresAt: record.expiresAt ?? null });
  }

  @Get('records')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Competence records as of an instant, filtered by person or competence; a page holds the records of up to `limit` people',
  })
  @ApiOkResponse({ type: CompetenceListDto })
  records(@Query() q: CompetencePeopleQueryDto): Promise<unknown> {
    return this.reader.records(
      instantOf(q.asOf),
      { personId: q.person, competence: q.competence },
      { limit: q.limit ?? DEFAULT_PAGE_LIMIT, cursor: q.cursor },
    );
  }

  @Get('gaps')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'As of an instant: each requirement of a role a person was appointed to that their records did not meet, why, and whether it was enforced',
  })
  @ApiOkResponse({ type: CompetenceListDto })
  gaps(@Query() q: CompetenceGapQueryDto): Promise<unknown> {
    return this.reader.gaps(
      instantOf(q.asOf),
      { personId: q.person, competence: q.competence, role: q.role },
      { limit: q.limit ?? DEFAULT_PAGE_LIMIT, cursor: q.cursor },
    );
  }

  /**
   * A change that would leave the caller with no appointing role they may act in (the competence of
   * aims_owner and top_management enforced, and theirs missing) is refused: nobody could change it back.
   */
  private async refuseLockOut(caller: ApiActor, change: CompetencePolicyEvent): Promise<void> {
    const after: PeoplePolicyState = evolvePeoplePolicy(await this.enforcement.policy(), change);
    const appointing = caller.roles.filter((r) => APPOINTING_ROLES.includes(r));
    if (appointing.length === 0) return;
    const checked = await this.enforcement.withCompetence({ ...caller, roles: appointing }, after, new Date().toISOString());
    if (checked.actor.roles.length === 0)
      throw problem(
        409,
        'COMPETENCE_ENFORCEMENT_WOULD_LOCK_OUT',
        `${caller.id} would lack the competence of ${appointing.join(' and ')}. ${LOCK_OUT}.`,
        {
          refused: checked.refusals.map((r) => r.refusal.details),
        },
      );
  }
}
