/**
 * The authority check every process's decider starts a step with: a well-formed actor holding one of the
 * roles the step allows, answered as the role it acts in (actingAs), or the refusal a caller can act on
 * (INVALID_ACTOR; MISSING_ROLE with the actor's roles and the roles required).
 */
import { domainError, type DomainError } from './domain-error';
import { err, ok, type Result } from './result';
import { actingAs, actorProblem, type Actor, type ActorRef, type AimsRole } from './roles';

export function requireRoles(by: Actor, roles: readonly AimsRole[], what: string): Result<ActorRef, DomainError> {
  const problem = actorProblem(by);
  if (problem) return err(domainError('INVALID_ACTOR', problem));
  if (!roles.some((r) => by.roles.includes(r)))
    return err(
      domainError('MISSING_ROLE', `${by.id} cannot ${what}: it needs one of the roles ${roles.join(', ')}.`, {
        actorId: by.id,
        actorRoles: [...by.roles],
        requiredRoles: [...roles],
      }),
    );
  return ok(actingAs(by, roles));
}
