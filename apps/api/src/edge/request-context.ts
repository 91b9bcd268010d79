/**
 * What the API knows about the request it is handling, for code far from the controller: the credential
 * that authenticated the caller, which the CommandSender puts into every command it sends (so that the
 * evidence names it: domain/command-signature/credential.ts). Set by the AuthGuard; read by the sender.
 * AsyncLocalStorage instead of threading it through every controller and process: a command cannot be
 * sent without it reaching the evidence, whichever controller sends it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { CommandCredential } from '../../../../domain/command-signature/credential';

export interface RequestContext {
  credential?: CommandCredential;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Express middleware: the rest of the request runs with its own (empty) context. */
export function requestContext(_req: Request, _res: Response, next: NextFunction): void {
  storage.run({}, next);
}

/** The context of the request being handled, or undefined outside one (tests calling services directly). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
