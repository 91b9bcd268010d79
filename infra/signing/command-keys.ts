/**
 * The keys that vouch for commands (domain/command-signature): HMAC-SHA-256 secrets shared by the API (and
 * CLI) that sign and the worker that verifies. Temporal never holds them; its history holds only MACs.
 *
 * Configured as `AIMS_COMMAND_KEYS=<keyId>:<base64url secret>[,<keyId>:<secret>…]`: the first key signs,
 * every listed key verifies, so a key is rotated by putting the new one first and dropping the old one
 * once no command signed with it can still arrive (older than the accepted age).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  isCommandSignature,
  signedText,
  type CommandEnvelope,
  type CommandSignature,
} from '../../domain/command-signature/command-signature';
import type { JsonObject } from '../../domain/shared/json';

export interface CommandKey {
  id: string;
  secret: Buffer;
}

export interface CommandKeyRing {
  /** The key that signs. */
  signing: CommandKey;
  /** Every key that verifies, the signing key first. */
  keys: readonly CommandKey[];
}

export const MIN_SECRET_BYTES = 32;

export class CommandKeysError extends Error {
  override readonly name = 'CommandKeysError';
}

/** Parses `AIMS_COMMAND_KEYS`; throws CommandKeysError with what is wrong (never the secret). */
export function parseCommandKeys(text: string): CommandKeyRing {
  const keys = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part, i): CommandKey => {
      const colon = part.indexOf(':');
      const id = colon < 0 ? '' : part.slice(0, colon);
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
        throw new CommandKeysError(`key ${i + 1}: expected <keyId>:<base64url secret>, the id of letters, digits, . _ -`);
      const secret = Buffer.from(part.slice(colon + 1), 'base64url');
      if (secret.length < MIN_SECRET_BYTES)
        throw new CommandKeysError(`key ${id}: the secret must be at least ${MIN_SECRET_BYTES} bytes (base64url)`);
      return { id, secret };
    });
  if (keys.length === 0) throw new CommandKeysError('no key: set at least one <keyId>:<base64url secret>');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new CommandKeysError('two keys share an id');
  return { signing: keys[0], keys };
}

/** A fresh key, as a line for AIMS_COMMAND_KEYS. */
export function newCommandKey(id: string): string {
  return `${id}:${randomBytes(MIN_SECRET_BYTES).toString('base64url')}`;
}

function mac(secret: Buffer, envelope: CommandEnvelope): string {
  return createHmac('sha256', secret).update(signedText(envelope), 'utf8').digest('base64url');
}

export interface MessageToSign {
  workflowId: string;
  message: string;
  messageId: string;
  argument: JsonObject;
}

/** The argument with its signature attached, signed with the ring's signing key at `now`. */
export function signArgument<A extends JsonObject>(
  ring: CommandKeyRing,
  toSign: MessageToSign & { argument: A },
  now = new Date(),
): A & { signature: CommandSignature } {
  const issuedAt = now.toISOString();
  const envelope: CommandEnvelope = { ...toSign, keyId: ring.signing.id, issuedAt };
  return { ...toSign.argument, signature: { keyId: ring.signing.id, issuedAt, mac: mac(ring.signing.secret, envelope) } };
}

export type CommandVerification =
  | { ok: true; keyId: string; issuedAt: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown-key' | 'bad-mac' | 'expired' | 'from-the-future'; detail: string };

/**
 * Checks a signature over the argument it was attached to. `maxAgeMs` bounds how long a signed command
 * may take to arrive (a captured one cannot be replayed later); a little clock skew is allowed ahead.
 */
export function verifyArgument(
  ring: CommandKeyRing,
  message: Omit<MessageToSign, 'argument'>,
  argument: JsonObject,
  signature: unknown,
  options: { now?: Date; maxAgeMs: number; skewMs?: number },
): CommandVerification {
  if (signature === undefined || signature === null) return { ok: false, reason: 'missing', detail: 'the command carries no signature' };
  if (!isCommandSignature(signature)) return { ok: false, reason: 'malformed', detail: 'the signature is not {keyId, issuedAt, mac}' };
  const key = ring.keys.find((k) => k.id === signature.keyId);
  if (key === undefined) return { ok: false, reason: 'unknown-key', detail: `no configured key has id ${signature.keyId}` };
  const expected = Buffer.from(mac(key.secret, { ...message, keyId: key.id, issuedAt: signature.issuedAt, argument }), 'base64url');
  const given = Buffer.from(signature.mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-mac', detail: 'the signature does not match the command' };
  const now = (options.now ?? new Date()).getTime();
  const issued = Date.parse(signature.issuedAt);
  if (issued > now + (options.skewMs ?? 60_000))
    return { ok: false, reason: 'from-the-future', detail: `signed at ${signature.issuedAt}, ahead of this worker's clock` };
  if (now - issued > options.maxAgeMs)
    return { ok: false, reason: 'expired', detail: `signed at ${signature.issuedAt}, longer ago than the accepted ${options.maxAgeMs} ms` };
  return { ok: true, keyId: key.id, issuedAt: signature.issuedAt };
}
