/**
 * What a signed command proves, and the exact text that is signed. The API (or the CLI acting for a token
 * holder) signs every Update and every workflow start it sends; the worker checks the signature before a
 * step is recorded, with a key Temporal never holds. Whoever can only reach Temporal cannot make the
 * evidence say that a person acted.
 *
 * The signed text is the RFC 8785 canonical JSON of the envelope: the purpose (so a signature for one
 * thing is never valid for another), the workflow and the message it is for, the message's id (Temporal's
 * Update id: the nonce; Temporal accepts one Update per id), the instant it was issued, the key's id, and
 * the argument exactly as sent (it carries the actor `by`), without the signature itself.
 */
import { canonicalize } from '../evidence/canonical-json';
import type { JsonObject, JsonValue } from '../shared/json';

export const COMMAND_SIGNATURE_PURPOSE = 'aims-command-v1';

/** The signature a caller attaches to the argument, under `signature`. */
export type CommandSignature = {
  /** Which configured key signed it (keys rotate: the worker keeps the old ones it still accepts). */
  keyId: string;
  /** ISO 8601 instant the caller signed it; the worker refuses signatures outside its accepted age. */
  issuedAt: string;
  /** Base64url HMAC-SHA-256 of the signed text. */
  mac: string;
};

/** What a signature covers. */
export type CommandEnvelope = {
  workflowId: string;
  /** The Update's name, or `start:<workflowType>` for a workflow's input. */
  message: string;
  /** The Update id (unique per workflow), or the workflow id for a start. */
  messageId: string;
  keyId: string;
  issuedAt: string;
  /** The argument as sent, without `signature`. */
  argument: JsonObject;
};

/** The message name a workflow's start input is signed under. */
export function startMessage(workflowType: string): string {
  return `start:${workflowType}`;
}

export function signedText(envelope: CommandEnvelope): string {
  return canonicalize({ purpose: COMMAND_SIGNATURE_PURPOSE, ...envelope } satisfies Record<string, JsonValue>);
}

/** The argument without its signature, and the signature (null when absent or not of the right shape). */
export function splitSigned(argument: unknown): { argument: JsonObject; signature: CommandSignature | null } | null {
  if (typeof argument !== 'object' || argument === null || Array.isArray(argument)) return null;
  const { signature, ...rest } = argument as Record<string, unknown>;
  return { argument: rest as JsonObject, signature: isCommandSignature(signature) ? signature : null };
}

export function isCommandSignature(value: unknown): value is CommandSignature {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const s = value as Record<string, unknown>;
  return (
    Object.keys(s).length === 3 &&
    typeof s.keyId === 'string' &&
    /^[A-Za-z0-9._-]{1,64}$/.test(s.keyId) &&
    typeof s.issuedAt === 'string' &&
    !Number.isNaN(Date.parse(s.issuedAt)) &&
    typeof s.mac === 'string' &&
    /^[A-Za-z0-9_-]{43}$/.test(s.mac)
  );
}
