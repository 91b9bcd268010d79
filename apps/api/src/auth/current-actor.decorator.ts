import { createParamDecorator, ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { Actor } from '../../../../domain/shared/roles';
import { domainActor, type ApiActor } from './api-actor';

/** The request property the AuthGuard sets. */
export const ACTOR_PROPERTY = 'aimsActor';

function actorOf(ctx: ExecutionContext): ApiActor {
  const actor = ctx.switchToHttp().getRequest<Record<string, unknown>>()[ACTOR_PROPERTY] as ApiActor | undefined;
  // Only reachable on a @Public() route, where asking for an actor is a programming error.
  if (!actor) throw new InternalServerErrorException('no authenticated actor on a public route');
  return actor;
}

/** `@CurrentActor() actor: ApiActor` — the authenticated caller (set by the AuthGuard). */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): ApiActor => actorOf(ctx));

/** `@Acting() by: Actor` — the authenticated caller as a command names its actor (id and every role). */
export const Acting = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => domainActor(actorOf(ctx)));
