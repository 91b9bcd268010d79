import { Inject, Injectable } from '@nestjs/common';
import type { AimsConfig } from '../../../../infra/config/config';
import { API_TOKEN_PREFIX } from '../../../../infra/auth/api-token';
import { JwksJwtVerifier, JwtRejectedError } from '../../../../infra/auth/jwt-verifier';
import type { TokenStore } from '../../../../infra/ports/token-store.port';
import { TOKEN_STORE } from '../stores/store.tokens';
import { AIMS_CONFIG } from '../temporal-client.provider';
import { isSystemIdentity, normaliseIdentity } from '../../../../domain/shared/actor-identity';
import type { ApiActor } from './api-actor';

/**
 * `guess`: the caller presented a credential that is not good (counted by the failed-authentication
 * throttle); false when the fault is ours (the identity provider's keys could not be fetched), so callers
 * are not locked out for an outage.
 */
export type AuthenticationResult = { ok: true; actor: ApiActor } | { ok: false; detail: string; guess: boolean };

/**
 * Turns a bearer value into an actor: an API token (`aims_…`) from the token store, else a JWT if SSO is on.
 * The actor's id is the normalised identity (so `Alice` and `alice` are one person whatever the token
 * store holds: names issued before normalisation keep working), never one in the reserved `aims:` namespace.
 */
@Injectable()
export class Authenticator {
  private readonly jwt: JwksJwtVerifier | null;

  constructor(
    @Inject(TOKEN_STORE) private readonly tokens: TokenStore,
    @Inject(AIMS_CONFIG) config: AimsConfig,
  ) {
    this.jwt = config.auth.jwt ? new JwksJwtVerifier(config.auth.jwt) : null;
  }

  async authenticate(bearer: string): Promise<AuthenticationResult> {
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      const record = await this.tokens.authenticate(bearer);
      if (!record) return { ok: false, detail: 'The API token is unknown, revoked or expired.', guess: true };
      const id = normaliseIdentity(record.name);
      // Token names cannot be issued in the reserved namespace; a row written around the store is refused too.
      if (isSystemIdentity(id)) return { ok: false, detail: 'The API token names an identity reserved for the engine.', guess: true };
      return {
        ok: true,
        actor: {
          id,
          name: record.name,
          roles: [...record.roles],
          authenticatedBy: 'api-token',
          tokenId: record.id,
          credential: { kind: 'api-token', tokenId: record.id },
        },
      };
    }
    if (this.jwt && JwksJwtVerifier.looksLikeJwt(bearer)) {
      try {
        const identity = await this.jwt.verify(bearer);
        return {
          ok: true,
          actor: {
            id: normaliseIdentity(identity.subject),
            name: identity.name,
            roles: identity.roles,
            authenticatedBy: 'jwt',
            credential: {
              kind: 'jwt',
              issuer: identity.issuer,
              subject: identity.subject,
              ...(identity.tokenId === undefined ? {} : { jti: identity.tokenId }),
            },
          },
        };
      } catch (error) {
        if (error instanceof JwtRejectedError) return { ok: false, detail: error.message, guess: error.reason !== 'jwks-unavailable' };
        throw error;
      }
    }
    return {
      ok: false,
      detail: this.jwt ? 'The bearer value is neither an aims API token nor a JWT.' : 'The bearer value is not an aims API token.',
      guess: true,
    };
  }
}
