/**
 * Signs every command a trusted client sends to a workflow: each Update's argument and each workflow's
 * start input get a `signature` over the message, its id (the Update id, chosen here when the caller left
 * it out) and its content (domain/command-signature). The worker checks it before recording the step. The
 * API and the CLI's Temporal clients carry this interceptor; a client without the keys cannot vouch.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { startMessage } from '../../domain/command-signature/command-signature';
import type { JsonObject } from '../../domain/shared/json';
import { signArgument, type CommandKeyRing } from '../signing/command-keys';

function signable(arg: unknown): arg is JsonObject {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg);
}

/** The argument as the payload converter will send it (undefined members dropped): what the worker sees is what was signed. */
function asSent(arg: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(arg)) as JsonObject;
}

export function commandSigningInterceptor(keys: CommandKeyRing): WorkflowClientInterceptor {
  return {
    async startUpdate(input, next) {
      const [argument, ...rest] = input.args;
      if (!signable(argument)) return next(input);
      const updateId = input.options.updateId ?? randomUUID();
      const signed = signArgument(keys, {
        workflowId: input.workflowExecution.workflowId,
        message: input.updateName,
        messageId: updateId,
        argument: asSent(argument),
      });
      return next({ ...input, args: [signed, ...rest], options: { ...input.options, updateId } });
    },
    async startWithDetails(input, next) {
      const [argument, ...rest] = input.options.args;
      if (!signable(argument)) return next(input);
      const workflowId = input.options.workflowId;
      const signed = signArgument(keys, {
        workflowId,
        message: startMessage(input.workflowType),
        messageId: workflowId,
        argument: asSent(argument),
      });
      return next({ ...input, options: { ...input.options, args: [signed, ...rest] } });
    },
  };
}
