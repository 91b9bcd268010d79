/**
 * What a route's requests are about, for appointments scoped to some AI systems (issue 16): with
 * appointments enforced, a role granted by an appointment covering only other systems does not count for a
 * command on this one (domain/people/acting-roles.ts, `not_covered`). The guard resolves the subject
 * (apps/api/src/people/appointment-enforcement.ts) before it judges the roles, so no client can step around it.
 *
 *   @ConcernsAiSystem({ param: 'id' })       the AI system is the route's `:id`
 *   @ConcernsAiSystem({ task: 'taskId' })    the AI systems the task `:taskId` concerns (its read model row)
 *
 * Reading routes are judged by role alone: the scope limits what a person may do, not what they may see.
 */
import { SetMetadata } from '@nestjs/common';

export const REQUEST_SUBJECT_KEY = 'aims:request-subject';

export type RequestSubjectSource = { param: string } | { task: string };

export function ConcernsAiSystem(source: RequestSubjectSource): MethodDecorator & ClassDecorator {
  return SetMetadata(REQUEST_SUBJECT_KEY, source);
}
