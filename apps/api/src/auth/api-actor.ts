import type { CommandCredential } from '../../../../domain/command-signature/credential';
import type { Actor, AimsRole } from '../../../../domain/shared/roles';

/**
 * Who is calling, as proven by the bearer token. This, never a request body, is the actor recorded in
 * evidence: `id` is the identity (domain/shared/actor-identity.ts: the normalised API token name, or the
 * normalised JWT `sub`), never in the system actors' reserved namespace.
 */
export interface ApiActor {
  id: string;
  /** For display: the token name as issued, or the JWT's preferred_username / name / email. */
  name: string;
  roles: AimsRole[];
  authenticatedBy: 'api-token' | 'jwt';
  /** The API token's id (absent for JWTs). */
  tokenId?: string;
  /** Which credential proved the identity; every command carries it into the evidence (`metadata.credential`). */
  credential: CommandCredential;
  /**
   * When appointments are enforced (apps/api/src/people/appointment-enforcement.ts): the roles the
   * credential holds (`roles` is then what the person is appointed to now, within them), the person behind
   * it and, per role, the appointment that grants it. Absent otherwise.
   */
  credentialRoles?: AimsRole[];
  personId?: string;
  appointments?: Partial<Record<AimsRole, string>>;
}

/** The actor as the domain deciders take it. */
export function domainActor(actor: ApiActor): Actor {
  return {
    id: actor.id,
    roles: [...actor.roles],
    ...(actor.personId === undefined ? {} : { personId: actor.personId, appointments: { ...actor.appointments } }),
  };
}
