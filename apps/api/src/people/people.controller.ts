/**
 * People and their role appointments (5.3, 7.1, A.3.2) over HTTP: register a person with the identities
 * that act for them, appoint them to roles, revoke an appointment, record that they left; the register,
 * the role assignments (as of an instant), the RACI view generated from the authority rules, and the
 * organisation's switch that makes appointments count. Who may do each is the domain's (domain/people);
 * the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APPOINTING_ROLES } from '../../../../domain/people';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { domainActor, type ApiActor } from '../auth/api-actor';
import { Acting, CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { parseAsOf } from '../common/ids';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { invalidField, problem } from '../common/problems';
import { AppointmentEnforcement } from './appointment-enforcement';
import {
  AppointmentEnforcementDto,
  AppointmentParamsDto,
  AppointRoleDto,
  ChangeIdentitiesDto,
  PersonDetailDto,
  PersonIdParamsDto,
  PersonListDto,
  PeopleListQueryDto,
  PersonStepAnswerDto,
  RaciDto,
  RaciQueryDto,
  ReasonDto,
  RegisterPersonDto,
  RoleAssignmentListDto,
  RoleAssignmentListQueryDto,
} from './people.dto';
import { PeopleProcess } from './people.process';
import { PeopleReader } from './people-reader';

const appointers = [...APPOINTING_ROLES];

@ApiTags('people')
@Controller('v1')
export class PeopleController {
  constructor(
    private readonly reader: PeopleReader,
    private readonly people: PeopleProcess,
    private readonly enforcement: AppointmentEnforcement,
  ) {}

  @Get('people')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'The person register, filtered by unit, status, appointed role or identity, now or as of a position or date; paged in the order people were registered',
  })
  @ApiOkResponse({ type: PersonListDto })
  list(@Query() q: PeopleListQueryDto): Promise<PersonListDto> {
    const { limit, cursor, ...filters } = q;
    return this.reader.list(filters, { limit: limit ?? DEFAULT_PAGE_LIMIT, cursor }) as unknown as Promise<PersonListDto>;
  }

  @Get('people/:id')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'One person as their evidence records them, with the roles they act with now and the appointment granting each',
  })
  @ApiOkResponse({ type: PersonDetailDto })
  show(@Param() p: PersonIdParamsDto): Promise<PersonDetailDto> {
    return this.reader.person(p.id, new Date().toISOString());
  }

  @Post('people')
  @Roles(...appointers)
  @ApiOperation({ summary: 'Register a person with the identities (token names, JWT subjects) that act for them (starts person-<id>)' })
  @ApiCreatedResponse({ description: 'The person was registered' })
  @CommandErrors()
  register(@Acting() by: Actor, @Body() body: RegisterPersonDto): Promise<unknown> {
    return this.people.register(by, body.toInput());
  }

  @Post('people/:id/appointments')
  @Roles(...appointers)
  @ApiOperation({
    summary: 'Appoint a person to a role, covering the whole AIMS or named systems/units, from/until; never by the appointee',
  })
  @ApiCreatedResponse({ type: PersonStepAnswerDto })
  @CommandErrors()
  appoint(@Acting() by: Actor, @Param() p: PersonIdParamsDto, @Body() body: AppointRoleDto): Promise<unknown> {
    return this.people.appoint(p.id, body.toInput(by));
  }

  @Post('people/:id/appointments/:appointmentId/revocation')
  @Roles(...appointers)
  @ApiOperation({ summary: 'Revoke an appointment, with a reason; it stops counting at once' })
  @ApiCreatedResponse({ type: PersonStepAnswerDto })
  @CommandErrors()
  revoke(@Acting() by: Actor, @Param() p: AppointmentParamsDto, @Body() body: ReasonDto): Promise<unknown> {
    return this.people.revoke(p.id, by, p.appointmentId, body.reason);
  }

  @Post('people/:id/departure')
  @Roles(...appointers)
  @ApiOperation({ summary: 'Record that a person left: every appointment of theirs ends' })
  @ApiCreatedResponse({ type: PersonStepAnswerDto })
  @CommandErrors()
  leave(@Acting() by: Actor, @Param() p: PersonIdParamsDto, @Body() body: ReasonDto): Promise<unknown> {
    return this.people.leave(p.id, by, body.reason);
  }

  @Put('people/:id/identities')
  @Roles(...appointers)
  @ApiOperation({ summary: 'Replace the identities that act for a person; never by the person' })
  @ApiOkResponse({ type: PersonStepAnswerDto })
  @CommandErrors()
  identities(@Acting() by: Actor, @Param() p: PersonIdParamsDto, @Body() body: ChangeIdentitiesDto): Promise<unknown> {
    return this.people.changeIdentities(p.id, by, body.identities, body.reason);
  }

  @Get('role-assignments')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Role appointments, filtered by person, role, status, system, unit; asOf: those in force at that instant' })
  @ApiOkResponse({ type: RoleAssignmentListDto })
  assignments(@Query() q: RoleAssignmentListQueryDto): Promise<RoleAssignmentListDto> {
    const { limit, cursor, person, asOf, ...rest } = q;
    let instant: string | undefined;
    if (asOf !== undefined) {
      const parsed = parseAsOf(asOf);
      if (parsed === null || !('time' in parsed))
        throw invalidField('asOf', 'role assignments are asked for as of a date or time, not an evidence position');
      instant = new Date(parsed.time).toISOString();
    }
    return this.reader.assignments(
      { ...rest, personId: person, asOf: instant },
      { limit: limit ?? DEFAULT_PAGE_LIMIT, cursor },
    ) as unknown as Promise<RoleAssignmentListDto>;
  }

  @Get('raci')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Per process, who may act on each command and task (R) and who answers when it is overdue (A), from the authority rules',
  })
  @ApiOkResponse({ type: RaciDto })
  raci(@Query() q: RaciQueryDto): RaciDto {
    return { processes: this.reader.raci(q.role) };
  }

  @Get('people-policy/appointment-enforcement')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Whether requests act only with the roles their person is appointed to (off by default)' })
  @ApiOkResponse({ description: '{ enforced }' })
  async enforced(): Promise<{ enforced: boolean }> {
    return { enforced: await this.enforcement.enforced() };
  }

  @Put('people-policy/appointment-enforcement')
  @Roles(...appointers)
  @ApiOperation({ summary: 'Switch appointment enforcement on or off, with a reason (AIMS owner or top management), as evidence' })
  @ApiOkResponse({ description: 'The switch was recorded' })
  @CommandErrors()
  async setEnforced(@CurrentActor() caller: ApiActor, @Body() body: AppointmentEnforcementDto): Promise<unknown> {
    if (body.enforced) {
      // Whoever switches it on must be appointed to the authority that can switch it off again, or nobody could.
      const { acting } = await this.enforcement.narrow(caller, new Date().toISOString());
      if (!acting.roles.some((r) => APPOINTING_ROLES.includes(r)))
        throw problem(
          409,
          'APPOINTMENT_ENFORCEMENT_WOULD_LOCK_OUT',
          `${caller.id} is not appointed to ${APPOINTING_ROLES.join(' or ')} now; with appointments enforced, nobody could switch it off again. Appoint them first.`,
          { personId: acting.personId, refused: acting.refused },
        );
    }
    return this.people.setEnforcement(domainActor(caller), body.enforced, body.reason);
  }
}
