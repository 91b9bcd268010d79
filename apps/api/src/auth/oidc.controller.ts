import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { AimsConfig } from '../../../../infra/config/config';
import { AIMS_CONFIG } from '../temporal-client.provider';
import { Public } from './roles.decorator';

export class OidcSignInDto {
  @ApiProperty({ description: 'false: the console offers the API-token form only (AIMS_OIDC_CLIENT_ID unset)' })
  enabled!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The identity provider (AIMS_JWT_ISSUER); discovery at <issuer>/.well-known/openid-configuration',
    example: 'https://idp.example.com/realms/aims',
  })
  issuer!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The console's public client id (AIMS_OIDC_CLIENT_ID)" })
  clientId!: string | null;
  @ApiProperty({ type: [String], description: 'Scopes to ask for (AIMS_OIDC_SCOPES); empty when not enabled', example: ['openid'] })
  scopes!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The audience the access token must carry (AIMS_JWT_AUDIENCE), asked for as the RFC 8707 resource when it is a URL',
  })
  audience!: string | null;
}

/**
 * What the console needs to sign a person in with the identity provider, before anyone is signed in (so
 * public). It names nothing secret: a public client's id and its issuer are what the browser sends anyway.
 * The console's redirect URI is `<its origin>/auth/callback`, served by the console's deep-link fallback.
 */
@ApiTags('auth')
@Controller('v1/auth/oidc')
@Public()
export class OidcController {
  constructor(@Inject(AIMS_CONFIG) private readonly config: AimsConfig) {}

  @Get()
  @ApiOperation({ summary: "The identity provider the console's sign-in page offers (OpenID Connect, authorization code with PKCE)" })
  @ApiOkResponse({ type: OidcSignInDto, description: 'The identity provider, or enabled false when the console takes API tokens only' })
  signIn(): OidcSignInDto {
    const oidc = this.config.auth.oidc;
    if (oidc === null) return { enabled: false, issuer: null, clientId: null, scopes: [], audience: null };
    return {
      enabled: true,
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      scopes: [...oidc.scopes],
      audience: oidc.audience,
    };
  }
}
