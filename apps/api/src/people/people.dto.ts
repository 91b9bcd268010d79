/**
 * People, role appointments, the RACI view and the appointment enforcement switch over HTTP: the bodies
 * (their shape checked here, their rules in domain/people) and the queries.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { AIMS_ROLES, type Actor, type AimsRole } from '../../../../domain/shared/roles';
import type { AppointRoleInput } from '../../../../workflows/person.messages';
import { IsInstant, IsStepId, Nested, plainJson, Text, TextList } from '../common/dto-decorators';
import { IsAsOf, IsEntityId } from '../common/ids';
import { PageQueryDto } from '../common/pagination';
import type { RegisterPersonInput } from './people.process';

const FREE = { type: 'object', additionalProperties: true } as const;
const APPOINTABLE = AIMS_ROLES.filter((r) => r !== 'ci');

export class PersonIdParamsDto {
  @ApiProperty({ example: 'vera' }) @IsEntityId() id!: string;
}
export class AppointmentParamsDto extends PersonIdParamsDto {
  @ApiProperty({ example: 'vera-validator-1' }) @IsStepId() appointmentId!: string;
}

export class RegisterPersonDto {
  @ApiProperty({ example: 'vera', description: "The person's id, chosen by the caller; their stream is person-<id>" })
  @IsEntityId()
  personId!: string;
  @ApiProperty({ example: 'Vera Validator' }) @Text(200) name!: string;
  @ApiProperty({ example: 'vera@example.com' }) @Text(200) contact!: string;
  @ApiProperty({ example: 'model-risk', description: 'Organisational unit' }) @Text(200) unit!: string;
  @ApiProperty({
    type: [String],
    example: ['vera', 'vera@example.com'],
    description: 'The API token names and JWT subjects that act for the person (stored normalised)',
  })
  @TextList({ max: 20, itemMax: 200 })
  identities!: string[];

  toInput(): RegisterPersonInput {
    const b = plainJson(this);
    return { personId: b.personId, name: b.name, contact: b.contact, unit: b.unit, identities: b.identities };
  }
}

export class CoverageDto {
  @ApiPropertyOptional({ description: 'true: the whole AIMS (then no systems or units)' })
  @IsOptional()
  @IsBoolean()
  wholeAims?: boolean;
  @ApiPropertyOptional({ type: [String], example: ['credit-scoring'] })
  @IsOptional()
  @TextList({ max: 100, itemMax: 128 })
  systemIds?: string[];
  @ApiPropertyOptional({ type: [String], example: ['model-risk'] }) @IsOptional() @TextList({ max: 100, itemMax: 128 }) units?: string[];
}

export class AppointRoleDto {
  @ApiPropertyOptional({ example: 'vera-validator-1', description: 'Default: <personId>-<role>-<n>' })
  @IsOptional()
  @IsStepId()
  appointmentId?: string;
  @ApiProperty({ enum: APPOINTABLE, description: 'ci is a machine identity: nobody is appointed to it' })
  @IsIn(APPOINTABLE)
  role!: AimsRole;
  @ApiProperty({ type: () => CoverageDto }) @Nested(() => CoverageDto) covers!: CoverageDto;
  @ApiProperty({ example: '2026-01-06T00:00:00Z' }) @IsInstant() from!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2027-01-06T00:00:00Z',
    description: 'None: until revoked or the person leaves',
  })
  @IsOptional()
  @IsInstant()
  until?: string | null;
  @ApiProperty({ example: 'Signs off validation results of every AI system' }) @Text(4000) responsibilities!: string;

  toInput(by: Actor): AppointRoleInput {
    const b = plainJson(this);
    return {
      by,
      ...(b.appointmentId === undefined ? {} : { appointmentId: b.appointmentId }),
      role: b.role,
      covers: b.covers,
      from: b.from,
      until: b.until ?? null,
      responsibilities: b.responsibilities,
    };
  }
}

export class ReasonDto {
  @ApiProperty({ example: 'moved to engineering' }) @Text(4000) reason!: string;
}

export class ChangeIdentitiesDto extends ReasonDto {
  @ApiProperty({ type: [String], example: ['vera', 'vera@example.com'] }) @TextList({ max: 20, itemMax: 200 }) identities!: string[];
}

export class AppointmentEnforcementDto extends ReasonDto {
  @ApiProperty({ description: 'true: requests act only with the roles their person is appointed to at that moment' })
  @IsBoolean()
  enforced!: boolean;
}

export class PeopleListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'model-risk' }) @IsOptional() @Text(200) unit?: string;
  @ApiPropertyOptional({ enum: ['active', 'left'] }) @IsOptional() @IsIn(['active', 'left']) status?: string;
  @ApiPropertyOptional({ enum: AIMS_ROLES, description: 'Only people with an appointment to this role that is not revoked or ended' })
  @IsOptional()
  @IsIn(AIMS_ROLES)
  role?: string;
  @ApiPropertyOptional({ description: 'Only the person this token name or JWT subject acts for' })
  @IsOptional()
  @Text(200)
  identity?: string;
  @ApiPropertyOptional({
    description: 'The register as the evidence stood then: a global position or an ISO 8601 date/time (default: now)',
    example: '2026-03-01',
  })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class RoleAssignmentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'vera' }) @IsOptional() @IsEntityId() person?: string;
  @ApiPropertyOptional({ enum: AIMS_ROLES }) @IsOptional() @IsIn(AIMS_ROLES) role?: string;
  @ApiPropertyOptional({ enum: ['active', 'revoked', 'ended'] }) @IsOptional() @IsIn(['active', 'revoked', 'ended']) status?: string;
  @ApiPropertyOptional({ description: 'Only appointments covering this AI system (or the whole AIMS)' })
  @IsOptional()
  @IsEntityId()
  system?: string;
  @ApiPropertyOptional({ example: 'model-risk' }) @IsOptional() @Text(200) unit?: string;
  @ApiPropertyOptional({
    description: 'Only appointments in force at this instant (ISO 8601 date or timestamp)',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsAsOf()
  asOf?: string;
}

export class RaciQueryDto {
  @ApiPropertyOptional({ enum: AIMS_ROLES, description: 'Only the rows this role is responsible or accountable for' })
  @IsOptional()
  @IsIn(AIMS_ROLES)
  role?: AimsRole;
}

export class PersonDto {
  @ApiProperty() personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contact!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: [String] }) identities!: string[];
  @ApiProperty({ enum: ['active', 'left'] }) status!: string;
  @ApiProperty({ type: 'array', items: FREE }) appointments!: Array<Record<string, unknown>>;
}

export class PersonDetailDto extends PersonDto {
  @ApiProperty({ description: 'The instant the acting roles are judged at' }) actingRolesAt!: string;
  @ApiProperty({ ...FREE, description: 'The roles the person acts with at that instant, each with the appointment granting it' })
  acting!: Record<string, unknown>;
}

export class PersonListDto {
  @ApiProperty({ type: 'array', items: FREE }) items!: Array<Record<string, unknown>>;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor!:
    string | null;
}
export class RoleAssignmentListDto extends PersonListDto {}

export class PersonStepAnswerDto {
  @ApiProperty({ type: 'array', items: FREE }) recorded!: Array<Record<string, unknown>>;
  @ApiProperty(FREE) person!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) appointmentId!: string | null;
}

export class RaciProcessDto {
  @ApiProperty() process!: string;
  @ApiProperty({ type: [String] }) clauses!: string[];
  @ApiProperty({
    type: 'array',
    items: FREE,
    description: 'step, kind (command|task), responsible, accountable, consulted, informed, note',
  })
  rows!: Array<Record<string, unknown>>;
}
export class RaciDto {
  @ApiProperty({ type: [RaciProcessDto] }) processes!: RaciProcessDto[];
}
