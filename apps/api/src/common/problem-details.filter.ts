/**
 * Every error leaves the API as RFC 9457 problem details (`application/problem+json`), with field-level
 * details for validation failures, so callers can act on them without parsing prose.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { INTERNAL_ERROR_DETAIL, STATUS_TITLES, titleOf } from './problems';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: Array<{ field: string; messages: string[] }>;
  [extension: string]: unknown;
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request>();
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500)
      this.logger.error(stackOf(exception instanceof HttpException && exception.cause !== undefined ? exception.cause : exception));
    // A throttled or busy answer says when to come back (RFC 9110 Retry-After, in seconds).
    if (typeof problem.retryAfter === 'number') response.setHeader('Retry-After', String(problem.retryAfter));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails {
    const instance = request.originalUrl ?? request.url;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'type' in body && 'title' in body) {
        return { ...(body as ProblemDetails), status, instance };
      }
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const problem: ProblemDetails = {
        type: `urn:aims:problem:${slug(STATUS_TITLES[status] ?? 'error')}`,
        title: STATUS_TITLES[status] ?? exception.name,
        status,
        instance,
      };
      if (Array.isArray(message)) problem.detail = message.join('; ');
      else if (typeof message === 'string') problem.detail = message;
      const errors = (body as { errors?: ProblemDetails['errors'] }).errors;
      if (errors) problem.errors = errors;
      return problem;
    }
    return {
      type: 'urn:aims:problem:internal-error',
      title: titleOf(HttpStatus.INTERNAL_SERVER_ERROR),
      status: 500,
      // Never the error's name or message: they can tell an attacker what broke (logged above instead).
      detail: INTERNAL_ERROR_DETAIL,
      instance,
    };
  }
}

/** Express error middleware for body-parser failures (malformed JSON, body too large), as problem+json. */
export function bodyParserProblems(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const parserError = err as { type?: string; status?: number; message?: string };
  if (typeof parserError?.type !== 'string' || typeof parserError.status !== 'number' || !parserError.type.startsWith('entity.')) {
    next(err);
    return;
  }
  const status = parserError.status;
  const kind =
    parserError.type === 'entity.parse.failed'
      ? 'malformed-json'
      : parserError.type === 'entity.too.large'
        ? 'payload-too-large'
        : 'bad-request';
  const problem: ProblemDetails = {
    type: `urn:aims:problem:${kind}`,
    title: titleOf(status),
    status,
    detail: kind === 'malformed-json' ? `the body is not valid JSON: ${parserError.message}` : parserError.message,
    instance: req.originalUrl ?? req.url,
  };
  res.status(status).type('application/problem+json').send(JSON.stringify(problem));
}

/** The error as the server log keeps it: its stack (with the cause's, if any), or its text. */
function stackOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\ncaused by: ${error.cause.stack ?? error.cause.message}` : '';
  return `${error.stack ?? error.message}${cause}`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
