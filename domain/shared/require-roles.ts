/**
 * The authority check every process's decider starts a step with: a well-formed actor holding one of the
 * roles the step allows, answered as the role it acts in (actingAs), or the refusal a caller can act on
 * (INVALID_ACTOR; MISSING_ROLE with the actor's roles and the roles required). A process that names its
 * steps (the lifecycle, the audit processes) passes `step`, and both refusals carry it, so a client can
 * tell which step was refused without parsing the message.
 */
import { domainError, type DomainError } from './domain-error';
import type { JsonObject } from './json';
import { err, ok, type Result } from './result';
import { actingAs, actorProblem, type Actor, type ActorRef, type AimsRole } from './roles';

export function requireRoles(
  by: Actor | undefined,
  roles: readonly AimsRole[],
  what: string,
  step?: string,
): Result<ActorRef, DomainError> {
  const stepDetail: JsonObject = step === undefined ? {} : { step };
  const problem = actorProblem(by);
  if (problem !== null || by === undefined) return err(domainError('INVALID_ACTOR', problem ?? 'an actor is required', stepDetail));
  if (!roles.some((r) => by.roles.includes(r)))
    return err(
      domainError('MISSING_ROLE', `${by.id} cannot ${what}: it needs one of the roles ${roles.join(', ')}.`, {
        ...stepDetail,
        actorId: by.id,
        actorRoles: [...by.roles],
        requiredRoles: [...roles],
      }),
    );
  return ok(actingAs(by, roles));
}
