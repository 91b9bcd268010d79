import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AIMS_ROLES } from '../../../../domain/shared/roles';
import type { ApiActor } from './api-actor';
import { CurrentActor } from './current-actor.decorator';
import { ANY_ROLE, Roles } from './roles.decorator';

export class MeDto {
  @ApiProperty({ description: 'The identity evidence records for you' }) id!: string;
  @ApiProperty({ description: "For display: the token's name, or the JWT's name" }) name!: string;
  @ApiProperty({
    enum: AIMS_ROLES,
    isArray: true,
    description: 'The roles you act under now (narrowed to your appointments when enforced)',
  })
  roles!: string[];
  @ApiProperty({ enum: ['api-token', 'jwt'] }) authenticatedBy!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The person behind the credential, when appointments are enforced' })
  personId!: string | null;
}

/** Who the caller is, so that a client (the web console) shows only what the caller's roles may do. */
@ApiTags('auth')
@Controller('v1/me')
export class MeController {
  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Who the bearer credential says I am, and the roles I act under now' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: ApiActor): MeDto {
    return {
      id: actor.id,
      name: actor.name,
      roles: [...actor.roles],
      authenticatedBy: actor.authenticatedBy,
      personId: actor.personId ?? null,
    };
  }
}
