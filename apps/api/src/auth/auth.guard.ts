/**
 * Authentication and role checks for every route (registered as the global guard in AppModule):
 *  - @Public() routes pass;
 *  - otherwise a valid `Authorization: Bearer <token>` is required: 401 problem+json with
 *    `WWW-Authenticate: Bearer …` when it is missing, malformed, unknown, revoked or expired;
 *  - the route must declare @Roles(...) (a route that does not is refused: fail closed), and the caller
 *    must hold one of them, read-only roles counting only on reading routes: 403 problem+json otherwise.
 *  - with competence enforced for a role (people policy, 7.2), a writing request loses each enforced role its
 *    person's records do not show now; with no accepted role left: 403 problem+json COMPETENCE_MISSING;
 *  - an address that presented too many bad credentials is answered 429 (edge/auth-throttle.ts), before
 *    its credential is even looked at;
 * Guards run before pipes, so an unauthenticated caller learns nothing from input validation. The
 * authenticated credential is kept in the request context, so every command sent for the caller carries it.
 */
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  Optional,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { READ_ONLY_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import { AuthFailureThrottle, tooManyRequests } from '../edge/throttling';
import { currentRequest } from '../edge/request-context';
import { Authenticator } from './authenticator';
import { describeRefusal } from '../../../../domain/people/acting-roles';
import { AppointmentEnforcement } from '../people/appointment-enforcement';
import { problem } from '../common/problems';
import { ACTOR_PROPERTY } from './current-actor.decorator';
import { PUBLIC_KEY, PUBLIC_WHEN_KEY, READS_ONLY_KEY, ROLES_KEY } from './roles.decorator';
import { REQUEST_SUBJECT_KEY, type RequestSubjectSource } from './request-subject.decorator';
import type { AimsConfig } from '../../../../infra/config/config';
import { AIMS_CONFIG } from '../temporal-client.provider';

const BEARER = /^Bearer +(\S+) *$/i;

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Authentication');

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly throttle: AuthFailureThrottle,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
    @Optional() private readonly appointments?: AppointmentEnforcement,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const publicWhen = this.reflector.getAllAndOverride<((config: AimsConfig) => boolean) | undefined>(PUBLIC_WHEN_KEY, targets);
    if (publicWhen?.(this.config)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();

    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw unauthorized(response, null, 'This endpoint needs a bearer token: Authorization: Bearer <token> (aims tokens create).');
    }
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const retryAfter = this.throttle.retryAfterSeconds(address);
    if (retryAfter > 0) {
      throw tooManyRequests(
        'TOO_MANY_FAILED_AUTHENTICATIONS',
        `Too many failed authentications from this address; try again in ${retryAfter} s.`,
        retryAfter,
      );
    }
    const match = BEARER.exec(header);
    if (!match) {
      this.throttle.recordFailure(address);
      throw unauthorized(response, 'invalid_request', 'The Authorization header must be "Bearer <token>".');
    }
    let result;
    try {
      result = await this.authenticator.authenticate(match[1]);
    } catch (error) {
      // The cause (a database error, say) is for the operator's log, not for a caller who may be a stranger.
      this.logger.error(`a bearer token could not be checked: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableException({
        type: 'urn:aims:problem:authentication-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The token could not be checked now; try again shortly.',
      });
    }
    if (!result.ok) {
      if (result.guess) this.throttle.recordFailure(address);
      throw unauthorized(response, 'invalid_token', result.detail);
    }
    let actor = result.actor;
    const reading =
      request.method === 'GET' || request.method === 'HEAD' || this.reflector.getAllAndOverride<boolean>(READS_ONLY_KEY, targets) === true;
    const at = new Date().toISOString();
    // One read of the people policy serves both of its rules: appointments and competence.
    const policy = this.appointments === undefined ? null : await this.appointments.policy();
    // Appointments enforced: the roles the person behind the credential is appointed to now, within the
    // credential's; a command about an AI system counts only appointments covering it.
    let narrowed: Awaited<ReturnType<AppointmentEnforcement['narrow']>> | null = null;
    if (this.appointments !== undefined && policy?.appointmentsEnforced === true) {
      const source = reading ? undefined : this.reflector.getAllAndOverride<RequestSubjectSource | undefined>(REQUEST_SUBJECT_KEY, targets);
      const subject = await this.appointments.subjectOf(source, request.params as Record<string, string | undefined>);
      narrowed = await this.appointments.narrow(actor, at, subject);
    }
    if (narrowed !== null) actor = narrowed.actor;
    const requestContext = currentRequest();
    if (requestContext !== undefined) requestContext.credential = actor.credential;

    const declared = this.reflector.getAllAndOverride<AimsRole[] | undefined>(ROLES_KEY, targets);
    if (!declared || declared.length === 0) {
      throw new ForbiddenException({
        type: 'urn:aims:problem:no-roles-declared',
        title: 'Forbidden',
        status: 403,
        detail: 'This endpoint declares no roles, so nobody may call it.',
      });
    }
    // Competence enforced for a role (7.2): a step taken in it needs current competence, whatever the client sends.
    if (!reading && this.appointments !== undefined && policy !== null) {
      const checked = await this.appointments.withCompetence(actor, policy, at, narrowed?.person);
      const lost = checked.refusals.filter((r) => declared.includes(r.role));
      actor = checked.actor;
      if (lost.length > 0 && !actor.roles.some((role) => declared.includes(role) && !READ_ONLY_ROLES.includes(role))) {
        const first = lost[0];
        throw problem(403, 'COMPETENCE_MISSING', first.refusal.message, {
          ...first.refusal.details,
          refused: lost.map((l) => l.refusal.details),
          requiredRoles: declared,
        });
      }
    }
    (request as unknown as Record<string, unknown>)[ACTOR_PROPERTY] = actor;
    const granting = actor.roles.filter((role) => declared.includes(role) && (reading || !READ_ONLY_ROLES.includes(role)));
    if (granting.length === 0 && narrowed !== null) {
      // The credential would have been let in: the appointment is what is missing, and the refusal says whose and why.
      const missing = narrowed.acting.refused.filter((r) => declared.includes(r.role) && (reading || !READ_ONLY_ROLES.includes(r.role)));
      const first = missing[0];
      if (first !== undefined) {
        const who = narrowed.acting.personId === null ? actor.id : `${actor.id} (person ${narrowed.acting.personId})`;
        throw problem(403, 'APPOINTMENT_REQUIRED', `${who} cannot act as ${first.role}: ${describeRefusal(first)}.`, {
          role: first.role,
          personId: narrowed.acting.personId,
          reason: first.reason,
          appointmentId: first.appointmentId,
          refused: missing,
          requiredRoles: declared,
        });
      }
    }
    if (granting.length === 0) {
      throw new ForbiddenException({
        type: 'urn:aims:problem:role-required',
        title: 'Forbidden',
        status: 403,
        detail: `${actor.id} holds ${actor.roles.length ? actor.roles.join(', ') : 'no AIMS role'}; this needs one of: ${declared
          .filter((r) => reading || !READ_ONLY_ROLES.includes(r))
          .join(', ')}.`,
        requiredRoles: declared,
        actorRoles: actor.roles,
      });
    }
    return true;
  }
}

/** RFC 6750: the challenge names the realm and, when a token was presented, why it failed. */
function unauthorized(response: Response, error: 'invalid_request' | 'invalid_token' | null, detail: string): UnauthorizedException {
  response.setHeader('WWW-Authenticate', error ? `Bearer realm="aims", error="${error}"` : 'Bearer realm="aims"');
  return new UnauthorizedException({ type: 'urn:aims:problem:unauthenticated', title: 'Unauthorized', status: 401, detail });
}
