/**
 * What the API knows about the request it is handling, for code far from the controller: the credential
 * that authenticated the caller, which the CommandSender puts into every command it sends (so that the
 * evidence names it: domain/command-signature/credential.ts). Set by the AuthGuard; read by the sender.
 * AsyncLocalStorage instead of threading it through every controller and process: a command cannot be
 * sent without it reaching the evidence, whichever controller sends it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { CommandCredential } from '../../../../domain/command-signature/credential';
import { isRequestId } from '../../../../domain/shared/request-id';

export interface RequestContext {
  credential?: CommandCredential;
  /**
   * The caller's `X-Request-Id` when it is a plain token (domain/shared/request-id.ts), else one made here.
   * Echoed in the answer, carried in every command the request sends as `httpRequestId` (under the command's
   * signature; not `requestId`, which deployment commands use) and recorded in the evidence metadata, so one
   * id follows a step from the pipeline's log through the API, the workflow and the activity to the evidence.
   */
  requestId: string;
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

const storage = new AsyncLocalStorage<RequestContext>();
const accessLog = new Logger('http');

/**
 * Express middleware: the rest of the request runs with its own context (its request id), and the answer is
 * logged on one line: an object for a JSON log pipeline, a sentence for people.
 */
export function requestContext(logFormat: 'text' | 'json') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.get(REQUEST_ID_HEADER);
    const requestId = isRequestId(offered) ? offered : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The request id ties this line to the evidence.
      const line = {
        requestId,
        method: req.method,
        route: routeTemplate(req),
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      };
      accessLog.log(
        logFormat === 'json' ? line : `${line.method} ${line.route} ${line.status} ${line.durationMs} ms (request ${line.requestId})`,
      );
    });
    storage.run({ requestId }, next);
  };
}

/** The route template (`/v1/ai-systems/:id`), never the raw path: ids in logs and metric labels would name systems. */
export function routeTemplate(req: Request): string {
  return req.route ? `${req.baseUrl}${(req.route as { path: string }).path}` : 'unmatched';
}

/** The context of the request being handled, or undefined outside one (tests calling services directly). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
