/**
 * The API token format and its hashing.
 *
 * A token is `aims_<id>_<secret>`: the prefix makes a leaked token recognisable to secret scanners, the
 * id (16 hex digits) finds the row without a scan, and the secret is 256 random bits (base64url).
 * Only SHA-256(salt ":" secret) is stored, with a per-token random salt, and compared in constant time.
 * A slow password hash (scrypt) buys nothing here: 256-bit random secrets cannot be guessed, while a
 * slow hash would cost every API request tens of milliseconds.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isSystemIdentity, normaliseIdentity } from '../../domain/shared/actor-identity';
import { isAimsRole, type AimsRole } from '../../domain/shared/roles';
import { InvalidTokenInputError } from './token-errors';

export const API_TOKEN_PREFIX = 'aims_';
const TOKEN_FORMAT = /^aims_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export interface TokenParts {
  id: string;
  secret: string;
}

export function newTokenParts(): TokenParts {
  return { id: randomBytes(8).toString('hex'), secret: randomBytes(32).toString('base64url') };
}

export function formatToken(parts: TokenParts): string {
  return `${API_TOKEN_PREFIX}${parts.id}_${parts.secret}`;
}

/** The parts of a well-formed token, or null. */
export function parseToken(token: string): TokenParts | null {
  const match = TOKEN_FORMAT.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

export function hashSecret(salt: string, secret: string): string {
  return createHash('sha256').update(`${salt}:${secret}`).digest('hex');
}

export function secretMatches(salt: string, secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashSecret(salt, secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** True for a token id (16 hex digits): `aims tokens revoke X` takes X as an id first. */
export function looksLikeTokenId(value: string): boolean {
  return /^[0-9a-f]{16}$/.test(value);
}

/**
 * The name and roles as they will be stored: the name as its normalised identity (so `Alice` is stored as
 * `alice`, the actor id evidence records), roles de-duplicated in the order given. Names in the system
 * actors' reserved namespace are refused: nobody may authenticate as the engine.
 */
export function validateTokenInput(
  name: unknown,
  roles: unknown,
  expiresAt: unknown,
): { name: string; roles: AimsRole[]; expiresAt: string | null } {
  if (typeof name === 'string' && isSystemIdentity(name)) {
    throw new InvalidTokenInputError('name', name, "is in the aims: namespace, which is reserved for the engine's own actors");
  }
  if (typeof name !== 'string' || !TOKEN_NAME.test(name)) {
    throw new InvalidTokenInputError('name', name, 'must be 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit');
  }
  if (looksLikeTokenId(name)) throw new InvalidTokenInputError('name', name, 'looks like a token id (16 hex digits); choose a name');
  if (!Array.isArray(roles) || roles.length === 0) throw new InvalidTokenInputError('roles', roles, 'must name at least one role');
  const unknown = roles.filter((r) => !isAimsRole(r));
  if (unknown.length > 0) throw new InvalidTokenInputError('roles', unknown, 'are not AIMS roles');
  let expiry: string | null = null;
  if (expiresAt !== undefined && expiresAt !== null) {
    const ms = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
    if (Number.isNaN(ms)) throw new InvalidTokenInputError('expiresAt', expiresAt, 'must be an ISO-8601 time');
    expiry = new Date(ms).toISOString();
  }
  return { name: normaliseIdentity(name), roles: [...new Set(roles as AimsRole[])], expiresAt: expiry };
}
