import type { Actor, AimsRole } from '../../../../domain/shared/roles';

/**
 * Who is calling, as proven by the bearer token. This, never a request body, is the actor recorded in
 * evidence: `id` is the API token's name, or the JWT's `sub`.
 */
export interface ApiActor {
  id: string;
  /** For display: the token name, or the JWT's preferred_username / name / email. */
  name: string;
  roles: AimsRole[];
  authenticatedBy: 'api-token' | 'jwt';
  /** The API token's id (absent for JWTs). */
  tokenId?: string;
}

/** The actor as the domain deciders take it. */
export function domainActor(actor: ApiActor): Actor {
  return { id: actor.id, roles: [...actor.roles] };
}
