/**
 * How an endpoint declares who may call it. Every route must carry `@Roles(...)` (on the method or its
 * controller) unless it is `@Public()`; the AuthGuard refuses undeclared routes, and
 * test/e2e/route-roles.e2e.test.ts fails when one exists.
 *
 *   @Roles(...ANY_ROLE)                       every authenticated caller
 *   @Roles('engineer', 'ci')                  only these roles
 *   @Roles(...AUDIT_READERS) @ReadsOnly()     a POST that changes nothing (auditors may call it)
 *
 * `auditor` is read-only: it grants GET/HEAD routes and routes marked @ReadsOnly(), never others, even
 * when a declaration lists it.
 */
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import type { AimsConfig } from '../../../../infra/config/config';

export const ROLES_KEY = 'aims:roles';
export const PUBLIC_KEY = 'aims:public';
export const READS_ONLY_KEY = 'aims:reads-only';
export const PUBLIC_WHEN_KEY = 'aims:public-when';

/** Every role: any authenticated caller. */
export const ANY_ROLE: readonly AimsRole[] = AIMS_ROLES;
/**
 * Who may read the audit trail itself (events across streams, verification, proofs). The internal auditor
 * is among them because fieldwork samples evidence (9.2): reading it changes nothing.
 */
export const AUDIT_READERS: readonly AimsRole[] = ['auditor', 'internal_auditor', 'aims_owner', 'admin'];

export function Roles(...roles: AimsRole[]): MethodDecorator & ClassDecorator {
  if (roles.length === 0) throw new Error('@Roles() needs at least one role');
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiExtension('x-aims-roles', roles),
    ApiUnauthorizedResponse({ description: 'No valid bearer token (problem+json; WWW-Authenticate: Bearer)' }),
    ApiForbiddenResponse({ description: `The token holds none of the roles: ${roles.join(', ')}` }),
  );
}

/** No authentication at all: only for /health, /ready and /v1/auth/oidc (what the sign-in page needs). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_KEY, true);
}

/**
 * Public when the configuration says so (e.g. AIMS_EVIDENCE_TLOG_PUBLIC), authenticated with its @Roles
 * otherwise: the route still declares its roles, which apply whenever the setting is off.
 */
export function PublicWhen(enabled: (config: AimsConfig) => boolean): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_WHEN_KEY, enabled);
}

/** A non-GET route that changes nothing (e.g. POST /v1/audit/verify), so read-only roles may call it. */
export function ReadsOnly(): MethodDecorator & ClassDecorator {
  return SetMetadata(READS_ONLY_KEY, true);
}
