import { createParamDecorator, ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { ApiActor } from './api-actor';

/** The request property the AuthGuard sets. */
export const ACTOR_PROPERTY = 'aimsActor';

/** `@CurrentActor() actor: ApiActor` — the authenticated caller (set by the AuthGuard). */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): ApiActor => {
  const actor = ctx.switchToHttp().getRequest<Record<string, unknown>>()[ACTOR_PROPERTY] as ApiActor | undefined;
  // Only reachable on a @Public() route, where asking for an actor is a programming error.
  if (!actor) throw new InternalServerErrorException('no authenticated actor on a public route');
  return actor;
});
